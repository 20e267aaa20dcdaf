import type { ColumnType } from "kysely";

// Kysely row types for migration 0008 (inbound media, templates). Keep in step with the SQL;
// src/db/schema.ts merges MediaSchema into the full Schema.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type MediaStatus = "pending" | "stored" | "refused" | "failed";

/** Columns migration 0008 adds to messages (0005). */
export type MessageMediaColumns = {
  media_status: MediaStatus | null;
  media_error: string | null;
  media_fetched_at: Timestamp | null;
};

export type TemplatesTable = {
  workspace_id: string;
  id: string;
  waba_id: string;
  number_id: string | null;
  name: string;
  language: string;
  category: string | null;
  status: string;
  reason: string | null;
  meta_template_id: string | null;
  status_at: Timestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type MediaSchema = {
  messages: MessageMediaColumns;
  templates: TemplatesTable;
};
