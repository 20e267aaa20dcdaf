import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace, withoutWorkspace } from "../../db/with-workspace.ts";
import { bindJob } from "../../jobs/definition.ts";
import { createWorker } from "../../jobs/queue.ts";
import type { TestUser } from "../../../test/support/identity.ts";
import {
  createApiWorld,
  errorCode,
  seedConversation,
  seedNumber,
  type ApiWorld,
  type CallApi,
  type Json,
} from "../../../test/support/workspace-fixtures.ts";
import { sql } from "kysely";
import { pruneWebhookHistory } from "./history.ts";
import { recordWebhookEvent } from "./outbox.ts";
import { webhookRoutes } from "./routes.ts";
import {
  AUTO_DISABLE_AFTER_MS,
  CIRCUIT_THRESHOLD,
  MAX_DELIVERY_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  RETRY_SCHEDULE_MS,
  createDeliveryHandler,
  deliverWebhookJob,
  retryAfterMs,
} from "./worker.ts";

// Outbound webhooks end to end against a real database and a real HTTP receiver on 127.0.0.1
// (PARLEY_WEBHOOKS_ALLOW_PRIVATE=true; the SSRF guard itself is proved in egress.test.ts): who may
// manage endpoints, the outbox written with the product change, Standard Webhooks signatures
// checked with the reference `standardwebhooks` library (also across a secret rotation), retries on
// the documented schedule, dead letters, automatic disabling, replay, the delivery log, per-endpoint
// isolation and row-level security. The attempt clock is the handler's `now`.

type Received = { path: string; headers: IncomingHttpHeaders; body: string; at: number };

let world: ApiWorld<{ admin: "admin"; agent: "agent"; analyst: "analyst" }>;
let call: CallApi;
let workspaceId: string;
let otherWorkspace: string;
let owner: TestUser;
let admin: TestUser;
let agent: TestUser;
let analyst: TestUser;
let outsider: TestUser;
let receiver: Server;
let receiverUrl: string;
let numberId: string;
const received: Received[] = [];
let clock = new Date();
/** Whether the /recovering receiver answers 200 (it answers 500 until then). */
let recovered = false;
const deliver = () => createDeliveryHandler(world.services, { now: () => clock, random: () => 0 });

const base = (workspace = workspaceId) => `/api/v1/workspaces/${workspace}/webhooks`;

beforeAll(async () => {
  world = await createApiWorld({
    routes: webhookRoutes,
    members: { admin: "admin", agent: "agent", analyst: "analyst" },
    env: { PARLEY_WEBHOOKS_ALLOW_PRIVATE: "true" },
  });
  ({ call, workspaceId, owner, outsider, outsiderWorkspaceId: otherWorkspace } = world);
  ({ admin, agent, analyst } = world.members);
  numberId = await seedNumber(world.services, workspaceId);
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      if (path.startsWith("/fail")) response.writeHead(500).end("receiver error");
      else if (path.startsWith("/gone")) response.writeHead(410).end();
      else if (path.startsWith("/busy-long")) response.writeHead(429, { "retry-after": "864000" }).end();
      else if (path.startsWith("/busy")) response.writeHead(429, { "retry-after": "600" }).end();
      else if (path.startsWith("/unavailable"))
        response.writeHead(503, { "retry-after": new Date(clock.getTime() + 2 * 3_600_000).toUTCString() }).end();
      else if (path.startsWith("/impatient")) response.writeHead(429, { "retry-after": "1" }).end();
      else if (path.startsWith("/recovering")) response.writeHead(recovered ? 200 : 500).end();
      else if (path.startsWith("/slow")) setTimeout(() => response.writeHead(200).end("late"), 5_000);
      else response.writeHead(200).end("thanks");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await world?.close();
});

async function createEndpoint(
  path: string,
  eventTypes: string[] = ["message.received"],
  extra: Json = {},
): Promise<{ id: string; secret: string }> {
  const answer = await call(owner, "POST", base(), { url: `${receiverUrl}${path}`, eventTypes, ...extra });
  expect(answer.status, answer.text).toBe(201);
  return { id: (answer.json.endpoint as { id: string }).id, secret: answer.json.secret as string };
}

async function ping(endpointId: string): Promise<string> {
  const answer = await call(owner, "POST", `${base()}/${endpointId}/test`);
  expect(answer.status, answer.text).toBe(202);
  return answer.json.deliveryId as string;
}

function delivery(deliveryId: string) {
  return withWorkspace(world.db, { workspaceId }, (trx) =>
    trx
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", deliveryId)
      .executeTakeFirstOrThrow(),
  );
}

function endpointRow(endpointId: string) {
  return withWorkspace(world.db, { workspaceId }, (trx) =>
    trx
      .selectFrom("webhook_endpoints")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", endpointId)
      .executeTakeFirstOrThrow(),
  );
}

function auditActions() {
  return withWorkspace(
    world.db,
    { workspaceId },
    async (trx) =>
      await trx
        .selectFrom("audit_entries")
        .select(["action", "actor_type", "metadata"])
        .where("workspace_id", "=", workspaceId)
        .where("action", "like", "webhook.%")
        .orderBy("seq")
        .execute(),
  );
}

const requestsTo = (path: string) => received.filter((request) => request.path === path);
const headers = (request: Received) => ({
  "webhook-id": String(request.headers["webhook-id"]),
  "webhook-timestamp": String(request.headers["webhook-timestamp"]),
  "webhook-signature": String(request.headers["webhook-signature"]),
});

describe("endpoints", () => {
  it("Owners and Admins register them; the secret is answered once and stored encrypted; everyone else is refused", async () => {
    const answer = await call(owner, "POST", base(), { url: `${receiverUrl}/ok`, eventTypes: ["message.received"], description: "CRM" });
    expect(answer.status).toBe(201);
    const secret = answer.json.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const endpoint = answer.json.endpoint as { id: string };
    expect(answer.json.endpoint).toMatchObject({
      enabled: true,
      includePersonalData: false,
      eventTypes: ["message.received"],
      format: "standard",
      disabledReason: null,
    });
    const listed = await call(admin, "GET", base());
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(secret.slice(6));
    expect((await call(admin, "GET", `${base()}/${endpoint.id}`)).text).not.toContain(secret.slice(6));
    expect((await endpointRow(endpoint.id)).secret_ciphertext).not.toContain(secret.slice(6));
    expect((await call(admin, "POST", base(), { url: `${receiverUrl}/ok`, eventTypes: ["contact.created"] })).status).toBe(201);

    for (const who of [agent, analyst]) {
      expect((await call(who, "GET", base())).status).toBe(403);
      expect((await call(who, "POST", base(), { url: `${receiverUrl}/ok`, eventTypes: ["message.received"] })).status).toBe(403);
    }
    expect((await call(outsider, "GET", base())).status).toBe(403);
    expect((await call(outsider, "GET", `${base(otherWorkspace)}/${endpoint.id}`)).status).toBe(404);
    expect((await call(outsider, "DELETE", `${base(otherWorkspace)}/${endpoint.id}`)).status).toBe(404);
    expect((await call(null, "GET", base())).status).toBe(401);
    expect((await auditActions()).map((entry) => entry.action)).toEqual(["webhook.endpoint.created", "webhook.endpoint.created"]);
  });

  it("validates the body: known event types (not the test ping), http(s) URLs, no credentials in them", async () => {
    for (const body of [
      { url: `${receiverUrl}/ok`, eventTypes: [] },
      { url: `${receiverUrl}/ok`, eventTypes: ["message.unknown"] },
      { url: `${receiverUrl}/ok`, eventTypes: ["webhook.test"] },
      { url: "ftp://example.com/x", eventTypes: ["message.received"] },
      { url: `${receiverUrl}/ok`, eventTypes: ["message.received"], secret: "whsec_chosen" },
    ]) {
      const answer = await call(owner, "POST", base(), body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    const withCredentials = await call(owner, "POST", base(), { url: `http://user:pw@127.0.0.1:1/x`, eventTypes: ["message.received"] });
    expect(withCredentials.status).toBe(422);
    expect(errorCode(withCredentials.json)).toBe("WEBHOOK_URL_REFUSED");
  });

  it('a "meta" endpoint needs includePersonalData and the inbound types only; it is audited as a personal-data decision', async () => {
    const refused = await call(owner, "POST", base(), { url: `${receiverUrl}/meta`, format: "meta", eventTypes: ["message.received"] });
    expect(refused.status).toBe(422);
    expect(errorCode(refused.json)).toBe("UNPROCESSABLE");
    expect(refused.text).toContain("meta_format_requires_personal_data");
    const wrongTypes = await call(owner, "POST", base(), {
      url: `${receiverUrl}/meta`,
      format: "meta",
      eventTypes: ["contact.created"],
      includePersonalData: true,
    });
    expect(wrongTypes.status).toBe(422);
    expect(wrongTypes.text).toContain("meta_format_event_types");

    const { id } = await createEndpoint("/meta", ["message.received", "message.status"], { format: "meta", includePersonalData: true });
    expect(await endpointRow(id)).toMatchObject({ format: "meta", include_personal_data: true });
    const switchedOff = await call(owner, "PATCH", `${base()}/${id}`, { includePersonalData: false });
    expect(switchedOff.status).toBe(422);
    expect(switchedOff.text).toContain("meta_format_requires_personal_data");
    const actions = (await auditActions()).filter((entry) => (entry.metadata as { format?: string }).format === "meta");
    expect(actions.map((entry) => entry.action)).toEqual(["webhook.endpoint.created", "webhook.endpoint.personal_data_changed"]);
    expect((await call(owner, "DELETE", `${base()}/${id}`)).status).toBe(204);
  });

  it("refuses private and loopback URLs when the guard is on (the default)", async () => {
    const guarded = await createApiWorld({ routes: webhookRoutes, members: {} });
    try {
      for (const url of [
        "http://127.0.0.1:8080/in",
        "http://localhost/in",
        "http://[::1]/in",
        "http://169.254.169.254/latest",
        "http://10.0.0.1/in",
        "http://[::ffff:127.0.0.1]/in",
      ]) {
        const answer = await guarded.call(guarded.owner, "POST", `/api/v1/workspaces/${guarded.workspaceId}/webhooks`, {
          url,
          eventTypes: ["message.received"],
        });
        expect(answer.status, url).toBe(422);
        expect(errorCode(answer.json)).toBe("WEBHOOK_URL_REFUSED");
      }
    } finally {
      await guarded.close();
    }
  });
});

describe("the outbox and signed delivery", () => {
  it("writes the event and its delivery with the inbound message, and a rolled-back change writes nothing", async () => {
    const { id: endpointId, secret } = await createEndpoint("/received");
    const seeded = await seedConversation(world.services, {
      workspaceId,
      numberId,
      waId: "14155550101",
      profileName: "Ada",
      texts: ["hello"],
    });
    const rows = await withWorkspace(world.db, { workspaceId }, (trx) =>
      trx
        .selectFrom("webhook_deliveries as d")
        .innerJoin("webhook_events as e", (join) => join.onRef("e.workspace_id", "=", "d.workspace_id").onRef("e.id", "=", "d.event_id"))
        .select(["d.id", "e.type", "e.data"])
        .where("d.endpoint_id", "=", endpointId)
        .execute(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.type).toBe("message.received");
    const deliveryId = rows[0]!.id;
    const jobs = await withoutWorkspace(world.db, (trx) =>
      trx.selectFrom("jobs").select(["payload"]).where("queue", "=", "webhooks.deliver").execute(),
    );
    expect(jobs.map((job) => job.payload)).toContainEqual({ workspaceId, deliveryId });

    clock = new Date();
    await deliver()({ workspaceId, deliveryId });
    const [request] = requestsTo("/received");
    expect(request).toBeDefined();
    const payload = new Webhook(secret).verify(request!.body, headers(request!)) as { type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({
      type: "message.received",
      data: {
        workspaceId,
        conversationId: seeded.conversationId,
        messageId: seeded.messageIds[0],
        contactId: seeded.contactId,
        numberId,
        messageType: "text",
      },
    });
    // Thin by default: no text, no phone number, no name.
    expect(request!.body).not.toContain("hello");
    expect(request!.body).not.toContain("14155550101");
    expect(await delivery(deliveryId)).toMatchObject({
      status: "succeeded",
      attempts: 1,
      last_response_code: 200,
      last_response_excerpt: "thanks",
      next_attempt_at: null,
    });

    const before = await withWorkspace(world.db, { workspaceId }, (trx) => trx.selectFrom("webhook_events").select("id").execute());
    await expect(
      withWorkspace(world.db, { workspaceId }, async (trx) => {
        await recordWebhookEvent(trx, workspaceId, {
          type: "message.received",
          data: {
            workspaceId,
            conversationId: seeded.conversationId,
            messageId: seeded.messageIds[0]!,
            contactId: seeded.contactId,
            numberId,
            messageType: "text",
            receivedAt: new Date().toISOString(),
          },
        });
        throw new Error("the product change failed");
      }),
    ).rejects.toThrow(/product change/);
    expect(await withWorkspace(world.db, { workspaceId }, (trx) => trx.selectFrom("webhook_events").select("id").execute())).toHaveLength(
      before.length,
    );
  });

  it("adds personal data only for an endpoint that opted in, and switching that is audited on its own", async () => {
    const { id: endpointId, secret } = await createEndpoint("/personal");
    const switched = await call(owner, "PATCH", `${base()}/${endpointId}`, { includePersonalData: true });
    expect(switched.status).toBe(200);
    expect(switched.json.includePersonalData).toBe(true);
    expect((await auditActions()).at(-1)).toMatchObject({
      action: "webhook.endpoint.personal_data_changed",
      metadata: { includePersonalData: true },
    });
    await seedConversation(world.services, { workspaceId, numberId, waId: "14155550102", texts: ["my order 42"] });
    const [row] = await withWorkspace(world.db, { workspaceId }, (trx) =>
      trx.selectFrom("webhook_deliveries").select("id").where("endpoint_id", "=", endpointId).execute(),
    );
    clock = new Date();
    await deliver()({ workspaceId, deliveryId: row!.id });
    const request = requestsTo("/personal")[0]!;
    expect((new Webhook(secret).verify(request.body, headers(request)) as { data: { text: string } }).data.text).toBe("my order 42");
  });

  it("signs with both secrets during a rotation's overlap, and with the new one only after it", async () => {
    const { id: endpointId, secret: oldSecret } = await createEndpoint("/rotating");
    const rotated = await call(owner, "POST", `${base()}/${endpointId}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    const newSecret = rotated.json.secret as string;
    expect(newSecret).not.toBe(oldSecret);
    const expires = Date.parse((rotated.json.endpoint as { previousSecretExpiresAt: string }).previousSecretExpiresAt);
    expect(expires - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    clock = new Date();
    await deliver()({ workspaceId, deliveryId: await ping(endpointId) });
    const during = requestsTo("/rotating")[0]!;
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(during.body, headers(during))).toMatchObject({ type: "webhook.test", data: { endpointId } });
    expect(new Webhook(newSecret).verify(during.body, headers(during))).toMatchObject({ type: "webhook.test" });

    const again = await call(owner, "POST", `${base()}/${endpointId}/rotate-secret`, { overlapSeconds: 1 });
    const latest = again.json.secret as string;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    clock = new Date();
    await deliver()({ workspaceId, deliveryId: await ping(endpointId) });
    const after = requestsTo("/rotating")[1]!;
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(new Webhook(latest).verify(after.body, headers(after))).toMatchObject({ type: "webhook.test" });
    expect(() => new Webhook(newSecret).verify(after.body, headers(after))).toThrow(/No matching signature/);
    expect((await auditActions()).filter((entry) => entry.action === "webhook.secret.rotated")).toHaveLength(2);
  });
});

describe("retries, dead letters and disabling", () => {
  let failingEndpoint: string;
  let deadLetter: string;

  it("retries on the documented schedule with the same webhook-id and a fresh timestamp, then dead-letters", async () => {
    failingEndpoint = (await createEndpoint("/fail-retry")).id;
    deadLetter = await ping(failingEndpoint);
    clock = new Date();
    const handler = deliver();
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt += 1) {
      await handler({ workspaceId, deliveryId: deadLetter });
      const row = await delivery(deadLetter);
      expect(row.attempts).toBe(attempt);
      expect(row.last_response_code).toBe(500);
      expect(row.last_response_excerpt).toBe("receiver error");
      if (attempt < MAX_DELIVERY_ATTEMPTS) {
        expect(row.status).toBe("pending");
        expect(row.next_attempt_at!.getTime() - clock.getTime()).toBe(RETRY_SCHEDULE_MS[attempt - 1]);
        const jobs = await withoutWorkspace(world.db, (trx) =>
          trx.selectFrom("jobs").select(["run_at", "payload"]).where("queue", "=", "webhooks.deliver").execute(),
        );
        expect(
          jobs.filter((job) => (job.payload as { deliveryId: string }).deliveryId === deadLetter).map((job) => job.run_at.getTime()),
        ).toContain(row.next_attempt_at!.getTime());
        clock = row.next_attempt_at!;
      } else {
        expect(row).toMatchObject({ status: "failed", next_attempt_at: null, last_error: "HTTP 500" });
      }
    }
    const attempts = requestsTo("/fail-retry");
    expect(attempts).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect(new Set(attempts.map((request) => request.headers["webhook-id"])).size).toBe(1);
    expect(new Set(attempts.map((request) => request.headers["webhook-timestamp"])).size).toBe(MAX_DELIVERY_ATTEMPTS);
    expect(await endpointRow(failingEndpoint)).toMatchObject({ enabled: true, consecutive_dead_letters: 1 });
  });

  it("disables an endpoint whose deliveries have all failed for 5 days, audited and visible in the API", async () => {
    const failingSince = (await endpointRow(failingEndpoint)).failing_since!;
    const deliveryId = await ping(failingEndpoint);
    clock = new Date(failingSince.getTime() + AUTO_DISABLE_AFTER_MS);
    await deliver()({ workspaceId, deliveryId });
    const shown = await call(owner, "GET", `${base()}/${failingEndpoint}`);
    expect(shown.json).toMatchObject({ enabled: false, disabledReason: "failing" });
    expect((await auditActions()).at(-1)).toMatchObject({
      action: "webhook.endpoint.auto_disabled",
      actor_type: "system",
      metadata: { reason: "failing" },
    });
    // The failed delivery is not retried against a disabled endpoint: it waits as a dead letter for a replay.
    expect(await delivery(deliveryId)).toMatchObject({ status: "failed", attempts: 1, next_attempt_at: null });
    expect((await call(owner, "POST", `${base()}/${failingEndpoint}/test`)).status).toBe(422);
  });

  it("honours the receiver's Retry-After on 429 and 503 (seconds or a date), never sooner than the schedule, at most a day", async () => {
    const cases: [string, number][] = [
      ["/busy", 600_000],
      ["/unavailable", 2 * 3_600_000],
      ["/busy-long", MAX_RETRY_AFTER_MS],
      ["/impatient", RETRY_SCHEDULE_MS[0]],
    ];
    for (const [path, expected] of cases) {
      const { id } = await createEndpoint(path);
      const deliveryId = await ping(id);
      clock = new Date(Math.floor(Date.now() / 1000) * 1000);
      await deliver()({ workspaceId, deliveryId });
      const row = await delivery(deliveryId);
      expect(row.status, path).toBe("pending");
      expect(row.next_attempt_at!.getTime() - clock.getTime(), path).toBe(expected);
    }
  });

  it("disables at once on 410 Gone", async () => {
    const { id } = await createEndpoint("/gone");
    const deliveryId = await ping(id);
    clock = new Date();
    await deliver()({ workspaceId, deliveryId });
    expect(await delivery(deliveryId)).toMatchObject({ status: "failed", attempts: 1, last_response_code: 410 });
    expect(await endpointRow(id)).toMatchObject({ enabled: false, disabled_reason: "gone" });
  });

  it("opens the circuit after repeated failures: the endpoint's next deliveries wait without being attempted", async () => {
    const { id } = await createEndpoint("/fail-circuit");
    const deliveries = [];
    for (let index = 0; index <= CIRCUIT_THRESHOLD; index += 1) deliveries.push(await ping(id));
    clock = new Date();
    const handler = deliver();
    for (const deliveryId of deliveries.slice(0, CIRCUIT_THRESHOLD)) await handler({ workspaceId, deliveryId });
    const row = await endpointRow(id);
    expect(row.circuit_open_until!.getTime()).toBeGreaterThan(clock.getTime());
    await handler({ workspaceId, deliveryId: deliveries.at(-1)! });
    expect(requestsTo("/fail-circuit")).toHaveLength(CIRCUIT_THRESHOLD);
    expect(await delivery(deliveries.at(-1)!)).toMatchObject({ status: "pending", attempts: 0, next_attempt_at: row.circuit_open_until });
  });

  it("a success clears a failing endpoint's counters and circuit, and leaves a healthy endpoint's row untouched", async () => {
    const { id } = await createEndpoint("/recovering");
    const [first, second, third] = [await ping(id), await ping(id), await ping(id)];
    clock = new Date();
    const handler = deliver();
    await handler({ workspaceId, deliveryId: first });
    expect(await endpointRow(id)).toMatchObject({ consecutive_failures: 1, failing_since: expect.any(Date) });
    recovered = true;
    await handler({ workspaceId, deliveryId: second });
    const healthy = await endpointRow(id);
    expect(healthy).toMatchObject({ consecutive_failures: 0, failing_since: null, consecutive_dead_letters: 0, circuit_open_until: null });
    expect(await delivery(second)).toMatchObject({ status: "succeeded", last_response_code: 200 });
    // Nothing to reset: the endpoint's row is not written again.
    await handler({ workspaceId, deliveryId: third });
    expect(await delivery(third)).toMatchObject({ status: "succeeded" });
    expect((await endpointRow(id)).updated_at).toEqual(healthy.updated_at);
  });

  it("replays one dead letter or a time range once the endpoint is enabled again, with the same webhook-id", async () => {
    expect((await call(owner, "POST", `${base()}/${failingEndpoint}/deliveries/${deadLetter}/replay`)).status).toBe(422);
    const enabled = await call(owner, "PATCH", `${base()}/${failingEndpoint}`, { enabled: true, url: `${receiverUrl}/recovered` });
    expect(enabled.json).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    const replayed = await call(owner, "POST", `${base()}/${failingEndpoint}/deliveries/${deadLetter}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.json.replayed).toBe(1);
    expect(await delivery(deadLetter)).toMatchObject({ status: "pending", attempts: 0 });
    expect((await call(owner, "POST", `${base()}/${failingEndpoint}/deliveries/${deadLetter}/replay`)).status).toBe(409);
    clock = new Date();
    await deliver()({ workspaceId, deliveryId: deadLetter });
    expect(await delivery(deadLetter)).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(requestsTo("/recovered")[0]!.headers["webhook-id"]).toBe(requestsTo("/fail-retry")[0]!.headers["webhook-id"]);

    const range = await call(owner, "POST", `${base()}/${failingEndpoint}/replay`, {
      since: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(range.status).toBe(202);
    expect(range.json.replayed).toBeGreaterThanOrEqual(1);
    expect((await auditActions()).filter((entry) => entry.action === "webhook.deliveries.replayed")).toHaveLength(2);
  });

  it("keeps a delivery log per endpoint: status, attempts, code, latency, a bounded excerpt, no secret", async () => {
    const log = await call(owner, "GET", `${base()}/${failingEndpoint}/deliveries?limit=1`);
    expect(log.status).toBe(200);
    const entries = log.json.data as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toHaveProperty("eventType", "webhook.test");
    expect(log.json.nextCursor).toEqual(expect.any(String));
    const next = await call(
      owner,
      "GET",
      `${base()}/${failingEndpoint}/deliveries?limit=1&cursor=${encodeURIComponent(log.json.nextCursor as string)}`,
    );
    expect(next.status).toBe(200);
    expect((next.json.data as Array<{ id: string }>)[0]!.id).not.toBe(entries[0]!.id);
    const recovered = await call(owner, "GET", `${base()}/${failingEndpoint}/deliveries?status=succeeded`);
    expect(recovered.json.data).toEqual([
      expect.objectContaining({
        id: deadLetter,
        status: "succeeded",
        attempts: 1,
        lastResponseCode: 200,
        lastResponseExcerpt: "thanks",
        lastLatencyMs: expect.any(Number),
      }),
    ]);
    expect(log.text).not.toMatch(/whsec_/);
    expect((await call(agent, "GET", `${base()}/${failingEndpoint}/deliveries`)).status).toBe(403);
  });
});

describe("history", () => {
  const eventOf = (deliveryId: string) => delivery(deliveryId).then((row) => row.event_id);
  const age = (eventId: string, days: number) =>
    withWorkspace(world.db, { workspaceId }, (trx) =>
      sql`update webhook_events set created_at = now() - make_interval(days => ${days}) where workspace_id = ${workspaceId} and id = ${eventId}`.execute(
        trx,
      ),
    );
  const eventExists = (eventId: string) =>
    withWorkspace(world.db, { workspaceId }, async (trx) =>
      Boolean(
        await trx
          .selectFrom("webhook_events")
          .select("id")
          .where("workspace_id", "=", workspaceId)
          .where("id", "=", eventId)
          .executeTakeFirst(),
      ),
    );
  const deliveryExists = (deliveryId: string) =>
    withWorkspace(world.db, { workspaceId }, async (trx) =>
      Boolean(
        await trx
          .selectFrom("webhook_deliveries")
          .select("id")
          .where("workspace_id", "=", workspaceId)
          .where("id", "=", deliveryId)
          .executeTakeFirst(),
      ),
    );

  it("prunes finished events past the retention with their deliveries, in bounded batches; pending and newer ones stay", async () => {
    expect(world.services.config.outboundWebhooks.retentionDays).toBe(30);
    const { id } = await createEndpoint("/history");
    const [succeeded, deadLetter, pending, recent] = [await ping(id), await ping(id), await ping(id), await ping(id)];
    clock = new Date();
    await deliver()({ workspaceId, deliveryId: succeeded });
    await deliver()({ workspaceId, deliveryId: recent });
    await withWorkspace(world.db, { workspaceId }, (trx) =>
      trx
        .updateTable("webhook_deliveries")
        .set({ status: "failed" })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", deadLetter)
        .execute(),
    );
    const events = {
      succeeded: await eventOf(succeeded),
      deadLetter: await eventOf(deadLetter),
      pending: await eventOf(pending),
      recent: await eventOf(recent),
    };
    for (const eventId of [events.succeeded, events.deadLetter, events.pending]) await age(eventId, 31);
    await age(events.recent, 29);

    // One event per run at most here: the rest waits for the next run.
    const first = await pruneWebhookHistory(world.services, { batchSize: 1, batchesPerWorkspace: 1 });
    expect(first).toEqual({ workspaces: 1, deleted: 1 });
    const second = await pruneWebhookHistory(world.services);
    expect(second.deleted).toBeGreaterThanOrEqual(1);
    expect(await eventExists(events.succeeded)).toBe(false);
    expect(await eventExists(events.deadLetter)).toBe(false);
    expect(await deliveryExists(succeeded)).toBe(false);
    expect(await deliveryExists(deadLetter)).toBe(false);
    // Still retrying (pending): kept until it ends. Younger than the retention: kept.
    expect(await eventExists(events.pending)).toBe(true);
    expect(await deliveryExists(pending)).toBe(true);
    expect(await eventExists(events.recent)).toBe(true);
    expect(await pruneWebhookHistory(world.services)).toEqual({ workspaces: 0, deleted: 0 });
  });
});

describe("retryAfterMs", () => {
  const at = new Date("2026-12-07T10:00:00Z");
  it.each([
    ["120", 120_000],
    [" 0 ", 0],
    ["Mon, 07 Dec 2026 10:30:00 GMT", 1_800_000],
    ["Mon, 07 Dec 2026 09:00:00 GMT", 0],
    ["-5", null],
    ["1.5", null],
    ["soon", null],
    ["2026-12-07T10:30:00Z", null],
    [null, null],
  ])("reads %j as %j", (value, expected) => {
    expect(retryAfterMs(value, at)).toBe(expected);
  });
});

describe("isolation", () => {
  it("a slow endpoint (5 s answers) does not hold up another endpoint's delivery", async () => {
    await withoutWorkspace(world.db, (trx) => trx.deleteFrom("jobs").execute());
    const slow = await createEndpoint("/slow");
    const fast = await createEndpoint("/fast");
    for (let index = 0; index < 8; index += 1) await ping(slow.id);
    await ping(fast.id);
    const started = Date.now();
    const worker = createWorker({
      db: world.db,
      jobs: [bindJob(deliverWebhookJob, createDeliveryHandler(world.services, { perEndpointConcurrency: 2 }))],
      concurrency: 4,
      pollIntervalMs: 20,
      visibilityTimeoutMs: 60_000,
      logger: world.services.logger,
    });
    worker.start();
    try {
      const deadline = Date.now() + 4_000;
      while (requestsTo("/fast").length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(requestsTo("/fast")).toHaveLength(1);
      expect(requestsTo("/fast")[0]!.at - started).toBeLessThan(3_000);
      // At most two of the slow endpoint's attempts were in flight at once.
      expect(requestsTo("/slow").length).toBeLessThanOrEqual(2);
    } finally {
      await worker.stop();
    }
  }, 30_000);

  it("row-level security: another workspace sees none of the endpoints, events or deliveries", async () => {
    const seen = await withWorkspace(world.db, { workspaceId: otherWorkspace }, async (trx) => ({
      endpoints: await trx.selectFrom("webhook_endpoints").select("id").execute(),
      events: await trx.selectFrom("webhook_events").select("id").execute(),
      deliveries: await trx.selectFrom("webhook_deliveries").select("id").execute(),
      updated: Number(
        (await trx.updateTable("webhook_endpoints").set({ url: "http://attacker.example/" }).executeTakeFirst()).numUpdatedRows,
      ),
    }));
    expect(seen).toEqual({ endpoints: [], events: [], deliveries: [], updated: 0 });
    const own = await withWorkspace(world.db, { workspaceId }, (trx) => trx.selectFrom("webhook_endpoints").select("id").execute());
    expect(own.length).toBeGreaterThan(0);
  });
});
