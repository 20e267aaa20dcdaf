import { randomInt } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutWorkspace } from "../../src/db/with-workspace.ts";
import { accessRoutes } from "../../src/features/workspaces/routes.ts";
import { publishInvalidation } from "../../src/identity/cache.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import {
  addMember,
  bearer,
  createIdentityApp,
  createUser,
  createWorkspaceWithOwner,
  login,
  testPassword,
  type TestUser,
} from "../support/identity.ts";
import { captureLogs, createTestServices, type LogCapture } from "../support/services.ts";

// The access routes over HTTP with real sign-in, on two app instances sharing one database and one
// coordination store, so "binds on the next request" is proved across instances.

let db: TestDatabase;
let logs: LogCapture;
let services: Services;
let other: Services;
let app: FastifyInstance;
let otherApp: FastifyInstance;

const address = () => `198.19.${randomInt(0, 256)}.${randomInt(1, 255)}`;

type Json = Record<string, unknown>;

async function send(
  target: FastifyInstance,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  headers: Record<string, string> = {},
  body?: unknown,
  ip = "203.0.113.10",
): Promise<{ status: number; json: Json; headers: Record<string, unknown>; text: string }> {
  const response = await target.inject({
    method,
    url,
    remoteAddress: ip,
    headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  const json = response.body ? (JSON.parse(response.body) as Json) : {};
  return { status: response.statusCode, json, headers: response.headers, text: response.body };
}

const code = (answer: { json: Json }) => (answer.json.error as { code?: string } | undefined)?.code;

async function auditActions(workspaceId: string): Promise<string[]> {
  const rows = await db.owner.selectFrom("audit_entries").select("action").where("workspace_id", "=", workspaceId).orderBy("seq").execute();
  return rows.map((row) => row.action);
}

async function signIn(user: TestUser): Promise<Record<string, string>> {
  return bearer(await login(app, user, { ip: address() }));
}

beforeAll(async () => {
  db = await createTestDatabase();
  logs = captureLogs();
  services = createTestServices({ db, logs });
  // A second instance: same database, same key material, same coordination store, its own caches.
  const masterKey = services.config.keys.kind === "env" ? services.config.keys.value : "";
  other = createTestServices({ db, logs, coordination: services.coordination, env: { PARLEY_MASTER_KEY: masterKey } });
  app = await createIdentityApp(services, { routes: accessRoutes });
  otherApp = await createIdentityApp(other, { routes: accessRoutes });
});

afterAll(async () => {
  await app?.close();
  await otherApp?.close();
  await services?.coordination.close();
  await db?.drop();
});

describe("invitations over HTTP", () => {
  it("an Owner invites an Agent by link; the Agent accepts once, signs in and reaches what the matrix allows", async () => {
    const { workspaceId, owner } = await createWorkspaceWithOwner(services);
    const ownerAuth = await signIn(owner);
    const email = `invitee-${randomInt(1e9)}@example.test`;
    const created = await send(app, "POST", `/api/v1/workspaces/${workspaceId}/invitations`, ownerAuth, { email, role: "agent" });
    expect(created.status).toBe(201);
    const link = String(created.json.link);
    expect(link.startsWith(`${services.config.http.publicUrl}/invitation#token=`)).toBe(true);
    const token = link.split("#token=")[1]!;
    const listed = await send(app, "GET", `/api/v1/workspaces/${workspaceId}/invitations`, ownerAuth);
    expect(listed.text).not.toContain(token);
    expect(listed.json.invitations).toEqual([expect.objectContaining({ email, role: "agent", status: "pending" })]);

    const password = testPassword();
    const ip = address();
    const accepted = await send(app, "POST", "/api/v1/invitations/accept", {}, { token, password }, ip);
    expect(accepted).toMatchObject({ status: 200, json: { workspaceId, email, role: "agent", newAccount: true } });
    const again = await send(app, "POST", "/api/v1/invitations/accept", {}, { token, password }, ip);
    expect([again.status, code(again)]).toEqual([404, "NOT_FOUND"]);

    const agentAuth = bearer(await login(app, { email, password }, { ip: address() }));
    expect((await send(app, "GET", `/api/v1/workspaces/${workspaceId}/members`, agentAuth)).status).toBe(200);
    expect((await send(app, "GET", `/api/v1/workspaces/${workspaceId}/api-keys`, agentAuth)).status).toBe(403);
    expect(
      (await send(app, "POST", `/api/v1/workspaces/${workspaceId}/invitations`, agentAuth, { email: "x@example.test", role: "analyst" }))
        .status,
    ).toBe(403);
    expect(await auditActions(workspaceId)).toEqual(expect.arrayContaining(["invitation.created", "invitation.accepted"]));
    expect(logs.text()).not.toContain(token);
    expect(logs.text()).not.toContain(email);
  });

  it("limits acceptances to 3 per hour per address, with Retry-After", async () => {
    const ip = address();
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof send>> | undefined;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      last = await send(app, "POST", "/api/v1/invitations/accept", {}, { token: "not-a-token", password: "irrelevant password" }, ip);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
    expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
  });
});

describe("members over HTTP", () => {
  it("a role change and a removal bind on the member's next request, on every instance", async () => {
    const { workspaceId, owner } = await createWorkspaceWithOwner(services);
    const agent = await addMember(services, workspaceId, "agent");
    const agentAuth = await signIn(agent);
    const ownerAuth = await signIn(owner);
    // The other instance answers (and caches the membership) first.
    expect((await send(otherApp, "GET", `/api/v1/workspaces/${workspaceId}/members`, agentAuth)).status).toBe(200);

    const demoted = await send(app, "PATCH", `/api/v1/workspaces/${workspaceId}/members/${agent.userId}`, ownerAuth, { role: "analyst" });
    expect(demoted).toMatchObject({ status: 200, json: { userId: agent.userId, role: "analyst" } });
    await expect
      .poll(async () => (await send(otherApp, "GET", `/api/v1/workspaces/${workspaceId}/members`, agentAuth)).status, {
        timeout: 2000,
        interval: 20,
      })
      .toBe(403);
    expect((await send(otherApp, "GET", `/api/v1/workspaces/${workspaceId}`, agentAuth)).status).toBe(200);

    expect((await send(app, "DELETE", `/api/v1/workspaces/${workspaceId}/members/${agent.userId}`, ownerAuth)).status).toBe(204);
    // Removal ends the member's sessions: the next request anywhere is unauthenticated.
    await expect
      .poll(async () => (await send(otherApp, "GET", `/api/v1/workspaces/${workspaceId}`, agentAuth)).status, {
        timeout: 2000,
        interval: 20,
      })
      .toBe(401);
    expect(await auditActions(workspaceId)).toEqual(expect.arrayContaining(["member.role_changed", "member.removed"]));
  });

  it("refuses granting above one's role and demoting the last Owner", async () => {
    const { workspaceId, owner } = await createWorkspaceWithOwner(services);
    const admin = await addMember(services, workspaceId, "admin");
    const adminAuth = await signIn(admin);
    const promote = await send(app, "PATCH", `/api/v1/workspaces/${workspaceId}/members/${admin.userId}`, adminAuth, { role: "owner" });
    expect([promote.status, code(promote)]).toEqual([403, "FORBIDDEN"]);
    const demoteOwner = await send(app, "PATCH", `/api/v1/workspaces/${workspaceId}/members/${owner.userId}`, adminAuth, { role: "agent" });
    expect([demoteOwner.status, code(demoteOwner)]).toEqual([403, "FORBIDDEN"]);
    const ownerAuth = await signIn(owner);
    const last = await send(app, "PATCH", `/api/v1/workspaces/${workspaceId}/members/${owner.userId}`, ownerAuth, { role: "admin" });
    expect([last.status, code(last)]).toEqual([422, "UNPROCESSABLE"]);
    const unknownField = await send(app, "PATCH", `/api/v1/workspaces/${workspaceId}/members/${admin.userId}`, ownerAuth, {
      role: "agent",
      workspaceId,
    });
    expect(unknownField.status).toBe(400);
  });
});

describe("API keys over HTTP", () => {
  it("shows the key once, authenticates with it inside its scopes, lists its use and stops it at once when revoked", async () => {
    const { workspaceId, owner } = await createWorkspaceWithOwner(services);
    const ownerAuth = await signIn(owner);
    const created = await send(app, "POST", `/api/v1/workspaces/${workspaceId}/api-keys`, ownerAuth, {
      name: "crm",
      scopes: ["members.read"],
      expiresInDays: 7,
    });
    expect(created.status).toBe(201);
    const key = String(created.json.key);
    expect(key).toMatch(/^pk_[0-9a-f-]{36}_[0-9a-f]{64}$/);
    const keyAuth = { authorization: `Bearer ${key}` };

    expect((await send(otherApp, "GET", `/api/v1/workspaces/${workspaceId}/members`, keyAuth, undefined, "198.51.100.9")).status).toBe(200);
    expect((await send(app, "GET", `/api/v1/workspaces/${workspaceId}/invitations`, keyAuth, undefined, "198.51.100.9")).status).toBe(403);
    const listed = await send(app, "GET", `/api/v1/workspaces/${workspaceId}/api-keys`, ownerAuth);
    expect(listed.text).not.toContain(key.split("_")[2]!);
    expect(listed.text).not.toContain("secret");
    expect(listed.json.apiKeys).toEqual([
      expect.objectContaining({
        id: created.json.id,
        lastFour: key.slice(-4),
        scopes: ["members.read"],
        status: "active",
        // Kept as the caller's network, never the address.
        lastUsedIp: "198.51.100.0/24",
      }),
    ]);

    expect((await send(app, "DELETE", `/api/v1/workspaces/${workspaceId}/api-keys/${String(created.json.id)}`, ownerAuth)).status).toBe(
      204,
    );
    const refused = await send(otherApp, "GET", `/api/v1/workspaces/${workspaceId}/members`, keyAuth);
    expect([refused.status, code(refused)]).toEqual([401, "UNAUTHENTICATED"]);
    expect(await auditActions(workspaceId)).toEqual(expect.arrayContaining(["api_key.created", "api_key.revoked"]));
    expect(logs.text()).not.toContain(key);
  });

  it("refuses scopes beyond the creator's permissions, a stale re-authentication and API keys making keys", async () => {
    const { workspaceId } = await createWorkspaceWithOwner(services);
    const admin = await addMember(services, workspaceId, "admin");
    const adminAuth = await signIn(admin);
    const beyond = await send(app, "POST", `/api/v1/workspaces/${workspaceId}/api-keys`, adminAuth, { name: "k", scopes: ["keys.manage"] });
    expect([beyond.status, code(beyond)]).toEqual([403, "FORBIDDEN"]);

    const manager = await send(app, "POST", `/api/v1/workspaces/${workspaceId}/api-keys`, adminAuth, {
      name: "k",
      scopes: ["api_keys.manage"],
    });
    expect(manager.status).toBe(201);
    const byKey = await send(
      app,
      "POST",
      `/api/v1/workspaces/${workspaceId}/api-keys`,
      { "x-api-key": String(manager.json.key) },
      { name: "k2", scopes: ["api_keys.manage"] },
    );
    expect([byKey.status, code(byKey)]).toEqual([403, "REAUTHENTICATION_REQUIRED"]);

    // The sign-in proved the password 6 minutes ago: too long for a sensitive action.
    await withoutWorkspace(db, (trx) =>
      trx
        .updateTable("sessions")
        .set({ reauthenticated_at: new Date(Date.now() - 6 * 60 * 1000) })
        .where("user_id", "=", admin.userId)
        .execute(),
    );
    await publishInvalidation(services, { type: "user", userId: admin.userId });
    const stale = await send(app, "POST", `/api/v1/workspaces/${workspaceId}/api-keys`, adminAuth, { name: "k", scopes: ["members.read"] });
    expect([stale.status, code(stale)]).toEqual([403, "REAUTHENTICATION_REQUIRED"]);
  });
});

describe("workspaces and the security policy over HTTP", () => {
  it("a signed-in user creates a workspace and is its Owner; another workspace's member cannot read it", async () => {
    const user = await createUser(services, { mfa: true });
    const auth = await signIn(user);
    const created = await send(app, "POST", "/api/v1/workspaces", auth, { name: "  New team  " });
    expect(created).toMatchObject({ status: 201, json: { name: "New team", region: services.config.region } });
    const workspaceId = String(created.json.id);
    expect((await send(app, "GET", `/api/v1/workspaces/${workspaceId}/members`, auth)).json.members).toEqual([
      expect.objectContaining({ userId: user.userId, role: "owner" }),
    ]);
    const stranger = await createWorkspaceWithOwner(services);
    const strangerAuth = await signIn(stranger.owner);
    expect((await send(app, "GET", `/api/v1/workspaces/${workspaceId}`, strangerAuth)).status).toBe(403);
    expect(await auditActions(workspaceId)).toEqual(["workspace.created"]);
  });

  it("requiring MFA for everyone binds a member without MFA on their next request, and is audited", async () => {
    const { workspaceId, owner } = await createWorkspaceWithOwner(services);
    const agent = await addMember(services, workspaceId, "agent", { mfa: false });
    const agentAuth = await signIn(agent);
    expect((await send(otherApp, "GET", `/api/v1/workspaces/${workspaceId}`, agentAuth)).status).toBe(200);
    const ownerAuth = await signIn(owner);
    expect((await send(app, "GET", `/api/v1/workspaces/${workspaceId}/settings/security`, ownerAuth)).json).toEqual({
      requireMfaForAll: false,
      updatedAt: null,
    });
    const changed = await send(app, "PATCH", `/api/v1/workspaces/${workspaceId}/settings/security`, ownerAuth, { requireMfaForAll: true });
    expect(changed).toMatchObject({ status: 200, json: { requireMfaForAll: true } });
    await expect
      .poll(async () => code(await send(otherApp, "GET", `/api/v1/workspaces/${workspaceId}`, agentAuth)), { timeout: 2000, interval: 20 })
      .toBe("MFA_ENROLLMENT_REQUIRED");
    expect(await auditActions(workspaceId)).toContain("settings.changed");
  });
});
