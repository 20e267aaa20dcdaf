-- Contact profile: custom fields, consent and tags. Runs unchanged on PostgreSQL 15+ and PGlite,
-- as the owner role.

-- Custom fields are personal data: one JSON object (string keys → string values) encrypted under
-- the contact's own data key, so erasure crypto-shreds them with the phone number and the name.
-- Consent is the record WhatsApp's opt-in policy asks for: the state, where it came from, when it
-- last changed. It holds no personal data beyond the contact it belongs to.
alter table contacts
  add column custom_fields_ciphertext text,
  add column consent_status text not null default 'unknown' check (consent_status in ('unknown', 'opted_in', 'opted_out')),
  add column consent_source text check (consent_source in ('whatsapp', 'web_form', 'import', 'api', 'agent', 'other')),
  add column consent_updated_at timestamptz;

-- Tags: short labels (lower case, 1–64 characters) for filtering the inbox and the contact list.
create table contact_tags (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  contact_id uuid not null,
  tag text not null check (tag ~ '^[a-z0-9][a-z0-9 _.:-]{0,63}$'),
  created_at timestamptz not null default now(),
  primary key (workspace_id, contact_id, tag),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index contact_tags_by_tag on contact_tags (workspace_id, tag, contact_id);

alter table contact_tags enable row level security;
alter table contact_tags force row level security;
create policy contact_tags_isolation on contact_tags
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);
-- Analysts see aggregates only: tags belong to contacts, which they cannot read either.
create policy contact_tags_not_analyst on contact_tags as restrictive
  using (coalesce(current_setting('parley.role', true), '') <> 'analyst');
grant select, insert, update, delete on contact_tags to parley_app;
