import { createHash, randomUUID } from "node:crypto";
import type { Tx } from "../../../db/database.ts";
import { AppError } from "../../../errors.ts";
import { withVisibleConversation } from "../../conversations/service.ts";
import type { Caller } from "../../../identity/caller.ts";
import type { Services } from "../../../services.ts";
import type { MediaType } from "../../../whatsapp/inbound/payload.ts";
import { sealMedia } from "./cipher.ts";
import { mediaBlobKey } from "./fetch.ts";
import { insertMediaUpload, lockMediaUpload, markMediaUploadUsed } from "./repository.ts";
import { baseMimeType, checkMedia, MEDIA_LIMITS } from "../../../whatsapp/media/limits.ts";

// Outbound media, step 1 of 2: a member uploads a file for a conversation. Design: the bytes are
// sealed at once exactly like inbound media (a fresh content key wrapped by the conversation's
// contact's data key, AAD bound to workspace, message and blob key — src/features/messages/media/cipher.ts)
// and kept in the blob store; Meta never sees them until a message is sent. The upload's id is
// reserved as the id of the message that will carry it, so the sealed blob is already bound to
// that message and the media-url route serves it back like any other message's media. When the
// message is sent, the send worker opens the blob and uploads it to the number's Graph endpoint
// (POST /{phone-number-id}/media, §9) — which the simulator implements too — and sends by that
// media id (src/features/messages/upload-media.ts). Nothing is ever stored in clear, and erasing the
// contact shreds the key of every upload made for them. An upload never sent expires after the
// retention period (./upload-expiry.ts).

/** Every MIME type Meta accepts for some media message (§9); the upload route takes exactly these. */
export const UPLOAD_MIME_TYPES: readonly string[] = [...new Set(Object.values(MEDIA_LIMITS).flatMap((limits) => limits.mimeTypes))];

/** The largest file any type allows (documents, 100 MB): the route's body limit. */
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(MEDIA_LIMITS).map((limits) => limits.maxBytes));

/** The message type a file of this MIME type is sent as (types do not overlap: webp is a sticker). */
export function mediaTypeOf(mimeType: string): MediaType | undefined {
  const base = baseMimeType(mimeType);
  return (Object.keys(MEDIA_LIMITS) as MediaType[]).find((type) => MEDIA_LIMITS[type].mimeTypes.includes(base));
}

/** 5 MB, 500 KB: the limits as people read them. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

export type StoredUpload = { id: string; conversationId: string; type: MediaType; mimeType: string; sizeBytes: number; createdAt: Date };

function requireBlobs(services: Services) {
  if (!services.blobs) throw new Error("no blob store is configured (services.blobs)");
  return services.blobs;
}

/**
 * Checks a file against Meta's limits for its type, seals it under the contact's data key and
 * stores it. The conversation must be one the caller may read (Agents: assigned to them).
 */
export async function storeUpload(
  services: Services,
  caller: Caller,
  conversationId: string,
  contentType: string,
  bytes: Buffer,
): Promise<StoredUpload> {
  const blobs = requireBlobs(services);
  const mimeType = baseMimeType(contentType);
  const type = mediaTypeOf(mimeType);
  if (!type) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "WhatsApp does not accept this kind of file.");
  if (bytes.length === 0) throw new AppError("UNPROCESSABLE", "The file is empty.", { details: { reason: "media_empty" } });
  const verdict = checkMedia(type, mimeType, bytes.length);
  if (!verdict.allowed) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `The file is too large: WhatsApp takes ${type} files up to ${formatBytes(MEDIA_LIMITS[type].maxBytes)}.`,
      {
        details: { reason: "media_too_large", maxBytes: MEDIA_LIMITS[type].maxBytes },
      },
    );
  }
  const id = randomUUID();
  const blobKey = mediaBlobKey(caller.workspaceId, id);
  const createdAt = new Date();
  await withVisibleConversation(services, caller, conversationId, async (trx, conversation) => {
    const sealed = await sealMedia(
      trx,
      services.keyring,
      { workspaceId: caller.workspaceId, messageId: id, blobKey, dataKeyId: conversation.contactDataKeyId },
      bytes,
    );
    // Written before the row: a crash in between leaves an unreferenced (and sealed) blob, never a
    // row pointing at nothing.
    await blobs.put(blobKey, sealed);
    await insertMediaUpload(trx, caller.workspaceId, {
      id,
      conversationId,
      contactId: conversation.contactId,
      uploadedByUserId: caller.audit.type === "user" ? caller.userId : null,
      mediaType: type,
      mimeType,
      sizeBytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      blobKey,
      createdAt,
    });
  });
  return { id, conversationId, type, mimeType, sizeBytes: bytes.length, createdAt };
}

/** The message columns for a send carrying an upload (see claimUpload). */
export type ClaimedUpload = {
  id: string;
  media_blob_key: string;
  media_mime_type: string;
  media_size: number;
  media_sha256: string;
  media_status: "stored";
};

function refuse(reason: string, message: string): AppError {
  return new AppError("UNPROCESSABLE", message, { details: { reason } });
}

/**
 * For the send API, inside its transaction: takes an upload for a message of `type` in
 * `conversationId`, once. The message is then written with the upload's id and stored blob.
 */
export async function claimUpload(
  trx: Tx,
  workspaceId: string,
  input: { uploadId: string; conversationId: string; type: string; now: Date },
): Promise<ClaimedUpload> {
  const upload = await lockMediaUpload(trx, workspaceId, input.uploadId);
  if (!upload || upload.conversation_id !== input.conversationId) {
    throw refuse("upload_unknown", "The uploaded file does not exist or belongs to another conversation; upload it again here.");
  }
  if (upload.used_at !== null) throw refuse("upload_used", "This uploaded file was already sent; upload it again to send it once more.");
  if (upload.media_type !== input.type)
    throw refuse(
      "upload_type_mismatch",
      `The uploaded file is ${upload.media_type === "image" ? "an" : "a"} ${upload.media_type}, not ${input.type === "image" ? "an" : "a"} ${input.type}.`,
    );
  await markMediaUploadUsed(trx, workspaceId, upload.id, input.now);
  return {
    id: upload.id,
    media_blob_key: upload.blob_key,
    media_mime_type: upload.mime_type,
    media_size: Number(upload.size_bytes),
    media_sha256: upload.sha256,
    media_status: "stored",
  };
}
