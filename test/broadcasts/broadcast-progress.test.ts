import { setTimeout as delay } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastRoutes } from "../../src/features/broadcasts/routes.ts";
import { createBroadcastRunner, runBroadcastJob } from "../../src/features/broadcasts/runner.ts";
import { createContact } from "../../src/features/contacts/repository.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { Authenticator } from "../../src/identity/auth-context.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createWorker, type Worker } from "../../src/jobs/queue.ts";
import { realtimeChannel, type RealtimeEvent } from "../../src/realtime/events.ts";
import { isVisibleTo } from "../../src/realtime/hub.ts";
import { startSendHarness, type SendHarness } from "../whatsapp/send-support.ts";

// The dashboard's live event for broadcasts (broadcast.progress): every state change and the
// counts as recipients move, ids and counts only, at most every LIVE_PROGRESS_EVERY_MS per
// broadcast whatever the pace of the steps, and only to those who manage broadcasts. Against the
// simulator over HTTP, on PGlite and on PostgreSQL with Redis carrying the events.

let h: SendHarness;
let app: FastifyInstance;
let base: string;
let phoneCounter = 0;
const events: RealtimeEvent[] = [];
let unsubscribe: (() => Promise<void>) | null = null;

async function call(method: "GET" | "POST", url: string, body?: unknown) {
  const response = await app.inject({
    method,
    url: `${base}${url}`,
    headers: { authorization: "Bearer test-owner", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: response.statusCode, json: response.json<Record<string, unknown>>(), body: response.body };
}

async function seedContacts(tag: string, consents: ("opted_in" | "opted_out")[]) {
  return withWorkspace(h.db, { workspaceId: h.workspaceId }, async (trx) => {
    const phones: string[] = [];
    for (const consent of consents) {
      phoneCounter += 1;
      const phone = `+4916${String(200_000_000 + phoneCounter * 7919 + Math.floor(Math.random() * 1000)).slice(0, 9)}`;
      await createContact(trx, h.services.keyring, {
        workspaceId: h.workspaceId,
        phone,
        name: `Person ${phoneCounter}`,
        tags: [tag],
        consent: { status: consent, source: "import" as const, at: new Date() },
      });
      phones.push(phone);
    }
    return phones;
  });
}

async function createAndStart(tag: string): Promise<string> {
  const created = await call("POST", "/broadcasts", {
    name: `Live ${tag}`,
    template: { name: "promo", language: "en_US" },
    parameters: [{ source: "name", fallback: "there" }],
    audience: { tags: [tag] },
    numberIds: [h.number.id],
  });
  expect(created.status, created.body).toBe(201);
  const id = created.json.id as string;
  expect((await call("POST", `/broadcasts/${id}/start`, {})).status).toBe(200);
  return id;
}

type ProgressEvent = Extract<RealtimeEvent, { type: "broadcast.progress" }>;

function progressOf(id: string): ProgressEvent[] {
  return events.filter((event): event is ProgressEvent => event.type === "broadcast.progress" && event.data.broadcastId === id);
}

async function waitFor(done: () => boolean, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met in time: ${JSON.stringify(events.map((event) => event.data))}`);
    await delay(25);
  }
}

async function runSeq(id: string): Promise<{ run_seq: number; state: string }> {
  return withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx.selectFrom("broadcasts").select(["run_seq", "state"]).where("id", "=", id).executeTakeFirstOrThrow(),
  );
}

beforeAll(async () => {
  h = await startSendHarness({ worker: { graphTimeoutMs: 30_000 } });
  base = `/api/v1/workspaces/${h.workspaceId}`;
  const authenticate: Authenticator = async (request) =>
    request.headers.authorization === "Bearer test-owner" ? { ...h.caller, reauthenticatedAt: new Date() } : null;
  app = await createHttpApp({ services: h.services, routes: broadcastRoutes, authenticate });
  const wabaId = await withWorkspace(
    h.db,
    { workspaceId: h.workspaceId },
    async (trx) => (await trx.selectFrom("numbers").select("waba_id").where("id", "=", h.number.id).executeTakeFirstOrThrow()).waba_id,
  );
  h.sim.state.templates.set("3000000000000002", {
    id: "3000000000000002",
    wabaId,
    name: "promo",
    language: "en_US",
    category: "MARKETING",
    parameterFormat: "POSITIONAL",
    components: [{ type: "BODY", text: "Hi {{1}}, 20% off today." }],
    status: "APPROVED",
    rejectedReason: undefined,
    createdAt: h.sim.clock.now(),
  });
  await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx.updateTable("numbers").set({ messaging_limit: "TIER_UNLIMITED", quality_rating: "GREEN" }).where("id", "=", h.number.id).execute(),
  );
  unsubscribe = await h.services.coordination.pubsub.subscribe(realtimeChannel(h.workspaceId), (message) => {
    events.push(JSON.parse(message) as RealtimeEvent);
  });
}, 120_000);

afterAll(async () => {
  await unsubscribe?.();
  await app?.close();
  await h?.close();
});

describe("broadcast.progress", () => {
  it("tells each state change and the counts up to completion, with ids and counts only", async () => {
    const phones = await seedContacts("live", ["opted_in", "opted_in", "opted_out"]);
    const id = await createAndStart("live");
    await waitFor(() => progressOf(id).length >= 1);
    expect(progressOf(id)[0]!.data).toMatchObject({ state: "running", pauseReason: null });

    expect((await call("POST", `/broadcasts/${id}/pause`, {})).status).toBe(200);
    await waitFor(() => progressOf(id).some((event) => event.data.state === "paused"));
    expect(progressOf(id).at(-1)!.data).toMatchObject({ state: "paused", pauseReason: "manual" });
    expect((await call("POST", `/broadcasts/${id}/resume`, {})).status).toBe(200);
    await waitFor(() => progressOf(id).at(-1)?.data.state === "running");

    const runner: Worker = createWorker({
      db: h.db,
      jobs: [bindJob(runBroadcastJob, createBroadcastRunner(h.services, { stepMs: 200 }))],
      concurrency: 2,
      pollIntervalMs: 10,
      visibilityTimeoutMs: 60_000,
      backoff: { baseMs: 10, maxMs: 50 },
      stopTimeoutMs: 2_000,
      logger: h.services.logger,
    });
    runner.start();
    try {
      await waitFor(() => progressOf(id).at(-1)?.data.state === "completed");
    } finally {
      await runner.stop(2_000);
    }
    const last = progressOf(id).at(-1)!;
    expect(last.data.counts).toMatchObject({ total: 3, pending: 0, sending: 0, skipped: 1 });
    // Counts moved in between: recipients were seen on their way, not only at the end.
    expect(progressOf(id).some((event) => event.data.counts.total === 3 && event.data.state === "running")).toBe(true);

    for (const event of progressOf(id)) {
      expect(Object.keys(event.data).sort()).toEqual(["broadcastId", "counts", "pauseReason", "state"]);
      expect(event.audience).toEqual({ assignedUserId: null, previousAssignedUserId: null });
    }
    const published = JSON.stringify(progressOf(id));
    for (const phone of phones) {
      expect(published).not.toContain(phone.slice(1));
      expect(published).not.toContain(phone.slice(-6));
    }
    expect(published).not.toContain("Person");
  }, 120_000);

  it("goes out at most every half second per broadcast however fast the steps run, and always on a state change", async () => {
    await seedContacts("throttle", ["opted_in", "opted_in", "opted_in", "opted_out"]);
    const id = await createAndStart("throttle");
    await waitFor(() => progressOf(id).length === 1);
    // A frozen clock: every step happens "at once", as at a pace no dashboard could follow.
    const frozen = new Date();
    const step = createBroadcastRunner(h.services, { stepMs: 200, now: () => frozen });
    const controller = new AbortController();
    let steps = 0;
    for (;;) {
      const { run_seq, state } = await runSeq(id);
      if (state === "completed") break;
      if (steps > 400) throw new Error("the broadcast did not complete");
      await step({ workspaceId: h.workspaceId, broadcastId: id, seq: run_seq }, { jobId: 0, attempt: 1, signal: controller.signal });
      steps += 1;
      await delay(20);
    }
    await waitFor(() => progressOf(id).at(-1)?.data.state === "completed");
    await delay(200);
    const fromRunner = progressOf(id).slice(1);
    // Many steps moved the counts (resolved, claimed, accepted…); only the first and the completion were told.
    expect(steps).toBeGreaterThan(2);
    expect(fromRunner.map((event) => event.data.state)).toEqual(["running", "completed"]);
    const last = fromRunner.at(-1)!;
    expect(last.data.counts).toMatchObject({ total: 4, pending: 0, sending: 0, skipped: 1 });
  }, 120_000);

  it("reaches only those who manage broadcasts, whatever conversations they read", () => {
    const event = {
      id: "0000000000000-000000000000",
      workspaceId: "w",
      type: "broadcast.progress",
      data: {
        broadcastId: "b",
        state: "running",
        pauseReason: null,
        counts: { total: 1, pending: 1, sending: 0, accepted: 0, sent: 0, delivered: 0, read: 0, failed: 0, skipped: 0 },
      },
      audience: { assignedUserId: null, previousAssignedUserId: null },
      at: 0,
    } satisfies RealtimeEvent;
    expect(isVisibleTo({ userId: "owner", readsAll: true, managesBroadcasts: true }, event)).toBe(true);
    expect(isVisibleTo({ userId: "analyst", readsAll: true, managesBroadcasts: false }, event)).toBe(false);
    expect(isVisibleTo({ userId: "agent", readsAll: false }, event)).toBe(false);
  });
});
