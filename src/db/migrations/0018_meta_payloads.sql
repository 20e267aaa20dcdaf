-- Every Meta payload is kept: contacts known only by their business-scoped user id (BSUID), the
-- errors and unsupported changes Meta reports per number, and every documented field of template
-- webhooks. Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

-- A WhatsApp user with a username may reach the business with a BSUID and no phone number. Such a
-- contact has no phone; it is found by a blind index of its BSUID instead (unique per workspace,
-- like the phone's). A contact has at least one of the two, and a phone comes with its index.
alter table contacts
  alter column phone_ciphertext drop not null,
  alter column phone_index drop not null,
  add column user_id_index text check (length(user_id_index) <= 64),
  add constraint contacts_identified check (phone_index is not null or user_id_index is not null),
  add constraint contacts_phone_pair check ((phone_index is null) = (phone_ciphertext is null)),
  add constraint contacts_user_id_unique unique (workspace_id, user_id_index);

-- What Meta reported about a number that is not a message: errors (value-level `errors[]`, failed
-- statuses' errors, errors on an inbound message) and changes or items Parley does not apply yet
-- (an unknown `field`, an item that does not parse). In clear: codes, titles and Meta's short
-- explanations (scrubbed of phone numbers and the like before they are stored); the value of an
-- unsupported change is kept encrypted.
-- `dedupe_key` makes a redelivered webhook record its events once.
create table number_events (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  number_id uuid not null,
  kind text not null check (kind in ('webhook_error', 'status_error', 'message_error', 'unsupported_field', 'unparsed_item')),
  code integer,
  title text check (length(title) <= 200),
  detail text check (length(detail) <= 500),
  -- The webhook field (or item type) the event came with.
  field text check (length(field) <= 100),
  wamid text check (length(wamid) <= 256),
  -- An unsupported change's value as Meta sent it (it may name users): encrypted, workspace key.
  payload_ciphertext text,
  dedupe_key text not null check (length(dedupe_key) <= 128),
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, number_id, dedupe_key),
  foreign key (workspace_id, number_id) references numbers (workspace_id, id) on delete cascade
);
create index number_events_recent on number_events (workspace_id, number_id, occurred_at desc);

alter table number_events enable row level security;
alter table number_events force row level security;
create policy number_events_isolation on number_events
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);
grant select, insert, update, delete on number_events to parley_app;

-- Template webhooks beyond the status: the latest value of each documented field Meta sent, keyed
-- by webhook field (status: reason, rejection_info, other_info, disable_info…; category:
-- previous_category/new_category; quality: previous/new quality score; components: the update).
alter table templates
  add column meta_details jsonb not null default '{}'::jsonb,
  add column quality_score text check (length(quality_score) <= 64);
