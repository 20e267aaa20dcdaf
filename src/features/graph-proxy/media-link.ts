import { createHmac, timingSafeEqual } from "node:crypto";
import { serverSecret } from "../../crypto/server-secrets.ts";
import type { Services } from "../../services.ts";
import { MEDIA_URL_TTL_MS, uuidBytes, uuidOf } from "../messages/media/signed-url.ts";

// Download links the proxy hands out for media Parley has not stored (an upload not sent yet, a
// media id a client got elsewhere): `/graph/media/<token>`, where the token names one Meta media id
// of one number of one workspace for at most 5 minutes (Meta's own URLs last 5 minutes too), signed
// like the message media links (./../messages/media/signed-url.ts) under the same server secret
// with its own domain label, so one kind of token can never pass for the other. The download
// route fetches the bytes from Meta with the number's token: the client's Parley key never leaves
// Parley, and Meta's URL (which embeds an access hash) never reaches the client.

const MEDIA_ID = /^[0-9A-Za-z_-]{1,64}$/;
const VERSION = 1;
const HEAD_BYTES = 1 + 16 + 16 + 4 + 1;
const MAC_BYTES = 16;
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

export type MediaLinkGrant = { workspaceId: string; numberId: string; mediaId: string; expiresAt: Date };

function mac(secret: Buffer, body: Buffer): Buffer {
  return createHmac("sha256", secret).update("graph-proxy-media.v1|").update(body).digest().subarray(0, MAC_BYTES);
}

export async function createMediaLinkToken(
  services: Services,
  input: { workspaceId: string; numberId: string; mediaId: string; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  if (!MEDIA_ID.test(input.mediaId)) throw new RangeError("not a media id");
  const expiresAtSeconds = Math.floor(((input.now ?? new Date()).getTime() + MEDIA_URL_TTL_MS) / 1000);
  const mediaId = Buffer.from(input.mediaId, "ascii");
  const head = Buffer.alloc(HEAD_BYTES);
  head.writeUInt8(VERSION, 0);
  uuidBytes(input.workspaceId).copy(head, 1);
  uuidBytes(input.numberId).copy(head, 17);
  head.writeUInt32BE(expiresAtSeconds, 33);
  head.writeUInt8(mediaId.length, 37);
  const body = Buffer.concat([head, mediaId]);
  const token = Buffer.concat([body, mac(await serverSecret(services, "media_url_hmac_key"), body)]).toString("base64url");
  return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
}

/** The grant of a token, or undefined when it is malformed, forged or expired. */
export async function verifyMediaLinkToken(services: Services, token: string, now: Date = new Date()): Promise<MediaLinkGrant | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const bytes = Buffer.from(token, "base64url");
  if (bytes.toString("base64url") !== token || bytes.length < HEAD_BYTES + 1 + MAC_BYTES || bytes.readUInt8(0) !== VERSION)
    return undefined;
  const length = bytes.readUInt8(37);
  if (bytes.length !== HEAD_BYTES + length + MAC_BYTES) return undefined;
  const body = bytes.subarray(0, HEAD_BYTES + length);
  if (!timingSafeEqual(bytes.subarray(HEAD_BYTES + length), mac(await serverSecret(services, "media_url_hmac_key"), body)))
    return undefined;
  const expiresAtMs = body.readUInt32BE(33) * 1000;
  if (expiresAtMs <= now.getTime() || expiresAtMs > now.getTime() + MEDIA_URL_TTL_MS + 1_000) return undefined;
  const mediaId = body.subarray(HEAD_BYTES).toString("ascii");
  if (!MEDIA_ID.test(mediaId)) return undefined;
  return { workspaceId: uuidOf(body.subarray(1, 17)), numberId: uuidOf(body.subarray(17, 33)), mediaId, expiresAt: new Date(expiresAtMs) };
}
