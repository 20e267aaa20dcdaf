import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessRecorder } from "../../src/audit/access.ts";
import { reduceAddress, userAgentFamily } from "../../src/privacy/minimize.ts";
import { accessLogRoutes } from "../../src/audit/access-routes.ts";
import { auditRoutes } from "../../src/audit/routes.ts";
import { verifyAuditLog } from "../../src/audit/verify.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { contactRoutes } from "../../src/features/contacts/routes.ts";
import { conversationRoutes } from "../../src/features/conversations/routes.ts";
import { mediaRoutes } from "../../src/features/messages/media/routes.ts";
import {
  createApiWorld,
  errorCode,
  seedConversation,
  seedNumber,
  type ApiWorld,
  type SeededConversation,
} from "../support/workspace-fixtures.ts";
import { tamperAsOwner } from "./helpers.ts";

// The access log (src/audit/access.ts): reads of customer data land in the audit log through the
// group-committed recorder, with ids, the network and the user agent family only; Owners and
// Admins ask "who accessed this contact's data" and "what did this member open", page and export
// them; the entries are append-only and `parley audit verify` notices a rewrite.

type Entry = {
  seq: number;
  occurredAt: string;
  actor: { type: string; id: string | null };
  action: string;
  target: { type: string; id: string } | null;
  contactId: string | null;
  conversationId: string | null;
  messageId: string | null;
  network: string | null;
  userAgentFamily: string | null;
};
type Page = { entries: Entry[]; nextCursor: string | null };

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
let world: ApiWorld<{ admin: "admin"; agent: "agent"; analyst: "analyst" }>;
let alice: SeededConversation;
let bob: SeededConversation;

beforeAll(async () => {
  world = await createApiWorld({
    routes: [...conversationRoutes, ...contactRoutes, ...mediaRoutes, ...auditRoutes, ...accessLogRoutes],
    members: { admin: "admin", agent: "agent", analyst: "analyst" },
  });
  world.services.accessLog = createAccessRecorder({ db: world.db, logger: world.services.logger });
  const numberId = await seedNumber(world.services, world.workspaceId);
  alice = await seedConversation(world.services, {
    workspaceId: world.workspaceId,
    numberId,
    waId: "14155550101",
    profileName: "Alice Canary",
    assignee: world.members.agent.userId,
    texts: ["secret canary text"],
  });
  bob = await seedConversation(world.services, { workspaceId: world.workspaceId, numberId, waId: "14155550102", texts: ["hello"] });
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const base = () => `/api/v1/workspaces/${world.workspaceId}`;

async function openAs(member: "agent" | "admin", url: string) {
  return world.call(world.members[member], "GET", url, undefined, { headers: { "user-agent": FIREFOX } });
}

async function accessLog(query: string, as = world.owner): Promise<Page> {
  const answer = await world.call(as, "GET", `${base()}/access-log${query}`);
  expect(answer.status).toBe(200);
  return answer.json as unknown as Page;
}

describe("recording reads", () => {
  it("records a thread open (conversation and messages) with ids, the network and the browser family — no content", async () => {
    const answer = await world.app.inject({
      method: "GET",
      url: `${base()}/conversations/${alice.conversationId}/messages`,
      remoteAddress: "203.0.113.77",
      headers: { ...(await bearerOf("agent")), "user-agent": FIREFOX },
    });
    expect(answer.statusCode).toBe(200);
    expect((await openAs("agent", `${base()}/conversations/${alice.conversationId}`)).status).toBe(200);

    const page = await accessLog(`?actorId=${world.members.agent.userId}`);
    const messages = page.entries.find((entry) => entry.action === "messages.viewed")!;
    expect(messages).toMatchObject({
      actor: { type: "user", id: world.members.agent.userId },
      target: { type: "conversation", id: alice.conversationId },
      contactId: alice.contactId,
      conversationId: alice.conversationId,
      network: "203.0.113.0/24",
      userAgentFamily: "Firefox",
    });
    expect(page.entries.map((entry) => entry.action)).toContain("conversation.viewed");

    // Nothing personal in any stored column of any access entry.
    const rows = await withWorkspace(world.db, { workspaceId: world.workspaceId }, (trx) =>
      sql<Record<string, unknown>>`select * from audit_entries where workspace_id = ${world.workspaceId}`.execute(trx),
    );
    const stored = JSON.stringify(rows.rows);
    for (const secret of ["secret canary text", "Alice", "14155550101", "203.0.113.77", "rv:128.0", "Gecko"])
      expect(stored).not.toContain(secret);
  });

  it("records contact views, media links and name searches (result counts, never the terms)", async () => {
    expect((await openAs("admin", `${base()}/contacts/${alice.contactId}`)).status).toBe(200);
    const search = await openAs("admin", `${base()}/conversations?name=canary`);
    expect(search.status).toBe(200);
    const [messageId] = alice.messageIds;
    await withWorkspace(world.db, { workspaceId: world.workspaceId }, (trx) =>
      sql`update messages set media_status = 'stored', media_blob_key = ${`media/${randomUUID()}`}, media_mime_type = 'image/jpeg'
          where workspace_id = ${world.workspaceId} and id = ${messageId!}`.execute(trx),
    );
    expect((await openAs("admin", `${base()}/messages/${messageId}/media-url`)).status).toBe(200);

    const page = await accessLog(`?actorId=${world.members.admin.userId}`);
    const byAction = new Map(page.entries.map((entry) => [entry.action, entry]));
    expect(byAction.get("contact.viewed")).toMatchObject({ target: { type: "contact", id: alice.contactId }, contactId: alice.contactId });
    expect(byAction.get("media.viewed")).toMatchObject({
      target: { type: "message", id: messageId },
      contactId: alice.contactId,
      conversationId: alice.conversationId,
      messageId,
    });
    expect(byAction.get("conversations.searched")).toMatchObject({ target: { type: "workspace", id: world.workspaceId }, contactId: null });
    const rows = await withWorkspace(world.db, { workspaceId: world.workspaceId }, (trx) =>
      sql<{ metadata: unknown }>`select metadata from audit_entries where action = 'conversations.searched'`.execute(trx),
    );
    expect(JSON.stringify(rows.rows)).not.toContain("canary");
  });

  it("does not record a read that was refused", async () => {
    const before = (await accessLog(`?actorId=${world.members.agent.userId}`)).entries.length;
    // Bob's conversation is not the Agent's: not found, and nothing was read.
    expect((await openAs("agent", `${base()}/conversations/${bob.conversationId}/messages`)).status).toBe(404);
    expect((await accessLog(`?actorId=${world.members.agent.userId}`)).entries.length).toBe(before);
  });
});

async function bearerOf(member: "agent" | "admin"): Promise<Record<string, string>> {
  // The fixture's caller keeps tokens private; a fresh login is as good.
  const { login, bearer } = await import("../support/identity.ts");
  return bearer(await login(world.app, world.members[member]));
}

describe("the two questions", () => {
  it("answers who accessed a contact's data, across members, and not another contact's reads", async () => {
    expect((await openAs("admin", `${base()}/conversations/${bob.conversationId}/messages`)).status).toBe(200);
    const aliceLog = await accessLog(`?contactId=${alice.contactId}`);
    const actors = new Set(aliceLog.entries.map((entry) => entry.actor.id));
    expect(actors).toEqual(new Set([world.members.agent.userId, world.members.admin.userId]));
    expect(aliceLog.entries.every((entry) => entry.contactId === alice.contactId)).toBe(true);
    const bobLog = await accessLog(`?contactId=${bob.contactId}`);
    expect(bobLog.entries.map((entry) => entry.action)).toEqual(["messages.viewed"]);
  });

  it("filters by kind and time range, and pages by cursor without repeats", async () => {
    const kinds = await accessLog(`?contactId=${alice.contactId}&action=contact.viewed`);
    expect(kinds.entries.map((entry) => entry.action)).toEqual(["contact.viewed"]);
    const future = await accessLog(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(future.entries).toEqual([]);
    const all = await accessLog("?limit=200");
    const seen: number[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: Page = await accessLog(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...page.entries.map((entry) => entry.seq));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.entries.map((entry) => entry.seq));
    expect(new Set(seen).size).toBe(seen.length);
    // Only access kinds: the log's other entries are not part of the answer.
    expect(all.entries.every((entry) => !entry.action.startsWith("auth."))).toBe(true);
  });

  it("refuses bad input with 400s naming the field", async () => {
    for (const query of [
      "?contactId=nope",
      "?action=member.removed",
      "?cursor=garbage",
      "?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z",
      "?limit=0",
      "?extra=1",
    ]) {
      const answer = await world.call(world.owner, "GET", `${base()}/access-log${query}`);
      expect(answer.status, query).toBe(400);
      expect(errorCode(answer.json)).toBe("VALIDATION_FAILED");
    }
  });

  it("is for Owners and Admins: Agent and Analyst 403, another workspace's Owner refused, anonymous 401", async () => {
    expect((await world.call(world.members.admin, "GET", `${base()}/access-log`)).status).toBe(200);
    expect((await world.call(world.members.agent, "GET", `${base()}/access-log`)).status).toBe(403);
    expect((await world.call(world.members.analyst, "GET", `${base()}/access-log`)).status).toBe(403);
    expect([403, 404]).toContain((await world.call(world.outsider, "GET", `${base()}/access-log`)).status);
    expect((await world.call(null, "GET", `${base()}/access-log`)).status).toBe(401);
    expect((await world.call(world.members.agent, "POST", `${base()}/access-log/export`, {})).status).toBe(403);
  });
});

describe("export", () => {
  it("exports the filtered log as formula-safe CSV and records the export", async () => {
    const answer = await world.call(world.owner, "POST", `${base()}/access-log/export`, { contactId: alice.contactId });
    expect(answer.status).toBe(200);
    const body = answer.json as { csv: string; rows: number; truncated: boolean };
    const lines = body.csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "seq,occurred_at,actor_type,actor_id,action,target_type,target_id,contact_id,conversation_id,message_id,network,user_agent_family,leaf_hash",
    );
    expect(lines).toHaveLength(body.rows + 1);
    expect(body.rows).toBeGreaterThan(0);
    expect(body.csv).not.toMatch(/(^|,)[=+\-@]/m);
    const exports = await accessLog(`?action=access_log.exported&actorId=${world.owner.userId}`);
    expect(exports.entries).toHaveLength(1);
  });
});

describe("append-only and tamper-evident", () => {
  it("the runtime role can neither change nor delete an access entry", async () => {
    for (const statement of [
      sql`update audit_entries set actor_id = 'someone-else' where action = 'messages.viewed'`,
      sql`delete from audit_entries where action = 'messages.viewed'`,
    ]) {
      await expect(withWorkspace(world.db, { workspaceId: world.workspaceId }, (trx) => statement.execute(trx))).rejects.toThrow(
        /permission denied/,
      );
    }
  });

  it("audit verify names a rewritten access entry", async () => {
    expect((await verifyAuditLog(world.db, { workspaceId: world.workspaceId, provider: world.services.keyring.provider })).ok).toBe(true);
    const { seq } = (await accessLog(`?contactId=${alice.contactId}&action=messages.viewed`)).entries.at(-1)!;
    await tamperAsOwner(world.db, async (trx) => {
      await sql`update audit_entries set actor_id = ${randomUUID()} where workspace_id = ${world.workspaceId} and seq = ${seq}`.execute(
        trx,
      );
    });
    const result = await verifyAuditLog(world.db, { workspaceId: world.workspaceId, provider: world.services.keyring.provider });
    expect(result.ok).toBe(false);
    expect(result.workspaces[0]!.problem).toMatchObject({ kind: "edited", seq });
  });
});

describe("the recorder", () => {
  it("drains every handed-over entry: gap-free sequence numbers, read times kept, across workspaces", async () => {
    const recorder = createAccessRecorder({ db: world.db, logger: world.services.logger });
    const workspaces = [randomUUID(), randomUUID()];
    const at = new Date("2026-01-01T00:00:00.000Z");
    for (let index = 0; index < 250; index += 1) {
      void recorder.record({
        workspaceId: workspaces[index % 2]!,
        actor: { type: "user", id: randomUUID() },
        action: "conversation.viewed",
        target: { type: "conversation", id: randomUUID() },
        metadata: { contactId: randomUUID() },
        ip: "198.51.100.0/24",
        userAgent: "Chrome",
        at: new Date(at.getTime() + index),
      });
    }
    expect(recorder.backlog()).toBeGreaterThan(0);
    await recorder.drain();
    expect(recorder.backlog()).toBe(0);
    for (const workspaceId of workspaces) {
      const rows = await withWorkspace(world.db, { workspaceId }, (trx) =>
        sql<{ seq: string; occurred_at: Date }>`select seq, occurred_at from audit_entries order by seq`.execute(trx),
      );
      expect(rows.rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 125 }, (_, index) => index + 1));
      expect(new Date(rows.rows[0]!.occurred_at).getTime()).toBeGreaterThanOrEqual(at.getTime());
      expect((await verifyAuditLog(world.db, { workspaceId, provider: world.services.keyring.provider })).ok).toBe(true);
    }
  });

  it("makes readers wait for their own commit once the backlog passes its bound", async () => {
    const recorder = createAccessRecorder({ db: world.db, logger: world.services.logger, maxBacklog: 1 });
    const workspaceId = randomUUID();
    const entry = {
      workspaceId,
      actor: { type: "user" as const, id: randomUUID() },
      action: "contact.viewed" as const,
      target: { type: "contact" as const, id: randomUUID() },
      metadata: {},
      ip: null,
      userAgent: null,
      at: new Date(),
    };
    void recorder.record(entry);
    await recorder.record(entry);
    const rows = await withWorkspace(world.db, { workspaceId }, (trx) => sql`select seq from audit_entries`.execute(trx));
    expect(rows.rows.length).toBe(2);
  });

  it("logs a failed write with ids only", async () => {
    const recorder = createAccessRecorder({ db: world.db, logger: world.services.logger });
    await recorder.record({
      workspaceId: "not-a-uuid",
      actor: { type: "user", id: "x" },
      action: "contact.viewed",
      target: { type: "contact", id: "y" },
      metadata: {},
      ip: null,
      userAgent: null,
      at: new Date(),
    });
    await recorder.drain();
    expect(world.logs.text()).toContain("an access log entry could not be written");
  });
});

describe("minimization", () => {
  it("keeps the network of an address, never the address", () => {
    expect(reduceAddress("203.0.113.77")).toBe("203.0.113.0/24");
    expect(reduceAddress("::ffff:198.51.100.9")).toBe("198.51.100.0/24");
    expect(reduceAddress("2001:db8:abcd:12::1")).toBe("2001:db8:abcd::/48");
    expect(reduceAddress("2001:0db8::1")).toBe("2001:db8:0::/48");
    expect(reduceAddress("::1")).toBe("0:0:0::/48");
    expect(reduceAddress("not an address")).toBeNull();
    expect(reduceAddress(null)).toBeNull();
  });

  it("keeps the family of a user agent, never its versions", () => {
    expect(userAgentFamily(FIREFOX)).toBe("Firefox");
    expect(userAgentFamily("Mozilla/5.0 (Macintosh) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")).toBe("Chrome");
    expect(userAgentFamily("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0")).toBe("Edge");
    expect(userAgentFamily("Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1")).toBe("Safari");
    expect(userAgentFamily("curl/8.5.0")).toBe("curl");
    expect(userAgentFamily("my-own-bot/1.0 (+mailto:someone@example.com)")).toBe("other");
    expect(userAgentFamily(null)).toBeNull();
  });
});
