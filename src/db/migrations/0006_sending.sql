-- Sending: what the outbound worker needs on messages, and Idempotency-Key records for the send API.
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

-- The sender's own bookkeeping on outbound messages. `sending_at` is when the worker committed to
-- calling Graph: from then on only the status webhook (matched by send_id) may settle the message,
-- never a second call. `send_error` is a clear, PII-free reason for a message that will not be sent.
alter table messages
  add column send_attempts integer not null default 0 check (send_attempts >= 0),
  add column sending_at timestamptz,
  add column send_error text check (length(send_error) <= 500);

-- Idempotency-Key records (reference/security.md §3.2): scoped per workspace and caller, the
-- fingerprint of the first request and, once it finished, its status code and body for replay.
-- A record still `in_progress` after `locked_until` belongs to a request that died and may be
-- taken over. Records expire 24 h after creation.
create table idempotency_keys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  principal text not null check (principal ~ '^(user|api_key):[0-9a-f-]{36}$'),
  key text not null check (length(key) between 1 and 255),
  request_hash text not null check (request_hash ~ '^[0-9a-f]{64}$'),
  state text not null check (state in ('in_progress', 'done')),
  response_status integer check (response_status between 100 and 599),
  -- Response bodies of the send API hold identifiers and messages, never personal data.
  response_body text check (length(response_body) <= 16384),
  locked_until timestamptz not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (workspace_id, principal, key)
);
create index idempotency_keys_expiry on idempotency_keys (expires_at);

alter table idempotency_keys enable row level security;
alter table idempotency_keys force row level security;
create policy idempotency_keys_isolation on idempotency_keys
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);
grant select, insert, update, delete on idempotency_keys to parley_app;

-- Pruning crosses workspaces, which RLS forbids to the runtime role; this one function may, and it
-- only deletes expired records.
create function prune_idempotency_keys() returns integer
  language plpgsql volatile security definer
  set search_path = public, pg_temp
as $$
declare
  removed integer;
begin
  delete from idempotency_keys where expires_at <= now();
  get diagnostics removed = row_count;
  return removed;
end
$$;
revoke all on function prune_idempotency_keys() from public;
grant execute on function prune_idempotency_keys() to parley_app;
