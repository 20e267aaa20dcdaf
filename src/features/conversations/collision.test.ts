import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../db/with-workspace.ts";
import { realtimeChannel, withRealtime } from "../../realtime/events.ts";
import type { Services } from "../../services.ts";
import { sendRoutes } from "../messages/routes.ts";
import type { TestDatabase } from "../../../test/support/engine.ts";
import { addMember, type TestUser } from "../../../test/support/identity.ts";
import {
  createApiWorld,
  seedConversation,
  seedNumber,
  type ApiWorld,
  type CallApi,
  type Json,
} from "../../../test/support/workspace-fixtures.ts";
import { reportPresence, TYPING_TTL_MS, VIEWING_TTL_MS } from "./presence.ts";
import { presenceRoutes } from "./presence-routes.ts";
import { insertInboundMessage } from "../messages/repository.ts";
import { conversationRoutes } from "./routes.ts";
import { resolveCaller } from "../../identity/caller.ts";
import { permissionsOf } from "../../identity/permissions.ts";

// Collision detection in the team inbox against a real database (PGlite + in-process coordination,
// or PostgreSQL + Redis): presence is visible to the members who may read the conversation and to
// nobody else; a reply that someone else answered first is refused with REPLY_COLLISION (who and
// when, never the text) until it is sent with takeover, which is audited with the queued message.

let world: ApiWorld<{ admin: "admin"; agent: "agent"; analyst: "analyst" }>;
let db: TestDatabase;
let services: Services;
let call: CallApi;
let workspaceId: string;
let owner: TestUser;
let admin: TestUser;
let agent: TestUser;
let analyst: TestUser;
let outsider: TestUser;
let outsiderWorkspace: string;
let numberId: string;
let waCounter = 0;

const base = (workspace = workspaceId) => `/api/v1/workspaces/${workspace}`;
const presenceUrl = (conversationId: string, workspace = workspaceId) => `${base(workspace)}/conversations/${conversationId}/presence`;
const errorOf = (json: Json) => json.error as { code: string; details?: Json } | undefined;

/** A conversation whose customer wrote just now (the service window is open); returns it and the inbound message. */
async function seedCustomer(assignee: string | null, at = new Date()): Promise<{ conversationId: string; inboundId: string }> {
  waCounter += 1;
  const waId = `49151300000${String(waCounter).padStart(2, "0")}`;
  const { conversationId, messageIds } = await seedConversation(services, {
    workspaceId,
    numberId,
    waId,
    profileName: "Dana Customer",
    assignee,
    at,
    texts: ["Where is my order?"],
  });
  return { conversationId, inboundId: messageIds[0]! };
}

function reply(conversationId: string, text: string, extra: Json = {}): Json {
  return { conversationId, type: "text", text: { body: text }, ...extra };
}

async function takeoverEntries(conversationId: string) {
  return db.owner
    .selectFrom("audit_entries")
    .select(["action", "actor_type", "actor_id", "target_id", "metadata"])
    .where("workspace_id", "=", workspaceId)
    .where("action", "=", "conversation.takeover")
    .where("target_id", "=", conversationId)
    .orderBy("seq")
    .execute();
}

async function queuedMessages(conversationId: string) {
  return withWorkspace(db, { workspaceId }, (trx) =>
    trx
      .selectFrom("messages")
      .select(["id", "status", "sent_by_user_id"])
      .where("conversation_id", "=", conversationId)
      .where("direction", "=", "out")
      .orderBy("created_at")
      .execute(),
  );
}

beforeAll(async () => {
  world = await createApiWorld({
    routes: [...conversationRoutes, ...presenceRoutes, ...sendRoutes],
    members: { admin: "admin", agent: "agent", analyst: "analyst" },
  });
  ({ db, services, call, workspaceId, owner, outsider, outsiderWorkspaceId: outsiderWorkspace } = world);
  ({ admin, agent, analyst } = world.members);
  numberId = await seedNumber(services, workspaceId);
});

afterAll(async () => {
  await world?.close();
});

describe("presence", () => {
  it("shows a second member who is viewing and typing, with ids and states only, and forgets those who left", async () => {
    const { conversationId } = await seedCustomer(null);
    const viewing = await call(owner, "POST", presenceUrl(conversationId), { state: "viewing" });
    expect(viewing.status).toBe(200);
    expect(viewing.json).toEqual({ data: [] });

    const seenByAdmin = await call(admin, "GET", presenceUrl(conversationId));
    expect(seenByAdmin.status).toBe(200);
    const entries = seenByAdmin.json.data as Array<Json>;
    expect(entries).toEqual([{ userId: owner.userId, state: "viewing", expiresAt: expect.any(String) }]);
    const lapse = Date.parse(entries[0]!.expiresAt as string) - Date.now();
    expect(lapse).toBeGreaterThan(VIEWING_TTL_MS - 5_000);
    expect(lapse).toBeLessThanOrEqual(VIEWING_TTL_MS);

    // The Admin's own post answers who else is there: the Owner, not themself.
    await call(owner, "POST", presenceUrl(conversationId), { state: "typing" });
    const adminViews = await call(admin, "POST", presenceUrl(conversationId), { state: "viewing" });
    expect(adminViews.json.data).toEqual([{ userId: owner.userId, state: "typing", expiresAt: expect.any(String) }]);
    expect(Date.parse((adminViews.json.data as Json[])[0]!.expiresAt as string) - Date.now()).toBeLessThanOrEqual(TYPING_TTL_MS);
    expect((await call(owner, "GET", presenceUrl(conversationId))).json.data).toEqual([
      { userId: admin.userId, state: "viewing", expiresAt: expect.any(String) },
    ]);

    // A viewing heartbeat keeps typing; idle ends it; left ends presence.
    await call(owner, "POST", presenceUrl(conversationId), { state: "viewing" });
    expect(((await call(admin, "GET", presenceUrl(conversationId))).json.data as Json[])[0]!.state).toBe("typing");
    await call(owner, "POST", presenceUrl(conversationId), { state: "idle" });
    expect(((await call(admin, "GET", presenceUrl(conversationId))).json.data as Json[])[0]!.state).toBe("viewing");
    await call(owner, "POST", presenceUrl(conversationId), { state: "left" });
    expect((await call(admin, "GET", presenceUrl(conversationId))).json.data).toEqual([]);
  });

  it("lets typing lapse after 6 s into viewing", async () => {
    const { conversationId } = await seedCustomer(null);
    const ownerCaller = resolveCaller(
      { kind: "session", userId: owner.userId, workspaceId, role: "owner", permissions: permissionsOf("owner") },
      workspaceId,
      { ip: "127.0.0.1", headers: {} },
    );
    await reportPresence(services, ownerCaller, conversationId, "typing", Date.now() - TYPING_TTL_MS - 1);
    expect((await call(admin, "GET", presenceUrl(conversationId))).json.data).toEqual([
      { userId: owner.userId, state: "viewing", expiresAt: expect.any(String) },
    ]);
  });

  it("announces presence as a realtime event with ids only, at most once per 3 s per member however often typing is posted", async () => {
    const { conversationId } = await seedCustomer(null);
    const received: Json[] = [];
    const unsubscribe = await services.coordination.pubsub.subscribe(realtimeChannel(workspaceId), (message) => {
      const event = JSON.parse(message) as Json;
      if (event.type === "presence" && (event.data as Json).conversationId === conversationId) received.push(event.data as Json);
    });
    try {
      for (let i = 0; i < 5; i++) expect((await call(owner, "POST", presenceUrl(conversationId), { state: "typing" })).status).toBe(200);
      await call(owner, "POST", presenceUrl(conversationId), { state: "left" });
      await expect.poll(() => received.length).toBe(2);
      expect(received[0]).toEqual({ conversationId, userId: owner.userId, state: "typing", expiresAt: expect.any(String) });
      expect(received[1]).toEqual({ conversationId, userId: owner.userId, state: "left", expiresAt: null });
    } finally {
      await unsubscribe();
    }
  });

  it("is refused to Agents on conversations not assigned to them, to Analysts and to other workspaces", async () => {
    const unassigned = await seedCustomer(null);
    const mine = await seedCustomer(agent.userId);
    await call(owner, "POST", presenceUrl(unassigned.conversationId), { state: "viewing" });

    expect((await call(agent, "POST", presenceUrl(unassigned.conversationId), { state: "viewing" })).status).toBe(404);
    expect((await call(agent, "GET", presenceUrl(unassigned.conversationId))).status).toBe(404);
    expect((await call(agent, "POST", presenceUrl(mine.conversationId), { state: "viewing" })).status).toBe(200);
    // The Owner sees the Agent in the Agent's conversation, and the Agent sees the Owner there.
    await call(owner, "POST", presenceUrl(mine.conversationId), { state: "viewing" });
    expect((await call(agent, "GET", presenceUrl(mine.conversationId))).json.data).toEqual([
      { userId: owner.userId, state: "viewing", expiresAt: expect.any(String) },
    ]);

    expect((await call(analyst, "GET", presenceUrl(unassigned.conversationId))).status).toBe(403);
    expect((await call(analyst, "POST", presenceUrl(unassigned.conversationId), { state: "viewing" })).status).toBe(403);
    expect((await call(outsider, "GET", presenceUrl(unassigned.conversationId))).status).toBe(403);
    expect((await call(outsider, "POST", presenceUrl(unassigned.conversationId), { state: "viewing" })).status).toBe(403);
    // Through their own workspace the conversation does not exist, and nothing of A's presence shows.
    expect((await call(outsider, "GET", presenceUrl(unassigned.conversationId, outsiderWorkspace))).status).toBe(404);
    expect((await call(null, "GET", presenceUrl(unassigned.conversationId))).status).toBe(401);
    expect((await call(owner, "POST", presenceUrl(unassigned.conversationId), { state: "dancing" })).status).toBe(400);
  });

  it("bounds how often a member may post", async () => {
    const { conversationId } = await seedCustomer(null);
    const busy = await addMember(services, workspaceId, "admin");
    await world.signIn(busy);
    let status = 200;
    let posts = 0;
    while (status === 200 && posts < 200) {
      status = (await call(busy, "POST", presenceUrl(conversationId), { state: "typing" })).status;
      posts += 1;
    }
    expect(status).toBe(429);
    expect(posts).toBe(121);
  });
});

describe("reply collisions", () => {
  it("refuses a reply someone else answered first with 409 REPLY_COLLISION, saying who and when but never the text", async () => {
    const { conversationId, inboundId } = await seedCustomer(null);
    const first = await call(
      admin,
      "POST",
      `${base()}/messages`,
      reply(conversationId, "Admin's secret answer", { ifLastMessageId: inboundId }),
    );
    expect(first.status).toBe(202);
    const collision = await call(
      owner,
      "POST",
      `${base()}/messages`,
      reply(conversationId, "Owner's late answer", { ifLastMessageId: inboundId }),
    );
    expect(collision.status).toBe(409);
    expect(errorOf(collision.json)?.code).toBe("REPLY_COLLISION");
    expect(errorOf(collision.json)?.details).toEqual({
      answeredByUserId: admin.userId,
      answeredAt: expect.any(String),
      messageId: first.json.id,
    });
    expect(collision.text).not.toContain("secret answer");
    expect(collision.text).not.toContain("late answer");
    expect((await queuedMessages(conversationId)).map((row) => row.sent_by_user_id)).toEqual([admin.userId]);

    // Having seen the Admin's answer, the Owner's reply goes; their own messages never collide with them.
    expect(
      (await call(owner, "POST", `${base()}/messages`, reply(conversationId, "Follow-up", { ifLastMessageId: first.json.id }))).status,
    ).toBe(202);
    expect(
      (await call(admin, "POST", `${base()}/messages`, reply(conversationId, "Admin again", { ifLastMessageId: first.json.id }))).status,
    ).toBe(409);
    // A customer's new message is no collision.
    const fresh = await seedCustomer(null);
    await withRealtime(services, workspaceId, () =>
      withWorkspace(db, { workspaceId }, async (trx) => {
        const contact = await trx
          .selectFrom("conversations")
          .innerJoin("contacts", "contacts.id", "conversations.contact_id")
          .select(["contacts.id", "contacts.data_key_id"])
          .where("conversations.id", "=", fresh.conversationId)
          .executeTakeFirstOrThrow();
        await insertInboundMessage(trx, services.keyring, {
          workspaceId,
          conversationId: fresh.conversationId,
          contact: { id: contact.id, dataKeyId: contact.data_key_id, created: false },
          numberId,
          phoneNumberId: "100",
          wamid: `wamid.more.${fresh.conversationId}`,
          type: "text",
          content: { body: "Hello?" },
          occurredAt: new Date(),
          contextWamid: null,
          reactionToWamid: null,
          media: null,
        });
      }),
    );
    expect(
      (await call(owner, "POST", `${base()}/messages`, reply(fresh.conversationId, "Hi", { ifLastMessageId: fresh.inboundId }))).status,
    ).toBe(202);
    // null: the sender saw no message at all.
    expect((await call(admin, "POST", `${base()}/messages`, reply(fresh.conversationId, "Hi too", { ifLastMessageId: null }))).status).toBe(
      409,
    );
    // Without the field nothing is checked (API clients that do not know about collisions).
    expect((await call(admin, "POST", `${base()}/messages`, reply(fresh.conversationId, "Plain"))).status).toBe(202);
  });

  it("queues a confirmed takeover and audits it with the message, in one transaction, without text", async () => {
    const { conversationId, inboundId } = await seedCustomer(null);
    const answered = await call(admin, "POST", `${base()}/messages`, reply(conversationId, "First answer", { ifLastMessageId: inboundId }));
    const taken = await call(
      owner,
      "POST",
      `${base()}/messages`,
      reply(conversationId, "Sent anyway", { ifLastMessageId: inboundId, takeover: true }),
    );
    expect(taken.status).toBe(202);
    expect(taken.json).toMatchObject({ conversationId, status: "queued" });
    expect((await queuedMessages(conversationId)).map((row) => [row.id, row.status])).toEqual([
      [answered.json.id, "queued"],
      [taken.json.id, "queued"],
    ]);
    const entries = await takeoverEntries(conversationId);
    expect(entries).toEqual([
      {
        action: "conversation.takeover",
        actor_type: "user",
        actor_id: owner.userId,
        target_id: conversationId,
        metadata: { messageId: taken.json.id, assigneeId: null, collision: true, answeredByUserId: admin.userId },
      },
    ]);
    expect(JSON.stringify(entries)).not.toContain("Sent anyway");
    // Nothing to take over: no audit entry.
    await call(owner, "POST", `${base()}/messages`, reply(conversationId, "More", { ifLastMessageId: taken.json.id, takeover: true }));
    expect(await takeoverEntries(conversationId)).toHaveLength(1);

    // A takeover refused later in the same transaction (the 24-hour window has closed) leaves no entry either.
    const stale = await seedCustomer(null, new Date(Date.now() - 25 * 60 * 60_000));
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx
        .insertInto("messages")
        .values({
          workspace_id: workspaceId,
          id: randomUUID(),
          conversation_id: stale.conversationId,
          contact_id: trx.selectFrom("conversations").select("contact_id").where("id", "=", stale.conversationId),
          number_id: numberId,
          phone_number_id: "100",
          direction: "out",
          type: "text",
          status: "sent",
          sent_by_user_id: admin.userId,
          occurred_at: new Date(),
        })
        .execute(),
    );
    const late = await call(
      owner,
      "POST",
      `${base()}/messages`,
      reply(stale.conversationId, "Too late", { ifLastMessageId: stale.inboundId, takeover: true }),
    );
    expect(late.status).toBe(422);
    expect(await takeoverEntries(stale.conversationId)).toEqual([]);
  });

  it("audits a reply in a conversation assigned to another member and keeps the assignment; Agents cannot reach it", async () => {
    const { conversationId, inboundId } = await seedCustomer(agent.userId);
    expect(
      (await call(agent, "POST", `${base()}/messages`, reply(conversationId, "Agent answers", { ifLastMessageId: inboundId }))).status,
    ).toBe(202);
    expect(await takeoverEntries(conversationId)).toEqual([]);
    const stepIn = await call(admin, "POST", `${base()}/messages`, reply(conversationId, "Admin steps in"));
    expect(stepIn.status).toBe(202);
    expect((await takeoverEntries(conversationId)).map((entry) => entry.metadata)).toEqual([
      { messageId: stepIn.json.id, assigneeId: agent.userId, collision: false, answeredByUserId: null },
    ]);
    expect((await call(admin, "GET", `${base()}/conversations/${conversationId}`)).json.assignedUserId).toBe(agent.userId);

    const other = await seedCustomer(admin.userId);
    expect(
      (
        await call(
          agent,
          "POST",
          `${base()}/messages`,
          reply(other.conversationId, "Not mine", { ifLastMessageId: other.inboundId, takeover: true }),
        )
      ).status,
    ).toBe(404);
    expect(await takeoverEntries(other.conversationId)).toEqual([]);
  });

  it("keeps idempotency: a refusal and a takeover each replay as first answered, and a changed body under one key is refused", async () => {
    const { conversationId, inboundId } = await seedCustomer(null);
    await call(admin, "POST", `${base()}/messages`, reply(conversationId, "Admin first", { ifLastMessageId: inboundId }));
    const body = reply(conversationId, "Owner reply", { ifLastMessageId: inboundId });
    const refused = await call(owner, "POST", `${base()}/messages`, body, { headers: { "idempotency-key": "collide-1" } });
    expect(refused.status).toBe(409);
    const replayedRefusal = await call(owner, "POST", `${base()}/messages`, body, { headers: { "idempotency-key": "collide-1" } });
    expect(replayedRefusal.status).toBe(409);
    expect(replayedRefusal.headers["idempotent-replayed"]).toBe("true");
    expect(errorOf(replayedRefusal.json)?.code).toBe("REPLY_COLLISION");
    // The confirmation is another request: under the same key it is refused, under a new one it goes once.
    const confirmed = { ...body, takeover: true };
    expect((await call(owner, "POST", `${base()}/messages`, confirmed, { headers: { "idempotency-key": "collide-1" } })).status).toBe(422);
    const sent = await call(owner, "POST", `${base()}/messages`, confirmed, { headers: { "idempotency-key": "collide-2" } });
    expect(sent.status).toBe(202);
    const again = await call(owner, "POST", `${base()}/messages`, confirmed, { headers: { "idempotency-key": "collide-2" } });
    expect(again.status).toBe(202);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json.id).toBe(sent.json.id);
    expect((await queuedMessages(conversationId)).filter((row) => row.sent_by_user_id === owner.userId)).toHaveLength(1);
    expect(await takeoverEntries(conversationId)).toHaveLength(1);
  });

  it("validates the new fields", async () => {
    const { conversationId } = await seedCustomer(null);
    expect((await call(owner, "POST", `${base()}/messages`, reply(conversationId, "x", { ifLastMessageId: randomUUID() }))).status).toBe(
      422,
    );
    expect((await call(owner, "POST", `${base()}/messages`, reply(conversationId, "x", { ifLastMessageId: "nope" }))).status).toBe(400);
    const toPhone = { numberId, to: "+4915112345678", type: "text", text: { body: "x" } };
    expect((await call(owner, "POST", `${base()}/messages`, { ...toPhone, takeover: true })).status).toBe(400);
    expect((await call(owner, "POST", `${base()}/messages`, { ...toPhone, ifLastMessageId: null })).status).toBe(400);
  });
});
