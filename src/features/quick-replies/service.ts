import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import {
  countQuickReplies,
  deleteQuickReplyRow,
  findQuickReplyRow,
  insertQuickReply,
  isShortcutTaken,
  listQuickReplyRows,
  lockWorkspaceQuickReplies,
  updateQuickReplyRow,
  type QuickReplyRow,
} from "./repository.ts";

// Quick replies: the workspace's canned responses, inserted in the composer by typing `/shortcut`.
// Everyone who may send reads them; Owners and Admins (quick_replies.manage) write them, audited
// with ids only. At most 200 per workspace, counted under a per-workspace lock so that concurrent
// creations cannot pass the limit together.

export const MAX_QUICK_REPLIES = 200;
export const QUICK_REPLY_MAX_CHARS = 4096;
export const SHORTCUT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export type QuickReply = { id: string; shortcut: string; text: string; createdAt: Date; updatedAt: Date };

function present(row: QuickReplyRow): QuickReply {
  return { id: row.id, shortcut: row.shortcut, text: row.body, createdAt: row.created_at, updatedAt: row.updated_at };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

function shortcutTaken(shortcut: string): AppError {
  return new AppError("CONFLICT", `A quick reply with the shortcut /${shortcut} already exists.`);
}

export async function listQuickReplies(services: Services, caller: Caller): Promise<QuickReply[]> {
  const rows = await asCaller(services, caller, (trx) => listQuickReplyRows(trx, caller.workspaceId, MAX_QUICK_REPLIES));
  return rows.map(present);
}

export async function createQuickReply(services: Services, caller: Caller, input: { shortcut: string; text: string }): Promise<QuickReply> {
  return asCaller(services, caller, async (trx) => {
    await lockWorkspaceQuickReplies(trx, caller.workspaceId);
    if ((await countQuickReplies(trx, caller.workspaceId)) >= MAX_QUICK_REPLIES) {
      throw new AppError("UNPROCESSABLE", `A workspace holds at most ${MAX_QUICK_REPLIES} quick replies; delete one first.`, {
        details: { reason: "quick_reply_limit" },
      });
    }
    if (await isShortcutTaken(trx, caller.workspaceId, input.shortcut)) throw shortcutTaken(input.shortcut);
    const row = await insertQuickReply(trx, caller.workspaceId, {
      shortcut: input.shortcut,
      body: input.text,
      createdByUserId: caller.audit.type === "user" ? caller.userId : null,
    });
    await recordCallerAudit(trx, caller, { action: "quick_reply.created", target: { type: "quick_reply", id: row.id } });
    return present(row);
  });
}

export async function updateQuickReply(
  services: Services,
  caller: Caller,
  id: string,
  input: { shortcut?: string | undefined; text?: string | undefined },
): Promise<QuickReply> {
  return asCaller(services, caller, async (trx) => {
    await lockWorkspaceQuickReplies(trx, caller.workspaceId);
    const current = await findQuickReplyRow(trx, caller.workspaceId, id);
    if (!current) throw new AppError("NOT_FOUND", "The quick reply does not exist.");
    if (input.shortcut !== undefined && input.shortcut !== current.shortcut) {
      if (await isShortcutTaken(trx, caller.workspaceId, input.shortcut)) throw shortcutTaken(input.shortcut);
    }
    let row: QuickReplyRow;
    try {
      row = await updateQuickReplyRow(trx, caller.workspaceId, id, { shortcut: input.shortcut, body: input.text, updatedAt: new Date() });
    } catch (error) {
      if (isUniqueViolation(error) && input.shortcut !== undefined) throw shortcutTaken(input.shortcut);
      throw error;
    }
    const changed = [
      input.shortcut !== undefined && input.shortcut !== current.shortcut ? "shortcut" : null,
      input.text !== undefined && input.text !== current.body ? "text" : null,
    ].filter(Boolean);
    await recordCallerAudit(trx, caller, {
      action: "quick_reply.updated",
      target: { type: "quick_reply", id },
      metadata: { changed: changed.join(",") || "none" },
    });
    return present(row);
  });
}

export async function deleteQuickReply(services: Services, caller: Caller, id: string): Promise<void> {
  await asCaller(services, caller, async (trx) => {
    if (!(await deleteQuickReplyRow(trx, caller.workspaceId, id))) throw new AppError("NOT_FOUND", "The quick reply does not exist.");
    await recordCallerAudit(trx, caller, { action: "quick_reply.deleted", target: { type: "quick_reply", id } });
  });
}
