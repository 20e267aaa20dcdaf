import type { AccessEvent } from "../audit/access.ts";
import { reduceAddress } from "../privacy/minimize.ts";
import { recordAudit, type AuditActor, type AuditEntryInput } from "../audit/record.ts";
import type { Tx } from "../db/database.ts";
import { withWorkspace } from "../db/with-workspace.ts";
import { AppError } from "../errors.ts";
import type { AuthContext } from "./auth-context.ts";
import type { Services } from "../services.ts";

// What the access services need to know about who is acting and from where, and the one way a
// workspace route opens its transaction: as the caller, inside the caller's workspace only. Routes
// declared with `caller: true` (src/http/define-route.ts) get their caller from the HTTP app.

/** The acting member: their current role comes from the database (the authenticator), never a token claim. */
export type Caller = {
  workspaceId: string;
  userId: string;
  role: AuthContext["role"];
  permissions: AuthContext["permissions"];
  audit: AuditActor;
  ip: string | null;
  userAgent: string | null;
};

type RequestLike = { ip: string; headers: Record<string, string | string[] | undefined> };

/**
 * The caller of a workspace route, resolved by the HTTP app for `caller: true` routes. The
 * authenticator resolves the workspace from `:workspaceId`; a context for another workspace is
 * treated as not found rather than trusted.
 */
export function resolveCaller(auth: AuthContext | null, workspaceId: string, request: RequestLike): Caller {
  if (!auth) throw new AppError("UNAUTHENTICATED");
  if (auth.workspaceId !== workspaceId) throw new AppError("NOT_FOUND");
  const userAgent = request.headers["user-agent"];
  const apiKeyId = auth.apiKeyId;
  return {
    workspaceId: auth.workspaceId,
    userId: auth.userId,
    role: auth.role,
    permissions: auth.permissions,
    audit: auth.kind === "api_key" && apiKeyId ? { type: "api_key", id: apiKeyId } : { type: "user", id: auth.userId },
    ip: request.ip,
    userAgent: typeof userAgent === "string" ? userAgent : null,
  };
}

/** One transaction as the runtime role, scoped by RLS to the caller's workspace, user and role. */
export function asCaller<T>(services: Services, caller: Caller, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return withWorkspace(services.db, { workspaceId: caller.workspaceId, userId: caller.userId, role: caller.role }, fn);
}

/** Audits an action of the caller in their workspace: who, from where, in the caller's transaction. */
export function recordCallerAudit(
  trx: Tx,
  caller: Caller,
  entry: Pick<AuditEntryInput, "action" | "target" | "metadata">,
  options?: Parameters<typeof recordAudit>[2],
): Promise<void> {
  return recordAudit(
    trx,
    { ...entry, workspaceId: caller.workspaceId, actor: caller.audit, ip: caller.ip, userAgent: caller.userAgent },
    options,
  );
}

/**
 * Records that the caller read customer data (src/audit/access.ts): through the services' recorder
 * (group committed, answering at once), or — where no recorder was wired, as in tools — in a
 * transaction of its own before returning. From where: the network and the user agent's family only.
 */
export async function recordCallerAccess(services: Services, caller: Caller, event: AccessEvent): Promise<void> {
  const entry = {
    ...event,
    workspaceId: caller.workspaceId,
    actor: caller.audit,
    ip: reduceAddress(caller.ip),
    // recordAudit keeps the user agent's family only, for every entry.
    userAgent: caller.userAgent,
    at: new Date(),
  };
  if (services.accessLog) return services.accessLog.record(entry);
  await withWorkspace(services.db, { workspaceId: caller.workspaceId }, (trx) =>
    recordAudit(trx, { ...entry, metadata: entry.metadata }, { now: () => entry.at }),
  );
}
