import type { ColumnType } from "kysely";

// Row types of migration 0012 (inbox indexes).

/** Columns migration 0012 adds to the messaging schema's conversations table. */
export type InboxColumns = {
  /** coalesce(last_message_at, created_at), generated and stored by the database: never written. */
  activity_at: ColumnType<Date, never, never>;
};

export type InboxSchema = {
  conversations: InboxColumns;
};
