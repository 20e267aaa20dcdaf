import { sql } from "kysely";
import type { Tx } from "../../../db/database.ts";
import type { MediaType } from "../../../whatsapp/inbound/payload.ts";

// Media rows: the inbound fetch's reads and writes of a message's media columns (./fetch.ts), and
// the uploads members make for sending (./upload.ts) with their expiry (./upload-expiry.ts).
// Tenant-scoped: every function takes the workspace id and a transaction from withWorkspace, but
// the one that says it is account-level.

/** media_error holds at most this many characters. */
const MEDIA_ERROR_MAX = 500;

export async function markMediaPending(trx: Tx, workspaceId: string, messageId: string): Promise<void> {
  await trx
    .updateTable("messages")
    .set({ media_status: "pending" })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .execute();
}

/** The message's media as Meta announced it, its state here, and its contact's data key. */
export async function findMediaToFetch(trx: Tx, workspaceId: string, messageId: string) {
  return trx
    .selectFrom("messages as m")
    .innerJoin("contacts as c", (join) => join.onRef("c.workspace_id", "=", "m.workspace_id").onRef("c.id", "=", "m.contact_id"))
    .select([
      "m.type",
      "m.media_id",
      "m.media_mime_type",
      "m.media_sha256",
      "m.media_blob_key",
      "m.media_status",
      "m.number_id",
      "c.data_key_id",
    ])
    .where("m.workspace_id", "=", workspaceId)
    .where("m.id", "=", messageId)
    .executeTakeFirst();
}

/** Where the message's media is stored (null: not yet), its row locked until commit. */
export async function lockMediaBlobKey(
  trx: Tx,
  workspaceId: string,
  messageId: string,
): Promise<{ media_blob_key: string | null } | undefined> {
  return trx
    .selectFrom("messages")
    .select(["media_blob_key"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .forUpdate()
    .executeTakeFirst();
}

export async function markMediaStored(
  trx: Tx,
  workspaceId: string,
  messageId: string,
  input: { blobKey: string; size: number; mimeType: string; fetchedAt: Date },
): Promise<void> {
  await trx
    .updateTable("messages")
    .set({
      media_blob_key: input.blobKey,
      media_size: input.size,
      media_mime_type: input.mimeType,
      media_status: "stored",
      media_error: null,
      media_fetched_at: input.fetchedAt,
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .execute();
}

/** Records why media is not stored (yet), unless it was stored meanwhile. */
export async function markMediaProblem(
  trx: Tx,
  workspaceId: string,
  messageId: string,
  status: "pending" | "refused" | "failed",
  reason: string,
): Promise<void> {
  await trx
    .updateTable("messages")
    .set({ media_status: status, media_error: reason.slice(0, MEDIA_ERROR_MAX) })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("media_blob_key", "is", null)
    .execute();
}

export async function findMessageConversationId(trx: Tx, workspaceId: string, messageId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom("messages")
    .select("conversation_id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .executeTakeFirst();
  return row?.conversation_id;
}

export async function insertMediaUpload(
  trx: Tx,
  workspaceId: string,
  input: {
    id: string;
    conversationId: string;
    contactId: string;
    uploadedByUserId: string | null;
    mediaType: MediaType;
    mimeType: string;
    sizeBytes: number;
    sha256: string;
    blobKey: string;
    createdAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto("media_uploads")
    .values({
      workspace_id: workspaceId,
      id: input.id,
      conversation_id: input.conversationId,
      contact_id: input.contactId,
      uploaded_by_user_id: input.uploadedByUserId,
      media_type: input.mediaType,
      mime_type: input.mimeType,
      size_bytes: input.sizeBytes,
      sha256: input.sha256,
      blob_key: input.blobKey,
      created_at: input.createdAt,
    })
    .execute();
}

/** The upload, its row locked until commit (taken once). */
export async function lockMediaUpload(trx: Tx, workspaceId: string, uploadId: string) {
  return trx
    .selectFrom("media_uploads")
    .select(["id", "conversation_id", "media_type", "mime_type", "size_bytes", "sha256", "blob_key", "used_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", uploadId)
    .forUpdate()
    .executeTakeFirst();
}

export async function markMediaUploadUsed(trx: Tx, workspaceId: string, uploadId: string, at: Date): Promise<void> {
  await trx.updateTable("media_uploads").set({ used_at: at }).where("workspace_id", "=", workspaceId).where("id", "=", uploadId).execute();
}

/**
 * Deletes up to `batchSize` of the workspace's unsent uploads created before `cutoff`, oldest
 * first, skipping rows locked by a send or another sweep; answers their blob keys. Used by the
 * upload expiry and by the uploads retention policy.
 */
export async function deleteExpiredUploads(trx: Tx, workspaceId: string, cutoff: Date, batchSize: number): Promise<string[]> {
  // The batch is chosen first, then deleted by id: a LIMIT inside `id in (…)` may be planned as a
  // join that takes more rows than the limit, and a batch must stay bounded.
  const batch = await trx
    .selectFrom("media_uploads as u")
    .select("u.id")
    .where("u.workspace_id", "=", workspaceId)
    .where("u.used_at", "is", null)
    .where("u.created_at", "<", cutoff)
    // Belt and braces: an upload's id is its message's id; never delete one a message carries.
    .where((inner) =>
      inner.not(
        inner.exists(
          inner.selectFrom("messages as m").select("m.id").whereRef("m.workspace_id", "=", "u.workspace_id").whereRef("m.id", "=", "u.id"),
        ),
      ),
    )
    .orderBy("u.created_at")
    .limit(batchSize)
    .forUpdate()
    .skipLocked()
    .execute();
  if (batch.length === 0) return [];
  const deleted = await trx
    .deleteFrom("media_uploads")
    .where("workspace_id", "=", workspaceId)
    .where(
      "id",
      "in",
      batch.map((row) => row.id),
    )
    .returning("blob_key")
    .execute();
  return deleted.map((row) => row.blob_key);
}

/** Account-level (no workspace): the ids of up to `limit` workspaces with uploads created before `cutoff` and never sent (migration 0015). */
export async function listWorkspacesWithExpiredUploads(trx: Tx, cutoff: Date, limit: number): Promise<string[]> {
  const listed = await sql<{
    workspace_id: string;
  }>`select workspace_id from workspaces_with_expired_uploads(${cutoff.toISOString()}::timestamptz, ${limit}::integer)`.execute(trx);
  return listed.rows.map((row) => row.workspace_id);
}
