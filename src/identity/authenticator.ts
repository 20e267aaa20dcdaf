import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { sql } from "kysely";
import { APP_ROLE, type Tx } from "../db/database.ts";
import { withoutWorkspace, withWorkspace, type MemberRole } from "../db/with-workspace.ts";
import { AppError } from "../errors.ts";
import { reduceAddress } from "../privacy/minimize.ts";
import { readWorkspaceSecurityPolicy } from "./security-policy.ts";
import type { Services } from "../services.ts";
import type { AuthContext, Authenticator, SessionContext } from "./auth-context.ts";
import { identityCaches, subscribeToInvalidations } from "./cache.ts";
import { isMemberRole, isPermission, permissionsOf, type Permission } from "./permissions.ts";
import { findLiveSession } from "./sessions.ts";
import { verifyAccessToken } from "./tokens.ts";

// Resolves the caller of every non-public request (DESIGN §6): a bearer access token (JWT) or an
// API key (`pk_<id>_<secret>` as a bearer token or in X-Api-Key). Membership, role and MFA state
// come from the database on every request (cached briefly, dropped on invalidation), never from
// token claims. Default deny: anything not positively valid is UNAUTHENTICATED; a valid API key
// used on another workspace's routes (or on a workspace that does not exist) is FORBIDDEN.

export const REAUTH_MAX_AGE_MS = 5 * 60 * 1000;
/** last_used_at/ip of an API key are written at most this often per key (not on every request). */
const API_KEY_TOUCH_INTERVAL_MS = 60 * 1000;
const API_KEY = /^pk_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{32,128})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MFA_ROLES: readonly MemberRole[] = ["owner", "admin"];

export type AuthenticatorOptions = { now?: () => Date };

export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Runs `fn` as the runtime role with only the user set: RLS lets them read their own memberships. */
export async function withUser<T>(services: Services, userId: string, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return services.db.app.transaction().execute(async (trx) => {
    await sql`select set_config('role', ${APP_ROLE}, true), set_config('parley.user_id', ${userId}, true)`.execute(trx);
    return fn(trx);
  });
}

type Credential = { kind: "bearer"; token: string } | { kind: "api_key"; id: string; secret: string } | null;

function readCredential(request: FastifyRequest): Credential {
  const apiKeyHeader = request.headers["x-api-key"];
  const authorization = request.headers.authorization;
  let presented: string | undefined;
  if (typeof apiKeyHeader === "string") presented = apiKeyHeader.trim();
  else if (typeof authorization === "string") {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
    if (!match) throw new AppError("UNAUTHENTICATED");
    presented = match[1]!;
  }
  if (presented === undefined) return null;
  if (presented.startsWith("pk_")) {
    const match = API_KEY.exec(presented);
    if (!match) throw new AppError("UNAUTHENTICATED");
    return { kind: "api_key", id: match[1]!, secret: match[2]! };
  }
  if (typeof apiKeyHeader === "string") throw new AppError("UNAUTHENTICATED");
  return { kind: "bearer", token: presented };
}

function workspaceParam(request: FastifyRequest): string | undefined {
  const value = (request.params as Record<string, unknown> | undefined)?.workspaceId;
  return typeof value === "string" && UUID.test(value) ? value.toLowerCase() : undefined;
}

function hasWorkspaceParam(request: FastifyRequest): boolean {
  return typeof (request.params as Record<string, unknown> | undefined)?.workspaceId === "string";
}

/**
 * The workspace of the live API key with this id and secret, looked up across workspaces
 * (api_key_workspace, migration 0020), or null when no such key is live anywhere.
 */
async function findApiKeyWorkspace(trx: Tx, credential: { id: string; secret: string }, now: Date): Promise<string | null> {
  const result = await sql<{
    workspace_id: string | null;
  }>`select api_key_workspace(${credential.id}::uuid, ${hashApiKeySecret(credential.secret)}, ${now}) as workspace_id`.execute(trx);
  return result.rows[0]?.workspace_id ?? null;
}

/** A valid key used outside its own workspace is refused (403); a key that is valid nowhere is not a credential (401). */
async function refuseApiKeyOutsideItsWorkspace(trx: Tx, credential: { id: string; secret: string }, now: Date): Promise<never> {
  if (await findApiKeyWorkspace(trx, credential, now)) throw new AppError("FORBIDDEN", "This API key belongs to another workspace.");
  throw new AppError("UNAUTHENTICATED");
}

/** The member's role now (cached; invalidateMembership drops it), or null when not a member. */
export async function findMemberRole(services: Services, workspaceId: string, userId: string): Promise<MemberRole | null> {
  const caches = identityCaches(services);
  const key = `${workspaceId}:${userId}`;
  const cached = caches.memberships.get(key);
  if (cached !== undefined) return cached as MemberRole | null;
  const row = await withWorkspace(services.db, { workspaceId, userId }, (trx) =>
    trx.selectFrom("memberships").select("role").where("workspace_id", "=", workspaceId).where("user_id", "=", userId).executeTakeFirst(),
  );
  const role = row && isMemberRole(row.role) ? row.role : null;
  caches.memberships.set(key, role);
  return role;
}

async function isMfaEnrolled(services: Services, userId: string): Promise<boolean> {
  const caches = identityCaches(services);
  const cached = caches.users.get(userId);
  if (cached) return cached.mfaEnrolled;
  const row = await withoutWorkspace(services.db, (trx) =>
    trx.selectFrom("users").select("totp_secret_wrapped").where("id", "=", userId).executeTakeFirst(),
  );
  const mfaEnrolled = Boolean(row?.totp_secret_wrapped);
  caches.users.set(userId, { mfaEnrolled });
  return mfaEnrolled;
}

async function workspaceRequiresMfa(services: Services, workspaceId: string): Promise<boolean> {
  const caches = identityCaches(services);
  const cached = caches.mfaPolicies.get(workspaceId);
  if (cached !== undefined) return cached;
  const policy = await withWorkspace(services.db, { workspaceId }, (trx) => readWorkspaceSecurityPolicy(trx, workspaceId));
  caches.mfaPolicies.set(workspaceId, policy.requireMfaForAll);
  return policy.requireMfaForAll;
}

/** MFA is required when the user is Owner or Admin anywhere, or a workspace of theirs requires it for all. */
export async function isMfaRequired(services: Services, userId: string): Promise<boolean> {
  const memberships = await withUser(services, userId, (trx) =>
    trx.selectFrom("memberships").select(["workspace_id", "role"]).where("user_id", "=", userId).execute(),
  );
  if (memberships.some((membership) => MFA_ROLES.includes(membership.role))) return true;
  for (const membership of memberships) if (await workspaceRequiresMfa(services, membership.workspace_id)) return true;
  return false;
}

async function resolveSession(
  services: Services,
  token: string,
  now: Date,
): Promise<{ userId: string; sessionId: string; reauthenticatedAt: Date | null }> {
  const claims = await verifyAccessToken(services, token, now);
  if (!claims) throw new AppError("UNAUTHENTICATED");
  const session = await findLiveSession(services, claims.sessionId, now);
  if (!session || session.userId !== claims.userId) throw new AppError("UNAUTHENTICATED");
  return {
    userId: claims.userId,
    sessionId: claims.sessionId,
    reauthenticatedAt: session.reauthenticatedAt === null ? null : new Date(session.reauthenticatedAt),
  };
}

async function authenticateApiKey(
  services: Services,
  request: FastifyRequest,
  credential: { id: string; secret: string },
  workspaceId: string,
  now: Date,
): Promise<AuthContext> {
  const presented = Buffer.from(hashApiKeySecret(credential.secret), "hex");
  return withWorkspace(services.db, { workspaceId }, async (trx) => {
    const key = await trx
      .selectFrom("api_keys")
      .select(["id", "secret_hash", "scopes", "created_by", "expires_at", "revoked_at", "last_used_at", "last_used_ip"])
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", credential.id)
      .executeTakeFirst();
    if (!key) return refuseApiKeyOutsideItsWorkspace(trx, credential, now);
    const stored = Buffer.from(key.secret_hash, "hex");
    const matches = stored.length === presented.length && timingSafeEqual(stored, presented);
    if (!matches || key.revoked_at !== null || (key.expires_at !== null && key.expires_at.getTime() <= now.getTime())) {
      throw new AppError("UNAUTHENTICATED");
    }
    // The key acts with at most its creator's current permissions: a demoted or removed creator shrinks it.
    const creator = await trx
      .selectFrom("memberships")
      .select("role")
      .where("workspace_id", "=", workspaceId)
      .where("user_id", "=", key.created_by)
      .executeTakeFirst();
    if (!creator || !isMemberRole(creator.role)) throw new AppError("UNAUTHENTICATED");
    const allowed = permissionsOf(creator.role);
    const granted = new Set<Permission>(key.scopes.filter((scope): scope is Permission => isPermission(scope) && allowed.has(scope)));
    // Where the key was last used from is kept as a network, never the address (minimization).
    const network = reduceAddress(request.ip);
    const isStale =
      key.last_used_at === null || now.getTime() - key.last_used_at.getTime() > API_KEY_TOUCH_INTERVAL_MS || key.last_used_ip !== network;
    if (isStale) {
      await trx
        .updateTable("api_keys")
        .set({ last_used_at: now, last_used_ip: network })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", key.id)
        .execute();
    }
    return {
      kind: "api_key",
      userId: key.created_by,
      workspaceId,
      role: creator.role,
      permissions: granted,
      apiKeyId: key.id,
    } satisfies AuthContext;
  });
}

/**
 * An API key presented without a workspace in the URL (the Graph-compatible proxy, whose paths
 * are Meta's): the key's own workspace is looked up by its id and secret, then the key is checked
 * there like on any workspace route. Null without credentials; UNAUTHENTICATED for anything that
 * is not a live API key (session tokens included: the proxy is for integrations).
 */
export async function authenticateApiKeyAnywhere(
  services: Services,
  request: FastifyRequest,
  now: Date = new Date(),
): Promise<AuthContext | null> {
  await subscribeToInvalidations(services);
  const credential = readCredential(request);
  if (!credential) return null;
  if (credential.kind !== "api_key") throw new AppError("UNAUTHENTICATED");
  const workspaceId = await withoutWorkspace(services.db, (trx) => findApiKeyWorkspace(trx, credential, now));
  if (!workspaceId) throw new AppError("UNAUTHENTICATED");
  return authenticateApiKey(services, request, credential, workspaceId, now);
}

/**
 * The request authenticator (createHttpApp's `authenticate`). Workspace routes take the workspace
 * from `:workspaceId`; `self` routes go through `.session`.
 */
export function createAuthenticator(services: Services, options: AuthenticatorOptions = {}): Authenticator {
  const now = options.now ?? (() => new Date());

  const authenticate = async (request: FastifyRequest): Promise<AuthContext | null> => {
    await subscribeToInvalidations(services);
    const credential = readCredential(request);
    if (!credential) return null;
    const at = now();
    const workspaceId = workspaceParam(request);
    if (credential.kind === "api_key") {
      if (!workspaceId) {
        // A workspace route with an id that is no workspace id: refused like any other workspace's.
        if (hasWorkspaceParam(request)) await withoutWorkspace(services.db, (trx) => refuseApiKeyOutsideItsWorkspace(trx, credential, at));
        throw new AppError("UNAUTHENTICATED");
      }
      return authenticateApiKey(services, request, credential, workspaceId, at);
    }
    const session = await resolveSession(services, credential.token, at);
    if (!workspaceId) throw new AppError("FORBIDDEN");
    const role = await findMemberRole(services, workspaceId, session.userId);
    if (!role) throw new AppError("FORBIDDEN");
    if (
      !(await isMfaEnrolled(services, session.userId)) &&
      (MFA_ROLES.includes(role) || (await workspaceRequiresMfa(services, workspaceId)))
    ) {
      throw new AppError("MFA_ENROLLMENT_REQUIRED");
    }
    return {
      kind: "session",
      userId: session.userId,
      workspaceId,
      role,
      permissions: permissionsOf(role),
      sessionId: session.sessionId,
      reauthenticatedAt: session.reauthenticatedAt,
    };
  };

  const authenticateSession = async (
    request: FastifyRequest,
    sessionOptions: { allowMfaPending: boolean },
  ): Promise<SessionContext | null> => {
    await subscribeToInvalidations(services);
    const credential = readCredential(request);
    if (!credential) return null;
    // API keys act inside their workspace only; the account routes are for people.
    if (credential.kind === "api_key") throw new AppError("UNAUTHENTICATED");
    const session = await resolveSession(services, credential.token, now());
    const mfaPending = !(await isMfaEnrolled(services, session.userId)) && (await isMfaRequired(services, session.userId));
    if (mfaPending && !sessionOptions.allowMfaPending) throw new AppError("MFA_ENROLLMENT_REQUIRED");
    return { ...session, mfaPending };
  };

  return Object.assign(authenticate, { session: authenticateSession });
}

/**
 * Sensitive actions (password, MFA, API keys, exports, erasure, key rotation) need a password
 * (+ TOTP) proof on this session within the last 5 minutes: POST /api/v1/auth/reauthenticate.
 * API keys can never perform them.
 */
export function requireRecentReauth(auth: Pick<AuthContext, "kind" | "reauthenticatedAt"> | SessionContext | null, now = new Date()): void {
  if (!auth) throw new AppError("UNAUTHENTICATED");
  if ("kind" in auth && auth.kind === "api_key")
    throw new AppError("REAUTHENTICATION_REQUIRED", "This action needs a signed-in person; API keys cannot perform it.");
  const at = auth.reauthenticatedAt;
  if (!at || now.getTime() - at.getTime() > REAUTH_MAX_AGE_MS || at.getTime() > now.getTime() + 60_000)
    throw new AppError("REAUTHENTICATION_REQUIRED");
}
