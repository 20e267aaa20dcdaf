-- Uploads that were never sent expire (src/whatsapp/media/upload-expiry.ts): after the retention
-- period (PARLEY_UPLOAD_RETENTION_DAYS, 30 days like media uploaded to Meta) the row goes and a
-- blobs.delete job, enqueued in the same transaction, removes the sealed file. Runs unchanged on
-- PostgreSQL 15+ and PGlite, as the owner role.

-- The sweep's reads: a workspace's unsent uploads, oldest first. Sent uploads leave the index.
create index media_uploads_unsent on media_uploads (workspace_id, created_at) where used_at is null;

-- Finding the workspaces that hold expired uploads crosses workspaces, which RLS forbids to the
-- runtime role; this one function may. It answers workspace ids only (never an upload, a key or a
-- count), those whose oldest expired upload is oldest first, so a workspace with a long backlog
-- cannot starve the others. The deletion itself runs per workspace as the runtime role under RLS.
-- The policy lets the function's owner read the rows when it is not a superuser (forced RLS
-- applies to table owners too), as numbers_webhook_lookup does for resolve_webhook_key.
create policy media_uploads_expiry_lookup on media_uploads for select to current_user using (true);
create function workspaces_with_expired_uploads(cutoff timestamptz, max_workspaces integer)
  returns table (workspace_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select u.workspace_id from media_uploads u
  where u.used_at is null and u.created_at < cutoff
  group by u.workspace_id
  order by min(u.created_at), u.workspace_id
  limit least(greatest(coalesce(max_workspaces, 0), 0), 1000)
$$;
revoke all on function workspaces_with_expired_uploads(timestamptz, integer) from public;
grant execute on function workspaces_with_expired_uploads(timestamptz, integer) to parley_app;
