-- Minimization (DESIGN §12, src/privacy/minimize.ts and the data inventory's `minimized` notes).
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.
--
-- 1. An API key's last use is kept as the caller's network (/24 for IPv4, /48 for IPv6), never the
--    address. Addresses stored before this change are cleared (the key's next use records its
--    network), and a check refuses a full address from now on. Forced RLS applies to the table's
--    owner too: it is lifted for the one UPDATE, inside the migration's transaction, and forced again
--    before the transaction commits.
alter table api_keys no force row level security;
update api_keys set last_used_ip = null where last_used_ip is not null and last_used_ip !~ '/(24|48)$';
alter table api_keys force row level security;
alter table api_keys add constraint api_keys_last_used_network
  check (last_used_ip is null or last_used_ip ~ '^([0-9]{1,3}\.){3}0/24$|^[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/48$');

-- 2. An invitation that has ended (accepted, revoked or expired) keeps the invitee's e-mail address
--    for 30 days, for the members screen, and is then deleted (the audit log keeps its id). Pruning
--    crosses workspaces, so it is one SECURITY DEFINER function that deletes ended invitations only;
--    the owner's policies (see 0016) open no more rows than it deletes.
create policy invitations_owner_prune_read on invitations for select to current_user
  using (coalesce(accepted_at, revoked_at, expires_at) < now() - interval '30 days');
create policy invitations_owner_prune on invitations for delete to current_user
  using (coalesce(accepted_at, revoked_at, expires_at) < now() - interval '30 days');
create function prune_ended_invitations() returns integer
  language plpgsql volatile security definer
  set search_path = public, pg_temp
as $$
declare
  removed integer;
begin
  delete from invitations where coalesce(accepted_at, revoked_at, expires_at) < now() - interval '30 days';
  get diagnostics removed = row_count;
  return removed;
end
$$;
revoke all on function prune_ended_invitations() from public;
grant execute on function prune_ended_invitations() to parley_app;
