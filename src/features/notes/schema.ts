import type { ColumnType } from "kysely";

// Row types of migration 0010 (internal notes). Keep in step with the SQL; src/db/schema.ts merges
// NotesSchema into the full Schema.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type ConversationNotesTable = {
  workspace_id: string;
  id: string;
  conversation_id: string;
  contact_id: string;
  author_user_id: string | null;
  /** The note's text, encrypted under the contact's data key (AAD: conversation_notes.body, note id). */
  body_ciphertext: string;
  created_at: CreatedAt;
};

export type NotesSchema = {
  conversation_notes: ConversationNotesTable;
};
