import { DecryptionError } from "../../crypto/aead.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { messageContentField } from "./repository.ts";
import { findPendingUpload, lockUploadedContent, markMessageFailed, setUploadedMedia } from "./send-repository.ts";
import { loadNumberCredentials } from "../numbers/repository.ts";
import type { Logger } from "../../log/logger.ts";
import type { Services } from "../../services.ts";
import { createGraphClient, GraphError, type FetchLike } from "../../whatsapp/graph-client.ts";
import { openMedia } from "./media/cipher.ts";
import { classifyGraphError, describeGraphError } from "../../whatsapp/send/outcomes.ts";

// Outbound media, step 2 of 2 (step 1: src/features/messages/media/upload.ts). Before a message carrying a
// Parley upload is sent, the worker opens its sealed blob and uploads the bytes to the number
// (POST /{phone-number-id}/media, reference/cloud-api.md §9); Meta's media id then goes into the
// stored content (re-encrypted) and `media_id`, so the send names it like any media id and a
// retried send reuses it. Uploading is not sending: doing it twice after a crash only leaves an
// unused media object at Meta (deleted by Meta after 30 days), never a second message.

export type UploadTransport = { graphBaseUrl: string; graphApiVersion: string; fetch?: FetchLike | undefined };

/** Uploads can be large (documents up to 100 MB): a longer timeout than other Graph calls. */
const UPLOAD_TIMEOUT_MS = 120_000;

/**
 * Makes sure the message's uploaded file is at Meta. Answers false when the message cannot be sent
 * (and was marked failed with the reason); throws to have the job retried when Meta or the network
 * failed in a way a retry can fix.
 */
export async function uploadPendingMedia(
  services: Services,
  transport: UploadTransport,
  job: { workspaceId: string; messageId: string },
  log: Logger,
): Promise<boolean> {
  const { workspaceId, messageId } = job;
  const blobs = services.blobs;
  if (!blobs) throw new Error("no blob store is configured (services.blobs)");
  const pending = await withWorkspace(services.db, { workspaceId }, async (trx) => {
    const row = await findPendingUpload(trx, workspaceId, messageId);
    if (!row || row.status !== "queued" || row.media_id !== null || row.media_blob_key === null || row.media_mime_type === null)
      return null;
    const credentials = await loadNumberCredentials(trx, services.keyring, workspaceId, row.number_id);
    if (!credentials) return null;
    const blob = await blobs.get(row.media_blob_key);
    let bytes: Buffer | null = null;
    let filename = row.type;
    try {
      if (blob) bytes = await openMedia(trx, services.keyring, { workspaceId, messageId, blobKey: row.media_blob_key }, blob);
      if (row.content_ciphertext !== null) {
        const content = JSON.parse(
          await services.keyring.decrypt(trx, messageContentField(workspaceId, messageId), row.content_ciphertext),
        ) as { filename?: unknown };
        if (typeof content.filename === "string") filename = content.filename;
      }
    } catch (error) {
      // The contact was erased meanwhile: nothing is left to send.
      if (!(error instanceof DecryptionError)) throw error;
      bytes = null;
    }
    return { bytes, mimeType: row.media_mime_type, filename, phoneNumberId: credentials.phoneNumberId, token: credentials.accessToken };
  });
  if (!pending) return true;
  if (!pending.bytes) {
    await failQueued(services, job, null, "The uploaded file is gone (the contact may have been erased); it was not sent.");
    return false;
  }

  const graph = createGraphClient({
    baseUrl: transport.graphBaseUrl,
    apiVersion: transport.graphApiVersion,
    timeoutMs: UPLOAD_TIMEOUT_MS,
    ...(transport.fetch ? { fetch: transport.fetch } : {}),
  });
  let mediaId: string;
  try {
    ({ id: mediaId } = await graph.uploadMedia(pending.phoneNumberId, pending.token, {
      bytes: pending.bytes,
      mimeType: pending.mimeType,
      filename: pending.filename,
    }));
  } catch (error) {
    if (error instanceof GraphError && error.httpStatus > 0 && classifyGraphError(error.code, error.httpStatus).kind !== "retry") {
      await failQueued(services, job, error.code, `The file could not be uploaded to WhatsApp: ${describeGraphError(error.code)}`);
      log.warn({ code: error.code }, "media upload refused by WhatsApp; message failed");
      return false;
    }
    log.warn({ code: error instanceof GraphError ? error.code : null }, "media upload failed; the send will be retried");
    throw error instanceof GraphError
      ? new Error(`media upload failed: Graph answered HTTP ${error.httpStatus} (code ${error.code})`)
      : error;
  }

  await withWorkspace(services.db, { workspaceId }, async (trx) => {
    const row = await lockUploadedContent(trx, workspaceId, messageId);
    if (!row || row.media_id !== null || row.content_ciphertext === null) return;
    const field = messageContentField(workspaceId, messageId);
    const content = JSON.parse(await services.keyring.decrypt(trx, field, row.content_ciphertext)) as Record<string, unknown>;
    await setUploadedMedia(
      trx,
      workspaceId,
      messageId,
      mediaId,
      await services.keyring.encryptForSubject(trx, { ...field, dataKeyId: row.data_key_id }, JSON.stringify({ ...content, id: mediaId })),
    );
  });
  return true;
}

async function failQueued(
  services: Services,
  job: { workspaceId: string; messageId: string },
  code: number | null,
  reason: string,
): Promise<void> {
  await withWorkspace(services.db, { workspaceId: job.workspaceId }, (trx) =>
    markMessageFailed(trx, job.workspaceId, job.messageId, { now: new Date(), code, reason, fromStatuses: ["queued"] }),
  );
}
