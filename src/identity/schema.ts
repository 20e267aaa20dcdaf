import type { ColumnType } from "kysely";
import type { MemberRole } from "../db/with-workspace.ts";

// Kysely row types for accounts, sessions, refresh tokens, signing keys, memberships, API keys (migration 0002).
// Keep in step with the SQL migration; src/db/schema.ts merges this into the full Schema.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type SessionRevokedReason = "logout" | "password_change" | "mfa_reset" | "refresh_reuse" | "admin";

export type UsersTable = {
  id: string;
  email: string;
  password_hash: string;
  totp_secret_wrapped: string | null;
  totp_pending_wrapped: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: number | null;
  created_at: CreatedAt;
  password_changed_at: UpdatedAt;
};

export type SessionsTable = {
  id: string;
  user_id: string;
  created_at: CreatedAt;
  absolute_expires_at: Timestamp;
  reauthenticated_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_reason: SessionRevokedReason | null;
};

export type RefreshTokensTable = {
  id: string;
  family_id: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  rotated_at: Timestamp | null;
  revoked_at: Timestamp | null;
};

export type SigningKeysTable = {
  kid: string;
  algorithm: "RS256";
  public_jwk: string;
  private_key_wrapped: string;
  status: "active" | "retired";
  created_at: CreatedAt;
  retired_at: Timestamp | null;
};

export type RecoveryCodesTable = {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: CreatedAt;
  used_at: Timestamp | null;
};

export type LoginThrottlesTable = {
  key_hash: string;
  failures: ColumnType<number, number | undefined, number>;
  window_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  lockouts: ColumnType<number, number | undefined, number>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  updated_at: UpdatedAt;
};

export type ServerSecretsTable = {
  name: string;
  wrapped: string;
  created_at: CreatedAt;
};

export type MembershipsTable = {
  workspace_id: string;
  user_id: string;
  role: MemberRole;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type ApiKeysTable = {
  workspace_id: string;
  id: string;
  secret_hash: string;
  name: string;
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  last_used_ip: string | null;
  revoked_at: Timestamp | null;
};

export type IdentitySchema = {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  recovery_codes: RecoveryCodesTable;
  login_throttles: LoginThrottlesTable;
  server_secrets: ServerSecretsTable;
  memberships: MembershipsTable;
  api_keys: ApiKeysTable;
};
