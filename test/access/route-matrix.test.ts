import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace, withoutWorkspace, type MemberRole } from "../../src/db/with-workspace.ts";
import { SELF, type RouteDefinition } from "../../src/http/define-route.ts";
import { routes } from "../../src/http/routes.ts";
import { createApiKey } from "../../src/features/api-keys/service.ts";
import { assignWorkspacePlan, upsertPlan } from "../../src/identity/plan-repository.ts";
import { hasPermission, isPermission, permissions, rolePermissions, roles, type Permission } from "../../src/identity/permissions.ts";
import { createSession } from "../../src/identity/sessions.ts";
import { issueAccessToken } from "../../src/identity/tokens.ts";
import { generateTotpSecret, totpSecretAad } from "../../src/identity/totp.ts";
import type { Services } from "../../src/services.ts";
import type { TestDatabase } from "../support/engine.ts";
import { startTestHttpApp, type TestHttpApp } from "../support/http-app.ts";
import { addMember, createWorkspaceWithOwner, login, ownerCaller, type TestUser } from "../support/identity.ts";
import { callWithSampleInput, randomAddress, type RouteAnswer } from "../support/route-call.ts";

// The route × role × workspace proof (issue 3, item 10), generated from the route registry: every
// route is called as each role of workspace A, as a member of workspace B aimed at A, without
// credentials and with an expired access token — and with API keys scoped as each role and a key of
// workspace B — and each answer must be what the permission matrix says. A route the matrix cannot
// classify fails the suite.

type Expectation =
  | { kind: "public" }
  /** The Graph-compatible proxy: Graph's paths, no :workspaceId; an API key names its own workspace, anything else is Graph's 190. */
  | { kind: "graph-proxy" }
  | { kind: "self" }
  | { kind: "permission"; permission: Permission; allowed: readonly MemberRole[] };

/** `key:<role>`: an API key of workspace A whose scopes are exactly that role's permissions; `key:other-workspace`: a key of B. */
type KeyCaller = `key:${MemberRole}` | "key:other-workspace";
type CallerName = MemberRole | "other-workspace" | "anonymous" | "expired" | KeyCaller;
const keyCallers: readonly KeyCaller[] = [...roles.map((role): KeyCaller => `key:${role}`), "key:other-workspace"];
const callers: readonly CallerName[] = [...roles, "other-workspace", "anonymous", "expired", ...keyCallers];

/** Codes that mean the access layer turned the caller away (as opposed to a handler's documented outcome). */
const ACCESS_REFUSALS = new Set(["UNAUTHENTICATED", "FORBIDDEN", "MFA_ENROLLMENT_REQUIRED", "CSRF_REFUSED"]);

/** What the matrix says about a route, or why it cannot say. */
export function expectationFor(route: RouteDefinition): Expectation | { kind: "unclassified"; reason: string } {
  if (route.tags.includes("graph-proxy") && route.access.kind === "public" && route.url !== "/graph/media/:token")
    return { kind: "graph-proxy" };
  if (route.access.kind === "public") return { kind: "public" };
  const permission = route.access.permission;
  if (permission === SELF) return { kind: "self" };
  if (!isPermission(permission)) return { kind: "unclassified", reason: `permission ${String(permission)} is not in the matrix` };
  const allowed = roles.filter((role) => hasPermission(role, permission));
  if (allowed.length === 0) return { kind: "unclassified", reason: `no role holds ${permission}` };
  if (!route.url.includes(":workspaceId")) {
    return { kind: "unclassified", reason: "a workspace permission on a URL without :workspaceId (the workspace cannot be resolved)" };
  }
  return { kind: "permission", permission, allowed };
}

let http: TestHttpApp | undefined;
let db: TestDatabase;
let services: Services;
let app: FastifyInstance;
let workspaceA: string;
let workspaceB: string;
/** Access tokens of members signed in through the real login route, and API keys, one per caller. */
const signedIn = new Map<CallerName, string>();

/**
 * A throwaway member with MFA enrolled (a real wrapped seed, as enrollment stores it) and a session
 * minted the way the login route mints one. Account routes (`self`) and public routes are called
 * with these, because some of them end the session, change the password or remove the MFA of
 * whoever calls them, which must not disturb the signed-in callers of the other routes.
 */
async function disposableToken(workspaceId: string, role: MemberRole, issuedAt = new Date()): Promise<string> {
  const userId = randomUUID();
  await withoutWorkspace(db, (trx) =>
    trx
      .insertInto("users")
      .values({
        id: userId,
        email: `matrix-${userId}@example.test`,
        password_hash: "not-a-hash",
        totp_secret_wrapped: services.keyring.provider.wrap(generateTotpSecret(), totpSecretAad(userId, "active")),
        totp_enabled_at: new Date(),
      })
      .execute(),
  );
  await withWorkspace(db, { workspaceId }, (trx) =>
    trx.insertInto("memberships").values({ workspace_id: workspaceId, user_id: userId, role }).execute(),
  );
  const session = await withoutWorkspace(db, (trx) => createSession(trx, userId, new Date()));
  return (await issueAccessToken(services, { userId, sessionId: session.sessionId }, issuedAt)).token;
}

async function tokenFor(caller: CallerName, disposable: boolean): Promise<string | null> {
  switch (caller) {
    case "anonymous":
      return null;
    case "expired":
      // Issued 20 minutes ago: 5 minutes past its 15-minute lifetime, on a session that is still live.
      return disposableToken(workspaceA, "owner", new Date(Date.now() - 20 * 60 * 1000));
    case "other-workspace":
      return disposable ? disposableToken(workspaceB, "owner") : signedIn.get(caller)!;
    default:
      if (isKeyCaller(caller)) return signedIn.get(caller)!;
      return disposable ? disposableToken(workspaceA, caller) : signedIn.get(caller)!;
  }
}

type Answer = RouteAnswer;

async function call(route: RouteDefinition, caller: CallerName, disposable: boolean): Promise<Answer> {
  const token = await tokenFor(caller, disposable);
  return callWithSampleInput(app, route, workspaceA, token ? { authorization: `Bearer ${token}` } : {});
}

/** A 401/403 an allowed caller may get is a handler's documented outcome (e.g. a wrong current password), never an access refusal. */
function isAdmitted(route: RouteDefinition, answer: Answer): boolean {
  if (answer.status !== 401 && answer.status !== 403) return true;
  return answer.code !== undefined && !ACCESS_REFUSALS.has(answer.code) && route.errors.includes(answer.code as never);
}

function isKeyCaller(caller: CallerName): caller is KeyCaller {
  return caller.startsWith("key:");
}

function verdict(route: RouteDefinition, expectation: Expectation, caller: CallerName, answer: Answer): string | null {
  const label = `${route.method} ${route.url} as ${caller}: got ${answer.status} ${answer.code ?? ""}`.trim();
  const is = (status: number, code: string) => answer.status === status && answer.code === code;
  if (expectation.kind === "graph-proxy") {
    // Only an API key authenticates here, answered in Graph's shape: 190 for anyone else; a key of
    // either workspace gets past authentication (another workspace's objects then do not exist for it).
    const refused = answer.status === 401 && String(answer.code) === "190";
    if (isKeyCaller(caller)) return refused ? `${label}, expected the API key to authenticate` : null;
    return refused ? null : `${label}, expected Graph's 401 (code 190) without an API key`;
  }
  if (expectation.kind === "public") {
    return isAdmitted(route, answer) || route.errors.includes(answer.code as never)
      ? null
      : `${label}, expected the public route to answer`;
  }
  if (caller === "anonymous" || caller === "expired") return is(401, "UNAUTHENTICATED") ? null : `${label}, expected 401 UNAUTHENTICATED`;
  if (isKeyCaller(caller)) {
    // API keys act for people only inside their own workspace: never on account routes, never elsewhere
    // (a valid key of another workspace is refused, not unauthenticated).
    if (expectation.kind === "self") return is(401, "UNAUTHENTICATED") ? null : `${label}, expected 401 UNAUTHENTICATED`;
    if (caller === "key:other-workspace")
      return is(403, "FORBIDDEN") || is(404, "NOT_FOUND") ? null : `${label}, expected 403 or 404 for a key of another workspace`;
    const scopedAs = caller.slice(4) as MemberRole;
    if (expectation.allowed.includes(scopedAs))
      return isAdmitted(route, answer) ? null : `${label}, expected a key scoped as ${scopedAs} to hold ${expectation.permission}`;
    return is(403, "FORBIDDEN") ? null : `${label}, expected 403 FORBIDDEN (a key scoped as ${scopedAs} lacks ${expectation.permission})`;
  }
  if (expectation.kind === "self") return isAdmitted(route, answer) ? null : `${label}, expected any signed-in user to be let in`;
  if (caller === "other-workspace") {
    return is(403, "FORBIDDEN") || is(404, "NOT_FOUND") ? null : `${label}, expected 403 or 404 for a member of another workspace`;
  }
  if (expectation.allowed.includes(caller)) {
    return isAdmitted(route, answer) ? null : `${label}, expected ${caller} to hold ${expectation.permission}`;
  }
  return is(403, "FORBIDDEN") ? null : `${label}, expected 403 FORBIDDEN (${caller} lacks ${expectation.permission})`;
}

beforeAll(async () => {
  http = await startTestHttpApp();
  ({ db, services, app } = http);
  const a = await createWorkspaceWithOwner(services, { name: "Workspace A" });
  const b = await createWorkspaceWithOwner(services, { name: "Workspace B" });
  workspaceA = a.workspaceId;
  workspaceB = b.workspaceId;
  // Every member has MFA enrolled, so the MFA policy never stands between a role and its permissions.
  const members: Record<MemberRole, TestUser> = {
    owner: a.owner,
    admin: await addMember(services, workspaceA, "admin", { mfa: true }),
    agent: await addMember(services, workspaceA, "agent", { mfa: true }),
    analyst: await addMember(services, workspaceA, "analyst", { mfa: true }),
  };
  for (const role of roles) signedIn.set(role, (await login(app, members[role], { ip: randomAddress() })).accessToken);
  signedIn.set("other-workspace", (await login(app, b.owner, { ip: randomAddress() })).accessToken);
  for (const role of roles) {
    const owner = ownerCaller(workspaceA, a.owner.userId);
    const created = await withWorkspace(db, { workspaceId: workspaceA }, (trx) =>
      createApiKey(trx, owner, { name: `as ${role}`, scopes: rolePermissions[role] }),
    );
    signedIn.set(`key:${role}`, created.key);
  }
  const ownerB = ownerCaller(workspaceB, b.owner.userId);
  signedIn.set(
    "key:other-workspace",
    (await withWorkspace(db, { workspaceId: workspaceB }, (trx) => createApiKey(trx, ownerB, { name: "b", scopes: permissions }))).key,
  );
  // Sign-ins hash passwords (argon2id): on a busy machine this takes longer than the default minute.
}, 180_000);

afterAll(async () => {
  await http?.close();
});

/** Workspace C, on a plan with no feature: its Owner's token and an API key with every scope. */
let workspaceC: string;
const bare = { owner: "", key: "" };

beforeAll(async () => {
  const c = await createWorkspaceWithOwner(services, { name: "Workspace C" });
  workspaceC = c.workspaceId;
  await db.owner
    .transaction()
    .execute((trx) =>
      upsertPlan(
        trx,
        { name: "bare", features: [], quotas: { numbers: null, members: null, contacts: null, broadcast_recipients_per_month: null } },
        new Date(),
      ),
    );
  await withWorkspace(db, { workspaceId: workspaceC }, (trx) => assignWorkspacePlan(trx, workspaceC, "bare", new Date()));
  bare.owner = (await login(app, c.owner, { ip: randomAddress() })).accessToken;
  const owner = ownerCaller(workspaceC, c.owner.userId);
  bare.key = (
    await withWorkspace(db, { workspaceId: workspaceC }, (trx) => createApiKey(trx, owner, { name: "c", scopes: permissions }))
  ).key;
}, 120_000);

describe("route × role × workspace matrix", () => {
  it("classifies every registered route", () => {
    const unclassified = routes
      .map((route) => ({ route, expectation: expectationFor(route) }))
      .filter((item) => item.expectation.kind === "unclassified")
      .map(({ route, expectation }) => `${route.method} ${route.url}: ${(expectation as { reason: string }).reason}`);
    expect(unclassified).toEqual([]);
    expect(routes.length).toBeGreaterThan(0);
  });

  it.each(routes.map((route) => [`${route.method} ${route.url}`, route] as const))(
    "%s answers every caller as the matrix says",
    async (_, route) => {
      const expectation = expectationFor(route);
      if (expectation.kind === "unclassified") throw new Error(`${route.method} ${route.url} has no expectation: ${expectation.reason}`);
      const problems: string[] = [];
      const serverErrors: string[] = [];
      // Public routes are called without credentials and as an Owner: nobody is turned away.
      const who = expectation.kind === "public" ? (["anonymous", "owner"] as const) : callers;
      const disposable = expectation.kind !== "permission";
      for (const caller of who) {
        const answer = await call(route, caller, disposable);
        const problem = verdict(route, expectation, caller, answer);
        if (problem) problems.push(problem);
        if (answer.status === 500) serverErrors.push(`${route.method} ${route.url} as ${caller}: 500`);
      }
      expect(problems).toEqual([]);
      expect(serverErrors, "sample inputs must never crash a route").toEqual([]);
    },
  );

  const gated = routes.filter((route) => route.feature !== undefined);

  it("gates the features the plans name: audit log, webhooks, API keys, the Graph proxy, broadcasts, template authoring", () => {
    const features = new Set(gated.map((route) => route.feature));
    expect([...features].sort()).toEqual(["api", "audit_log", "broadcasts", "graph_proxy", "templates", "webhooks"]);
  });

  it.each(gated.map((route) => [`${route.method} ${route.url}`, route] as const))(
    "%s is refused under a plan without its feature and let through under one with it",
    async (_, route) => {
      const expectation = expectationFor(route);
      if (expectation.kind === "graph-proxy") {
        // Authenticated in the handler, refused in Graph's shape: code 10 (permission), HTTP 403.
        const refused = await callWithSampleInput(app, route, workspaceC, { authorization: `Bearer ${bare.key}` });
        expect([refused.status, String(refused.code)]).toEqual([403, "10"]);
        const allowed = await callWithSampleInput(app, route, workspaceA, { authorization: `Bearer ${signedIn.get("key:owner")!}` });
        expect(String(allowed.code)).not.toBe("10");
        expect(allowed.status).not.toBe(500);
        return;
      }
      const refused = await callWithSampleInput(app, route, workspaceC, { authorization: `Bearer ${bare.owner}` });
      expect([refused.status, refused.code]).toEqual([403, "PLAN_REQUIRED"]);
      const byKey = await callWithSampleInput(app, route, workspaceC, { authorization: `Bearer ${bare.key}` });
      expect([byKey.status, byKey.code]).toEqual([403, "PLAN_REQUIRED"]);
      const allowed = await callWithSampleInput(app, route, workspaceA, { authorization: `Bearer ${signedIn.get("owner")!}` });
      expect(isAdmitted(route, allowed), `${route.method} ${route.url}: got ${allowed.status} ${allowed.code ?? ""}`).toBe(true);
      expect(allowed.status).not.toBe(500);
    },
  );

  it("the expectations themselves follow the matrix (a spot check that the suite can fail)", () => {
    const members = routes.find((route) => route.method === "PATCH" && route.url === "/api/v1/workspaces/:workspaceId/members/:userId")!;
    const expectation = expectationFor(members);
    expect(expectation).toEqual({ kind: "permission", permission: "members.manage", allowed: ["owner", "admin"] });
    const answer = { status: 200, code: undefined };
    expect(verdict(members, expectation as Expectation, "agent", answer)).toMatch(/expected 403 FORBIDDEN/);
    expect(verdict(members, expectation as Expectation, "other-workspace", answer)).toMatch(/expected 403 or 404/);
    expect(verdict(members, expectation as Expectation, "expired", { status: 403, code: "FORBIDDEN" })).toMatch(/expected 401/);
    expect(verdict(members, expectation as Expectation, "admin", { status: 403, code: "FORBIDDEN" })).toMatch(/to hold members.manage/);
    const orphan = { ...members, url: "/api/v1/orphans" };
    expect(expectationFor(orphan)).toMatchObject({ kind: "unclassified" });
    expect(expectationFor({ ...members, access: { kind: "permission", permission: "nobody.has" as Permission } })).toMatchObject({
      kind: "unclassified",
    });
  });
});
