import { normalizePhone } from "../../crypto/blind-index.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { hasPermission, isMemberRole } from "../../identity/permissions.ts";
import { noteRealtimeEvent, withRealtime } from "../../realtime/events.ts";
import type { Services } from "../../services.ts";
import type { ConversationStatus } from "../../whatsapp/schema.ts";
import { recordCallerAudit, type Caller } from "../workspaces/caller.ts";
import {
  assignConversation,
  findAssignee,
  findInboxConversation,
  listInbox,
  listInboxMessages,
  setConversationStatus,
  type InboxConversation,
  type InboxMessage,
  type InboxView,
} from "./repository.ts";

// The inbox: what a member may list, read and do with conversations. Every function runs in
// withWorkspace as the caller (user id and role set), so the Agent row policy applies even where a
// query forgets to filter; the permission checks here are the API's half of the same rule.

export type InboxQuery = {
  view?: InboxView;
  status?: ConversationStatus;
  numberId?: string;
  phone?: string;
  cursor?: string;
  limit: number;
};

export type Page<T> = { data: T[]; nextCursor: string | null };

/** Keyset cursors are opaque to clients: base64url of the last row's sort key and id. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof at === "string" && typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(Date.parse(at))) return { at: new Date(at), id };
  } catch {
    // fall through: a cursor we did not make
  }
  throw new AppError("VALIDATION_FAILED", undefined, { details: [{ path: ["query", "cursor"], message: "Not a cursor from a previous page." }] });
}

function context(caller: Caller) {
  return { workspaceId: caller.workspaceId, userId: caller.userId, role: caller.role };
}

/** The views a caller may open: all and unassigned need conversations.read_all. */
export function allowedViews(caller: Pick<Caller, "permissions">): InboxView[] {
  return caller.permissions.has("conversations.read_all") ? ["mine", "unassigned", "all"] : ["mine"];
}

export async function listConversationsFor(services: Services, caller: Caller, query: InboxQuery): Promise<Page<InboxConversation>> {
  const views = allowedViews(caller);
  const view = query.view ?? (views.includes("all") ? "all" : "mine");
  if (!views.includes(view)) throw new AppError("FORBIDDEN", "You can see only the conversations assigned to you.");
  return withWorkspace(services.db, context(caller), async (trx) => {
    let phoneIndex: string | undefined;
    if (query.phone !== undefined) {
      let normalized: string;
      try {
        normalized = normalizePhone(query.phone);
      } catch {
        throw new AppError("VALIDATION_FAILED", undefined, { details: [{ path: ["query", "phone"], message: "Give a full phone number with its country code, like +14155550100." }] });
      }
      phoneIndex = await services.keyring.blindIndex(trx, caller.workspaceId, "contacts.phone", normalized);
    }
    const rows = await listInbox(trx, services.keyring, caller.workspaceId, {
      view,
      userId: caller.userId,
      ...(query.status ? { status: query.status } : {}),
      ...(query.numberId ? { numberId: query.numberId } : {}),
      ...(phoneIndex ? { phoneIndex } : {}),
      ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
      limit: query.limit + 1,
    });
    const data = rows.slice(0, query.limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > query.limit && last ? encodeCursor(last.lastActivityAt, last.id) : null };
  });
}

export async function getConversationFor(services: Services, caller: Caller, conversationId: string): Promise<InboxConversation> {
  const found = await withWorkspace(services.db, context(caller), (trx) => findInboxConversation(trx, services.keyring, caller.workspaceId, conversationId));
  // Not visible to this caller (an Agent's colleague's conversation) reads as not found.
  if (!found) throw new AppError("NOT_FOUND", "The conversation does not exist.");
  return found;
}

export async function listMessagesFor(services: Services, caller: Caller, conversationId: string, query: { cursor?: string; limit: number }): Promise<Page<InboxMessage>> {
  return withWorkspace(services.db, context(caller), async (trx) => {
    if (!(await findAssignee(trx, caller.workspaceId, conversationId))) throw new AppError("NOT_FOUND", "The conversation does not exist.");
    const rows = await listInboxMessages(trx, services.keyring, caller.workspaceId, conversationId, {
      ...(query.cursor ? { before: decodeCursor(query.cursor) } : {}),
      limit: query.limit + 1,
    });
    const data = rows.slice(0, query.limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > query.limit && last ? encodeCursor(last.occurredAt, last.id) : null };
  });
}

/** Assigns (or with null unassigns) a conversation; the assignee must be a member who can read conversations. Audited. */
export async function assignConversationFor(services: Services, caller: Caller, conversationId: string, assigneeId: string | null): Promise<InboxConversation> {
  return withRealtime(services, caller.workspaceId, () =>
    withWorkspace(services.db, context(caller), async (trx) => {
      const current = await findAssignee(trx, caller.workspaceId, conversationId);
      if (!current) throw new AppError("NOT_FOUND", "The conversation does not exist.");
      if (assigneeId !== null) {
        const member = await trx.selectFrom("memberships").select("role").where("workspace_id", "=", caller.workspaceId).where("user_id", "=", assigneeId).executeTakeFirst();
        if (!member) throw new AppError("UNPROCESSABLE", "That person is not a member of this workspace.");
        if (!isMemberRole(member.role) || !hasPermission(member.role, "conversations.read_assigned")) {
          throw new AppError("UNPROCESSABLE", "Analysts cannot be assigned conversations.");
        }
      }
      if (current.assignedUserId !== assigneeId) {
        await assignConversation(trx, caller.workspaceId, conversationId, assigneeId);
        await recordCallerAudit(trx, caller, {
          action: "conversation.assigned",
          target: { type: "conversation", id: conversationId },
          metadata: { assigneeId, previousAssigneeId: current.assignedUserId },
        });
        noteRealtimeEvent({ type: "conversation.updated", data: { conversationId, assignedUserId: assigneeId, change: "assigned" } }, { previousAssignedUserId: current.assignedUserId });
      }
      const view = await findInboxConversation(trx, services.keyring, caller.workspaceId, conversationId);
      // An Agent who hands a conversation away no longer sees it; answer what they may know.
      if (!view) throw new AppError("NOT_FOUND", "The conversation does not exist.");
      return view;
    }),
  );
}

/** Closes or reopens a conversation the caller can see. Audited. */
export async function setConversationStatusFor(services: Services, caller: Caller, conversationId: string, status: ConversationStatus): Promise<InboxConversation> {
  return withRealtime(services, caller.workspaceId, () =>
    withWorkspace(services.db, context(caller), async (trx) => {
      const outcome = await setConversationStatus(trx, caller.workspaceId, conversationId, status);
      if (outcome === "missing") throw new AppError("NOT_FOUND", "The conversation does not exist.");
      if (outcome === "conflict") throw new AppError("CONFLICT", "This contact already has an open conversation on this number.");
      if (outcome === "updated") {
        await recordCallerAudit(trx, caller, {
          action: status === "closed" ? "conversation.closed" : "conversation.reopened",
          target: { type: "conversation", id: conversationId },
        });
        noteRealtimeEvent({ type: "conversation.updated", data: { conversationId, status, change: status === "closed" ? "closed" : "reopened" } });
      }
      const view = await findInboxConversation(trx, services.keyring, caller.workspaceId, conversationId);
      if (!view) throw new AppError("NOT_FOUND", "The conversation does not exist.");
      return view;
    }),
  );
}
