import { useState, type ChangeEvent } from "react";
import { api, ApiError, describeError, type ApiAnswer } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { csvFileProblemOf, CsvFileProblemText, CsvRowReport, type CsvFileProblem, type CsvReportRow } from "../../ui/csv-report.tsx";
import { MAX_IMPORT_BYTES } from "../contacts/contacts-model.ts";
import { plural } from "./broadcast-model.ts";

// The wizard's uploaded audience: a CSV of phone numbers is read in the browser, sent as text and
// checked row by row on the server as the contacts import checks it; the report says which rows
// will be sent to and why the others are not, with the import's own pieces.

export type AudienceUpload = ApiAnswer<"POST", "/api/v1/workspaces/{workspaceId}/broadcasts/audiences">;
export type UploadedAudience = { fileName: string; report: AudienceUpload };
type UploadRow = AudienceUpload["rows"][number];
type Problem = CsvFileProblem & { rows: CsvReportRow[] };

const REASON_WORDS: Record<NonNullable<UploadRow["reason"]>, string> = {
  invalid_number: "Left out: not a valid phone number",
  duplicate: "Left out: a duplicate of an earlier row",
  invalid_row: "Left out: the row cannot be used",
};

function reportRowsOf(rows: Array<Pick<UploadRow, "row" | "reason" | "errors"> & { status?: UploadRow["status"] }>): CsvReportRow[] {
  return rows.map((row) => {
    const isProblem = row.status !== "accepted";
    return { row: row.row, result: isProblem && row.reason ? REASON_WORDS[row.reason] : "Accepted", isProblem, errors: row.errors };
  });
}

/** The server's refusal; a file without any usable row comes with the report of each row. */
function problemOf(error: unknown): Problem {
  const details: unknown = error instanceof ApiError ? error.details : null;
  if (details && typeof details === "object" && "reason" in details && details.reason === "audience_empty" && "rows" in details) {
    const rows = Array.isArray(details.rows) ? (details.rows as Array<Pick<UploadRow, "row" | "reason" | "errors">>) : [];
    return { message: (error as ApiError).message, details: [], rows: reportRowsOf(rows) };
  }
  return { ...csvFileProblemOf(error, describeError), rows: [] };
}

export function AudienceUploadField({
  workspaceId,
  uploaded,
  onUploaded,
}: {
  workspaceId: string;
  uploaded: UploadedAudience | null;
  onUploaded(uploaded: UploadedAudience | null): void;
}) {
  const { busy, error: problem, setError: setProblem, run } = useAction(problemOf);
  const [task, setTask] = useState<"reading" | "uploading">("reading");

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    setProblem(null);
    onUploaded(null);
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    if (chosen.size > MAX_IMPORT_BYTES) {
      setProblem({ message: "The file is larger than 5 MB; split it into smaller files.", details: [], rows: [] });
      return;
    }
    setTask("reading");
    void run(async () => {
      let csv: string;
      try {
        csv = await chosen.text();
      } catch {
        setProblem({ message: "The file could not be read. Choose it again.", details: [], rows: [] });
        return;
      }
      setTask("uploading");
      const report = await api("POST", "/api/v1/workspaces/{workspaceId}/broadcasts/audiences", { path: { workspaceId }, body: { csv } });
      onUploaded({ fileName: chosen.name, report });
    });
  };

  const summary = uploaded?.report.upload;
  return (
    <div className="audience-upload">
      <p className="muted">
        The first row names the columns: <code>phone</code> (required, with the country code, like +14155550100), <code>name</code> and{" "}
        <code>field:&lt;name&gt;</code>, whose values fill the template's parameters for that row. Up to 10,000 rows and 5 MB. Consent is
        the contact's own: a file cannot give it.
      </p>
      <label className="field">
        <span>CSV file of recipients</span>
        <input type="file" accept=".csv,text/csv" onChange={choose} />
      </label>
      {busy ? <p role="status">{task === "reading" ? "Reading the file…" : "Uploading and checking the file…"}</p> : null}
      {!busy && !uploaded && !problem ? <p className="muted">No file uploaded yet.</p> : null}
      {problem ? (
        <>
          <CsvFileProblemText problem={problem} />
          {problem.rows.length > 0 ? <CsvRowReport rows={problem.rows} label="Rows of the uploaded file" /> : null}
        </>
      ) : null}
      {uploaded && summary ? (
        <>
          <p role="status">
            <strong>{uploaded.fileName}</strong> was uploaded.
          </p>
          <ul className="contacts-import-summary" aria-label="Upload summary">
            <li>{plural(summary.rows, "row", "rows")} in the file</li>
            <li>{summary.accepted.toLocaleString()} accepted</li>
            <li className={summary.excluded.invalidNumber > 0 ? "contacts-import-invalid" : undefined}>
              {plural(summary.excluded.invalidNumber, "invalid number", "invalid numbers")}
            </li>
            <li className={summary.excluded.duplicate > 0 ? "contacts-import-invalid" : undefined}>
              {plural(summary.excluded.duplicate, "duplicate", "duplicates")}
            </li>
            <li className={summary.excluded.invalidRow > 0 ? "contacts-import-invalid" : undefined}>
              {plural(summary.excluded.invalidRow, "row with another problem", "rows with another problem")}
            </li>
          </ul>
          <CsvRowReport rows={reportRowsOf(uploaded.report.rows)} label="Rows of the uploaded file" />
        </>
      ) : null}
    </div>
  );
}
