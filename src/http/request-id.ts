import { pooledRandomBytes } from "../crypto/random-pool.ts";
import { scrubText } from "../log/scrub.ts";

// Request ids correlate a client's report with the log line of its request. An incoming id (from a
// proxy or a client) is kept only when it cannot carry anything harmful into a log or a header — a
// short run of plain characters, no spaces, no CR/LF — and when the log scrubber would leave it
// intact: an id shaped like a phone number or a secret is both suspicious and useless in the logs.
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * 16 base64url characters (96 bits). Deliberately shorter than 32 characters: the log scrubber
 * treats longer opaque strings as secrets and would redact the id.
 */
export function generateRequestId(): string {
  return pooledRandomBytes(12).toString("base64url");
}

export function resolveRequestId(incoming: string | string[] | undefined): string {
  const isUsable = typeof incoming === "string" && REQUEST_ID_PATTERN.test(incoming) && scrubText(incoming) === incoming;
  return isUsable ? incoming : generateRequestId();
}
