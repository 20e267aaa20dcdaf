-- Access: invitations by link and per-workspace security settings. Runs unchanged on PostgreSQL 15+
-- and PGlite. Both are tenant tables (workspace_id, forced RLS, workspace-scoped uniques).

-- An invitation link carries `<workspace id>.<invitation id>.<secret>`; only its SHA-256 is stored.
-- Single use (accepted_at), expiring (expires_at, 7 days), revocable (revoked_at).
create table invitations (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  token_hash text not null check (token_hash ~ '^[0-9a-f]{64}$'),
  email text not null check (email = lower(email) and length(email) between 3 and 254),
  role text not null check (role in ('owner', 'admin', 'agent', 'analyst')),
  invited_by uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references users (id) on delete set null,
  revoked_at timestamptz,
  primary key (workspace_id, id),
  unique (workspace_id, token_hash),
  check (accepted_at is null or revoked_at is null)
);
create index invitations_pending on invitations (workspace_id, created_at) where accepted_at is null and revoked_at is null;

-- The workspace's security policy; a missing row means the defaults.
create table workspace_settings (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  require_mfa_for_all boolean not null default false,
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null
);

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['invitations', 'workspace_settings'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
end
$$;

-- API keys (table from 0002) show their last four secret characters in listings, never more.
alter table api_keys add column secret_last_four text check (secret_last_four ~ '^[0-9a-f]{4}$');

-- Invitations are revoked or accepted, never deleted by the app (their history stays readable).
grant select, insert, update on invitations, workspace_settings to parley_app;
