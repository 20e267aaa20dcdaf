// CSV for the audit export: RFC 4180 quoting, and neutralized formulas. A cell beginning with
// = + - @ TAB or CR is run as a formula by spreadsheet programs (CSV injection), so it gets a
// leading single quote, which makes them show it as text (OWASP "CSV Injection").

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | boolean | null | undefined;

export function toCsvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows joined with CRLF (RFC 4180), header first, ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(toCsvCell).join(",")).join("\r\n") + "\r\n";
}
