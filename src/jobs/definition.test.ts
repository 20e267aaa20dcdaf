import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { createLogger } from "../log/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/engine.ts";
import {
  createJobRegistry,
  defineJob,
  enqueueJob,
  enqueueJobs,
  InvalidJobPayloadError,
  UnknownJobError,
  type JobPayload,
} from "./definition.ts";
import { createWorker, pruneFinishedJobs } from "./queue.ts";

// Typed jobs: a payload is checked against its definition when it is enqueued (in the caller's
// transaction, before anything is written), a worker runs only defined queues and fails the rows of
// any other, and retention prunes succeeded jobs only.

let db: TestDatabase;
const logger = createLogger({ level: "silent" });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function uniqueQueue(): string {
  return `test.q${randomUUID().slice(0, 8)}`;
}

function defineTestJob(queue: string, handled: JobPayload[] = []) {
  return defineJob({
    queue,
    payload: z.strictObject({ workspaceId: z.uuid(), messageId: z.uuid() }),
    retry: { maxAttempts: 2 },
    createHandler: (_deps: unknown) => async (payload) => {
      // The handler receives the parsed, typed payload.
      const workspaceId: string = payload.workspaceId;
      handled.push({ workspaceId, messageId: payload.messageId });
    },
  });
}

async function jobsOf(queue: string) {
  return withoutWorkspace(db, (trx) => trx.selectFrom("jobs").selectAll().where("queue", "=", queue).orderBy("id").execute());
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await delay(20);
  }
}

describe("defineJob and enqueueJob", () => {
  it("enqueues a valid payload with the definition's retry policy, in the caller's transaction", async () => {
    const job = defineTestJob(uniqueQueue());
    const payload = { workspaceId: randomUUID(), messageId: randomUUID() };
    await expect(
      withoutWorkspace(db, async (trx) => {
        await enqueueJob(trx, job, payload);
        throw new Error("caller fails");
      }),
    ).rejects.toThrow("caller fails");
    expect(await jobsOf(job.queue)).toEqual([]);
    const runAt = new Date(Date.now() + 60_000);
    const id = await withoutWorkspace(db, (trx) => enqueueJob(trx, job, payload, { runAt }));
    expect(await jobsOf(job.queue)).toEqual([expect.objectContaining({ id, payload, max_attempts: 2, status: "pending", run_at: runAt })]);
  });

  it("refuses an invalid payload at enqueue time, naming the paths and not the values; nothing is written", async () => {
    const job = defineTestJob(uniqueQueue());
    const secret = "+4915112345678";
    await withoutWorkspace(db, async (trx) => {
      const failure = await enqueueJob(trx, job, { workspaceId: secret, messageId: randomUUID() }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InvalidJobPayloadError);
      expect((failure as Error).message).toMatch(new RegExp(`^invalid payload for job "${job.queue}": workspaceId: `));
      expect((failure as Error).message).not.toContain(secret);
      // A payload with an extra field (personal data smuggled in) is refused too.
      await expect(enqueueJob(trx, job, { workspaceId: randomUUID(), messageId: randomUUID(), phone: secret } as never)).rejects.toThrow(
        InvalidJobPayloadError,
      );
      // One bad payload in a batch refuses the whole batch.
      await expect(
        enqueueJobs(trx, job, [
          { workspaceId: randomUUID(), messageId: randomUUID() },
          { workspaceId: "x", messageId: "y" },
        ]),
      ).rejects.toThrow(InvalidJobPayloadError);
    });
    expect(await jobsOf(job.queue)).toEqual([]);
  });

  it("refuses an unknown queue at enqueue time through the registry, and a queue defined twice", async () => {
    const job = defineTestJob(uniqueQueue());
    const registry = createJobRegistry([job]);
    const unknown = uniqueQueue();
    await withoutWorkspace(db, async (trx) => {
      const failure = await registry.enqueue(trx, unknown, {}).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UnknownJobError);
      expect((failure as Error).message).toBe(`no job is defined for queue "${unknown}"`);
      await expect(registry.enqueue(trx, job.queue, { workspaceId: "not-a-uuid" })).rejects.toThrow(InvalidJobPayloadError);
      expect(await registry.enqueue(trx, job.queue, { workspaceId: randomUUID(), messageId: randomUUID() })).toBeGreaterThan(0);
    });
    expect(await jobsOf(unknown)).toEqual([]);
    expect(await jobsOf(job.queue)).toHaveLength(1);
    expect(() => createJobRegistry([job, defineTestJob(job.queue)])).toThrow(/defined twice/);
    expect(() => defineTestJob("bad queue")).toThrow(RangeError);
  });
});

describe("the worker and the registry", () => {
  it("runs registered jobs with the typed payload, fails a stored payload that does not fit at once, and fails rows of undefined queues", async () => {
    const handled: JobPayload[] = [];
    const job = defineTestJob(uniqueQueue(), handled);
    const registry = createJobRegistry([job]);
    const payload = { workspaceId: randomUUID(), messageId: randomUUID() };
    const good = await withoutWorkspace(db, (trx) => enqueueJob(trx, job, payload));
    // Rows written by another version: a payload of the wrong shape, and a queue nothing defines.
    const retired = uniqueQueue();
    const [bad, orphan, recentOrphan] = await withoutWorkspace(db, async (trx) => {
      const rows = await sql<{ id: number }>`
        insert into jobs (queue, payload, max_attempts, run_at) values
          (${job.queue}, '{"workspaceId": 42}'::jsonb, 5, now()),
          (${retired}, '{}'::jsonb, 5, now() - interval '10 minutes'),
          (${retired}, '{}'::jsonb, 5, now())
        returning id`.execute(trx);
      return rows.rows.map((row) => Number(row.id));
    });
    const worker = createWorker({
      db,
      jobs: registry.bind(undefined),
      concurrency: 2,
      pollIntervalMs: 20,
      visibilityTimeoutMs: 5_000,
      undefinedQueueGraceMs: 60_000,
      logger,
    });
    worker.start();
    try {
      const statusOf = async (id: number) =>
        await withoutWorkspace(db, (trx) => trx.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
      await waitFor(
        async () =>
          (await statusOf(good)).status === "succeeded" &&
          (await statusOf(bad!)).status === "failed" &&
          (await statusOf(orphan!)).status === "failed",
      );
      expect(handled).toEqual([payload]);
      expect(await statusOf(bad!)).toMatchObject({ status: "failed", attempts: 1 });
      expect((await statusOf(bad!)).last_error).toMatch(
        /^InvalidJobPayloadError: invalid payload for job "test\.q[0-9a-f]+": workspaceId: /,
      );
      expect(await statusOf(orphan!)).toMatchObject({
        status: "failed",
        attempts: 0,
        last_error: `no job definition for queue ${retired} in this version of Parley`,
      });
      // Within the grace period a newer worker that knows the queue may still take it.
      expect(await statusOf(recentOrphan!)).toMatchObject({ status: "pending", last_error: null });
    } finally {
      await worker.stop();
    }
  });
});

describe("pruneFinishedJobs", () => {
  it("deletes succeeded jobs older than the retention in bounded batches; newer ones and every failed one stay", async () => {
    const job = defineTestJob(uniqueQueue());
    const ids = await withoutWorkspace(db, (trx) =>
      enqueueJobs(
        trx,
        job,
        Array.from({ length: 9 }, () => ({ workspaceId: randomUUID(), messageId: randomUUID() })),
      ),
    );
    const [oldDone1, oldDone2, oldDone3, oldDone4, oldDone5, newDone, oldFailed, newFailed, pending] = ids as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    await withoutWorkspace(db, async (trx) => {
      await sql`update jobs set status = 'succeeded', finished_at = now() - interval '8 days' where id = any(${[oldDone1, oldDone2, oldDone3, oldDone4, oldDone5]}::bigint[])`.execute(
        trx,
      );
      await sql`update jobs set status = 'succeeded', finished_at = now() - interval '6 days' where id = ${newDone}`.execute(trx);
      await sql`update jobs set status = 'failed', finished_at = now() - interval '400 days', last_error = 'Error: gone' where id = ${oldFailed}`.execute(
        trx,
      );
      await sql`update jobs set status = 'failed', finished_at = now() where id = ${newFailed}`.execute(trx);
    });
    const retentionMs = 7 * 24 * 60 * 60_000;
    // Two batches of two: four of the five old ones go, the fifth waits for the next run.
    expect(await pruneFinishedJobs(db, { retentionMs, batchSize: 2, maxBatches: 2 })).toBe(4);
    expect(await pruneFinishedJobs(db, { retentionMs, batchSize: 2 })).toBe(1);
    expect(await pruneFinishedJobs(db, { retentionMs })).toBe(0);
    const left = (await jobsOf(job.queue)).map((row) => row.id).sort((a, b) => a - b);
    expect(left).toEqual([newDone, oldFailed, newFailed, pending].sort((a, b) => a - b));
  });
});
