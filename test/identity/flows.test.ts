import { randomBytes, randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { issueSetupToken } from "../../src/identity/setup/setup-token.ts";
import { defineRoute } from "../../src/http/define-route.ts";
import { hashApiKeySecret, REAUTH_MAX_AGE_MS } from "../../src/identity/authenticator.ts";
import { invalidateMembership, invalidateWorkspacePolicy } from "../../src/identity/cache.ts";
import { decodeBase32, totp } from "../../src/identity/totp.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import {
  addMember,
  bearer,
  createIdentityApp,
  createWorkspaceWithOwner,
  currentTotp,
  login,
  testPassword,
  type TestUser,
} from "../support/identity.ts";
import { captureLogs, createTestServices } from "../support/services.ts";

// End-to-end account flows: setup → Owner must enroll TOTP → workspace access; recovery codes;
// re-authentication windows; password change, MFA reset, role change and removal binding the next
// request; API keys.

let db: TestDatabase;
let services: Services;
let app: FastifyInstance;
let clock = Date.now();
const now = () => new Date(clock);

const probe = (permission: "workspace.read" | "members.manage") =>
  defineRoute({
    method: "GET",
    url: `/api/v1/workspaces/:workspaceId/probe/${permission.replace(".", "-")}`,
    summary: "Test probe.",
    permission,
    schema: { params: z.strictObject({ workspaceId: z.uuid() }), response: { 200: z.object({ ok: z.boolean() }) } },
    handler: async () => ({ ok: true }),
  });

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  app = await createIdentityApp(services, { now, routes: [probe("workspace.read"), probe("members.manage")] });
});
afterAll(async () => {
  await app.close();
  await services.coordination.close();
  await db.drop();
});

const read = (workspaceId: string, headers: Record<string, string>) =>
  app.inject({ method: "GET", url: `/api/v1/workspaces/${workspaceId}/probe/workspace-read`, headers });
const manage = (workspaceId: string, headers: Record<string, string>) =>
  app.inject({ method: "GET", url: `/api/v1/workspaces/${workspaceId}/probe/members-manage`, headers });
const me = (headers: Record<string, string>) => app.inject({ method: "GET", url: "/api/v1/me", headers });

describe("first Owner through the setup link", () => {
  it("creates the Owner, who must enroll TOTP before reaching the workspace; the link is single use", async () => {
    const issued = await issueSetupToken(db, now());
    const password = testPassword();
    const payload = { token: issued!.token, email: "Owner@Example.test", password, workspaceName: "Acme" };
    const response = await app.inject({ method: "POST", url: "/api/v1/setup", payload, remoteAddress: "192.0.2.10" });
    expect(response.statusCode).toBe(201);
    const { accessToken, workspaceId } = response.json<{ accessToken: string; workspaceId: string }>();
    const auth = bearer({ accessToken });

    const pending = await read(workspaceId, auth);
    expect(pending.statusCode).toBe(403);
    expect(pending.json().error.code).toBe("MFA_ENROLLMENT_REQUIRED");
    expect((await me(auth)).json()).toMatchObject({
      user: { email: "owner@example.test", mfaEnrolled: false, mfaRequired: true },
      memberships: [{ workspaceId, role: "owner" }],
    });

    const enroll = await app.inject({ method: "POST", url: "/api/v1/me/mfa/totp", headers: auth });
    expect(enroll.statusCode).toBe(200);
    const { otpauthUri, qrCodeSvg, secret } = enroll.json<{ otpauthUri: string; qrCodeSvg: string; secret: string }>();
    expect(otpauthUri).toMatch(
      /^otpauth:\/\/totp\/Parley:owner%40example\.test\?secret=[A-Z2-7]+&issuer=Parley&algorithm=SHA1&digits=6&period=30$/,
    );
    expect(qrCodeSvg).toMatch(/^<svg/);
    const seed = decodeBase32(secret);
    const wrong = await app.inject({
      method: "POST",
      url: "/api/v1/me/mfa/totp/confirm",
      headers: auth,
      payload: { code: totp(seed, clock + 120_000) },
    });
    expect(wrong.statusCode).toBe(401);
    const confirm = await app.inject({
      method: "POST",
      url: "/api/v1/me/mfa/totp/confirm",
      headers: auth,
      payload: { code: totp(seed, clock) },
    });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);
    expect((await read(workspaceId, auth)).statusCode).toBe(200);

    // The same code cannot sign in again (replay); the next step's code can.
    const replay = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: payload.email, password, totp: totp(seed, clock) },
      remoteAddress: "192.0.2.11",
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe("INVALID_CREDENTIALS");
    const noCode = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: payload.email, password },
      remoteAddress: "192.0.2.11",
    });
    expect(noCode.json().error.code).toBe("MFA_CODE_REQUIRED");
    await login(app, { email: payload.email, password, totp: totp(seed, clock + 30_000) }, { ip: "192.0.2.11" });

    // Recovery codes work once each.
    await login(app, { email: payload.email, password, recoveryCode: recoveryCodes[0]!.toUpperCase() }, { ip: "192.0.2.12" });
    await expect(login(app, { email: payload.email, password, recoveryCode: recoveryCodes[0]! }, { ip: "192.0.2.12" })).rejects.toThrow(
      /401/,
    );

    const again = await app.inject({ method: "POST", url: "/api/v1/setup", payload, remoteAddress: "192.0.2.13" });
    expect(again.statusCode).toBe(403);
    expect(again.json().error.code).toBe("SETUP_TOKEN_INVALID");
  });
});

describe("re-authentication", () => {
  it("sensitive actions need a password proof within 5 minutes", async () => {
    const { owner } = await createWorkspaceWithOwner(services);
    const start = clock;
    try {
      const session = await login(app, owner, { now: now() });
      clock += REAUTH_MAX_AGE_MS + 1000;
      const stale = await app.inject({
        method: "POST",
        url: "/api/v1/me/password",
        headers: bearer(session),
        payload: { newPassword: testPassword() },
      });
      expect(stale.statusCode).toBe(403);
      expect(stale.json().error.code).toBe("REAUTHENTICATION_REQUIRED");
      const bad = await app.inject({
        method: "POST",
        url: "/api/v1/auth/reauthenticate",
        headers: bearer(session),
        payload: { password: "not the password at all", totp: await currentTotp(owner, now()) },
      });
      expect(bad.statusCode).toBe(401);
      const needsCode = await app.inject({
        method: "POST",
        url: "/api/v1/auth/reauthenticate",
        headers: bearer(session),
        payload: { password: owner.password },
      });
      expect(needsCode.json().error.code).toBe("MFA_CODE_REQUIRED");
      const ok = await app.inject({
        method: "POST",
        url: "/api/v1/auth/reauthenticate",
        headers: bearer(session),
        payload: { password: owner.password, totp: await currentTotp(owner, now()) },
      });
      expect(ok.statusCode).toBe(204);
      const weak = await app.inject({
        method: "POST",
        url: "/api/v1/me/password",
        headers: bearer(session),
        payload: { newPassword: "password1234" },
      });
      expect(weak.statusCode).toBe(422);
      expect(weak.json().error).toMatchObject({ code: "PASSWORD_REJECTED", details: { reason: "common" } });
    } finally {
      clock = start;
    }
  });
});

describe("revocation binds the next request", () => {
  it("password change signs out every session", async () => {
    const { workspaceId, owner } = await createWorkspaceWithOwner(services);
    const first = await login(app, owner, { now: now() });
    const second = await login(app, owner, { now: now() });
    const newPassword = testPassword();
    expect(
      (await app.inject({ method: "POST", url: "/api/v1/me/password", headers: bearer(first), payload: { newPassword } })).statusCode,
    ).toBe(204);
    expect((await read(workspaceId, bearer(first))).statusCode).toBe(401);
    expect((await read(workspaceId, bearer(second))).statusCode).toBe(401);
    await expect(login(app, owner, { now: now() })).rejects.toThrow(/401/);
    await login(app, { ...owner, password: newPassword }, { now: now() });
  });

  it("MFA reset signs out every session", async () => {
    const { owner } = await createWorkspaceWithOwner(services);
    const session = await login(app, owner, { now: now() });
    expect((await app.inject({ method: "DELETE", url: "/api/v1/me/mfa/totp", headers: bearer(session) })).statusCode).toBe(204);
    expect((await me(bearer(session))).statusCode).toBe(401);
  });

  it("role change and removal (direct database change + invalidateMembership) take effect at once", async () => {
    const { workspaceId } = await createWorkspaceWithOwner(services);
    const admin = await addMember(services, workspaceId, "admin");
    const session = await login(app, admin, { now: now() });
    expect((await manage(workspaceId, bearer(session))).statusCode).toBe(200);

    await withWorkspace(db, { workspaceId }, (trx) =>
      trx.updateTable("memberships").set({ role: "analyst" }).where("user_id", "=", admin.userId).execute(),
    );
    await invalidateMembership(services, workspaceId, admin.userId);
    expect((await manage(workspaceId, bearer(session))).statusCode).toBe(403);
    expect((await read(workspaceId, bearer(session))).statusCode).toBe(200);

    await withWorkspace(db, { workspaceId }, (trx) => trx.deleteFrom("memberships").where("user_id", "=", admin.userId).execute());
    await invalidateMembership(services, workspaceId, admin.userId);
    expect((await read(workspaceId, bearer(session))).statusCode).toBe(403);
  });

  it("a member of another workspace is refused", async () => {
    const { workspaceId: mine, owner } = await createWorkspaceWithOwner(services);
    const { workspaceId: theirs } = await createWorkspaceWithOwner(services);
    const session = await login(app, owner, { now: now() });
    expect((await read(mine, bearer(session))).statusCode).toBe(200);
    expect((await read(theirs, bearer(session))).statusCode).toBe(403);
  });
});

describe("MFA policy", () => {
  it("Agents need no MFA unless the workspace requires it for everyone", async () => {
    const { workspaceId } = await createWorkspaceWithOwner(services);
    const agent: TestUser = await addMember(services, workspaceId, "agent");
    const session = await login(app, agent, { now: now() });
    expect((await read(workspaceId, bearer(session))).statusCode).toBe(200);
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx.insertInto("workspace_settings").values({ workspace_id: workspaceId, require_mfa_for_all: true }).execute(),
    );
    await invalidateWorkspacePolicy(services, workspaceId);
    const refused = await read(workspaceId, bearer(session));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("MFA_ENROLLMENT_REQUIRED");
    expect((await me(bearer(session))).json()).toMatchObject({ user: { mfaRequired: true, mfaEnrolled: false } });
  });
});

describe("API keys", () => {
  async function insertKey(workspaceId: string, createdBy: string, values: { scopes: string[]; expiresAt?: Date | null }) {
    const id = randomUUID();
    const secret = randomBytes(32).toString("base64url");
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx
        .insertInto("api_keys")
        .values({
          workspace_id: workspaceId,
          id,
          secret_hash: hashApiKeySecret(secret),
          name: "test",
          scopes: values.scopes,
          created_by: createdBy,
          expires_at: values.expiresAt ?? null,
        })
        .execute(),
    );
    return { id, key: `pk_${id}_${secret}` };
  }

  it("authenticates with scopes ∩ the creator's permissions; expiry, revocation, a wrong secret and another workspace are refused", async () => {
    const { workspaceId, owner } = await createWorkspaceWithOwner(services);
    const { workspaceId: other } = await createWorkspaceWithOwner(services);
    const { id, key } = await insertKey(workspaceId, owner.userId, { scopes: ["workspace.read"] });
    expect((await read(workspaceId, { authorization: `Bearer ${key}` })).statusCode).toBe(200);
    expect((await read(workspaceId, { "x-api-key": key })).statusCode).toBe(200);
    expect((await manage(workspaceId, { "x-api-key": key })).statusCode).toBe(403);
    expect((await read(other, { "x-api-key": key })).statusCode).toBe(403);
    expect((await me({ "x-api-key": key })).statusCode).toBe(401);
    expect((await read(workspaceId, { "x-api-key": `${key.slice(0, -2)}xx` })).statusCode).toBe(401);

    const used = await withWorkspace(db, { workspaceId }, (trx) =>
      trx.selectFrom("api_keys").select(["last_used_at", "last_used_ip"]).where("id", "=", id).executeTakeFirstOrThrow(),
    );
    expect(used.last_used_at).not.toBeNull();
    // Where the key was last used from is kept as a network, never the address.
    expect(used.last_used_ip).toBe("127.0.0.0/24");

    // The creator is demoted to Analyst: the key loses what the creator lost.
    const admin = await addMember(services, workspaceId, "admin");
    const wide = await insertKey(workspaceId, admin.userId, { scopes: ["workspace.read", "members.manage"] });
    expect((await manage(workspaceId, { "x-api-key": wide.key })).statusCode).toBe(200);
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx.updateTable("memberships").set({ role: "analyst" }).where("user_id", "=", admin.userId).execute(),
    );
    expect((await manage(workspaceId, { "x-api-key": wide.key })).statusCode).toBe(403);

    await withWorkspace(db, { workspaceId }, (trx) =>
      trx.updateTable("api_keys").set({ revoked_at: new Date() }).where("id", "=", id).execute(),
    );
    expect((await read(workspaceId, { "x-api-key": key })).statusCode).toBe(401);

    const expired = await insertKey(workspaceId, owner.userId, { scopes: ["workspace.read"], expiresAt: new Date(clock - 1000) });
    expect((await read(workspaceId, { "x-api-key": expired.key })).statusCode).toBe(401);
  });
});
