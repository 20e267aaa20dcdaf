import type { ColumnType } from "kysely";
import type { MediaType } from "../inbound/payload.ts";

// Row types of migration 0010 (outbound media uploads). Keep in step with the SQL; src/db/schema.ts
// merges MediaUploadsSchema into the full Schema.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type MediaUploadsTable = {
  workspace_id: string;
  /** Also the id of the message that carries the upload once it is sent. */
  id: string;
  conversation_id: string;
  contact_id: string;
  uploaded_by_user_id: string | null;
  media_type: MediaType;
  mime_type: string;
  size_bytes: ColumnType<number, number, never>;
  /** Hex SHA-256 of the plaintext. */
  sha256: string;
  blob_key: string;
  used_at: Timestamp | null;
  created_at: CreatedAt;
};

export type MediaUploadsSchema = {
  media_uploads: MediaUploadsTable;
};
