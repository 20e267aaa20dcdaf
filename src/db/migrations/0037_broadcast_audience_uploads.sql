-- Broadcast audiences uploaded as CSV: phone numbers with optional names and fields used as the
-- template's parameters. Each row is validated as the contacts import validates it and matched to
-- (or creates) a contact; the broadcast's `audience` then names the upload instead of a filter.
-- Marketing consent is still the contact's: an uploaded row never bypasses it.
-- The upload holds counts only; its rows name contacts (deleted with them, on delete cascade),
-- and a row's name and fields are sealed under the workspace key (never plaintext).
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

create table broadcast_audience_uploads (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  -- Data rows of the file, and those excluded by reason (invalid or missing number, a number an
  -- earlier row has, any other problem of the row).
  row_count integer not null check (row_count >= 0),
  accepted_count integer not null check (accepted_count >= 0),
  invalid_number_count integer not null default 0 check (invalid_number_count >= 0),
  duplicate_count integer not null default 0 check (duplicate_count >= 0),
  invalid_row_count integer not null default 0 check (invalid_row_count >= 0),
  -- The custom field columns of the file (names the business chose, never values).
  field_keys text[] not null default '{}',
  created_by_user_id uuid,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index broadcast_audience_uploads_by_time on broadcast_audience_uploads (workspace_id, created_at desc, id);

create table broadcast_audience_rows (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  upload_id uuid not null,
  contact_id uuid not null,
  -- The row's number in the file (the header is row 1), for reports.
  row_number integer not null check (row_number >= 2),
  -- {"name": …, "fields": {…}} of the row, AES-256-GCM under the workspace key; null when the row has neither.
  values_ciphertext text,
  primary key (workspace_id, upload_id, contact_id),
  foreign key (workspace_id, upload_id) references broadcast_audience_uploads (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index broadcast_audience_rows_by_contact on broadcast_audience_rows (workspace_id, contact_id);

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['broadcast_audience_uploads', 'broadcast_audience_rows'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
end
$$;

grant select, insert, update, delete on broadcast_audience_uploads, broadcast_audience_rows to parley_app;
-- Rows point at contacts and carry their names: like other per-contact tables, not for Analysts.
create policy broadcast_audience_rows_not_analyst on broadcast_audience_rows as restrictive
  using (coalesce(current_setting('parley.role', true), '') <> 'analyst');
