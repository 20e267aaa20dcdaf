import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { assertQuotaAllows } from "../../identity/plans.ts";
import { recordAudit } from "../../audit/record.ts";
import type { Database, Tx } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { createUserIn } from "../../identity/accounts.ts";
import { verifyAgainstDummy, verifyPassword } from "../../identity/passwords.ts";
import { canGrantRole, type MemberRole } from "../../identity/permissions.ts";
import { recordCallerAudit, type Caller } from "../../identity/caller.ts";
import {
  findAccountByEmail,
  insertInvitation,
  insertMembership,
  isMember,
  isMemberByEmail,
  listInvitationRows,
  lockInvitation,
  markInvitationAccepted,
  markInvitationRevoked,
} from "./repository.ts";

// Invitations by link: single use, expiring after 7 days, revocable, stored as a SHA-256 hash.
// The token names its workspace and invitation (`<workspace id>.<invitation id>.<secret>`) so that
// acceptance — a public route — can open the right tenant transaction; the 256-bit secret is what
// proves it. The link puts the token in the fragment, which browsers never send to a server.

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const TOKEN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export type Invitation = {
  id: string;
  email: string;
  role: MemberRole;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  status: InvitationStatus;
};

export type IssuedInvitation = Invitation & { link: string };

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/invitation#token=${token}`;
}

function statusOf(row: { accepted_at: Date | null; revoked_at: Date | null; expires_at: Date }, now: Date): InvitationStatus {
  if (row.accepted_at) return "accepted";
  if (row.revoked_at) return "revoked";
  return new Date(row.expires_at) <= now ? "expired" : "pending";
}

export async function createInvitation(
  trx: Tx,
  caller: Caller,
  input: { email: string; role: MemberRole; publicUrl: string },
  now = new Date(),
): Promise<IssuedInvitation> {
  if (!canGrantRole(caller.role, input.role)) throw new AppError("FORBIDDEN", "You cannot invite someone with a role above your own.");
  const email = input.email.toLowerCase();
  if (await isMemberByEmail(trx, caller.workspaceId, email)) throw new AppError("CONFLICT", "This person is already a member.");
  // A pending invitation holds a member's place: the quota counts both.
  await assertQuotaAllows(trx, caller.workspaceId, "members");
  const id = randomUUID();
  const token = `${caller.workspaceId}.${id}.${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  await insertInvitation(trx, caller.workspaceId, {
    id,
    tokenHash: hashInvitationToken(token),
    email,
    role: input.role,
    invitedBy: caller.userId,
    createdAt: now,
    expiresAt,
  });
  await recordCallerAudit(
    trx,
    caller,
    {
      action: "invitation.created",
      target: { type: "invitation", id },
      metadata: { role: input.role },
    },
    { now: () => now },
  );
  return {
    id,
    email,
    role: input.role,
    invitedBy: caller.userId,
    createdAt: now,
    expiresAt,
    status: "pending",
    link: invitationLink(input.publicUrl, token),
  };
}

export async function listInvitations(trx: Tx, workspaceId: string, now = new Date()): Promise<Invitation[]> {
  const rows = await listInvitationRows(trx, workspaceId);
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    status: statusOf(row, now),
  }));
}

export async function revokeInvitation(trx: Tx, caller: Caller, invitationId: string, now = new Date()): Promise<void> {
  const row = await lockInvitation(trx, caller.workspaceId, invitationId);
  if (!row) throw new AppError("NOT_FOUND", "The invitation does not exist.");
  if (row.accepted_at) throw new AppError("CONFLICT", "The invitation was already accepted.");
  if (row.revoked_at) return;
  await markInvitationRevoked(trx, caller.workspaceId, invitationId, now);
  await recordCallerAudit(
    trx,
    caller,
    {
      action: "invitation.revoked",
      target: { type: "invitation", id: invitationId },
      metadata: { role: row.role },
    },
    { now: () => now },
  );
}

export type AcceptInvitationInput = {
  token: string;
  /** An existing account's password (proves it is theirs), or a new account's chosen password. */
  password: string;
  ip?: string | null;
  userAgent?: string | null;
  now?: Date;
};

/** `email` is the invitation's address, now the account's: the invitee signs in with it next. */
export type AcceptedInvitation = { workspaceId: string; userId: string; email: string; role: MemberRole; newAccount: boolean };

const invalidInvitation = () => new AppError("NOT_FOUND", "The invitation is not valid: it may have expired, been used or been revoked.");

/**
 * Accepts an invitation: an existing account proves itself with its password, a new one is
 * created with the chosen password (identity's rules). Single use: the row is locked, checked
 * live and marked accepted in the same transaction as the membership and the audit entry.
 */
export async function acceptInvitation(db: Database, input: AcceptInvitationInput): Promise<AcceptedInvitation> {
  const now = input.now ?? new Date();
  const match = TOKEN.exec(input.token);
  if (!match) throw invalidInvitation();
  const [, workspaceId, invitationId] = match as unknown as [string, string, string];
  const presented = Buffer.from(hashInvitationToken(input.token), "hex");
  return withWorkspace(db, { workspaceId }, async (trx) => {
    const invitation = await lockInvitation(trx, workspaceId, invitationId);
    if (!invitation || !timingSafeEqual(Buffer.from(invitation.token_hash, "hex"), presented)) {
      await verifyAgainstDummy(input.password);
      throw invalidInvitation();
    }
    if (statusOf(invitation, now) !== "pending") {
      await verifyAgainstDummy(input.password);
      throw invalidInvitation();
    }
    const existing = await findAccountByEmail(trx, invitation.email);
    let userId: string;
    if (existing) {
      if (!(await verifyPassword(existing.password_hash, input.password))) throw new AppError("INVALID_CREDENTIALS");
      userId = existing.id;
      if (await isMember(trx, workspaceId, userId)) throw new AppError("CONFLICT", "You are already a member of this workspace.");
    } else {
      // Identity's password rules (length, blocklist) and hashing; PASSWORD_REJECTED says why.
      userId = await createUserIn(trx, { email: invitation.email, password: input.password, now });
    }
    await insertMembership(trx, workspaceId, { userId, role: invitation.role, at: now });
    await markInvitationAccepted(trx, workspaceId, invitationId, userId, now);
    await recordAudit(
      trx,
      {
        workspaceId,
        actor: { type: "user", id: userId },
        action: "invitation.accepted",
        target: { type: "invitation", id: invitationId },
        ip: input.ip ?? null,
        userAgent: input.userAgent ?? null,
        metadata: { role: invitation.role, newAccount: !existing },
      },
      { now: () => now },
    );
    return { workspaceId, userId, email: invitation.email, role: invitation.role, newAccount: !existing };
  });
}
