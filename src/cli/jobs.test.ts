import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { defineJob, enqueueJobs } from "../jobs/definition.ts";
import { createParleyEnvironment, runParley, type ParleyEnvironment } from "../../test/support/parley-process.ts";

// `parley jobs list|retry|discard` as an operator runs them: the real program in a child process,
// against a migrated database holding jobs in every state.

let run: ParleyEnvironment;
const parley = (...args: string[]) => runParley(run.env, ...args);
const queue = `test.cli${randomUUID().slice(0, 8)}`;
const phone = "+4915112345678";
let ids: { pending: number; running: number; succeeded: number; failed: number; otherFailed: number };

beforeAll(async () => {
  run = await createParleyEnvironment();
  expect((await parley("migrate")).code).toBe(0);
  const job = defineJob({
    queue,
    payload: z.strictObject({ messageId: z.uuid() }),
    retry: { maxAttempts: 3 },
    createHandler: () => async () => {},
  });
  const db = await openDatabase(loadConfig(run.env).database);
  try {
    const [pending, running, succeeded, failed, otherFailed] = await withoutWorkspace(db, (trx) =>
      enqueueJobs(
        trx,
        job,
        Array.from({ length: 5 }, () => ({ messageId: randomUUID() })),
      ),
    );
    ids = { pending: pending!, running: running!, succeeded: succeeded!, failed: failed!, otherFailed: otherFailed! };
    await withoutWorkspace(db, async (trx) => {
      await sql`update jobs set status = 'running', attempts = 1, locked_at = now(), locked_by = 'worker-a' where id = ${ids.running}`.execute(
        trx,
      );
      await sql`update jobs set status = 'succeeded', attempts = 1, finished_at = now() where id = ${ids.succeeded}`.execute(trx);
      // An error written before it was scrubbed must still not reach the operator's screen.
      await sql`update jobs set status = 'failed', attempts = 3, finished_at = now(), last_error = ${`Error: Graph refused the send to ${phone}\nsecond line`} where id in (${ids.failed}, ${ids.otherFailed})`.execute(
        trx,
      );
    });
  } finally {
    await db.close();
  }
}, 120_000);
afterAll(async () => {
  await run.cleanup();
});

type ListedJob = {
  id: number;
  queue: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
};

describe("parley jobs", () => {
  it("lists jobs as JSON and as a table, filtered, without payloads or personal data", async () => {
    const all = await parley("jobs", "list", "--queue", queue, "--json");
    expect(all.code).toBe(0);
    const listed = (JSON.parse(all.stdout) as { jobs: ListedJob[] }).jobs;
    expect(listed.map((job) => job.id)).toEqual([ids.otherFailed, ids.failed, ids.succeeded, ids.running, ids.pending]);
    expect(listed.find((job) => job.id === ids.running)).toMatchObject({
      queue,
      status: "running",
      attempts: 1,
      maxAttempts: 3,
      runAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(listed.find((job) => job.id === ids.failed)!.lastError).toContain("Graph refused the send to");
    expect(all.stdout).not.toContain("4915112345678");
    expect(all.stdout).not.toContain("messageId");

    const failed = await parley("jobs", "list", "--queue", queue, "--status", "failed", "--limit", "1", "--json");
    expect((JSON.parse(failed.stdout) as { jobs: ListedJob[] }).jobs.map((job) => job.id)).toEqual([ids.otherFailed]);

    const table = await parley("jobs", "list", "--queue", queue);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+QUEUE\s+STATUS\s+ATTEMPTS\s+RUN AT\s+LAST ERROR$/);
    expect(lines).toHaveLength(6);
    expect(lines.find((line) => line.startsWith(`${ids.failed} `))).toMatch(
      new RegExp(
        `^${ids.failed}\\s+${queue.replace(".", "\\.")}\\s+failed\\s+3/3\\s+\\S+\\s+Error: Graph refused the send to \\[Redacted\\] second line$`,
      ),
    );
    expect(table.stdout).not.toContain("4915112345678");

    const none = await parley("jobs", "list", "--queue", `${queue}.none`);
    expect(none).toMatchObject({ code: 0, stdout: "No jobs match.\n" });

    const badLimit = await parley("jobs", "list", "--limit", "0");
    expect(badLimit.code).toBe(1);
    expect(badLimit.stderr).toMatch(/--limit: /);
    const badStatus = await parley("jobs", "list", "--status", "stuck");
    expect(badStatus.code).not.toBe(0);
    expect(badStatus.stderr).toMatch(/Allowed choices are pending, running, succeeded, failed/);
  }, 120_000);

  it("retries a failed job and refuses any other, with words and a non-zero exit", async () => {
    const retried = await parley("jobs", "retry", String(ids.failed), "--json");
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ ok: true, id: ids.failed, job: { status: "pending", attempts: 0 } });

    const again = await parley("jobs", "retry", String(ids.failed));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`parley: job ${ids.failed} is pending; only a failed job can be retried.`);

    const missing = await parley("jobs", "retry", "987654321", "--json");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({ ok: false, id: 987654321, error: "there is no job 987654321" });
    expect(missing.stderr).toContain("parley: there is no job 987654321.");

    const notAnId = await parley("jobs", "retry", "12abc");
    expect(notAnId.code).toBe(1);
    expect(notAnId.stderr).toMatch(/job id: /);
  }, 120_000);

  it("discards pending and failed jobs, refuses running and succeeded ones", async () => {
    const running = await parley("jobs", "discard", String(ids.running));
    expect(running.code).toBe(1);
    expect(running.stderr).toContain(`parley: job ${ids.running} is running; wait until it finishes or fails, then discard it.`);

    const succeeded = await parley("jobs", "discard", String(ids.succeeded), "--json");
    expect(succeeded.code).toBe(1);
    expect(JSON.parse(succeeded.stdout)).toMatchObject({
      ok: false,
      error: `job ${ids.succeeded} is succeeded; only a pending or failed job can be discarded`,
    });

    expect(await parley("jobs", "discard", String(ids.pending))).toMatchObject({ code: 0, stdout: `Job ${ids.pending} was discarded.\n` });
    const discarded = await parley("jobs", "discard", String(ids.otherFailed), "--json");
    expect(discarded.code).toBe(0);
    expect(JSON.parse(discarded.stdout)).toEqual({ ok: true, id: ids.otherFailed });

    const gone = await parley("jobs", "discard", String(ids.pending));
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`parley: there is no job ${ids.pending}.`);

    const left = JSON.parse((await parley("jobs", "list", "--queue", queue, "--json")).stdout) as { jobs: ListedJob[] };
    expect(left.jobs.map((job) => [job.id, job.status])).toEqual([
      [ids.failed, "pending"],
      [ids.succeeded, "succeeded"],
      [ids.running, "running"],
    ]);
  }, 120_000);
});
