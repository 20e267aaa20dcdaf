import { createHmac, timingSafeEqual } from "node:crypto";

// X-Hub-Signature-256: HMAC-SHA256 with the app secret over the exact body bytes, lowercase hex.
export function signWebhookBody(appSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

// Legacy X-Hub-Signature (sha1); only sent when asked for (whether Meta still sends it is unverified).
export function signWebhookBodySha1(appSecret: string, body: string | Buffer): string {
  return `sha1=${createHmac("sha1", appSecret).update(body).digest("hex")}`;
}

export function verifyWebhookSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const expected = Buffer.from(signWebhookBody(appSecret, rawBody), "utf8");
  const given = Buffer.from(header, "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
