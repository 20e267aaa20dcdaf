import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeWireJson, signWebhookBody } from "../../sim/index.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { contactRoutes } from "../../src/features/contacts/routes.ts";
import { conversationRoutes } from "../../src/features/conversations/routes.ts";
import { loadNumberCredentials } from "../../src/features/numbers/repository.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { Authenticator } from "../../src/identity/auth-context.ts";
import { numberEventsRoute } from "../../src/features/numbers/events-routes.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createWorker, type Worker } from "../../src/jobs/queue.ts";
import { createMemoryGovernor } from "../../src/whatsapp/governor/memory.ts";
import { sendRoutes } from "../../src/features/messages/routes.ts";
import {
  createReconcileHandler,
  createSendHandler,
  reconcileSendJob,
  sendMessageJob,
  type SendWorkerOptions,
} from "../../src/features/messages/worker.ts";
import { INBOUND_QUEUE } from "../../src/whatsapp/webhook/store.ts";
import { countRows, startChannelHarness, type ChannelHarness } from "./support.ts";

// Meta's documented examples and captured payloads (fixtures/meta), each posted signed over HTTP to
// the real webhook endpoint, processed by the real worker into a real database, then read back
// through the API: every payload is kept and shown, none is answered 200 and forgotten.

const FIXTURE_WABA = "102290129340398";
const FIXTURE_PHONE_NUMBER_ID = "1122334455667";
const CUSTOMER = "+15550001234";

let h: ChannelHarness;
let api: FastifyInstance;
let apiUrl: string;
let appSecret: string;

type Json = Record<string, unknown>;
type ThreadMessage = { id: string; type: string; text: string | null; content: (Json & { kind: string }) | null };

beforeAll(async () => {
  h = await startChannelHarness();
  const credentials = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    loadNumberCredentials(trx, h.services.keyring, h.workspaceId, h.number.id),
  );
  appSecret = credentials!.appSecret;
  const authenticate: Authenticator = async (request) => (request.headers.authorization === "Bearer test-owner" ? h.caller : null);
  api = await createHttpApp({
    services: h.services,
    routes: [...conversationRoutes, ...contactRoutes, ...sendRoutes, numberEventsRoute],
    authenticate,
  });
  await api.listen({ host: "127.0.0.1", port: 0 });
  const address = api.server.address();
  apiUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}, 60_000);
afterAll(async () => {
  await api.close();
  await h.close();
});

/** A fixture as Meta would send it to this number: its ids, Meta's wire bytes (compact, \u-escaped, \/). */
function fixture(name: string, mutate?: (payload: Json) => void): string {
  const text = readFileSync(new URL(`./fixtures/meta/${name}.json`, import.meta.url), "utf8")
    .replaceAll(FIXTURE_WABA, h.number.wabaId)
    .replaceAll(FIXTURE_PHONE_NUMBER_ID, h.number.phoneNumberId);
  const payload = JSON.parse(text) as Json;
  mutate?.(payload);
  return serializeWireJson(payload);
}

async function deliver(body: string): Promise<void> {
  const response = await fetch(h.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signWebhookBody(appSecret, body) },
    body,
  });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  await waitForInbound();
}

/** Until the inbound jobs are done (a reply's send job stays queued: no send worker runs here). */
async function waitForInbound(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await withoutWorkspace(h.db, (trx) =>
      trx
        .selectFrom("jobs")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("queue", "=", INBOUND_QUEUE)
        .where("status", "in", ["pending", "running"])
        .executeTakeFirstOrThrow(),
    );
    if (Number(open.count) === 0) return;
    if (Date.now() > deadline) throw new Error(`inbound jobs still open after ${timeoutMs} ms`);
    await delay(20);
  }
}

async function get<T = Json>(path: string): Promise<T> {
  const response = await fetch(`${apiUrl}/api/v1/workspaces/${h.workspaceId}${path}`, { headers: { authorization: "Bearer test-owner" } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function conversationOf(phone: string): Promise<string> {
  const page = await get<{ data: Array<{ id: string }> }>(`/conversations?phone=${encodeURIComponent(phone)}`);
  expect(page.data).toHaveLength(1);
  return page.data[0]!.id;
}

async function thread(conversationId: string): Promise<ThreadMessage[]> {
  return (await get<{ data: ThreadMessage[] }>(`/conversations/${conversationId}/messages?limit=500`)).data;
}

/** A send worker (with the real simulator as Graph) for the tests that follow a reply out. */
function startSendWorker(): Worker {
  const settings: SendWorkerOptions = {
    governor: createMemoryGovernor(),
    backoff: { baseMs: 20, maxMs: 200, pairBaseMs: 20 },
    graphTimeoutMs: 3_000,
  };
  const worker = createWorker({
    db: h.db,
    jobs: [
      bindJob(sendMessageJob, createSendHandler(h.services, settings)),
      bindJob(reconcileSendJob, createReconcileHandler(h.services, settings)),
    ],
    concurrency: 2,
    pollIntervalMs: 10,
    visibilityTimeoutMs: 60_000,
    backoff: { baseMs: 10, maxMs: 50 },
    stopTimeoutMs: 2_000,
    logger: h.services.logger,
  });
  worker.start();
  return worker;
}

async function waitForMessage(
  messageId: string,
  predicate: (row: { status: string; wamid: string | null }) => boolean,
  timeoutMs = 15_000,
): Promise<{ status: string; wamid: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("messages").select(["status", "wamid"]).where("id", "=", messageId).executeTakeFirstOrThrow(),
    );
    if (predicate(row)) return row;
    if (Date.now() > deadline) throw new Error(`message stuck at ${row.status}`);
    await delay(20);
  }
}

/** The message's timestamp moved to now: replies need an open customer service window. */
function now(payload: Json): void {
  const value = (payload.entry as Array<{ changes: Array<{ value: { messages: Array<Json> } }> }>)[0]!.changes[0]!.value;
  for (const message of value.messages) message.timestamp = String(Math.floor(Date.now() / 1000));
}

describe("Meta's inbound message types", () => {
  it("stores every documented type and shows it through the thread API as structured content, never null", async () => {
    for (const name of [
      "text",
      "location",
      "contacts",
      "order",
      "interactive-button-reply",
      "interactive-list-reply",
      "interactive-nfm-reply",
      "button",
      "unsupported",
      "unknown-type",
    ]) {
      await deliver(fixture(name));
    }
    const messages = await thread(await conversationOf(CUSTOMER));
    const byKind = (kind: string) => messages.filter((message) => message.content?.kind === kind);
    expect(messages.every((message) => message.content !== null)).toBe(true);

    expect(byKind("text")[0]?.content).toEqual({ kind: "text", body: "Body Text" });
    expect(byKind("location")[0]?.content).toEqual({
      kind: "location",
      latitude: 37.4611978,
      longitude: -122.2164385,
      name: "Facebook HQ",
      address: "1 Hacker Way, Menlo Park, CA 94025",
      url: "https://maps.google.com/?cid=2000000000000000000",
    });
    const shared = byKind("contacts")[0]!;
    expect(shared.content).toMatchObject({
      kind: "contacts",
      contacts: [
        { name: "Chandler Bing", phones: [{ phone: "+1 555-000-5555", waId: "15550005555", type: "CELL" }] },
        { name: "Monica", phones: [{ phone: "+1 555-000-6666", type: "HOME" }] },
        { name: "Rachel Green", phones: [{ phone: "+1 555-000-7777", type: "WORK" }] },
      ],
    });
    expect(shared.text).toBe("3 contacts");
    expect(byKind("order")[0]?.content).toEqual({
      kind: "order",
      catalogId: "354160437058781",
      text: "",
      items: [
        { productRetailerId: "HAMBURGER", quantity: 3, itemPrice: 30, currency: "ILS" },
        { productRetailerId: "FRENCH_FRIES", quantity: 2, itemPrice: 35, currency: "ILS" },
        { productRetailerId: "SODA", quantity: 2, itemPrice: 10, currency: "ILS" },
      ],
    });
    expect(byKind("reply").map((message) => message.content)).toEqual(
      expect.arrayContaining([
        { kind: "reply", replyType: "button_reply", id: "callback_data", title: "title", description: null },
        {
          kind: "reply",
          replyType: "list_reply",
          id: "priority_express",
          title: "Priority Mail Express",
          description: "Next Day to 2 Days",
        },
      ]),
    );
    // The flow's answers, without Parley's own correlation token.
    expect(byKind("flow_reply")[0]?.content).toEqual({
      kind: "flow_reply",
      name: "flow",
      body: "Sent",
      response: { comment_text: "Comment Text", delivery_rating: "4", purchase_rating: "2" },
    });
    expect(byKind("button")[0]?.content).toEqual({ kind: "button", text: "Unsubscribe", payload: "Unsubscribe" });
    // Meta's `unsupported` message and a type Parley does not know yet: kept, shown with their type.
    expect(byKind("unsupported").map((message) => message.content)).toEqual(
      expect.arrayContaining([
        { kind: "unsupported", type: "unsupported", errors: [{ code: 131051, title: "Message type unknown" }] },
        { kind: "unsupported", type: "edit", errors: [] },
      ]),
    );
    expect(messages.find((message) => message.type === "edit")?.text).toBe("Unsupported message (edit)");
  });

  it("a reaction with an empty emoji removes the earlier reaction instead of adding an empty message, and a redelivered reaction does not bring it back", async () => {
    await deliver(fixture("reaction"));
    const conversationId = await conversationOf(CUSTOMER);
    const reactions = (await thread(conversationId)).filter((message) => message.type === "reaction");
    expect(reactions.map((message) => message.content)).toEqual([{ kind: "reaction", emoji: "😮", messageWamid: "wamid.fixture.text" }]);

    await deliver(fixture("reaction-removed"));
    expect((await thread(conversationId)).filter((message) => message.type === "reaction")).toEqual([]);
    // A late redelivery of the removed reaction is a duplicate of nothing: it comes back only as itself.
    const removal = fixture("reaction-removed");
    await deliver(removal);
    expect((await thread(conversationId)).filter((message) => message.type === "reaction")).toEqual([]);
    // Meta redelivers the reaction itself after its removal was applied: it stays removed.
    await deliver(fixture("reaction"));
    expect((await thread(conversationId)).filter((message) => message.type === "reaction")).toEqual([]);
  });

  it("applies only a reaction event newer than the latest applied, whatever order they arrive in", async () => {
    const target = "wamid.fixture.location";
    const reactionAt = (id: string, timestamp: number, emoji: string) =>
      fixture("reaction", (payload) => {
        const message = (payload.entry as Array<{ changes: Array<{ value: { messages: Json[] } }> }>)[0]!.changes[0]!.value.messages[0]!;
        Object.assign(message, { id, timestamp: String(timestamp), reaction: { message_id: target, emoji } });
      });
    const conversationId = await conversationOf(CUSTOMER);
    const reactionsTo = async () =>
      (await thread(conversationId))
        .filter((message) => message.type === "reaction" && message.content?.messageWamid === target)
        .map((message) => message.content?.emoji);

    // The removal (t=2000) arrives before the reaction it removed (t=1000): nothing is shown.
    await deliver(reactionAt("wamid.order.removed", 1_697_002_000, ""));
    await deliver(reactionAt("wamid.order.thumbs", 1_697_001_000, "👍"));
    expect(await reactionsTo()).toEqual([]);
    // A newer reaction (t=3000) shows; an older one (t=2500) arriving after it does not replace it.
    await deliver(reactionAt("wamid.order.heart", 1_697_003_000, "❤️"));
    await deliver(reactionAt("wamid.order.wow", 1_697_002_500, "😮"));
    expect(await reactionsTo()).toEqual(["❤️"]);
    // Redeliveries of any of them change nothing.
    for (const [id, at, emoji] of [
      ["wamid.order.thumbs", 1_697_001_000, "👍"],
      ["wamid.order.removed", 1_697_002_000, ""],
      ["wamid.order.heart", 1_697_003_000, "❤️"],
    ] as const) {
      await deliver(reactionAt(id, at, emoji));
    }
    expect(await reactionsTo()).toEqual(["❤️"]);
    // A removal at the same second as the reaction it follows wins, in either order.
    await deliver(reactionAt("wamid.order.unheart", 1_697_003_000, ""));
    expect(await reactionsTo()).toEqual([]);
    await deliver(reactionAt("wamid.order.heart", 1_697_003_000, "❤️"));
    expect(await reactionsTo()).toEqual([]);
    // Exactly one record of the latest event per user and message, marked removed.
    const latest = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("reaction_events")
        .select(["event_wamid", "removed"])
        .where("workspace_id", "=", h.workspaceId)
        .where("target_wamid", "=", target)
        .execute(),
    );
    expect(latest).toEqual([{ event_wamid: "wamid.order.unheart", removed: true }]);
  });
});

describe("errors Meta reports", () => {
  it("records value-level errors and failed statuses' errors against the number, counts them once each and shows them in the number's events", async () => {
    const before = await get<{ errorCount: number }>(`/numbers/${h.number.id}/events`);
    const valueErrors = fixture("value-errors");
    await deliver(valueErrors);
    await deliver(fixture("status-failed"));
    // Meta retries: the same delivery again records nothing new.
    await deliver(valueErrors);

    const view = await get<{ errorCount: number; events: Array<Json> }>(`/numbers/${h.number.id}/events`);
    expect(view.errorCount).toBe(before.errorCount + 2);
    expect(view.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "webhook_error",
          code: 131000,
          title: "Something went wrong",
          detail: "Unsupported webhook payload",
          field: "messages",
        }),
        expect.objectContaining({
          kind: "status_error",
          code: 130472,
          title: "User's number is part of an experiment",
          field: "failed",
          wamid: "wamid.fixture.outbound1",
        }),
        expect.objectContaining({ kind: "message_error", code: 131051, title: "Message type unknown", wamid: "wamid.fixture.unsupported" }),
      ]),
    );
    // The message that came with the value-level error is kept too, shown as what it is.
    const interactive = (await thread(await conversationOf(CUSTOMER))).filter(
      (message) => message.content?.kind === "unsupported" && message.content.type === "interactive",
    );
    expect(interactive).toHaveLength(1);
  });

  it("keeps a change of a field Parley does not apply (its value encrypted) and shows it as unsupported with its field", async () => {
    await deliver(fixture("unknown-field"));
    const view = await get<{ unsupportedCount: number; events: Array<Json> }>(`/numbers/${h.number.id}/events`);
    expect(view.unsupportedCount).toBeGreaterThanOrEqual(1);
    expect(view.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "unsupported_field", field: "account_update", title: "Unsupported webhook field: account_update" }),
      ]),
    );
    const stored = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("number_events")
        .select("payload_ciphertext")
        .where("workspace_id", "=", h.workspaceId)
        .where("field", "=", "account_update")
        .executeTakeFirstOrThrow(),
    );
    expect(stored.payload_ciphertext).toMatch(/^pv1\./);
    expect(stored.payload_ciphertext).not.toContain("RESTRICTED_BIZ_INITIATED_MESSAGING");
  });
});

describe("template webhooks", () => {
  async function template(name: string) {
    return withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("templates")
        .select(["status", "reason", "category", "quality_score", "meta_template_id", "meta_details"])
        .where("workspace_id", "=", h.workspaceId)
        .where("name", "=", name)
        .executeTakeFirstOrThrow(),
    );
  }

  it("applies a status update in Meta's documented envelope without `object` and keeps rejection_info", async () => {
    await deliver(fixture("template-status-rejected"));
    const row = await template("abandoned_cart");
    expect(row).toMatchObject({
      status: "REJECTED",
      reason: "INVALID_FORMAT",
      category: "MARKETING",
      meta_template_id: "1689556908129835",
    });
    expect(row.meta_details).toMatchObject({
      status: {
        reason: "INVALID_FORMAT",
        rejection_info: {
          reason: "Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.",
          recommendation: "Separate parameters with descriptive text and ensure each parameter is clearly contextualized.",
        },
      },
    });
  });

  it("keeps other_info, the category change, the quality score and the components update of a template", async () => {
    for (const name of ["template-status-paused", "template-category-update", "template-quality-update", "template-components-update"])
      await deliver(fixture(name));
    const row = await template("welcome_template");
    expect(row).toMatchObject({ status: "PAUSED", category: "MARKETING", quality_score: "YELLOW" });
    expect(row.meta_details).toMatchObject({
      status: { other_info: { title: "FIRST_PAUSE" } },
      category: { previous_category: "UTILITY", new_category: "MARKETING" },
      quality: { previous_quality_score: "GREEN", new_quality_score: "YELLOW" },
      components: {
        message_template_element: "Hi {{1}}! Welcome to our service.",
        message_template_title: "Welcome",
        message_template_footer: "Lucky Shrub",
      },
    });
  });
});

describe("senders known by a business-scoped user id", () => {
  it("keeps a message from a username (BSUID, no phone), keyed by the BSUID, and answers it by `recipient` until delivered", async () => {
    const contactsBefore = await countRows(h, "contacts");
    const body = fixture("bsuid-only", now);
    await deliver(body);
    await deliver(body);
    expect(await countRows(h, "contacts")).toBe(contactsBefore + 1);

    const stored = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("contacts")
        .select(["id", "phone_ciphertext", "user_id_index", "wa_user_id_ciphertext"])
        .where("workspace_id", "=", h.workspaceId)
        .where("phone_index", "is", null)
        .executeTakeFirstOrThrow(),
    );
    expect(stored.phone_ciphertext).toBeNull();
    expect(stored.user_id_index).toMatch(/^[0-9a-f]{16}$/);
    expect(stored.wa_user_id_ciphertext).toMatch(/^pv1\./);

    const contact = await get<{ phone: string | null; whatsappName: string | null }>(`/contacts/${stored.id}`);
    expect(contact).toMatchObject({ phone: null, whatsappName: "Username User" });
    const inbox = await get<{ data: Array<{ id: string; contact: { id: string }; window: { open: boolean } }> }>("/conversations");
    const conversation = inbox.data.find((item) => item.contact.id === stored.id)!;
    expect(conversation.window.open).toBe(true);
    expect((await thread(conversation.id)).map((message) => message.content)).toEqual([{ kind: "text", body: "Hello from a username" }]);

    const reply = await fetch(`${apiUrl}/api/v1/workspaces/${h.workspaceId}/messages`, {
      method: "POST",
      headers: { authorization: "Bearer test-owner", "content-type": "application/json" },
      body: JSON.stringify({ conversationId: conversation.id, type: "text", text: { body: "Hello back" } }),
    });
    expect(reply.status).toBe(202);
    const queued = (await reply.json()) as { id: string; status: string };
    expect(queued.status).toBe("queued");

    // The same user writes again through the simulator, still without a phone: the contact is found
    // by the BSUID, and the simulator knows them (and their open window) when the reply goes out.
    const { wamid: again } = h.sim.sendFromCustomer({
      userId: "US.13491208655302741918",
      name: "Username User",
      type: "text",
      text: "Hello again from a username",
    });
    await h.sim.flushWebhooks();
    await waitForInbound();
    expect(await countRows(h, "contacts")).toBe(contactsBefore + 1);
    expect((await thread(conversation.id)).map((message) => message.content)).toEqual(
      expect.arrayContaining([
        { kind: "text", body: "Hello from a username" },
        { kind: "text", body: "Hello again from a username" },
      ]),
    );
    expect(h.sim.listSent("US.13491208655302741918").map((message) => message.message)).toEqual([
      expect.not.objectContaining({ from: expect.anything() as unknown }),
    ]);
    expect(again).toMatch(/^wamid\./);

    // The reply goes out by `recipient`, and its status webhooks (naming only recipient_user_id)
    // bring it to delivered.
    const sender = startSendWorker();
    try {
      const sent = await waitForMessage(queued.id, (row) => row.wamid !== null);
      expect(h.sim.listReceived("US.13491208655302741918").map((message) => message.body)).toEqual([
        expect.objectContaining({ recipient: "US.13491208655302741918", type: "text", text: { body: "Hello back" } }),
      ]);
      expect(h.sim.listReceived("US.13491208655302741918")[0]!.body).not.toHaveProperty("to");
      h.sim.advanceStatuses({ wamid: sent.wamid!, to: "delivered" });
      await h.sim.flushWebhooks();
      const statuses = h.sim
        .listWebhookDeliveries()
        .flatMap((delivery) =>
          (JSON.parse(delivery.body) as { entry: Array<{ changes: Array<{ value: { statuses?: Json[] } }> }> }).entry.flatMap((entry) =>
            entry.changes.flatMap((change) => change.value.statuses ?? []),
          ),
        )
        .filter((status) => status.id === sent.wamid);
      expect(statuses.map((status) => [status.status, status.recipient_user_id, status.recipient_id])).toEqual([
        ["sent", "US.13491208655302741918", undefined],
        ["delivered", "US.13491208655302741918", undefined],
      ]);
      expect((await waitForMessage(queued.id, (row) => row.status === "delivered")).status).toBe("delivered");
    } finally {
      await sender.stop(2_000);
    }

    // When WhatsApp later shares the phone with the BSUID, the same contact gains it.
    await deliver(
      fixture("bsuid-only", (payload) => {
        now(payload);
        const value = (payload.entry as Array<{ changes: Array<{ value: { contacts: Json[]; messages: Json[] } }> }>)[0]!.changes[0]!.value;
        value.contacts[0]!.wa_id = "15550002222";
        value.messages[0]!.from = "15550002222";
        value.messages[0]!.id = "wamid.fixture.bsuid.2";
      }),
    );
    expect(await countRows(h, "contacts")).toBe(contactsBefore + 1);
    expect(await get<{ phone: string | null }>(`/contacts/${stored.id}`)).toMatchObject({ phone: "+15550002222" });
  });
});

describe("a user changes their number", () => {
  it("moves the contact to the new wa_id with its history, and audits the move without personal data", async () => {
    const conversationId = await conversationOf(CUSTOMER);
    const contactId = (await get<{ contact: { id: string } }>(`/conversations/${conversationId}`)).contact.id;
    const history = (await thread(conversationId)).length;

    await deliver(fixture("system-user-changed-number"));
    expect((await get<{ data: unknown[] }>(`/conversations?phone=${encodeURIComponent(CUSTOMER)}`)).data).toEqual([]);
    const moved = await conversationOf("+15550004321");
    expect(moved).toBe(conversationId);
    expect((await get<{ contact: { id: string; phone: string } }>(`/conversations/${moved}`)).contact).toMatchObject({
      id: contactId,
      phone: "+15550004321",
    });
    const messages = await thread(moved);
    expect(messages).toHaveLength(history + 1);
    expect(messages.find((message) => message.type === "system")?.content).toMatchObject({
      kind: "system",
      systemType: "user_changed_number",
    });

    const audit = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("audit_entries")
        .selectAll()
        .where("workspace_id", "=", h.workspaceId)
        .where("action", "=", "contact.number_changed")
        .execute(),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: "system", target_type: "contact", target_id: contactId });
    expect(JSON.stringify(audit[0])).not.toMatch(/5550001234|5550004321/);

    // A redelivery moves nothing again and audits nothing more.
    await deliver(fixture("system-user-changed-number"));
    const again = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("audit_entries")
        .select("seq")
        .where("workspace_id", "=", h.workspaceId)
        .where("action", "=", "contact.number_changed")
        .execute(),
    );
    expect(again).toHaveLength(1);
  });

  it("logs no phone number or message text from any of these payloads", () => {
    const logs = h.logs.text();
    for (const secret of [
      "5550001234",
      "5550004321",
      "Body Text",
      "Hello from a username",
      "Hello again from a username",
      "Hello back",
      "US.13491208655302741918",
      "Chandler",
    ])
      expect(logs).not.toContain(secret);
  });
});
