import { useState, type ChangeEvent } from "react";
import { api } from "../../lib/api.ts";
import { MAX_IMPORT_BYTES, describeProblem, plural, type ImportReport, type ImportRow } from "./contacts-model.ts";
import { Modal } from "../../ui/dialogs.tsx";
import { useAction } from "../../lib/use-action.ts";
import { csvFileProblemOf, CsvFileProblemText, CsvRowReport, type CsvFileProblem } from "../../ui/csv-report.tsx";

// Import CSV: pick a file → Parley checks it (a dry run: nothing is written) and shows what would
// happen to every row → confirm → the final report. The file is read in the browser and sent as
// text; rows with problems are listed with their reasons and never imported.

type Step = { kind: "pick" } | { kind: "checked"; report: ImportReport } | { kind: "done"; report: ImportReport };
type FileProblem = CsvFileProblem;

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

const fileProblemOf = (error: unknown): FileProblem => csvFileProblemOf(error, describeProblem);

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
          <CsvFileProblemText problem={problem} />
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
          <CsvFileProblemText problem={problem} />
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

function ReportTable({ report, done }: { report: ImportReport; done: boolean }) {
  const labels = done ? DONE_LABELS : STATUS_LABELS;
  return (
    <CsvRowReport
      rows={report.rows.map((row) => ({
        row: row.row,
        result: labels[row.status],
        isProblem: row.status === "invalid",
        errors: row.errors,
      }))}
    />
  );
}
