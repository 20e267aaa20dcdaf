import { revokeUserSessionsIn } from "../../identity/sessions.ts";
import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import { canGrantRole, type MemberRole } from "../../identity/permissions.ts";
import { recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { revokeApiKeysCreatedBy } from "../api-keys/repository.ts";
import { deleteMembership, listMemberRows, lockOwnersAndMember, setMemberRole } from "./repository.ts";

// Members of a workspace: listed, role changed, removed. Two rules hold for every change: nobody
// acts above their own role, and a workspace always keeps an Owner. The callers invalidate the
// membership cache after commit, so the change binds on the member's very next request.

export type Member = { userId: string; email: string; role: MemberRole; joinedAt: Date };

export async function listMembers(trx: Tx, workspaceId: string): Promise<Member[]> {
  const rows = await listMemberRows(trx, workspaceId);
  return rows.map((row) => ({ userId: row.user_id, email: row.email, role: row.role, joinedAt: new Date(row.created_at) }));
}

/**
 * Locks the workspace's Owner rows and the target's row, so two concurrent demotions cannot both
 * see "another Owner remains" (each waits for the other and recounts).
 */
async function lockMembership(trx: Tx, workspaceId: string, userId: string): Promise<{ role: MemberRole; owners: number }> {
  const rows = await lockOwnersAndMember(trx, workspaceId, userId);
  const target = rows.find((row) => row.user_id === userId);
  if (!target) throw new AppError("NOT_FOUND", "The member does not exist.");
  return { role: target.role, owners: rows.filter((row) => row.role === "owner").length };
}

function assertMayActOn(caller: Caller, currentRole: MemberRole, nextRole: MemberRole | null): void {
  if (!canGrantRole(caller.role, currentRole)) throw new AppError("FORBIDDEN", "You cannot change a member whose role is above yours.");
  if (nextRole !== null && !canGrantRole(caller.role, nextRole)) throw new AppError("FORBIDDEN", "You cannot grant a role above your own.");
}

function assertKeepsAnOwner(current: { role: MemberRole; owners: number }, nextRole: MemberRole | null): void {
  if (current.role === "owner" && nextRole !== "owner" && current.owners <= 1) {
    throw new AppError("UNPROCESSABLE", "A workspace must keep at least one Owner.");
  }
}

export type RoleChange = { userId: string; from: MemberRole; to: MemberRole };

export async function changeMemberRole(trx: Tx, caller: Caller, userId: string, role: MemberRole, now = new Date()): Promise<RoleChange> {
  const current = await lockMembership(trx, caller.workspaceId, userId);
  assertMayActOn(caller, current.role, role);
  if (current.role === role) return { userId, from: role, to: role };
  assertKeepsAnOwner(current, role);
  await setMemberRole(trx, caller.workspaceId, userId, role, now);
  await recordCallerAudit(
    trx,
    caller,
    {
      action: "member.role_changed",
      target: { type: "user", id: userId },
      metadata: { from: current.role, to: role },
    },
    { now: () => now },
  );
  return { userId, from: current.role, to: role };
}

/** Removes the member and revokes the API keys they created here (a key never outlives its creator's access). */
export async function removeMember(trx: Tx, caller: Caller, userId: string, now = new Date()): Promise<{ revokedApiKeys: number }> {
  const current = await lockMembership(trx, caller.workspaceId, userId);
  assertMayActOn(caller, current.role, null);
  assertKeepsAnOwner(current, null);
  await deleteMembership(trx, caller.workspaceId, userId);
  const revokedApiKeys = await revokeApiKeysCreatedBy(trx, caller.workspaceId, userId, now);
  // Removal takes effect on the removed person's very next request: their sessions end (401),
  // not merely their access to this workspace.
  await revokeUserSessionsIn(trx, userId, "admin", now);
  await recordCallerAudit(
    trx,
    caller,
    {
      action: "member.removed",
      target: { type: "user", id: userId },
      metadata: { role: current.role, revokedApiKeys },
    },
    { now: () => now },
  );
  return { revokedApiKeys };
}
