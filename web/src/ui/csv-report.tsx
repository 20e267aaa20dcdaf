import { useState } from "react";
import { ApiError } from "../lib/api.ts";

// What the screens that take a CSV file show alike (the contacts import, a broadcast's uploaded
// audience): a problem with the file as a whole, and the report of each row with its number and
// the reasons in words, the rows with problems first.

export type CsvCellProblem = { column: string | null; message: string };
export type CsvFileProblem = { message: string; details: CsvCellProblem[] };
/** One row of the report: its number in the file (the header is row 1), the result in words, and why. */
export type CsvReportRow = { row: number; result: string; isProblem: boolean; errors: CsvCellProblem[] };

const SHOWN_ROWS = 500;

/** A refusal of the file in words: the server's own with the columns it names, or the size, else `describe`'s. */
export function csvFileProblemOf(error: unknown, describe: (error: unknown) => string): CsvFileProblem {
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
  return { message: describe(error), details: [] };
}

function problemWords(problem: CsvCellProblem): string {
  return problem.column ? `${problem.column}: ${problem.message}` : problem.message;
}

export function CsvFileProblemText({ problem }: { problem: CsvFileProblem | null }) {
  if (!problem) return null;
  return (
    <div className="form-error" role="alert">
      <p>{problem.message}</p>
      {problem.details.length > 0 ? (
        <ul>
          {problem.details.map((detail, index) => (
            <li key={index}>{problemWords(detail)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The rows with problems, or every row when asked; at most the first 500 are drawn. */
export function CsvRowReport({ rows, label }: { rows: CsvReportRow[]; label?: string }) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? rows : rows.filter((row) => row.isProblem);
  return (
    <div className="contacts-import-report" role="group" aria-label={label ?? "Rows of the file"}>
      <div className="contacts-import-toolbar">
        <label>
          <input type="checkbox" checked={showAll} onChange={(event) => setShowAll(event.target.checked)} /> Show every row, not only the
          ones with problems
        </label>
      </div>
      {shown.length === 0 ? (
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
            {shown.slice(0, SHOWN_ROWS).map((row) => (
              <tr key={row.row} className={row.isProblem ? "contacts-import-invalid" : undefined}>
                <td>{row.row}</td>
                <td>{row.result}</td>
                <td>
                  {row.errors.length === 0 ? (
                    "—"
                  ) : (
                    <ul>
                      {row.errors.map((error, index) => (
                        <li key={index}>{problemWords(error)}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown.length > SHOWN_ROWS ? (
        <p className="muted">
          Showing the first {SHOWN_ROWS.toLocaleString()} of {shown.length.toLocaleString()} rows.
        </p>
      ) : null}
    </div>
  );
}
