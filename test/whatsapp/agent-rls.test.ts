import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { assignConversation } from "../../src/features/conversations/repository.ts";
import { listConversations } from "../support/conversation-queries.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { captureLogs, createTestServices } from "../support/services.ts";
import { seedConversation, seedNumber } from "../support/workspace-fixtures.ts";
import { createWorkspace } from "./support.ts";

// Agents see and touch only conversations assigned to them, and only those conversations'
// messages — enforced by a RESTRICTIVE row-level policy, so a query that forgets the filter still
// cannot reach other conversations. Owners and Admins see everything in the workspace; nobody sees
// another workspace.

let db: TestDatabase;
let services: Services;
let workspaceId: string;
let otherWorkspaceId: string;
const agentA = randomUUID();
const agentB = randomUUID();
const conversations: Record<"a" | "b" | "none", string> = { a: "", b: "", none: "" };
const messagesOf: Record<string, string> = {};

/** A customer's conversation with one inbound message; remembers the message. */
async function seedCustomer(workspace: string, numberId: string, waId: string, assignee: string | null): Promise<string> {
  const { conversationId, messageIds } = await seedConversation(services, {
    workspaceId: workspace,
    numberId,
    waId,
    assignee,
    texts: ["hello"],
  });
  messagesOf[conversationId] = messageIds[0]!;
  return conversationId;
}

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  workspaceId = await createWorkspace(services);
  otherWorkspaceId = await createWorkspace(services);
  const numberId = await seedNumber(services, workspaceId);
  const otherNumberId = await seedNumber(services, otherWorkspaceId);
  conversations.a = await seedCustomer(workspaceId, numberId, "16505550401", agentA);
  conversations.b = await seedCustomer(workspaceId, numberId, "16505550402", agentB);
  conversations.none = await seedCustomer(workspaceId, numberId, "16505550403", null);
  await seedCustomer(otherWorkspaceId, otherNumberId, "16505550404", agentA);
}, 60_000);
afterAll(async () => {
  await services.coordination.close();
  await db.drop();
});

const asAgent = (userId: string) => ({ workspaceId, userId, role: "agent" as const });

describe("agent-level row security", () => {
  it("an Agent lists only the conversations and messages assigned to them, even with no filter", async () => {
    await withWorkspace(db, asAgent(agentA), async (trx) => {
      expect((await listConversations(trx, workspaceId, { limit: 100 })).map((c) => c.id)).toEqual([conversations.a]);
      const all = await trx.selectFrom("conversations").select("id").execute();
      expect(all.map((row) => row.id)).toEqual([conversations.a]);
      const messages = await trx.selectFrom("messages").select(["id", "conversation_id"]).execute();
      expect(messages).toEqual([{ id: messagesOf[conversations.a], conversation_id: conversations.a }]);
    });
  });

  it("an Agent cannot read, update, delete or reassign someone else's conversation or its messages", async () => {
    await withWorkspace(db, asAgent(agentA), async (trx) => {
      expect(await trx.selectFrom("conversations").select("id").where("id", "=", conversations.b).execute()).toEqual([]);
      expect(await trx.selectFrom("messages").select("id").where("conversation_id", "=", conversations.b).execute()).toEqual([]);
      const updated = await trx
        .updateTable("conversations")
        .set({ status: "closed" })
        .where("id", "in", [conversations.b, conversations.none])
        .executeTakeFirst();
      expect(Number(updated.numUpdatedRows)).toBe(0);
      expect(await assignConversation(trx, workspaceId, conversations.b, agentA)).toBe(false);
      const deleted = await trx.deleteFrom("messages").where("conversation_id", "=", conversations.b).executeTakeFirst();
      expect(Number(deleted.numDeletedRows)).toBe(0);
    });
    await withWorkspace(db, { workspaceId }, async (trx) => {
      const b = await trx
        .selectFrom("conversations")
        .select(["status", "assigned_user_id"])
        .where("id", "=", conversations.b)
        .executeTakeFirstOrThrow();
      expect(b).toEqual({ status: "open", assigned_user_id: agentB });
    });
  });

  it("an Agent cannot hand their conversation to someone else (WITH CHECK), nor add messages to another's", async () => {
    await expect(
      withWorkspace(db, asAgent(agentA), (trx) =>
        trx.updateTable("conversations").set({ assigned_user_id: agentB }).where("id", "=", conversations.a).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      withWorkspace(db, asAgent(agentA), async (trx) => {
        const source = await trx
          .selectFrom("messages")
          .selectAll()
          .where("conversation_id", "=", conversations.a)
          .executeTakeFirstOrThrow();
        await trx
          .insertInto("messages")
          .values({
            ...source,
            id: randomUUID(),
            wamid: "wamid.injected",
            conversation_id: conversations.b,
            status_at: null,
            created_at: undefined,
          })
          .execute();
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it("an Agent with no user id sees nothing; Owners, Admins and the worker see the whole workspace but never another", async () => {
    await withWorkspace(db, { workspaceId, role: "agent" }, async (trx) => {
      expect(await trx.selectFrom("conversations").select("id").execute()).toEqual([]);
      expect(await trx.selectFrom("messages").select("id").execute()).toEqual([]);
    });
    for (const role of ["owner", "admin", null] as const) {
      await withWorkspace(db, { workspaceId, userId: agentA, role }, async (trx) => {
        const ids = (await trx.selectFrom("conversations").select(["id", "workspace_id"]).execute()).map((row) => row.id).sort();
        expect(ids).toEqual([conversations.a, conversations.b, conversations.none].sort());
        expect(await trx.selectFrom("messages").select("id").execute()).toHaveLength(3);
      });
    }
  });

  it("after reassignment the new Agent sees the conversation and the previous one no longer does", async () => {
    await withWorkspace(db, { workspaceId, role: "admin" }, (trx) => assignConversation(trx, workspaceId, conversations.none, agentA));
    await withWorkspace(db, asAgent(agentA), async (trx) => {
      const ids = (await trx.selectFrom("conversations").select("id").execute()).map((row) => row.id).sort();
      expect(ids).toEqual([conversations.a, conversations.none].sort());
    });
    await withWorkspace(db, { workspaceId, role: "admin" }, (trx) => assignConversation(trx, workspaceId, conversations.none, agentB));
    await withWorkspace(db, asAgent(agentA), async (trx) => {
      expect((await trx.selectFrom("conversations").select("id").execute()).map((row) => row.id)).toEqual([conversations.a]);
    });
  });
});
