import type { z } from "zod";
import type { Tx } from "../db/database.ts";
import { insertJobs, QUEUE_NAME, type JobPayload } from "./insert.ts";

// Jobs are typed declarations (STYLE 18): a definition names its queue, the zod schema of its
// payload, its retry policy and how its handler is built from what the composition root supplies.
// Enqueueing goes through the definition, so a payload the handler could not read is refused in
// the enqueuing transaction — where the caller can still see and fix it — not by a worker later.

export type { JobPayload } from "./insert.ts";

export type JobContext = {
  jobId: number;
  /** 1 on the first run. */
  attempt: number;
  /** Aborted when the worker stops and the handler has outlived the stop timeout. */
  signal: AbortSignal;
};

/**
 * Handles one job. Delivery is at-least-once: a handler may run again for the same job after a
 * crash, a lost lease or a failure after partial work, so it must be idempotent (unique
 * constraints, conditional updates). Throwing schedules a retry with backoff.
 */
export type JobHandler<P = JobPayload> = (payload: P, context: JobContext) => Promise<void>;

export type RetryPolicy = {
  /** Attempts before the job is marked `failed` and left for an operator (`parley jobs retry`). */
  maxAttempts: number;
  /** Retry delay: random in [0, min(maxMs, baseMs · 2^(attempt−1))]; the worker's default when absent. */
  backoff?: { baseMs: number; maxMs: number };
};

/** A definition bound to its handler: what a worker runs. */
export type BoundJob = {
  readonly queue: string;
  readonly retry: RetryPolicy;
  /** Parses the stored payload (InvalidJobPayloadError when it does not fit) and runs the handler. */
  run(payload: unknown, context: JobContext): Promise<void>;
};

/** What registries and workers need of a definition, whatever its payload type. */
export type RegisteredJob<D> = {
  readonly queue: string;
  readonly retry: RetryPolicy;
  parsePayload(payload: unknown): JobPayload;
  bind(deps: D): BoundJob;
};

export type JobDefinition<P extends JobPayload, D> = RegisteredJob<D> & {
  readonly payload: z.ZodType<P>;
  /** Builds the handler once per worker (it may hold per-worker state: caches, group commits). */
  createHandler(deps: D): JobHandler<P>;
};

/** An enqueue that names no defined queue (a registry lookup by name). */
export class UnknownJobError extends Error {
  constructor(readonly queue: string) {
    super(`no job is defined for queue "${safeQueueName(queue)}"`);
    this.name = "UnknownJobError";
  }
}

/** A payload that does not match its job's schema. The message names paths, never values. */
export class InvalidJobPayloadError extends Error {
  constructor(
    readonly queue: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(`invalid payload for job "${queue}": ${issues.map((issue) => `${issue.path || "(payload)"}: ${issue.message}`).join("; ")}`);
    this.name = "InvalidJobPayloadError";
  }
}

const MAX_ATTEMPTS_LIMIT = 1_000;

export function defineJob<P extends JobPayload, D>(spec: {
  queue: string;
  payload: z.ZodType<P>;
  retry: RetryPolicy;
  createHandler: (deps: D) => JobHandler<P>;
}): JobDefinition<P, D> {
  if (!QUEUE_NAME.test(spec.queue)) throw new RangeError("queue name must be 1–100 characters of [A-Za-z0-9._:-]");
  const { maxAttempts, backoff } = spec.retry;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT)
    throw new RangeError("retry.maxAttempts must be an integer from 1 to 1000");
  if (backoff && !(backoff.baseMs > 0 && backoff.maxMs >= backoff.baseMs)) throw new RangeError("retry.backoff needs 0 < baseMs <= maxMs");
  const definition: JobDefinition<P, D> = {
    queue: spec.queue,
    payload: spec.payload,
    retry: { ...spec.retry },
    createHandler: spec.createHandler,
    parsePayload: (payload) => parseJobPayload(definition, payload),
    bind: (deps) => bindJob(definition, spec.createHandler(deps)),
  };
  return Object.freeze(definition);
}

/** Pairs a definition with a handler (the definition's own, or one a test builds with other options). */
export function bindJob<P extends JobPayload>(
  definition: Pick<JobDefinition<P, never>, "queue" | "retry" | "payload">,
  handler: JobHandler<P>,
): BoundJob {
  return {
    queue: definition.queue,
    retry: definition.retry,
    // Async, so that a payload that does not fit rejects like any other failure of the job.
    run: async (payload, context) => handler(parseJobPayload(definition, payload), context),
  };
}

function parseJobPayload<P extends JobPayload>(definition: Pick<JobDefinition<P, never>, "queue" | "payload">, payload: unknown): P {
  const parsed = definition.payload.safeParse(payload);
  if (parsed.success) return parsed.data;
  throw new InvalidJobPayloadError(
    definition.queue,
    parsed.error.issues.slice(0, 5).map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  );
}

export type EnqueueJobOptions = {
  /** Not before this time (default: now). */
  runAt?: Date;
};

/**
 * Adds a job inside the caller's transaction (outbox): if the caller rolls back, the job never
 * existed, and if it commits, the job is there for a worker — no dual write to get wrong. The
 * payload is checked against the definition first: an invalid one throws here.
 *
 * The payload must hold identifiers only, never personal data (phone numbers, names, message
 * bodies) or secrets: the jobs table is shared by all workspaces and is neither row-level secured
 * nor encrypted. Handlers load what they need by id inside `withWorkspace`.
 */
export async function enqueueJob<P extends JobPayload>(
  trx: Tx,
  job: JobDefinition<P, never>,
  payload: NoInfer<P>,
  options: EnqueueJobOptions = {},
): Promise<number> {
  const [id] = await enqueueJobs(trx, job, [payload], options);
  return id!;
}

/** Enqueues several jobs of one definition with one statement, in the caller's transaction. */
export async function enqueueJobs<P extends JobPayload>(
  trx: Tx,
  job: JobDefinition<P, never>,
  payloads: ReadonlyArray<NoInfer<P>>,
  options: EnqueueJobOptions = {},
): Promise<number[]> {
  const rows = payloads.map((payload) => ({
    queue: job.queue,
    payload: parseJobPayload(job, payload),
    maxAttempts: job.retry.maxAttempts,
    ...(options.runAt ? { runAt: options.runAt } : {}),
  }));
  return insertJobs(trx, rows);
}

/** Jobs of one definition, each due at its own time, in one multi-row insert. */
export async function enqueueJobsAt<P extends JobPayload>(
  trx: Tx,
  job: JobDefinition<P, never>,
  entries: ReadonlyArray<{ payload: NoInfer<P>; runAt: Date }>,
): Promise<number[]> {
  const rows = entries.map((entry) => ({
    queue: job.queue,
    payload: parseJobPayload(job, entry.payload),
    maxAttempts: job.retry.maxAttempts,
    runAt: entry.runAt,
  }));
  return insertJobs(trx, rows);
}

export type JobRegistry<D> = {
  readonly queues: readonly string[];
  find(queue: string): RegisteredJob<D> | undefined;
  /** Every definition bound to its handler, for a worker. */
  bind(deps: D): BoundJob[];
  /**
   * Enqueues by queue name (a schedule row, an operator tool): an unknown queue throws
   * UnknownJobError and an invalid payload InvalidJobPayloadError, both before anything is written.
   */
  enqueue(trx: Tx, queue: string, payload: unknown, options?: EnqueueJobOptions): Promise<number>;
};

/** The definitions one program runs; a queue may be defined once. */
export function createJobRegistry<D>(definitions: ReadonlyArray<RegisteredJob<D>>): JobRegistry<D> {
  const byQueue = new Map<string, RegisteredJob<D>>();
  for (const definition of definitions) {
    if (byQueue.has(definition.queue)) throw new Error(`job queue "${definition.queue}" is defined twice`);
    byQueue.set(definition.queue, definition);
  }
  return {
    queues: [...byQueue.keys()],
    find: (queue) => byQueue.get(queue),
    bind: (deps) => [...byQueue.values()].map((definition) => definition.bind(deps)),
    async enqueue(trx, queue, payload, options = {}) {
      const definition = byQueue.get(queue);
      if (!definition) throw new UnknownJobError(queue);
      const [id] = await insertJobs(trx, [
        {
          queue,
          payload: definition.parsePayload(payload),
          maxAttempts: definition.retry.maxAttempts,
          ...(options.runAt ? { runAt: options.runAt } : {}),
        },
      ]);
      return id!;
    },
  };
}

/** A queue name as an error may quote it: only the allowed characters, bounded. */
function safeQueueName(queue: string): string {
  return queue.replace(/[^A-Za-z0-9._:-]/g, "?").slice(0, 100);
}
