import { createHmac, timingSafeEqual } from "node:crypto";
import { serverSecret } from "../../crypto/server-secrets.ts";
import type { Services } from "../../services.ts";
import { uuidBytes, uuidOf } from "../messages/media/signed-url.ts";

// Signed download links of subject exports: `/privacy-exports/<token>`, where the token is the
// credential — short-lived (≤ 5 minutes), naming one export of one workspace and the member it was
// issued to (the download is audited as theirs), HMAC-SHA256-signed under a server secret wrapped
// by the KEK. It is issued only to an Owner or Admin who re-authenticated within 5 minutes, and
// never logged (the request log keeps the route pattern, not the URL).

export const EXPORT_LINK_TTL_MS = 5 * 60_000;

// Token bytes: version (1) | workspace (16) | export (16) | user (16) | expiry, Unix seconds (u32) | MAC (16), base64url: 92 characters.
const VERSION = 1;
const BODY_BYTES = 1 + 16 + 16 + 16 + 4;
const MAC_BYTES = 16;
const TOKEN = /^[A-Za-z0-9_-]{92}$/;

function mac(secret: Buffer, body: Buffer): Buffer {
  return createHmac("sha256", secret).update("subject-export-url.v1|").update(body).digest().subarray(0, MAC_BYTES);
}

export type ExportGrant = { workspaceId: string; exportId: string; userId: string; expiresAt: Date };

/** A token for one export, issued to `userId`, valid for `ttlMs` (at most 5 minutes). */
export async function createExportToken(
  services: Services,
  input: { workspaceId: string; exportId: string; userId: string; now?: Date; ttlMs?: number },
): Promise<{ token: string; expiresAt: Date }> {
  const ttlMs = Math.min(input.ttlMs ?? EXPORT_LINK_TTL_MS, EXPORT_LINK_TTL_MS);
  const expiresAtSeconds = Math.floor(((input.now ?? new Date()).getTime() + ttlMs) / 1000);
  const body = Buffer.alloc(BODY_BYTES);
  body.writeUInt8(VERSION, 0);
  uuidBytes(input.workspaceId).copy(body, 1);
  uuidBytes(input.exportId).copy(body, 17);
  uuidBytes(input.userId).copy(body, 33);
  body.writeUInt32BE(expiresAtSeconds, 49);
  const token = Buffer.concat([body, mac(await serverSecret(services, "subject_export_url_key"), body)]).toString("base64url");
  return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
}

/** The grant a token carries, or undefined when it is malformed, forged, expired or too long-lived. */
export async function verifyExportToken(services: Services, token: string, now: Date = new Date()): Promise<ExportGrant | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const bytes = Buffer.from(token, "base64url");
  if (bytes.toString("base64url") !== token) return undefined;
  if (bytes.length !== BODY_BYTES + MAC_BYTES || bytes.readUInt8(0) !== VERSION) return undefined;
  const body = bytes.subarray(0, BODY_BYTES);
  const expected = mac(await serverSecret(services, "subject_export_url_key"), body);
  if (!timingSafeEqual(bytes.subarray(BODY_BYTES), expected)) return undefined;
  const expiresAtMs = body.readUInt32BE(49) * 1000;
  if (expiresAtMs <= now.getTime() || expiresAtMs > now.getTime() + EXPORT_LINK_TTL_MS + 1_000) return undefined;
  return {
    workspaceId: uuidOf(body.subarray(1, 17)),
    exportId: uuidOf(body.subarray(17, 33)),
    userId: uuidOf(body.subarray(33, 49)),
    expiresAt: new Date(expiresAtMs),
  };
}
