import { toCsvCell, type CsvValue } from "../../audit/csv.ts";

// CSV for contact import and export (RFC 4180). Writing reuses the audit export's cell encoder,
// which neutralizes formulas (a cell starting with = + - @ TAB or CR gets a leading single quote,
// OWASP "CSV Injection") and quotes per RFC 4180. Reading accepts what spreadsheet programs write:
// a UTF-8 byte order mark, quoted fields with doubled quotes, line breaks inside quotes, and CRLF,
// LF or CR line ends.

export type CsvRecord = {
  /** 1-based position of the record in the file (the header is 1): the row number a spreadsheet shows. */
  row: number;
  cells: string[];
};

/** The file cannot be read as CSV at all (an unterminated quote, text after a closing quote). */
export class CsvParseError extends Error {
  readonly row: number;
  constructor(row: number, message: string) {
    super(message);
    this.name = "CsvParseError";
    this.row = row;
  }
}

/** Thrown by parseCsv when the file has more records than `maxRecords`. */
export class CsvTooManyRecordsError extends Error {
  constructor(readonly maxRecords: number) {
    super(`more than ${maxRecords} records`);
    this.name = "CsvTooManyRecordsError";
  }
}

const BOM = "\uFEFF";

/**
 * Parses RFC 4180 CSV. Every record is returned, blank ones included (a blank line is one empty
 * cell), so callers can number rows exactly as the file does; a final line break does not start
 * another record. A quote inside an unquoted field is kept as text (as spreadsheet programs do).
 */
export function parseCsv(text: string, options: { maxRecords?: number } = {}): CsvRecord[] {
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let index = 0;
  const length = input.length;
  if (length === 0) return records;

  const endRecord = () => {
    cells.push(cell);
    if (records.length >= maxRecords) throw new CsvTooManyRecordsError(maxRecords);
    records.push({ row: records.length + 1, cells });
    cells = [];
    cell = "";
  };

  while (index < length) {
    if (cell === "" && input[index] === '"') {
      // A quoted field: runs to the next quote that is not doubled.
      const row = records.length + 1;
      index += 1;
      let closed = false;
      while (index < length) {
        const next = input.indexOf('"', index);
        if (next === -1) break;
        cell += input.slice(index, next);
        if (input[next + 1] === '"') {
          cell += '"';
          index = next + 2;
          continue;
        }
        index = next + 1;
        closed = true;
        break;
      }
      if (!closed) throw new CsvParseError(row, `Row ${row}: a quoted cell is never closed (a " is missing).`);
      const after = input[index];
      if (after !== undefined && after !== "," && after !== "\r" && after !== "\n") {
        throw new CsvParseError(row, `Row ${row}: there is text after a closing quote; a quote inside a quoted cell must be doubled ("").`);
      }
      // Marks the cell as started even when it was "" (so a following quote is not a new field).
      if (after === ",") {
        cells.push(cell);
        cell = "";
        index += 1;
        if (index === length) endRecord();
      } else if (after === undefined) {
        endRecord();
      }
      continue;
    }
    const char = input[index]!;
    if (char === ",") {
      cells.push(cell);
      cell = "";
      index += 1;
      if (index === length) endRecord();
    } else if (char === "\r" || char === "\n") {
      endRecord();
      index += char === "\r" && input[index + 1] === "\n" ? 2 : 1;
    } else {
      // Up to the next delimiter in one step.
      let end = index;
      while (end < length) {
        const c = input.charCodeAt(end);
        if (c === 44 || c === 13 || c === 10) break;
        end += 1;
      }
      cell += input.slice(index, end);
      index = end;
      if (index === length) endRecord();
    }
  }
  return records;
}

/** One CSV line (ending in CRLF): formulas neutralized, quoted per RFC 4180. */
export function formatCsvRow(cells: readonly CsvValue[]): string {
  return `${cells.map(toCsvCell).join(",")}\r\n`;
}

/**
 * Undoes the export's formula neutralization for one cell: `'=x` reads back as `=x`, `'+49…` as
 * `+49…`. So a file Parley exported imports unchanged. A value that really starts with a quote
 * followed by one of those characters loses the quote (the export could not tell them apart either).
 */
export function unneutralizeCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
