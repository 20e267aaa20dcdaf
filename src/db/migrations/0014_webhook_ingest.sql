-- Webhook ingest in one round trip (src/whatsapp/webhook/store.ts). A batch of verified deliveries
-- used to cost BEGIN, the tenant settings, the insert and COMMIT: four round trips, each waiting
-- for the other process to be scheduled, on the path Meta waits on. This function takes the whole
-- batch as arrays and runs as one statement in its own (implicit) transaction: the answer comes
-- after the commit, so "answered" still means "durable".
--
-- It is SECURITY INVOKER on purpose: it acts as the runtime role with the tenant settings of the
-- workspace it is given, exactly as withWorkspace would, so RLS checks every row it writes and it
-- grants nothing the runtime role could not already do. Runs on PostgreSQL 15+ and PGlite.
create function ingest_inbound_events(
  p_workspace_id uuid,
  p_ids uuid[],
  p_number_ids uuid[],
  p_bodies text[],
  p_bytes integer[],
  p_queue text,
  p_max_attempts integer
) returns integer
  language plpgsql
  volatile
  security invoker
as $$
declare
  stored integer;
  -- Whatever the caller's transaction had set is put back before returning, so calling this inside
  -- another transaction never leaves that transaction acting for this workspace.
  previous_role text := current_setting('role');
  previous_workspace text := coalesce(current_setting('parley.workspace_id', true), '');
  previous_user text := coalesce(current_setting('parley.user_id', true), '');
  previous_member_role text := coalesce(current_setting('parley.role', true), '');
begin
  if cardinality(p_ids) is distinct from cardinality(p_number_ids)
     or cardinality(p_ids) is distinct from cardinality(p_bodies)
     or cardinality(p_ids) is distinct from cardinality(p_bytes) then
    raise exception 'ingest_inbound_events: arrays of different lengths' using errcode = '22023';
  end if;
  perform set_config('role', 'parley_app', true),
          set_config('parley.workspace_id', p_workspace_id::text, true),
          set_config('parley.user_id', '', true),
          set_config('parley.role', '', true);
  -- The event and its processing job, together: the job exists exactly when the event does.
  with events as (
    insert into inbound_events (workspace_id, id, number_id, body_ciphertext, body_bytes)
    select p_workspace_id, delivery.id, delivery.number_id, delivery.body, delivery.bytes
    from unnest(p_ids, p_number_ids, p_bodies, p_bytes) as delivery (id, number_id, body, bytes)
    returning id
  )
  insert into jobs (queue, payload, max_attempts)
  select p_queue, jsonb_build_object('workspaceId', p_workspace_id::text, 'eventId', events.id::text), p_max_attempts
  from events;
  get diagnostics stored = row_count;
  perform set_config('parley.workspace_id', previous_workspace, true),
          set_config('parley.user_id', previous_user, true),
          set_config('parley.role', previous_member_role, true),
          set_config('role', previous_role, true);
  return stored;
end
$$;
revoke all on function ingest_inbound_events(uuid, uuid[], uuid[], text[], integer[], text, integer) from public;
grant execute on function ingest_inbound_events(uuid, uuid[], uuid[], text[], integer[], text, integer) to parley_app;

-- The composite key to numbers already implies the workspace (numbers references workspaces, and
-- both cascade), so the second foreign-key check on every stored delivery only cost time.
alter table inbound_events drop constraint inbound_events_workspace_id_fkey;
