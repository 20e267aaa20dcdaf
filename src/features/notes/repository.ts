import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { DecryptionError } from "../../crypto/aead.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";

// Internal notes of a conversation. Tenant-scoped (RLS: the workspace, no Analysts, Agents only on
// their assigned conversations). The text is encrypted under the contact's data key, with AAD
// binding it to this note: erasing the contact shreds every note about them.

export type Note = { id: string; conversationId: string; text: string | null; authorUserId: string | null; createdAt: Date };

function noteField(workspaceId: string, noteId: string) {
  return { workspaceId, table: "conversation_notes", column: "body", rowId: noteId };
}

export async function insertNote(
  trx: Tx,
  keyring: Keyring,
  input: {
    workspaceId: string;
    conversationId: string;
    contactId: string;
    dataKeyId: string;
    authorUserId: string | null;
    text: string;
    now?: Date;
  },
): Promise<Note> {
  const id = randomUUID();
  const createdAt = input.now ?? new Date();
  await trx
    .insertInto("conversation_notes")
    .values({
      workspace_id: input.workspaceId,
      id,
      conversation_id: input.conversationId,
      contact_id: input.contactId,
      author_user_id: input.authorUserId,
      body_ciphertext: await keyring.encryptForSubject(
        trx,
        { ...noteField(input.workspaceId, id), dataKeyId: input.dataKeyId },
        input.text,
      ),
      created_at: createdAt,
    })
    .execute();
  return { id, conversationId: input.conversationId, text: input.text, authorUserId: input.authorUserId, createdAt };
}

/** A page of a conversation's notes, newest first from `before` (keyset), decrypted. */
export async function listNotes(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  conversationId: string,
  options: { before?: { at: Date | string; id: string }; limit: number },
): Promise<Note[]> {
  let query = trx
    .selectFrom("conversation_notes")
    .select(["id", "conversation_id", "author_user_id", "body_ciphertext", "created_at"])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId);
  if (options.before) {
    const { at, id } = options.before;
    query = query.where(sql<boolean>`(created_at, id) < (${typeof at === "string" ? at : at.toISOString()}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(Math.max(options.limit, 1), 201))
    .execute();
  const notes: Note[] = [];
  for (const row of rows) {
    let text: string | null;
    try {
      text = await keyring.decrypt(trx, noteField(workspaceId, row.id), row.body_ciphertext);
    } catch (error) {
      // The contact's data key is gone (erased): the note reads as gone, not as an error.
      if (!(error instanceof DecryptionError)) throw error;
      text = null;
    }
    notes.push({ id: row.id, conversationId: row.conversation_id, text, authorUserId: row.author_user_id, createdAt: row.created_at });
  }
  return notes;
}
