-- Outbound webhook history does not grow without bound (src/features/webhooks/history.ts): events
-- older than PARLEY_WEBHOOK_RETENTION_DAYS whose deliveries have all finished (succeeded, or failed
-- as dead letters) are deleted with their deliveries and Meta-format payloads (foreign keys cascade).
-- Runs unchanged on PostgreSQL 15+ and PGlite.
--
-- Which workspaces have such events comes from one SECURITY DEFINER function that answers ids only,
-- as workspaces_with_expired_uploads does (0015); each workspace is then pruned in its own
-- transaction as the runtime role under RLS. Forced RLS applies to the function's owner too, hence
-- the owner's read-only lookup policy.
create policy webhook_events_history_lookup on webhook_events for select to current_user using (true);
create policy webhook_deliveries_history_lookup on webhook_deliveries for select to current_user using (true);
create function workspaces_with_webhook_history(cutoff timestamptz, max_workspaces integer)
  returns table (workspace_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select e.workspace_id from webhook_events e
  where e.created_at < cutoff
    and not exists (
      select 1 from webhook_deliveries d
      where d.workspace_id = e.workspace_id and d.event_id = e.id and d.status = 'pending'
    )
  group by e.workspace_id
  order by min(e.created_at), e.workspace_id
  limit least(greatest(coalesce(max_workspaces, 0), 0), 1000)
$$;
revoke all on function workspaces_with_webhook_history(timestamptz, integer) from public;
grant execute on function workspaces_with_webhook_history(timestamptz, integer) to parley_app;
