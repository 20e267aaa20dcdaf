import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { createEnvKeyProvider } from "../../src/crypto/key-provider.ts";
import { createKeyring, type Keyring } from "../../src/crypto/keyring.ts";
import type { Database, Tx } from "../../src/db/database.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import type { AuditAction } from "../../src/audit/actions.ts";
import { recordAudit } from "../../src/audit/record.ts";

export function createTestKeyring(): Keyring {
  return createKeyring({ provider: createEnvKeyProvider(randomBytes(32).toString("base64")) });
}

const actions: AuditAction[] = ["auth.login.succeeded", "member.role_changed", "api_key.created", "invitation.created", "settings.changed"];

/** Appends `count` entries to a workspace's log, one transaction each, a second apart. */
export async function seedAuditLog(
  db: Database,
  workspaceId: string,
  count: number,
  start = new Date("2025-01-01T00:00:00.000Z"),
): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const at = new Date(start.getTime() + index * 1_000);
    await withWorkspace(db, { workspaceId }, (trx) =>
      recordAudit(
        trx,
        {
          workspaceId,
          actor: { type: "user", id: randomUUID() },
          action: actions[index % actions.length]!,
          target: { type: "member", id: randomUUID() },
          ip: `198.51.100.${index % 250}`,
          userAgent: "Mozilla/5.0 (test)",
          metadata: { index, role: "agent" },
        },
        { now: () => at },
      ),
    );
  }
}

/**
 * Runs `fn` as the database owner with row-level security lifted on the audit tables, the way an
 * attacker holding the owner role would rewrite history (on PGlite the session is a superuser
 * already; on PostgreSQL the owner may not be).
 */
export async function tamperAsOwner(db: Database, fn: (trx: Tx) => Promise<void>): Promise<void> {
  await db.owner.transaction().execute(async (trx) => {
    for (const table of ["audit_entries", "audit_heads", "audit_checkpoints"]) {
      await sql.raw(`alter table ${table} disable row level security`).execute(trx);
    }
    await fn(trx);
    for (const table of ["audit_entries", "audit_heads", "audit_checkpoints"]) {
      await sql.raw(`alter table ${table} enable row level security`).execute(trx);
    }
  });
}
