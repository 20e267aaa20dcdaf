-- Policies for the owner role's SECURITY DEFINER maintenance functions. Runs unchanged on
-- PostgreSQL 15+ and PGlite, as the owner role.
--
-- In production the owner is usually not a superuser, so forced RLS applies to it, and so to the
-- functions it owns: without a policy naming it, a function that works across workspaces sees no
-- rows and silently does nothing (tests with such an owner: test/support/owner-database.ts).
-- Each policy below is for the owner only (`to current_user` at migration time; the runtime role
-- never matches it) and opens no more than its function touches, like numbers_webhook_lookup
-- (0005) and media_uploads_expiry_lookup (0015).

-- prune_idempotency_keys (0006) deletes expired records of every workspace. A DELETE that filters
-- on a column needs the row to pass a SELECT policy as well as a DELETE policy; both open expired
-- records only, so the owner still reads no live response body.
create policy idempotency_keys_owner_prune_read on idempotency_keys for select to current_user using (expires_at <= now());
create policy idempotency_keys_owner_prune on idempotency_keys for delete to current_user using (expires_at <= now());
