-- Outbound webhooks (issue #18, point 1): endpoints a workspace registers, the events it emits
-- (an outbox written in the same transaction as the product change) and one delivery row per
-- (event, endpoint) holding the attempt series. Events carry identifiers only: personal data is
-- read from its source table at delivery time, for endpoints that opted in, so erasing a contact
-- (crypto-shredding) also removes it from every delivery not yet made.
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

create table webhook_endpoints (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  url text not null check (length(url) between 8 and 2048),
  description text not null default '' check (length(description) <= 500),
  format text not null default 'standard' check (format in ('standard', 'meta')),
  event_types text[] not null check (cardinality(event_types) between 1 and 50),
  enabled boolean not null default true,
  include_personal_data boolean not null default false,
  -- The signing secret (`whsec_…`), encrypted under the workspace key; during a rotation's overlap
  -- the previous one as well, and when the overlap ends.
  secret_ciphertext text not null,
  previous_secret_ciphertext text,
  previous_secret_expires_at timestamptz,
  -- Why it is disabled: by a member ('manual'), after failing too long ('failing'), or because the
  -- receiver answered 410 Gone ('gone').
  disabled_reason text check (disabled_reason in ('manual', 'failing', 'gone')),
  disabled_at timestamptz,
  -- Failure bookkeeping for the circuit breaker and auto-disable (cleared by a success).
  failing_since timestamptz,
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  consecutive_dead_letters integer not null default 0 check (consecutive_dead_letters >= 0),
  circuit_open_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);

create table webhook_events (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  type text not null check (type ~ '^[a-z_]{1,40}\.[a-z_]{1,40}$'),
  -- Identifiers, states and times only (src/features/webhooks/events.ts); never personal data.
  data jsonb not null,
  occurred_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index webhook_events_by_time on webhook_events (workspace_id, created_at);

create table webhook_deliveries (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  endpoint_id uuid not null,
  event_id uuid not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz,
  last_attempt_at timestamptz,
  last_response_code integer,
  -- The start of the receiver's answer (at most 1 KB), or why no answer came; never our secrets.
  last_response_excerpt text check (length(last_response_excerpt) <= 1024),
  last_error text check (length(last_error) <= 200),
  last_latency_ms integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, endpoint_id, event_id),
  foreign key (workspace_id, endpoint_id) references webhook_endpoints (workspace_id, id) on delete cascade,
  foreign key (workspace_id, event_id) references webhook_events (workspace_id, id) on delete cascade
);
create index webhook_deliveries_by_endpoint on webhook_deliveries (workspace_id, endpoint_id, created_at desc, id);

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['webhook_endpoints', 'webhook_events', 'webhook_deliveries'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
end
$$;

grant select, insert, update, delete on webhook_endpoints, webhook_events, webhook_deliveries to parley_app;
