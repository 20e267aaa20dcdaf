-- Aggregates for Analysts (DESIGN §6). Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.
--
-- Analysts are refused every row of messages, contacts and the other personal tables by the
-- restrictive `_not_analyst` policies (0007), yet they may read counts and rates. Rather than loosen
-- those policies, the runtime role may call one function, which returns numbers only — never a row,
-- a text, a name or a phone number — for the workspace of the current transaction
-- (`parley.workspace_id`, set by withWorkspace) and for the roles that hold analytics.read.

-- Outbound rates and the daily volume read messages by time within a workspace.
create index messages_workspace_time on messages (workspace_id, occurred_at);

-- The computation, for one workspace, as the owner. Every query names the workspace explicitly (an
-- owner that bypasses RLS sees all tenants); where the owner does not bypass RLS (it is forced on
-- these tables), analytics_summary sets `parley.role` to 'analytics' around the call, so the
-- `_not_analyst` and agent policies do not hide rows from it while the isolation policies still
-- apply. Not callable by the runtime role: only through analytics_summary below.
create function analytics_aggregates(ws uuid, days integer)
  returns jsonb
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  with
  bounds as (
    select (now() at time zone 'utc')::date - (days - 1) as first_day,
           (now() at time zone 'utc')::date as last_day
  ),
  since as (
    select (first_day::timestamp at time zone 'utc') as start_at from bounds
  ),
  series as (
    select generate_series(b.first_day, b.last_day, interval '1 day')::date as day from bounds b
  ),
  daily as (
    select (m.occurred_at at time zone 'utc')::date as day,
           count(*) filter (where m.direction = 'in') as n_in,
           count(*) filter (where m.direction = 'out') as n_out
    from messages m, since s
    where m.workspace_id = ws and m.occurred_at >= s.start_at
    group by 1
  ),
  first_inbound as (
    select m.conversation_id, min(m.occurred_at) as first_at
    from messages m, since s
    where m.workspace_id = ws and m.direction = 'in' and m.occurred_at >= s.start_at
    group by m.conversation_id
  ),
  responses as (
    select extract(epoch from (
             select min(o.occurred_at) from messages o
             where o.workspace_id = ws and o.conversation_id = f.conversation_id
               and o.direction = 'out' and o.occurred_at >= f.first_at
           ) - f.first_at) as seconds
    from first_inbound f
  ),
  outbound as (
    select count(*) as n_total,
           count(*) filter (where m.status in ('delivered', 'read', 'played')) as n_delivered,
           count(*) filter (where m.status in ('read', 'played')) as n_read,
           count(*) filter (where m.status = 'failed') as n_failed
    from messages m, since s
    where m.workspace_id = ws and m.direction = 'out' and m.occurred_at >= s.start_at
  ),
  conversation_counts as (
    select count(*) filter (where c.status = 'open') as n_open,
           count(*) filter (where c.status = 'closed') as n_closed,
           count(*) filter (where c.status = 'open' and c.assigned_user_id is null) as n_unassigned
    from conversations c
    where c.workspace_id = ws
  )
  select jsonb_build_object(
    'days', days,
    'since', (select start_at from since),
    'conversations', (select jsonb_build_object('open', n_open, 'closed', n_closed, 'unassigned', n_unassigned) from conversation_counts),
    'messagesPerDay', (
      select coalesce(jsonb_agg(jsonb_build_object('day', to_char(s.day, 'YYYY-MM-DD'), 'inbound', coalesce(d.n_in, 0), 'outbound', coalesce(d.n_out, 0)) order by s.day), '[]'::jsonb)
      from series s left join daily d on d.day = s.day
    ),
    'firstResponse', (
      select jsonb_build_object(
        'medianSeconds', percentile_cont(0.5) within group (order by r.seconds),
        'answered', count(r.seconds),
        'waiting', count(*) - count(r.seconds))
      from responses r
    ),
    'outbound', (select jsonb_build_object('total', n_total, 'delivered', n_delivered, 'read', n_read, 'failed', n_failed) from outbound)
  )
$$;
revoke all on function analytics_aggregates(uuid, integer) from public;

-- The entry point of the runtime role. The workspace comes from the transaction's tenant context,
-- never from an argument, and roles without analytics.read (Agents) are refused here too, not only
-- by the API. The caller's `parley.role` is restored before returning; if the computation fails,
-- the transaction (or its savepoint) is aborted, which reverts the setting as well. (A `SET` clause
-- on the function would be tidier, but PostgreSQL lets only superusers attach custom settings to a
-- function, and the owner need not be one.)
create function analytics_summary(days integer)
  returns jsonb
  language plpgsql volatile security definer
  set search_path = public, pg_temp
as $$
declare
  ws uuid := nullif(current_setting('parley.workspace_id', true), '')::uuid;
  caller_role text := coalesce(current_setting('parley.role', true), '');
  result jsonb;
begin
  if ws is null then
    raise exception 'analytics_summary needs a workspace' using errcode = 'insufficient_privilege';
  end if;
  if caller_role not in ('owner', 'admin', 'analyst') then
    raise exception 'analytics_summary is for roles with analytics.read' using errcode = 'insufficient_privilege';
  end if;
  if days is null or days < 1 or days > 90 then
    raise exception 'days must be between 1 and 90' using errcode = 'invalid_parameter_value';
  end if;
  perform set_config('parley.role', 'analytics', true);
  result := analytics_aggregates(ws, days);
  perform set_config('parley.role', caller_role, true);
  return result;
end
$$;
revoke all on function analytics_summary(integer) from public;
grant execute on function analytics_summary(integer) to parley_app;
