import { createHmac, randomBytes } from "node:crypto";

// Signing of outbound deliveries (Standard Webhooks v1, SECURITY.md): `webhook-signature` holds
// `v1,<base64 HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")>`, where the key is the
// base64-decoded part of the endpoint's `whsec_` secret. During a rotation's overlap every delivery
// carries one entry per live secret, space-separated, so receivers that still hold the old secret
// keep verifying. The "meta" format signs like Meta signs to us: `X-Hub-Signature-256:
// sha256=<hex HMAC-SHA256(secret, raw body)>`, keyed with the whole secret string as shown.

export const SECRET_PREFIX = "whsec_";
/** Standard Webhooks asks for 24–64 random bytes; 32 gives a 256-bit HMAC key. */
export const SECRET_BYTES = 32;
export const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

function hmacKey(secret: string): Buffer {
  if (!SECRET_PATTERN.test(secret)) throw new RangeError("not a whsec_ secret");
  return Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
}

/** The `webhook-id` of an event: stable across retries and replays, never containing a dot. */
export function webhookMessageId(eventId: string): string {
  return `msg_${eventId.replaceAll("-", "")}`;
}

/** The `webhook-signature` header value for one attempt, one `v1,` entry per secret. */
export function signStandard(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): string {
  if (messageId.includes(".")) throw new RangeError("a webhook-id must not contain a dot");
  return secrets
    .map((secret) => `v1,${createHmac("sha256", hmacKey(secret)).update(`${messageId}.${timestampSeconds}.${body}`).digest("base64")}`)
    .join(" ");
}

/** The `X-Hub-Signature-256` header value of the "meta" format (the current secret only). */
export function signMeta(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
