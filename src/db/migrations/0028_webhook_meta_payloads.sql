-- Meta-format webhook endpoints (issue #18, point 1): an endpoint with format 'meta' re-emits
-- inbound WhatsApp events in Meta's own envelope. The raw inbound body is deleted once processed,
-- so the `value` object of each `messages` change is kept here for such endpoints, written in the
-- transaction that processes the inbound delivery, one row per outbox event. It holds contacts'
-- phone numbers, names and texts: encrypted under the workspace key, naming the contacts it is
-- about so that erasing a contact deletes it (src/features/contacts/repository.ts), and deleted
-- with its event.
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

create table webhook_event_payloads (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  event_id uuid not null,
  -- The WhatsApp Business Account the value came from (the envelope's entry.id).
  waba_id text not null check (waba_id ~ '^[0-9]{1,32}$'),
  -- The change's `value`, as received, encrypted under the workspace key.
  value_ciphertext text not null,
  -- The contacts the value is about (its messages' and statuses' contacts), for erasure.
  contact_ids uuid[] not null default '{}' check (cardinality(contact_ids) <= 1000),
  created_at timestamptz not null default now(),
  primary key (workspace_id, event_id),
  foreign key (workspace_id, event_id) references webhook_events (workspace_id, id) on delete cascade
);
create index webhook_event_payloads_by_contact on webhook_event_payloads using gin (contact_ids);

alter table webhook_event_payloads enable row level security;
alter table webhook_event_payloads force row level security;
create policy webhook_event_payloads_isolation on webhook_event_payloads
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);

grant select, insert, update, delete on webhook_event_payloads to parley_app;
