import { useState, type ChangeEvent } from "react";
import { api, ApiError } from "../../lib/api.ts";
import { MAX_IMPORT_BYTES, describeProblem, plural, type ImportReport, type ImportRow } from "./contacts-model.ts";
import { Modal } from "../../ui/dialogs.tsx";
import { useAction } from "../../lib/use-action.ts";

// Import CSV: pick a file → Parley checks it (a dry run: nothing is written) and shows what would
// happen to every row → confirm → the final report. The file is read in the browser and sent as
// text; rows with problems are listed with their reasons and never imported.

type Step = { kind: "pick" } | { kind: "checked"; report: ImportReport } | { kind: "done"; report: ImportReport };
type FileProblem = { message: string; details: Array<{ column: string | null; message: string }> };

const STATUS_LABELS: Record<ImportRow["status"], string> = {
  created: "New",
  updated: "Updated",
  unchanged: "Unchanged",
  invalid: "Not imported",
};
const DONE_LABELS: Record<ImportRow["status"], string> = {
  created: "Created",
  updated: "Updated",
  unchanged: "Unchanged",
  invalid: "Not imported",
};

function fileProblemOf(error: unknown): FileProblem {
  if (error instanceof ApiError && error.code === "UNPROCESSABLE") {
    const details = Array.isArray(error.details)
      ? (error.details as Array<{ column?: unknown; message?: unknown }>)
          .filter((detail) => typeof detail.message === "string")
          .map((detail) => ({ column: typeof detail.column === "string" ? detail.column : null, message: detail.message as string }))
      : [];
    return { message: error.message, details };
  }
  if (error instanceof ApiError && error.code === "PAYLOAD_TOO_LARGE")
    return { message: "The file is too large; split it into files of at most 5 MB.", details: [] };
  return { message: describeProblem(error), details: [] };
}

export function ImportDialog({ workspaceId, onClose, onImported }: { workspaceId: string; onClose(): void; onImported(): void }) {
  const [step, setStep] = useState<Step>({ kind: "pick" });
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const { busy, error: problem, setError: setProblem, run } = useAction(fileProblemOf);
  // What the dialog waits for, for its status and button labels.
  const [task, setTask] = useState<"reading" | "checking" | "importing">("reading");

  const send = (csv: string, dryRun: boolean) =>
    api("POST", "/api/v1/workspaces/{workspaceId}/contacts/import", { path: { workspaceId }, body: { csv, dryRun } });

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    setProblem(null);
    setFile(null);
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    if (chosen.size > MAX_IMPORT_BYTES) {
      setProblem({ message: "The file is larger than 5 MB; split it into smaller files.", details: [] });
      return;
    }
    setTask("reading");
    void run(async () => {
      let text: string;
      try {
        text = await chosen.text();
      } catch {
        setProblem({ message: "The file could not be read. Choose it again.", details: [] });
        return;
      }
      setFile({ name: chosen.name, text });
    });
  };

  const check = () => {
    if (!file) return;
    setTask("checking");
    void run(async () => setStep({ kind: "checked", report: await send(file.text, true) }));
  };

  const confirm = () => {
    if (!file) return;
    setTask("importing");
    void run(async () => {
      const report = await send(file.text, false);
      setStep({ kind: "done", report });
      onImported();
    });
  };

  const restart = () => {
    setStep({ kind: "pick" });
    setFile(null);
    setProblem(null);
  };

  return (
    <Modal title="Import contacts from CSV" onClose={onClose} wide>
      {step.kind === "pick" ? (
        <div>
          <p>
            The first row names the columns: <code>phone</code> (required, with the country code, like +14155550100), <code>name</code>,{" "}
            <code>tags</code> (separated by ; or |), <code>consent</code> (opted_in, opted_out or unknown) and{" "}
            <code>field:&lt;name&gt;</code> for custom fields. Up to 10,000 rows and 5 MB. Contacts that already exist are updated: empty
            cells leave their values as they are, and tags are added.
          </p>
          <label className="field">
            <span>CSV file</span>
            <input type="file" accept=".csv,text/csv" onChange={choose} />
          </label>
          {busy && task === "reading" ? <p role="status">Reading the file…</p> : null}
          <FileProblemText problem={problem} />
          <div className="modal-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="contacts-primary" disabled={!file || busy} onClick={check}>
              {busy && task === "checking" ? "Checking…" : "Check file"}
            </button>
          </div>
        </div>
      ) : (
        <div>
          <p role="status">
            {step.kind === "checked" ? (
              <>
                Nothing has been imported yet. This is what importing <strong>{file?.name}</strong> would do:
              </>
            ) : (
              <>Import finished.</>
            )}
          </p>
          <ImportSummary report={step.report} done={step.kind === "done"} />
          <ReportTable report={step.report} done={step.kind === "done"} />
          <FileProblemText problem={problem} />
          <div className="modal-actions">
            {step.kind === "checked" ? (
              <>
                <button type="button" onClick={restart}>
                  Choose another file
                </button>
                <button
                  type="button"
                  className="contacts-primary"
                  disabled={busy || step.report.summary.created + step.report.summary.updated === 0}
                  onClick={confirm}
                >
                  {busy && task === "importing"
                    ? "Importing…"
                    : `Import ${plural(step.report.summary.created + step.report.summary.updated, "contact", "contacts")}`}
                </button>
              </>
            ) : (
              <button type="button" className="contacts-primary" onClick={onClose}>
                Done
              </button>
            )}
          </div>
        </div>
      )}
    </Modal>
  );
}

function FileProblemText({ problem }: { problem: FileProblem | null }) {
  if (!problem) return null;
  return (
    <div className="form-error" role="alert">
      <p>{problem.message}</p>
      {problem.details.length > 0 ? (
        <ul>
          {problem.details.map((detail, index) => (
            <li key={index}>{detail.column ? `${detail.column}: ${detail.message}` : detail.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ImportSummary({ report, done }: { report: ImportReport; done: boolean }) {
  const { summary } = report;
  return (
    <ul className="contacts-import-summary" aria-label="Summary">
      <li>{plural(summary.rows, "row", "rows")} in the file</li>
      <li>{done ? `${summary.created.toLocaleString()} created` : `${summary.created.toLocaleString()} new`}</li>
      <li>{summary.updated.toLocaleString()} updated</li>
      <li>{summary.unchanged.toLocaleString()} unchanged</li>
      <li className={summary.invalid > 0 ? "contacts-import-invalid" : undefined}>
        {summary.invalid.toLocaleString()} with problems (not imported)
      </li>
      {summary.ignoredColumns.length > 0 ? <li>Ignored columns (set by Parley itself): {summary.ignoredColumns.join(", ")}</li> : null}
    </ul>
  );
}

const SHOWN_ROWS = 500;

function ReportTable({ report, done }: { report: ImportReport; done: boolean }) {
  const [showAll, setShowAll] = useState(false);
  const withProblems = report.rows.filter((row) => row.status === "invalid");
  const rows = showAll ? report.rows : withProblems;
  const labels = done ? DONE_LABELS : STATUS_LABELS;
  return (
    <div className="contacts-import-report">
      <div className="contacts-import-toolbar">
        <label>
          <input type="checkbox" checked={showAll} onChange={(event) => setShowAll(event.target.checked)} /> Show every row, not only the
          ones with problems
        </label>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No row has a problem.</p>
      ) : (
        <table>
          <caption className="visually-hidden">{showAll ? "Every row of the file" : "Rows with problems"}</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Result</th>
              <th scope="col">Problems</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN_ROWS).map((row) => (
              <tr key={row.row} className={row.status === "invalid" ? "contacts-import-invalid" : undefined}>
                <td>{row.row}</td>
                <td>{labels[row.status]}</td>
                <td>
                  {row.errors.length === 0 ? (
                    "—"
                  ) : (
                    <ul>
                      {row.errors.map((error, index) => (
                        <li key={index}>{error.column ? `${error.column}: ${error.message}` : error.message}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows.length > SHOWN_ROWS ? (
        <p className="muted">
          Showing the first {SHOWN_ROWS.toLocaleString()} of {rows.length.toLocaleString()} rows.
        </p>
      ) : null}
    </div>
  );
}
