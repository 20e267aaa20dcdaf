import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import type { ConversationStatus, MessageDirection, MessageStatus } from "../../whatsapp/schema.ts";
import { taggedWith } from "../contacts/repository.ts";
import { previewContent } from "./content.ts";
import { decryptOrNull, messageContentField } from "../messages/repository.ts";
import { keysetTime, type KeysetPosition } from "../../db/keyset.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";

// Conversations and the inbox. Tenant-scoped: every function takes the workspace id and a
// transaction from withWorkspace (RLS filters to the workspace, and for Agents to their assigned
// conversations). Contacts as WhatsApp sees them are in ../contacts/whatsapp-repository.ts, messages
// and their statuses in ../messages/repository.ts.

/** The outbox event of a conversation just inserted (outbound webhooks). */
async function recordConversationCreated(
  trx: Tx,
  workspaceId: string,
  conversation: { id: string; contactId: string; numberId: string; createdAt: Date },
): Promise<void> {
  await recordWebhookEvent(
    trx,
    workspaceId,
    {
      type: "conversation.created",
      data: {
        workspaceId,
        conversationId: conversation.id,
        contactId: conversation.contactId,
        numberId: conversation.numberId,
        createdAt: conversation.createdAt.toISOString(),
      },
    },
    { occurredAt: conversation.createdAt },
  );
}

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Opens the contact's conversation on this number, or moves its window forward (never back). */
export async function upsertOpenConversation(
  trx: Tx,
  input: { workspaceId: string; contactId: string; numberId: string; inboundAt: Date },
): Promise<string> {
  const row = await trx
    .insertInto("conversations")
    .values({
      workspace_id: input.workspaceId,
      id: randomUUID(),
      contact_id: input.contactId,
      number_id: input.numberId,
      status: "open",
      last_inbound_at: input.inboundAt,
      last_message_at: input.inboundAt,
    })
    .onConflict((oc) =>
      oc
        .columns(["workspace_id", "contact_id", "number_id"])
        .where("status", "=", "open")
        .doUpdateSet({
          last_inbound_at: sql<Date>`greatest(conversations.last_inbound_at, excluded.last_inbound_at)`,
          last_message_at: sql<Date>`greatest(conversations.last_message_at, excluded.last_message_at)`,
          updated_at: sql<Date>`now()`,
        }),
    )
    // xmax = 0 only on a row this statement inserted (not one it updated on conflict).
    .returning(["id", "created_at", sql<boolean>`(xmax = 0)`.as("inserted")])
    .executeTakeFirstOrThrow();
  if (row.inserted)
    await recordConversationCreated(trx, input.workspaceId, {
      id: row.id,
      contactId: input.contactId,
      numberId: input.numberId,
      createdAt: row.created_at,
    });
  return row.id;
}

/** Assigns a conversation (null unassigns). False when it is not visible to the caller. */
export async function assignConversation(trx: Tx, workspaceId: string, conversationId: string, userId: string | null): Promise<boolean> {
  const result = await trx
    .updateTable("conversations")
    .set({ assigned_user_id: userId, assigned_at: userId === null ? null : new Date(), updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type InboxView = "mine" | "unassigned" | "all";

export type InboxFilter = {
  view: InboxView;
  /** The caller: `mine` means assigned to them. RLS narrows Agents to their own rows regardless. */
  userId: string;
  status?: ConversationStatus;
  numberId?: string;
  /** Blind index of an exact, normalized phone number (E.164). */
  phoneIndex?: string;
  /** Contacts carrying this tag (lower case, as stored). */
  tag?: string;
  /** Keyset cursor: the sort key and id of the last row of the previous page. */
  after?: KeysetPosition;
  limit: number;
};

/** How far a name search looked: conversations whose names were decrypted, and whether the cap stopped it. */
export type NameScan = { scanned: number; capped: boolean };

export type InboxMessagePreview = {
  id: string;
  direction: MessageDirection;
  type: string;
  text: string | null;
  status: MessageStatus;
  occurredAt: Date;
};

export type InboxConversation = {
  id: string;
  contactId: string;
  /** Name, else WhatsApp profile name, else phone; null when the contact was erased (its key is gone). */
  contactName: string | null;
  contactPhone: string | null;
  numberId: string;
  status: ConversationStatus;
  assignedUserId: string | null;
  lastInboundAt: Date | null;
  windowExpiresAt: Date | null;
  /** The sort key: the last message's time (creation for a conversation without messages). */
  lastActivityAt: Date;
  /** The sort key exactly as stored (ISO text, microseconds), for keyset cursors. */
  activityKey: string;
  lastMessage: InboxMessagePreview | null;
  createdAt: Date;
};

// The sort key: coalesce(last_message_at, created_at), stored by the database (migration 0012).
const activity = sql<Date>`conversations.activity_at`;

// The sort key exactly as stored (microseconds), for cursors: a JavaScript Date keeps milliseconds
// only, and a cursor rounded down would skip rows within the same millisecond.
const activityKey = sql<string>`to_char(conversations.activity_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The inbox's conversation rows joined with their contacts, in one workspace. */
function inboxRows(trx: Tx, workspaceId: string) {
  return (
    trx
      .selectFrom("conversations")
      .innerJoin("contacts", (join) =>
        join.onRef("contacts.workspace_id", "=", "conversations.workspace_id").onRef("contacts.id", "=", "conversations.contact_id"),
      )
      .select([
        "conversations.id",
        "conversations.contact_id",
        "conversations.number_id",
        "conversations.status",
        "conversations.assigned_user_id",
        "conversations.last_inbound_at",
        "conversations.created_at",
        "contacts.name_ciphertext",
        "contacts.wa_profile_name_ciphertext",
        "contacts.phone_ciphertext",
        "contacts.data_key_id",
        activity.as("activity_at"),
        activityKey.as("activity_key"),
      ])
      .where("conversations.workspace_id", "=", workspaceId)
      // Conversations of a contact in the trash leave the inbox with it (and come back on restore).
      .where("contacts.deleted_at", "is", null)
  );
}

/** The filtered inbox rows after the cursor, newest activity first (the keyset order every page uses). */
function inboxPage(trx: Tx, workspaceId: string, filter: Omit<InboxFilter, "limit">, limit: number) {
  let query = inboxRows(trx, workspaceId);
  if (filter.view === "mine") query = query.where("conversations.assigned_user_id", "=", filter.userId);
  if (filter.view === "unassigned") query = query.where("conversations.assigned_user_id", "is", null);
  if (filter.status) query = query.where("conversations.status", "=", filter.status);
  if (filter.numberId) query = query.where("conversations.number_id", "=", filter.numberId);
  if (filter.phoneIndex) query = query.where("contacts.phone_index", "=", filter.phoneIndex);
  if (filter.tag) query = query.where(taggedWith("conversations.workspace_id", "conversations.contact_id", filter.tag));
  if (filter.after) {
    const { at, id } = filter.after;
    query = query.where(sql<boolean>`(${activity}, conversations.id) < (${keysetTime(at)}::timestamptz, ${id}::uuid)`);
  }
  return query.orderBy(activity, "desc").orderBy("conversations.id", "desc").limit(limit);
}

/** One page of the inbox, newest activity first, with contact names and last messages decrypted. */
export async function listInbox(trx: Tx, keyring: Keyring, workspaceId: string, filter: InboxFilter): Promise<InboxConversation[]> {
  const rows = await inboxPage(trx, workspaceId, filter, Math.min(Math.max(filter.limit, 1), 101)).execute();
  return presentInboxRows(trx, keyring, workspaceId, rows);
}

/** Case- and accent-insensitive form of a name, for substring search. */
export function foldName(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

const NAME_SCAN_BATCH = 200;

/**
 * A name search over encrypted names. Names cannot be indexed without leaking them, so this walks
 * the filtered inbox in its usual order, decrypting names a batch at a time, until it has
 * `limit` + 1 matches (a full page and proof of more) or has looked at `cap` conversations. The
 * cursor of the answer continues after the last match returned or, when the cap stopped the scan,
 * after the last conversation looked at, so a client can continue the search page by page.
 */
export async function scanInboxByName(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  filter: Omit<InboxFilter, "limit">,
  search: { name: string; limit: number; cap: number },
): Promise<{ data: InboxConversation[]; resumeAfter: KeysetPosition | null; scan: NameScan }> {
  const needle = foldName(search.name);
  const matches: InboxRow[] = [];
  let after = filter.after;
  let scanned = 0;
  let exhausted = false;
  while (matches.length <= search.limit && scanned < search.cap) {
    const take = Math.min(NAME_SCAN_BATCH, search.cap - scanned);
    const rows = await inboxPage(trx, workspaceId, { ...filter, ...(after ? { after } : {}) }, take + 1).execute();
    const batch = rows.slice(0, take);
    await keyring.preloadDataKeys(
      trx,
      workspaceId,
      batch.map((row) => row.data_key_id),
    );
    for (const row of batch) {
      scanned += 1;
      after = { at: row.activity_key, id: row.id };
      const field = (column: string) => ({ workspaceId, table: "contacts", column, rowId: row.contact_id });
      const names = [
        await decryptOrNull(trx, keyring, field("name"), row.name_ciphertext),
        await decryptOrNull(trx, keyring, field("wa_profile_name"), row.wa_profile_name_ciphertext),
      ];
      if (names.some((name) => name !== null && foldName(name).includes(needle))) {
        matches.push(row);
        if (matches.length > search.limit) break;
      }
    }
    if (rows.length <= take) {
      exhausted = matches.length <= search.limit;
      break;
    }
  }
  const page = matches.slice(0, search.limit);
  const full = matches.length > search.limit;
  const capped = !full && !exhausted;
  const last = page.at(-1);
  const resumeAfter = full && last ? { at: last.activity_key, id: last.id } : capped ? (after ?? null) : null;
  return { data: await presentInboxRows(trx, keyring, workspaceId, page), resumeAfter, scan: { scanned, capped } };
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** One conversation as the inbox shows it; undefined when it does not exist or is not visible (RLS). */
export async function findInboxConversation(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  conversationId: string,
): Promise<InboxConversation | undefined> {
  const rows = await inboxRows(trx, workspaceId).where("conversations.id", "=", conversationId).execute();
  return (await presentInboxRows(trx, keyring, workspaceId, rows))[0];
}

type InboxRow = {
  id: string;
  contact_id: string;
  number_id: string;
  status: ConversationStatus;
  assigned_user_id: string | null;
  last_inbound_at: Date | null;
  created_at: Date;
  name_ciphertext: string | null;
  wa_profile_name_ciphertext: string | null;
  phone_ciphertext: string | null;
  data_key_id: string;
  activity_at: Date;
  activity_key: string;
};

async function presentInboxRows(trx: Tx, keyring: Keyring, workspaceId: string, rows: InboxRow[]): Promise<InboxConversation[]> {
  if (rows.length === 0) return [];
  // The newest message of each row: one backward step of messages_thread per conversation.
  const latest = await trx
    .selectFrom("conversations")
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom("messages")
          .select([
            "messages.id",
            "messages.direction",
            "messages.type",
            "messages.content_ciphertext",
            "messages.status",
            "messages.occurred_at",
          ])
          .where("messages.workspace_id", "=", workspaceId)
          .whereRef("messages.conversation_id", "=", "conversations.id")
          .orderBy("messages.occurred_at", "desc")
          .orderBy("messages.id", "desc")
          .limit(1)
          .as("last"),
      (join) => join.onTrue(),
    )
    .select([
      "conversations.id as conversation_id",
      "last.id",
      "last.direction",
      "last.type",
      "last.content_ciphertext",
      "last.status",
      "last.occurred_at",
    ])
    .where("conversations.workspace_id", "=", workspaceId)
    .where(
      "conversations.id",
      "in",
      rows.map((row) => row.id),
    )
    .execute();
  const lastByConversation = new Map(latest.map((message) => [message.conversation_id, message]));
  await keyring.preloadDataKeys(
    trx,
    workspaceId,
    rows.map((row) => row.data_key_id),
  );
  const views: InboxConversation[] = [];
  for (const row of rows) {
    const field = (column: string) => ({ workspaceId, table: "contacts", column, rowId: row.contact_id });
    const name =
      (await decryptOrNull(trx, keyring, field("name"), row.name_ciphertext)) ??
      (await decryptOrNull(trx, keyring, field("wa_profile_name"), row.wa_profile_name_ciphertext));
    const phone = await decryptOrNull(trx, keyring, field("phone"), row.phone_ciphertext);
    const message = lastByConversation.get(row.id);
    let lastMessage: InboxMessagePreview | null = null;
    if (message) {
      const plaintext = await decryptOrNull(trx, keyring, messageContentField(workspaceId, message.id), message.content_ciphertext);
      const content = plaintext === null ? null : (JSON.parse(plaintext) as Record<string, unknown>);
      lastMessage = {
        id: message.id,
        direction: message.direction,
        type: message.type,
        text: previewContent(message.type, content),
        status: message.status,
        occurredAt: message.occurred_at,
      };
    }
    views.push({
      id: row.id,
      contactId: row.contact_id,
      contactName: name ?? phone,
      contactPhone: phone,
      numberId: row.number_id,
      status: row.status,
      assignedUserId: row.assigned_user_id,
      lastInboundAt: row.last_inbound_at,
      windowExpiresAt: row.last_inbound_at ? new Date(row.last_inbound_at.getTime() + SERVICE_WINDOW_MS) : null,
      lastActivityAt: toDate(row.activity_at),
      activityKey: row.activity_key,
      lastMessage,
      createdAt: row.created_at,
    });
  }
  return views;
}

/**
 * Closes or reopens a conversation. Reopening fails with "conflict" when the contact already has
 * another open conversation on that number (one open conversation per contact and number).
 */
export async function setConversationStatus(
  trx: Tx,
  workspaceId: string,
  conversationId: string,
  status: ConversationStatus,
): Promise<"updated" | "unchanged" | "missing" | "conflict"> {
  const current = await trx
    .selectFrom("conversations")
    .select(["status", "contact_id", "number_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return "missing";
  if (current.status === status) return "unchanged";
  if (status === "open") {
    const other = await trx
      .selectFrom("conversations")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("contact_id", "=", current.contact_id)
      .where("number_id", "=", current.number_id)
      .where("status", "=", "open")
      .executeTakeFirst();
    if (other) return "conflict";
  }
  await trx
    .updateTable("conversations")
    .set({ status, closed_at: status === "closed" ? new Date() : null, updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .execute();
  return "updated";
}

/** Whether the conversation exists and the caller may see it (RLS), without locking it. */
export async function isConversationVisible(trx: Tx, workspaceId: string, conversationId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("conversations")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The contact of a conversation the caller may see, or undefined (not visible, or no such conversation). */
export async function findVisibleConversationContact(trx: Tx, workspaceId: string, conversationId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom("conversations")
    .select("contact_id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .executeTakeFirst();
  return row?.contact_id;
}

/** The assignee of a visible conversation (undefined when not visible), without locking it: a light read for presence. */
export async function peekAssignee(
  trx: Tx,
  workspaceId: string,
  conversationId: string,
): Promise<{ assigned_user_id: string | null } | undefined> {
  return trx
    .selectFrom("conversations")
    .select("assigned_user_id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .executeTakeFirst();
}

/** The current assignee of a visible conversation (undefined when not visible). */
export async function findAssignee(
  trx: Tx,
  workspaceId: string,
  conversationId: string,
): Promise<{ assignedUserId: string | null } | undefined> {
  const row = await trx
    .selectFrom("conversations")
    .select("assigned_user_id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .forUpdate()
    .executeTakeFirst();
  return row ? { assignedUserId: row.assigned_user_id } : undefined;
}

/** A conversation with its contact's data key, or undefined when the caller may not see it (RLS). */
export function findConversationWithContact(trx: Tx, workspaceId: string, conversationId: string) {
  return trx
    .selectFrom("conversations")
    .innerJoin("contacts", (join) =>
      join.onRef("contacts.workspace_id", "=", "conversations.workspace_id").onRef("contacts.id", "=", "conversations.contact_id"),
    )
    .select([
      "conversations.id",
      "conversations.contact_id",
      "conversations.number_id",
      "conversations.assigned_user_id",
      "contacts.data_key_id",
    ])
    .where("conversations.workspace_id", "=", workspaceId)
    .where("conversations.id", "=", conversationId)
    .executeTakeFirst();
}

/** A member's role in the workspace, or undefined when the user is not a member. */
export function findMemberRole(trx: Tx, workspaceId: string, userId: string) {
  return trx
    .selectFrom("memberships")
    .select("role")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** A conversation's contact and number, or undefined when the caller may not see it (RLS). */
export function findConversationParties(trx: Tx, workspaceId: string, conversationId: string) {
  return trx
    .selectFrom("conversations")
    .select(["id", "contact_id", "number_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .executeTakeFirst();
}

/** The open conversation of a contact on a number, opened if there is none (one open per contact and number). */
export async function openConversation(
  trx: Tx,
  workspaceId: string,
  contactId: string,
  numberId: string,
): Promise<{ id: string } | undefined> {
  const inserted = await trx
    .insertInto("conversations")
    .values({ workspace_id: workspaceId, id: randomUUID(), contact_id: contactId, number_id: numberId, status: "open" })
    .onConflict((oc) => oc.columns(["workspace_id", "contact_id", "number_id"]).where("status", "=", "open").doNothing())
    .returning(["id", "created_at"])
    .executeTakeFirst();
  if (inserted) await recordConversationCreated(trx, workspaceId, { id: inserted.id, contactId, numberId, createdAt: inserted.created_at });
  return trx
    .selectFrom("conversations")
    .select(["id"])
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .where("number_id", "=", numberId)
    .where("status", "=", "open")
    .executeTakeFirst();
}

/** When the customer last wrote to this number (any of their conversations with it), or null. */
export async function lastInboundAt(trx: Tx, workspaceId: string, contactId: string, numberId: string): Promise<Date | null> {
  const row = await trx
    .selectFrom("conversations")
    .select(sql<Date | null>`max(last_inbound_at)`.as("at"))
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .where("number_id", "=", numberId)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/** Moves the conversation's last activity forward to `now` (never back). */
export async function touchConversation(trx: Tx, workspaceId: string, conversationId: string, now: Date): Promise<void> {
  await trx
    .updateTable("conversations")
    .set({ last_message_at: sql<Date>`greatest(last_message_at, ${now.toISOString()}::timestamptz)`, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .execute();
}

/** A message of the conversation, by id, with its place in the thread's order (reply collisions). */
export async function findThreadPosition(
  trx: Tx,
  workspaceId: string,
  conversationId: string,
  messageId: string,
): Promise<{ id: string; occurred_at: Date } | undefined> {
  return trx
    .selectFrom("messages")
    .select(["id", "occurred_at"])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .where("id", "=", messageId)
    .executeTakeFirst();
}

/**
 * The newest outbound message of the conversation not sent by `userId` (the API and other members),
 * after `after` in the thread's order (newest first by time, then id) when given.
 */
export async function findNewestReplyByOthers(
  trx: Tx,
  workspaceId: string,
  conversationId: string,
  userId: string,
  after?: { occurred_at: Date; id: string },
): Promise<{ id: string; sent_by_user_id: string | null; occurred_at: Date } | undefined> {
  let newer = trx
    .selectFrom("messages")
    .select(["id", "sent_by_user_id", "occurred_at"])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .where("direction", "=", "out")
    .where(sql<boolean>`sent_by_user_id is distinct from ${userId}::uuid`);
  if (after) newer = newer.where(sql<boolean>`(occurred_at, id) > (${after.occurred_at}::timestamptz, ${after.id}::uuid)`);
  return newer.orderBy("occurred_at", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
}
