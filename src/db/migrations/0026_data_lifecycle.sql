-- The data lifecycle (issue #17, points 2 and 3): a trash for contacts, a PII-free ledger of
-- erasures, and per-workspace retention policies. Runs unchanged on PostgreSQL 15+ and PGlite, as
-- the owner role.

-- A deleted contact first goes to the trash: hidden from lists and the inbox, never messaged, and
-- restorable until purge_after; then the purge (src/privacy/purge.ts) erases it like a request
-- would. Both columns are set and cleared together.
alter table contacts add column deleted_at timestamptz;
alter table contacts add column purge_after timestamptz;
alter table contacts add constraint contacts_trash_consistent check ((deleted_at is null) = (purge_after is null));
create index contacts_trash on contacts (workspace_id, purge_after, id) where deleted_at is not null;

-- One row per erased contact, whatever the reason: the trash purge or a data subject's request.
-- Ids and times only, never a phone number or a name: this is the ledger a restored backup is
-- replayed against so that an erased contact stays erased.
create table erasures (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  contact_id uuid not null,
  reason text not null check (reason in ('trash_purge', 'request')),
  requested_by_user_id uuid references users (id) on delete set null,
  completed_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, contact_id)
);

-- Retention policies: each kind is off (null) or a number of days. The audit log has none: it is
-- the tamper-evident record and is kept for the life of the workspace.
create table retention_policies (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  messages_days integer check (messages_days between 1 and 36500),
  closed_conversations_days integer check (closed_conversations_days between 1 and 36500),
  notes_days integer check (notes_days between 1 and 36500),
  uploads_days integer check (uploads_days between 1 and 36500),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null
);

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['erasures', 'retention_policies'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
end
$$;

grant select, insert on erasures to parley_app;
grant select, insert, update on retention_policies to parley_app;

-- Retention's reads: old messages and closed conversations of a workspace, oldest first.
create index messages_by_age on messages (workspace_id, occurred_at);
create index conversations_closed_by_age on conversations (workspace_id, closed_at) where status = 'closed';
create index conversation_notes_by_age on conversation_notes (workspace_id, created_at);

-- Finding the workspaces with work to do crosses workspaces, which RLS forbids to the runtime
-- role; these functions may. They answer workspace ids only; the work itself runs per workspace
-- as the runtime role under RLS (like workspaces_with_expired_uploads, 0015).
create policy contacts_purge_lookup on contacts for select to current_user using (true);
create function workspaces_with_purge_due(cutoff timestamptz, max_workspaces integer)
  returns table (workspace_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select c.workspace_id from contacts c
  where c.deleted_at is not null and c.purge_after <= cutoff
  group by c.workspace_id
  order by min(c.purge_after), c.workspace_id
  limit least(greatest(coalesce(max_workspaces, 0), 0), 1000)
$$;
revoke all on function workspaces_with_purge_due(timestamptz, integer) from public;
grant execute on function workspaces_with_purge_due(timestamptz, integer) to parley_app;

create policy retention_policies_lookup on retention_policies for select to current_user using (true);
create function workspaces_with_retention()
  returns table (workspace_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select p.workspace_id from retention_policies p
  where coalesce(p.messages_days, p.closed_conversations_days, p.notes_days, p.uploads_days) is not null
  order by p.workspace_id
  limit 1000
$$;
revoke all on function workspaces_with_retention() from public;
grant execute on function workspaces_with_retention() to parley_app;
