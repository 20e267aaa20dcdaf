-- Broadcasts (messaging at scale): one approved template sent to an audience of contacts from one
-- or several numbers, now or at a time in an IANA time zone, paced within the number's throughput
-- tier and the portfolio's messaging limit. Every recipient's send is an ordinary outbound message
-- (src/features/messages), so consent, audit, the inbox, rendering and reconciliation apply; the
-- recipient row links to it and mirrors its status. Recipient rows name contacts and are deleted
-- with them (on delete cascade) when a contact is erased.
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

-- Meta's quality rating and messaging limit of a number (filled from Graph and webhooks; a
-- colleague's migration adds the same columns, hence `if not exists`).
alter table numbers add column if not exists quality_rating text not null default 'UNKNOWN';
alter table numbers add column if not exists messaging_limit text;

create table broadcasts (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  name text not null check (length(name) between 1 and 200),
  template_name text not null check (length(template_name) between 1 and 512),
  template_language text not null check (length(template_language) between 2 and 15),
  -- Per body parameter: where its value comes from (a contact field, or fixed text) and the
  -- fallback used when the contact has no value. Business text and field names, never contact data.
  parameters jsonb not null default '[]',
  -- The audience filter (tags, custom fields, number, last activity); ids and labels only.
  audience jsonb not null,
  -- An uploaded list of phone numbers, encrypted under the workspace key; null for a filter.
  audience_upload_ciphertext text,
  number_ids uuid[] not null check (cardinality(number_ids) between 1 and 20),
  scheduled_at timestamptz,
  time_zone text not null default 'UTC' check (length(time_zone) between 1 and 64),
  state text not null default 'draft' check (state in ('draft', 'scheduled', 'running', 'paused', 'cancelled', 'completed')),
  pause_reason text check (pause_reason in ('manual', 'quality_red', 'error_burst', 'number_unavailable')),
  -- Why it paused, in words (numbers and codes only, never contact data).
  pause_detail text check (length(pause_detail) <= 500),
  -- While running: sending waits for the portfolio's messaging limit until this time.
  waiting_until timestamptz,
  -- Audience resolution: done, and the last contact id taken (keyset, batches).
  audience_resolved boolean not null default false,
  audience_cursor uuid,
  -- The one live chain of run jobs carries this number; start, resume and each step advance it.
  run_seq integer not null default 0 check (run_seq >= 0),
  -- Counters, refreshed by each step (the report counts live).
  recipient_count integer not null default 0 check (recipient_count >= 0),
  counters jsonb not null default '{}',
  created_by_user_id uuid,
  started_at timestamptz,
  resumed_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index broadcasts_by_time on broadcasts (workspace_id, created_at desc, id);

create table broadcast_recipients (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  broadcast_id uuid not null,
  id uuid not null,
  contact_id uuid not null,
  number_id uuid not null,
  state text not null default 'pending'
    check (state in ('pending', 'sending', 'accepted', 'sent', 'delivered', 'read', 'failed', 'skipped')),
  skip_reason text check (skip_reason in ('no_consent', 'opted_out', 'contact_deleted', 'cancelled', 'number_unavailable', 'refused')),
  error_code integer,
  -- The outbound message of the current attempt (its id derives from broadcast, recipient, attempt).
  message_id uuid,
  attempt integer not null default 0 check (attempt >= 0),
  queued_at timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, broadcast_id, contact_id),
  foreign key (workspace_id, broadcast_id) references broadcasts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index broadcast_recipients_by_state on broadcast_recipients (workspace_id, broadcast_id, state, id);
create index broadcast_recipients_by_message on broadcast_recipients (workspace_id, message_id) where message_id is not null;

-- The messaging limit counts unique recipients of business-initiated (template) messages per
-- rolling 24 hours across a portfolio's numbers.
create index messages_outbound_templates on messages (workspace_id, number_id, created_at) where direction = 'out' and type = 'template';

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['broadcasts', 'broadcast_recipients'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
end
$$;

grant select, insert, update, delete on broadcasts, broadcast_recipients to parley_app;
-- Recipient rows point at contacts: like other per-contact tables, not for Analysts.
create policy broadcast_recipients_not_analyst on broadcast_recipients as restrictive
  using (coalesce(current_setting('parley.role', true), '') <> 'analyst');
