import type { Tx } from "../../../db/database.ts";

// The inbound media fetch's reads and writes of a message's media columns (./fetch.ts).
// Tenant-scoped: every function takes the workspace id and a transaction from withWorkspace.

/** media_error holds at most this many characters. */
const MEDIA_ERROR_MAX = 500;

export async function markMediaPending(trx: Tx, workspaceId: string, messageId: string): Promise<void> {
  await trx.updateTable("messages").set({ media_status: "pending" }).where("workspace_id", "=", workspaceId).where("id", "=", messageId).execute();
}

/** The message's media as Meta announced it, its state here, and its contact's data key. */
export async function findMediaToFetch(trx: Tx, workspaceId: string, messageId: string) {
  return trx
    .selectFrom("messages as m")
    .innerJoin("contacts as c", (join) => join.onRef("c.workspace_id", "=", "m.workspace_id").onRef("c.id", "=", "m.contact_id"))
    .select(["m.type", "m.media_id", "m.media_mime_type", "m.media_sha256", "m.media_blob_key", "m.media_status", "m.number_id", "c.data_key_id"])
    .where("m.workspace_id", "=", workspaceId)
    .where("m.id", "=", messageId)
    .executeTakeFirst();
}

/** Where the message's media is stored (null: not yet), its row locked until commit. */
export async function lockMediaBlobKey(trx: Tx, workspaceId: string, messageId: string): Promise<{ media_blob_key: string | null } | undefined> {
  return trx.selectFrom("messages").select(["media_blob_key"]).where("workspace_id", "=", workspaceId).where("id", "=", messageId).forUpdate().executeTakeFirst();
}

export async function markMediaStored(trx: Tx, workspaceId: string, messageId: string, input: { blobKey: string; size: number; mimeType: string; fetchedAt: Date }): Promise<void> {
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
export async function markMediaProblem(trx: Tx, workspaceId: string, messageId: string, status: "pending" | "refused" | "failed", reason: string): Promise<void> {
  await trx
    .updateTable("messages")
    .set({ media_status: status, media_error: reason.slice(0, MEDIA_ERROR_MAX) })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("media_blob_key", "is", null)
    .execute();
}

export async function findMessageConversationId(trx: Tx, workspaceId: string, messageId: string): Promise<string | undefined> {
  const row = await trx.selectFrom("messages").select("conversation_id").where("workspace_id", "=", workspaceId).where("id", "=", messageId).executeTakeFirst();
  return row?.conversation_id;
}
