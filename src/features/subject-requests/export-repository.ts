import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";

// What a contact's export reads, table by table (the tables the data inventory marks exportable).
// Rows come back as stored (ciphertext included); ./bundle.ts decrypts and shapes them. Tenant-scoped
// like every repository: the workspace id is an argument and RLS applies.

export async function readContactRow(trx: Tx, workspaceId: string, contactId: string) {
  return trx
    .selectFrom("contacts")
    .select([
      "id",
      "data_key_id",
      "phone_ciphertext",
      "name_ciphertext",
      "wa_profile_name_ciphertext",
      "wa_user_id_ciphertext",
      "custom_fields_ciphertext",
      "consent_status",
      "consent_source",
      "consent_updated_at",
      "last_inbound_at",
      "deleted_at",
      "created_at",
      "updated_at",
    ])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", contactId)
    .executeTakeFirst();
}

export function readContactTags(trx: Tx, workspaceId: string, contactId: string) {
  return trx
    .selectFrom("contact_tags")
    .select(["tag", "created_at"])
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .orderBy("tag")
    .execute();
}

export function readConversations(trx: Tx, workspaceId: string, contactId: string) {
  return trx
    .selectFrom("conversations")
    .select(["id", "number_id", "status", "last_inbound_at", "last_message_at", "closed_at", "created_at", "updated_at"])
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** The contact's notes with their author's current role (null when the author left). */
export function readNotes(trx: Tx, workspaceId: string, contactId: string) {
  return trx
    .selectFrom("conversation_notes as n")
    .leftJoin("memberships as m", (join) => join.onRef("m.workspace_id", "=", "n.workspace_id").onRef("m.user_id", "=", "n.author_user_id"))
    .select(["n.id", "n.conversation_id", "n.body_ciphertext", "n.created_at", "m.role as author_role"])
    .where("n.workspace_id", "=", workspaceId)
    .where("n.contact_id", "=", contactId)
    .orderBy("n.created_at")
    .orderBy("n.id")
    .execute();
}

/** A page of the contact's messages in id order, after `afterId`. */
export function readMessagesPage(trx: Tx, workspaceId: string, contactId: string, afterId: string | null, limit: number) {
  let query = trx
    .selectFrom("messages")
    .select([
      "id",
      "conversation_id",
      "direction",
      "type",
      "wamid",
      "context_wamid",
      "reaction_to_wamid",
      "content_ciphertext",
      "media_mime_type",
      "media_size",
      "media_sha256",
      "media_blob_key",
      "media_status",
      "status",
      "status_at",
      "error_code",
      "occurred_at",
      "created_at",
    ])
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId);
  if (afterId !== null) query = query.where("id", ">", afterId);
  return query.orderBy("id").limit(limit).execute();
}

/** Delivery statuses of the contact's messages (they name messages by Meta's id only). */
export function readMessageStatuses(trx: Tx, workspaceId: string, contactId: string) {
  return trx
    .selectFrom("message_statuses")
    .select(["wamid", "status", "occurred_at", "error_code", "error_title", "pricing_category", "pricing_type"])
    .where("workspace_id", "=", workspaceId)
    .where("wamid", "in", (eb) =>
      eb
        .selectFrom("messages")
        .select("wamid")
        .where("workspace_id", "=", workspaceId)
        .where("contact_id", "=", contactId)
        .where("wamid", "is not", null)
        .$narrowType<{ wamid: string }>(),
    )
    .orderBy("occurred_at")
    .orderBy("wamid")
    .orderBy("status")
    .execute();
}

export function readUploads(trx: Tx, workspaceId: string, contactId: string) {
  return trx
    .selectFrom("media_uploads")
    .select(["id", "conversation_id", "media_type", "mime_type", "size_bytes", "sha256", "blob_key", "used_at", "created_at"])
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/**
 * Every row of `table` about the contact (its `contact_id` column), for a table the inventory
 * marks exportable that has no reader of its own: at most `limit` rows. `table` comes from the
 * inventory's keys, never from input.
 */
export async function readRowsByContact(
  trx: Tx,
  workspaceId: string,
  table: string,
  contactId: string,
  limit: number,
): Promise<Array<Record<string, unknown>>> {
  const result = await sql<
    Record<string, unknown>
  >`select * from ${sql.table(table)} where workspace_id = ${workspaceId} and contact_id = ${contactId} limit ${limit}`.execute(trx);
  return result.rows;
}
