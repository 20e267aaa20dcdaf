// Decoding request bytes (bodies, query strings, path segments) into strings without losing the
// fact that they were not valid UTF-8. The usual decoders replace a bad byte with U+FFFD, so a
// client's invalid bytes would reach the database as a different, valid text. Here each byte that
// is not part of a well-formed UTF-8 sequence becomes the unpaired low surrogate U+DC80–U+DCFF
// (the "surrogateescape" convention): the string stays a faithful record of the bytes, and the one
// safe-string check (src/http/safe-string.ts) refuses it with the name of the field it landed in.

const fatalDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export type DecodedText = { text: string; wellFormed: boolean };

/** Length of the well-formed UTF-8 sequence starting at `index` (Unicode Table 3-7), or 0. */
function sequenceLength(bytes: Uint8Array, index: number): number {
  const lead = bytes[index]!;
  if (lead < 0x80) return 1;
  const continues = (offset: number, low = 0x80, high = 0xbf): boolean => {
    const byte = bytes[index + offset];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (lead >= 0xc2 && lead <= 0xdf) return continues(1) ? 2 : 0;
  if (lead === 0xe0) return continues(1, 0xa0) && continues(2) ? 3 : 0;
  // 0xED 0xA0–0xBF would encode a surrogate: not UTF-8.
  if (lead === 0xed) return continues(1, 0x80, 0x9f) && continues(2) ? 3 : 0;
  if (lead >= 0xe1 && lead <= 0xef) return continues(1) && continues(2) ? 3 : 0;
  if (lead === 0xf0) return continues(1, 0x90) && continues(2) && continues(3) ? 4 : 0;
  if (lead >= 0xf1 && lead <= 0xf3) return continues(1) && continues(2) && continues(3) ? 4 : 0;
  if (lead === 0xf4) return continues(1, 0x80, 0x8f) && continues(2) && continues(3) ? 4 : 0;
  return 0;
}

/** The bytes as text; invalid UTF-8 bytes become unpaired surrogates and `wellFormed` is false. */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { text: fatalDecoder.decode(bytes), wellFormed: true };
  } catch {
    // Invalid somewhere: decode the valid runs, escape the bytes between them.
  }
  let text = "";
  let start = 0;
  let index = 0;
  while (index < bytes.length) {
    const length = sequenceLength(bytes, index);
    if (length > 0) {
      index += length;
      continue;
    }
    if (start < index) text += fatalDecoder.decode(bytes.subarray(start, index));
    text += String.fromCharCode(0xdc00 | bytes[index]!);
    index += 1;
    start = index;
  }
  if (start < index) text += fatalDecoder.decode(bytes.subarray(start, index));
  return { text, wellFormed: false };
}

function isAscii(value: string): boolean {
  for (let index = 0; index < value.length; index++) if (value.charCodeAt(index) > 0x7f) return false;
  return true;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * A percent-encoded URL component (a query key or value, a path segment) as text, like
 * URLSearchParams (a `%` without two hex digits stays literal; `+` is a space in queries), except
 * that invalid UTF-8 becomes unpaired surrogates instead of U+FFFD.
 */
export function decodeUrlComponent(raw: string, plusIsSpace: boolean): string {
  if (!raw.includes("%") && !(plusIsSpace && raw.includes("+")) && isAscii(raw)) return raw;
  const bytes: number[] = [];
  for (let index = 0; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (code === 0x25 && index + 2 < raw.length && hexValue(raw.charCodeAt(index + 1)) >= 0 && hexValue(raw.charCodeAt(index + 2)) >= 0) {
      bytes.push(hexValue(raw.charCodeAt(index + 1)) * 16 + hexValue(raw.charCodeAt(index + 2)));
      index += 2;
    } else if (code === 0x2b && plusIsSpace) {
      bytes.push(0x20);
    } else if (code < 0x100) {
      // Node hands over a request target's raw bytes as latin1 characters.
      bytes.push(code);
    } else {
      bytes.push(...Buffer.from(String.fromCharCode(code), "utf8"));
    }
  }
  return decodeUtf8(Uint8Array.from(bytes)).text;
}

/**
 * The query string parser of the app (Fastify's `querystringParser`): `a=1&a=2&b` → `{ a: ["1",
 * "2"], b: "" }`, in an object without a prototype, every key and value decoded by
 * decodeUrlComponent so a hostile byte reaches the query schema, which names the field.
 */
export function parseQueryString(query: string): Record<string, string | string[]> {
  const result = Object.create(null) as Record<string, string | string[]>;
  if (query === "") return result;
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = decodeUrlComponent(equals === -1 ? pair : pair.slice(0, equals), true);
    const value = equals === -1 ? "" : decodeUrlComponent(pair.slice(equals + 1), true);
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else result[key] = [existing, value];
  }
  return result;
}
