import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { MemberRole } from "../../identity/permissions.ts";

// Workspaces, their memberships and invitations. Tenant-scoped: every function on a workspace's
// rows takes its id and a transaction from withWorkspace. The one account-level read (a user by
// e-mail, for accepting an invitation) says so.

export type WorkspaceRow = { id: string; name: string; region: string; created_at: Date };

const WORKSPACE_COLUMNS = ["id", "name", "region", "created_at"] as const;

export async function insertWorkspaceRow(
  trx: Tx,
  workspaceId: string,
  input: { name: string; region: string; createdAt: Date },
): Promise<WorkspaceRow> {
  return trx
    .insertInto("workspaces")
    .values({ id: workspaceId, name: input.name, region: input.region, created_at: input.createdAt })
    .returning(WORKSPACE_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function findWorkspaceRow(trx: Tx, workspaceId: string): Promise<WorkspaceRow | undefined> {
  return trx.selectFrom("workspaces").select(WORKSPACE_COLUMNS).where("id", "=", workspaceId).executeTakeFirst();
}

export async function setWorkspaceName(trx: Tx, workspaceId: string, name: string): Promise<WorkspaceRow> {
  return trx.updateTable("workspaces").set({ name }).where("id", "=", workspaceId).returning(WORKSPACE_COLUMNS).executeTakeFirstOrThrow();
}

export async function insertMembership(trx: Tx, workspaceId: string, input: { userId: string; role: MemberRole; at: Date }): Promise<void> {
  await trx
    .insertInto("memberships")
    .values({ workspace_id: workspaceId, user_id: input.userId, role: input.role, created_at: input.at, updated_at: input.at })
    .execute();
}

/** The workspace's members with their e-mail, oldest first. */
export async function listMemberRows(
  trx: Tx,
  workspaceId: string,
): Promise<{ user_id: string; email: string; role: MemberRole; created_at: Date }[]> {
  return trx
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.user_id", "users.email", "memberships.role", "memberships.created_at"])
    .where("memberships.workspace_id", "=", workspaceId)
    .orderBy("memberships.created_at")
    .orderBy("memberships.user_id")
    .execute();
}

/** The workspace's Owner rows and the user's row, locked until commit in user order. */
export async function lockOwnersAndMember(trx: Tx, workspaceId: string, userId: string): Promise<{ user_id: string; role: MemberRole }[]> {
  const rows = await sql<{ user_id: string; role: MemberRole }>`
    select user_id, role from memberships
    where workspace_id = ${workspaceId} and (role = 'owner' or user_id = ${userId})
    order by user_id
    for update`.execute(trx);
  return rows.rows;
}

export async function setMemberRole(trx: Tx, workspaceId: string, userId: string, role: MemberRole, at: Date): Promise<void> {
  await trx
    .updateTable("memberships")
    .set({ role, updated_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .execute();
}

export async function deleteMembership(trx: Tx, workspaceId: string, userId: string): Promise<void> {
  await trx.deleteFrom("memberships").where("workspace_id", "=", workspaceId).where("user_id", "=", userId).execute();
}

export async function isMember(trx: Tx, workspaceId: string, userId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("memberships")
    .select("user_id")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function isMemberByEmail(trx: Tx, workspaceId: string, email: string): Promise<boolean> {
  const row = await trx
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select("memberships.user_id")
    .where("memberships.workspace_id", "=", workspaceId)
    .where("users.email", "=", email)
    .executeTakeFirst();
  return row !== undefined;
}

/** Account-level: the user with this (lower-case) e-mail and their password hash, to prove it is theirs. */
export async function findAccountByEmail(trx: Tx, email: string): Promise<{ id: string; password_hash: string } | undefined> {
  return trx.selectFrom("users").select(["id", "password_hash"]).where("email", "=", email).executeTakeFirst();
}

export async function insertInvitation(
  trx: Tx,
  workspaceId: string,
  input: { id: string; tokenHash: string; email: string; role: MemberRole; invitedBy: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto("invitations")
    .values({
      workspace_id: workspaceId,
      id: input.id,
      token_hash: input.tokenHash,
      email: input.email,
      role: input.role,
      invited_by: input.invitedBy,
      created_at: input.createdAt,
      expires_at: input.expiresAt,
    })
    .execute();
}

/** The workspace's invitations, newest first, at most 500. Never the token's hash. */
export async function listInvitationRows(trx: Tx, workspaceId: string) {
  return trx
    .selectFrom("invitations")
    .select(["id", "email", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(500)
    .execute();
}

/** The invitation with its token's hash, its row locked until commit (single use). */
export async function lockInvitation(trx: Tx, workspaceId: string, invitationId: string) {
  return trx
    .selectFrom("invitations")
    .select(["id", "token_hash", "email", "role", "expires_at", "accepted_at", "revoked_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", invitationId)
    .forUpdate()
    .executeTakeFirst();
}

export async function markInvitationRevoked(trx: Tx, workspaceId: string, invitationId: string, at: Date): Promise<void> {
  await trx
    .updateTable("invitations")
    .set({ revoked_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", invitationId)
    .execute();
}

export async function markInvitationAccepted(trx: Tx, workspaceId: string, invitationId: string, userId: string, at: Date): Promise<void> {
  await trx
    .updateTable("invitations")
    .set({ accepted_at: at, accepted_by: userId })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", invitationId)
    .execute();
}

/** Deletes, in every workspace, the invitations that ended (accepted, revoked or expired) over 30 days ago. */
export async function pruneEndedInvitations(trx: Tx): Promise<number> {
  const result = await sql<{ removed: number }>`select prune_ended_invitations() as removed`.execute(trx);
  return Number(result.rows[0]?.removed ?? 0);
}
