import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { MessageStatus } from "../../whatsapp/schema.ts";

// The send worker's reads and writes of outbound messages (./worker.ts, ./upload-media.ts): the
// claim that locks a batch and marks it `sending`, and the outcomes Graph's answers lead to.
// Tenant-scoped: every function takes the workspace id and a transaction from withWorkspace.

/** send_error holds at most this many characters. */
const SEND_ERROR_MAX = 500;

/** What pacing a send from the number needs: its tier, Meta id and status. */
export async function findNumberSendLimits(
  trx: Tx,
  workspaceId: string,
  numberId: string,
): Promise<{ tier: number; phone_number_id: string; status: string } | undefined> {
  return trx
    .selectFrom("numbers")
    .select(["tier", "phone_number_id", "status"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .executeTakeFirst();
}

/** The number and contact of a message, for a job queued without them. */
export async function findMessageParties(
  trx: Tx,
  workspaceId: string,
  messageId: string,
): Promise<{ numberId: string; contactId: string } | undefined> {
  const row = await trx
    .selectFrom("messages")
    .select(["number_id", "contact_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .executeTakeFirst();
  return row ? { numberId: row.number_id, contactId: row.contact_id } : undefined;
}

export type SendingState = { status: MessageStatus; wamid: string | null; sending_at: Date | null; number_id: string; contact_id: string };

/** A message's send state, its row locked until commit. */
export async function lockSendingState(trx: Tx, workspaceId: string, messageId: string): Promise<SendingState | undefined> {
  return trx
    .selectFrom("messages")
    .select(["status", "wamid", "sending_at", "number_id", "contact_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The outbound messages of a batch with their number's token and their contact's address, their
 * rows locked in id order (so concurrent batches cannot deadlock).
 */
export async function lockMessagesForSending(trx: Tx, workspaceId: string, messageIds: readonly string[]) {
  return trx
    .selectFrom("messages as m")
    .innerJoin("numbers as n", (join) => join.onRef("n.workspace_id", "=", "m.workspace_id").onRef("n.id", "=", "m.number_id"))
    .innerJoin("contacts as c", (join) => join.onRef("c.workspace_id", "=", "m.workspace_id").onRef("c.id", "=", "m.contact_id"))
    .select([
      "m.id",
      "m.status",
      "m.wamid",
      "m.send_id",
      "m.type",
      "m.content_ciphertext",
      "m.contact_id",
      "m.number_id",
      "m.phone_number_id",
      "m.sending_at",
      "m.send_attempts",
      "n.status as number_status",
      "n.access_token_ciphertext",
      "n.access_token_version",
      "c.phone_ciphertext",
      "c.wa_user_id_ciphertext",
      "c.data_key_id",
      "c.deleted_at as contact_deleted_at",
    ])
    .where("m.workspace_id", "=", workspaceId)
    .where("m.id", "in", [...messageIds])
    .where("m.direction", "=", "out")
    .orderBy("m.id")
    .forUpdate("m")
    .execute();
}

/** Marks claimed messages `sending`, counting the attempt. */
export async function markSending(trx: Tx, workspaceId: string, messageIds: readonly string[], now: Date): Promise<void> {
  await trx
    .updateTable("messages")
    .set({ status: "sending", status_at: now, sending_at: now, send_attempts: sql<number>`send_attempts + 1` })
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...messageIds])
    .execute();
}

/** A `sending` message whose wamid the status webhook already brought is `accepted`. */
export async function markSendingAccepted(trx: Tx, workspaceId: string, messageId: string, now: Date): Promise<void> {
  await trx
    .updateTable("messages")
    .set({ status: "accepted", status_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("status", "=", "sending")
    .execute();
}

/** A `sending` message whose outcome nobody told us is `unknown`, with the reason. */
export async function markSendingUnknown(trx: Tx, workspaceId: string, messageId: string, now: Date, reason: string): Promise<void> {
  await trx
    .updateTable("messages")
    .set({ status: "unknown", status_at: now, send_error: reason })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("status", "=", "sending")
    .execute();
}

/** Fails the message, if it is still in one of `fromStatuses`, with Meta's code (if any) and the reason. */
export async function markMessageFailed(
  trx: Tx,
  workspaceId: string,
  messageId: string,
  input: { now: Date; code: number | null; reason: string; fromStatuses: readonly ("queued" | "sending")[] },
): Promise<void> {
  await trx
    .updateTable("messages")
    .set({ status: "failed", status_at: input.now, error_code: input.code, send_error: input.reason.slice(0, SEND_ERROR_MAX) })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("status", "in", [...input.fromStatuses])
    .execute();
}

/** Puts a `sending` message back in the queue after an answer that allows a retry; whether it was still `sending`. */
export async function requeueSending(trx: Tx, workspaceId: string, messageId: string, now: Date, code: number | null): Promise<boolean> {
  const reverted = await trx
    .updateTable("messages")
    .set({ status: "queued", status_at: now, sending_at: null, error_code: code, send_error: null })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("status", "=", "sending")
    .executeTakeFirst();
  return reverted.numUpdatedRows > 0n;
}

/** Keeps each accepted send's wamid and moves `sending` rows on to `accepted` (or `held`), in one statement. */
export async function recordAcceptedSends(
  trx: Tx,
  workspaceId: string,
  items: readonly { messageId: string; wamid: string; held: boolean }[],
  now: Date,
): Promise<void> {
  await sql`
    update messages m
       set wamid = coalesce(m.wamid, v.wamid),
           status = case when m.status = 'sending' then v.status else m.status end,
           status_at = case when m.status = 'sending' then ${now.toISOString()}::timestamptz else m.status_at end,
           error_code = null,
           send_error = null
      from (select unnest(${items.map((item) => item.messageId)}::uuid[]) as id,
                   unnest(${items.map((item) => item.wamid)}::text[]) as wamid,
                   unnest(${items.map((item) => (item.held ? "held" : "accepted"))}::text[]) as status) v
     where m.workspace_id = ${workspaceId} and m.id = v.id`.execute(trx);
}

/** A queued message's upload, before it goes to Meta. */
export async function findPendingUpload(trx: Tx, workspaceId: string, messageId: string) {
  return trx
    .selectFrom("messages")
    .select(["type", "status", "media_id", "media_blob_key", "media_mime_type", "number_id", "content_ciphertext"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .where("direction", "=", "out")
    .executeTakeFirst();
}

/** The message's media id and sealed content with its contact's data key, its row locked until commit. */
export async function lockUploadedContent(trx: Tx, workspaceId: string, messageId: string) {
  return trx
    .selectFrom("messages as m")
    .innerJoin("contacts as c", (join) => join.onRef("c.workspace_id", "=", "m.workspace_id").onRef("c.id", "=", "m.contact_id"))
    .select(["m.media_id", "m.content_ciphertext", "c.data_key_id"])
    .where("m.workspace_id", "=", workspaceId)
    .where("m.id", "=", messageId)
    .forUpdate("m")
    .executeTakeFirst();
}

/** Stores Meta's media id and the content re-sealed to name it. */
export async function setUploadedMedia(
  trx: Tx,
  workspaceId: string,
  messageId: string,
  mediaId: string,
  contentCiphertext: string,
): Promise<void> {
  await trx
    .updateTable("messages")
    .set({ media_id: mediaId, content_ciphertext: contentCiphertext })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .execute();
}
