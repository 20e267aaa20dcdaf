import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { seedSandboxTemplates } from "../../src/whatsapp/sandbox.ts";
import { assignTo, startViewHarness, type ViewHarness } from "./conversation-support.ts";

// Templates in the conversation view: a sync reads the WABA's templates (with their components)
// from the simulator's Graph API; the list offers the approved ones with the parameters they need;
// a template send with parameters reaches the simulated customer with the right components, and a
// wrong parameter count or an unapproved template is refused before anything is queued.

let h: ViewHarness;
let base: string;
let conversationId: string;
const waId = "4915200000001";

type Template = {
  name: string;
  language: string;
  status: string;
  parameterFormat: string;
  parameters: { header: unknown; body: string[] } | null;
  components: { body: { text: string } | null } | null;
};

beforeAll(async () => {
  h = await startViewHarness();
  base = `/api/v1/workspaces/${h.workspaceId}`;
  seedSandboxTemplates(h.sim);
  const now = h.sim.clock.now();
  const add = (id: string, record: Partial<Parameters<typeof h.sim.state.templates.set>[1]>) =>
    h.sim.state.templates.set(id, {
      id,
      wabaId: h.sim.state.wabaId,
      name: "x",
      language: "en_US",
      category: "UTILITY",
      parameterFormat: "POSITIONAL",
      components: [],
      status: "APPROVED",
      rejectedReason: undefined,
      createdAt: now,
      ...record,
    });
  add("2000000000000002", {
    name: "appointment",
    parameterFormat: "NAMED",
    components: [{ type: "BODY", text: "Hi {{first_name}}, see you on {{day}}." }],
  });
  add("2000000000000003", { name: "draft_offer", status: "PENDING", components: [{ type: "BODY", text: "Offer {{1}} for you." }] });
  add("2000000000000004", {
    name: "shipping_label",
    components: [
      { type: "HEADER", format: "DOCUMENT" },
      { type: "HEADER", format: "TEXT", text: "ignored second header" },
      { type: "BODY", text: "Your label for {{1}}." },
    ],
  });
  add("2000000000000005", {
    name: "ticket_update",
    components: [
      { type: "HEADER", format: "TEXT", text: "Ticket {{1}}" },
      { type: "BODY", text: "Status: {{1}}. Thanks!" },
    ],
  });
  add("2000000000000006", {
    name: "delivery_window",
    components: [
      { type: "HEADER", format: "TEXT", text: "Delivery {{1}}" },
      { type: "BODY", text: "Hi {{1}},\nyour parcel comes {{2}}." },
      { type: "FOOTER", text: "Reply STOP to opt out" },
      {
        type: "BUTTONS",
        buttons: [
          { type: "URL", text: "Track", url: "https://shop.example.test/track/{{1}}" },
          { type: "QUICK_REPLY", text: "Reschedule" },
        ],
      },
    ],
  });
  ({ conversationId } = await h.customerWrites(waId));
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const templates = (json: Record<string, unknown>) => json.data as Template[];

describe("the template catalogue", () => {
  it("is empty before a sync; only Owners and Admins may sync; a sync is audited", async () => {
    expect(templates((await h.request("owner", "GET", `${base}/templates`)).json)).toEqual([]);
    expect((await h.request("agent-a", "POST", `${base}/templates/sync`, { body: { numberId: h.number.id } })).status).toBe(403);
    expect((await h.request("analyst", "POST", `${base}/templates/sync`, { body: { numberId: h.number.id } })).status).toBe(403);
    const synced = await h.request("owner", "POST", `${base}/templates/sync`, { body: { numberId: h.number.id } });
    expect(synced.status).toBe(200);
    expect(synced.json).toMatchObject({ listed: 6 });
    const audit = await h.db.owner
      .selectFrom("audit_entries")
      .select(["action", "target_id"])
      .where("workspace_id", "=", h.workspaceId)
      .where("action", "=", "templates.synced")
      .execute();
    expect(audit).toEqual([{ action: "templates.synced", target_id: h.number.id }]);
  });

  it("lists approved templates of a number with the parameters they need; every status on request", async () => {
    const listed = await h.request("agent-a", "GET", `${base}/templates?numberId=${h.number.id}`);
    expect(listed.status).toBe(200);
    const byName = new Map(templates(listed.json).map((template) => [template.name, template]));
    expect([...byName.keys()]).toEqual(["appointment", "delivery_window", "order_update", "shipping_label", "ticket_update"]);
    expect(byName.get("order_update")).toMatchObject({
      status: "APPROVED",
      parameterFormat: "POSITIONAL",
      parameters: { header: null, body: ["1", "2"] },
      components: { body: { text: "Hello {{1}}, your order {{2}} is on its way." } },
    });
    expect(byName.get("appointment")).toMatchObject({
      parameterFormat: "NAMED",
      parameters: { header: null, body: ["first_name", "day"] },
    });
    expect(byName.get("shipping_label")!.parameters).toEqual({ header: { kind: "media", format: "DOCUMENT" }, body: ["1"] });
    expect(byName.get("ticket_update")!.parameters).toEqual({ header: { kind: "text", names: ["1"] }, body: ["1"] });
    const all = templates((await h.request("owner", "GET", `${base}/templates?status=all`)).json);
    expect(all.map((template) => template.name)).toContain("draft_offer");
    expect(templates((await h.request("owner", "GET", `${base}/templates?name=order`)).json).map((template) => template.name)).toEqual([
      "order_update",
    ]);
  });

  it("refuses Analysts, other workspaces and unknown numbers", async () => {
    expect((await h.request("analyst", "GET", `${base}/templates`)).status).toBe(403);
    expect((await h.request("outsider", "GET", `${base}/templates`)).status).toBe(404);
    const own = await h.request("outsider", "GET", `/api/v1/workspaces/${h.otherWorkspaceId}/templates?status=ALL`);
    expect(templates(own.json)).toEqual([]);
    expect(
      (await h.request("outsider", "POST", `/api/v1/workspaces/${h.otherWorkspaceId}/templates/sync`, { body: { numberId: h.number.id } }))
        .status,
    ).toBe(404);
    expect((await h.request("owner", "GET", `${base}/templates?numberId=${h.otherWorkspaceId}`)).status).toBe(404);
  });
});

describe("sending a template when the 24-hour window is closed", () => {
  beforeAll(async () => {
    // The customer last wrote 25 hours ago: only templates may go.
    await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .updateTable("conversations")
        .set({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) })
        .where("id", "=", conversationId)
        .execute(),
    );
    await assignTo(h, conversationId, h.users["agent-a"].userId);
  });

  const send = (caller: "owner" | "agent-a" | "agent-b", body: Record<string, unknown>) =>
    h.request(caller, "POST", `${base}/messages`, { body: { conversationId, ...body } });

  it("refuses free-form text, and sends the template with its parameters to the customer", async () => {
    const text = await send("agent-a", { type: "text", text: { body: "hello?" } });
    expect(text.status).toBe(422);
    expect(text.json.error).toMatchObject({ details: { reason: "service_window_closed" } });

    const queued = await send("agent-a", {
      type: "template",
      template: {
        name: "order_update",
        language: "en_US",
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Dana" },
              { type: "text", text: "A-1042" },
            ],
          },
        ],
      },
    });
    expect(queued.status).toBe(202);
    await h.waitForMessage(queued.json.id as string, (row) => row.wamid !== null);
    const received = h.sim.listReceived(waId).filter((message) => message.type === "template");
    expect(received).toHaveLength(1);
    expect(received[0]!.body.template).toEqual({
      name: "order_update",
      language: { code: "en_US" },
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "Dana" },
            { type: "text", text: "A-1042" },
          ],
        },
      ],
    });
  });

  it("refuses a wrong parameter count with a clear 422 and queues nothing", async () => {
    const before = h.sim.listReceived(waId).length;
    const tooFew = await send("agent-a", {
      type: "template",
      template: { name: "order_update", language: "en_US", components: [{ type: "body", parameters: [{ type: "text", text: "Dana" }] }] },
    });
    expect(tooFew.status).toBe(422);
    expect(tooFew.json.error).toMatchObject({
      code: "UNPROCESSABLE",
      message: "The template's body needs 2 parameters; 1 was given.",
      details: { reason: "template_parameters_mismatch", expected: { body: 2 } },
    });
    const none = await send("agent-a", { type: "template", template: { name: "order_update", language: "en_US" } });
    expect(none.status).toBe(422);
    const header = await send("agent-a", {
      type: "template",
      template: { name: "ticket_update", language: "en_US", components: [{ type: "body", parameters: [{ type: "text", text: "open" }] }] },
    });
    expect(header.status).toBe(422);
    expect((header.json.error as { message: string }).message).toMatch(/header needs 1 parameter/);
    const media = await send("agent-a", {
      type: "template",
      template: { name: "shipping_label", language: "en_US", components: [{ type: "body", parameters: [{ type: "text", text: "x" }] }] },
    });
    expect((media.json.error as { message: string }).message).toMatch(/header needs one document parameter/);
    const count = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("messages").select("id").where("type", "=", "template").execute(),
    );
    expect(count).toHaveLength(1);
    expect(h.sim.listReceived(waId).length).toBe(before);
  });

  it("sends header and named parameters as Meta expects them", async () => {
    const ticket = await send("agent-a", {
      type: "template",
      template: {
        name: "ticket_update",
        language: "en_US",
        components: [
          { type: "header", parameters: [{ type: "text", text: "T-7" }] },
          { type: "body", parameters: [{ type: "text", text: "resolved" }] },
        ],
      },
    });
    expect(ticket.status).toBe(202);
    const unnamed = await send("agent-a", {
      type: "template",
      template: {
        name: "appointment",
        language: "en_US",
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Dana" },
              { type: "text", text: "Monday" },
            ],
          },
        ],
      },
    });
    expect(unnamed.status).toBe(422);
    expect((unnamed.json.error as { message: string }).message).toMatch(/named \{\{first_name\}\}, \{\{day\}\}/);
    const named = await send("agent-a", {
      type: "template",
      template: {
        name: "appointment",
        language: "en_US",
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Monday", parameterName: "day" },
              { type: "text", text: "Dana", parameterName: "first_name" },
            ],
          },
        ],
      },
    });
    expect(named.status).toBe(202);
    await h.waitForMessage(named.json.id as string, (row) => row.wamid !== null);
    await h.waitForMessage(ticket.json.id as string, (row) => row.wamid !== null);
    const bodies = h.sim.listReceived(waId).map((message) => message.body.template as { name: string; components: unknown[] });
    expect(bodies.find((body) => body.name === "ticket_update")!.components).toEqual([
      { type: "header", parameters: [{ type: "text", text: "T-7" }] },
      { type: "body", parameters: [{ type: "text", text: "resolved" }] },
    ]);
    expect(bodies.find((body) => body.name === "appointment")!.components).toEqual([
      {
        type: "body",
        parameters: [
          { type: "text", text: "Monday", parameter_name: "day" },
          { type: "text", text: "Dana", parameter_name: "first_name" },
        ],
      },
    ]);
  });

  it("shows the template as the customer received it in the thread and in the inbox preview", async () => {
    const sent = await send("agent-a", {
      type: "template",
      template: {
        name: "delivery_window",
        language: "en_US",
        components: [
          { type: "header", parameters: [{ type: "text", text: "A-1042" }] },
          {
            type: "body",
            parameters: [
              { type: "text", text: "Dana" },
              { type: "dateTime", dateTime: { fallbackValue: "tomorrow 9–11" } },
            ],
          },
          { type: "button", subType: "url", index: 0, parameters: [{ type: "text", text: "A-1042" }] },
        ],
      },
    });
    expect(sent.status).toBe(202);
    await h.waitForMessage(sent.json.id as string, (row) => row.wamid !== null);
    // Meta received the Graph object only: the rendered form stays Parley's.
    const received = h.sim.listReceived(waId).find((message) => (message.body.template as { name: string }).name === "delivery_window");
    expect(Object.keys(received!.body.template as object).sort()).toEqual(["components", "language", "name"]);

    const thread = await h.request("agent-a", "GET", `${base}/conversations/${conversationId}/messages`);
    expect(thread.status).toBe(200);
    const message = (thread.json.data as Array<{ id: string; text: string; content: unknown }>).find((m) => m.id === sent.json.id);
    expect(message!.text).toBe("Hi Dana, your parcel comes tomorrow 9–11.");
    expect(message!.content).toEqual({
      kind: "template",
      name: "delivery_window",
      language: "en_US",
      rendered: {
        header: { kind: "text", text: "Delivery A-1042" },
        body: "Hi Dana,\nyour parcel comes tomorrow 9–11.",
        footer: "Reply STOP to opt out",
        buttons: [
          { type: "url", text: "Track", url: "https://shop.example.test/track/A-1042" },
          { type: "quick_reply", text: "Reschedule", url: null },
        ],
      },
    });
    const inbox = await h.request("agent-a", "GET", `${base}/conversations`);
    const row = (inbox.json.data as Array<{ id: string; lastMessage: { text: string } }>).find((c) => c.id === conversationId);
    expect(row!.lastMessage.text).toBe("Hi Dana, your parcel comes tomorrow 9–11.");
  });

  it("refuses a dynamic link button without its suffix before queueing", async () => {
    const missing = await send("agent-a", {
      type: "template",
      template: {
        name: "delivery_window",
        language: "en_US",
        components: [
          { type: "header", parameters: [{ type: "text", text: "A-1" }] },
          {
            type: "body",
            parameters: [
              { type: "text", text: "Dana" },
              { type: "text", text: "today" },
            ],
          },
        ],
      },
    });
    expect(missing.status).toBe(422);
    expect(missing.json.error).toMatchObject({
      code: "UNPROCESSABLE",
      message: "The template's button 1 link has no value for {{1}}.",
      details: { reason: "template_parameters_mismatch" },
    });
  });

  it("refuses a template that is not approved, and leaves templates Parley has not synced to Meta", async () => {
    const pending = await send("owner", {
      type: "template",
      template: { name: "draft_offer", language: "en_US", components: [{ type: "body", parameters: [{ type: "text", text: "A" }] }] },
    });
    expect(pending.status).toBe(422);
    expect(pending.json.error).toMatchObject({ details: { reason: "template_not_approved", status: "PENDING" } });
    const unknown = await send("owner", { type: "template", template: { name: "never_synced", language: "en_US" } });
    expect(unknown.status).toBe(202);
    const failed = await h.waitForMessage(unknown.json.id as string, (row) => row.status === "failed");
    expect(failed.error_code).toBe(132001);
  });

  it("keeps Agents to their own conversations", async () => {
    const answer = await send("agent-b", {
      type: "template",
      template: {
        name: "order_update",
        language: "en_US",
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "a" },
              { type: "text", text: "b" },
            ],
          },
        ],
      },
    });
    expect(answer.status).toBe(404);
  });
});

describe("a sync refused by Meta's hourly Business Management API budget", () => {
  it("answers 429 with Retry-After and stores nothing, and syncs again once the hour has passed", { timeout: 60_000 }, async () => {
    // The sandbox WABA has a registered number: 5,000 requests an hour (reference §7), a few of
    // them spent by the syncs above. Spend the rest as another client of the same app would,
    // through the simulator's own routes.
    const path = `/v25.0/${h.number.wabaId}/message_templates?limit=1`;
    const headers = { authorization: `Bearer ${h.sim.credentials().accessToken}` };
    let refusal: { code?: number } | undefined;
    for (let spent = 0; spent <= 5_000 && !refusal; spent += 1) {
      const answer = await h.sim.app.inject({ method: "GET", url: path, headers });
      if (answer.statusCode !== 200) refusal = answer.json<{ error: { code?: number } }>().error;
    }
    expect(refusal).toMatchObject({ code: 80007 });
    h.sim.setTemplateReviewOutcome("late_arrival", { event: "APPROVED", reason: "NONE" });
    h.sim.state.templates.set("2000000000000009", {
      id: "2000000000000009",
      wabaId: h.sim.state.wabaId,
      name: "late_arrival",
      language: "en_US",
      category: "UTILITY",
      parameterFormat: "POSITIONAL",
      components: [{ type: "BODY", text: "Your parcel {{1}} arrives today." }],
      status: "APPROVED",
      rejectedReason: undefined,
      createdAt: h.sim.clock.now(),
    });

    const refused = await h.viewApp.inject({
      method: "POST",
      url: `${base}/templates/sync`,
      headers: { authorization: "Bearer owner", "content-type": "application/json" },
      payload: JSON.stringify({ numberId: h.number.id }),
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers["retry-after"]).toBe("3600");
    expect(refused.json()).toMatchObject({
      error: {
        code: "RATE_LIMITED",
        message: expect.stringMatching(/rate limit .* sync again later/) as unknown,
        details: { reason: "graph_rate_limited", code: 80007 },
      },
    });
    const all = () => h.request("owner", "GET", `${base}/templates?status=ALL&name=late_arrival`);
    expect(templates((await all()).json)).toEqual([]);

    h.sim.advanceTime(60 * 60 * 1000);
    const synced = await h.request("owner", "POST", `${base}/templates/sync`, { body: { numberId: h.number.id } });
    expect(synced.status).toBe(200);
    expect(templates((await all()).json).map((template) => template.status)).toEqual(["APPROVED"]);
  });
});

// Last in the file: it moves the simulator's clock past the TTL.
describe("a template's delivery time-to-live", () => {
  const send = (body: Record<string, unknown>) => h.request("owner", "POST", `${base}/messages`, { body: { conversationId, ...body } });
  const pickup = {
    type: "template",
    template: { name: "pickup_code", language: "en_US", components: [{ type: "body", parameters: [{ type: "text", text: "B12" }] }] },
  };
  const delivered = async (messageId: string) => {
    h.sim.settleStatuses();
    await h.sim.flushWebhooks();
    return h.waitForMessage(messageId, (row) => row.status === "delivered" || row.status === "read");
  };

  it("keeps a message to an offline customer at sent past its TTL: Meta drops it with no status, so no delivery shows and no failure is invented", async () => {
    h.sim.state.templates.set("2000000000000009", {
      id: "2000000000000009",
      wabaId: h.sim.state.wabaId,
      name: "pickup_code",
      language: "en_US",
      category: "UTILITY",
      parameterFormat: "POSITIONAL",
      components: [{ type: "BODY", text: "Your parcel waits at locker {{1}}." }],
      status: "APPROVED",
      rejectedReason: undefined,
      createdAt: h.sim.clock.now(),
      messageSendTtlSeconds: 600,
    });
    expect((await h.request("owner", "POST", `${base}/templates/sync`, { body: { numberId: h.number.id } })).status).toBe(200);

    // Back online within the TTL: delivered.
    h.sim.configureCustomer(waId, { reachable: false });
    const inTime = await send(pickup);
    expect(inTime.status).toBe(202);
    await h.waitForMessage(inTime.json.id as string, (row) => row.wamid !== null);
    h.sim.advanceTime(300_000);
    h.sim.configureCustomer(waId, { reachable: true });
    await delivered(inTime.json.id as string);

    // Still offline when the TTL ends: sent, and nothing after it.
    h.sim.configureCustomer(waId, { reachable: false });
    const late = await send(pickup);
    expect(late.status).toBe(202);
    await h.waitForMessage(late.json.id as string, (row) => row.wamid !== null);
    h.sim.settleStatuses();
    await h.sim.flushWebhooks();
    await h.waitForMessage(late.json.id as string, (row) => row.status === "sent");
    h.sim.advanceTime(601_000);
    h.sim.configureCustomer(waId, { reachable: true });
    // A later message delivered shows every status up to now was processed.
    const after = await send(pickup);
    await h.waitForMessage(after.json.id as string, (row) => row.wamid !== null);
    await delivered(after.json.id as string);
    expect(await h.message(late.json.id as string)).toMatchObject({ status: "sent", error_code: null });
  });
});
