import type { ColumnType } from "kysely";
import type { MemberRole } from "../../db/with-workspace.ts";

// Kysely row types for invitations and workspace settings (migration 0004).
// Keep in step with the SQL migration; src/db/schema.ts merges this into the full Schema.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type InvitationsTable = {
  workspace_id: string;
  id: string;
  token_hash: string;
  email: string;
  role: MemberRole;
  invited_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  revoked_at: Timestamp | null;
};

export type WorkspaceSettingsTable = {
  workspace_id: string;
  require_mfa_for_all: Defaulted<boolean>;
  updated_at: Defaulted<Date | string>;
  updated_by: string | null;
};

/** Columns 0004 adds to api_keys (table from 0002); merged with IdentitySchema's row type. */
export type ApiKeysAccessColumns = {
  secret_last_four: string | null;
};

export type AccessSchema = {
  invitations: InvitationsTable;
  workspace_settings: WorkspaceSettingsTable;
  api_keys: ApiKeysAccessColumns;
};
