-- Periodic work as data: one row per declared schedule (src/jobs/schedule.ts), upserted by every
-- worker at start. A worker's tick claims a due row by moving next_run_at forward in the transaction
-- that enqueues the schedule's job, so a run happens once however many workers tick. Names and
-- times only; no tenant data (like the jobs table, it has no RLS).
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.
create table schedules (
  name text primary key check (name ~ '^[A-Za-z0-9._:-]{1,100}$'),
  queue text not null check (length(queue) between 1 and 100),
  interval_ms bigint not null check (interval_ms between 1000 and 2678400000),
  next_run_at timestamptz not null,
  last_run_at timestamptz,
  last_job_id bigint,
  last_error text check (length(last_error) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
grant select, insert, update on schedules to parley_app;

-- Retention prunes succeeded jobs by age (src/jobs/queue.ts pruneFinishedJobs) without a scan.
create index jobs_succeeded_finished on jobs (finished_at) where status = 'succeeded';
