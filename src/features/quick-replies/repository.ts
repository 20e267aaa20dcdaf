import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";

// The quick_replies rows of one workspace (RLS: the workspace). The body column holds the reply's
// text; the service presents it as `text`.

export type QuickReplyRow = { id: string; shortcut: string; body: string; created_at: Date; updated_at: Date };

const COLUMNS = ["id", "shortcut", "body", "created_at", "updated_at"] as const;

/** The workspace's quick replies by shortcut, at most `limit`. */
export async function listQuickReplyRows(trx: Tx, workspaceId: string, limit: number): Promise<QuickReplyRow[]> {
  return trx.selectFrom("quick_replies").select(COLUMNS).where("workspace_id", "=", workspaceId).orderBy("shortcut").limit(limit).execute();
}

/** Serializes writers of one workspace's quick replies until commit (the service's count check). */
export async function lockWorkspaceQuickReplies(trx: Tx, workspaceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`parley.quick_replies:${workspaceId}`}, 0))`.execute(trx);
}

export async function countQuickReplies(trx: Tx, workspaceId: string): Promise<number> {
  const { count } = await trx
    .selectFrom("quick_replies")
    .select((eb) => eb.fn.countAll<string | number>().as("count"))
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return Number(count);
}

export async function isShortcutTaken(trx: Tx, workspaceId: string, shortcut: string): Promise<boolean> {
  const taken = await trx
    .selectFrom("quick_replies")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("shortcut", "=", shortcut)
    .executeTakeFirst();
  return taken !== undefined;
}

export async function findQuickReplyRow(trx: Tx, workspaceId: string, id: string): Promise<QuickReplyRow | undefined> {
  return trx.selectFrom("quick_replies").select(COLUMNS).where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
}

export async function insertQuickReply(
  trx: Tx,
  workspaceId: string,
  input: { shortcut: string; body: string; createdByUserId: string | null },
): Promise<QuickReplyRow> {
  return trx
    .insertInto("quick_replies")
    .values({
      workspace_id: workspaceId,
      id: randomUUID(),
      shortcut: input.shortcut,
      body: input.body,
      created_by_user_id: input.createdByUserId,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Sets what is given and updated_at; throws when the row is gone (the caller found it first, under the lock). */
export async function updateQuickReplyRow(
  trx: Tx,
  workspaceId: string,
  id: string,
  input: { shortcut?: string | undefined; body?: string | undefined; updatedAt: Date },
): Promise<QuickReplyRow> {
  return trx
    .updateTable("quick_replies")
    .set({
      ...(input.shortcut !== undefined ? { shortcut: input.shortcut } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      updated_at: input.updatedAt,
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Whether a row was deleted. */
export async function deleteQuickReplyRow(trx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const deleted = await trx
    .deleteFrom("quick_replies")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returning("id")
    .executeTakeFirst();
  return deleted !== undefined;
}
