import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";

// Quick replies: the workspace's canned responses, inserted in the composer by typing `/shortcut`.
// Everyone who may send reads them; Owners and Admins (quick_replies.manage) write them, audited
// with ids only. At most 200 per workspace, counted under a per-workspace lock so that concurrent
// creations cannot pass the limit together.

export const MAX_QUICK_REPLIES = 200;
export const QUICK_REPLY_MAX_CHARS = 4096;
export const SHORTCUT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export type QuickReply = { id: string; shortcut: string; text: string; createdAt: Date; updatedAt: Date };

type Row = { id: string; shortcut: string; body: string; created_at: Date; updated_at: Date };

function present(row: Row): QuickReply {
  return { id: row.id, shortcut: row.shortcut, text: row.body, createdAt: row.created_at, updatedAt: row.updated_at };
}

const COLUMNS = ["id", "shortcut", "body", "created_at", "updated_at"] as const;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

function shortcutTaken(shortcut: string): AppError {
  return new AppError("CONFLICT", `A quick reply with the shortcut /${shortcut} already exists.`);
}

export async function listQuickReplies(services: Services, caller: Caller): Promise<QuickReply[]> {
  const rows = await asCaller(services, caller, (trx) =>
    trx.selectFrom("quick_replies").select(COLUMNS).where("workspace_id", "=", caller.workspaceId).orderBy("shortcut").limit(MAX_QUICK_REPLIES).execute(),
  );
  return rows.map(present);
}

/** Serializes writers of one workspace's quick replies until commit (the count check below). */
async function lockWorkspaceQuickReplies(trx: Tx, workspaceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`parley.quick_replies:${workspaceId}`}, 0))`.execute(trx);
}

export async function createQuickReply(services: Services, caller: Caller, input: { shortcut: string; text: string }): Promise<QuickReply> {
  return asCaller(services, caller, async (trx) => {
    await lockWorkspaceQuickReplies(trx, caller.workspaceId);
    const { count } = await trx
      .selectFrom("quick_replies")
      .select((eb) => eb.fn.countAll<string | number>().as("count"))
      .where("workspace_id", "=", caller.workspaceId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_QUICK_REPLIES) {
      throw new AppError("UNPROCESSABLE", `A workspace holds at most ${MAX_QUICK_REPLIES} quick replies; delete one first.`, { details: { reason: "quick_reply_limit" } });
    }
    const taken = await trx.selectFrom("quick_replies").select("id").where("workspace_id", "=", caller.workspaceId).where("shortcut", "=", input.shortcut).executeTakeFirst();
    if (taken) throw shortcutTaken(input.shortcut);
    const row = await trx
      .insertInto("quick_replies")
      .values({ workspace_id: caller.workspaceId, id: randomUUID(), shortcut: input.shortcut, body: input.text, created_by_user_id: caller.audit.type === "user" ? caller.userId : null })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await recordCallerAudit(trx, caller, { action: "quick_reply.created", target: { type: "quick_reply", id: row.id } });
    return present(row);
  });
}

export async function updateQuickReply(services: Services, caller: Caller, id: string, input: { shortcut?: string | undefined; text?: string | undefined }): Promise<QuickReply> {
  return asCaller(services, caller, async (trx) => {
    await lockWorkspaceQuickReplies(trx, caller.workspaceId);
    const current = await trx.selectFrom("quick_replies").select(COLUMNS).where("workspace_id", "=", caller.workspaceId).where("id", "=", id).executeTakeFirst();
    if (!current) throw new AppError("NOT_FOUND", "The quick reply does not exist.");
    if (input.shortcut !== undefined && input.shortcut !== current.shortcut) {
      const taken = await trx.selectFrom("quick_replies").select("id").where("workspace_id", "=", caller.workspaceId).where("shortcut", "=", input.shortcut).executeTakeFirst();
      if (taken) throw shortcutTaken(input.shortcut);
    }
    let row: Row;
    try {
      row = await trx
        .updateTable("quick_replies")
        .set({ ...(input.shortcut !== undefined ? { shortcut: input.shortcut } : {}), ...(input.text !== undefined ? { body: input.text } : {}), updated_at: new Date() })
        .where("workspace_id", "=", caller.workspaceId)
        .where("id", "=", id)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error) && input.shortcut !== undefined) throw shortcutTaken(input.shortcut);
      throw error;
    }
    const changed = [input.shortcut !== undefined && input.shortcut !== current.shortcut ? "shortcut" : null, input.text !== undefined && input.text !== current.body ? "text" : null].filter(Boolean);
    await recordCallerAudit(trx, caller, { action: "quick_reply.updated", target: { type: "quick_reply", id }, metadata: { changed: changed.join(",") || "none" } });
    return present(row);
  });
}

export async function deleteQuickReply(services: Services, caller: Caller, id: string): Promise<void> {
  await asCaller(services, caller, async (trx) => {
    const deleted = await trx.deleteFrom("quick_replies").where("workspace_id", "=", caller.workspaceId).where("id", "=", id).returning("id").executeTakeFirst();
    if (!deleted) throw new AppError("NOT_FOUND", "The quick reply does not exist.");
    await recordCallerAudit(trx, caller, { action: "quick_reply.deleted", target: { type: "quick_reply", id } });
  });
}
