import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace, withoutWorkspace } from "../../db/with-workspace.ts";
import { createHttpApp } from "../../http/app.ts";
import { createAuthenticator } from "../../identity/authenticator.ts";
import type { AuthContext, Authenticator } from "../../identity/auth-context.ts";
import { permissionsOf, rolePermissions } from "../../identity/permissions.ts";
import { createApiKey } from "../api-keys/service.ts";
import { contactRoutes } from "../contacts/routes.ts";
import { createGraphProxyRoutes, graphPathRewrite } from "../graph-proxy/routes.ts";
import { sendRoutes } from "../messages/routes.ts";
import { SEND_QUEUE } from "../messages/service.ts";
import { startViewHarness, type ViewCaller, type ViewHarness } from "../../../test/whatsapp/conversation-support.ts";
import { countJobs } from "../../../test/whatsapp/send-support.ts";
import { consentRoutes } from "./routes.ts";

// The consent ledger and its enforcement against the real database (PGlite and PostgreSQL), the
// real simulator over HTTP and Parley's real send path: a marketing template is refused for a
// contact without marketing consent on every send path (the send API as a member and as an API
// key, and the Graph-compatible proxy), with nothing queued; the contact's own opt-outs (keywords,
// Meta's marketing opt-out through the simulator's user_preferences webhook) are honoured, audited
// without personal data and emitted as contact.consent_changed.

let h: ViewHarness;
let app: FastifyInstance;
let proxyUrl: string;
let apiKey: string;
let base: string;
let seq = 0;
const nextWaId = () => `4915177${String(100_000 + seq++).padStart(6, "0")}`;

type Json = Record<string, unknown>;
type Consent = {
  marketing: { status: string; source: string | null };
  utility: { status: string };
  history: Array<{ scope: string; status: string; source: string; method: string; recordedByUserId: string | null }>;
};

async function call(caller: ViewCaller | { apiKey: string }, method: "GET" | "POST" | "PUT", path: string, body?: unknown) {
  const authorization = typeof caller === "string" ? `Bearer ${caller}` : `Bearer ${caller.apiKey}`;
  const response = await app.inject({
    method,
    url: path,
    headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, json: response.body ? response.json() : {} };
}

async function contactIdOf(conversationId: string): Promise<string> {
  const row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx.selectFrom("conversations").select("contact_id").where("id", "=", conversationId).executeTakeFirstOrThrow(),
  );
  return row.contact_id;
}

async function contactRow(contactId: string) {
  return withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx
      .selectFrom("contacts")
      .select(["consent_status", "consent_source", "consent_updated_at"])
      .where("id", "=", contactId)
      .executeTakeFirstOrThrow(),
  );
}

async function consentOf(contactId: string): Promise<Consent> {
  const answer = await call("owner", "GET", `${base}/contacts/${contactId}/consent`);
  expect(answer.status).toBe(200);
  return answer.json;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen in time`);
    await delay(25);
  }
}

async function messageCount(): Promise<number> {
  const row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx
      .selectFrom("messages")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow(),
  );
  return Number(row.count);
}

async function outboxCount(): Promise<number> {
  const row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx
      .selectFrom("webhook_events")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("type", "like", "message.%")
      .executeTakeFirstOrThrow(),
  );
  return Number(row.count);
}

/** Everything a send would write: message rows, send jobs, outbound webhook events of messages. */
async function queuedState() {
  return { messages: await messageCount(), jobs: await countJobs(h, SEND_QUEUE), outbox: await outboxCount() };
}

async function consentEvents(contactId: string) {
  return withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx
      .selectFrom("webhook_events")
      .select(["type", "data"])
      .where("type", "=", "contact.consent_changed")
      .where(sql`data->>'contactId'`, "=", contactId)
      .execute(),
  );
}

const marketing = (extra: Json = {}) => ({
  type: "template",
  template: { name: "spring_sale", language: "en_US" },
  ...extra,
});
const utility = (extra: Json = {}) => ({
  type: "template",
  template: { name: "order_ready", language: "en_US" },
  ...extra,
});

beforeAll(async () => {
  h = await startViewHarness();
  base = `/api/v1/workspaces/${h.workspaceId}`;
  const add = (id: string, name: string, category: string) =>
    h.sim.state.templates.set(id, {
      id,
      wabaId: h.sim.state.wabaId,
      name,
      language: "en_US",
      category,
      parameterFormat: "POSITIONAL",
      components: [{ type: "BODY", text: `${name} for you.` }],
      status: "APPROVED",
      rejectedReason: undefined,
      createdAt: h.sim.clock.now(),
    });
  add("3000000000000001", "spring_sale", "MARKETING");
  add("3000000000000002", "order_ready", "UTILITY");
  expect((await h.request("owner", "POST", `${base}/templates/sync`, { body: { numberId: h.number.id } })).status).toBe(200);

  // Members by role (session-like contexts) and real API keys, through Parley's authenticator.
  const contexts = new Map<string, AuthContext>(
    Object.entries(h.users).map(([name, user]) => [
      `Bearer ${name}`,
      {
        kind: "session",
        userId: user.userId,
        workspaceId: user.workspaceId,
        role: user.role,
        permissions: new Set(rolePermissions[user.role]),
      },
    ]),
  );
  const real = createAuthenticator(h.services);
  const authenticate: Authenticator = async (request) => contexts.get(request.headers.authorization ?? "") ?? (await real(request));
  app = await createHttpApp({
    services: h.services,
    routes: [...consentRoutes, ...contactRoutes, ...sendRoutes, ...createGraphProxyRoutes({ outcomeWaitMs: 10_000 })],
    authenticate,
    rewriteUrl: graphPathRewrite,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  proxyUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const owner = h.users.owner;
  const caller = {
    workspaceId: h.workspaceId,
    userId: owner.userId,
    role: "owner" as const,
    permissions: permissionsOf("owner"),
    audit: { type: "user" as const, id: owner.userId },
    ip: null,
    userAgent: null,
  };
  apiKey = (
    await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      createApiKey(trx, caller, { name: "consent", scopes: ["messages.send", "conversations.read_all", "contacts.read"] }),
    )
  ).key;
  // Outbound webhook events are recorded only for a subscribed endpoint (delivery is not under test here).
  await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx
      .insertInto("webhook_endpoints")
      .values({
        workspace_id: h.workspaceId,
        id: randomUUID(),
        url: "https://receiver.example.test/hook",
        event_types: ["contact.consent_changed", "message.received", "message.status"],
        secret_ciphertext: "unused",
      })
      .execute(),
  );
}, 90_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe("the consent ledger", () => {
  it("records decisions per scope with source and time; the contact's columns are the current marketing state", async () => {
    const { conversationId } = await h.customerWrites(nextWaId());
    const contactId = await contactIdOf(conversationId);
    expect(await consentOf(contactId)).toMatchObject({
      marketing: { status: "unknown", source: null },
      utility: { status: "unknown" },
      history: [],
    });

    const first = await call("owner", "POST", `${base}/contacts/${contactId}/consent/entries`, {
      scope: "marketing",
      status: "opted_in",
      source: "web_form",
    });
    expect(first.status).toBe(201);
    const second = await call("agent-a", "POST", `${base}/contacts/${contactId}/consent/entries`, {
      scope: "utility",
      status: "opted_out",
      source: "agent",
    });
    expect(second.status).toBe(201);
    const consent = second.json as unknown as Consent;
    expect(consent.marketing).toMatchObject({ status: "opted_in", source: "web_form" });
    expect(consent.utility).toMatchObject({ status: "opted_out" });
    expect(consent.history.map((entry) => [entry.scope, entry.status, entry.source, entry.method, entry.recordedByUserId])).toEqual([
      ["utility", "opted_out", "agent", "recorded", h.users["agent-a"].userId],
      ["marketing", "opted_in", "web_form", "recorded", h.users.owner.userId],
    ]);
    expect(await contactRow(contactId)).toMatchObject({ consent_status: "opted_in", consent_source: "web_form" });

    // The older contact route records into the same ledger (marketing unless a scope is given).
    const older = await call("owner", "POST", `${base}/contacts/${contactId}/consent`, { status: "opted_out", source: "api" });
    expect(older.status).toBe(200);
    expect((await consentOf(contactId)).history[0]).toMatchObject({ scope: "marketing", status: "opted_out", source: "api" });
    expect(await contactRow(contactId)).toMatchObject({ consent_status: "opted_out", consent_source: "api" });

    // Every change is an outbound webhook event with ids and states only.
    const events = await consentEvents(contactId);
    expect(events).toHaveLength(3);
    expect(Object.keys(events[0]!.data as Json).sort()).toEqual(
      ["at", "contactId", "entryId", "method", "scope", "source", "status", "workspaceId"].sort(),
    );
  });

  it("lets Agents read and record (contacts.write), never Analysts; other workspaces and bad input are refused in words", async () => {
    const { conversationId } = await h.customerWrites(nextWaId());
    const contactId = await contactIdOf(conversationId);
    expect((await call("agent-b", "GET", `${base}/contacts/${contactId}/consent`)).status).toBe(200);
    expect((await call("analyst", "GET", `${base}/contacts/${contactId}/consent`)).status).toBe(403);
    expect(
      (
        await call("analyst", "POST", `${base}/contacts/${contactId}/consent/entries`, {
          scope: "marketing",
          status: "opted_in",
          source: "agent",
        })
      ).status,
    ).toBe(403);
    expect((await call("outsider", "GET", `${base}/contacts/${contactId}/consent`)).status).toBe(404);
    const foreign = `/api/v1/workspaces/${h.otherWorkspaceId}/contacts/${contactId}/consent`;
    expect((await call("outsider", "GET", foreign)).status).toBe(404);
    expect((await call("owner", "GET", `${base}/contacts/${randomUUID()}/consent`)).status).toBe(404);
    for (const body of [
      { scope: "sms", status: "opted_in", source: "agent" },
      { scope: "marketing", status: "yes", source: "agent" },
      { scope: "marketing", status: "opted_in", source: "agent", extra: 1 },
      { scope: "marketing", status: "opted_in" },
    ]) {
      const refused = await call("owner", "POST", `${base}/contacts/${contactId}/consent/entries`, body);
      expect([refused.status, (refused.json.error as Json).code]).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect((await consentOf(contactId)).history).toEqual([]);
  });
});

describe("marketing templates need marketing consent on every send path", () => {
  let waId: string;
  let conversationId: string;
  let contactId: string;

  beforeAll(async () => {
    waId = nextWaId();
    ({ conversationId } = await h.customerWrites(waId));
    contactId = await contactIdOf(conversationId);
  });

  it("refuses the send API (a member's session, the composer's path) with CONSENT_REQUIRED, queueing nothing", async () => {
    const before = await queuedState();
    const refused = await call("owner", "POST", `${base}/messages`, marketing({ conversationId }));
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: "CONSENT_REQUIRED", details: { reason: "no_consent" } });
    // By phone number to a contact never seen: refused too, and no contact is left behind.
    const contactsBefore = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("contacts")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .executeTakeFirstOrThrow(),
    );
    const byPhone = await call("owner", "POST", `${base}/messages`, marketing({ numberId: h.number.id, to: `+${nextWaId()}` }));
    expect([byPhone.status, (byPhone.json.error as Json).code]).toEqual([422, "CONSENT_REQUIRED"]);
    const contactsAfter = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("contacts")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .executeTakeFirstOrThrow(),
    );
    expect(Number(contactsAfter.count)).toBe(Number(contactsBefore.count));
    expect(await queuedState()).toEqual(before);
  });

  it("refuses an API key on the REST API, and the Graph-compatible proxy in Graph's error form (131050), queueing nothing", async () => {
    const before = await queuedState();
    const rest = await call({ apiKey }, "POST", `${base}/messages`, marketing({ conversationId }));
    expect([rest.status, (rest.json.error as Json).code]).toEqual([422, "CONSENT_REQUIRED"]);

    const proxied = await fetch(`${proxyUrl}/v25.0/${h.number.phoneNumberId}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        messaging_product: "whatsapp",
        to: waId,
        type: "template",
        template: { name: "spring_sale", language: { code: "en_US" } },
      }),
    });
    expect(proxied.status).toBe(400);
    const body = (await proxied.json()) as { error: { code: number; message: string; type: string; fbtrace_id: string } };
    expect(body.error).toMatchObject({ code: 131050, type: "OAuthException" });
    expect(body.error.fbtrace_id).toEqual(expect.any(String));
    expect(await queuedState()).toEqual(before);
    expect(h.sim.listReceived(waId).filter((message) => message.type === "template")).toEqual([]);
  });

  it("sends once the contact opted in; an opted-out contact still gets utility templates and replies in the window", async () => {
    await call("owner", "POST", `${base}/contacts/${contactId}/consent/entries`, {
      scope: "marketing",
      status: "opted_in",
      source: "web_form",
    });
    const sent = await call({ apiKey }, "POST", `${base}/messages`, marketing({ conversationId }));
    expect(sent.status).toBe(202);

    await call("owner", "POST", `${base}/contacts/${contactId}/consent/entries`, {
      scope: "marketing",
      status: "opted_out",
      source: "agent",
    });
    const refused = await call("owner", "POST", `${base}/messages`, marketing({ conversationId }));
    expect(refused.json.error).toMatchObject({ code: "CONSENT_REQUIRED", details: { reason: "opted_out" } });
    expect((await call("owner", "POST", `${base}/messages`, utility({ conversationId }))).status).toBe(202);
    expect(
      (await call("owner", "POST", `${base}/messages`, { conversationId, type: "text", text: { body: "Your order is ready" } })).status,
    ).toBe(202);
  });
});

describe("the contact's own opt-out", () => {
  it("honours opt-out keywords (Arabic forms too) and START, each audited without personal data and shown in the ledger", async () => {
    const waId = nextWaId();
    const { conversationId } = await h.customerWrites(waId);
    const contactId = await contactIdOf(conversationId);
    await call("owner", "POST", `${base}/contacts/${contactId}/consent/entries`, {
      scope: "marketing",
      status: "opted_in",
      source: "web_form",
    });

    const says = async (text: string) => {
      h.sim.sendFromCustomer({ from: waId, type: "text", text, name: "Layla Haddad" });
      await h.sim.flushWebhooks();
    };
    await says("  Stop! ");
    await waitFor(
      () => contactRow(contactId),
      (row) => row.consent_status === "opted_out",
      "keyword opt-out",
    );
    await says("START");
    await waitFor(
      () => contactRow(contactId),
      (row) => row.consent_status === "opted_in",
      "keyword opt-in",
    );
    await says("إلـغاء");
    await waitFor(
      () => contactRow(contactId),
      (row) => row.consent_status === "opted_out",
      "Arabic keyword opt-out",
    );
    await says("please stop calling me");
    await says("ok");
    const inbound = (await h.customerWrites(waId)).messageId;
    expect(inbound).toBeTruthy();

    const consent = await consentOf(contactId);
    expect(consent.marketing).toMatchObject({ status: "opted_out", source: "whatsapp" });
    expect(consent.history.slice(0, 3).map((entry) => [entry.status, entry.source, entry.method, entry.recordedByUserId])).toEqual([
      ["opted_out", "whatsapp", "keyword", null],
      ["opted_in", "whatsapp", "keyword", null],
      ["opted_out", "whatsapp", "keyword", null],
    ]);
    const refused = await call("owner", "POST", `${base}/messages`, marketing({ conversationId }));
    expect((refused.json.error as Json).code).toBe("CONSENT_REQUIRED");

    const audit = await h.db.owner
      .selectFrom("audit_entries")
      .selectAll()
      .where("workspace_id", "=", h.workspaceId)
      .where("action", "=", "contact.consent_changed")
      .where("target_id", "=", contactId)
      .execute();
    expect(audit.length).toBe(4);
    const system = audit.filter((entry) => entry.actor_type === "system");
    expect(system.map((entry) => entry.metadata)).toContainEqual({
      scope: "marketing",
      status: "opted_out",
      previousStatus: "opted_in",
      source: "whatsapp",
      method: "keyword",
    });
    const serialized = JSON.stringify(audit);
    for (const personal of [waId, "Layla", "Haddad", "Stop", "إلـغاء", "الغاء", "START"]) expect(serialized).not.toContain(personal);
    const events = JSON.stringify(await consentEvents(contactId));
    for (const personal of [waId, "Layla", "Stop", "إلـغاء"]) expect(events).not.toContain(personal);
  });

  it("uses the workspace's own keywords, which only Owners and Admins set, stored normalized", async () => {
    const path = `${base}/settings/consent-keywords`;
    const defaults = await call("owner", "GET", path);
    expect(defaults.json).toMatchObject({ isDefault: true, optOut: expect.arrayContaining(["stop", "الغاء"]) });
    expect((await call("agent-a", "GET", path)).status).toBe(403);
    expect((await call("agent-a", "PUT", path, { optOut: ["basta"], optIn: [] })).status).toBe(403);
    const bad = await call("owner", "PUT", path, { optOut: ["basta", "!!"], optIn: ["BASTA"] });
    expect(bad.status).toBe(400);
    expect((bad.json.error as { details: Array<{ path: unknown[] }> }).details.map((detail) => detail.path)).toEqual([
      ["body", "optOut", 1],
      ["body", "optIn", 0],
    ]);
    expect((await call("owner", "PUT", path, { optOut: [], optIn: ["go"] })).status).toBe(400);
    const saved = await call("owner", "PUT", path, { optOut: [" BASTA! ", "إيقاف"], optIn: ["Avanti"] });
    expect(saved.json).toMatchObject({ isDefault: false, optOut: ["basta", "ايقاف"], optIn: ["avanti"] });

    const waId = nextWaId();
    const { conversationId } = await h.customerWrites(waId);
    const contactId = await contactIdOf(conversationId);
    h.sim.sendFromCustomer({ from: waId, type: "text", text: "Basta" });
    await h.sim.flushWebhooks();
    await waitFor(
      () => contactRow(contactId),
      (row) => row.consent_status === "opted_out",
      "custom keyword opt-out",
    );
    // STOP is no longer a keyword of this workspace.
    h.sim.sendFromCustomer({ from: waId, type: "text", text: "avanti" });
    await h.sim.flushWebhooks();
    await waitFor(
      () => contactRow(contactId),
      (row) => row.consent_status === "opted_in",
      "custom keyword opt-in",
    );
    await call("owner", "PUT", path, { optOut: ["stop", "الغاء", "ايقاف"], optIn: ["start"] });
  });

  it("honours Meta's marketing opt-out (user_preferences through the simulator), once per report, and resume", async () => {
    const waId = nextWaId();
    const { conversationId } = await h.customerWrites(waId);
    const contactId = await contactIdOf(conversationId);
    await call("owner", "POST", `${base}/contacts/${contactId}/consent/entries`, {
      scope: "marketing",
      status: "opted_in",
      source: "web_form",
    });

    // The same report twice (a redelivery: same user, value and time): it counts once.
    h.sim.setMarketingPreference(waId, { value: "stop" });
    h.sim.setMarketingPreference(waId, { value: "stop" });
    await h.sim.flushWebhooks();
    await waitFor(
      () => contactRow(contactId),
      (row) => row.consent_status === "opted_out",
      "Meta opt-out",
    );
    await waitFor(
      () =>
        withoutWorkspace(h.db, (trx) =>
          trx
            .selectFrom("inbound_events")
            .select((eb) => eb.fn.countAll<number>().as("count"))
            .where("workspace_id", "=", h.workspaceId)
            .where("processed_at", "is", null)
            .executeTakeFirstOrThrow(),
        ),
      (row) => Number(row.count) === 0,
      "every delivery processed",
    );
    const consent = await consentOf(contactId);
    expect(consent.history[0]).toMatchObject({ scope: "marketing", status: "opted_out", source: "whatsapp", method: "meta_preference" });
    const refused = await call({ apiKey }, "POST", `${base}/messages`, marketing({ conversationId }));
    expect((refused.json.error as Json).code).toBe("CONSENT_REQUIRED");

    expect(consent.history.filter((entry) => entry.method === "meta_preference")).toHaveLength(1);

    h.sim.setMarketingPreference(waId, { value: "resume" });
    await h.sim.flushWebhooks();
    await waitFor(
      () => contactRow(contactId),
      (row) => row.consent_status === "opted_in",
      "Meta resume",
    );
    const history = (await consentOf(contactId)).history.filter((entry) => entry.method === "meta_preference");
    expect(history.map((entry) => entry.status)).toEqual(["opted_in", "opted_out"]);
    const audit = await h.db.owner
      .selectFrom("audit_entries")
      .select(["metadata", "actor_type"])
      .where("workspace_id", "=", h.workspaceId)
      .where("action", "=", "contact.consent_changed")
      .where("target_id", "=", contactId)
      .execute();
    expect(JSON.stringify(audit)).not.toContain(waId);
    expect(audit.filter((entry) => entry.actor_type === "system")).toHaveLength(2);
  });

  it("fails a marketing template Meta accepted for a user who stopped marketing with 131050 (the simulator's side)", async () => {
    const waId = nextWaId();
    const { conversationId } = await h.customerWrites(waId);
    const contactId = await contactIdOf(conversationId);
    await call("owner", "POST", `${base}/contacts/${contactId}/consent/entries`, {
      scope: "marketing",
      status: "opted_in",
      source: "web_form",
    });
    // Stopped in WhatsApp, but Parley has not heard of it yet: Parley sends, Meta fails it.
    h.sim.state.customers.get(waId)!.marketingStopped = true;
    const sent = await call("owner", "POST", `${base}/messages`, marketing({ conversationId }));
    expect(sent.status).toBe(202);
    // Meta accepted it (a wamid), then reported it failed with 131050, as Parley records it.
    const id = (sent.json as { id: string }).id;
    await h.waitForMessage(id, (message) => message.wamid !== null);
    h.sim.settleStatuses();
    await h.sim.flushWebhooks();
    const row = await h.waitForMessage(id, (message) => message.status === "failed");
    expect(row).toMatchObject({ wamid: expect.any(String), error_code: 131050 });
    expect(h.sim.listReceived(waId).find((message) => message.type === "template")?.failure?.code).toBe(131050);
  });
});
