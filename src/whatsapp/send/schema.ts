import type { ColumnType } from "kysely";

// Kysely row types for migration 0006 (sending). Keep in step with the SQL; src/db/schema.ts merges
// SendingSchema into the full Schema.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Columns migration 0006 adds to messages (0005). */
export type MessageSendingColumns = {
  send_attempts: ColumnType<number, number | undefined, number>;
  sending_at: Timestamp | null;
  send_error: string | null;
};

export type IdempotencyState = "in_progress" | "done";

export type IdempotencyKeysTable = {
  workspace_id: string;
  principal: string;
  key: string;
  request_hash: string;
  state: IdempotencyState;
  response_status: number | null;
  response_body: string | null;
  locked_until: Timestamp;
  created_at: CreatedAt;
  expires_at: Timestamp;
};

export type SendingSchema = {
  messages: MessageSendingColumns;
  idempotency_keys: IdempotencyKeysTable;
};
