-- An API key presented on another workspace's routes (or on a workspace that does not exist) is a
-- valid credential without permission there: the answer is 403, not 401. Telling the two apart
-- means finding the key's own workspace across workspaces, before any tenant context exists. The
-- runtime role may call this one function for that: it answers a workspace id only, and only to a
-- caller presenting the key's id and the hash of its secret, for a key that is neither revoked nor
-- expired. Everything else about the key is read afterwards inside its workspace, under RLS.
--
-- In production the owner is usually not a superuser, so forced RLS applies to it and to this
-- function (0016 explains): the owner's own policy opens the rows the function reads, keys that
-- are not revoked, for reading only. The runtime role never matches `to current_user`.
create policy api_keys_owner_workspace_lookup on api_keys for select to current_user using (revoked_at is null);
create function api_key_workspace(key_id uuid, presented_secret_hash text, at timestamptz)
  returns uuid
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select k.workspace_id from api_keys k
  where k.id = key_id and k.secret_hash = presented_secret_hash and k.revoked_at is null and (k.expires_at is null or k.expires_at > at)
  order by k.workspace_id
  limit 1
$$;
revoke all on function api_key_workspace(uuid, text, timestamptz) from public;
grant execute on function api_key_workspace(uuid, text, timestamptz) to parley_app;
