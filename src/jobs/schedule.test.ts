import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openDatabase, type Database } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { createLogger } from "../log/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/engine.ts";
import { defineJob } from "./definition.ts";
import { defineSchedule, runDueSchedules, upsertSchedules, type ScheduleDefinition } from "./schedule.ts";

// Schedules are rows: however many workers tick at the same moment, a due schedule is claimed by
// one of them and its job enqueued once. On PostgreSQL each scheduler has its own connection pool
// (like separate processes); PGlite has one connection, which still exercises the claim logic.

let db: TestDatabase;
const logger = createLogger({ level: "silent" });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function unique(prefix: string): string {
  return `${prefix}${randomUUID().slice(0, 8)}`;
}

function testJob(queue = unique("test.sched")) {
  return defineJob({
    queue,
    payload: z.strictObject({ scope: z.enum(["all", "some"]) }),
    retry: { maxAttempts: 3 },
    createHandler: () => async () => {},
  });
}

async function jobsOf(queue: string) {
  return withoutWorkspace(db, (trx) =>
    trx.selectFrom("jobs").select(["id", "payload", "max_attempts"]).where("queue", "=", queue).execute(),
  );
}

async function scheduleRow(name: string) {
  return withoutWorkspace(db, (trx) => trx.selectFrom("schedules").selectAll().where("name", "=", name).executeTakeFirstOrThrow());
}

async function makeDue(name: string): Promise<void> {
  await withoutWorkspace(db, (trx) =>
    sql`update schedules set next_run_at = now() - interval '1 second' where name = ${name}`.execute(trx),
  );
}

describe("schedules", () => {
  it("are upserted at start: a new one is due one interval later, a restart keeps its next run", async () => {
    const job = testJob();
    const schedule = defineSchedule({ name: unique("sched.a"), every: 60_000, job, payload: { scope: "all" } });
    await upsertSchedules(db, [schedule]);
    const first = await scheduleRow(schedule.name);
    expect(first).toMatchObject({ queue: job.queue, interval_ms: 60_000, last_run_at: null, last_error: null });
    expect(first.next_run_at.getTime() - Date.now()).toBeGreaterThan(50_000);

    await upsertSchedules(db, [schedule]);
    expect((await scheduleRow(schedule.name)).next_run_at).toEqual(first.next_run_at);
    // A shorter interval brings the next run forward rather than waiting out the old one.
    await upsertSchedules(db, [defineSchedule({ name: schedule.name, every: 5_000, job, payload: { scope: "all" } })]);
    expect((await scheduleRow(schedule.name)).next_run_at.getTime() - Date.now()).toBeLessThan(6_000);

    expect((await runDueSchedules(db, [schedule], logger)).ran).toEqual([]);
    expect(await jobsOf(job.queue)).toEqual([]);
  });

  it("refuse a payload their job would refuse, and bad names or intervals, when declared", () => {
    const job = testJob();
    expect(() => defineSchedule({ name: unique("sched.b"), every: 60_000, job, payload: { scope: "none" } as never })).toThrow(
      /invalid payload/,
    );
    expect(() => defineSchedule({ name: "bad name", every: 60_000, job, payload: { scope: "all" } })).toThrow(RangeError);
    expect(() => defineSchedule({ name: unique("sched.b"), every: 10, job, payload: { scope: "all" } })).toThrow(RangeError);
  });

  it("run a due schedule exactly once across several schedulers ticking at the same moment, as a typed job", async () => {
    const job = testJob();
    const schedule = defineSchedule({ name: unique("sched.c"), every: 60 * 60_000, job, payload: { scope: "some" } });
    await upsertSchedules(db, [schedule]);
    // On PostgreSQL each scheduler gets its own pool, like a separate worker process.
    const others: Database[] = db.engine === "postgres" ? await Promise.all([1, 2, 3].map(() => openDatabase(db.config))) : [db, db, db];
    const databases = [db, ...others];
    try {
      for (let round = 1; round <= 5; round += 1) {
        await makeDue(schedule.name);
        const ticks = await Promise.all(
          databases.flatMap((database) => [runDueSchedules(database, [schedule], logger), runDueSchedules(database, [schedule], logger)]),
        );
        expect(ticks.filter((tick) => tick.ran.includes(schedule.name))).toHaveLength(1);
        expect(ticks.flatMap((tick) => tick.failed)).toEqual([]);
        expect(await jobsOf(job.queue)).toHaveLength(round);
      }
    } finally {
      for (const other of others) if (other !== db) await other.close();
    }
    const jobs = await jobsOf(job.queue);
    expect(jobs.every((row) => row.max_attempts === 3 && (row.payload as { scope: string }).scope === "some")).toBe(true);
    const row = await scheduleRow(schedule.name);
    expect(row.last_run_at).toBeInstanceOf(Date);
    expect(row.last_job_id).toBe(Math.max(...jobs.map((job) => job.id)));
    // Claimed: due again one interval later, not at once.
    expect(row.next_run_at.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect((await runDueSchedules(db, [schedule], logger)).ran).toEqual([]);
  }, 60_000);

  it("keep an enqueue failure on the row, scrubbed, and are due again one interval later", async () => {
    const job = testJob();
    const name = unique("sched.d");
    const failing: ScheduleDefinition = {
      name,
      everyMs: 60_000,
      queue: job.queue,
      enqueue: async () => {
        throw new Error("database refused for +4915112345678");
      },
    };
    await upsertSchedules(db, [failing]);
    await makeDue(name);
    expect(await runDueSchedules(db, [failing], logger)).toEqual({ ran: [], failed: [name] });
    const row = await scheduleRow(name);
    expect(row.last_error).toContain("database refused for");
    expect(row.last_error).not.toContain("4915112345678");
    expect(row.next_run_at.getTime() - Date.now()).toBeGreaterThan(50_000);
    expect(await jobsOf(job.queue)).toEqual([]);
  });
});
