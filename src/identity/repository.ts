import type { Tx } from "../db/database.ts";
import type { MemberRole } from "../db/with-workspace.ts";

// Identity's reads for its routes (./routes.ts): who owns a session, and the signed-in user with
// their memberships. Account-level rows (users, sessions) are read without a workspace
// (withoutWorkspace); a user's memberships under withUser, which RLS confines to that user.

/** The session's user and whether it was revoked; throws when there is no such session. */
export async function findSessionOwner(trx: Tx, sessionId: string): Promise<{ user_id: string; revoked_at: Date | null }> {
  return trx.selectFrom("sessions").select(["user_id", "revoked_at"]).where("id", "=", sessionId).executeTakeFirstOrThrow();
}

/** The user's id, e-mail and whether TOTP is enrolled (the wrapped secret, never unwrapped here); throws when there is no such user. */
export async function findUserProfile(trx: Tx, userId: string): Promise<{ id: string; email: string; totp_secret_wrapped: string | null }> {
  return trx.selectFrom("users").select(["id", "email", "totp_secret_wrapped"]).where("id", "=", userId).executeTakeFirstOrThrow();
}

/** The user's memberships, oldest first. */
export async function listUserMemberships(trx: Tx, userId: string): Promise<{ workspace_id: string; role: MemberRole }[]> {
  return trx.selectFrom("memberships").select(["workspace_id", "role"]).where("user_id", "=", userId).orderBy("created_at").execute();
}
