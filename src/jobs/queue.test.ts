import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { createTestDatabase, useRedis, type TestDatabase } from "../../test/support/engine.ts";
import { createTestRedisCoordination } from "../../test/support/services.ts";
import { createMemoryCoordination } from "../coordination/memory.ts";
import { z } from "zod";
import { bindJob, type BoundJob } from "./definition.ts";
import { insertJob as enqueue, insertJobs as enqueueJobs } from "./insert.ts";
import {
  announceJobs,
  computeBackoffMs,
  createWorker,
  jobCounts,
  listJobs,
  retryJob,
  type JobHandler,
  type Worker,
  type WorkerOptions,
} from "./queue.ts";

let db: TestDatabase;
const logLines: string[] = [];
const logger: Logger = createLogger({ level: "info", destination: { write: (line: string) => void logLines.push(line) } });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function uniqueQueue(): string {
  // A letter first: an all-digit name would look like a phone number to the log scrubber.
  return `test.q${randomUUID().slice(0, 8)}`;
}

async function enqueueMany(queue: string, count: number, options: { maxAttempts?: number } = {}): Promise<number[]> {
  return withoutWorkspace(db, async (trx) => {
    const ids: number[] = [];
    for (let index = 0; index < count; index += 1) ids.push(await enqueue(trx, { queue, payload: { index }, ...options }));
    return ids;
  });
}

async function findJob(id: number) {
  return withoutWorkspace(db, (trx) => trx.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst());
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await delay(20);
  }
}

async function statusesOf(ids: number[]): Promise<string[]> {
  const rows = await withoutWorkspace(db, (trx) => trx.selectFrom("jobs").select(["status"]).where("id", "in", ids).execute());
  return rows.map((row) => row.status);
}

/** These tests are about the worker's mechanics: each queue's payload is any object. */
function bindAll(handlers: Record<string, JobHandler>): BoundJob[] {
  return Object.entries(handlers).map(([queue, handler]) =>
    bindJob({ queue, retry: { maxAttempts: 5 }, payload: z.record(z.string(), z.unknown()) }, handler),
  );
}

function startWorker(
  options: Partial<Omit<WorkerOptions, "jobs">> & { handlers: Record<string, JobHandler> },
  database: Database = db,
): Worker {
  const { handlers, ...rest } = options;
  const worker = createWorker({
    db: database,
    jobs: bindAll(handlers),
    concurrency: 4,
    pollIntervalMs: 20,
    visibilityTimeoutMs: 5_000,
    backoff: { baseMs: 10, maxMs: 40 },
    logger,
    ...rest,
  });
  worker.start();
  return worker;
}

describe("enqueue", () => {
  it("belongs to the caller's transaction: a rollback leaves no job, a commit keeps it", async () => {
    const queue = uniqueQueue();
    let rolledBackId = 0;
    await expect(
      withoutWorkspace(db, async (trx) => {
        rolledBackId = await enqueue(trx, { queue, payload: { messageId: "m-1" } });
        throw new Error("caller fails after enqueue");
      }),
    ).rejects.toThrow("caller fails after enqueue");
    expect(rolledBackId).toBeGreaterThan(0);
    expect(await findJob(rolledBackId)).toBeUndefined();

    const [committedId] = await enqueueMany(queue, 1);
    const row = await findJob(committedId!);
    expect(row).toMatchObject({ queue, status: "pending", attempts: 0, max_attempts: 5, payload: { index: 0 } });
  });

  it("enqueues many jobs in one statement, all in the caller's transaction", async () => {
    const queue = uniqueQueue();
    await expect(
      withoutWorkspace(db, async (trx) => {
        expect(
          await enqueueJobs(
            trx,
            [0, 1, 2].map((index) => ({ queue, payload: { index } })),
          ),
        ).toHaveLength(3);
        throw new Error("caller fails");
      }),
    ).rejects.toThrow("caller fails");
    const ids = await withoutWorkspace(db, (trx) =>
      enqueueJobs(
        trx,
        [0, 1, 2].map((index) => ({ queue, payload: { index }, maxAttempts: 2 })),
      ),
    );
    const rows = await Promise.all(ids.map((id) => findJob(id)));
    expect(rows.map((row) => row?.payload)).toEqual([{ index: 0 }, { index: 1 }, { index: 2 }]);
    expect((await listJobs(db, { queue, limit: 10 })).length).toBe(3);
    await withoutWorkspace(db, async (trx) => {
      await expect(enqueueJobs(trx, [{ queue: "bad queue", payload: {} }])).rejects.toThrow(RangeError);
      expect(await enqueueJobs(trx, [])).toEqual([]);
    });
  });

  it("refuses bad queue names, attempts and oversized payloads", async () => {
    await withoutWorkspace(db, async (trx) => {
      await expect(enqueue(trx, { queue: "", payload: {} })).rejects.toThrow(RangeError);
      await expect(enqueue(trx, { queue: "a b", payload: {} })).rejects.toThrow(RangeError);
      await expect(enqueue(trx, { queue: "q", payload: {}, maxAttempts: 0 })).rejects.toThrow(RangeError);
      await expect(enqueue(trx, { queue: "q", payload: { blob: "x".repeat(9_000) } })).rejects.toThrow(RangeError);
    });
  });

  it("holds a job until its runAt", async () => {
    const queue = uniqueQueue();
    const handled: number[] = [];
    const id = await withoutWorkspace(db, (trx) => enqueue(trx, { queue, payload: {}, runAt: new Date(Date.now() + 400) }));
    const worker = startWorker({ handlers: { [queue]: async (_payload, { jobId }) => void handled.push(jobId) } });
    await delay(150);
    expect(handled).toEqual([]);
    await waitFor(() => handled.length === 1);
    await worker.stop();
    expect(handled).toEqual([id]);
  });
});

describe("worker", () => {
  it("claims an announced job at once, not at its next poll; an unannounced one waits for the poll", async () => {
    // Redis pub/sub on the PostgreSQL run (workers in other processes), in-process otherwise.
    const coordination = useRedis ? createTestRedisCoordination(logger) : createMemoryCoordination();
    const queue = uniqueQueue();
    const ranAt = new Map<number, number>();
    const worker = startWorker({
      pollIntervalMs: 30_000,
      wakeUps: coordination.pubsub,
      handlers: { [queue]: async (_payload, { jobId }) => void ranAt.set(jobId, Date.now()) },
    });
    try {
      // The first poll found nothing: the worker sleeps for 30 s.
      await delay(300);
      const [announced] = await enqueueMany(queue, 1);
      const committedAt = Date.now();
      announceJobs(coordination.pubsub, queue);
      await waitFor(() => ranAt.has(announced!), 5_000);
      expect(ranAt.get(announced!)! - committedAt).toBeLessThan(5_000);
      // Another queue's announcement does not wake it; its own unannounced job waits for the poll.
      const [unannounced] = await enqueueMany(queue, 1);
      announceJobs(coordination.pubsub, uniqueQueue());
      await delay(1_000);
      expect(ranAt.has(unannounced!)).toBe(false);
    } finally {
      await worker.stop();
      await coordination.close();
    }
  });

  it("runs the handler once per job and marks it succeeded", async () => {
    const queue = uniqueQueue();
    const ids = await enqueueMany(queue, 20);
    const seen = new Map<number, number>();
    const payloads: unknown[] = [];
    const worker = startWorker({
      handlers: {
        [queue]: async (payload, { jobId, attempt }) => {
          expect(attempt).toBe(1);
          payloads.push(payload);
          seen.set(jobId, (seen.get(jobId) ?? 0) + 1);
          await delay(5);
        },
      },
    });
    await waitFor(async () => (await statusesOf(ids)).every((status) => status === "succeeded"));
    await worker.stop();
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(ids);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(payloads).toContainEqual({ index: 7 });
    const row = await findJob(ids[0]!);
    expect(row).toMatchObject({ status: "succeeded", attempts: 1, locked_by: null, last_error: null });
    expect(row!.finished_at).toBeInstanceOf(Date);
  });

  it("retries a failing job with backoff, then marks it failed with a scrubbed error, listed for operators", async () => {
    const queue = uniqueQueue();
    const [id] = await enqueueMany(queue, 1, { maxAttempts: 3 });
    const attempts: Array<{ attempt: number; at: number }> = [];
    const worker = startWorker({
      backoff: { baseMs: 100, maxMs: 100 },
      handlers: {
        [queue]: async (_payload, { attempt }) => {
          attempts.push({ attempt, at: Date.now() });
          throw new Error(`Graph API refused the send to +4915112345678 (token EAAB${"x".repeat(40)})`);
        },
      },
    });
    await waitFor(async () => (await findJob(id!))?.status === "failed");
    await worker.stop();
    expect(attempts.map((entry) => entry.attempt)).toEqual([1, 2, 3]);

    const row = await findJob(id!);
    expect(row).toMatchObject({ status: "failed", attempts: 3, locked_by: null });
    expect(row!.finished_at).toBeInstanceOf(Date);
    expect(row!.last_error).toContain("Graph API refused the send");
    expect(row!.last_error).not.toContain("4915112345678");
    expect(row!.last_error).not.toContain("EAAB");

    const failed = await listJobs(db, { status: "failed", queue, limit: 10 });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id, queue, status: "failed", attempts: 3, maxAttempts: 3 });
    expect(failed[0]).not.toHaveProperty("payload");
    expect(await listJobs(db, { status: "pending", queue, limit: 10 })).toEqual([]);
  });

  it("schedules a retry after the jittered backoff, with the error kept", async () => {
    const queue = uniqueQueue();
    const [id] = await enqueueMany(queue, 1);
    let calls = 0;
    const worker = startWorker({
      backoff: { baseMs: 60_000, maxMs: 120_000 },
      random: () => 0.5,
      handlers: {
        [queue]: async () => {
          calls += 1;
          throw new Error("temporary outage");
        },
      },
    });
    await waitFor(async () => (await findJob(id!))?.last_error !== null);
    await delay(100);
    await worker.stop();
    expect(calls).toBe(1);
    const row = await findJob(id!);
    expect(row).toMatchObject({ status: "pending", attempts: 1, locked_by: null, last_error: "Error: temporary outage" });
    // Attempt 1: half (the pinned jitter) of min(max, base · 2^0) = 30 s from the failure.
    const dueIn = row!.run_at.getTime() - Date.now();
    expect(dueIn).toBeGreaterThan(28_000);
    expect(dueIn).toBeLessThanOrEqual(30_000);
  });

  it("retryJob puts a failed job back to pending with fresh attempts; other jobs are left alone", async () => {
    const queue = uniqueQueue();
    const [id] = await enqueueMany(queue, 1, { maxAttempts: 1 });
    let shouldFail = true;
    const handler: JobHandler = async () => {
      if (shouldFail) throw new Error("first time fails");
    };
    let worker = startWorker({ handlers: { [queue]: handler } });
    await waitFor(async () => (await findJob(id!))?.status === "failed");
    await worker.stop();

    shouldFail = false;
    expect(await retryJob(db, id!)).toBe(true);
    expect(await findJob(id!)).toMatchObject({ status: "pending", attempts: 0, finished_at: null });
    expect(await retryJob(db, id!)).toBe(false);
    expect(await retryJob(db, 987_654_321)).toBe(false);

    worker = startWorker({ handlers: { [queue]: handler } });
    await waitFor(async () => (await findJob(id!))?.status === "succeeded");
    await worker.stop();
    expect(await retryJob(db, id!)).toBe(false);
  });

  it("reclaims a job left running by a crashed worker after the visibility timeout", async () => {
    const queue = uniqueQueue();
    const [stuck, exhausted, fresh] = await enqueueMany(queue, 3, { maxAttempts: 2 });
    await withoutWorkspace(db, async (trx) => {
      await sql`update jobs set status = 'running', attempts = 1, locked_by = 'dead-worker', locked_at = now() - interval '10 minutes' where id = ${stuck}`.execute(
        trx,
      );
      await sql`update jobs set status = 'running', attempts = 2, locked_by = 'dead-worker', locked_at = now() - interval '10 minutes' where id = ${exhausted}`.execute(
        trx,
      );
      // Locked recently: its worker may be alive, so it must not be taken.
      await sql`update jobs set status = 'running', attempts = 1, locked_by = 'live-worker', locked_at = now() where id = ${fresh}`.execute(
        trx,
      );
    });
    const handled: Array<{ jobId: number; attempt: number }> = [];
    const worker = startWorker({
      visibilityTimeoutMs: 60_000,
      handlers: { [queue]: async (_payload, { jobId, attempt }) => void handled.push({ jobId, attempt }) },
    });
    await waitFor(async () => (await findJob(stuck!))?.status === "succeeded");
    await delay(100);
    await worker.stop();
    expect(handled).toEqual([{ jobId: stuck, attempt: 2 }]);
    expect(await findJob(exhausted!)).toMatchObject({ status: "failed", locked_by: null });
    expect((await findJob(exhausted!))!.last_error).toMatch(/lock expired/);
    expect(await findJob(fresh!)).toMatchObject({ status: "running", locked_by: "live-worker" });
  });

  it("renews the lock of a slow handler so another worker does not take its job", async () => {
    const queue = uniqueQueue();
    const [id] = await enqueueMany(queue, 1);
    let runs = 0;
    const handler: JobHandler = async () => {
      runs += 1;
      await delay(900);
    };
    const first = startWorker({ visibilityTimeoutMs: 300, handlers: { [queue]: handler } });
    await waitFor(() => runs === 1);
    const second = startWorker({ visibilityTimeoutMs: 300, handlers: { [queue]: handler } });
    await waitFor(async () => (await findJob(id!))?.status === "succeeded");
    await Promise.all([first.stop(), second.stop()]);
    expect(runs).toBe(1);
  });

  it("two workers on separate connections process 500 jobs with none handled twice and none lost", async () => {
    const queue = uniqueQueue();
    const ids = await enqueueMany(queue, 500);
    // On PostgreSQL the second worker gets its own pool, like a second process; PGlite has one connection.
    const other = db.engine === "postgres" ? await openDatabase(db.config) : db;
    const handledBy = new Map<number, string[]>();
    function handlerFor(name: string): JobHandler {
      return async (_payload, { jobId }) => {
        handledBy.set(jobId, [...(handledBy.get(jobId) ?? []), name]);
        await delay(1);
      };
    }
    const workers = [
      startWorker({ concurrency: 8, handlers: { [queue]: handlerFor("a") } }),
      startWorker({ concurrency: 8, handlers: { [queue]: handlerFor("b") } }, other),
    ];
    try {
      await waitFor(async () => (await statusesOf(ids)).every((status) => status === "succeeded"), 25_000);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
      if (other !== db) await other.close();
    }
    expect(handledBy.size).toBe(500);
    expect([...handledBy.values()].filter((names) => names.length !== 1)).toEqual([]);
    const perWorker = [...handledBy.values()].flat();
    expect(perWorker.filter((name) => name === "a").length).toBeGreaterThan(0);
    expect(perWorker.filter((name) => name === "b").length).toBeGreaterThan(0);
    const rows = await withoutWorkspace(db, (trx) => trx.selectFrom("jobs").select(["attempts"]).where("queue", "=", queue).execute());
    expect(rows.every((row) => row.attempts === 1)).toBe(true);
  }, 30_000);

  it("stops gracefully: stops claiming and waits for running handlers", async () => {
    const queue = uniqueQueue();
    const [first] = await enqueueMany(queue, 1);
    let finished = false;
    const worker = startWorker({
      handlers: {
        [queue]: async () => {
          await delay(300);
          finished = true;
        },
      },
    });
    await waitFor(async () => (await findJob(first!))?.status === "running");
    await worker.stop();
    expect(finished).toBe(true);
    expect(await findJob(first!)).toMatchObject({ status: "succeeded" });

    const [later] = await enqueueMany(queue, 1);
    await delay(100);
    expect(await findJob(later!)).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("aborts handlers that outlive the stop timeout and gives their attempt back", async () => {
    const queue = uniqueQueue();
    const [id] = await enqueueMany(queue, 1);
    let sawAbort = false;
    const worker = startWorker({
      handlers: {
        [queue]: (_payload, { signal }) =>
          new Promise<void>((_resolve, reject) => {
            signal.addEventListener("abort", () => {
              sawAbort = true;
              reject(signal.reason as Error);
            });
          }),
      },
    });
    await waitFor(async () => (await findJob(id!))?.status === "running");
    const started = Date.now();
    await worker.stop(100);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sawAbort).toBe(true);
    expect(await findJob(id!)).toMatchObject({ status: "pending", attempts: 0, locked_by: null });
  });

  it("counts jobs by queue and status", async () => {
    const queue = uniqueQueue();
    const [done] = await enqueueMany(queue, 3);
    await withoutWorkspace(db, (trx) => sql`update jobs set status = 'failed' where id = ${done}`.execute(trx));
    const counts = (await jobCounts(db)).filter((count) => count.queue === queue);
    expect(counts).toEqual([
      { queue, status: "failed", count: 1 },
      { queue, status: "pending", count: 2 },
    ]);
  });

  it("logs id, queue, attempt, duration and outcome, never the payload", async () => {
    const queue = uniqueQueue();
    const canary = `canary-${randomUUID()}`;
    const id = await withoutWorkspace(db, (trx) => enqueue(trx, { queue, payload: { ref: canary } }));
    const worker = startWorker({ handlers: { [queue]: async () => {} } });
    await waitFor(async () => (await findJob(id))?.status === "succeeded");
    await worker.stop();
    await delay(50);
    const mine = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.jobId === id);
    expect(mine).toContainEqual(
      expect.objectContaining({ jobId: id, queue, attempt: 1, outcome: "succeeded", durationMs: expect.any(Number) }),
    );
    expect(logLines.join("\n")).not.toContain(canary);
  });
});

describe("computeBackoffMs", () => {
  it("grows exponentially, is capped, and is fully jittered", () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    expect(computeBackoffMs(1, policy, () => 0.999_999)).toBe(99);
    expect(computeBackoffMs(3, policy, () => 0.999_999)).toBe(399);
    expect(computeBackoffMs(10, policy, () => 0.999_999)).toBe(999);
    expect(computeBackoffMs(500, policy, () => 0.5)).toBe(500);
    expect(computeBackoffMs(3, policy, () => 0)).toBe(0);
  });
});
