import { randomUUID } from "node:crypto";
import { get as httpGet, type ClientRequest, type IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryCoordination } from "../coordination/memory.ts";
import { withWorkspace } from "../db/with-workspace.ts";
import type { Services } from "../services.ts";
import { createTestDatabase, useRedis, type TestDatabase } from "../../test/support/engine.ts";
import { addMember, bearer, createIdentityApp, createWorkspaceWithOwner, login, type TestUser } from "../../test/support/identity.ts";
import { captureLogs, createTestRedisCoordination, createTestServices } from "../../test/support/services.ts";
import { insertNumber } from "../features/numbers/repository.ts";
import { assignConversation, upsertOpenConversation } from "../features/conversations/repository.ts";
import { upsertWhatsAppContact } from "../features/contacts/whatsapp-repository.ts";
import { conversationRoutes } from "../features/conversations/routes.ts";
import { presenceRoutes } from "../features/conversations/presence-routes.ts";
import { workspaceRoutes } from "../features/workspaces/routes.ts";
import { newEventId, publishRealtimeEvents } from "./events.ts";
import { realtimeHub } from "./hub.ts";
import { RECHECK_MS, realtimeRoutes } from "./routes.ts";
import { redeemTicket, TICKET_TTL_MS } from "./tickets.ts";

// The event stream over real HTTP on two app instances sharing one database and one pub/sub
// (Redis on the PostgreSQL pass, one in-process bus on the PGlite pass): tickets are single-use,
// short-lived and origin-checked; events reach only the recipients allowed to see them, on either
// instance; a reconnect with Last-Event-ID gets exactly what it missed; presence reported on one
// instance reaches the other's clients; a removed member's stream ends at once, for good.

let db: TestDatabase;
let services: Services;
let servicesB: Services;
let appA: FastifyInstance;
let appB: FastifyInstance;
let addressA: string;
let addressB: string;
let workspaceId: string;
let owner: TestUser;
let agent: TestUser;
let analyst: TestUser;
let mineId: string;
let otherId: string;
const tokens = new Map<TestUser, Record<string, string>>();
const origin = () => new URL(services.config.http.publicUrl).origin;

type Frame = { id?: string; event: string; data: string };

/** An open SSE stream read frame by frame. */
type Stream = {
  status: number;
  headers: IncomingMessage["headers"];
  frames: Frame[];
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  next(predicate?: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  close(): void;
};

async function openStream(address: string, url: string, headers: Record<string, string> = {}): Promise<Stream> {
  const frames: Frame[] = [];
  const waiters: Array<() => void> = [];
  // node:http rather than fetch: closing must drop the connection, as a browser tab does.
  const { request, response } = await new Promise<{ request: ClientRequest; response: IncomingMessage }>((resolve, reject) => {
    const outgoing = httpGet(`${address}${url}`, { headers, agent: false }, (incoming) =>
      resolve({ request: outgoing, response: incoming }),
    );
    outgoing.on("error", reject);
  });
  response.setEncoding("utf8");
  let buffer = "";
  response.on("data", (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const frame: Frame = { event: "message", data: "" };
      let hasField = false;
      for (const line of block.split("\n")) {
        if (line.startsWith(":") || line === "") continue;
        const [field, ...rest] = line.split(": ");
        const value = rest.join(": ");
        if (field === "id") frame.id = value;
        if (field === "event") frame.event = value;
        if (field === "data") frame.data = value;
        if (field === "id" || field === "event" || field === "data") hasField = true;
      }
      if (hasField) frames.push(frame);
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  response.on("error", () => undefined);
  request.on("error", () => undefined);
  const ended = new Promise<void>((resolve) => {
    response.on("end", resolve);
    response.on("close", resolve);
  });
  const status = response.statusCode ?? 0;
  if (status !== 200) request.destroy();
  let cursor = 0;
  return {
    status,
    headers: response.headers,
    frames,
    ended,
    async next(predicate = () => true, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < frames.length) {
          const frame = frames[cursor++]!;
          if (predicate(frame)) return frame;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => request.destroy(),
  };
}

async function ticketFor(user: TestUser, app: FastifyInstance = appA): Promise<string> {
  const response = await app.inject({ method: "POST", url: `/api/v1/workspaces/${workspaceId}/events/tickets`, headers: tokens.get(user) });
  expect(response.statusCode).toBe(201);
  return response.json<{ ticket: string }>().ticket;
}

async function connect(user: TestUser, options: { address?: string; app?: FastifyInstance; lastEventId?: string } = {}): Promise<Stream> {
  const ticket = await ticketFor(user, options.app);
  const stream = await openStream(options.address ?? addressA, `/api/v1/workspaces/${workspaceId}/events?ticket=${ticket}`, {
    origin: origin(),
    ...(options.lastEventId ? { "last-event-id": options.lastEventId } : {}),
  });
  expect(stream.status).toBe(200);
  await stream.next((frame) => frame.event === "ready");
  return stream;
}

async function publish(on: Services, conversationId: string, messageId = randomUUID()) {
  const [event] = await publishRealtimeEvents(on, workspaceId, [
    { type: "message.created", data: { conversationId, messageId, direction: "in" } },
  ]);
  return event!;
}

async function seedConversation(numberId: string, waId: string, assignee: string | null): Promise<string> {
  return withWorkspace(db, { workspaceId }, async (trx) => {
    const contact = await upsertWhatsAppContact(trx, services.keyring, {
      workspaceId,
      waId,
      profileName: null,
      userId: null,
      at: new Date(),
    });
    const id = await upsertOpenConversation(trx, { workspaceId, contactId: contact.id, numberId, inboundAt: new Date() });
    await assignConversation(trx, workspaceId, id, assignee);
    return id;
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const logs = captureLogs();
  // Two instances: separate services (hubs, caches), one database, one pub/sub fabric.
  const shared = useRedis ? undefined : createMemoryCoordination();
  services = createTestServices({ db, logs, ...(shared ? { coordination: shared } : {}) });
  servicesB = { ...services, coordination: useRedis ? createTestRedisCoordination(services.logger) : shared! };
  const routes = [...conversationRoutes, ...presenceRoutes, ...workspaceRoutes, ...realtimeRoutes];
  appA = await createIdentityApp(services, { routes });
  appB = await createIdentityApp(servicesB, { routes });
  addressA = await appA.listen({ host: "127.0.0.1", port: 0 });
  addressB = await appB.listen({ host: "127.0.0.1", port: 0 });
  ({ workspaceId, owner } = await createWorkspaceWithOwner(services));
  agent = await addMember(services, workspaceId, "agent");
  analyst = await addMember(services, workspaceId, "analyst");
  for (const user of [owner, agent, analyst]) tokens.set(user, bearer(await login(appA, user)));
  const numberId = randomUUID();
  await withWorkspace(db, { workspaceId }, (trx) =>
    insertNumber(trx, services.keyring, {
      workspaceId,
      id: numberId,
      mode: "sandbox",
      wabaId: "1",
      phoneNumberId: "100",
      appId: null,
      displayPhoneNumber: null,
      accessToken: "token-for-tests",
      accessTokenExpiresAt: null,
      appSecret: "secret-for-tests",
      verifyToken: "verify-for-tests",
      tier: 80,
      webhookKey: randomUUID().replaceAll("-", ""),
    }),
  );
  mineId = await seedConversation(numberId, "4915120000001", agent.userId);
  otherId = await seedConversation(numberId, "4915120000002", null);
});

afterAll(async () => {
  await realtimeHub(services)?.close();
  await realtimeHub(servicesB)?.close();
  await appA?.close();
  await appB?.close();
  await services?.coordination.close();
  if (useRedis) await servicesB?.coordination.close();
  await db?.drop();
});

describe("tickets", () => {
  it("are single-use, bound to their workspace, expire after 60 s, and need our origin", async () => {
    const url = (ticket: string, workspace = workspaceId) => `/api/v1/workspaces/${workspace}/events?ticket=${ticket}`;
    const foreignOrigin = await openStream(addressA, url(await ticketFor(owner)), { origin: "https://evil.example" });
    expect(foreignOrigin.status).toBe(403);
    const crossSite = await openStream(addressA, url(await ticketFor(owner)), { "sec-fetch-site": "cross-site", origin: origin() });
    expect(crossSite.status).toBe(403);
    expect((await openStream(addressA, url(await ticketFor(owner)))).status).toBe(403);

    const ticket = await ticketFor(owner);
    expect((await openStream(addressA, url(ticket, randomUUID()), { origin: origin() })).status).toBe(401);
    const first = await openStream(addressA, url(ticket), { "sec-fetch-site": "same-origin" });
    expect(first.status).toBe(200);
    first.close();
    // Used once: refused on this instance and on the other.
    expect((await openStream(addressA, url(ticket), { origin: origin() })).status).toBe(401);
    expect((await openStream(addressB, url(ticket), { origin: origin() })).status).toBe(401);
    const forged = `${ticket.slice(0, -2)}AA`;
    expect((await openStream(addressA, url(forged), { origin: origin() })).status).toBe(401);

    const late = await ticketFor(owner);
    expect(await redeemTicket(services, late, workspaceId, Date.now() + TICKET_TTL_MS + 1)).toBeNull();
    expect(await redeemTicket(services, late, workspaceId)).not.toBeNull();
  });

  it("are refused to Analysts and to callers without credentials", async () => {
    expect(
      (await appA.inject({ method: "POST", url: `/api/v1/workspaces/${workspaceId}/events/tickets`, headers: tokens.get(analyst) }))
        .statusCode,
    ).toBe(403);
    expect((await appA.inject({ method: "POST", url: `/api/v1/workspaces/${workspaceId}/events/tickets` })).statusCode).toBe(401);
  });
});

describe("the event stream", () => {
  it("sends the security headers and delivers events published on either instance, filtered per recipient", async () => {
    const ownerStream = await connect(owner, { address: addressB, app: appB });
    const agentStream = await connect(agent);
    expect(ownerStream.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(ownerStream.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(ownerStream.headers["cache-control"]).toBe("no-store");

    const other = await publish(services, otherId);
    const mine = await publish(servicesB, mineId);

    // The Owner (on B) sees both, including the one published on A.
    expect((await ownerStream.next((frame) => frame.id === other.id)).event).toBe("message.created");
    await ownerStream.next((frame) => frame.id === mine.id);
    // The Agent sees only the event of their own conversation.
    const received = await agentStream.next((frame) => frame.event === "message.created");
    expect(received.id).toBe(mine.id);
    expect(JSON.parse(received.data)).toEqual({
      id: mine.id,
      type: "message.created",
      data: { conversationId: mineId, messageId: (mine.data as { messageId: string }).messageId, direction: "in" },
      at: mine.at,
    });
    expect(agentStream.frames.some((frame) => frame.id === other.id)).toBe(false);
    ownerStream.close();
    agentStream.close();
  });

  it("tells an Agent when a conversation is assigned to them or taken away, and nothing about others", async () => {
    const agentStream = await connect(agent);
    const assign = (userId: string | null) =>
      appA.inject({
        method: "POST",
        url: `/api/v1/workspaces/${workspaceId}/conversations/${otherId}/assign`,
        headers: { ...tokens.get(owner), "content-type": "application/json" },
        payload: JSON.stringify({ userId }),
      });
    expect((await assign(agent.userId)).statusCode).toBe(200);
    const given = await agentStream.next((frame) => frame.event === "conversation.updated");
    expect(JSON.parse(given.data).data).toEqual({ conversationId: otherId, assignedUserId: agent.userId, change: "assigned" });
    expect((await assign(null)).statusCode).toBe(200);
    const taken = await agentStream.next((frame) => frame.event === "conversation.updated");
    expect(JSON.parse(taken.data).data).toEqual({ conversationId: otherId, assignedUserId: null, change: "assigned" });
    // Once it is not theirs, its messages are not either.
    const after = await publish(services, otherId);
    const marker = await publish(services, mineId);
    await agentStream.next((frame) => frame.id === marker.id);
    expect(agentStream.frames.some((frame) => frame.id === after.id)).toBe(false);
    agentStream.close();
  });

  it("resumes from Last-Event-ID on another instance without losing an event, and asks for a resync when it cannot know", async () => {
    const first = await connect(owner);
    const seen = await publish(services, mineId);
    await first.next((frame) => frame.id === seen.id);
    first.close();

    const missed = [await publish(services, mineId), await publish(servicesB, otherId), await publish(services, mineId)];
    // Let both instances' buffers receive them.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const [address, app] of [
      [addressA, appA],
      [addressB, appB],
    ] as const) {
      const resumed = await openStream(address, `/api/v1/workspaces/${workspaceId}/events?ticket=${await ticketFor(owner, app)}`, {
        origin: origin(),
        "last-event-id": seen.id,
      });
      await resumed.next((frame) => frame.event === "ready");
      const replayed = resumed.frames.filter((frame) => frame.event === "message.created").map((frame) => frame.id);
      expect(replayed).toEqual(expect.arrayContaining(missed.map((event) => event.id)));
      expect(replayed).not.toContain(seen.id);
      resumed.close();
    }

    // An id from before this instance listened: the client is told to reload rather than left with a gap.
    const ancient = await connect(owner, { lastEventId: newEventId(Date.now() - 60 * 60_000) });
    expect(ancient.frames.map((frame) => frame.event)).toEqual(["resync", "ready"]);
    ancient.close();
  });

  it("fans presence out across instances: ids and state only, to those who may read the conversation, never back to its author", async () => {
    const ownerStream = await connect(owner, { address: addressB, app: appB });
    const agentStream = await connect(agent);
    const post = (app: FastifyInstance, user: TestUser, conversationId: string, state: string) =>
      app.inject({
        method: "POST",
        url: `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/presence`,
        headers: { ...tokens.get(user), "content-type": "application/json" },
        payload: JSON.stringify({ state }),
      });

    // The Agent, on instance A, opens their conversation and types; the Owner's stream is on B.
    expect((await post(appA, agent, mineId, "viewing")).statusCode).toBe(200);
    const viewing = await ownerStream.next((frame) => frame.event === "presence");
    expect(JSON.parse(viewing.data)).toEqual({
      id: viewing.id,
      type: "presence",
      data: { conversationId: mineId, userId: agent.userId, state: "viewing", expiresAt: expect.any(String) },
      at: expect.any(Number),
    });
    expect((await post(appA, agent, mineId, "typing")).statusCode).toBe(200);
    const typing = await ownerStream.next((frame) => frame.event === "presence");
    expect(JSON.parse(typing.data).data).toMatchObject({ userId: agent.userId, state: "typing" });
    // The store is shared too: instance B lists the Agent as typing.
    const listed = await appB.inject({
      method: "GET",
      url: `/api/v1/workspaces/${workspaceId}/conversations/${mineId}/presence`,
      headers: tokens.get(owner),
    });
    expect(listed.json<{ data: unknown[] }>().data).toEqual([{ userId: agent.userId, state: "typing", expiresAt: expect.any(String) }]);

    // The Owner, on B, joins the Agent's conversation (the Agent sees it) and looks at an unassigned one (the Agent does not).
    expect((await post(appB, owner, otherId, "viewing")).statusCode).toBe(200);
    expect((await post(appB, owner, mineId, "viewing")).statusCode).toBe(200);
    const ownerHere = await agentStream.next((frame) => frame.event === "presence");
    expect(JSON.parse(ownerHere.data).data).toMatchObject({ conversationId: mineId, userId: owner.userId, state: "viewing" });
    expect(agentStream.frames.some((frame) => frame.event === "presence" && frame.data.includes(otherId))).toBe(false);
    // Nobody is told of their own presence.
    expect(agentStream.frames.some((frame) => frame.event === "presence" && frame.data.includes(agent.userId))).toBe(false);
    await ownerStream
      .next((frame) => frame.event === "presence" && frame.data.includes(otherId), 300)
      .then(
        () => expect.unreachable("the Owner was told of their own presence"),
        () => undefined,
      );
    for (const [app, user, conversationId] of [
      [appA, agent, mineId],
      [appB, owner, mineId],
      [appB, owner, otherId],
    ] as const)
      await post(app, user, conversationId, "left");
    ownerStream.close();
    agentStream.close();
  });

  it("ends a removed member's stream at once, on any instance, and it cannot be resumed", async () => {
    const leaving = await addMember(services, workspaceId, "admin");
    tokens.set(leaving, bearer(await login(appA, leaving)));
    // Their stream is on instance B; the removal happens on A.
    const stream = await connect(leaving, { address: addressB, app: appB });
    const spareTicket = await ticketFor(leaving);
    const seen = await publish(services, mineId);
    await stream.next((frame) => frame.id === seen.id);

    const started = Date.now();
    const removal = await appA.inject({
      method: "DELETE",
      url: `/api/v1/workspaces/${workspaceId}/members/${leaving.userId}`,
      headers: tokens.get(owner),
    });
    expect(removal.statusCode).toBe(204);
    await stream.ended;
    // Well before the periodic recheck: the removal itself ended it.
    expect(Date.now() - started).toBeLessThan(RECHECK_MS / 2);
    const after = await publish(services, mineId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.frames.some((frame) => frame.id === after.id)).toBe(false);

    // No new ticket (their sessions ended), and the ticket they held opens nothing, on either instance.
    const refused = await appA.inject({
      method: "POST",
      url: `/api/v1/workspaces/${workspaceId}/events/tickets`,
      headers: tokens.get(leaving),
    });
    expect(refused.statusCode).toBe(401);
    const resumed = await openStream(addressB, `/api/v1/workspaces/${workspaceId}/events?ticket=${spareTicket}`, {
      origin: origin(),
      "last-event-id": seen.id,
    });
    expect(resumed.status).toBe(403);
    expect(resumed.frames).toEqual([]);
  });

  it("ends a stream when the server shuts down", async () => {
    const stream = await connect(owner);
    await realtimeHub(services).close();
    await expect(stream.next((frame) => frame.event === "never", 300)).rejects.toThrow();
    stream.close();
  });
});
