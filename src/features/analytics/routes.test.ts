import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../db/with-workspace.ts";
import type { Services } from "../../services.ts";
import type { TestDatabase } from "../../../test/support/engine.ts";
import type { TestUser } from "../../../test/support/identity.ts";
import { createApiWorld, seedConversation, seedNumber, type ApiWorld, type CallApi } from "../../../test/support/workspace-fixtures.ts";
import { conversationRoutes } from "../conversations/routes.ts";
import { analyticsRoutes } from "./routes.ts";

// The Overview's aggregates against a real database: Owners, Admins and Analysts get the same
// numbers; Agents, other workspaces and anonymous callers do not. Analysts get them although
// restrictive RLS still refuses them every message and contact row and the API every content route
// — the numbers come from a SECURITY DEFINER function that returns counts only (migration 0011).

let world: ApiWorld<{ admin: "admin"; agent: "agent"; analyst: "analyst" }>;
let db: TestDatabase;
let services: Services;
let call: CallApi;
let workspaceId: string;
let otherWorkspaceId: string;
let owner: TestUser;
let admin: TestUser;
let agent: TestUser;
let analyst: TestUser;
let outsider: TestUser;
const conversations = { answered: "", waiting: "", closed: "" };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const PHONES = ["4915120000001", "4915120000002", "4915120000003"];
const NAMES = ["Erin Analytics", "Finn Analytics", "Gus Analytics"];
const SECRET_TEXT = "my card number is 4111 1111 1111 1111";

type Summary = {
  days: number;
  conversations: { open: number; closed: number; unassigned: number };
  messagesPerDay: Array<{ day: string; inbound: number; outbound: number }>;
  firstResponse: { medianSeconds: number | null; answered: number; waiting: number };
  outbound: { total: number; delivered: number; read: number; failed: number; deliveryRate: number | null; readRate: number | null };
};

/** A conversation with one inbound message at `at`, and outbound replies `after` ms later with their statuses. */
async function seedTraffic(
  workspace: string,
  numberId: string,
  index: number,
  at: Date,
  replies: Array<{ after: number; status: "sent" | "delivered" | "read" | "failed" }>,
  assignee: string | null,
): Promise<string> {
  const { conversationId, contactId } = await seedConversation(services, {
    workspaceId: workspace,
    numberId,
    waId: PHONES[index]!,
    profileName: NAMES[index]!,
    assignee,
    at,
    texts: [SECRET_TEXT],
    phoneNumberId: "200",
  });
  if (replies.length === 0) return conversationId;
  await withWorkspace(db, { workspaceId: workspace }, (trx) =>
    trx
      .insertInto("messages")
      .values(
        replies.map((reply) => ({
          workspace_id: workspace,
          id: randomUUID(),
          conversation_id: conversationId,
          contact_id: contactId,
          number_id: numberId,
          phone_number_id: "200",
          direction: "out" as const,
          wamid: `wamid.analytics.${randomUUID()}`,
          type: "text",
          content_ciphertext: null,
          status: reply.status,
          status_at: new Date(at.getTime() + reply.after),
          occurred_at: new Date(at.getTime() + reply.after),
        })),
      )
      .execute(),
  );
  return conversationId;
}

const get = (user: TestUser | null, url: string) => call(user, "GET", url);

const summaryUrl = (workspace = workspaceId) => `/api/v1/workspaces/${workspace}/analytics/summary`;

beforeAll(async () => {
  world = await createApiWorld({
    routes: [...analyticsRoutes, ...conversationRoutes],
    members: { admin: "admin", agent: "agent", analyst: "analyst" },
  });
  ({ db, services, call, workspaceId, owner, outsider, outsiderWorkspaceId: otherWorkspaceId } = world);
  ({ admin, agent, analyst } = world.members);
  const numberId = await seedNumber(services, workspaceId, { phoneNumberId: "200" });
  const now = Date.now();
  // Answered after 1 minute (then read, then delivered), answered after 3 minutes (failed, then closed),
  // still waiting; plus a conversation from a month ago, outside the period.
  conversations.answered = await seedTraffic(
    workspaceId,
    numberId,
    0,
    new Date(now - 2 * DAY),
    [
      { after: MINUTE, status: "read" },
      { after: 2 * MINUTE, status: "delivered" },
    ],
    agent.userId,
  );
  conversations.closed = await seedTraffic(
    workspaceId,
    numberId,
    1,
    new Date(now - DAY),
    [{ after: 3 * MINUTE, status: "failed" }],
    agent.userId,
  );
  conversations.waiting = await seedTraffic(workspaceId, numberId, 2, new Date(now - 10 * MINUTE), [], null);
  await withWorkspace(db, { workspaceId }, (trx) =>
    trx
      .updateTable("conversations")
      .set({ status: "closed", closed_at: new Date() })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", conversations.closed)
      .execute(),
  );
  const oldNumber = numberId;
  await withWorkspace(db, { workspaceId }, async (trx) => {
    const old = await trx
      .selectFrom("messages")
      .select(["conversation_id", "contact_id"])
      .where("conversation_id", "=", conversations.answered)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("messages")
      .values({
        workspace_id: workspaceId,
        id: randomUUID(),
        conversation_id: old.conversation_id,
        contact_id: old.contact_id,
        number_id: oldNumber,
        phone_number_id: "200",
        direction: "in",
        wamid: "wamid.analytics.old",
        type: "text",
        content_ciphertext: null,
        status: "received",
        occurred_at: new Date(now - 30 * DAY),
      })
      .execute();
  });
  // Another workspace's traffic never counts here.
  const otherNumber = await seedNumber(services, otherWorkspaceId, { phoneNumberId: "200" });
  await seedTraffic(otherWorkspaceId, otherNumber, 0, new Date(now - 5 * MINUTE), [{ after: 1_000, status: "read" }], null);
});

afterAll(async () => {
  await world?.close();
});

describe("GET /api/v1/workspaces/:workspaceId/analytics/summary", () => {
  it("gives an Analyst the workspace's counts, rates and median first response", async () => {
    const answer = await get(analyst, summaryUrl());
    expect(answer.status).toBe(200);
    const summary = answer.json as unknown as Summary;
    expect(summary.days).toBe(14);
    expect(summary.conversations).toEqual({ open: 2, closed: 1, unassigned: 1 });
    expect(summary.messagesPerDay).toHaveLength(14);
    expect(summary.messagesPerDay.at(-1)!.day).toBe(new Date().toISOString().slice(0, 10));
    const totals = summary.messagesPerDay.reduce(
      (sum, day) => ({ inbound: sum.inbound + day.inbound, outbound: sum.outbound + day.outbound }),
      { inbound: 0, outbound: 0 },
    );
    // The message from a month ago and the other workspace's traffic are not counted.
    expect(totals).toEqual({ inbound: 3, outbound: 3 });
    expect(summary.firstResponse).toEqual({ medianSeconds: 120, answered: 2, waiting: 1 });
    expect(summary.outbound).toEqual({ total: 3, delivered: 2, read: 1, failed: 1, deliveryRate: 2 / 3, readRate: 1 / 3 });
  });

  it("answers Owners and Admins the same numbers", async () => {
    const fromAnalyst = (await get(analyst, summaryUrl())).json;
    for (const user of [owner, admin]) {
      const answer = await get(user, summaryUrl());
      expect(answer.status).toBe(200);
      expect({ ...answer.json, generatedAt: null }).toEqual({ ...fromAnalyst, generatedAt: null });
    }
  });

  it("holds counts only: no phone number, name or message text in the answer", async () => {
    const { text: body } = await get(analyst, summaryUrl());
    for (const value of [...PHONES, ...NAMES, SECRET_TEXT, "4111"]) expect(body).not.toContain(value);
  });

  it("refuses Agents (403), members of another workspace and anonymous callers", async () => {
    expect((await get(agent, summaryUrl())).status).toBe(403);
    expect([403, 404]).toContain((await get(outsider, summaryUrl())).status);
    expect((await get(null, summaryUrl())).status).toBe(401);
    // The outsider's own workspace shows only its own traffic.
    const own = (await get(outsider, summaryUrl(otherWorkspaceId))).json as unknown as Summary;
    expect(own.outbound.total).toBe(1);
    expect(own.conversations).toEqual({ open: 1, closed: 0, unassigned: 1 });
  });
});

describe("an Analyst still reaches no personal data", () => {
  it("is refused the conversation, message and phone-search routes (403)", async () => {
    const base = `/api/v1/workspaces/${workspaceId}`;
    for (const url of [
      `${base}/conversations`,
      `${base}/conversations?phone=${encodeURIComponent(`+${PHONES[0]}`)}`,
      `${base}/conversations/${conversations.answered}`,
      `${base}/conversations/${conversations.answered}/messages`,
    ]) {
      const answer = await get(analyst, url);
      expect([url, answer.status]).toEqual([url, 403]);
      for (const value of [...PHONES, ...NAMES, SECRET_TEXT]) expect(answer.text).not.toContain(value);
    }
  });

  it("sees no rows of messages or contacts, before and after the aggregate function ran in the same transaction", async () => {
    const counts = await withWorkspace(db, { workspaceId, userId: analyst.userId, role: "analyst" }, async (trx) => {
      const rows = async () => ({
        messages: (await trx.selectFrom("messages").select("id").execute()).length,
        contacts: (await trx.selectFrom("contacts").select("id").execute()).length,
      });
      const before = await rows();
      const summary = await sql<{ summary: unknown }>`select analytics_summary(14) as summary`.execute(trx);
      const role = await sql<{ role: string }>`select current_setting('parley.role', true) as role`.execute(trx);
      return { before, after: await rows(), role: role.rows[0]!.role, hasSummary: summary.rows[0]!.summary !== null };
    });
    expect(counts).toEqual({
      before: { messages: 0, contacts: 0 },
      after: { messages: 0, contacts: 0 },
      role: "analyst",
      hasSummary: true,
    });
  });

  it("the function itself refuses Agents and a transaction without a workspace", async () => {
    await expect(
      withWorkspace(db, { workspaceId, userId: agent.userId, role: "agent" }, (trx) => sql`select analytics_summary(14)`.execute(trx)),
    ).rejects.toThrow(/analytics\.read/);
    await expect(
      db.app.transaction().execute(async (trx) => {
        await sql`select set_config('role', 'parley_app', true)`.execute(trx);
        return sql`select analytics_summary(14)`.execute(trx);
      }),
    ).rejects.toThrow(/needs a workspace/);
  });

  it("the runtime role cannot call the inner computation with a workspace of its choosing", async () => {
    await expect(
      withWorkspace(db, { workspaceId, userId: analyst.userId, role: "analyst" }, (trx) =>
        sql`select analytics_aggregates(${otherWorkspaceId}::uuid, 14)`.execute(trx),
      ),
    ).rejects.toThrow(/permission denied/);
  });
});
