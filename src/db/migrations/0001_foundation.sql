-- Foundation: the tenant root, key storage, the first tenant table (contacts), the job queue and
-- the one-time setup token. Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.
--
-- Tenant tables follow one pattern (checked by test/rls/tenant-tables.test.ts):
--   * a `workspace_id uuid not null` column, part of every unique constraint and primary key;
--   * ROW LEVEL SECURITY enabled AND forced, so even the table owner is filtered;
--   * a policy on nullif(current_setting('parley.workspace_id', true), '')::uuid, which yields
--     NULL (no rows) when no workspace is set;
--   * privileges granted to the runtime role parley_app, which owns nothing.

create table workspaces (
  id uuid primary key,
  name text not null check (length(name) between 1 and 100),
  region text not null,
  created_at timestamptz not null default now()
);
alter table workspaces enable row level security;
alter table workspaces force row level security;
create policy workspaces_isolation on workspaces
  using (id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (id = nullif(current_setting('parley.workspace_id', true), '')::uuid);
-- Maintenance commands (`parley keys rotate`, `parley doctor`) connect as the owner role and need
-- to list workspaces; the runtime role never matches this policy.
create policy workspaces_owner_maintenance on workspaces for select to current_user using (true);

-- Workspace keys: random 256-bit keys wrapped by a KEK version from the key provider.
create table workspace_keys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  version integer not null check (version > 0),
  kek_version integer not null check (kek_version > 0),
  wrapped_key text not null,
  is_primary boolean not null default true,
  created_at timestamptz not null default now(),
  rewrapped_at timestamptz,
  primary key (workspace_id, version)
);
create unique index workspace_keys_one_primary on workspace_keys (workspace_id) where is_primary;

-- Data keys: one per data subject (a contact), wrapped by a workspace key. Destroying the row
-- crypto-shreds every copy of the subject's data, including backups.
create table data_keys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  subject text not null check (subject in ('contact')),
  workspace_key_version integer not null,
  wrapped_key text not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, workspace_key_version) references workspace_keys (workspace_id, version)
);

create table contacts (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  data_key_id uuid not null,
  phone_ciphertext text not null,
  phone_index text not null,
  name_ciphertext text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, phone_index),
  foreign key (workspace_id, data_key_id) references data_keys (workspace_id, id)
);

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['workspace_keys', 'data_keys', 'contacts'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
end
$$;
create policy workspace_keys_owner_maintenance on workspace_keys to current_user using (true) with check (true);

-- Job queue. Holds identifiers only, never personal data (it is not a tenant table).
create table jobs (
  id bigint generated always as identity primary key,
  queue text not null check (length(queue) between 1 and 100),
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'running', 'succeeded', 'failed')),
  attempts integer not null default 0,
  max_attempts integer not null default 5 check (max_attempts > 0),
  run_at timestamptz not null default now(),
  locked_at timestamptz,
  locked_by text,
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_ready on jobs (queue, run_at) where status = 'pending';
create index jobs_running on jobs (locked_at) where status = 'running';

-- One-time setup links for the first Owner (no default credentials exist).
create table setup_tokens (
  id uuid primary key,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz
);

grant usage on schema public to parley_app;
grant select, insert, update, delete on workspaces, workspace_keys, data_keys, contacts, jobs, setup_tokens to parley_app;
