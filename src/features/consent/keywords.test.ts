import { describe, expect, it } from "vitest";
import { DEFAULT_KEYWORDS, matchKeyword, normalizeKeyword, prepareKeywords } from "./keywords.ts";

// Opt-out keywords are compared after one normalization (case, spaces, punctuation around the word,
// invisible marks, Arabic alef/hamza forms, alef maksura, tatweel and diacritics), and a message
// counts only when it is the keyword alone.

describe("normalizeKeyword", () => {
  const table: Array<[string, string]> = [
    ["STOP", "stop"],
    ["  Stop  ", "stop"],
    ["stop!", "stop"],
    ["¡STOP!", "stop"],
    ["Stop.", "stop"],
    ["UNSUBSCRIBE", "unsubscribe"],
    ["Ｓｔｏｐ", "stop"], // full-width letters (NFKC)
    ["st\u200Bop", "stop"], // zero-width space inside
    ["\u200Fstop\u200E", "stop"], // direction marks around
    ["opt   out", "opt out"],
    ["إلغاء", "الغاء"], // alef with hamza below
    ["الغاء", "الغاء"],
    ["ألغاء", "الغاء"], // alef with hamza above
    ["آلغاء", "الغاء"], // alef with madda
    ["الـغـاء", "الغاء"], // tatweel
    ["إِلْغَاء", "الغاء"], // diacritics
    ["إيقاف", "ايقاف"],
    ["ايقاف", "ايقاف"],
    ["ايـقـاف!", "ايقاف"],
    ["إلغاء الاشتراك", "الغاء الاشتراك"],
    ["ابدأ", "ابدا"],
    ["توقّف", "توقف"], // shadda
    ["مستشفى", "مستشفي"], // alef maksura → yeh
    ["سؤال", "سوال"], // hamza on waw
    ["  ", ""],
    ["!!!", ""],
  ];
  it.each(table)("%j → %j", (input, expected) => {
    expect(normalizeKeyword(input)).toBe(expected);
  });
});

describe("matchKeyword with the defaults", () => {
  const table: Array<[string, "opt_out" | "opt_in" | null]> = [
    ["STOP", "opt_out"],
    [" stop ", "opt_out"],
    ["Stop!", "opt_out"],
    ["Unsubscribe", "opt_out"],
    ["إلغاء", "opt_out"],
    ["الغاء", "opt_out"],
    ["ايقاف", "opt_out"],
    ["إيقاف", "opt_out"],
    ["الـغـاء", "opt_out"],
    ["START", "opt_in"],
    ["start", "opt_in"],
    ["ابدأ", "opt_in"],
    ["please stop", null],
    ["stop sending me offers", null],
    ["stopp", null],
    ["hello", null],
    ["", null],
    ["stop ".repeat(100), null],
  ];
  it.each(table)("%j → %s", (text, expected) => {
    expect(matchKeyword(text, DEFAULT_KEYWORDS)).toBe(expected);
  });
});

describe("prepareKeywords", () => {
  it("normalizes, drops duplicates and keeps the order", () => {
    expect(prepareKeywords({ optOut: ["STOP", " stop ", "إلغاء", "Basta"], optIn: ["Start"] })).toEqual({
      keywords: { optOut: ["stop", "الغاء", "basta"], optIn: ["start"] },
      problems: [],
    });
  });

  it("names empty, too long and duplicated words by their place, never repeating them", () => {
    const { problems } = prepareKeywords({ optOut: ["stop", "!!", "x".repeat(65)], optIn: ["STOP"] });
    expect(problems.map((problem) => problem.path)).toEqual([
      ["optOut", 1],
      ["optOut", 2],
      ["optIn", 0],
    ]);
    expect(JSON.stringify(problems)).not.toContain("xxxx");
  });
});
