import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../db/with-workspace.ts";
import type { TestDatabase } from "../../../test/support/engine.ts";
import type { TestUser } from "../../../test/support/identity.ts";
import { createApiWorld, errorCode, type ApiWorld, type CallApi, type Json } from "../../../test/support/workspace-fixtures.ts";
import { quickReplyRoutes } from "./routes.ts";
import { MAX_QUICK_REPLIES } from "./service.ts";

// Quick replies against a real database: everyone who may send lists them, Owners and Admins
// manage them (audited), Agents and Analysts cannot write, Analysts cannot read, workspaces never
// see each other's; shortcuts are unique and validated, at most 200 per workspace.

let world: ApiWorld<{ admin: "admin"; agent: "agent"; analyst: "analyst" }>;
let db: TestDatabase;
let call: CallApi;
let workspaceId: string;
let otherWorkspace: string;
let owner: TestUser;
let admin: TestUser;
let agent: TestUser;
let analyst: TestUser;
let outsider: TestUser;

const base = (workspace = workspaceId) => `/api/v1/workspaces/${workspace}/quick-replies`;
const shortcuts = (json: Json) => (json.data as Array<{ shortcut: string }>).map((item) => item.shortcut);

beforeAll(async () => {
  world = await createApiWorld({ routes: quickReplyRoutes, members: { admin: "admin", agent: "agent", analyst: "analyst" } });
  ({ db, call, workspaceId, owner, outsider, outsiderWorkspaceId: otherWorkspace } = world);
  ({ admin, agent, analyst } = world.members);
});

afterAll(async () => {
  await world?.close();
});

describe("quick replies", () => {
  it("Owners and Admins create them; everyone who sends lists them by shortcut", async () => {
    const created = await call(owner, "POST", base(), {
      shortcut: "Thanks",
      text: "Thank you for writing to us!\nWe will answer shortly.",
    });
    expect(created.status).toBe(201);
    // Shortcuts are stored lower-case; the text is kept exactly.
    expect(created.json).toMatchObject({ shortcut: "thanks", text: "Thank you for writing to us!\nWe will answer shortly." });
    expect((await call(admin, "POST", base(), { shortcut: "hours", text: "We are open 9–17, Monday to Friday." })).status).toBe(201);
    const listed = await call(agent, "GET", base());
    expect(listed.status).toBe(200);
    expect(shortcuts(listed.json)).toEqual(["hours", "thanks"]);
  });

  it("refuses Agents writes, Analysts everything, and other workspaces", async () => {
    expect((await call(agent, "POST", base(), { shortcut: "agent", text: "x" })).status).toBe(403);
    const someId = ((await call(owner, "GET", base())).json.data as Array<{ id: string }>)[0]!.id;
    expect((await call(agent, "PATCH", `${base()}/${someId}`, { text: "changed" })).status).toBe(403);
    expect((await call(agent, "DELETE", `${base()}/${someId}`)).status).toBe(403);
    expect((await call(analyst, "GET", base())).status).toBe(403);
    expect((await call(outsider, "GET", base())).status).toBe(403);
    // Their own workspace has none of ours, and cannot reach ours by id.
    expect(shortcuts((await call(outsider, "GET", base(otherWorkspace))).json)).toEqual([]);
    expect((await call(outsider, "PATCH", `${base(otherWorkspace)}/${someId}`, { text: "hijack" })).status).toBe(404);
    expect((await call(outsider, "DELETE", `${base(otherWorkspace)}/${someId}`)).status).toBe(404);
    expect((await call(null, "GET", base())).status).toBe(401);
  });

  it("validates shortcuts and texts, and keeps shortcuts unique", async () => {
    for (const body of [
      { shortcut: "", text: "x" },
      { shortcut: "has space", text: "x" },
      { shortcut: "/slash", text: "x" },
      { shortcut: "a".repeat(33), text: "x" },
      { shortcut: "ok", text: "" },
      { shortcut: "ok", text: "   " },
      { shortcut: "ok", text: "x".repeat(4097) },
      { shortcut: "ok", text: "x", extra: true },
    ]) {
      const answer = await call(owner, "POST", base(), body);
      expect(answer.status, JSON.stringify(body).slice(0, 50)).toBe(400);
      expect(errorCode(answer.json)).toBe("VALIDATION_FAILED");
    }
    expect((await call(owner, "POST", base(), { shortcut: "long", text: "x".repeat(4096) })).status).toBe(201);
    const duplicate = await call(owner, "POST", base(), { shortcut: "THANKS", text: "again" });
    expect(duplicate.status).toBe(409);
    expect(errorCode(duplicate.json)).toBe("CONFLICT");
  });

  it("updates and deletes, auditing ids only", async () => {
    const created = await call(admin, "POST", base(), { shortcut: "bye", text: "Goodbye, private wording 7731" });
    const id = created.json.id as string;
    const updated = await call(admin, "PATCH", `${base()}/${id}`, { shortcut: "farewell", text: "Have a nice day" });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ id, shortcut: "farewell", text: "Have a nice day" });
    expect((await call(admin, "PATCH", `${base()}/${id}`, {})).status).toBe(400);
    expect((await call(admin, "PATCH", `${base()}/${id}`, { shortcut: "hours" })).status).toBe(409);
    expect((await call(owner, "DELETE", `${base()}/${id}`)).status).toBe(204);
    expect((await call(owner, "DELETE", `${base()}/${id}`)).status).toBe(404);
    expect((await call(owner, "PATCH", `${base()}/${randomUUID()}`, { text: "x" })).status).toBe(404);
    const audit = await db.owner
      .selectFrom("audit_entries")
      .select(["action", "target_id", "metadata"])
      .where("workspace_id", "=", workspaceId)
      .where("target_id", "=", id)
      .orderBy("seq")
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual(["quick_reply.created", "quick_reply.updated", "quick_reply.deleted"]);
    expect(JSON.stringify(audit)).not.toContain("private wording");
    expect(JSON.stringify(audit)).not.toContain("nice day");
  });

  it("holds at most 200 per workspace", async () => {
    const existing = ((await call(owner, "GET", base())).json.data as unknown[]).length;
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx
        .insertInto("quick_replies")
        .values(
          Array.from({ length: MAX_QUICK_REPLIES - existing }, (_, index) => ({
            workspace_id: workspaceId,
            id: randomUUID(),
            shortcut: `filler-${index}`,
            body: "filler",
          })),
        )
        .execute(),
    );
    const refused = await call(owner, "POST", base(), { shortcut: "one-more", text: "x" });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: "UNPROCESSABLE", details: { reason: "quick_reply_limit" } });
    expect(((await call(agent, "GET", base())).json.data as unknown[]).length).toBe(MAX_QUICK_REPLIES);
  });
});
