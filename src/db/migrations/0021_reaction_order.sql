-- A user has one reaction per message, and WhatsApp may redeliver or reorder reaction webhooks. The
-- latest reaction event applied per (number, contact, reacted message) is kept here, a removal
-- (empty emoji) included, so that an older event arriving later changes nothing: a removed reaction
-- stays removed, and a replaced one is not brought back. Identifiers and a time only, no content.
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.
create table reaction_events (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  phone_number_id text not null check (length(phone_number_id) <= 32),
  contact_id uuid not null,
  target_wamid text not null check (length(target_wamid) <= 256),
  -- The latest event applied: its wamid, its webhook timestamp, and whether it removed the reaction.
  event_wamid text not null check (length(event_wamid) <= 256),
  event_at timestamptz not null,
  removed boolean not null,
  primary key (workspace_id, phone_number_id, contact_id, target_wamid),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);

alter table reaction_events enable row level security;
alter table reaction_events force row level security;
create policy reaction_events_isolation on reaction_events
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);
-- Who reacted to what is about a person, like the messages themselves: never an analyst's.
create policy reaction_events_not_analyst on reaction_events as restrictive
  using (coalesce(current_setting('parley.role', true), '') <> 'analyst');
grant select, insert, update, delete on reaction_events to parley_app;
