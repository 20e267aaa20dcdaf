import { sql } from "kysely";
import type { Database } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import type { Logger } from "../log/logger.ts";
import { scrubText } from "../log/scrub.ts";
import { enqueueJob, type JobDefinition, type JobPayload } from "./definition.ts";

// Periodic work as data (STYLE 18): a schedule names a job and how often it is due. Its row in the
// `schedules` table (migration 0022) holds when it is next due, so any number of workers may tick
// and a run still happens once: a tick claims a due row by moving its next run forward, in the same
// transaction that enqueues the job (outbox). The work itself then runs as a typed job, with the
// job's retries; a restart neither skips nor repeats a run, as the timer lives in the database.

export type ScheduleDefinition = {
  readonly name: string;
  readonly everyMs: number;
  readonly queue: string;
  /** Enqueues the schedule's job in the claiming transaction. */
  readonly enqueue: (trx: Parameters<typeof enqueueJob>[0]) => Promise<number>;
};

const SCHEDULE_NAME = /^[A-Za-z0-9._:-]{1,100}$/;
const MIN_EVERY_MS = 1_000;
const MAX_EVERY_MS = 31 * 24 * 60 * 60_000;
const MAX_ERROR_CHARS = 1_000;

/** A schedule: `job` with `payload` (checked now, against the job's schema), every `every` ms. */
export function defineSchedule<P extends JobPayload>(spec: {
  name: string;
  every: number;
  job: JobDefinition<P, never>;
  payload: NoInfer<P>;
}): ScheduleDefinition {
  if (!SCHEDULE_NAME.test(spec.name)) throw new RangeError("schedule name must be 1–100 characters of [A-Za-z0-9._:-]");
  if (!Number.isInteger(spec.every) || spec.every < MIN_EVERY_MS || spec.every > MAX_EVERY_MS)
    throw new RangeError("a schedule runs every 1 s to 31 days (whole milliseconds)");
  spec.job.parsePayload(spec.payload);
  return Object.freeze({
    name: spec.name,
    everyMs: spec.every,
    queue: spec.job.queue,
    enqueue: (trx) => enqueueJob(trx, spec.job, spec.payload),
  });
}

/**
 * Writes the declared schedules (at start; every worker does it, concurrently is fine). A new
 * schedule is first due one interval from now; an existing one keeps its next run, brought forward
 * when its interval shrank so that it never waits out the longer one.
 */
export async function upsertSchedules(db: Database, schedules: readonly ScheduleDefinition[]): Promise<void> {
  assertUniqueNames(schedules);
  if (schedules.length === 0) return;
  await withoutWorkspace(db, (trx) =>
    sql`
      insert into schedules (name, queue, interval_ms, next_run_at)
      select name, queue, interval_ms, now() + interval_ms * interval '1 millisecond'
        from unnest(${schedules.map((schedule) => schedule.name)}::text[], ${schedules.map((schedule) => schedule.queue)}::text[], ${schedules.map((schedule) => schedule.everyMs)}::bigint[])
             as declared (name, queue, interval_ms)
      on conflict (name) do update
         set queue = excluded.queue,
             interval_ms = excluded.interval_ms,
             next_run_at = least(schedules.next_run_at, excluded.next_run_at),
             updated_at = now()`.execute(trx),
  );
}

export type ScheduleTick = { ran: string[]; failed: string[] };

/**
 * Runs every due schedule once. Each is claimed in its own transaction: the row is taken with
 * FOR UPDATE SKIP LOCKED only while still due, moved to its next run and its job enqueued — so of
 * several workers ticking at once exactly one claims it, and the others skip the row. A schedule
 * whose enqueue fails keeps the error on its row and is due again one interval later.
 */
export async function runDueSchedules(db: Database, schedules: readonly ScheduleDefinition[], logger: Logger): Promise<ScheduleTick> {
  const tick: ScheduleTick = { ran: [], failed: [] };
  if (schedules.length === 0) return tick;
  const byName = new Map(schedules.map((schedule) => [schedule.name, schedule]));
  const due = await withoutWorkspace(db, (trx) =>
    trx
      .selectFrom("schedules")
      .select("name")
      .where("name", "in", [...byName.keys()])
      .where("next_run_at", "<=", sql<Date>`now()`)
      .orderBy("next_run_at")
      .execute(),
  );
  for (const { name } of due) {
    const schedule = byName.get(name)!;
    try {
      const claimed = await withoutWorkspace(db, async (trx) => {
        const row = await sql<{ name: string }>`
          update schedules
             set next_run_at = now() + interval_ms * interval '1 millisecond', last_run_at = now(), updated_at = now()
           where name = (select name from schedules where name = ${name} and next_run_at <= now() for update skip locked)
          returning name`.execute(trx);
        if (row.rows.length === 0) return false;
        const jobId = await schedule.enqueue(trx);
        await trx.updateTable("schedules").set({ last_job_id: jobId, last_error: null }).where("name", "=", name).execute();
        return true;
      });
      if (claimed) tick.ran.push(name);
    } catch (error) {
      tick.failed.push(name);
      logger.error(
        { component: "schedules", schedule: name, err: error },
        "could not run a due schedule; it is due again after its interval",
      );
      await recordScheduleFailure(db, name, error).catch(() => undefined);
    }
  }
  return tick;
}

async function recordScheduleFailure(db: Database, name: string, error: unknown): Promise<void> {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const lastError = scrubText(text.slice(0, 10 * MAX_ERROR_CHARS)).slice(0, MAX_ERROR_CHARS);
  await withoutWorkspace(db, (trx) =>
    sql`update schedules
           set last_error = ${lastError}, next_run_at = greatest(next_run_at, now() + interval_ms * interval '1 millisecond'), updated_at = now()
         where name = ${name}`.execute(trx),
  );
}

export type Scheduler = {
  /** Upserts the schedules, then ticks every `tickMs`. */
  start(): Promise<void>;
  /** Stops ticking and waits for a tick in progress. */
  stop(): Promise<void>;
};

export function createScheduler(options: {
  db: Database;
  schedules: readonly ScheduleDefinition[];
  tickMs: number;
  logger: Logger;
}): Scheduler {
  const { db, schedules, tickMs } = options;
  assertUniqueNames(schedules);
  if (!(tickMs > 0)) throw new RangeError("tickMs must be positive");
  const logger = options.logger.child({ component: "schedules" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let isStopped = true;

  function next(): void {
    if (isStopped) return;
    timer = setTimeout(() => {
      running = runDueSchedules(db, schedules, logger)
        .then((tick) => {
          if (tick.ran.length > 0) logger.info({ ran: tick.ran }, "schedules enqueued their jobs");
        })
        .catch((error: unknown) => logger.error({ err: error }, "could not check the schedules"))
        .finally(() => {
          running = undefined;
          next();
        });
    }, tickMs);
    timer.unref();
  }

  return {
    async start() {
      if (!isStopped) return;
      await upsertSchedules(db, schedules);
      isStopped = false;
      next();
    },
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function assertUniqueNames(schedules: readonly ScheduleDefinition[]): void {
  const names = new Set<string>();
  for (const schedule of schedules) {
    if (names.has(schedule.name)) throw new Error(`schedule "${schedule.name}" is declared twice`);
    names.add(schedule.name);
  }
}
