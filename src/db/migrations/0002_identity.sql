-- Identity: accounts, sessions, refresh-token families, the JWT signing keyset, MFA recovery codes,
-- login throttling, memberships and API keys. Runs unchanged on PostgreSQL 15+ and PGlite.
--
-- users, sessions, refresh_tokens, signing_keys, recovery_codes, login_throttles and server_secrets
-- are account-level (a user may belong to several workspaces), so they are not tenant tables; they
-- hold hashes and wrapped secrets only. memberships and api_keys are tenant tables.

create table users (
  id uuid primary key,
  -- Lower-cased on write; the unique index is over the stored value.
  email text not null unique check (email = lower(email) and length(email) between 3 and 254),
  password_hash text not null,
  -- TOTP seed wrapped by the KEK provider, AAD bound to the user id; null until enrolled.
  totp_secret_wrapped text,
  -- Seed offered at enrollment, waiting for its first code.
  totp_pending_wrapped text,
  totp_enabled_at timestamptz,
  -- Highest TOTP time step accepted so far: a code is never accepted twice (replay).
  totp_last_step bigint,
  created_at timestamptz not null default now(),
  password_changed_at timestamptz not null default now()
);

create table sessions (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  absolute_expires_at timestamptz not null,
  -- Last password (+ TOTP) proof; sensitive actions need it within 5 minutes.
  reauthenticated_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text check (revoked_reason in ('logout', 'password_change', 'mfa_reset', 'refresh_reuse', 'admin'))
);
create index sessions_user on sessions (user_id) where revoked_at is null;

-- One family per session: every rotation adds a row; a rotated token presented again revokes the family.
create table refresh_tokens (
  id uuid primary key,
  family_id uuid not null references sessions (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  rotated_at timestamptz,
  revoked_at timestamptz
);
create index refresh_tokens_family on refresh_tokens (family_id);

create table signing_keys (
  kid text primary key check (kid ~ '^[A-Za-z0-9_-]{16,64}$'),
  algorithm text not null check (algorithm = 'RS256'),
  public_jwk text not null,
  -- PKCS#8 DER wrapped by the KEK provider, AAD bound to the kid.
  private_key_wrapped text not null,
  status text not null check (status in ('active', 'retired')),
  created_at timestamptz not null default now(),
  retired_at timestamptz
);
create unique index signing_keys_one_active on signing_keys (status) where status = 'active';

create table recovery_codes (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  code_hash text not null,
  created_at timestamptz not null default now(),
  used_at timestamptz,
  unique (user_id, code_hash)
);

-- Failed-login counters and exponential lock-outs, keyed by a hash of the account e-mail or of the
-- client address. In the database so a lock-out survives restarts and binds every instance.
create table login_throttles (
  key_hash text primary key,
  failures integer not null default 0,
  window_started_at timestamptz,
  lockouts integer not null default 0,
  locked_until timestamptz,
  updated_at timestamptz not null default now()
);

-- Server-wide secrets (e.g. the CSRF HMAC key), wrapped by the KEK provider, AAD bound to the name.
create table server_secrets (
  name text primary key,
  wrapped text not null,
  created_at timestamptz not null default now()
);

create table memberships (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'agent', 'analyst')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
create index memberships_user on memberships (user_id);
alter table memberships enable row level security;
alter table memberships force row level security;
create policy memberships_isolation on memberships
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);
-- A signed-in user lists their own memberships across workspaces (GET /api/v1/me), read only.
create policy memberships_own on memberships for select
  using (user_id = nullif(current_setting('parley.user_id', true), '')::uuid);

create table api_keys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  secret_hash text not null,
  name text not null check (length(name) between 1 and 100),
  scopes text[] not null default '{}',
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  last_used_ip text,
  revoked_at timestamptz,
  primary key (workspace_id, id)
);
alter table api_keys enable row level security;
alter table api_keys force row level security;
create policy api_keys_isolation on api_keys
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);

grant select, insert, update, delete on users, sessions, refresh_tokens, recovery_codes, login_throttles, memberships, api_keys to parley_app;
grant select, insert, update on signing_keys, server_secrets to parley_app;
