import { normalizePhone } from "../../crypto/blind-index.ts";
import type { Tx } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { hasPermission, isMemberRole } from "../../identity/permissions.ts";
import { noteRealtimeEvent, withRealtime } from "../../realtime/events.ts";
import type { Services } from "../../services.ts";
import type { ConversationStatus } from "../../whatsapp/schema.ts";
import { recordCallerAccess, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import {
  assignConversation,
  findAssignee,
  findConversationWithContact,
  findMemberRole,
  findInboxConversation,
  findVisibleConversationContact,
  listInbox,
  scanInboxByName,
  setConversationStatus,
  type InboxConversation,
  type InboxView,
  type NameScan,
} from "./repository.ts";
import { listInboxMessages, type InboxMessage } from "../messages/repository.ts";
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetPosition } from "../../db/keyset.ts";
import { isValidTag, normalizeTag } from "../contacts/rules.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";

// The inbox: what a member may list, read and do with conversations. Every function runs in
// withWorkspace as the caller (user id and role set), so the Agent row policy applies even where a
// query forgets to filter; the permission checks here are the API's half of the same rule.

export type InboxQuery = {
  view?: InboxView;
  status?: ConversationStatus;
  numberId?: string;
  phone?: string;
  /** A tag of the contact; compared in lower case, as tags are stored. */
  tag?: string;
  /** Part of the contact's name or WhatsApp profile name (a bounded scan: see scanInboxByName). */
  name?: string;
  cursor?: string;
  limit: number;
};

export type Page<T> = { data: T[]; nextCursor: string | null };

/** How many conversations one name search request decrypts at most before it answers. */
export const NAME_SCAN_CAP = 2_000;

/** A page's cursor (src/db/keyset.ts). */
export function encodeCursor(at: Date | string, id: string): string {
  return encodeKeysetCursor(at, id);
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function decodeCursor(cursor: string): KeysetPosition {
  const position = decodeKeysetCursor(cursor, { sortKey: CURSOR_TIME, id: /^[0-9a-f-]{36}$/i });
  if (position) return position;
  throw new AppError("VALIDATION_FAILED", undefined, {
    details: [{ path: ["query", "cursor"], message: "Not a cursor from a previous page." }],
  });
}

function context(caller: Caller) {
  return { workspaceId: caller.workspaceId, userId: caller.userId, role: caller.role };
}

/** The views a caller may open: all and unassigned need conversations.read_all. */
export function allowedViews(caller: Pick<Caller, "permissions">): InboxView[] {
  return caller.permissions.has("conversations.read_all") ? ["mine", "unassigned", "all"] : ["mine"];
}

export async function listConversationsFor(
  services: Services,
  caller: Caller,
  query: InboxQuery,
  options: { nameScanCap?: number } = {},
): Promise<Page<InboxConversation> & { nameScan: NameScan | null }> {
  const views = allowedViews(caller);
  const view = query.view ?? (views.includes("all") ? "all" : "mine");
  if (!views.includes(view)) throw new AppError("FORBIDDEN", "You can see only the conversations assigned to you.");
  const tag = query.tag === undefined ? undefined : normalizeTag(query.tag);
  if (tag !== undefined && !isValidTag(tag))
    throw invalidQuery("tag", "A tag is 1–64 letters, digits, spaces or . _ : - and starts with a letter or digit.");
  const name = query.name?.trim();
  if (name !== undefined && name.length === 0) throw invalidQuery("name", "Give part of a name to search for.");
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const page = await withWorkspace(services.db, context(caller), async (trx) => {
    let phoneIndex: string | undefined;
    if (query.phone !== undefined) {
      let normalized: string;
      try {
        normalized = normalizePhone(query.phone);
      } catch {
        throw invalidQuery("phone", "Give a full phone number with its country code, like +14155550100.");
      }
      phoneIndex = await services.keyring.blindIndex(trx, caller.workspaceId, "contacts.phone", normalized);
    }
    const filter = {
      view,
      userId: caller.userId,
      ...(query.status ? { status: query.status } : {}),
      ...(query.numberId ? { numberId: query.numberId } : {}),
      ...(phoneIndex ? { phoneIndex } : {}),
      ...(tag ? { tag } : {}),
      ...(after ? { after } : {}),
    };
    if (name !== undefined) {
      const found = await scanInboxByName(trx, services.keyring, caller.workspaceId, filter, {
        name,
        limit: query.limit,
        cap: options.nameScanCap ?? NAME_SCAN_CAP,
      });
      return {
        data: found.data,
        nextCursor: found.resumeAfter ? encodeCursor(found.resumeAfter.at, found.resumeAfter.id) : null,
        nameScan: found.scan,
      };
    }
    const rows = await listInbox(trx, services.keyring, caller.workspaceId, { ...filter, limit: query.limit + 1 });
    const data = rows.slice(0, query.limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > query.limit && last ? encodeCursor(last.activityKey, last.id) : null, nameScan: null };
  });
  // A search by name or phone tells who matches: recorded with its result count, never its terms.
  if (name !== undefined || query.phone !== undefined) {
    await recordCallerAccess(services, caller, {
      action: "conversations.searched",
      target: { type: "workspace", id: caller.workspaceId },
      metadata: { byName: name !== undefined, byPhone: query.phone !== undefined, results: page.data.length },
    });
  }
  return page;
}

function invalidQuery(field: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", undefined, { details: [{ path: ["query", field], message }] });
}

export async function getConversationFor(services: Services, caller: Caller, conversationId: string): Promise<InboxConversation> {
  const found = await withWorkspace(services.db, context(caller), (trx) =>
    findInboxConversation(trx, services.keyring, caller.workspaceId, conversationId),
  );
  // Not visible to this caller (an Agent's colleague's conversation) reads as not found.
  if (!found) throw new AppError("NOT_FOUND", "The conversation does not exist.");
  await recordCallerAccess(services, caller, {
    action: "conversation.viewed",
    target: { type: "conversation", id: conversationId },
    metadata: { contactId: found.contactId, conversationId },
  });
  return found;
}

export async function listMessagesFor(
  services: Services,
  caller: Caller,
  conversationId: string,
  query: { cursor?: string; limit: number },
): Promise<Page<InboxMessage>> {
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  const page = await withWorkspace(services.db, context(caller), async (trx) => {
    // RLS on conversations and messages follows the conversation's assignee: a conversation the
    // caller may not see has no contact here, and its messages read as not found.
    const contactId = await findVisibleConversationContact(trx, caller.workspaceId, conversationId);
    if (contactId === undefined) throw new AppError("NOT_FOUND", "The conversation does not exist.");
    const rows = await listInboxMessages(trx, services.keyring, caller.workspaceId, conversationId, {
      ...(before ? { before } : {}),
      limit: query.limit + 1,
    });
    const data = rows.slice(0, query.limit);
    const last = data.at(-1);
    return { contactId, data, nextCursor: rows.length > query.limit && last ? encodeCursor(last.occurredAt, last.id) : null };
  });
  await recordCallerAccess(services, caller, {
    action: "messages.viewed",
    target: { type: "conversation", id: conversationId },
    metadata: { contactId: page.contactId, conversationId, messages: page.data.length, older: before !== undefined },
  });
  return { data: page.data, nextCursor: page.nextCursor };
}

/** Assigns (or with null unassigns) a conversation; the assignee must be a member who can read conversations. Audited. */
export async function assignConversationFor(
  services: Services,
  caller: Caller,
  conversationId: string,
  assigneeId: string | null,
): Promise<InboxConversation> {
  return withRealtime(services, caller.workspaceId, () =>
    withWorkspace(services.db, context(caller), async (trx) => {
      const current = await findAssignee(trx, caller.workspaceId, conversationId);
      if (!current) throw new AppError("NOT_FOUND", "The conversation does not exist.");
      if (assigneeId !== null) {
        const member = await findMemberRole(trx, caller.workspaceId, assigneeId);
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
        noteRealtimeEvent(
          { type: "conversation.updated", data: { conversationId, assignedUserId: assigneeId, change: "assigned" } },
          { previousAssignedUserId: current.assignedUserId },
        );
        await recordWebhookEvent(trx, caller.workspaceId, {
          type: "conversation.assigned",
          data: {
            workspaceId: caller.workspaceId,
            conversationId,
            assignedUserId: assigneeId,
            previousAssignedUserId: current.assignedUserId,
            at: new Date().toISOString(),
          },
        });
      }
      const view = await findInboxConversation(trx, services.keyring, caller.workspaceId, conversationId);
      // An Agent who hands a conversation away no longer sees it; answer what they may know.
      if (!view) throw new AppError("NOT_FOUND", "The conversation does not exist.");
      return view;
    }),
  );
}

/** Closes or reopens a conversation the caller can see. Audited. */
export async function setConversationStatusFor(
  services: Services,
  caller: Caller,
  conversationId: string,
  status: ConversationStatus,
): Promise<InboxConversation> {
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
        noteRealtimeEvent({
          type: "conversation.updated",
          data: { conversationId, status, change: status === "closed" ? "closed" : "reopened" },
        });
        if (status === "closed")
          await recordWebhookEvent(trx, caller.workspaceId, {
            type: "conversation.closed",
            data: { workspaceId: caller.workspaceId, conversationId, at: new Date().toISOString() },
          });
      }
      const view = await findInboxConversation(trx, services.keyring, caller.workspaceId, conversationId);
      if (!view) throw new AppError("NOT_FOUND", "The conversation does not exist.");
      return view;
    }),
  );
}

/** What a feature attached to a conversation (notes, uploads) needs to know about it. */
export type VisibleConversation = {
  id: string;
  contactId: string;
  contactDataKeyId: string;
  numberId: string;
  assignedUserId: string | null;
};

/** Whether the caller may read a conversation with this assignee: everyone with read_all, an Agent only their own. */
export function canReadConversation(caller: Pick<Caller, "userId" | "permissions">, assignedUserId: string | null): boolean {
  return (
    caller.permissions.has("conversations.read_all") ||
    (caller.permissions.has("conversations.read_assigned") && assignedUserId === caller.userId)
  );
}

/**
 * Runs `fn` as the caller (one transaction, RLS for their role) on a conversation they may read;
 * NOT_FOUND otherwise — the same answer for a conversation of another workspace, one that does not
 * exist and an Agent's colleague's. The rule is checked here and again by the Agent row policy.
 */
export async function withVisibleConversation<T>(
  services: Services,
  caller: Caller,
  conversationId: string,
  fn: (trx: Tx, conversation: VisibleConversation) => Promise<T>,
): Promise<T> {
  return withWorkspace(services.db, context(caller), async (trx) => {
    const row = await findConversationWithContact(trx, caller.workspaceId, conversationId);
    if (!row || !canReadConversation(caller, row.assigned_user_id)) throw new AppError("NOT_FOUND", "The conversation does not exist.");
    return fn(trx, {
      id: row.id,
      contactId: row.contact_id,
      contactDataKeyId: row.data_key_id,
      numberId: row.number_id,
      assignedUserId: row.assigned_user_id,
    });
  });
}
