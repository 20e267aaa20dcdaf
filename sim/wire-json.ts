// Meta's webhook and Graph bodies are PHP-style JSON: compact, "/" escaped as "\/", and every
// non-ASCII code unit escaped as a lowercase \uXXXX. Signatures are computed over these exact
// bytes, so a receiver that re-serialises with JSON.stringify gets a different HMAC — the
// simulator must reproduce the form to catch that bug in clients.

const NON_ASCII = /[\u0080-\uffff]/g;

function escapeCodeUnit(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

export function serializeWireJson(value: unknown): string {
  const compact = JSON.stringify(value);
  if (compact === undefined) throw new TypeError("value is not serialisable as JSON");
  // "/" can only occur inside string literals in JSON text, never inside an escape sequence,
  // so a global replace is safe. JSON.stringify already escapes lone surrogates in lowercase.
  return compact.replaceAll("/", "\\/").replace(NON_ASCII, escapeCodeUnit);
}
