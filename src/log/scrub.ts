// Free-text scrubbing for log output. Redaction paths only catch keys we name; this catches the
// values we never want in a log wherever they hide: message text, error messages, unexpected keys.

const REDACTED = "[Redacted]";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Identifiers (UUIDs) are what logs should carry instead of personal data: keep them. */
function redactUnlessUuid(match: string): string {
  return UUID.test(match) ? match : REDACTED;
}

const patterns: Array<[RegExp, string | ((match: string) => string)]> = [
  // Bearer / Basic credentials in headers echoed into messages.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // JSON Web Tokens.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Parley API keys, Meta access tokens.
  [/\bpk_[A-Za-z0-9]+_[A-Za-z0-9_-]+/g, REDACTED],
  [/\bEAA[A-Za-z0-9]{16,}/g, REDACTED],
  // Key material and other long opaque secrets (base64, base64url, hex).
  [/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/_-])/g, redactUnlessUuid],
  // E-mail addresses.
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, REDACTED],
  // Phone numbers: 7–15 digits with optional + and separators, not part of a longer word or id.
  [/(?<![\w-])\+?\d(?:[\s().-]?\d){6,14}(?![\w-])/g, REDACTED],
];

export function scrubText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of patterns) {
    result = typeof replacement === "string" ? result.replace(pattern, replacement) : result.replace(pattern, replacement);
  }
  return result;
}

/** Scrubs every string inside a value (objects, arrays, errors), leaving structure intact. */
export function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  if (value instanceof Date) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[scrubText(key)] = scrubDeep(item, depth + 1);
  if (value instanceof Error) {
    result.type = value.name;
    result.message = scrubText(value.message);
    if (value.stack) result.stack = scrubText(value.stack);
  }
  return result;
}
