import { sql } from "kysely";
import { APP_ROLE, type Database, type Tx } from "../db/database.ts";
import { PLATFORM_WORKSPACE_ID } from "./leaf.ts";

/**
 * Runs `fn` as the runtime role in the audit log of one workspace, or of the platform log
 * (`null`). Unlike withWorkspace it accepts the nil UUID, so it is the only way the runtime role
 * reads the platform log; request handlers never call it with null. Repeatable read gives one
 * snapshot of entries and checkpoints while writers keep appending.
 */
export async function withAuditLog<T>(db: Database, workspaceId: string | null, fn: (trx: Tx) => Promise<T>): Promise<T> {
  const scope = workspaceId ?? PLATFORM_WORKSPACE_ID;
  return db.app
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      await sql`select set_config('role', ${APP_ROLE}, true), set_config('parley.workspace_id', ${scope}, true)`.execute(trx);
      return fn(trx);
    });
}
