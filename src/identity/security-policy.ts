import type { Tx } from "../db/database.ts";
import { recordCallerAudit, type Caller } from "./caller.ts";

// The workspace's security policy. A missing row means the defaults (MFA required for Owners and
// Admins only, which identity enforces regardless of this policy).

export type WorkspaceSecurityPolicy = {
  requireMfaForAll: boolean;
  updatedAt: Date | null;
};

/** The policy identity checks at sign-in and on every request (e.g. MFA for everyone). */
export async function readWorkspaceSecurityPolicy(trx: Tx, workspaceId: string): Promise<WorkspaceSecurityPolicy> {
  const row = await trx
    .selectFrom("workspace_settings")
    .select(["require_mfa_for_all", "updated_at"])
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (!row) return { requireMfaForAll: false, updatedAt: null };
  return { requireMfaForAll: row.require_mfa_for_all, updatedAt: new Date(row.updated_at) };
}

export type SecurityPolicyChange = { requireMfaForAll?: boolean | undefined };

/** Applies a change and audits it (only the fields that changed, as flags) in the caller's transaction. */
export async function updateWorkspaceSecurityPolicy(
  trx: Tx,
  caller: Caller,
  change: SecurityPolicyChange,
  now: Date = new Date(),
): Promise<WorkspaceSecurityPolicy> {
  const before = await readWorkspaceSecurityPolicy(trx, caller.workspaceId);
  const next = { requireMfaForAll: change.requireMfaForAll ?? before.requireMfaForAll };
  if (next.requireMfaForAll === before.requireMfaForAll) return before;
  await trx
    .insertInto("workspace_settings")
    .values({ workspace_id: caller.workspaceId, require_mfa_for_all: next.requireMfaForAll, updated_at: now, updated_by: caller.userId })
    .onConflict((conflict) =>
      conflict
        .column("workspace_id")
        .doUpdateSet({ require_mfa_for_all: next.requireMfaForAll, updated_at: now, updated_by: caller.userId }),
    )
    .execute();
  await recordCallerAudit(
    trx,
    caller,
    {
      action: "settings.changed",
      target: { type: "workspace_settings", id: caller.workspaceId },
      metadata: { setting: "require_mfa_for_all", from: before.requireMfaForAll, to: next.requireMfaForAll },
    },
    { now: () => now },
  );
  return { requireMfaForAll: next.requireMfaForAll, updatedAt: now };
}
