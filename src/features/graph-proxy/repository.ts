import type { Tx } from "../../db/database.ts";

// What the Graph-compatible proxy reads: numbers and messages by the ids Meta gives them (a client
// of the proxy knows only those), always inside one workspace — the API key's.

export type ProxyNumber = { id: string; phoneNumberId: string; wabaId: string; status: string };

/** The workspace's number with this Meta phone-number id (undefined: not this workspace's). */
export async function findNumberByPhoneNumberId(trx: Tx, workspaceId: string, phoneNumberId: string): Promise<ProxyNumber | undefined> {
  const row = await trx
    .selectFrom("numbers")
    .select(["id", "phone_number_id", "waba_id", "status"])
    .where("workspace_id", "=", workspaceId)
    .where("phone_number_id", "=", phoneNumberId)
    .executeTakeFirst();
  return row ? { id: row.id, phoneNumberId: row.phone_number_id, wabaId: row.waba_id, status: row.status } : undefined;
}

/** The workspace's numbers of a WABA (Meta's WABA id), oldest first. */
export async function findNumbersByWabaId(trx: Tx, workspaceId: string, wabaId: string): Promise<ProxyNumber[]> {
  const rows = await trx
    .selectFrom("numbers")
    .select(["id", "phone_number_id", "waba_id", "status"])
    .where("workspace_id", "=", workspaceId)
    .where("waba_id", "=", wabaId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ id: row.id, phoneNumberId: row.phone_number_id, wabaId: row.waba_id, status: row.status }));
}

export type SendOutcomeRow = { status: string; wamid: string | null; errorCode: number | null; sendError: string | null };

/** Where an outbound message stands in the outbox (undefined: not visible in the workspace). */
export async function findSendOutcome(trx: Tx, workspaceId: string, messageId: string): Promise<SendOutcomeRow | undefined> {
  const row = await trx
    .selectFrom("messages")
    .select(["status", "wamid", "error_code", "send_error"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .executeTakeFirst();
  return row ? { status: row.status, wamid: row.wamid, errorCode: row.error_code, sendError: row.send_error } : undefined;
}

/** A message of the number by its wamid (reaction targets, read receipts). */
export async function findMessageByWamid(
  trx: Tx,
  workspaceId: string,
  numberId: string,
  wamid: string,
): Promise<{ id: string; conversationId: string; direction: string } | undefined> {
  const row = await trx
    .selectFrom("messages")
    .select(["id", "conversation_id", "direction"])
    .where("workspace_id", "=", workspaceId)
    .where("number_id", "=", numberId)
    .where("wamid", "=", wamid)
    .executeTakeFirst();
  return row ? { id: row.id, conversationId: row.conversation_id, direction: row.direction } : undefined;
}

export type MediaMessageRow = {
  messageId: string;
  numberId: string;
  mimeType: string | null;
  sha256: string | null;
  size: number | null;
  isStored: boolean;
};

/** The newest message of the workspace carrying this Meta media id (inbound, or sent by id). */
export async function findMessageByMediaId(trx: Tx, workspaceId: string, mediaId: string): Promise<MediaMessageRow | undefined> {
  const row = await trx
    .selectFrom("messages")
    .select(["id", "number_id", "media_mime_type", "media_sha256", "media_size", "media_blob_key", "media_status"])
    .where("workspace_id", "=", workspaceId)
    .where("media_id", "=", mediaId)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    messageId: row.id,
    numberId: row.number_id,
    mimeType: row.media_mime_type,
    sha256: row.media_sha256,
    size: row.media_size === null ? null : Number(row.media_size),
    isStored: row.media_blob_key !== null && row.media_status === "stored",
  };
}
