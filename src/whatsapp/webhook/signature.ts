import { createHmac, timingSafeEqual } from "node:crypto";

// Meta signs each webhook POST with HMAC-SHA256 over the exact body bytes, keyed by the app secret
// (reference/cloud-api.md §2). Only the exact bytes verify: re-serialised JSON does not.

const SIGNATURE_HEADER = /^sha256=([0-9a-f]{64})$/;

/** True only for a well-formed `sha256=<64 lowercase hex>` header that matches, compared in constant time. */
export function isValidWebhookSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  const match = header === undefined ? null : SIGNATURE_HEADER.exec(header.trim());
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  // A missing or malformed header still costs one comparison, against a value that cannot match.
  const given = match ? Buffer.from(match[1]!, "hex") : Buffer.alloc(expected.length);
  return timingSafeEqual(expected, given) && match !== null;
}

/** Compares two strings in time independent of where they differ (both are hashed to equal length first). */
export function constantTimeEquals(a: string, b: string): boolean {
  const key = "parley constant-time compare";
  const left = createHmac("sha256", key).update(a, "utf8").digest();
  const right = createHmac("sha256", key).update(b, "utf8").digest();
  return timingSafeEqual(left, right);
}
