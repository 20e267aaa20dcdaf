-- Inbound media and message templates. Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

-- Where an inbound message's media stands. The bytes themselves live in the blob store, encrypted
-- under the contact's data key (media_blob_key, set once stored). `media_error` is a clear,
-- PII-free reason for media that was refused (type or size outside Meta's limits, hash mismatch)
-- or could not be fetched.
alter table messages
  add column media_status text check (media_status in ('pending', 'stored', 'refused', 'failed')),
  add column media_error text check (length(media_error) <= 500),
  add column media_fetched_at timestamptz;

-- Message templates of a WABA as Meta last reported them, by webhook or by a sync. `status` keeps
-- whatever Meta says (APPROVED, PENDING, REJECTED, PAUSED, DISABLED, … and events not known yet);
-- `status_at` is the time of the report, so an older report never overwrites a newer one.
create table templates (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  waba_id text not null check (waba_id ~ '^[0-9]{1,32}$'),
  number_id uuid,
  name text not null check (length(name) between 1 and 512),
  language text not null check (length(language) between 1 and 20),
  category text check (length(category) <= 64),
  status text not null check (status ~ '^[A-Z0-9_]{1,64}$'),
  reason text check (length(reason) <= 1000),
  meta_template_id text check (meta_template_id ~ '^[0-9]{1,32}$'),
  status_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, waba_id, name, language),
  foreign key (workspace_id, number_id) references numbers (workspace_id, id) on delete set null (number_id)
);

alter table templates enable row level security;
alter table templates force row level security;
create policy templates_isolation on templates
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);
grant select, insert, update, delete on templates to parley_app;
