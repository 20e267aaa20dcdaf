-- One processing job per stored batch of webhook deliveries, not one per delivery
-- (src/whatsapp/webhook/store.ts, src/whatsapp/inbound/process.ts). A delivery's own row in
-- inbound_events stays the unit of storage, deduplication and processing; the job only says which
-- rows to process. Per delivery that saves a jobs row and its index entries on the path Meta waits
-- on: in same-run A/B probes on PostgreSQL (the webhook-ingest benchmark's receiver and load
-- generator), storing the deliveries without their per-delivery jobs raised the rate by 13–18 %;
-- one job per batch adds back one small row per transaction.
--
-- A job names at most 100 events (about 4 KB of ids, within the queue's 8 KB payload rule);
-- a larger batch gets several jobs. Jobs queued by 0014's version name one event each
-- ({"eventId"}); the worker still accepts them, so an upgrade with jobs pending loses none.
-- Same signature, grants and SECURITY INVOKER as 0014. Runs on PostgreSQL 15+ and PGlite.
create or replace function ingest_inbound_events(
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
  insert into inbound_events (workspace_id, id, number_id, body_ciphertext, body_bytes)
  select p_workspace_id, delivery.id, delivery.number_id, delivery.body, delivery.bytes
  from unnest(p_ids, p_number_ids, p_bodies, p_bytes) as delivery (id, number_id, body, bytes);
  get diagnostics stored = row_count;
  -- The events and their jobs commit together: a job exists exactly when its events do.
  insert into jobs (queue, payload, max_attempts)
  select p_queue,
         jsonb_build_object('workspaceId', p_workspace_id::text, 'eventIds', jsonb_agg(event.id::text order by event.position)),
         p_max_attempts
  from unnest(p_ids) with ordinality as event (id, position)
  group by (event.position - 1) / 100;
  perform set_config('parley.workspace_id', previous_workspace, true),
          set_config('parley.user_id', previous_user, true),
          set_config('parley.role', previous_member_role, true),
          set_config('role', previous_role, true);
  return stored;
end
$$;
