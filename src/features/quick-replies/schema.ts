import type { ColumnType } from "kysely";

// Row types of migration 0010 (quick replies). Keep in step with the SQL; src/db/schema.ts merges
// QuickRepliesSchema into the full Schema.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type QuickRepliesTable = {
  workspace_id: string;
  id: string;
  shortcut: string;
  body: string;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type QuickRepliesSchema = {
  quick_replies: QuickRepliesTable;
};
