import { sql } from "kysely";
import { AppError } from "../errors.ts";
import { APP_ROLE, type Database, type Tx } from "./database.ts";
import { TENANT_CONTEXT_MARKER } from "./folded-begin.ts";

export type MemberRole = "owner" | "admin" | "agent" | "analyst";

export type WorkspaceContext = {
  workspaceId: string;
  userId?: string | null;
  role?: MemberRole | null;
};

const MEMBER_ROLES: ReadonlySet<string> = new Set<MemberRole>(["owner", "admin", "agent", "analyst"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in one transaction as the runtime role with the tenant context set. The settings are
 * transaction-scoped (`set_config(…, true)`), so a pooled connection never carries them to the next
 * borrower, and RLS policies filter every statement to this workspace.
 */
export async function withWorkspace<T>(db: Database, context: WorkspaceContext, fn: (trx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(context.workspaceId)) throw new AppError("NOT_FOUND", "The workspace does not exist.");
  if (context.userId && !UUID.test(context.userId)) throw new AppError("UNAUTHENTICATED");
  if (context.role && !MEMBER_ROLES.has(context.role)) throw new AppError("UNAUTHENTICATED");
  return db.app.transaction().execute(async (trx) => {
    // Literals, not parameters: every value was checked above against a pattern or a closed list,
    // and a parameterless statement travels with BEGIN in one round trip (folded-begin.ts).
    await sql
      .raw(
        `${TENANT_CONTEXT_MARKER} select
        set_config('role', '${APP_ROLE}', true),
        set_config('parley.workspace_id', '${context.workspaceId}', true),
        set_config('parley.user_id', '${context.userId ?? ""}', true),
        set_config('parley.role', '${context.role ?? ""}', true)`,
      )
      .execute(trx);
    return fn(trx);
  });
}

/** Runs `fn` in one transaction as the runtime role with no workspace: tenant tables show no rows. */
export async function withoutWorkspace<T>(db: Database, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return db.app.transaction().execute(async (trx) => {
    await sql.raw(`${TENANT_CONTEXT_MARKER} select set_config('role', '${APP_ROLE}', true)`).execute(trx);
    return fn(trx);
  });
}

/** Readiness: the database answers a query in a transaction as the runtime role; throws when not. */
export async function pingAsRuntimeRole(db: Database): Promise<void> {
  await withoutWorkspace(db, (trx) => sql`select 1`.execute(trx));
}
