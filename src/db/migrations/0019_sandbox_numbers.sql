-- Sandbox mode: the Cloud API simulator keeps its state in memory, and the database is the truth.
-- At start-up Parley re-registers every connected sandbox number on it (its app, WABA, phone
-- number, token, app secret and webhook target), which means finding them across workspaces
-- before any tenant context exists. The runtime role may call this one function for that: it
-- answers identifiers only, never secrets; those are read afterwards inside each workspace, under
-- RLS. The owner already reads numbers through numbers_webhook_lookup (0005).
create function sandbox_numbers()
  returns table (workspace_id uuid, number_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select n.workspace_id, n.id from numbers n where n.mode = 'sandbox' and n.status <> 'disconnected' order by n.created_at, n.id
$$;
revoke all on function sandbox_numbers() from public;
grant execute on function sandbox_numbers() to parley_app;
