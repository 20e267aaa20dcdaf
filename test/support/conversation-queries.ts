import type { Keyring } from "../../src/crypto/keyring.ts";
import type { Tx } from "../../src/db/database.ts";
import type { ConversationStatus, MessageDirection, MessageStatus } from "../../src/whatsapp/schema.ts";
import { SERVICE_WINDOW_MS } from "../../src/features/conversations/repository.ts";
import { messageContentField } from "../../src/features/messages/repository.ts";

// Plain reads of conversations and messages for tests: what the webhook and RLS suites check rows
// against, without the inbox's paging and presentation.

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
export async function listMessages(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  conversationId: string,
  options: { limit: number },
): Promise<MessageView[]> {
  const rows = await trx
    .selectFrom("messages")
    .select([
      "id",
      "conversation_id",
      "direction",
      "wamid",
      "type",
      "content_ciphertext",
      "media_id",
      "media_mime_type",
      "media_sha256",
      "context_wamid",
      "reaction_to_wamid",
      "status",
      "occurred_at",
    ])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .orderBy("occurred_at")
    .orderBy("id")
    .limit(Math.min(Math.max(options.limit, 1), 1_000))
    .execute();
  const views: MessageView[] = [];
  for (const row of rows) {
    const content =
      row.content_ciphertext === null
        ? null
        : (JSON.parse(await keyring.decrypt(trx, messageContentField(workspaceId, row.id), row.content_ciphertext)) as Record<
            string,
            unknown
          >);
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
