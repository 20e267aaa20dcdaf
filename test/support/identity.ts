import { randomBytes, randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { MemberRole } from "../../src/db/with-workspace.ts";
import { withoutWorkspace, withWorkspace } from "../../src/db/with-workspace.ts";
import type { Caller } from "../../src/identity/caller.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { RouteDefinition } from "../../src/http/define-route.ts";
import { createAuthenticator } from "../../src/identity/authenticator.ts";
import { permissionsOf } from "../../src/identity/permissions.ts";
import { hashPassword } from "../../src/identity/passwords.ts";
import { createIdentityRoutes } from "../../src/identity/routes.ts";
import { REFRESH_COOKIE } from "../../src/identity/sessions.ts";
import { generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, totp, totpSecretAad } from "../../src/identity/totp.ts";
import type { Services } from "../../src/services.ts";

// Test helpers for anything that needs signed-in users: accounts, workspaces with an Owner,
// members of each role, and signing in through the real login route.

export type TestUser = {
  userId: string;
  email: string;
  password: string;
  /** The TOTP seed when enrolled (Owners and Admins are by default). */
  totpSecret: Buffer | null;
  /** Unused recovery codes when enrolled. */
  recoveryCodes: string[];
  services: Services;
};

export type SignedInSession = {
  accessToken: string;
  /** `__Host-parley_refresh=<token>`, ready for a Cookie header. */
  refreshCookie: string;
  csrfToken: string;
  /** The answer's Set-Cookie line for the refresh cookie. */
  setCookie: string;
};

let counter = 0;

/** A strong, unique password that is not on the blocklist. */
export function testPassword(): string {
  return `Correct horse ${randomBytes(8).toString("base64url")} battery`;
}

export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(4).toString("hex")}@example.test`;
}

/**
 * Creates an account directly in the database (no route); with `workspaceId` and `role` also a
 * membership. `mfa` defaults to true for Owners and Admins (the policy requires it) and false otherwise.
 */
export async function createUser(
  services: Services,
  options: { email?: string; password?: string; role?: MemberRole; workspaceId?: string; mfa?: boolean } = {},
): Promise<TestUser> {
  const userId = randomUUID();
  const email = (options.email ?? uniqueEmail(options.role ?? "user")).toLowerCase();
  const password = options.password ?? testPassword();
  const mfa = options.mfa ?? (options.role === "owner" || options.role === "admin");
  const totpSecret = mfa ? generateTotpSecret() : null;
  const recoveryCodes = mfa ? generateRecoveryCodes() : [];
  const passwordHash = await hashPassword(password);
  await withoutWorkspace(services.db, async (trx) => {
    await trx
      .insertInto("users")
      .values({
        id: userId,
        email,
        password_hash: passwordHash,
        totp_secret_wrapped: totpSecret ? services.keyring.provider.wrap(totpSecret, totpSecretAad(userId, "active")) : null,
        totp_enabled_at: totpSecret ? new Date() : null,
      })
      .execute();
    if (recoveryCodes.length > 0) {
      await trx
        .insertInto("recovery_codes")
        .values(recoveryCodes.map((code) => ({ id: randomUUID(), user_id: userId, code_hash: hashRecoveryCode(code) })))
        .execute();
    }
  });
  if (options.workspaceId) {
    await withWorkspace(services.db, { workspaceId: options.workspaceId }, (trx) =>
      trx
        .insertInto("memberships")
        .values({ workspace_id: options.workspaceId!, user_id: userId, role: options.role ?? "agent" })
        .execute(),
    );
  }
  return { userId, email, password, totpSecret, recoveryCodes, services };
}

/** A workspace (with its encryption key) and its Owner (MFA enrolled). */
export async function createWorkspaceWithOwner(
  services: Services,
  options: { name?: string } = {},
): Promise<{ workspaceId: string; owner: TestUser }> {
  const workspaceId = randomUUID();
  await withWorkspace(services.db, { workspaceId }, async (trx) => {
    await trx
      .insertInto("workspaces")
      .values({ id: workspaceId, name: options.name ?? `Workspace ${workspaceId.slice(0, 8)}`, region: services.config.region })
      .execute();
    await services.keyring.createWorkspaceKey(trx, workspaceId);
  });
  const owner = await createUser(services, { workspaceId, role: "owner" });
  return { workspaceId, owner };
}

/** The Owner of `workspaceId` as a service sees them when they act (no request: no address, no user agent). */
export function ownerCaller(workspaceId: string, userId: string): Caller {
  return {
    workspaceId,
    userId,
    role: "owner",
    permissions: permissionsOf("owner"),
    audit: { type: "user", id: userId },
    ip: null,
    userAgent: null,
  };
}

export async function addMember(
  services: Services,
  workspaceId: string,
  role: MemberRole,
  options: { mfa?: boolean } = {},
): Promise<TestUser> {
  return createUser(services, { workspaceId, role, ...options });
}

/** The current TOTP code of a test user, with their replay marker cleared so it can be used again. */
export async function currentTotp(user: TestUser, now = new Date()): Promise<string> {
  if (!user.totpSecret) throw new Error("this test user has no TOTP");
  // Test-only: forget the last used step, so several sign-ins within one 30 s step work.
  await withoutWorkspace(user.services.db, (trx) =>
    trx.updateTable("users").set({ totp_last_step: null }).where("id", "=", user.userId).execute(),
  );
  return totp(user.totpSecret, now.getTime());
}

/**
 * Signs in through POST /api/v1/auth/login. Pass a TestUser (its TOTP is computed) or explicit
 * credentials. Throws with the status and error code when the login is refused.
 */
export async function login(
  app: FastifyInstance,
  credentials: TestUser | { email: string; password: string; totp?: string; recoveryCode?: string },
  options: { ip?: string; now?: Date } = {},
): Promise<SignedInSession> {
  const body: Record<string, string> = { email: credentials.email, password: credentials.password };
  if ("services" in credentials) {
    if (credentials.totpSecret) body.totp = await currentTotp(credentials, options.now);
  } else {
    if (credentials.totp) body.totp = credentials.totp;
    if (credentials.recoveryCode) body.recoveryCode = credentials.recoveryCode;
  }
  const response = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: body, remoteAddress: options.ip ?? "127.0.0.1" });
  if (response.statusCode !== 200) {
    throw new Error(`login refused: ${response.statusCode} ${response.body}`);
  }
  const json = response.json<{ accessToken: string; csrfToken: string }>();
  const setCookie = [response.headers["set-cookie"] ?? []].flat().find((line) => line.startsWith(`${REFRESH_COOKIE}=`)) ?? "";
  return { accessToken: json.accessToken, csrfToken: json.csrfToken, refreshCookie: setCookie.split(";")[0]!, setCookie };
}

export function bearer(session: Pick<SignedInSession, "accessToken">): { authorization: string } {
  return { authorization: `Bearer ${session.accessToken}` };
}

/** Headers of a same-origin, cookie-authenticated unsafe request (refresh, logout). */
export function cookieHeaders(services: Services, session: Pick<SignedInSession, "refreshCookie" | "csrfToken">): Record<string, string> {
  return { cookie: session.refreshCookie, "x-csrf-token": session.csrfToken, origin: new URL(services.config.http.publicUrl).origin };
}

/** An app with the identity routes (plus `routes`) and the real authenticator, on an injectable clock. */
export async function createIdentityApp(
  services: Services,
  options: { routes?: RouteDefinition[]; now?: () => Date } = {},
): Promise<FastifyInstance> {
  const now = options.now;
  return createHttpApp({
    services,
    routes: [...createIdentityRoutes({ now }), ...(options.routes ?? [])],
    authenticate: createAuthenticator(services, { now }),
  });
}

export { REFRESH_COOKIE };
