import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvParseError, CsvTooManyRecordsError, formatCsvRow, parseCsv, unneutralizeCell } from "../../src/features/contacts/csv.ts";

// The contacts CSV reader and writer: RFC 4180 (quotes, doubled quotes, line breaks inside quotes,
// CRLF), what spreadsheet programs add (a byte order mark, LF or CR line ends), formula
// neutralization on the way out, and a round trip for any table.

const cells = (text: string) => parseCsv(text).map((record) => record.cells);

describe("reading CSV", () => {
  it("reads quoted cells, doubled quotes, separators and line breaks inside quotes", () => {
    expect(cells('phone,name\r\n+4915112345678,"Lovelace, Ada"\r\n+4915112345679,"Say ""hi""\r\nthere"\r\n')).toEqual([
      ["phone", "name"],
      ["+4915112345678", "Lovelace, Ada"],
      ["+4915112345679", 'Say "hi"\r\nthere'],
    ]);
  });

  it("drops a byte order mark and accepts LF, CR and a missing final line break", () => {
    expect(cells("\uFEFFphone,name\n+1,a\r+2,b")).toEqual([
      ["phone", "name"],
      ["+1", "a"],
      ["+2", "b"],
    ]);
  });

  it("keeps empty cells and blank lines, numbering records as a spreadsheet numbers rows", () => {
    const records = parseCsv('a,b\r\n,\r\n\r\n"",x\r\ny,\r\n');
    expect(records).toEqual([
      { row: 1, cells: ["a", "b"] },
      { row: 2, cells: ["", ""] },
      { row: 3, cells: [""] },
      { row: 4, cells: ["", "x"] },
      { row: 5, cells: ["y", ""] },
    ]);
    expect(parseCsv("")).toEqual([]);
  });

  it("keeps a quote inside an unquoted cell as text", () => {
    expect(cells('a,5" screen\r\n')).toEqual([["a", '5" screen']]);
  });

  it("refuses an unterminated quote and text after a closing quote, naming the row", () => {
    expect(() => parseCsv('a\r\n"open\r\nrest')).toThrow(CsvParseError);
    expect(() => parseCsv('a\r\n"open\r\nrest')).toThrow(/Row 2/);
    expect(() => parseCsv('a,b\r\n"x"y,z')).toThrow(/Row 2: there is text after a closing quote/);
  });

  it("stops at the record limit", () => {
    expect(() => parseCsv("a\nb\nc\n", { maxRecords: 2 })).toThrow(CsvTooManyRecordsError);
    expect(parseCsv("a\nb\n", { maxRecords: 2 })).toHaveLength(2);
  });
});

describe("writing CSV", () => {
  it.each([
    ['=HYPERLINK("https://evil.example","click")', `"'=HYPERLINK(""https://evil.example"",""click"")"`],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", `"'\r=1+1"`],
    ["plain", "plain"],
    ["a,b", '"a,b"'],
  ])("neutralizes and quotes %j", (value, expected) => {
    expect(formatCsvRow([value])).toBe(`${expected}\r\n`);
  });

  it("round-trips any table through the reader (formula cells read back with their leading quote)", () => {
    const value = fc.oneof(fc.string(), fc.constantFrom("=1+1", "+49", "-1", "@x", "\tx", "\rx", '"', ",", "\r\n", "'=already"));
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (table) => {
        const text = table.map((row) => formatCsvRow(row)).join("");
        const read = cells(text);
        const neutralized = table.map((row) => row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)));
        expect(read).toEqual(neutralized);
        // Undoing the neutralization gives the original values back (except ones that began with a quote and a formula character).
        const original = table.map((row) => row.map((cell) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell)));
        expect(read.map((row) => row.map(unneutralizeCell))).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });
});
