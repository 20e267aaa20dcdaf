// Opt-out and opt-in keywords: what a contact writes, alone in a message, to stop marketing
// messages (STOP, إلغاء…) or to ask for them again (START…). WhatsApp leaves keyword replies to
// the business (reference/messaging-and-integrations.md §2.4), so Parley honours them itself.
//
// A message and a keyword are compared after the same normalization: Unicode NFKC, case-folded,
// trimmed, inner whitespace collapsed, punctuation around the word dropped ("Stop!" is STOP),
// invisible marks removed (zero-width and direction marks), and Arabic spelling variants made one:
// alef with hamza or madda (أ إ آ ٱ) is bare alef, hamza on waw or yeh (ؤ ئ) is waw or yeh, alef
// maksura (ى) is yeh, tatweel (ـ) and diacritics (harakat, shadda, sukun, superscript alef) go.
// So إلغاء, الغاء and الـغـاء are the same keyword.

export const MAX_KEYWORDS = 50;
export const MAX_KEYWORD_LENGTH = 64;

export type ConsentKeywords = { optOut: string[]; optIn: string[] };

/** The keywords of a workspace that has not set its own. */
export const DEFAULT_KEYWORDS: ConsentKeywords = {
  optOut: ["stop", "unsubscribe", "الغاء", "ايقاف", "الغاء الاشتراك", "توقف"],
  optIn: ["start", "subscribe", "ابدا", "اشتراك"],
};

const INVISIBLE = /[\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const TATWEEL = /\u0640/g;
const ARABIC_DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]/g;
const ALEF_FORMS = /[\u0622\u0623\u0625\u0671\u0672\u0673]/g;
const EDGE_PUNCTUATION = /^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu;

/** The comparable form of a keyword or a message's text. */
export function normalizeKeyword(text: string): string {
  return text
    .normalize("NFKC")
    .replace(INVISIBLE, "")
    .replace(TATWEEL, "")
    .replace(ARABIC_DIACRITICS, "")
    .replace(ALEF_FORMS, "\u0627")
    .replace(/\u0624/g, "\u0648")
    .replace(/\u0626/g, "\u064A")
    .replace(/\u0649/g, "\u064A")
    .toLowerCase()
    .replace(/\s+/gu, " ")
    .replace(EDGE_PUNCTUATION, "");
}

export type KeywordMatch = "opt_out" | "opt_in" | null;

/** Whether a message is only an opt-out or an opt-in keyword (longer texts never are). */
export function matchKeyword(text: string, keywords: ConsentKeywords): KeywordMatch {
  // A keyword is short: a long message is a conversation, not a request (and is not normalized).
  if (text.length > MAX_KEYWORD_LENGTH * 4) return null;
  const normalized = normalizeKeyword(text);
  if (normalized.length === 0) return null;
  if (keywords.optOut.includes(normalized)) return "opt_out";
  if (keywords.optIn.includes(normalized)) return "opt_in";
  return null;
}

export type KeywordProblem = { path: ["optOut" | "optIn", number]; message: string };

/**
 * Normalizes a workspace's keyword lists for storage: each keyword normalized, duplicates dropped,
 * order kept. Problems: an empty keyword, one too long, or a word in both lists.
 */
export function prepareKeywords(input: ConsentKeywords): { keywords: ConsentKeywords; problems: KeywordProblem[] } {
  const problems: KeywordProblem[] = [];
  const prepare = (list: string[], name: "optOut" | "optIn") => {
    const seen = new Set<string>();
    list.forEach((raw, index) => {
      const keyword = normalizeKeyword(raw);
      if (keyword.length === 0) problems.push({ path: [name, index], message: "A keyword needs at least one letter or digit." });
      else if (keyword.length > MAX_KEYWORD_LENGTH)
        problems.push({ path: [name, index], message: `A keyword has at most ${MAX_KEYWORD_LENGTH} characters.` });
      else seen.add(keyword);
    });
    return [...seen];
  };
  const optOut = prepare(input.optOut, "optOut");
  const optIn = prepare(input.optIn, "optIn");
  input.optIn.forEach((raw, index) => {
    if (optOut.includes(normalizeKeyword(raw)))
      problems.push({ path: ["optIn", index], message: "This word is also an opt-out keyword; a word can be in one list only." });
  });
  return { keywords: { optOut, optIn }, problems };
}
