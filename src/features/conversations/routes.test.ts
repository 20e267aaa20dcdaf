import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessActions } from "../../audit/actions.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import type { Services } from "../../services.ts";
import type { TestDatabase } from "../../../test/support/engine.ts";
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
import { upsertOpenConversation } from "./repository.ts";
import { upsertWhatsAppContact } from "../contacts/whatsapp-repository.ts";
import { conversationRoutes } from "./routes.ts";

// The inbox API against a real database: what each role lists and reads (Agents only their own,
// through the API and RLS; Analysts nothing; other workspaces nothing), decryption of names and
// messages, keyset pagination, the exact-phone filter, assignment (audited) and close/reopen.

let world: ApiWorld<{ agentA: "agent"; agentB: "agent"; analyst: "analyst" }>;
let db: TestDatabase;
let services: Services;
let call: CallApi;
let workspaceId: string;
let owner: TestUser;
let agentA: TestUser;
let agentB: TestUser;
let analyst: TestUser;
let outsider: TestUser;
let numberId: string;
const conversation = { a: "", b: "", none: "" };

async function seedCustomer(waId: string, name: string, texts: string[], assignee: string | null, at: Date): Promise<string> {
  return (await seedConversation(services, { workspaceId, numberId, waId, profileName: name, texts, assignee, at })).conversationId;
}

const base = () => `/api/v1/workspaces/${workspaceId}`;
const ids = (json: Json) => (json.data as Array<{ id: string }>).map((row) => row.id);

beforeAll(async () => {
  world = await createApiWorld({ routes: conversationRoutes, members: { agentA: "agent", agentB: "agent", analyst: "analyst" } });
  ({ db, services, call, workspaceId, owner, outsider } = world);
  ({ agentA, agentB, analyst } = world.members);
  numberId = await seedNumber(services, workspaceId);
  const now = Date.now();
  conversation.a = await seedCustomer("4915110000001", "Ada Customer", ["hello", "are you there?"], agentA.userId, new Date(now - 3_000));
  conversation.b = await seedCustomer(
    "4915110000002",
    "Bo Customer",
    ["<img src=x onerror=alert(1)>"],
    agentB.userId,
    new Date(now - 2_000),
  );
  conversation.none = await seedCustomer("4915110000003", "Cy Customer", ["new here"], null, new Date(now - 1_000));
});

afterAll(async () => {
  await world?.close();
});

describe("listing conversations", () => {
  it("shows an Owner every conversation, newest first, with names and last messages decrypted", async () => {
    const answer = await call(owner, "GET", `${base()}/conversations`);
    expect(answer.status).toBe(200);
    expect(ids(answer.json)).toEqual([conversation.none, conversation.b, conversation.a]);
    const rows = answer.json.data as Array<Json & { contact: Json; lastMessage: Json; window: Json }>;
    expect(rows[2]!.contact).toMatchObject({ name: "Ada Customer", phone: "+4915110000001" });
    expect(rows[2]!.lastMessage).toMatchObject({ text: "are you there?", direction: "in", status: "received" });
    expect(rows[2]!.window).toMatchObject({ open: true });
    expect(rows[2]!.assignedUserId).toBe(agentA.userId);
    // Content is data, returned as the string it is (the dashboard renders it as text).
    expect(rows[1]!.lastMessage.text).toBe("<img src=x onerror=alert(1)>");
  });

  it("filters by view, status, number and exact phone number", async () => {
    expect(ids((await call(owner, "GET", `${base()}/conversations?view=unassigned`)).json)).toEqual([conversation.none]);
    expect(ids((await call(owner, "GET", `${base()}/conversations?view=mine`)).json)).toEqual([]);
    expect(ids((await call(owner, "GET", `${base()}/conversations?phone=${encodeURIComponent("+49 151 10000002")}`)).json)).toEqual([
      conversation.b,
    ]);
    expect(ids((await call(owner, "GET", `${base()}/conversations?numberId=${randomUUID()}`)).json)).toEqual([]);
    expect(ids((await call(owner, "GET", `${base()}/conversations?status=closed`)).json)).toEqual([]);
    expect((await call(owner, "GET", `${base()}/conversations?phone=12345`)).status).toBe(400);
  });

  it("pages with an opaque cursor, without gaps or repeats", async () => {
    const first = await call(owner, "GET", `${base()}/conversations?limit=2`);
    expect(ids(first.json)).toEqual([conversation.none, conversation.b]);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await call(owner, "GET", `${base()}/conversations?limit=2&cursor=${String(first.json.nextCursor)}`);
    expect(ids(second.json)).toEqual([conversation.a]);
    expect(second.json.nextCursor).toBeNull();
    expect((await call(owner, "GET", `${base()}/conversations?cursor=not-a-cursor`)).status).toBe(400);
  });

  it("shows an Agent only their own conversations, and refuses them the other views", async () => {
    const mine = await call(agentA, "GET", `${base()}/conversations`);
    expect(mine.status).toBe(200);
    expect(ids(mine.json)).toEqual([conversation.a]);
    expect((await call(agentA, "GET", `${base()}/conversations?view=all`)).status).toBe(403);
    expect((await call(agentA, "GET", `${base()}/conversations?view=unassigned`)).status).toBe(403);
    // The phone of someone else's customer finds nothing for them.
    expect(ids((await call(agentA, "GET", `${base()}/conversations?phone=%2B4915110000002`)).json)).toEqual([]);
  });

  it("refuses Analysts and members of other workspaces", async () => {
    expect((await call(analyst, "GET", `${base()}/conversations`)).status).toBe(403);
    const foreign = await call(outsider, "GET", `${base()}/conversations`);
    expect(foreign.status).toBe(403);
    expect((await call(outsider, "GET", `${base()}/conversations/${conversation.a}/messages`)).status).toBe(403);
    expect((await call(null, "GET", `${base()}/conversations`)).status).toBe(401);
  });
});

describe("reading a conversation", () => {
  it("answers the messages decrypted, newest first, with paging", async () => {
    const page = await call(agentA, "GET", `${base()}/conversations/${conversation.a}/messages?limit=1`);
    expect(page.status).toBe(200);
    expect((page.json.data as Json[]).map((message) => message.text)).toEqual(["are you there?"]);
    const older = await call(
      agentA,
      "GET",
      `${base()}/conversations/${conversation.a}/messages?limit=1&cursor=${String(page.json.nextCursor)}`,
    );
    expect((older.json.data as Json[]).map((message) => message.text)).toEqual(["hello"]);
    expect(older.json.nextCursor).toBeNull();
    expect((await call(agentA, "GET", `${base()}/conversations/${conversation.a}`)).json).toMatchObject({
      id: conversation.a,
      contact: { name: "Ada Customer" },
    });
  });

  it("answers 404 to an Agent for a colleague's conversation", async () => {
    expect((await call(agentA, "GET", `${base()}/conversations/${conversation.b}`)).status).toBe(404);
    expect((await call(agentA, "GET", `${base()}/conversations/${conversation.b}/messages`)).status).toBe(404);
    expect((await call(agentA, "POST", `${base()}/conversations/${conversation.b}/close`)).status).toBe(404);
  });
});

describe("acting on conversations", () => {
  it("lets an Owner assign (audited) and an Agent then see it; refuses Agents, Analysts as assignees and strangers", async () => {
    expect((await call(agentA, "POST", `${base()}/conversations/${conversation.none}/assign`, { userId: agentA.userId })).status).toBe(403);
    const toAnalyst = await call(owner, "POST", `${base()}/conversations/${conversation.none}/assign`, { userId: analyst.userId });
    expect(toAnalyst.status).toBe(422);
    expect((await call(owner, "POST", `${base()}/conversations/${conversation.none}/assign`, { userId: outsider.userId })).status).toBe(
      422,
    );

    const assigned = await call(owner, "POST", `${base()}/conversations/${conversation.none}/assign`, { userId: agentA.userId });
    expect(assigned.status).toBe(200);
    expect(assigned.json.assignedUserId).toBe(agentA.userId);
    expect(ids((await call(agentA, "GET", `${base()}/conversations`)).json)).toEqual([conversation.none, conversation.a]);
    const audit = await db.owner
      .selectFrom("audit_entries")
      .select(["action", "target_id"])
      .where("workspace_id", "=", workspaceId)
      .where("action", "=", "conversation.assigned")
      .execute();
    expect(audit).toEqual([{ action: "conversation.assigned", target_id: conversation.none }]);

    const unassigned = await call(owner, "POST", `${base()}/conversations/${conversation.none}/assign`, { userId: null });
    expect(unassigned.json.assignedUserId).toBeNull();
    expect(ids((await call(agentA, "GET", `${base()}/conversations`)).json)).toEqual([conversation.a]);
    expect((await call(owner, "POST", `${base()}/conversations/${randomUUID()}/assign`, { userId: null })).status).toBe(404);
  });

  it("lets an Agent close and reopen their own conversation (audited)", async () => {
    const closed = await call(agentA, "POST", `${base()}/conversations/${conversation.a}/close`);
    expect(closed.status).toBe(200);
    expect(closed.json.status).toBe("closed");
    expect(ids((await call(owner, "GET", `${base()}/conversations?status=closed`)).json)).toEqual([conversation.a]);
    const reopened = await call(agentA, "POST", `${base()}/conversations/${conversation.a}/reopen`);
    expect(reopened.json.status).toBe("open");
    expect((await call(analyst, "POST", `${base()}/conversations/${conversation.a}/close`)).status).toBe(403);
    const actions = await db.owner
      .selectFrom("audit_entries")
      .select("action")
      .where("workspace_id", "=", workspaceId)
      .where("target_id", "=", conversation.a)
      // Reads of the conversation are in the same log as access entries (src/audit/access.ts).
      .where("action", "not in", [...accessActions])
      .orderBy("seq")
      .execute();
    expect(actions.map((row) => row.action)).toEqual(["conversation.closed", "conversation.reopened"]);
  });

  it("refuses to reopen a conversation while the contact has another open one on that number", async () => {
    await call(owner, "POST", `${base()}/conversations/${conversation.b}/close`);
    // The customer writes again: a new open conversation.
    const newer = await withWorkspace(db, { workspaceId }, async (trx) => {
      const contact = await upsertWhatsAppContact(trx, services.keyring, {
        workspaceId,
        waId: "4915110000002",
        profileName: null,
        userId: null,
        at: new Date(),
      });
      return upsertOpenConversation(trx, { workspaceId, contactId: contact.id, numberId, inboundAt: new Date() });
    });
    expect(newer).not.toBe(conversation.b);
    const answer = await call(owner, "POST", `${base()}/conversations/${conversation.b}/reopen`);
    expect(answer.status).toBe(409);
    expect(errorCode(answer.json)).toBe("CONFLICT");
  });
});
