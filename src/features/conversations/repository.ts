import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { normalizePhone } from "../../crypto/blind-index.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import { noteRealtimeEvent } from "../../realtime/events.ts";
import type { IdentityChange, StatusEvent } from "../../whatsapp/inbound/port.ts";
import type { ConversationStatus, MessageDirection, MessageStatus } from "../../whatsapp/schema.ts";
import { taggedWith } from "../contacts/repository.ts";
import { presentContent, type MessageContentView } from "./content.ts";

// Contacts as WhatsApp sees them, conversations and messages. Tenant-scoped: every function takes
// the workspace id and a transaction from withWorkspace (RLS filters to the workspace, and for
// Agents to their assigned conversations). Personal data — phone, names, message content — is
// encrypted under the contact's data key, so erasing the contact shreds it everywhere.

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export type ContactRef = { id: string; dataKeyId: string; created: boolean };

function contactField(workspaceId: string, contactId: string, dataKeyId: string, column: string) {
  return { workspaceId, dataKeyId, table: "contacts", column, rowId: contactId };
}

export function messageContentField(workspaceId: string, messageId: string) {
  return { workspaceId, table: "messages", column: "content", rowId: messageId };
}

/** The WhatsApp identity an inbound message carries: a phone (wa_id), a BSUID, or both. */
export type WhatsAppIdentity = { waId: string | null; userId: string | null };

/**
 * Finds the contact a WhatsApp user is, by the blind index of their phone (wa_id: digits, E.164
 * without the +) and else of their business-scoped user id, or creates it. A user with a username
 * may come with a BSUID only: that contact has no phone until WhatsApp shares one, when it gains it.
 * Safe under concurrency: the unique (workspace_id, phone_index) and (workspace_id, user_id_index)
 * decide, and the loser reads the winner's row (its own unused data key is destroyed in the same
 * transaction).
 */
export async function upsertWhatsAppContact(
  trx: Tx,
  keyring: Keyring,
  input: WhatsAppIdentity & { workspaceId: string; profileName: string | null; at: Date },
): Promise<ContactRef> {
  const { workspaceId } = input;
  const phone = input.waId === null ? null : normalizePhone(`+${input.waId}`);
  const phoneIndex = phone === null ? null : await keyring.blindIndex(trx, workspaceId, "contacts.phone", phone);
  const userIndex = input.userId === null ? null : await keyring.blindIndex(trx, workspaceId, "contacts.user_id", input.userId);
  if (phoneIndex === null && userIndex === null) throw new RangeError("a WhatsApp contact needs a phone or a user id");
  const existing = await findWhatsAppContact(trx, workspaceId, phoneIndex, userIndex);
  if (existing) {
    await touchContact(trx, keyring, workspaceId, existing, { ...input, phone, phoneIndex, userIndex });
    return { id: existing.id, dataKeyId: existing.dataKeyId, created: false };
  }
  const id = randomUUID();
  const dataKeyId = await keyring.createDataKey(trx, workspaceId, "contact");
  const seal = (column: string, value: string) => keyring.encryptForSubject(trx, contactField(workspaceId, id, dataKeyId, column), value);
  const inserted = await trx
    .insertInto("contacts")
    .values({
      workspace_id: workspaceId,
      id,
      data_key_id: dataKeyId,
      phone_ciphertext: phone === null ? null : await seal("phone", phone),
      phone_index: phoneIndex,
      user_id_index: userIndex,
      name_ciphertext: input.profileName === null ? null : await seal("name", input.profileName),
      wa_profile_name_ciphertext: input.profileName === null ? null : await seal("wa_profile_name", input.profileName),
      wa_user_id_ciphertext: input.userId === null ? null : await seal("wa_user_id", input.userId),
      last_inbound_at: input.at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(["id"])
    .executeTakeFirst();
  if (inserted) return { id, dataKeyId, created: true };
  await keyring.shredDataKey(trx, workspaceId, dataKeyId);
  const winner = await findWhatsAppContact(trx, workspaceId, phoneIndex, userIndex);
  if (!winner) throw new Error("contact vanished during upsert");
  await touchContact(trx, keyring, workspaceId, winner, { ...input, phone, phoneIndex, userIndex });
  return { id: winner.id, dataKeyId: winner.dataKeyId, created: false };
}

type FoundContact = { id: string; dataKeyId: string; hasPhone: boolean; hasUserId: boolean };

/** The contact with this phone index, else the one with this user id index. */
async function findWhatsAppContact(trx: Tx, workspaceId: string, phoneIndex: string | null, userIndex: string | null): Promise<FoundContact | undefined> {
  for (const [column, value] of [["phone_index", phoneIndex], ["user_id_index", userIndex]] as const) {
    if (value === null) continue;
    const row = await trx
      .selectFrom("contacts")
      .select(["id", "data_key_id", "phone_index", "user_id_index"])
      .where("workspace_id", "=", workspaceId)
      .where(column, "=", value)
      .executeTakeFirst();
    if (row) return { id: row.id, dataKeyId: row.data_key_id, hasPhone: row.phone_index !== null, hasUserId: row.user_id_index !== null };
  }
  return undefined;
}

/**
 * Moves last_inbound_at forward, refreshes the WhatsApp profile name when it changed, and fills in
 * the identifier the contact lacked (a phone for a BSUID-only contact, a BSUID for a phone contact)
 * unless another contact already holds it.
 */
async function touchContact(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  contact: FoundContact,
  input: { profileName: string | null; userId: string | null; phone: string | null; phoneIndex: string | null; userIndex: string | null; at: Date },
): Promise<void> {
  const row = await trx
    .selectFrom("contacts")
    .select(["wa_profile_name_ciphertext", "wa_user_id_ciphertext", "last_inbound_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", contact.id)
    .executeTakeFirst();
  if (!row) return;
  const field = (column: string) => contactField(workspaceId, contact.id, contact.dataKeyId, column);
  const update: {
    wa_profile_name_ciphertext?: string;
    wa_user_id_ciphertext?: string;
    user_id_index?: string;
    phone_ciphertext?: string;
    phone_index?: string;
    last_inbound_at?: Date;
    updated_at?: Date;
  } = {};
  if (input.profileName !== null) {
    const current = row.wa_profile_name_ciphertext === null ? null : await keyring.decrypt(trx, field("wa_profile_name"), row.wa_profile_name_ciphertext);
    if (current !== input.profileName) update.wa_profile_name_ciphertext = await keyring.encryptForSubject(trx, field("wa_profile_name"), input.profileName);
  }
  if (input.userId !== null && input.userIndex !== null && !contact.hasUserId && !(await indexTaken(trx, workspaceId, "user_id_index", input.userIndex))) {
    update.wa_user_id_ciphertext = await keyring.encryptForSubject(trx, field("wa_user_id"), input.userId);
    update.user_id_index = input.userIndex;
  }
  if (input.phone !== null && input.phoneIndex !== null && !contact.hasPhone && !(await indexTaken(trx, workspaceId, "phone_index", input.phoneIndex))) {
    update.phone_ciphertext = await keyring.encryptForSubject(trx, field("phone"), input.phone);
    update.phone_index = input.phoneIndex;
  }
  if (row.last_inbound_at === null || row.last_inbound_at < input.at) update.last_inbound_at = input.at;
  if (Object.keys(update).length === 0) return;
  update.updated_at = new Date();
  await trx.updateTable("contacts").set(update).where("workspace_id", "=", workspaceId).where("id", "=", contact.id).execute();
}

async function indexTaken(trx: Tx, workspaceId: string, column: "phone_index" | "user_id_index", value: string): Promise<boolean> {
  const row = await trx.selectFrom("contacts").select("id").where("workspace_id", "=", workspaceId).where(column, "=", value).executeTakeFirst();
  return row !== undefined;
}

/**
 * Applies a `system` message saying a user changed their phone number (or their BSUID): the
 * contact found by the old identifier takes the new one, keeping its history, notes and tags. A
 * new number comes with a new BSUID, so the old BSUID is dropped (the next message brings the new
 * one). Nothing moves when no contact has the old identifier (already moved: a redelivery) or when
 * another contact already has the new one (never merged silently). Returns the contact moved.
 */
export async function changeWhatsAppIdentity(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  change: IdentityChange,
): Promise<{ contact: ContactRef; outcome: "moved" } | { contact: null; outcome: "not_found" | "conflict" }> {
  const column = change.kind === "number" ? "phone_index" : "user_id_index";
  const indexColumn = change.kind === "number" ? "contacts.phone" : "contacts.user_id";
  const [fromValue, toValue] = change.kind === "number" ? [normalizePhone(`+${change.fromWaId}`), normalizePhone(`+${change.toWaId}`)] : [change.fromUserId, change.toUserId];
  const fromIndex = await keyring.blindIndex(trx, workspaceId, indexColumn, fromValue);
  const toIndex = await keyring.blindIndex(trx, workspaceId, indexColumn, toValue);
  const current = await trx
    .selectFrom("contacts")
    .select(["id", "data_key_id"])
    .where("workspace_id", "=", workspaceId)
    .where(column, "=", fromIndex)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return { contact: null, outcome: "not_found" };
  if (await indexTaken(trx, workspaceId, column, toIndex)) return { contact: null, outcome: "conflict" };
  const field = (name: string) => contactField(workspaceId, current.id, current.data_key_id, name);
  const update =
    change.kind === "number"
      ? { phone_ciphertext: await keyring.encryptForSubject(trx, field("phone"), toValue), phone_index: toIndex, wa_user_id_ciphertext: null, user_id_index: null }
      : { wa_user_id_ciphertext: await keyring.encryptForSubject(trx, field("wa_user_id"), toValue), user_id_index: toIndex };
  await trx
    .updateTable("contacts")
    .set({ ...update, updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", current.id)
    .execute();
  return { contact: { id: current.id, dataKeyId: current.data_key_id, created: false }, outcome: "moved" };
}

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
    .returning(["id"])
    .executeTakeFirstOrThrow();
  return row.id;
}

export type InboundMessageInput = {
  workspaceId: string;
  conversationId: string;
  contact: ContactRef;
  numberId: string;
  phoneNumberId: string;
  wamid: string;
  type: string;
  content: Record<string, unknown>;
  occurredAt: Date;
  contextWamid: string | null;
  reactionToWamid: string | null;
  media: { id: string; mimeType: string | null; sha256: string | null } | null;
};

/**
 * Inserts an inbound message once: a second delivery of the same wamid (retry, duplicate, another
 * instance racing) hits the unique (workspace_id, phone_number_id, wamid) and does nothing.
 * Returns the new message id, or undefined for a duplicate.
 */
export async function insertInboundMessage(trx: Tx, keyring: Keyring, input: InboundMessageInput): Promise<string | undefined> {
  const id = randomUUID();
  const content = await keyring.encryptForSubject(trx, { ...messageContentField(input.workspaceId, id), dataKeyId: input.contact.dataKeyId }, JSON.stringify(input.content));
  const row = await trx
    .insertInto("messages")
    .values({
      workspace_id: input.workspaceId,
      id,
      conversation_id: input.conversationId,
      contact_id: input.contact.id,
      number_id: input.numberId,
      phone_number_id: input.phoneNumberId,
      direction: "in",
      wamid: input.wamid,
      type: input.type,
      content_ciphertext: content,
      media_id: input.media?.id ?? null,
      media_mime_type: input.media?.mimeType ?? null,
      media_sha256: input.media?.sha256 ?? null,
      context_wamid: input.contextWamid,
      reaction_to_wamid: input.reactionToWamid,
      status: "received",
      status_at: input.occurredAt,
      occurred_at: input.occurredAt,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "phone_number_id", "wamid"]).doNothing())
    .returning(["id"])
    .executeTakeFirst();
  // Published after the caller's transaction commits (inside withRealtime; a no-op elsewhere).
  if (row) noteRealtimeEvent({ type: "message.created", data: { conversationId: input.conversationId, messageId: row.id, direction: "in" } });
  return row?.id;
}

/**
 * Applies one reaction event — a user reacting to a message, or removing their reaction with an
 * empty emoji — only when it is newer than the latest one applied for that user and message
 * (reaction_events, migration 0021). Redeliveries and events overtaken by a later one change
 * nothing, so a removed reaction stays removed and a replaced one does not come back. Newer means a
 * later webhook timestamp; within the same second a removal wins, then the larger wamid: any arrival
 * order ends the same. Returns whether the event applied; then the user's other reactions to the
 * message are gone, and the caller stores this one unless it is a removal.
 */
export async function applyReactionEvent(
  trx: Tx,
  input: { workspaceId: string; contactId: string; phoneNumberId: string; targetWamid: string; wamid: string; at: Date; removed: boolean },
): Promise<boolean> {
  const at = input.at.toISOString();
  // The row lock of the upsert also queues concurrent events of the same user and message.
  const upserted = await sql<{ inserted: boolean }>`
    insert into reaction_events as r (workspace_id, phone_number_id, contact_id, target_wamid, event_wamid, event_at, removed)
    values (${input.workspaceId}, ${input.phoneNumberId}, ${input.contactId}, ${input.targetWamid}, ${input.wamid}, ${at}::timestamptz, ${input.removed})
    on conflict (workspace_id, phone_number_id, contact_id, target_wamid) do update
       set event_wamid = excluded.event_wamid, event_at = excluded.event_at, removed = excluded.removed
     where (excluded.event_at, excluded.removed, excluded.event_wamid) > (r.event_at, r.removed, r.event_wamid)
    returning (xmax = 0) as inserted`.execute(trx);
  const row = upserted.rows[0];
  if (!row) return false;

  const reactions = trx
    .selectFrom("messages")
    .where("workspace_id", "=", input.workspaceId)
    .where("contact_id", "=", input.contactId)
    .where("phone_number_id", "=", input.phoneNumberId)
    .where("direction", "=", "in")
    .where("type", "=", "reaction")
    .where("reaction_to_wamid", "=", input.targetWamid)
    .where("wamid", "<>", input.wamid);
  if (row.inserted) {
    // The first event recorded for this user and message: a reaction stored before the order was
    // recorded may be newer than it.
    const newer = await reactions.select(["wamid", "occurred_at"]).where("occurred_at", ">", input.at).orderBy("occurred_at", "desc").orderBy("wamid", "desc").limit(1).executeTakeFirst();
    if (newer?.wamid) {
      await trx
        .updateTable("reaction_events")
        .set({ event_wamid: newer.wamid, event_at: newer.occurred_at, removed: false })
        .where("workspace_id", "=", input.workspaceId)
        .where("phone_number_id", "=", input.phoneNumberId)
        .where("contact_id", "=", input.contactId)
        .where("target_wamid", "=", input.targetWamid)
        .execute();
      return false;
    }
  }
  const removed = await trx
    .deleteFrom("messages")
    .where("workspace_id", "=", input.workspaceId)
    .where("id", "in", reactions.select("id"))
    .returning(["id", "conversation_id"])
    .execute();
  for (const message of removed) noteRealtimeEvent({ type: "message.updated", data: { conversationId: message.conversation_id, messageId: message.id, change: "removed" } });
  return true;
}

const STATUS_RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, played: 4, failed: 9 };
const CHUNK = 500;

/**
 * Applies status webhooks set-wise: every status once into the history (duplicates collapse on its
 * key), outbound rows still waiting for their wamid are matched by Parley's send id (echoed as
 * biz_opaque_callback_data), then each message moves up the ladder to the best status seen —
 * never down, and never out of `failed`. The same final state results from any arrival order.
 */
export async function applyStatuses(trx: Tx, workspaceId: string, events: StatusEvent[]): Promise<{ recorded: number; updated: number }> {
  // Concurrent batches touch overlapping rows; taking locks in one global order (by key) means two
  // batches queue behind each other instead of deadlocking.
  const ordered = [...events].sort((a, b) => compareKeys(a.wamid, b.wamid) || compareKeys(a.status, b.status));
  let recorded = 0;
  for (let index = 0; index < ordered.length; index += CHUNK) {
    const slice = ordered.slice(index, index + CHUNK);
    const result = await trx
      .insertInto("message_statuses")
      .values(
        slice.map((event) => ({
          workspace_id: workspaceId,
          phone_number_id: event.phoneNumberId,
          wamid: event.wamid,
          status: event.status,
          occurred_at: event.occurredAt,
          send_id: event.sendId,
          error_code: event.errorCode,
          error_title: event.errorTitle,
          pricing_category: event.pricingCategory,
          pricing_type: event.pricingType,
        })),
      )
      .onConflict((oc) => oc.columns(["workspace_id", "wamid", "status"]).doNothing())
      .executeTakeFirst();
    recorded += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }

  const bySendId = new Map<string, StatusEvent>();
  for (const event of events) if (event.sendId) bySendId.set(event.sendId, event);
  const reconcile = [...bySendId.values()].sort((a, b) => compareKeys(a.sendId!, b.sendId!));
  for (let index = 0; index < reconcile.length; index += CHUNK) {
    const rows = reconcile.slice(index, index + CHUNK).map((event) => sql`(${event.sendId}::uuid, ${event.phoneNumberId}, ${event.wamid})`);
    await sql`
      with target as (
        select m.id, v.wamid from messages m
          join (values ${sql.join(rows)}) as v(send_id, phone_number_id, wamid)
            on m.send_id = v.send_id and m.phone_number_id = v.phone_number_id
         where m.workspace_id = ${workspaceId} and m.direction = 'out' and m.wamid is null
         order by m.id
           for update of m)
      update messages m set wamid = target.wamid from target
       where m.workspace_id = ${workspaceId} and m.id = target.id and m.wamid is null`.execute(trx);
  }

  // One candidate per message: the highest rank (latest timestamp breaks ties).
  const best = new Map<string, StatusEvent>();
  for (const event of events) {
    const key = `${event.phoneNumberId}|${event.wamid}`;
    const current = best.get(key);
    if (!current || STATUS_RANK[event.status]! > STATUS_RANK[current.status]! || (event.status === current.status && event.occurredAt > current.occurredAt)) {
      best.set(key, event);
    }
  }
  let updated = 0;
  const candidates = [...best.values()];
  for (let index = 0; index < candidates.length; index += CHUNK) {
    const rows = candidates
      .slice(index, index + CHUNK)
      .map((event) => sql`(${event.phoneNumberId}, ${event.wamid}, ${event.status}, ${event.occurredAt.toISOString()}::timestamptz, ${event.errorCode}::integer)`);
    // Lock the rows in id order first; the rank test is re-checked on the locked (latest) row.
    const result = await sql<{ id: string; conversation_id: string; status: string }>`
      with target as (
        select m.id, v.status, v.at, v.error_code from messages m
          join (values ${sql.join(rows)}) as v(phone_number_id, wamid, status, at, error_code)
            on m.phone_number_id = v.phone_number_id and m.wamid = v.wamid
         where m.workspace_id = ${workspaceId} and m.direction = 'out'
         order by m.id
           for update of m)
      update messages m set status = target.status, status_at = target.at, error_code = coalesce(target.error_code, m.error_code)
        from target
       where m.workspace_id = ${workspaceId} and m.id = target.id
         and message_status_rank(m.status) < message_status_rank(target.status)
      returning m.id, m.conversation_id, m.status`.execute(trx);
    updated += result.rows.length;
    for (const row of result.rows) noteRealtimeEvent({ type: "message.status", data: { conversationId: row.conversation_id, messageId: row.id, status: row.status } });
  }
  return { recorded, updated };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Brings outbound messages up to the best status already recorded for their wamid. For the sender
 * (outbox) after it learns a wamid: statuses that arrived first are not lost.
 */
export async function applyRecordedStatuses(trx: Tx, workspaceId: string, messageIds: string | readonly string[]): Promise<void> {
  const ids = typeof messageIds === "string" ? [messageIds] : [...messageIds];
  if (ids.length === 0) return;
  await sql`
    update messages m set status = h.status, status_at = h.occurred_at, error_code = coalesce(h.error_code, m.error_code)
      from (select distinct on (x.id) x.id, s.status, s.occurred_at, s.error_code from message_statuses s
              join messages x on x.workspace_id = s.workspace_id and x.wamid = s.wamid and x.phone_number_id = s.phone_number_id
             where x.workspace_id = ${workspaceId} and x.id = any(${ids}::uuid[])
             order by x.id, message_status_rank(s.status) desc, s.occurred_at desc) h
     where m.workspace_id = ${workspaceId} and m.id = h.id and m.direction = 'out'
       and message_status_rank(m.status) < message_status_rank(h.status)`.execute(trx);
}

export type ConversationView = {
  id: string;
  contactId: string;
  numberId: string;
  status: ConversationStatus;
  lastInboundAt: Date | null;
  /** Free-form replies are allowed until then (null: never opened by the customer). */
  windowExpiresAt: Date | null;
  assignedUserId: string | null;
  createdAt: Date;
};

export async function listConversations(trx: Tx, workspaceId: string, options: { limit: number }): Promise<ConversationView[]> {
  const rows = await trx
    .selectFrom("conversations")
    .select(["id", "contact_id", "number_id", "status", "last_inbound_at", "assigned_user_id", "created_at"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("last_message_at", "desc")
    .orderBy("id")
    .limit(Math.min(Math.max(options.limit, 1), 500))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    contactId: row.contact_id,
    numberId: row.number_id,
    status: row.status,
    lastInboundAt: row.last_inbound_at,
    windowExpiresAt: row.last_inbound_at ? new Date(row.last_inbound_at.getTime() + SERVICE_WINDOW_MS) : null,
    assignedUserId: row.assigned_user_id,
    createdAt: row.created_at,
  }));
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

export type MessageView = {
  id: string;
  conversationId: string;
  direction: MessageDirection;
  wamid: string | null;
  type: string;
  content: Record<string, unknown> | null;
  media: { id: string; mimeType: string | null; sha256: string | null } | null;
  contextWamid: string | null;
  reactionToWamid: string | null;
  status: MessageStatus;
  occurredAt: Date;
};

/** A conversation's messages, decrypted with the contact's data key (oldest first). */
export async function listMessages(trx: Tx, keyring: Keyring, workspaceId: string, conversationId: string, options: { limit: number }): Promise<MessageView[]> {
  const rows = await trx
    .selectFrom("messages")
    .select(["id", "conversation_id", "direction", "wamid", "type", "content_ciphertext", "media_id", "media_mime_type", "media_sha256", "context_wamid", "reaction_to_wamid", "status", "occurred_at"])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .orderBy("occurred_at")
    .orderBy("id")
    .limit(Math.min(Math.max(options.limit, 1), 1_000))
    .execute();
  const views: MessageView[] = [];
  for (const row of rows) {
    const content = row.content_ciphertext === null ? null : (JSON.parse(await keyring.decrypt(trx, messageContentField(workspaceId, row.id), row.content_ciphertext)) as Record<string, unknown>);
    views.push({
      id: row.id,
      conversationId: row.conversation_id,
      direction: row.direction,
      wamid: row.wamid,
      type: row.type,
      content,
      media: row.media_id === null ? null : { id: row.media_id, mimeType: row.media_mime_type, sha256: row.media_sha256 },
      contextWamid: row.context_wamid,
      reactionToWamid: row.reaction_to_wamid,
      status: row.status,
      occurredAt: row.occurred_at,
    });
  }
  return views;
}

// ——— The inbox (dashboard and API): pages of conversations and messages, decrypted for display ———

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

const PREVIEW_LENGTH = 140;

/** The text a person would read for a stored content object, whatever its type (inbound or outbound shapes). */
export function describeContent(type: string, content: Record<string, unknown> | null): string | null {
  if (!content) return null;
  const pick = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);
  const nested = (key: string, field: string): string | null => {
    const value = content[key];
    return value && typeof value === "object" ? pick((value as Record<string, unknown>)[field]) : null;
  };
  return (
    pick(content.body) ??
    pick(content.caption) ??
    pick(content.emoji) ??
    nested("button_reply", "title") ??
    nested("list_reply", "title") ??
    pick(content.text) ??
    nested("body", "text") ??
    (type === "template" && typeof content.name === "string" ? `Template: ${content.name}` : null) ??
    (type === "location" ? pick(content.name) ?? pick(content.address) ?? "Location" : null) ??
    pick(content.filename) ??
    pick(content.value) ??
    describeStructured(type, content)
  );
}

/** A line for the kinds that have no text of their own (shared contacts, orders, unsupported types…). */
function describeStructured(type: string, content: Record<string, unknown>): string | null {
  const view = presentContent(type, content);
  switch (view?.kind) {
    case "contacts":
      return view.contacts.length === 1 ? `Contact: ${view.contacts[0]!.name ?? "unnamed"}` : `${view.contacts.length} contacts`;
    case "order":
      return `Order: ${view.items.length} ${view.items.length === 1 ? "item" : "items"}`;
    case "button":
      return view.text ?? view.payload;
    case "flow_reply":
      return view.body ?? "Form reply";
    case "system":
      return view.body ?? "System message";
    case "unsupported":
      return `Unsupported message (${view.type})`;
    default:
      return null;
  }
}

function truncate(text: string | null, length: number): string | null {
  if (text === null) return null;
  const chars = [...text];
  return chars.length <= length ? text : `${chars.slice(0, length - 1).join("")}…`;
}

async function decryptOrNull(trx: Tx, keyring: Keyring, context: Parameters<Keyring["decrypt"]>[1], envelope: string | null): Promise<string | null> {
  if (envelope === null) return null;
  try {
    return await keyring.decrypt(trx, context, envelope);
  } catch {
    // An erased contact's data key is destroyed: its data reads as gone, not as an error.
    return null;
  }
}

// The sort key: coalesce(last_message_at, created_at), stored by the database (migration 0012).
const activity = sql<Date>`conversations.activity_at`;
// The sort key exactly as stored (microseconds), for cursors: a JavaScript Date keeps milliseconds
// only, and a cursor rounded down would skip rows within the same millisecond.
const activityKey = sql<string>`to_char(conversations.activity_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A keyset position: the sort key (a Date, or the exact ISO text of a cursor) and the row id. */
export type KeysetPosition = { at: Date | string; id: string };

function keysetTime(at: Date | string): string {
  return typeof at === "string" ? at : at.toISOString();
}

/** The inbox's conversation rows joined with their contacts, in one workspace. */
function inboxRows(trx: Tx, workspaceId: string) {
  return trx
    .selectFrom("conversations")
    .innerJoin("contacts", (join) => join.onRef("contacts.workspace_id", "=", "conversations.workspace_id").onRef("contacts.id", "=", "conversations.contact_id"))
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
    .where("conversations.workspace_id", "=", workspaceId);
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
  return value.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
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
    await keyring.preloadDataKeys(trx, workspaceId, batch.map((row) => row.data_key_id));
    for (const row of batch) {
      scanned += 1;
      after = { at: row.activity_key, id: row.id };
      const field = (column: string) => ({ workspaceId, table: "contacts", column, rowId: row.contact_id });
      const names = [await decryptOrNull(trx, keyring, field("name"), row.name_ciphertext), await decryptOrNull(trx, keyring, field("wa_profile_name"), row.wa_profile_name_ciphertext)];
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
export async function findInboxConversation(trx: Tx, keyring: Keyring, workspaceId: string, conversationId: string): Promise<InboxConversation | undefined> {
  const rows = await inboxRows(trx, workspaceId)
    .where("conversations.id", "=", conversationId)
    .execute();
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
          .select(["messages.id", "messages.direction", "messages.type", "messages.content_ciphertext", "messages.status", "messages.occurred_at"])
          .where("messages.workspace_id", "=", workspaceId)
          .whereRef("messages.conversation_id", "=", "conversations.id")
          .orderBy("messages.occurred_at", "desc")
          .orderBy("messages.id", "desc")
          .limit(1)
          .as("last"),
      (join) => join.onTrue(),
    )
    .select(["conversations.id as conversation_id", "last.id", "last.direction", "last.type", "last.content_ciphertext", "last.status", "last.occurred_at"])
    .where("conversations.workspace_id", "=", workspaceId)
    .where(
      "conversations.id",
      "in",
      rows.map((row) => row.id),
    )
    .execute();
  const lastByConversation = new Map(latest.map((message) => [message.conversation_id, message]));
  await keyring.preloadDataKeys(trx, workspaceId, rows.map((row) => row.data_key_id));
  const views: InboxConversation[] = [];
  for (const row of rows) {
    const field = (column: string) => ({ workspaceId, table: "contacts", column, rowId: row.contact_id });
    const name = (await decryptOrNull(trx, keyring, field("name"), row.name_ciphertext)) ?? (await decryptOrNull(trx, keyring, field("wa_profile_name"), row.wa_profile_name_ciphertext));
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
        text: truncate(describeContent(message.type, content), PREVIEW_LENGTH),
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

/** A message's media as the conversation view shows it (the bytes come through a signed URL). */
export type InboxMedia = {
  mimeType: string | null;
  /** Stored (encrypted) and servable through GET …/messages/:id/media-url. */
  available: boolean;
  /** pending, stored, refused or failed; null for media Parley does not keep (an API send by Meta id or link). */
  status: "pending" | "stored" | "refused" | "failed" | null;
  /** Why it was refused or failed, in words (PII-free). */
  error: string | null;
  sizeBytes: number | null;
  /** A document's file name, from the message. */
  filename: string | null;
};

export type InboxMessage = {
  id: string;
  conversationId: string;
  direction: MessageDirection;
  type: string;
  /** What a person reads: body, caption, emoji, button title… (null when the content is gone). */
  text: string | null;
  /** The content by kind (location, shared contacts, reply, order…; `unsupported` with its type). */
  content: MessageContentView | null;
  media: InboxMedia | null;
  status: MessageStatus;
  errorCode: number | null;
  sentByUserId: string | null;
  occurredAt: Date;
};

/** A page of a conversation's messages, newest first from `before` (keyset), decrypted. */
export async function listInboxMessages(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  conversationId: string,
  options: { before?: KeysetPosition; limit: number },
): Promise<InboxMessage[]> {
  let query = trx
    .selectFrom("messages")
    .select(["id", "conversation_id", "direction", "type", "content_ciphertext", "media_id", "media_mime_type", "media_blob_key", "media_status", "media_error", "media_size", "status", "error_code", "sent_by_user_id", "occurred_at"])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId);
  if (options.before) {
    const { at, id } = options.before;
    query = query.where(sql<boolean>`(occurred_at, id) < (${keysetTime(at)}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query
    .orderBy("occurred_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(Math.max(options.limit, 1), 501))
    .execute();
  const messages: InboxMessage[] = [];
  for (const row of rows) {
    const plaintext = await decryptOrNull(trx, keyring, messageContentField(workspaceId, row.id), row.content_ciphertext);
    const content = plaintext === null ? null : (JSON.parse(plaintext) as Record<string, unknown>);
    messages.push({
      id: row.id,
      conversationId: row.conversation_id,
      direction: row.direction,
      type: row.type,
      text: describeContent(row.type, content),
      content: presentContent(row.type, content),
      media:
        row.media_id === null && row.media_blob_key === null
          ? null
          : {
              mimeType: row.media_mime_type,
              available: row.media_blob_key !== null,
              status: row.media_status,
              error: row.media_error,
              sizeBytes: row.media_size === null ? null : Number(row.media_size),
              filename: content && typeof content.filename === "string" ? content.filename : null,
            },
      status: row.status,
      errorCode: row.error_code,
      sentByUserId: row.sent_by_user_id,
      occurredAt: row.occurred_at,
    });
  }
  return messages;
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
  const row = await trx.selectFrom("conversations").select("id").where("workspace_id", "=", workspaceId).where("id", "=", conversationId).executeTakeFirst();
  return row !== undefined;
}

/** The current assignee of a visible conversation (undefined when not visible). */
export async function findAssignee(trx: Tx, workspaceId: string, conversationId: string): Promise<{ assignedUserId: string | null } | undefined> {
  const row = await trx
    .selectFrom("conversations")
    .select("assigned_user_id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", conversationId)
    .forUpdate()
    .executeTakeFirst();
  return row ? { assignedUserId: row.assigned_user_id } : undefined;
}
