-- Number health and management: what Meta says of each number (quality rating, messaging limit,
-- throughput, display-name review, Meta's own status), read from Graph on a schedule and updated
-- from the phone_number_quality_update, business_capability_update and account_update webhooks.
-- The first two statements are shared, word for word, with the broadcast engine's migration, which
-- reads them to pace campaigns: `if not exists` makes either order safe.
alter table numbers add column if not exists quality_rating text not null default 'UNKNOWN';
alter table numbers add column if not exists messaging_limit text;

alter table numbers add constraint numbers_quality_rating_check
  check (quality_rating in ('GREEN', 'YELLOW', 'RED', 'UNKNOWN'));
alter table numbers add constraint numbers_messaging_limit_check
  check (messaging_limit is null or messaging_limit in ('TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'));

-- Meta's words, bounded: `status` (CONNECTED, …; the full list is not published), the throughput
-- level and the display name's review state. Unknown values are kept as Meta sent them.
alter table numbers add column meta_status text check (meta_status ~ '^[A-Z0-9_]{1,40}$');
alter table numbers add column throughput_level text check (throughput_level ~ '^[A-Z0-9_]{1,40}$');
alter table numbers add column name_status text check (name_status ~ '^[A-Z0-9_]{1,40}$');
-- The last account_update event about the number's WABA (e.g. DISABLED_UPDATE, ACCOUNT_VIOLATION).
alter table numbers add column account_event text check (account_event ~ '^[A-Z0-9_]{1,60}$');
alter table numbers add column health_checked_at timestamptz;
alter table numbers add column health_error text check (length(health_error) <= 300);
-- Two-step verification: only that a PIN was set through Parley, and when. The PIN itself is
-- never stored.
alter table numbers add column pin_set_at timestamptz;
alter table numbers add column registered_at timestamptz;
alter table numbers add column disconnected_at timestamptz;
-- When the current access token was stored (its age is flagged after 90 days).
alter table numbers add column access_token_stored_at timestamptz not null default now();
-- Token rotation with overlap: the token replaced by the last rotation stays, encrypted, until
-- `previous_access_token_drop_at`, so a send that read it finishes on it; a schedule drops it.
alter table numbers add column previous_access_token_ciphertext text;
alter table numbers add column previous_access_token_version integer;
alter table numbers add column previous_access_token_drop_at timestamptz;

-- The health schedule reads every connected number of every workspace before any tenant context
-- exists: identifiers only, like sandbox_numbers (0019). Secrets are read afterwards under RLS.
create function connected_numbers()
  returns table (workspace_id uuid, number_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select n.workspace_id, n.id from numbers n where n.status <> 'disconnected' order by n.workspace_id, n.created_at, n.id
$$;
revoke all on function connected_numbers() from public;
grant execute on function connected_numbers() to parley_app;
