import { randomUUID } from "node:crypto";
import type { MessagingLimit, QualityRating } from "../../src/whatsapp/schema.ts";
import { setTimeout as delay } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastRoutes } from "../../src/features/broadcasts/routes.ts";
import { createBroadcastRunner, recipientMessageId, runBroadcastJob, type RunnerOptions } from "../../src/features/broadcasts/runner.ts";
import { createContact } from "../../src/features/contacts/repository.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { Authenticator } from "../../src/identity/auth-context.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createWorker, type Worker } from "../../src/jobs/queue.ts";
import { startSendHarness, type SendHarness } from "../whatsapp/send-support.ts";

// Broadcasts end to end: Parley's routes, the runner and the send worker against the simulator
// over HTTP, on PGlite and PostgreSQL. What counts is what the simulated customers received.

let h: SendHarness;
let app: FastifyInstance;
let runners: Worker[] = [];
let base: string;
let phoneCounter = 0;

function startRunner(options: RunnerOptions = {}): Worker {
  const worker = createWorker({
    db: h.db,
    jobs: [bindJob(runBroadcastJob, createBroadcastRunner(h.services, { stepMs: 200, ...options }))],
    concurrency: 2,
    pollIntervalMs: 10,
    visibilityTimeoutMs: 60_000,
    backoff: { baseMs: 10, maxMs: 50 },
    stopTimeoutMs: 2_000,
    logger: h.services.logger,
  });
  worker.start();
  runners.push(worker);
  return worker;
}

async function stopRunners(): Promise<void> {
  for (const worker of runners) await worker.stop(2_000);
  runners = [];
}

async function call(method: "GET" | "POST" | "DELETE", url: string, body?: unknown) {
  const response = await app.inject({
    method,
    url: `${base}${url}`,
    headers: { authorization: "Bearer test-owner", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return {
    status: response.statusCode,
    json: String(response.headers["content-type"] ?? "").includes("json") ? response.json() : {},
    body: response.body,
  };
}

/** Contacts with a fresh phone each, tagged with `tag`, with the given consent. */
async function seedContacts(tag: string, consents: ("opted_in" | "opted_out" | "unknown")[], names: (string | null)[] = []) {
  return withWorkspace(h.db, { workspaceId: h.workspaceId }, async (trx) => {
    const seeded: { id: string; waId: string; consent: string }[] = [];
    for (const [index, consent] of consents.entries()) {
      phoneCounter += 1;
      const phone = `+4915${String(100_000_000 + phoneCounter * 7919 + Math.floor(Math.random() * 1000)).slice(0, 9)}`;
      const contact = await createContact(trx, h.services.keyring, {
        workspaceId: h.workspaceId,
        phone,
        name: names[index] ?? null,
        tags: [tag],
        customFields: { city: index % 2 === 0 ? "Berlin" : "Hamburg" },
        ...(consent === "unknown" ? {} : { consent: { status: consent, source: "import" as const, at: new Date() } }),
      });
      seeded.push({ id: contact.id, waId: phone.slice(1), consent });
    }
    return seeded;
  });
}

function received(waId: string) {
  return h.sim.listReceived(waId).filter((message) => message.type === "template");
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      const messages = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        trx.selectFrom("messages").select(["status", "send_attempts", "error_code"]).where("direction", "=", "out").execute(),
      );
      const jobs = await h.db.owner
        .selectFrom("jobs")
        .select(["queue", "status", "run_at", "attempts"])
        .where("queue", "like", "whatsapp.send%")
        .execute();
      throw new Error(`condition not met in time: ${JSON.stringify(value)} ${JSON.stringify(messages)} ${JSON.stringify(jobs)}`);
    }
    await delay(25);
  }
}

type View = { id: string; state: string; pauseReason: string | null; statusText: string | null; counts: Record<string, number> };

async function view(id: string): Promise<View> {
  return (await call("GET", `/broadcasts/${id}`)).json;
}

async function createAndStart(tag: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await call("POST", "/broadcasts", {
    name: `Offer ${tag}`,
    template: { name: "promo", language: "en_US" },
    parameters: [
      { source: "name", fallback: "there" },
      { source: "field", field: "city", fallback: "your city" },
    ],
    audience: { tags: [tag] },
    numberIds: [h.number.id],
    ...overrides,
  });
  expect(created.status, created.body).toBe(201);
  const id = created.json.id as string;
  const started = await call("POST", `/broadcasts/${id}/start`, {});
  expect(started.status, started.body).toBe(200);
  return id;
}

async function setNumber(changes: { quality_rating?: QualityRating; messaging_limit?: MessagingLimit | null }) {
  await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx.updateTable("numbers").set(changes).where("id", "=", h.number.id).execute(),
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
  h.sim.state.templates.set("3000000000000001", {
    id: "3000000000000001",
    wabaId,
    name: "promo",
    language: "en_US",
    category: "MARKETING",
    parameterFormat: "POSITIONAL",
    components: [{ type: "BODY", text: "Hi {{1}}, 20% off in {{2}} today." }],
    status: "APPROVED",
    rejectedReason: undefined,
    createdAt: h.sim.clock.now(),
  });
  await setNumber({ messaging_limit: "TIER_UNLIMITED", quality_rating: "GREEN" });
}, 120_000);

afterAll(async () => {
  await stopRunners();
  await app?.close();
  await h?.close();
});

describe("a broadcast through the simulator", () => {
  it("reaches every consenting contact exactly once, and no opted-out or never-consented contact at all", async () => {
    const contacts = await seedContacts(
      "spring",
      ["opted_in", "opted_in", "opted_out", "unknown", "opted_in", "opted_in", "opted_out"],
      ["Ada", null],
    );
    const estimate = await call("POST", "/broadcasts/estimate", { audience: { tags: ["spring"] }, numberIds: [h.number.id] });
    expect(estimate.json).toMatchObject({ matched: 7, eligible: 4, excluded: { noConsent: 1, optedOut: 2, outsideMessagingLimit: 0 } });

    startRunner();
    const id = await createAndStart("spring");
    const done = await waitFor(
      () => view(id),
      (v) => v.state === "completed",
    );
    expect(done.counts).toMatchObject({ total: 7, skipped: 3, pending: 0, sending: 0 });

    for (const contact of contacts) {
      const got = received(contact.waId);
      expect(got, contact.consent).toHaveLength(contact.consent === "opted_in" ? 1 : 0);
    }
    // Parameters come from the contact, with the fallback when it has no name.
    const ada = JSON.stringify(received(contacts[0]!.waId)[0]!.body);
    expect(ada).toContain("Ada");
    expect(ada).toContain("Berlin");
    expect(JSON.stringify(received(contacts[1]!.waId)[0]!.body)).toContain("there");

    // Statuses from the webhooks reach the recipients.
    h.sim.advanceStatuses({ to: "read" });
    await h.sim.flushWebhooks();
    const read = await waitFor(
      () => view(id),
      (v) => v.counts.read === 4,
    );
    expect(read.counts).toMatchObject({ read: 4, skipped: 3 });

    // A reply counts in the report.
    h.sim.sendFromCustomer({ from: contacts[0]!.waId, type: "text", text: "yes please" });
    await h.sim.flushWebhooks();
    const report = await waitFor(
      async () => (await call("GET", `/broadcasts/${id}/report`)).json,
      (r) => (r.funnel as Record<string, number>).replied === 1,
    );
    expect(report.funnel).toEqual({ targeted: 4, handedOver: 4, sent: 4, delivered: 4, read: 4, replied: 1 });
    expect(report.skips).toEqual(
      expect.arrayContaining([
        { reason: "opted_out", count: 2, description: expect.stringContaining("opted out") },
        { reason: "no_consent", count: 1, description: expect.stringContaining("never opted in") },
      ]),
    );

    // The outcomes export: every phone cell starts with a quote, so a spreadsheet reads text, not a formula.
    const csv = await call("GET", `/broadcasts/${id}/outcomes.csv`);
    expect(csv.status).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("phone,state,reason,error_code,error,queued_at,sent_at,delivered_at,read_at,failed_at");
    expect(lines).toHaveLength(8);
    for (const line of lines.slice(1)) expect(line).toMatch(/^'\+49/);
    const audit = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("audit_entries").select(["action"]).where("target_id", "=", id).orderBy("seq").execute(),
    );
    expect(audit.map((entry) => entry.action)).toEqual(["broadcast.created", "broadcast.started", "broadcast.exported"]);
    await stopRunners();
  }, 120_000);

  it("skips a contact who opts out after the audience was resolved", async () => {
    const contacts = await seedContacts("late", ["opted_in", "opted_in", "opted_in"]);
    // A RED number holds the broadcast after its audience is resolved and before anything is sent.
    await setNumber({ quality_rating: "RED" });
    startRunner();
    const id = await createAndStart("late");
    const paused = await waitFor(
      () => view(id),
      (v) => v.state === "paused",
    );
    expect(paused.counts).toMatchObject({ total: 3, pending: 3 });
    await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.updateTable("contacts").set({ consent_status: "opted_out" }).where("id", "=", contacts[1]!.id).execute(),
    );
    await setNumber({ quality_rating: "GREEN" });
    expect((await call("POST", `/broadcasts/${id}/resume`, {})).status).toBe(200);
    const done = await waitFor(
      () => view(id),
      (v) => v.state === "completed",
    );
    expect(done.counts).toMatchObject({ skipped: 1 });
    expect(received(contacts[0]!.waId)).toHaveLength(1);
    expect(received(contacts[1]!.waId)).toHaveLength(0);
    expect(received(contacts[2]!.waId)).toHaveLength(1);
    await stopRunners();
  }, 120_000);

  it("survives a crash between claim and send: no duplicate, none lost", async () => {
    const contacts = await seedContacts(
      "crash",
      Array.from({ length: 12 }, () => "opted_in" as const),
    );
    // The first runner dies after queueing its first batch and before committing it, the send
    // worker dies too; new ones take over.
    let crashes = 0;
    startRunner({
      afterClaim: async () => {
        if (crashes < 2) {
          crashes += 1;
          throw new Error("worker killed between claim and send");
        }
      },
    });
    await h.sendWorker.stop(2_000);
    const id = await createAndStart("crash");
    await waitFor(
      () => view(id),
      (v) => (v.counts.sending ?? 0) > 0,
    );
    const sendWorker = h.startSendWorker();
    await waitFor(
      () => view(id),
      (v) => v.state === "completed",
    );
    await stopRunners();
    expect(crashes).toBe(2);
    for (const contact of contacts) expect(received(contact.waId)).toHaveLength(1);
    // The message ids are the derived ones: one per recipient and attempt.
    const rows = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("broadcast_recipients").select(["id", "message_id", "attempt"]).where("broadcast_id", "=", id).execute(),
    );
    for (const row of rows) expect(row.message_id).toBe(recipientMessageId(id, row.id, row.attempt));
    h.sendWorker = sendWorker;
  }, 120_000);
});

describe("pacing and the quality guard", () => {
  it("waits for the portfolio's messaging limit instead of failing, then goes on", async () => {
    await setNumber({ messaging_limit: "TIER_250" });
    // 250 customers reached by templates 24 hours ago less 10 seconds (a margin for a slow machine): the quota is spent until then.
    const filler = await seedContacts(
      "filler",
      Array.from({ length: 250 }, () => "unknown" as const),
    );
    await withWorkspace(h.db, { workspaceId: h.workspaceId }, async (trx) => {
      const at = new Date(Date.now() - 24 * 60 * 60_000 + 10_000);
      for (const contact of filler) {
        const conversationId = randomUUID();
        await trx
          .insertInto("conversations")
          .values({ workspace_id: h.workspaceId, id: conversationId, contact_id: contact.id, number_id: h.number.id, status: "closed" })
          .execute();
        await trx
          .insertInto("messages")
          .values({
            workspace_id: h.workspaceId,
            id: randomUUID(),
            conversation_id: conversationId,
            contact_id: contact.id,
            number_id: h.number.id,
            phone_number_id: h.number.phoneNumberId,
            direction: "out",
            type: "template",
            status: "delivered",
            occurred_at: at,
            created_at: at,
          })
          .execute();
      }
    });
    const contacts = await seedContacts("limited", ["opted_in", "opted_in"]);
    const estimate = await call("POST", "/broadcasts/estimate", { audience: { tags: ["limited"] }, numberIds: [h.number.id] });
    expect(estimate.json).toMatchObject({ eligible: 2, remainingQuota: 0, excluded: { outsideMessagingLimit: 2 } });
    startRunner();
    const id = await createAndStart("limited");
    const waiting = await waitFor(
      () => view(id),
      (v) => v.statusText !== null,
    );
    expect(waiting.state).toBe("running");
    expect(waiting.statusText).toMatch(/^Waiting for the messaging limit until \d{2}:\d{2} \(UTC\)/);
    expect(received(contacts[0]!.waId)).toHaveLength(0);
    await waitFor(
      () => view(id),
      (v) => v.state === "completed",
      30_000,
    );
    for (const contact of contacts) expect(received(contact.waId)).toHaveLength(1);
    await stopRunners();
    await setNumber({ messaging_limit: "TIER_UNLIMITED" });
  }, 120_000);

  it("pauses itself when the number's quality turns RED, and sends on after a resume", async () => {
    const contacts = await seedContacts("red", ["opted_in", "opted_in", "opted_in"]);
    await setNumber({ quality_rating: "RED" });
    startRunner();
    const id = await createAndStart("red");
    const paused = await waitFor(
      () => view(id),
      (v) => v.state === "paused",
    );
    expect(paused.pauseReason).toBe("quality_red");
    expect(paused.statusText).toContain("became RED");
    for (const contact of contacts) expect(received(contact.waId)).toHaveLength(0);
    await setNumber({ quality_rating: "GREEN" });
    expect((await call("POST", `/broadcasts/${id}/resume`, {})).status).toBe(200);
    await waitFor(
      () => view(id),
      (v) => v.state === "completed",
    );
    for (const contact of contacts) expect(received(contact.waId)).toHaveLength(1);
    await stopRunners();
  }, 120_000);

  it("pauses itself on a burst of 131049 failures", async () => {
    const contacts = await seedContacts(
      "burst",
      Array.from({ length: 10 }, () => "opted_in" as const),
    );
    h.sim.configureFaults({ failNextSends: { count: 6, code: 131049, mode: "async" } });
    startRunner({ stepMs: 400 });
    const id = await createAndStart("burst");
    // The failures arrive as status webhooks.
    const paused = await waitFor(
      async () => {
        h.sim.advanceStatuses({ to: "delivered" });
        await h.sim.flushWebhooks();
        return view(id);
      },
      (v) => v.state === "paused" || v.state === "completed",
    );
    expect(paused.state).toBe("paused");
    expect(paused.pauseReason).toBe("error_burst");
    expect(paused.statusText).toContain("131049");
    const report = (await call("GET", `/broadcasts/${id}/report`)).json;
    expect(report.failures).toEqual([expect.objectContaining({ code: 131049, count: expect.any(Number), retryable: false })]);
    // Retrying does not resend 131049 failures.
    expect((await call("POST", `/broadcasts/${id}/retry`, {})).status).toBe(422);
    const total = contacts.reduce((sum, contact) => sum + received(contact.waId).length, 0);
    expect(total).toBeLessThanOrEqual(10);
    for (const contact of contacts) expect(received(contact.waId).length).toBeLessThanOrEqual(1);
    await call("POST", `/broadcasts/${id}/cancel`, {});
    await stopRunners();
  }, 120_000);
});

describe("control", () => {
  it("pauses, resumes and cancels; refuses what a state does not allow", async () => {
    const contacts = await seedContacts("control", ["opted_in", "opted_in"]);
    const id = await createAndStart("control");
    expect((await call("POST", `/broadcasts/${id}/start`, {})).status).toBe(409);
    expect((await call("POST", `/broadcasts/${id}/pause`, {})).json).toMatchObject({ state: "paused", pauseReason: "manual" });
    expect((await call("POST", `/broadcasts/${id}/pause`, {})).status).toBe(409);
    startRunner();
    await delay(300);
    for (const contact of contacts) expect(received(contact.waId)).toHaveLength(0);
    expect((await call("POST", `/broadcasts/${id}/resume`, {})).json).toMatchObject({ state: "running" });
    await waitFor(
      () => view(id),
      (v) => v.state === "completed",
    );
    for (const contact of contacts) expect(received(contact.waId)).toHaveLength(1);
    await stopRunners();

    const other = await seedContacts("cancelled", ["opted_in"]);
    const second = await createAndStart("cancelled");
    expect((await call("POST", `/broadcasts/${second}/cancel`, {})).json).toMatchObject({ state: "cancelled" });
    startRunner();
    await delay(300);
    expect(received(other[0]!.waId)).toHaveLength(0);
    expect((await call("POST", `/broadcasts/${second}/resume`, {})).status).toBe(409);
    expect((await call("DELETE", `/broadcasts/${second}`)).status).toBe(409);
    await stopRunners();
  }, 120_000);

  it("schedules in a time zone and refuses bad input with clear errors", async () => {
    const at = new Date(Date.now() + 3 * 24 * 60 * 60_000);
    const local = `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}-${String(at.getUTCDate()).padStart(2, "0")}T09:00`;
    const created = await call("POST", "/broadcasts", {
      name: "Later",
      template: { name: "promo", language: "en_US" },
      parameters: [
        { source: "text", text: "friend" },
        { source: "text", text: "town" },
      ],
      audience: {},
      numberIds: [h.number.id],
      scheduledAt: local,
      timeZone: "Asia/Tokyo",
    });
    expect(created.status, created.body).toBe(201);
    expect(created.json.scheduledAt).toBe(`${local.slice(0, 10)}T00:00:00.000Z`);
    const id = created.json.id as string;
    expect((await call("POST", `/broadcasts/${id}/start`, {})).json).toMatchObject({ state: "scheduled" });
    expect((await call("POST", `/broadcasts/${id}/cancel`, {})).json).toMatchObject({ state: "cancelled" });

    const bad = (body: Record<string, unknown>) =>
      call("POST", "/broadcasts", {
        name: "x",
        template: { name: "promo", language: "en_US" },
        audience: {},
        numberIds: [h.number.id],
        ...body,
      });
    expect((await bad({ timeZone: "Mars/Olympus" })).status).toBe(400);
    expect((await bad({ scheduledAt: "2001-01-01T09:00" })).status).toBe(422);
    expect((await bad({ numberIds: [randomUUID()] })).status).toBe(404);
    expect((await bad({ audience: { tags: ["NOT A TAG!"] } })).status).toBe(400);
    expect((await bad({ extra: true })).status).toBe(400);
    expect((await call("GET", `/broadcasts/${randomUUID()}`)).status).toBe(404);
    expect((await call("POST", `/broadcasts/${randomUUID()}/pause`, {})).status).toBe(404);
  }, 120_000);
});
