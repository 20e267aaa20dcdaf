-- Data subjects' requests (issue: privacy and data lifecycle, point 4): a tracker of export and
-- erasure requests with their legal deadline, and the contact export bundles made for them. Runs
-- unchanged on PostgreSQL 15+ and PGlite, as the owner role.

-- One row per request a data subject made, recorded by a member. The contact is an id only (no
-- foreign key): an erasure removes the contact and every row about it, and this row must outlive
-- it as the record that the request was answered. The notes are under the contact's data key, so
-- erasing the contact shreds them too; the row keeps ids, dates and states only.
create table subject_requests (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  kind text not null check (kind in ('export', 'erasure')),
  contact_id uuid not null,
  -- Calendar days, stored as their midnight UTC: the day the request reached the workspace (it
  -- may be back-dated) and the legal deadline, 30 days later.
  received_on timestamptz not null,
  due_on timestamptz not null,
  status text not null default 'received' check (status in ('received', 'in_progress', 'completed', 'rejected')),
  notes_ciphertext text,
  created_by_user_id uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (workspace_id, id),
  check (due_on >= received_on),
  check (received_on = date_trunc('day', received_on, 'UTC') and due_on = date_trunc('day', due_on, 'UTC'))
);
create index subject_requests_by_due on subject_requests (workspace_id, due_on, id);
create index subject_requests_by_contact on subject_requests (workspace_id, contact_id);

-- The export bundles: a zip sealed under a per-export key, itself wrapped by the contact's data key
-- (so erasing the contact makes every copy of the bundle unreadable). The blob is deleted when the
-- bundle expires (a schedule) or the contact is erased.
create table subject_exports (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  request_id uuid not null,
  contact_id uuid not null,
  status text not null default 'pending' check (status in ('pending', 'ready', 'failed', 'expired')),
  wrapped_key text,
  blob_key text,
  size_bytes bigint,
  file_count integer,
  error text,
  created_by_user_id uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  expires_at timestamptz not null,
  primary key (workspace_id, id),
  foreign key (workspace_id, request_id) references subject_requests (workspace_id, id) on delete cascade
);
create index subject_exports_by_request on subject_exports (workspace_id, request_id, created_at);
create index subject_exports_expiring on subject_exports (workspace_id, expires_at) where status in ('pending', 'ready');

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['subject_requests', 'subject_exports'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
end
$$;

grant select, insert, update on subject_requests to parley_app;
grant select, insert, update on subject_exports to parley_app;

-- The expiry sweep crosses workspaces, which RLS forbids to the runtime role; this function may.
-- It answers workspace ids only; the sweep itself runs per workspace as the runtime role under RLS
-- (like workspaces_with_purge_due, 0026).
create policy subject_exports_expiry_lookup on subject_exports for select to current_user using (true);
create function workspaces_with_expired_subject_exports(cutoff timestamptz, max_workspaces integer)
  returns table (workspace_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select e.workspace_id from subject_exports e
  where e.status in ('pending', 'ready') and e.expires_at <= cutoff
  group by e.workspace_id
  order by min(e.expires_at), e.workspace_id
  limit least(greatest(coalesce(max_workspaces, 0), 0), 1000)
$$;
revoke all on function workspaces_with_expired_subject_exports(timestamptz, integer) from public;
grant execute on function workspaces_with_expired_subject_exports(timestamptz, integer) to parley_app;
