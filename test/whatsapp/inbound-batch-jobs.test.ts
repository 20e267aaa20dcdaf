import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import type { JobContext, JobPayload } from "../../src/jobs/queue.ts";
import type { Services } from "../../src/services.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createInboundHandler, inboundJob, MAX_EVENTS_PER_JOB } from "../../src/whatsapp/inbound/process.ts";
import { inboundPort } from "../../src/features/messages/inbound.ts";
import { INBOUND_QUEUE, storeInboundEvents } from "../../src/whatsapp/webhook/store.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { captureLogs, createTestServices } from "../support/services.ts";
import { seedNumber } from "../support/workspace-fixtures.ts";
import { createWorkspace } from "./support.ts";

// One processing job per stored batch of deliveries (migration 0017): the batch's events and its
// jobs commit together, a job names at most 100 events, a failed event fails its job without
// holding back the others, and a retry runs only what is still unprocessed. Jobs queued before the
// migration, naming one event, still run.

const EMPTY_ENVELOPE = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const context: JobContext = { jobId: 1, attempt: 1, signal: new AbortController().signal };

let db: TestDatabase;
let services: Services;
let workspaceId: string;
let numberId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  workspaceId = await createWorkspace(services);
  numberId = await seedNumber(services, workspaceId);
});

afterAll(async () => {
  await services.coordination.close();
  await db.drop();
});

async function store(count: number): Promise<string[]> {
  return storeInboundEvents(
    db,
    services.keyring,
    workspaceId,
    Array.from({ length: count }, () => ({ numberId, rawBody: EMPTY_ENVELOPE })),
  );
}

async function jobsFor(eventIds: readonly string[]): Promise<JobPayload[]> {
  const rows = await withoutWorkspace(db, (trx) =>
    trx.selectFrom("jobs").select(["payload", "id"]).where("queue", "=", INBOUND_QUEUE).orderBy("id").execute(),
  );
  const wanted = new Set(eventIds);
  return rows
    .map((row) => row.payload)
    .filter((payload) => ((payload.eventIds as string[] | undefined) ?? []).some((id) => wanted.has(id)));
}

async function eventStates(eventIds: readonly string[]) {
  const rows = await withWorkspace(db, { workspaceId }, (trx) =>
    trx
      .selectFrom("inbound_events")
      .select(["id", "processed_at", "attempts", "error"])
      .where("id", "in", [...eventIds])
      .execute(),
  );
  return eventIds.map((id) => {
    const row = rows.find((candidate) => candidate.id === id)!;
    return { processed: row.processed_at !== null, attempts: row.attempts, failed: row.error !== null };
  });
}

describe("inbound processing jobs, one per stored batch", () => {
  it("stores a batch's events with one job per 100 of them, ids only, in order", async () => {
    const ids = await store(MAX_EVENTS_PER_JOB + 50);
    const jobs = await jobsFor(ids);
    expect(jobs).toEqual([
      { workspaceId, eventIds: ids.slice(0, MAX_EVENTS_PER_JOB) },
      { workspaceId, eventIds: ids.slice(MAX_EVENTS_PER_JOB) },
    ]);
    const single = await store(1);
    expect(await jobsFor(single)).toEqual([{ workspaceId, eventIds: single }]);
  });

  it("processes every event of a job; a failed one fails the job, and the retry runs only that one", async () => {
    const ids = await store(3);
    // The middle event's ciphertext is damaged: decrypting it fails on every attempt.
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx.updateTable("inbound_events").set({ body_ciphertext: "v1.damaged" }).where("id", "=", ids[1]!).execute(),
    );
    const [job] = await jobsFor(ids);
    const handle = bindJob(inboundJob, createInboundHandler(services, inboundPort)).run;

    await expect(handle(job!, context)).rejects.toThrow(/^1 of 3 inbound events failed; the first: /);
    expect(await eventStates(ids)).toEqual([
      { processed: true, attempts: 1, failed: false },
      { processed: false, attempts: 1, failed: true },
      { processed: true, attempts: 1, failed: false },
    ]);

    await expect(handle(job!, { ...context, attempt: 2 })).rejects.toThrow(/^1 of 3 inbound events failed/);
    expect(await eventStates(ids)).toEqual([
      { processed: true, attempts: 1, failed: false },
      { processed: false, attempts: 2, failed: true },
      { processed: true, attempts: 1, failed: false },
    ]);
  });

  it("still runs a job queued before batching, naming one event, and rethrows its failure as it was", async () => {
    const [ok, damaged] = await store(2);
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx.updateTable("inbound_events").set({ body_ciphertext: "v1.damaged" }).where("id", "=", damaged!).execute(),
    );
    const handle = bindJob(inboundJob, createInboundHandler(services, inboundPort)).run;
    await handle({ workspaceId, eventId: ok! }, context);
    const failure = await handle({ workspaceId, eventId: damaged! }, context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).not.toMatch(/inbound events failed/);
    expect(await eventStates([ok!, damaged!])).toEqual([
      { processed: true, attempts: 1, failed: false },
      { processed: false, attempts: 1, failed: true },
    ]);
  });

  it("refuses payloads that are not a workspace and 1–100 event ids", async () => {
    const handle = bindJob(inboundJob, createInboundHandler(services, inboundPort)).run;
    const tooMany = Array.from({ length: MAX_EVENTS_PER_JOB + 1 }, () => randomUUID());
    for (const payload of [
      { workspaceId, eventIds: [] },
      { workspaceId, eventIds: tooMany },
      { workspaceId, eventIds: ["not-a-uuid"] },
      { workspaceId, eventIds: [randomUUID()], eventId: randomUUID() },
      { eventIds: [randomUUID()] },
    ]) {
      await expect(handle(payload, context)).rejects.toThrow();
    }
  });
});
