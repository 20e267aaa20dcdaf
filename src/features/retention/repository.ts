import { sql } from "kysely";
import { deleteExpiredUploads } from "../messages/media/repository.ts";
import type { Tx } from "../../db/database.ts";

// Retention policies and the deletions they make (migration 0026). Tenant-scoped: every function
// takes the workspace id and a transaction opened by withWorkspace (RLS filters to that workspace).
// Deletions go in bounded batches, oldest first, taken FOR UPDATE SKIP LOCKED so that two workers,
// or a member working on a row, never clash: what is skipped waits for the next batch.

/** Each kind is off (null) or a number of days. */
export type RetentionPolicy = {
  messagesDays: number | null;
  closedConversationsDays: number | null;
  notesDays: number | null;
  uploadsDays: number | null;
};

export type RetentionKind = keyof RetentionCounts;
export type RetentionCounts = { messages: number; closedConversations: number; notes: number; uploads: number };

export const OFF_POLICY: RetentionPolicy = { messagesDays: null, closedConversationsDays: null, notesDays: null, uploadsDays: null };

export async function findRetentionPolicy(
  trx: Tx,
  workspaceId: string,
): Promise<(RetentionPolicy & { updatedAt: Date | null }) | undefined> {
  const row = await trx
    .selectFrom("retention_policies")
    .select(["messages_days", "closed_conversations_days", "notes_days", "uploads_days", "updated_at"])
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    messagesDays: row.messages_days,
    closedConversationsDays: row.closed_conversations_days,
    notesDays: row.notes_days,
    uploadsDays: row.uploads_days,
    updatedAt: row.updated_at,
  };
}

export async function saveRetentionPolicy(trx: Tx, workspaceId: string, policy: RetentionPolicy, userId: string | null): Promise<void> {
  const values = {
    messages_days: policy.messagesDays,
    closed_conversations_days: policy.closedConversationsDays,
    notes_days: policy.notesDays,
    uploads_days: policy.uploadsDays,
    updated_at: new Date(),
    updated_by: userId,
  };
  await trx
    .insertInto("retention_policies")
    .values({ workspace_id: workspaceId, ...values })
    .onConflict((oc) => oc.column("workspace_id").doUpdateSet(values))
    .execute();
}

const count = sql<string>`count(*)`.as("count");

/** How many rows of each kind a policy would delete now (kinds that are off count 0). */
export async function countRetained(trx: Tx, workspaceId: string, cutoffs: Partial<Record<RetentionKind, Date>>): Promise<RetentionCounts> {
  const [messages, closedConversations, notes, uploads] = await Promise.all([
    cutoffs.messages
      ? trx
          .selectFrom("messages")
          .select(count)
          .where("workspace_id", "=", workspaceId)
          .where("occurred_at", "<", cutoffs.messages)
          .executeTakeFirstOrThrow()
      : undefined,
    cutoffs.closedConversations
      ? trx
          .selectFrom("conversations")
          .select(count)
          .where("workspace_id", "=", workspaceId)
          .where("status", "=", "closed")
          .where("closed_at", "<", cutoffs.closedConversations)
          .executeTakeFirstOrThrow()
      : undefined,
    cutoffs.notes
      ? trx
          .selectFrom("conversation_notes")
          .select(count)
          .where("workspace_id", "=", workspaceId)
          .where("created_at", "<", cutoffs.notes)
          .executeTakeFirstOrThrow()
      : undefined,
    cutoffs.uploads
      ? trx
          .selectFrom("media_uploads")
          .select(count)
          .where("workspace_id", "=", workspaceId)
          .where("used_at", "is", null)
          .where("created_at", "<", cutoffs.uploads)
          .executeTakeFirstOrThrow()
      : undefined,
  ]);
  const number = (row: { count: string } | undefined) => Number(row?.count ?? 0);
  return { messages: number(messages), closedConversations: number(closedConversations), notes: number(notes), uploads: number(uploads) };
}

async function takeIds(query: { execute(): Promise<Array<{ id: string }>> }): Promise<string[]> {
  return (await query.execute()).map((row) => row.id);
}

/** What a batch deleted: rows, and the blob keys whose files must go with them. */
export type DeletedBatch = { deleted: number; blobKeys: string[] };

/**
 * Deletes up to `limit` messages older than `cutoff`, oldest first, with what names them by
 * Meta's id alone: their delivery statuses go, number events keep their facts without the id, and
 * the upload rows a sent message carried go too (the file is the message's media).
 */
export async function deleteOldMessages(trx: Tx, workspaceId: string, cutoff: Date, limit: number): Promise<DeletedBatch> {
  // The batch is chosen first, then deleted by id: a LIMIT inside `id in (…)` may be planned as a
  // join that takes more rows than the limit, and a batch must stay bounded.
  const ids = await takeIds(
    trx
      .selectFrom("messages")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("occurred_at", "<", cutoff)
      .orderBy("occurred_at")
      .limit(limit)
      .forUpdate()
      .skipLocked(),
  );
  if (ids.length === 0) return { deleted: 0, blobKeys: [] };
  const rows = await trx
    .deleteFrom("messages")
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .returning(["id", "wamid", "media_blob_key"])
    .execute();
  const wamids = rows.flatMap((row) => (row.wamid === null ? [] : [row.wamid]));
  if (wamids.length > 0) {
    await trx.deleteFrom("message_statuses").where("workspace_id", "=", workspaceId).where("wamid", "in", wamids).execute();
    await trx
      .updateTable("number_events")
      .set({ wamid: null })
      .where("workspace_id", "=", workspaceId)
      .where("wamid", "in", wamids)
      .execute();
  }
  const uploads = await trx
    .deleteFrom("media_uploads")
    .where("workspace_id", "=", workspaceId)
    .where(
      "id",
      "in",
      rows.map((row) => row.id),
    )
    .returning("blob_key")
    .execute();
  const blobKeys = [
    ...rows.flatMap((row) => (row.media_blob_key === null ? [] : [row.media_blob_key])),
    ...uploads.map((upload) => upload.blob_key),
  ];
  return { deleted: rows.length, blobKeys };
}

/**
 * Deletes up to `limit` conversations closed before `cutoff`, oldest first; their messages, notes
 * and uploads go with them (foreign keys cascade), their files through the returned blob keys.
 */
export async function deleteOldClosedConversations(trx: Tx, workspaceId: string, cutoff: Date, limit: number): Promise<DeletedBatch> {
  const ids = (
    await trx
      .selectFrom("conversations")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("status", "=", "closed")
      .where("closed_at", "<", cutoff)
      .orderBy("closed_at")
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute()
  ).map((row) => row.id);
  if (ids.length === 0) return { deleted: 0, blobKeys: [] };
  const [media, uploads] = await Promise.all([
    trx
      .selectFrom("messages")
      .select(["wamid", "media_blob_key"])
      .where("workspace_id", "=", workspaceId)
      .where("conversation_id", "in", ids)
      .execute(),
    trx
      .selectFrom("media_uploads")
      .select("blob_key")
      .where("workspace_id", "=", workspaceId)
      .where("conversation_id", "in", ids)
      .execute(),
  ]);
  const wamids = media.flatMap((row) => (row.wamid === null ? [] : [row.wamid]));
  for (let start = 0; start < wamids.length; start += 1_000) {
    const chunk = wamids.slice(start, start + 1_000);
    await trx.deleteFrom("message_statuses").where("workspace_id", "=", workspaceId).where("wamid", "in", chunk).execute();
    await trx
      .updateTable("number_events")
      .set({ wamid: null })
      .where("workspace_id", "=", workspaceId)
      .where("wamid", "in", chunk)
      .execute();
  }
  const deleted = await trx
    .deleteFrom("conversations")
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .returning("id")
    .execute();
  return {
    deleted: deleted.length,
    blobKeys: [
      ...media.flatMap((row) => (row.media_blob_key === null ? [] : [row.media_blob_key])),
      ...uploads.map((upload) => upload.blob_key),
    ],
  };
}

/** Deletes up to `limit` internal notes written before `cutoff`, oldest first. */
export async function deleteOldNotes(trx: Tx, workspaceId: string, cutoff: Date, limit: number): Promise<DeletedBatch> {
  const ids = await takeIds(
    trx
      .selectFrom("conversation_notes")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("created_at", "<", cutoff)
      .orderBy("created_at")
      .limit(limit)
      .forUpdate()
      .skipLocked(),
  );
  if (ids.length === 0) return { deleted: 0, blobKeys: [] };
  const rows = await trx
    .deleteFrom("conversation_notes")
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .returning("id")
    .execute();
  return { deleted: rows.length, blobKeys: [] };
}

/**
 * Deletes up to `limit` uploads never sent and made before `cutoff`, oldest first. A sent upload's
 * file is its message's media: it goes with the message (the messages policy), never alone.
 */
export async function deleteOldUploads(trx: Tx, workspaceId: string, cutoff: Date, limit: number): Promise<DeletedBatch> {
  const blobKeys = await deleteExpiredUploads(trx, workspaceId, cutoff, limit);
  return { deleted: blobKeys.length, blobKeys };
}

/**
 * The workspaces with a retention policy on, through the SECURITY DEFINER function of migration
 * 0026 (ids only). Call it in a transaction without a workspace (withoutWorkspace).
 */
export async function listWorkspacesWithRetention(trx: Tx, max: number): Promise<string[]> {
  const result = await sql<{ workspace_id: string }>`select workspace_id from workspaces_with_retention() limit ${max}`.execute(trx);
  return result.rows.map((row) => row.workspace_id);
}
