import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import { noteRealtimeEvent } from "../../realtime/events.ts";
import type { StatusEvent } from "../../whatsapp/inbound/port.ts";
import type { MessageDirection, MessageStatus } from "../../whatsapp/schema.ts";
import { describeContent, presentContent, type MessageContentView } from "../conversations/content.ts";
import { keysetTime, type KeysetPosition } from "../../db/keyset.ts";
import type { ContactRef } from "../contacts/whatsapp-repository.ts";
import type { ClaimedUpload } from "./media/upload.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";

// Messages: inbound inserts, reactions, the status ladder and a conversation's thread.
// Tenant-scoped: every function takes the workspace id and a transaction from withWorkspace.
// Message content is encrypted under the contact's data key, so erasing the contact shreds it.

export function messageContentField(workspaceId: string, messageId: string) {
  return { workspaceId, table: "messages", column: "content", rowId: messageId };
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
  const content = await keyring.encryptForSubject(
    trx,
    { ...messageContentField(input.workspaceId, id), dataKeyId: input.contact.dataKeyId },
    JSON.stringify(input.content),
  );
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
  if (row) {
    noteRealtimeEvent({ type: "message.created", data: { conversationId: input.conversationId, messageId: row.id, direction: "in" } });
    await recordWebhookEvent(
      trx,
      input.workspaceId,
      {
        type: "message.received",
        data: {
          workspaceId: input.workspaceId,
          conversationId: input.conversationId,
          messageId: row.id,
          contactId: input.contact.id,
          numberId: input.numberId,
          messageType: input.type.slice(0, 40),
          receivedAt: input.occurredAt.toISOString(),
        },
      },
      { occurredAt: input.occurredAt },
    );
  }
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
    const newer = await reactions
      .select(["wamid", "occurred_at"])
      .where("occurred_at", ">", input.at)
      .orderBy("occurred_at", "desc")
      .orderBy("wamid", "desc")
      .limit(1)
      .executeTakeFirst();
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
  for (const message of removed)
    noteRealtimeEvent({
      type: "message.updated",
      data: { conversationId: message.conversation_id, messageId: message.id, change: "removed" },
    });
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
    if (
      !current ||
      STATUS_RANK[event.status]! > STATUS_RANK[current.status]! ||
      (event.status === current.status && event.occurredAt > current.occurredAt)
    ) {
      best.set(key, event);
    }
  }
  let updated = 0;
  const candidates = [...best.values()];
  for (let index = 0; index < candidates.length; index += CHUNK) {
    const rows = candidates
      .slice(index, index + CHUNK)
      .map(
        (event) =>
          sql`(${event.phoneNumberId}, ${event.wamid}, ${event.status}, ${event.occurredAt.toISOString()}::timestamptz, ${event.errorCode}::integer)`,
      );
    // Lock the rows in id order first; the rank test is re-checked on the locked (latest) row.
    const result = await sql<{ id: string; conversation_id: string; status: string; status_at: Date | string }>`
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
      returning m.id, m.conversation_id, m.status, m.status_at`.execute(trx);
    updated += result.rows.length;
    for (const row of result.rows) {
      noteRealtimeEvent({ type: "message.status", data: { conversationId: row.conversation_id, messageId: row.id, status: row.status } });
      if (isWebhookStatus(row.status)) {
        const at = new Date(row.status_at);
        await recordWebhookEvent(
          trx,
          workspaceId,
          {
            type: "message.status",
            data: { workspaceId, conversationId: row.conversation_id, messageId: row.id, status: row.status, at: at.toISOString() },
          },
          { occurredAt: at },
        );
      }
    }
  }
  return { recorded, updated };
}

/** The delivery statuses outbound webhooks report (message.status). */
function isWebhookStatus(status: string): status is "sent" | "delivered" | "read" | "failed" {
  return status === "sent" || status === "delivered" || status === "read" || status === "failed";
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
    .select([
      "id",
      "conversation_id",
      "direction",
      "type",
      "content_ciphertext",
      "media_id",
      "media_mime_type",
      "media_blob_key",
      "media_status",
      "media_error",
      "media_size",
      "status",
      "error_code",
      "sent_by_user_id",
      "occurred_at",
    ])
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

export async function decryptOrNull(
  trx: Tx,
  keyring: Keyring,
  context: Parameters<Keyring["decrypt"]>[1],
  envelope: string | null,
): Promise<string | null> {
  if (envelope === null) return null;
  try {
    return await keyring.decrypt(trx, context, envelope);
  } catch {
    // An erased contact's data key is destroyed: its data reads as gone, not as an error.
    return null;
  }
}

/** Whether the message has stored media the caller may see (RLS). */
/** The conversation and contact of a message with stored media the caller may see, or undefined. */
export async function findStoredMediaSubject(
  trx: Tx,
  workspaceId: string,
  messageId: string,
): Promise<{ conversationId: string; contactId: string } | undefined> {
  const row = await trx
    .selectFrom("messages")
    .select(["conversation_id", "contact_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("media_status", "=", "stored")
    .where("media_blob_key", "is not", null)
    .executeTakeFirst();
  return row ? { conversationId: row.conversation_id, contactId: row.contact_id } : undefined;
}

/** Where a message's stored media is and what it is, with the content that may name its file. */
export function findStoredMedia(trx: Tx, workspaceId: string, messageId: string) {
  return trx
    .selectFrom("messages")
    .select(["type", "media_blob_key", "media_mime_type", "content_ciphertext"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("media_status", "=", "stored")
    .executeTakeFirst();
}

/** The WhatsApp id of a message in the conversation, to react to it. */
export function findMessageWamid(trx: Tx, workspaceId: string, conversationId: string, messageId: string) {
  return trx
    .selectFrom("messages")
    .select(["wamid"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("conversation_id", "=", conversationId)
    .executeTakeFirst();
}

export type OutboundMessageInput = {
  workspaceId: string;
  id: string;
  target: { conversationId: string; contactId: string; numberId: string; phoneNumberId: string };
  type: string;
  /** What Graph will be sent, encrypted under the contact's data key. */
  content: Record<string, unknown>;
  dataKeyId: string;
  mediaId: string | null;
  /** A Parley upload the message carries: its sealed blob. */
  upload: ClaimedUpload | undefined;
  reactionWamid: string | null;
  /** The member sending (null for system sends). */
  userId: string | null;
  now: Date;
};

/** Writes a queued outbound message; its send job is enqueued by the caller in the same transaction. */
export async function insertOutboundMessage(trx: Tx, keyring: Keyring, input: OutboundMessageInput): Promise<void> {
  await trx
    .insertInto("messages")
    .values({
      workspace_id: input.workspaceId,
      id: input.id,
      conversation_id: input.target.conversationId,
      contact_id: input.target.contactId,
      number_id: input.target.numberId,
      phone_number_id: input.target.phoneNumberId,
      direction: "out",
      type: input.type,
      content_ciphertext: await keyring.encryptForSubject(
        trx,
        { ...messageContentField(input.workspaceId, input.id), dataKeyId: input.dataKeyId },
        JSON.stringify(input.content),
      ),
      media_id: input.mediaId,
      ...(input.upload
        ? {
            media_blob_key: input.upload.media_blob_key,
            media_mime_type: input.upload.media_mime_type,
            media_size: input.upload.media_size,
            media_sha256: input.upload.media_sha256,
            media_status: input.upload.media_status,
          }
        : {}),
      reaction_to_wamid: input.reactionWamid,
      status: "queued",
      status_at: input.now,
      send_id: randomUUID(),
      sent_by_user_id: input.userId,
      occurred_at: input.now,
    })
    .execute();
}
