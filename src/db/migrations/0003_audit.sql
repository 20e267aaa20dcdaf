-- Audit log (DESIGN §7): a per-workspace, append-only Merkle log with signed checkpoints.
--
-- * audit_entries: one row per sensitive action, written in the action's transaction. The runtime
--   role may INSERT and SELECT only — no UPDATE, DELETE or TRUNCATE grant exists, so the log cannot
--   be rewritten through the application even with SQL injection. Tampering by the database owner
--   is what `parley audit verify` detects.
-- * audit_heads: the size of each workspace's log. recordAudit increments it with
--   `insert … on conflict do update … returning`, whose row lock serializes the writers of one
--   workspace only; a trigger allows nothing but +1 steps.
-- * audit_checkpoints: Ed25519-signed tree heads (C2SP signed notes).
-- * audit_signing_keys (not a tenant table): the checkpoint signing keys, private halves wrapped by
--   the KEK provider.
--
-- The platform log (events with no workspace, such as a failed login for an unknown e-mail) lives
-- under the nil UUID. The runtime role may append to it from any context, but reads only match
-- parley.workspace_id, which withWorkspace never sets to the nil UUID (it accepts UUID versions 1–8
-- only), so no workspace request can read it.

create table audit_entries (
  workspace_id uuid not null,
  seq bigint not null check (seq > 0),
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('user', 'api_key', 'system')),
  actor_id text check (length(actor_id) <= 128),
  action text not null check (length(action) between 1 and 100),
  target_type text check (length(target_type) <= 128),
  target_id text check (length(target_id) <= 128),
  ip text check (length(ip) <= 64),
  user_agent text check (length(user_agent) <= 256),
  metadata jsonb not null default '{}'::jsonb,
  leaf_hash text not null check (leaf_hash ~ '^[0-9a-f]{64}$'),
  primary key (workspace_id, seq)
);
create index audit_entries_time on audit_entries (workspace_id, occurred_at);
create index audit_entries_actor on audit_entries (workspace_id, actor_id, seq);

create table audit_heads (
  workspace_id uuid primary key,
  tree_size bigint not null check (tree_size > 0)
);

create function audit_heads_step() returns trigger language plpgsql as $$
begin
  if new.workspace_id <> old.workspace_id or new.tree_size <> old.tree_size + 1 then
    raise exception 'audit heads only grow one entry at a time' using errcode = 'check_violation';
  end if;
  return new;
end
$$;
create trigger audit_heads_step before update on audit_heads for each row execute function audit_heads_step();

create table audit_checkpoints (
  workspace_id uuid not null,
  tree_size bigint not null check (tree_size >= 0),
  root_hash text not null check (root_hash ~ '^[0-9a-f]{64}$'),
  signed_at timestamptz not null,
  key_id text not null check (length(key_id) <= 100),
  signature text not null check (length(signature) <= 200),
  note text not null check (length(note) <= 2000),
  primary key (workspace_id, tree_size)
);

create table audit_signing_keys (
  id text primary key check (length(id) between 1 and 100),
  public_key text not null,
  wrapped_private_key text not null,
  is_active boolean not null default true,
  created_at timestamptz not null default now()
);
create unique index audit_signing_keys_one_active on audit_signing_keys (is_active) where is_active;

alter table audit_entries enable row level security;
alter table audit_entries force row level security;
alter table audit_heads enable row level security;
alter table audit_heads force row level security;
alter table audit_checkpoints enable row level security;
alter table audit_checkpoints force row level security;

create policy audit_entries_read on audit_entries for select
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);
create policy audit_entries_append on audit_entries for insert
  with check (
    workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid
    or workspace_id = '00000000-0000-0000-0000-000000000000'::uuid
  );

-- Appending to the platform log needs its head from any context; a head holds a count, nothing else.
create policy audit_heads_isolation on audit_heads
  using (
    workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid
    or workspace_id = '00000000-0000-0000-0000-000000000000'::uuid
  )
  with check (
    workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid
    or workspace_id = '00000000-0000-0000-0000-000000000000'::uuid
  );

create policy audit_checkpoints_read on audit_checkpoints for select
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);
create policy audit_checkpoints_append on audit_checkpoints for insert
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);

-- `parley audit verify` connects as the owner role and reads every workspace's log; the runtime
-- role never matches these policies.
create policy audit_entries_owner_maintenance on audit_entries for select to current_user using (true);
create policy audit_heads_owner_maintenance on audit_heads for select to current_user using (true);
create policy audit_checkpoints_owner_maintenance on audit_checkpoints for select to current_user using (true);

grant select, insert on audit_entries to parley_app;
grant select, insert, update on audit_heads to parley_app;
grant select, insert on audit_checkpoints to parley_app;
grant select, insert on audit_signing_keys to parley_app;
