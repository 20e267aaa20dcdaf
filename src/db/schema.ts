import type { ColumnType, Generated } from "kysely";
import type { ContactProfileSchema } from "../features/contacts/schema.ts";
import type { InboxSchema } from "../features/conversations/schema.ts";
import type { AuditSchema } from "../audit/schema.ts";
import type { AccessSchema } from "../features/workspaces/schema.ts";
import type { IdentitySchema } from "../identity/schema.ts";
import type { MessagingSchema } from "../whatsapp/schema.ts";
import type { SendingSchema } from "../whatsapp/send/schema.ts";
import type { MediaSchema } from "../whatsapp/media/schema.ts";
import type { NotesSchema } from "../features/notes/schema.ts";
import type { QuickRepliesSchema } from "../features/quick-replies/schema.ts";
import type { MediaUploadsSchema } from "../whatsapp/media/upload-schema.ts";
import type { TemplateComponentsSchema } from "../whatsapp/templates/schema.ts";

// Row types of every table, as Kysely sees them. Keep in step with src/db/migrations/*.sql.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type WorkspacesTable = {
  id: string;
  name: string;
  region: string;
  created_at: CreatedAt;
};

export type WorkspaceKeysTable = {
  workspace_id: string;
  version: number;
  kek_version: number;
  wrapped_key: string;
  is_primary: Generated<boolean>;
  created_at: CreatedAt;
  rewrapped_at: Timestamp | null;
};

export type DataKeysTable = {
  workspace_id: string;
  id: string;
  subject: "contact";
  workspace_key_version: number;
  wrapped_key: string;
  created_at: CreatedAt;
};

export type ContactsTable = {
  workspace_id: string;
  id: string;
  data_key_id: string;
  /** Null for a contact known only by its WhatsApp business-scoped user id (migration 0018). */
  phone_ciphertext: string | null;
  phone_index: string | null;
  name_ciphertext: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type JobStatus = "pending" | "running" | "succeeded" | "failed";

export type JobsTable = {
  id: Generated<number>;
  queue: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: Generated<JobStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_at: Timestamp | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
};

/** Periodic work (migration 0022, src/jobs/schedule.ts); no tenant data. */
export type SchedulesTable = {
  name: string;
  queue: string;
  interval_ms: ColumnType<number, number, number>;
  next_run_at: Timestamp;
  last_run_at: Timestamp | null;
  last_job_id: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type SetupTokensTable = {
  id: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
};

export type FoundationSchema = {
  workspaces: WorkspacesTable;
  workspace_keys: WorkspaceKeysTable;
  data_keys: DataKeysTable;
  contacts: ContactsTable;
  jobs: JobsTable;
  schedules: SchedulesTable;
  setup_tokens: SetupTokensTable;
};

/** Every table: the foundation plus each capability's own row types. */
export type Schema = FoundationSchema & IdentitySchema & AuditSchema & AccessSchema & MessagingSchema & SendingSchema & MediaSchema & ContactProfileSchema & NotesSchema & QuickRepliesSchema & MediaUploadsSchema & TemplateComponentsSchema & InboxSchema;
