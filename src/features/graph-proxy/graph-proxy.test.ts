import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GraphApiError, WhatsAppClient } from "@kapso/whatsapp-cloud-api";
import { Client as GreatDetailClient, MessageType } from "@great-detail/whatsapp";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace, withoutWorkspace } from "../../db/with-workspace.ts";
import { createHttpApp } from "../../http/app.ts";
import { createAuthenticator } from "../../identity/authenticator.ts";
import { permissionsOf } from "../../identity/permissions.ts";
import { createLocalBlobStore } from "../../blob/local.ts";
import { conversationRoutes } from "../conversations/routes.ts";
import { fetchInboundMedia } from "../messages/media/fetch.ts";
import { mediaRoutes } from "../messages/media/routes.ts";
import { createApiKey } from "../api-keys/service.ts";
import { createWorkspace } from "../../../test/whatsapp/support.ts";
import { startSendHarness, type SendHarness } from "../../../test/whatsapp/send-support.ts";
import { seedNumber } from "../../../test/support/workspace-fixtures.ts";
import { createGraphProxyRoutes, graphPathRewrite } from "./routes.ts";

// The Graph-compatible proxy, proved with two maintained third-party Cloud API clients
// (@kapso/whatsapp-cloud-api and @great-detail/whatsapp) whose base URL points at Parley instead
// of graph.facebook.com. Everything runs over real HTTP: the clients → Parley's proxy → Parley's
// send path (outbox, worker, governor) → the real simulator. Each send answers with the wamid the
// simulator gave, the customer receives it, and the message shows in the conversation as Parley's
// own API lists it. Nothing in the clients is replaced; they use the global fetch.

let h: SendHarness;
let proxy: FastifyInstance;
let proxyUrl: string;
let apiKey: string;
let otherWorkspaceNumber: string;
let otherWorkspace: string;
let blobRoot: string;
let seq = 0;
const nextPhone = () => `4915113${String(100_000 + seq++).padStart(6, "0")}`;

async function createMember(workspaceId: string): Promise<string> {
  const userId = randomUUID();
  await withoutWorkspace(h.db, (trx) =>
    trx
      .insertInto("users")
      .values({ id: userId, email: `proxy-${userId}@example.test`, password_hash: "not-a-hash" })
      .execute(),
  );
  await withWorkspace(h.db, { workspaceId }, (trx) =>
    trx.insertInto("memberships").values({ workspace_id: workspaceId, user_id: userId, role: "owner" }).execute(),
  );
  return userId;
}

async function keyFor(workspaceId: string, scopes: Parameters<typeof createApiKey>[2]["scopes"]): Promise<string> {
  const userId = await createMember(workspaceId);
  const caller = {
    workspaceId,
    userId,
    role: "owner" as const,
    permissions: permissionsOf("owner"),
    audit: { type: "user" as const, id: userId },
    ip: null,
    userAgent: null,
  };
  return (await withWorkspace(h.db, { workspaceId }, (trx) => createApiKey(trx, caller, { name: "graph proxy", scopes }))).key;
}

beforeAll(async () => {
  h = await startSendHarness();
  blobRoot = await mkdtemp(join(tmpdir(), "parley-graph-proxy-"));
  h.services.blobs = createLocalBlobStore(blobRoot);
  proxy = await createHttpApp({
    services: h.services,
    routes: [...createGraphProxyRoutes({ outcomeWaitMs: 10_000 }), ...conversationRoutes, ...mediaRoutes],
    authenticate: createAuthenticator(h.services),
    rewriteUrl: graphPathRewrite,
  });
  await proxy.listen({ host: "127.0.0.1", port: 0 });
  const address = proxy.server.address();
  proxyUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  // Media links the proxy hands out point at Parley's public URL: here, the proxy's own listener.
  h.services.config.http.publicUrl = proxyUrl;
  apiKey = await keyFor(h.workspaceId, ["messages.send", "conversations.read_assigned", "conversations.read_all"]);
  otherWorkspace = await createWorkspace(h.services);
  otherWorkspaceNumber = `9${Date.now() % 1_000_000_000}`;
  await seedNumber(h.services, otherWorkspace, { phoneNumberId: otherWorkspaceNumber });
  h.sim.state.templates.set("9101", {
    id: "9101",
    wabaId: h.sim.credentials().wabaId,
    name: "order_update",
    language: "en_US",
    category: "UTILITY",
    parameterFormat: "POSITIONAL",
    components: [{ type: "BODY", text: "Hi {{1}}, order {{2}} shipped." }],
    status: "APPROVED",
    rejectedReason: undefined,
    createdAt: Date.now(),
  });
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await h?.close();
  if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
});

/** The thread of the conversation with `waId`, as Parley's API lists it to the same API key. */
async function thread(waId: string): Promise<{ direction: string; type: string; text: string | null; status: string }[]> {
  const conversation = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx
      .selectFrom("messages")
      .select("conversation_id")
      .where("workspace_id", "=", h.workspaceId)
      .where(
        "wamid",
        "in",
        h.sim.listReceived(waId).map((m) => m.wamid),
      )
      .executeTakeFirstOrThrow(),
  );
  const response = await fetch(`${proxyUrl}/api/v1/workspaces/${h.workspaceId}/conversations/${conversation.conversation_id}/messages`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: { direction: string; type: string; text: string | null; status: string }[] };
  return body.data;
}

function kapso(options: { baseUrl?: string; key?: string } = {}): WhatsAppClient {
  return new WhatsAppClient({ baseUrl: options.baseUrl ?? proxyUrl, graphVersion: "v25.0", accessToken: options.key ?? apiKey });
}

describe("@kapso/whatsapp-cloud-api against the proxy (Graph's unprefixed paths)", () => {
  it("sends text to a customer who wrote: the wamid comes back, the customer has it, the conversation shows it", async () => {
    const waId = nextPhone();
    await h.customerWrites(waId);
    const answer = await kapso().messages.sendText({
      phoneNumberId: h.number.phoneNumberId,
      to: `+${waId}`,
      body: "Hello through the proxy",
    });
    expect(answer).toMatchObject({ messagingProduct: "whatsapp", contacts: [{ input: `+${waId}`, waId }] });
    const wamid = answer.messages[0]!.id;
    expect(wamid).toMatch(/^wamid\./);
    expect(h.sim.listReceived(waId).find((m) => m.wamid === wamid)).toMatchObject({
      type: "text",
      body: { text: { body: "Hello through the proxy" } },
    });
    const messages = await thread(waId);
    expect(messages.find((m) => m.direction === "out")).toMatchObject({
      type: "text",
      text: "Hello through the proxy",
      status: "accepted",
    });
  });

  it("sends a template to a number that never wrote (message_status accepted), reads the templates", async () => {
    const waId = nextPhone();
    const answer = await kapso().messages.sendTemplate({
      phoneNumberId: h.number.phoneNumberId,
      to: waId,
      template: {
        name: "order_update",
        language: { code: "en_US" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Jessica" },
              { type: "text", text: "SKBUP2" },
            ],
          },
        ],
      },
    });
    expect(answer.messages[0]).toMatchObject({ id: expect.stringMatching(/^wamid\./) as unknown, messageStatus: "accepted" });
    expect(h.sim.listReceived(waId)[0]!.body.template).toMatchObject({ name: "order_update", language: { code: "en_US" } });
    expect((await thread(waId)).map((m) => m.type)).toEqual(["template"]);
  });

  it("shows a synced template sent through the proxy as the customer read it", async () => {
    const { syncTemplates } = await import("../templates/sync.ts");
    await syncTemplates(h.services, h.workspaceId, h.number.id);
    const waId = nextPhone();
    await kapso().messages.sendTemplate({
      phoneNumberId: h.number.phoneNumberId,
      to: waId,
      template: {
        name: "order_update",
        language: { code: "en_US" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Jessica" },
              { type: "text", text: "SKBUP2" },
            ],
          },
        ],
      },
    });
    const [message] = (await thread(waId)) as Array<{ text: string | null; content?: unknown }>;
    expect(message!.text).toBe("Hi Jessica, order SKBUP2 shipped.");
    expect(message!.content).toMatchObject({ kind: "template", rendered: { body: "Hi Jessica, order SKBUP2 shipped.", buttons: [] } });
    expect(h.sim.listReceived(waId)[0]!.body.template).not.toHaveProperty("parley_rendered");
  });

  it("uploads media, reads its Parley URL, downloads it, sends it by id and deletes it", async () => {
    const waId = nextPhone();
    await h.customerWrites(waId);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7]);
    const client = kapso();
    const uploaded = await client.media.upload({
      phoneNumberId: h.number.phoneNumberId,
      type: "image/png",
      file: new Blob([png], { type: "image/png" }),
      fileName: "logo.png",
    });
    expect(uploaded.id).toMatch(/^\d+$/);
    const info = await client.media.get({ mediaId: uploaded.id, phoneNumberId: h.number.phoneNumberId });
    expect(info).toMatchObject({
      messagingProduct: "whatsapp",
      mimeType: "image/png",
      sha256: createHash("sha256").update(png).digest("hex"),
      id: uploaded.id,
    });
    // Parley's host, never Meta's (the client sends its bearer key wherever this points).
    expect(info.url.startsWith(`${proxyUrl}/graph/media/`)).toBe(true);
    const bytes = await client.media.download({ mediaId: uploaded.id, phoneNumberId: h.number.phoneNumberId, auth: "always" });
    expect(Buffer.from(bytes as ArrayBuffer)).toEqual(png);

    const sent = await client.messages.sendImage({
      phoneNumberId: h.number.phoneNumberId,
      to: `+${waId}`,
      image: { id: uploaded.id, caption: "Our logo" },
    });
    const wamid = sent.messages[0]!.id;
    expect(h.sim.listReceived(waId).find((m) => m.wamid === wamid)).toMatchObject({
      type: "image",
      body: { image: { id: uploaded.id, caption: "Our logo" } },
    });
    expect((await thread(waId)).filter((m) => m.direction === "out").map((m) => m.type)).toEqual(["image"]);

    expect(await client.media.delete({ mediaId: uploaded.id, phoneNumberId: h.number.phoneNumberId })).toEqual({ success: true });
    expect(h.sim.state.media.get(uploaded.id)?.deleted).toBe(true);
  });

  it("sends interactive buttons and a list, reacts, and marks the customer's message read", async () => {
    const waId = nextPhone();
    const inbound = await h.customerWrites(waId);
    const client = kapso();
    const buttons = await client.messages.sendInteractiveButtons({
      phoneNumberId: h.number.phoneNumberId,
      to: `+${waId}`,
      bodyText: "Reschedule?",
      buttons: [
        { id: "change", title: "Change" },
        { id: "cancel", title: "Cancel" },
      ],
    });
    const list = await client.messages.sendInteractiveList({
      phoneNumberId: h.number.phoneNumberId,
      to: `+${waId}`,
      bodyText: "Which shipping option?",
      buttonText: "Shipping",
      sections: [{ title: "Fast", rows: [{ id: "express", title: "Express", description: "Next day" }] }],
    });
    const reaction = await client.messages.sendReaction({
      phoneNumberId: h.number.phoneNumberId,
      to: `+${waId}`,
      reaction: { messageId: inbound.wamid, emoji: "👍" },
    });
    const received = h.sim.listReceived(waId);
    expect(received.find((m) => m.wamid === buttons.messages[0]!.id)?.type).toBe("interactive");
    expect(received.find((m) => m.wamid === list.messages[0]!.id)?.type).toBe("interactive");
    expect(received.find((m) => m.wamid === reaction.messages[0]!.id)?.body.reaction).toEqual({ message_id: inbound.wamid, emoji: "👍" });
    expect(await client.messages.markRead({ phoneNumberId: h.number.phoneNumberId, messageId: inbound.wamid })).toEqual({ success: true });
    expect([...h.sim.state.inbound.values()].find((m) => m.wamid === inbound.wamid)?.readByBusiness).toBe(true);
    expect(
      (await thread(waId))
        .filter((m) => m.direction === "out")
        .map((m) => m.type)
        .sort(),
    ).toEqual(["interactive", "interactive", "reaction"]);
  });

  it("reads a customer's media Parley has stored: the URL is Parley's signed media link, and it serves the exact bytes", async () => {
    const waId = nextPhone();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 4, 4, 4, 4]);
    const { wamid } = h.sim.sendFromCustomer({ from: waId, type: "image", mimeType: "image/png", dataBase64: png.toString("base64") });
    await h.sim.flushWebhooks();
    let row: { id: string; media_id: string | null } | undefined;
    for (let attempt = 0; attempt < 200 && !row; attempt++) {
      row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        trx.selectFrom("messages").select(["id", "media_id"]).where("wamid", "=", wamid).executeTakeFirst(),
      );
      if (!row) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await fetchInboundMedia(h.services, h.workspaceId, row!.id)).toBe("stored");
    const info = await kapso().media.get({ mediaId: row!.media_id! });
    expect(info).toMatchObject({ mimeType: "image/png", sha256: createHash("sha256").update(png).digest("hex"), id: row!.media_id });
    expect(info.url.startsWith(`${proxyUrl}/media/`)).toBe(true);
    expect(Buffer.from(await (await fetch(info.url)).arrayBuffer())).toEqual(png);
  });

  it("sends a location; a contacts card, which Parley's send path does not carry yet, is refused with Meta's 131051", async () => {
    const waId = nextPhone();
    await h.customerWrites(waId);
    const sent = await kapso().messages.sendLocation({
      phoneNumberId: h.number.phoneNumberId,
      to: `+${waId}`,
      location: { latitude: 52.52, longitude: 13.405, name: "Office", address: "Unter den Linden 1" },
    });
    expect(h.sim.listReceived(waId).find((m) => m.wamid === sent.messages[0]!.id)?.body.location).toEqual({
      latitude: 52.52,
      longitude: 13.405,
      name: "Office",
      address: "Unter den Linden 1",
    });
    expect((await thread(waId)).filter((m) => m.direction === "out").map((m) => m.type)).toEqual(["location"]);

    const contacts = await kapso()
      .messages.sendContacts({
        phoneNumberId: h.number.phoneNumberId,
        to: `+${waId}`,
        contacts: [{ name: { formattedName: "Ada Lovelace", firstName: "Ada" }, phones: [{ phone: "+4915112345678" }] }],
      })
      .catch((error: unknown) => error);
    expect(contacts).toMatchObject({ httpStatus: 400, code: 131051 });
  });

  it("answers in Graph's error shape: a bad key (190), another workspace's number (100/33), a closed window (131047), a bad body (100)", async () => {
    const waId = nextPhone();
    const badKey = await kapso({ key: "pk_not-a-key" })
      .messages.sendText({ phoneNumberId: h.number.phoneNumberId, to: waId, body: "x" })
      .catch((error: unknown) => error);
    expect(badKey).toBeInstanceOf(GraphApiError);
    expect(badKey).toMatchObject({ httpStatus: 401, code: 190, type: "OAuthException", fbtraceId: expect.any(String) as unknown });

    const foreign = await kapso()
      .messages.sendText({ phoneNumberId: otherWorkspaceNumber, to: waId, body: "x" })
      .catch((error: unknown) => error);
    expect(foreign).toMatchObject({ httpStatus: 400, code: 100, errorSubcode: 33 });

    const closed = await kapso()
      .messages.sendText({ phoneNumberId: h.number.phoneNumberId, to: waId, body: "x" })
      .catch((error: unknown) => error);
    expect(closed).toMatchObject({ httpStatus: 400, code: 131047 });

    const tooLong = await kapso()
      .messages.sendText({ phoneNumberId: h.number.phoneNumberId, to: waId, body: "x".repeat(4097) })
      .catch((error: unknown) => error);
    expect(tooLong).toMatchObject({ httpStatus: 400, code: 100 });
    expect(h.sim.listReceived(waId)).toHaveLength(0);
  });

  it("another workspace's key learns nothing of this workspace's media: no URL, no bytes, no deletion", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 5, 5]);
    const uploaded = await kapso().media.upload({
      phoneNumberId: h.number.phoneNumberId,
      type: "image/png",
      file: new Blob([png], { type: "image/png" }),
      fileName: "a.png",
    });
    const stranger = kapso({ key: await keyFor(otherWorkspace, ["messages.send", "conversations.read_assigned"]) });
    const named = await stranger.media
      .get({ mediaId: uploaded.id, phoneNumberId: h.number.phoneNumberId })
      .catch((error: unknown) => error);
    expect(named).toMatchObject({ httpStatus: 400, code: 100, errorSubcode: 33 });
    // Through its own number, Meta (the simulator) refuses: the media is not that number's.
    const unnamed = await stranger.media.get({ mediaId: uploaded.id }).catch((error: unknown) => error);
    expect(unnamed).toBeInstanceOf(GraphApiError);
    const deleted = await stranger.media
      .delete({ mediaId: uploaded.id, phoneNumberId: h.number.phoneNumberId })
      .catch((error: unknown) => error);
    expect(deleted).toMatchObject({ httpStatus: 400, code: 100, errorSubcode: 33 });
    expect(h.sim.state.media.get(uploaded.id)?.deleted).not.toBe(true);
  });

  it("a key without the send scope is refused with Graph's permission error (10)", async () => {
    const readOnly = await keyFor(h.workspaceId, ["conversations.read_assigned"]);
    const refused = await kapso({ key: readOnly })
      .messages.sendText({ phoneNumberId: h.number.phoneNumberId, to: nextPhone(), body: "x" })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ httpStatus: 403, code: 10 });
  });

  it("is limited per API key like every authenticated route, refusing in Graph's form (code 4, Retry-After)", async () => {
    const limited = await keyFor(h.workspaceId, ["messages.send"]);
    const another = await keyFor(h.workspaceId, ["messages.send"]);
    const saved = h.services.config.rateLimits.apiKey;
    h.services.config.rateLimits.apiKey = [{ limit: 2, windowMs: 60_000 }];
    try {
      const url = `${proxyUrl}/v25.0/${h.sim.credentials().wabaId}/message_templates`;
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i += 1) {
        last = await fetch(url, { headers: { authorization: `Bearer ${limited}` } });
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses[2]).not.toBe(200);
      const body = (await last!.json()) as { error: { code: number; type: string } };
      expect(body.error).toMatchObject({ code: 4 });
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
      // Another key has its own budget.
      expect((await fetch(url, { headers: { authorization: `Bearer ${another}` } })).status).toBe(200);
    } finally {
      h.services.config.rateLimits.apiKey = saved;
    }
  });
});

describe("@great-detail/whatsapp against the proxy (under /graph)", () => {
  // This client joins its version to the base URL without a trailing slash, so its relative paths
  // resolve to Graph's unversioned form (/graph/{phone-number-id}/messages), which Graph serves too.
  function client(): GreatDetailClient {
    return new GreatDetailClient({
      baseUrl: `${proxyUrl}/graph`,
      graphVersion: "v23.0",
      request: { headers: { Authorization: `Bearer ${apiKey}` } },
    });
  }

  it("sends text and a document by link, and the conversation shows both", async () => {
    const waId = nextPhone();
    await h.customerWrites(waId);
    const text = await client()
      .message.createMessage({
        phoneNumberID: h.number.phoneNumberId,
        to: waId,
        type: MessageType.Text,
        text: { body: "Hi from great-detail" },
      })
      .json<{ messages: { id: string }[]; contacts: { wa_id: string }[] }>();
    expect(text.contacts[0]!.wa_id).toBe(waId);
    const document = await client()
      .message.createMessage({
        phoneNumberID: h.number.phoneNumberId,
        to: waId,
        type: MessageType.Document,
        document: { link: "https://example.com/invoice.pdf", filename: "invoice.pdf" },
      })
      .json<{ messages: { id: string }[] }>();
    const received = h.sim.listReceived(waId);
    expect(received.find((m) => m.wamid === text.messages[0]!.id)?.body.text).toMatchObject({ body: "Hi from great-detail" });
    expect(received.find((m) => m.wamid === document.messages[0]!.id)?.body.document).toEqual({
      link: "https://example.com/invoice.pdf",
      filename: "invoice.pdf",
    });
    expect(
      (await thread(waId))
        .filter((m) => m.direction === "out")
        .map((m) => [m.type, m.text])
        .sort(),
    ).toEqual([
      ["document", "invoice.pdf"],
      ["text", "Hi from great-detail"],
    ]);
  });

  it("marks read, uploads and reads media, and lists the WABA's templates", async () => {
    const waId = nextPhone();
    const inbound = await h.customerWrites(waId);
    expect(
      await client().message.createStatus({ phoneNumberID: h.number.phoneNumberId, status: "read", message_id: inbound.wamid }).json(),
    ).toEqual({ success: true });

    const pdf = Buffer.from("%PDF-1.4 proxy");
    const uploaded = await client()
      .media.upload({
        phoneNumberID: h.number.phoneNumberId,
        file: new Blob([pdf], { type: "application/pdf" }),
        filename: "a.pdf",
        mimeType: "application/pdf",
      })
      .json<{ id: string }>();
    const info = await client()
      .media.getURL({ mediaID: uploaded.id, phoneNumberID: h.number.phoneNumberId })
      .json<{ url: string; mime_type: string; file_size: number }>();
    expect(info).toMatchObject({ mime_type: "application/pdf", file_size: pdf.length });
    const download = await fetch(info.url);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf);

    // The catalogue is Parley's: synced from Meta (here, from the simulator) first.
    const { syncTemplates } = await import("../templates/sync.ts");
    await syncTemplates(h.services, h.workspaceId, h.number.id);
    const templates = await client()
      .template.list(h.number.wabaId, {})
      .json<{ data: { name: string; status: string; components: { type: string }[] }[] }>();
    expect(templates.data).toContainEqual(
      expect.objectContaining({ name: "order_update", status: "APPROVED", components: [expect.objectContaining({ type: "BODY" })] }),
    );
  });

  it("reads a refusal as Graph's error body through the client's HTTP error", async () => {
    const refused = await client()
      .message.createMessage({ phoneNumberID: otherWorkspaceNumber, to: nextPhone(), type: MessageType.Text, text: { body: "x" } })
      .json()
      .catch((error: unknown) => error);
    // ky (under this client) has read the body into `data` already.
    const { response, data } = refused as { response?: Response; data?: unknown };
    expect(response?.status).toBe(400);
    expect(data).toMatchObject({
      error: { code: 100, error_subcode: 33, type: "OAuthException", fbtrace_id: expect.any(String) as unknown },
    });
  });
});

describe("Graph's unprefixed paths", () => {
  it("only /vNN.N/… is rewritten to the proxy; the dashboard's and the API's paths are not", () => {
    expect(graphPathRewrite("/v25.0/123/messages")).toBe("/graph/v25.0/123/messages");
    expect(graphPathRewrite("/v9.0/456?phone_number_id=1")).toBe("/graph/v9.0/456?phone_number_id=1");
    expect(graphPathRewrite("/v25.0")).toBe("/graph/v25.0");
    for (const untouched of ["/api/v1/me", "/v1/x", "/v100.0/1", "/v25.01/1", "/conversations/v25.0", "/", "/version/1"])
      expect(graphPathRewrite(untouched)).toBe(untouched);
  });
});

describe("waiting for Meta's answer", () => {
  it("past the wait, answers that the message is still queued (code 2, HTTP 504), and it is sent later", async () => {
    const waId = nextPhone();
    await h.customerWrites(waId);
    const quick = await createHttpApp({
      services: h.services,
      routes: createGraphProxyRoutes({ outcomeWaitMs: 200 }),
      rewriteUrl: graphPathRewrite,
    });
    await h.sendWorker.stop(2_000);
    try {
      const response = await quick.inject({
        method: "POST",
        url: `/v25.0/${h.number.phoneNumberId}/messages`,
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        payload: JSON.stringify({ messaging_product: "whatsapp", to: waId, type: "text", text: { body: "later" } }),
      });
      expect(response.statusCode).toBe(504);
      expect(response.json()).toMatchObject({
        error: { code: 2, is_transient: false, message: expect.stringContaining("queued") as unknown },
      });
    } finally {
      h.sendWorker = h.startSendWorker();
      await quick.close();
    }
    const deadline = Date.now() + 10_000;
    while (h.sim.listReceived(waId).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.sim.listReceived(waId)[0]?.body.text).toMatchObject({ body: "later" });
  });
});
