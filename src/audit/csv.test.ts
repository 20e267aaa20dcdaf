import { describe, expect, it } from "vitest";
import { toCsv, toCsvCell } from "./csv.ts";

describe("audit CSV", () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', '"\'=HYPERLINK(""http://evil.example"",""x"")"'],
    ["=1+2", "'=1+2"],
    ["+1+2", "'+1+2"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\r=1", '"\'\r=1"'],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ])("neutralizes the formula %j", (input, expected) => {
    expect(toCsvCell(input)).toBe(expected);
  });

  it("quotes per RFC 4180 and leaves plain values alone", () => {
    expect(toCsvCell("plain")).toBe("plain");
    expect(toCsvCell("a,b")).toBe('"a,b"');
    expect(toCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(toCsvCell("two\nlines")).toBe('"two\nlines"');
    expect(toCsvCell("1+1")).toBe("1+1");
    expect(toCsvCell(42)).toBe("42");
    expect(toCsvCell(-1)).toBe("'-1");
    expect(toCsvCell(null)).toBe("");
    expect(toCsvCell(undefined)).toBe("");
    expect(toCsvCell(true)).toBe("true");
  });

  it("joins rows with CRLF, header first", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          ["1", "=x"],
          [null, "y,z"],
        ],
      ),
    ).toBe('a,b\r\n1,\'=x\r\n,"y,z"\r\n');
  });
});
