import { createHmac, timingSafeEqual } from "node:crypto";
import { serverSecret } from "../../../crypto/server-secrets.ts";
import type { Services } from "../../../services.ts";

// Signed media URLs: `/media/<token>` where the token is the credential — short-lived (≤ 5 min),
// naming one message of one workspace, and HMAC-SHA256-signed under a server secret wrapped by the
// KEK (like the CSRF secret). Whoever holds the URL may fetch those bytes until it expires, so it
// is issued only after the caller's access to the message was checked, and never logged.

export const MEDIA_URL_TTL_MS = 5 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function mediaUrlSecret(services: Services): Promise<Buffer> {
  return serverSecret(services, "media_url_hmac_key");
}

// Token bytes: version (1) | workspace id (16) | message id (16) | expiry, Unix seconds (u32) | MAC (16),
// base64url — 71 characters, inside Fastify's 100-character limit on a path parameter.
const VERSION = 1;
const BODY_BYTES = 1 + 16 + 16 + 4;
const MAC_BYTES = 16;
const TOKEN = /^[A-Za-z0-9_-]{71}$/;

function mac(secret: Buffer, body: Buffer): Buffer {
  return createHmac("sha256", secret).update("media-url.v1|").update(body).digest().subarray(0, MAC_BYTES);
}

/** A uuid as its 16 bytes (the tokens carry ids in binary to stay short). */
export function uuidBytes(uuid: string): Buffer {
  if (!UUID.test(uuid)) throw new RangeError("not a uuid");
  return Buffer.from(uuid.replaceAll("-", ""), "hex");
}

export function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type MediaGrant = { workspaceId: string; messageId: string; expiresAt: Date };

/** A token for one message's media, valid for `ttlMs` (at most 5 minutes). */
export async function createMediaToken(
  services: Services,
  input: { workspaceId: string; messageId: string; now?: Date; ttlMs?: number },
): Promise<{ token: string; expiresAt: Date }> {
  const ttlMs = Math.min(input.ttlMs ?? MEDIA_URL_TTL_MS, MEDIA_URL_TTL_MS);
  const expiresAtSeconds = Math.floor(((input.now ?? new Date()).getTime() + ttlMs) / 1000);
  const body = Buffer.alloc(BODY_BYTES);
  body.writeUInt8(VERSION, 0);
  uuidBytes(input.workspaceId).copy(body, 1);
  uuidBytes(input.messageId).copy(body, 17);
  body.writeUInt32BE(expiresAtSeconds, 33);
  const token = Buffer.concat([body, mac(await mediaUrlSecret(services), body)]).toString("base64url");
  return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
}

/** The grant a token carries, or undefined when it is malformed, forged, expired or too long-lived. */
export async function verifyMediaToken(services: Services, token: string, now: Date = new Date()): Promise<MediaGrant | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const bytes = Buffer.from(token, "base64url");
  // One spelling per token: base64url's unused trailing bits must not make a second valid URL.
  if (bytes.toString("base64url") !== token) return undefined;
  if (bytes.length !== BODY_BYTES + MAC_BYTES || bytes.readUInt8(0) !== VERSION) return undefined;
  const body = bytes.subarray(0, BODY_BYTES);
  const expected = mac(await mediaUrlSecret(services), body);
  if (!timingSafeEqual(bytes.subarray(BODY_BYTES), expected)) return undefined;
  const expiresAtMs = body.readUInt32BE(33) * 1000;
  // A validly signed token still may not outlive the TTL (+1 s of rounding) from now.
  if (expiresAtMs <= now.getTime() || expiresAtMs > now.getTime() + MEDIA_URL_TTL_MS + 1_000) return undefined;
  return { workspaceId: uuidOf(body.subarray(1, 17)), messageId: uuidOf(body.subarray(17, 33)), expiresAt: new Date(expiresAtMs) };
}
