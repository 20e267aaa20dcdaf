import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { sql, type Selectable } from "kysely";
import { createGroupCommit } from "../db/group-commit.ts";
import type { PubSub, Unsubscribe } from "../coordination/types.ts";
import type { Database } from "../db/database.ts";
import type { JobStatus } from "../db/schema.ts";
import type { JobsTable } from "../db/generated/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { Tracing } from "../observability/tracing.ts";
import { scrubText } from "../log/scrub.ts";
import { InvalidJobPayloadError, type BoundJob, type JobPayload } from "./definition.ts";

// A job queue on the `jobs` table, the same SQL on PostgreSQL and PGlite (DESIGN §3). The database
// holds the truth: a job exists only if the transaction that enqueued it committed, and a job a
// crashed worker held is found again by its stale lock.

export type { JobStatus } from "../db/schema.ts";
export type { BoundJob, JobContext, JobHandler, JobPayload } from "./definition.ts";

const MAX_ERROR_CHARS = 1_000;

export type WorkerOptions = {
  db: Database;
  /** The definitions this worker runs, bound to their handlers (a registry's `bind`). */
  jobs: readonly BoundJob[];
  /** Jobs run at the same time by this worker. */
  concurrency: number;
  /** Wait between claims when the queues were empty. */
  pollIntervalMs: number;
  /**
   * A `running` job whose lock is older than this belongs to a dead worker and is run again. Live
   * workers renew their locks (every third of this), so only crashed workers' jobs expire.
   */
  visibilityTimeoutMs: number;
  /** Retry delay for jobs whose definition declares none: random in [0, min(maxMs, baseMs · 2^(attempt−1))] ("full jitter"). */
  backoff?: { baseMs: number; maxMs: number };
  /**
   * A due job of a queue no definition here knows is failed once it has waited this long (default
   * 5 min): long enough for a worker of a newer version, which may know the queue, to take it first.
   */
  undefinedQueueGraceMs?: number;
  /** Source of the backoff jitter, in [0, 1) (default Math.random; tests pin it). */
  random?: () => number;
  /** How long `stop()` waits for running handlers before aborting them (default 30 s). */
  stopTimeoutMs?: number;
  logger: Logger;
  workerId?: string;
  /** Counts each run's outcome by queue (parley_job_runs_total). */
  metrics?: Metrics;
  /** Each run is a span, when tracing is on. */
  tracing?: Tracing;
  /**
   * Where `announceJobs` says that jobs were just committed: the worker claims at once instead of
   * at its next poll, when one of its queues is named (the poll stays, for anything not announced).
   */
  wakeUps?: PubSub;
};

/** The channel of `announceJobs`; a message is a queue's name. */
export const JOBS_ENQUEUED_CHANNEL = "parley:jobs:enqueued";

/**
 * Tells the workers that a job of `queue` was committed, so that one whose queues include it claims
 * now rather than at its next poll (a latency gain only: the poll finds the job anyway). Call it after
 * the commit — a worker woken before would find nothing — and never let it fail the caller.
 */
export function announceJobs(pubsub: PubSub, queue: string): void {
  pubsub.publish(JOBS_ENQUEUED_CHANNEL, queue).catch(() => undefined);
}

export type Worker = {
  readonly id: string;
  /** Begins claiming jobs. Idempotent. */
  start(): void;
  /**
   * Stops claiming, waits for running handlers up to `timeoutMs` (default: the worker's
   * `stopTimeoutMs`), then aborts the rest through their signal and waits briefly for them to
   * settle. A handler that ignores the signal keeps its job `running`; the job is reclaimed after
   * the visibility timeout.
   */
  stop(timeoutMs?: number): Promise<void>;
};

type ClaimedJob = {
  id: number;
  queue: string;
  payload: JobPayload;
  attempts: number;
  max_attempts: number;
};

const DEFAULT_BACKOFF = { baseMs: 1_000, maxMs: 15 * 60_000 };
const ABORT_GRACE_MS = 1_000;

/** Full-jitter exponential backoff for the given (1-based) attempt. */
export function computeBackoffMs(attempt: number, backoff: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.floor(random() * ceiling);
}

export function createWorker(options: WorkerOptions): Worker {
  const { db, concurrency, pollIntervalMs, visibilityTimeoutMs } = options;
  const jobs = new Map<string, BoundJob>();
  for (const job of options.jobs) {
    if (jobs.has(job.queue)) throw new Error(`job queue "${job.queue}" is bound twice`);
    jobs.set(job.queue, job);
  }
  const undefinedQueueGraceMs = options.undefinedQueueGraceMs ?? 5 * 60_000;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be a positive integer");
  if (!(pollIntervalMs > 0) || !(visibilityTimeoutMs > 0)) throw new RangeError("pollIntervalMs and visibilityTimeoutMs must be positive");
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const random = options.random ?? Math.random;
  const id = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const logger = options.logger.child({ component: "jobs", workerId: id });
  const { metrics, tracing } = options;
  const queues = [...jobs.keys()];
  const running = new Map<number, { attempt: number; controller: AbortController; done: Promise<void> }>();
  const renewEveryMs = Math.max(Math.floor(visibilityTimeoutMs / 3), 10);
  const reclaimEveryMs = Math.max(pollIntervalMs, Math.min(Math.floor(visibilityTimeoutMs / 2), 30_000));

  let isRunning = false;
  let loop: Promise<void> | undefined;
  let renewTimer: ReturnType<typeof setInterval> | undefined;
  let wake: (() => void) | undefined;
  let wakeRequested = false;
  let lastReclaimAt = 0;
  let unsubscribeWakeUps: Promise<Unsubscribe | undefined> | undefined;

  function wakeUp(): void {
    wake?.();
  }

  /** An announcement: wakes the poll loop, or makes its next sleep return at once if it is claiming now. */
  function onAnnounced(queue: string): void {
    if (!jobs.has(queue)) return;
    if (wake) wake();
    else wakeRequested = true;
  }

  function sleep(ms: number): Promise<void> {
    if (wakeRequested) {
      wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function claim(limit: number): Promise<ClaimedJob[]> {
    return withoutWorkspace(db, async (trx) => {
      const result = await sql<ClaimedJob>`
        update jobs
           set status = 'running', locked_at = now(), locked_by = ${id}, attempts = attempts + 1
         where id in (
               select id from jobs
                where queue = any(${queues}::text[]) and status = 'pending' and run_at <= now()
                order by run_at, id
                limit ${limit}
                  for update skip locked)
        returning id, queue, payload, attempts, max_attempts`.execute(trx);
      return result.rows;
    });
  }

  async function reclaimIfDue(): Promise<void> {
    const now = Date.now();
    if (now - lastReclaimAt < reclaimEveryMs) return;
    lastReclaimAt = now;
    const reclaimed = await reclaimExpiredJobs(db, visibilityTimeoutMs);
    if (reclaimed > 0) logger.warn({ reclaimed }, "reclaimed jobs whose worker stopped renewing its lock");
    const undefinedJobs = await failUndefinedJobs(db, queues, undefinedQueueGraceMs);
    if (undefinedJobs > 0) logger.error({ failed: undefinedJobs }, "failed jobs of queues no job definition knows");
  }

  async function renewLocks(): Promise<void> {
    const ids = [...running.keys()];
    if (ids.length === 0) return;
    try {
      await withoutWorkspace(db, (trx) =>
        sql`update jobs set locked_at = now()
             where id = any(${ids}::bigint[]) and status = 'running' and locked_by = ${id}`.execute(trx),
      );
    } catch (error) {
      logger.warn({ err: error }, "could not renew job locks");
    }
  }

  async function runJob(job: ClaimedJob, controller: AbortController): Promise<void> {
    const started = performance.now();
    const fields = { jobId: job.id, queue: job.queue, attempt: job.attempts };
    const bound = jobs.get(job.queue);
    let failure: unknown;
    let succeeded = false;
    try {
      if (!bound) throw new Error(`no job definition for queue ${job.queue}`);
      const context = { jobId: job.id, attempt: job.attempts, signal: controller.signal };
      if (tracing)
        await tracing.inSpan(`job ${job.queue}`, { "parley.job.queue": job.queue, "parley.job.attempt": job.attempts }, () =>
          bound.run(job.payload, context),
        );
      else await bound.run(job.payload, context);
      succeeded = true;
    } catch (error) {
      failure = error;
    }
    const durationMs = Math.round(performance.now() - started);
    try {
      if (succeeded) {
        const owned = await completeJob(job);
        metrics?.countJobRun(job.queue, owned ? "succeeded" : "lost_lock");
        if (owned) logger.info({ ...fields, durationMs, outcome: "succeeded" }, "job succeeded");
        else logger.warn({ ...fields, durationMs, outcome: "lost-lock" }, "job finished after its lock was taken over");
        return;
      }
      if (controller.signal.aborted) {
        await releaseJob(job);
        metrics?.countJobRun(job.queue, "interrupted");
        logger.warn({ ...fields, durationMs, outcome: "interrupted" }, "job interrupted by worker stop");
        return;
      }
      const outcome = await failJob(job, failure);
      metrics?.countJobRun(job.queue, outcome === "lost-lock" ? "lost_lock" : outcome);
      const log = outcome === "failed" ? logger.error.bind(logger) : logger.warn.bind(logger);
      log({ ...fields, durationMs, outcome, err: failure }, outcome === "failed" ? "job failed permanently" : "job failed; will retry");
    } catch (error) {
      // The outcome could not be recorded: the lock expires and the job runs again (at-least-once).
      logger.error({ ...fields, durationMs, err: error }, "could not record job outcome");
    }
  }

  /**
   * Every outcome update is conditional on still holding this attempt's lock. Completions are group
   * committed: jobs finishing together are marked in one statement (a busy queue finishes hundreds
   * a second, and one commit each would be most of its cost). One batch at a time: a second batch
   * in flight only halves both, and each round trip costs more than the rows it carries.
   */
  const completions = createGroupCommit<ClaimedJob, boolean>(
    async (_key, jobs) => {
      const result = await withoutWorkspace(db, (trx) =>
        sql<{ id: number | string }>`
          update jobs j
             set status = 'succeeded', finished_at = now(), locked_at = null, locked_by = null, last_error = null
            from (select unnest(${jobs.map((job) => job.id)}::bigint[]) as id, unnest(${jobs.map((job) => job.attempts)}::integer[]) as attempts) v
           where j.id = v.id and j.attempts = v.attempts and j.status = 'running' and j.locked_by = ${id}
          returning j.id`.execute(trx),
      );
      const owned = new Set(result.rows.map((row) => Number(row.id)));
      return jobs.map((job) => owned.has(Number(job.id)));
    },
    { maxBatch: 500 },
  );

  function completeJob(job: ClaimedJob): Promise<boolean> {
    return completions.submit("complete", job);
  }

  async function failJob(job: ClaimedJob, failure: unknown): Promise<"retry" | "failed" | "lost-lock"> {
    const lastError = describeFailure(failure);
    // Retrying cannot make a stored payload fit its schema: such a job fails at once.
    const isFinal = job.attempts >= job.max_attempts || failure instanceof InvalidJobPayloadError;
    const delayMs = isFinal ? 0 : computeBackoffMs(job.attempts, jobs.get(job.queue)?.retry.backoff ?? backoff, random);
    const result = await withoutWorkspace(db, (trx) =>
      trx
        .updateTable("jobs")
        .set(
          isFinal
            ? { status: "failed", finished_at: sql<Date>`now()`, locked_at: null, locked_by: null, last_error: lastError }
            : {
                status: "pending",
                run_at: sql<Date>`now() + ${delayMs}::integer * interval '1 millisecond'`,
                locked_at: null,
                locked_by: null,
                last_error: lastError,
              },
        )
        .where("id", "=", job.id)
        .where("status", "=", "running")
        .where("locked_by", "=", id)
        .where("attempts", "=", job.attempts)
        .executeTakeFirst(),
    );
    if (result.numUpdatedRows === 0n) return "lost-lock";
    return isFinal ? "failed" : "retry";
  }

  /** A stop is not the job's fault: the attempt is given back and the job is due at once. */
  async function releaseJob(job: ClaimedJob): Promise<void> {
    await withoutWorkspace(db, (trx) =>
      trx
        .updateTable("jobs")
        .set({
          status: "pending",
          run_at: sql<Date>`now()`,
          attempts: sql<number>`attempts - 1`,
          locked_at: null,
          locked_by: null,
          last_error: "interrupted by worker stop",
        })
        .where("id", "=", job.id)
        .where("status", "=", "running")
        .where("locked_by", "=", id)
        .where("attempts", "=", job.attempts)
        .executeTakeFirst(),
    );
  }

  async function poll(): Promise<void> {
    while (isRunning) {
      const free = concurrency - running.size;
      let claimed: ClaimedJob[] = [];
      if (free > 0 && queues.length > 0) {
        try {
          await reclaimIfDue();
          claimed = await claim(free);
        } catch (error) {
          logger.error({ err: error }, "could not claim jobs");
        }
      }
      for (const job of claimed) {
        const controller = new AbortController();
        const done = runJob(job, controller).finally(() => {
          running.delete(job.id);
          wakeUp();
        });
        running.set(job.id, { attempt: job.attempts, controller, done });
      }
      if (!isRunning) break;
      // A full batch suggests more are waiting; claim again at once if a slot is free.
      if (claimed.length > 0 && claimed.length === free) continue;
      await sleep(pollIntervalMs);
    }
  }

  return {
    id,
    start() {
      if (isRunning) return;
      isRunning = true;
      renewTimer = setInterval(() => void renewLocks(), renewEveryMs);
      renewTimer.unref();
      const { wakeUps } = options;
      if (wakeUps)
        unsubscribeWakeUps = wakeUps.subscribe(JOBS_ENQUEUED_CHANNEL, onAnnounced).catch((error: unknown) => {
          // Without announcements the poll still finds every job, only later.
          logger.warn({ err: error }, "job announcements unavailable; claiming at the poll interval");
          return undefined;
        });
      loop = poll();
      logger.info({ queues, concurrency }, "worker started");
    },
    async stop(timeoutMs = stopTimeoutMs) {
      if (!loop) return;
      isRunning = false;
      const unsubscribe = await unsubscribeWakeUps;
      unsubscribeWakeUps = undefined;
      await unsubscribe?.().catch(() => undefined);
      wakeUp();
      await loop;
      loop = undefined;
      const settled = await settleWithin(
        [...running.values()].map((job) => job.done),
        timeoutMs,
      );
      if (!settled) {
        logger.warn({ running: running.size }, "aborting jobs still running at stop timeout");
        for (const job of running.values()) job.controller.abort(new Error("worker stopping"));
        await settleWithin(
          [...running.values()].map((job) => job.done),
          ABORT_GRACE_MS,
        );
      }
      clearInterval(renewTimer);
      renewTimer = undefined;
      logger.info({ abandoned: running.size }, "worker stopped");
    },
  };
}

async function settleWithin(promises: Promise<void>[], ms: number): Promise<boolean> {
  if (promises.length === 0) return true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const all = Promise.allSettled(promises).then(() => true as const);
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error as the table may keep it: name and message, scrubbed of PII and secrets, bounded. */
function describeFailure(failure: unknown): string {
  const text = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
  // Scrub before truncating: a cut could shorten a secret below the length the scrubber detects.
  return scrubText(text.slice(0, 10 * MAX_ERROR_CHARS)).slice(0, MAX_ERROR_CHARS);
}

/**
 * Puts jobs whose lock is older than `visibilityTimeoutMs` (their worker died) back to `pending`,
 * or to `failed` when they have used all their attempts. Returns how many were reclaimed.
 */
export async function reclaimExpiredJobs(db: Database, visibilityTimeoutMs: number): Promise<number> {
  const result = await withoutWorkspace(db, (trx) =>
    sql`
      update jobs
         set status = case when attempts >= max_attempts then 'failed' else 'pending' end,
             run_at = now(),
             finished_at = case when attempts >= max_attempts then now() else null end,
             locked_at = null,
             locked_by = null,
             last_error = 'lock expired: the worker stopped renewing it (crash or stall)'
       where status = 'running' and locked_at < now() - ${Math.floor(visibilityTimeoutMs)}::integer * interval '1 millisecond'`.execute(
      trx,
    ),
  );
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Fails due jobs of queues none of `knownQueues` names, once they are `graceMs` overdue: a job
 * nobody can run would otherwise wait silently forever. It stays visible as `failed`, and an
 * operator may retry it once a worker that knows its queue runs. Returns how many were failed.
 */
export async function failUndefinedJobs(db: Database, knownQueues: readonly string[], graceMs: number): Promise<number> {
  if (knownQueues.length === 0) return 0;
  const result = await withoutWorkspace(db, (trx) =>
    sql`
      update jobs
         set status = 'failed', finished_at = now(),
             last_error = 'no job definition for queue ' || queue || ' in this version of Parley'
       where status = 'pending' and not (queue = any(${[...knownQueues]}::text[]))
         and run_at <= now() - ${Math.max(Math.floor(graceMs), 0)}::integer * interval '1 millisecond'`.execute(trx),
  );
  return Number(result.numAffectedRows ?? 0n);
}

export type JobSummary = {
  id: number;
  queue: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lockedBy: string | null;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

/** What operators see of a job: never the payload. */
const SUMMARY_COLUMNS = [
  "id",
  "queue",
  "status",
  "attempts",
  "max_attempts",
  "run_at",
  "locked_by",
  "last_error",
  "created_at",
  "finished_at",
] as const;

function toJobSummary(row: Pick<Selectable<JobsTable>, (typeof SUMMARY_COLUMNS)[number]>): JobSummary {
  return {
    id: row.id,
    queue: row.queue,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    lockedBy: row.locked_by,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** Jobs for operators, newest first. The payload is left out: listings go to screens and logs. */
export async function listJobs(db: Database, filter: { status?: JobStatus; queue?: string; limit: number }): Promise<JobSummary[]> {
  const limit = Math.min(Math.max(Math.floor(filter.limit), 1), 1_000);
  const rows = await withoutWorkspace(db, (trx) => {
    let query = trx.selectFrom("jobs").select(SUMMARY_COLUMNS).orderBy("id", "desc").limit(limit);
    if (filter.status) query = query.where("status", "=", filter.status);
    if (filter.queue) query = query.where("queue", "=", filter.queue);
    return query.execute();
  });
  return rows.map(toJobSummary);
}

/**
 * Gives a `failed` job a fresh set of attempts, due now. Returns false when there is no such
 * failed job (unknown id, or the job is not failed).
 */
export async function retryJob(db: Database, jobId: number): Promise<boolean> {
  const result = await withoutWorkspace(db, (trx) =>
    trx
      .updateTable("jobs")
      .set({ status: "pending", attempts: 0, run_at: sql<Date>`now()`, finished_at: null, locked_at: null, locked_by: null })
      .where("id", "=", jobId)
      .where("status", "=", "failed")
      .executeTakeFirst(),
  );
  return result.numUpdatedRows > 0n;
}

export type JobCount = { queue: string; status: JobStatus; count: number };

export async function jobCounts(db: Database): Promise<JobCount[]> {
  const rows = await withoutWorkspace(db, (trx) =>
    trx
      .selectFrom("jobs")
      .select(["queue", "status", sql<number>`count(*)::integer`.as("count")])
      .groupBy(["queue", "status"])
      .orderBy("queue")
      .orderBy("status")
      .execute(),
  );
  return rows.map((row) => ({ queue: row.queue, status: row.status, count: Number(row.count) }));
}

/** One job for operators (no payload), or undefined. */
export async function findJobSummary(db: Database, jobId: number): Promise<JobSummary | undefined> {
  const row = await withoutWorkspace(db, (trx) =>
    trx.selectFrom("jobs").select(SUMMARY_COLUMNS).where("id", "=", jobId).executeTakeFirst(),
  );
  return row ? toJobSummary(row) : undefined;
}

/**
 * Deletes a `pending` or `failed` job. A running job is refused (its handler is at work; deleting
 * the row would not stop it), and so is a succeeded one (retention prunes those). One conditional
 * statement: a job a worker claims at the same moment is either deleted before or refused after.
 */
export async function discardJob(
  db: Database,
  jobId: number,
): Promise<{ outcome: "discarded" } | { outcome: "missing" } | { outcome: "refused"; status: JobStatus }> {
  const deleted = await withoutWorkspace(db, (trx) =>
    trx.deleteFrom("jobs").where("id", "=", jobId).where("status", "in", ["pending", "failed"]).returning("id").executeTakeFirst(),
  );
  if (deleted) return { outcome: "discarded" };
  const job = await findJobSummary(db, jobId);
  return job ? { outcome: "refused", status: job.status } : { outcome: "missing" };
}

/**
 * Deletes succeeded jobs that finished more than `retentionMs` ago, `batchSize` rows per statement
 * (each its own short transaction, so a large backlog never holds locks long), at most `maxBatches`
 * per call. Failed jobs are never pruned: they wait for an operator. Returns how many went.
 */
export async function pruneFinishedJobs(
  db: Database,
  options: { retentionMs: number; batchSize?: number; maxBatches?: number },
): Promise<number> {
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 100;
  let pruned = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const result = await withoutWorkspace(db, (trx) =>
      sql`
        delete from jobs
         where id in (
               select id from jobs
                where status = 'succeeded'
                  and finished_at < now() - ${Math.floor(options.retentionMs / 1000)}::integer * interval '1 second'
                limit ${batchSize}
                  for update skip locked)`.execute(trx),
    );
    const deleted = Number(result.numAffectedRows ?? 0n);
    pruned += deleted;
    if (deleted < batchSize) break;
  }
  return pruned;
}

/** Per queue: jobs pending and running, and how long the oldest due pending job has waited (metrics). */
export async function jobQueueStats(
  db: Database,
): Promise<Array<{ queue: string; pending: number; running: number; oldestDueAgeSeconds: number }>> {
  // Only the partial indexes' rows (pending, running): finished jobs, kept for days, are never read.
  const rows = await withoutWorkspace(db, (trx) =>
    trx
      .selectFrom("jobs")
      .select([
        "queue",
        sql<number>`count(*) filter (where status = 'pending')::integer`.as("pending"),
        sql<number>`count(*) filter (where status = 'running')::integer`.as("running"),
        sql<number>`coalesce(extract(epoch from now() - min(run_at) filter (where status = 'pending' and run_at <= now())), 0)::float8`.as(
          "oldest",
        ),
      ])
      .where("status", "in", ["pending", "running"])
      .groupBy("queue")
      .execute(),
  );
  return rows.map((row) => ({
    queue: row.queue,
    pending: Number(row.pending),
    running: Number(row.running),
    oldestDueAgeSeconds: Math.max(0, Number(row.oldest)),
  }));
}
