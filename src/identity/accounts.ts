import { randomUUID } from "node:crypto";
import { recordAudit } from "../audit/record.ts";
import type { Tx } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { AppError } from "../errors.ts";
import type { Services } from "../services.ts";
import { publishInvalidation } from "./cache.ts";
import { csrfTokenFor } from "./csrf.ts";
import { checkNewPassword, hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords.ts";
import { createSession, markReauthenticated, revokeUserSessionsIn, type IssuedRefreshToken } from "./sessions.ts";
import {
  loginRetryAfterMs,
  loginThrottleKeys,
  rateLimitedError,
  recordLoginFailure,
  recordLoginSuccess,
  type ThrottleKeys,
} from "./throttle.ts";
import { issueAccessToken } from "./tokens.ts";
import { hashRecoveryCode, matchTotp, totpSecretAad } from "./totp.ts";

// Sign-in, re-authentication and password change. Every outcome is audited in the transaction that
// records it. Failures answer the same (INVALID_CREDENTIALS) whether or not the account exists,
// after the same argon2 work.

export type RequestMeta = { ip: string; userAgent: string | null };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function assertAcceptablePassword(password: string): void {
  const problem = checkNewPassword(password);
  if (problem) throw new AppError("PASSWORD_REJECTED", undefined, { details: { reason: problem } });
}

/** Creates an account inside the caller's transaction; CONFLICT when the e-mail is taken. */
export async function createUserIn(trx: Tx, input: { email: string; password: string; now?: Date }): Promise<string> {
  assertAcceptablePassword(input.password);
  const email = normalizeEmail(input.email);
  const taken = await trx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (taken) throw new AppError("CONFLICT", "An account with this e-mail already exists.");
  const id = randomUUID();
  const now = input.now ?? new Date();
  await trx
    .insertInto("users")
    .values({ id, email, password_hash: await hashPassword(input.password), created_at: now, password_changed_at: now })
    .execute();
  return id;
}

export type SecondFactor = { totp?: string | undefined; recoveryCode?: string | undefined };

type SecondFactorResult = "ok" | "ok_recovery" | "missing" | "invalid";

/** Checks a TOTP code (replay-protected) or consumes a recovery code, inside the caller's transaction. */
async function checkSecondFactor(
  services: Services,
  trx: Tx,
  userId: string,
  factor: SecondFactor,
  now: Date,
): Promise<SecondFactorResult> {
  const user = await trx
    .selectFrom("users")
    .select(["totp_secret_wrapped", "totp_last_step"])
    .where("id", "=", userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (!user.totp_secret_wrapped) return "ok";
  if (factor.totp) {
    const secret = services.keyring.provider.unwrap(user.totp_secret_wrapped, totpSecretAad(userId, "active"));
    const step = matchTotp(secret, factor.totp, now.getTime(), user.totp_last_step === null ? null : Number(user.totp_last_step));
    if (step === null) return "invalid";
    const updated = await trx
      .updateTable("users")
      .set({ totp_last_step: step })
      .where("id", "=", userId)
      .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1 ? "ok" : "invalid";
  }
  if (factor.recoveryCode) {
    const used = await trx
      .updateTable("recovery_codes")
      .set({ used_at: now })
      .where("user_id", "=", userId)
      .where("code_hash", "=", hashRecoveryCode(factor.recoveryCode))
      .where("used_at", "is", null)
      .executeTakeFirst();
    return Number(used.numUpdatedRows) === 1 ? "ok_recovery" : "invalid";
  }
  return "missing";
}

export type SignedIn = {
  userId: string;
  sessionId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refresh: IssuedRefreshToken;
  csrfToken: string;
};

type Attempt =
  | { kind: "ok"; userId: string; sessionId: string; refresh: IssuedRefreshToken }
  | { kind: "failed"; retryAfterMs: number }
  | { kind: "mfa_required" };

/** Records a failed attempt (and a lock-out if it caused one) and audits both. */
async function failAttempt(
  trx: Tx,
  keys: ThrottleKeys,
  userId: string | null,
  reason: string,
  meta: RequestMeta,
  now: Date,
): Promise<Attempt> {
  const outcome = await recordLoginFailure(trx, keys, now);
  const base = { workspaceId: null, actor: { type: "user" as const, id: userId }, ip: meta.ip, userAgent: meta.userAgent };
  await recordAudit(trx, { ...base, action: "auth.login.failed", metadata: { reason } }, { now: () => now });
  if (outcome.lockedOut) {
    await recordAudit(
      trx,
      {
        ...base,
        action: "auth.lockout",
        metadata: { keys: outcome.lockedKeys.join(","), retryAfterSeconds: Math.ceil(outcome.retryAfterMs / 1000) },
      },
      { now: () => now },
    );
  }
  return { kind: "failed", retryAfterMs: outcome.lockedOut ? outcome.retryAfterMs : 0 };
}

/**
 * E-mail + password [+ TOTP or recovery code] → a new session. Throws RATE_LIMITED (locked),
 * INVALID_CREDENTIALS or MFA_CODE_REQUIRED.
 */
export async function signIn(
  services: Services,
  input: { email: string; password: string } & SecondFactor,
  meta: RequestMeta,
  now = new Date(),
): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  const keys = loginThrottleKeys(email, meta.ip);
  const pre = await withoutWorkspace(services.db, async (trx) => ({
    retryAfterMs: await loginRetryAfterMs(trx, keys, now),
    user: await trx.selectFrom("users").select(["id", "password_hash"]).where("email", "=", email).executeTakeFirst(),
  }));
  if (pre.retryAfterMs > 0) throw rateLimitedError(pre.retryAfterMs);
  // Outside any transaction: argon2 takes tens of milliseconds and must not hold a connection.
  const passwordOk = pre.user ? await verifyPassword(pre.user.password_hash, input.password) : await verifyAgainstDummy(input.password);
  const attempt = await withoutWorkspace(services.db, async (trx): Promise<Attempt> => {
    if (!pre.user) return failAttempt(trx, keys, null, "unknown_account", meta, now);
    if (!passwordOk) return failAttempt(trx, keys, pre.user.id, "password", meta, now);
    const factor = await checkSecondFactor(services, trx, pre.user.id, input, now);
    if (factor === "missing") return { kind: "mfa_required" };
    if (factor === "invalid") return failAttempt(trx, keys, pre.user.id, "second_factor", meta, now);
    await recordLoginSuccess(trx, keys, now);
    const session = await createSession(trx, pre.user.id, now);
    const base = { workspaceId: null, actor: { type: "user" as const, id: pre.user.id }, ip: meta.ip, userAgent: meta.userAgent };
    if (factor === "ok_recovery") await recordAudit(trx, { ...base, action: "auth.recovery_code.used" }, { now: () => now });
    await recordAudit(
      trx,
      { ...base, action: "auth.login.succeeded", target: { type: "session", id: session.sessionId } },
      { now: () => now },
    );
    return { kind: "ok", userId: pre.user.id, sessionId: session.sessionId, refresh: session.refresh };
  });
  if (attempt.kind === "mfa_required") throw new AppError("MFA_CODE_REQUIRED");
  if (attempt.kind === "failed") {
    if (attempt.retryAfterMs > 0) throw rateLimitedError(attempt.retryAfterMs);
    throw new AppError("INVALID_CREDENTIALS");
  }
  const access = await issueAccessToken(services, { userId: attempt.userId, sessionId: attempt.sessionId }, now);
  return {
    userId: attempt.userId,
    sessionId: attempt.sessionId,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refresh: attempt.refresh,
    csrfToken: await csrfTokenFor(services, attempt.sessionId),
  };
}

/**
 * Password [+ TOTP or recovery code] for an existing session: marks its re-authentication time.
 * Failures count against the account's and the address's lock-out like sign-in failures.
 */
export async function reauthenticate(
  services: Services,
  session: { userId: string; sessionId: string },
  input: { password: string } & SecondFactor,
  meta: RequestMeta,
  now = new Date(),
): Promise<void> {
  const user = await withoutWorkspace(services.db, (trx) =>
    trx.selectFrom("users").select(["email", "password_hash"]).where("id", "=", session.userId).executeTakeFirstOrThrow(),
  );
  const keys = loginThrottleKeys(user.email, meta.ip);
  const retryAfterMs = await withoutWorkspace(services.db, (trx) => loginRetryAfterMs(trx, keys, now));
  if (retryAfterMs > 0) throw rateLimitedError(retryAfterMs);
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  const attempt = await withoutWorkspace(services.db, async (trx): Promise<Attempt> => {
    if (!passwordOk) return failAttempt(trx, keys, session.userId, "reauth_password", meta, now);
    const factor = await checkSecondFactor(services, trx, session.userId, input, now);
    if (factor === "missing") return { kind: "mfa_required" };
    if (factor === "invalid") return failAttempt(trx, keys, session.userId, "reauth_second_factor", meta, now);
    if (factor === "ok_recovery") {
      await recordAudit(
        trx,
        {
          workspaceId: null,
          actor: { type: "user", id: session.userId },
          action: "auth.recovery_code.used",
          ip: meta.ip,
          userAgent: meta.userAgent,
        },
        { now: () => now },
      );
    }
    await markReauthenticated(trx, session.sessionId, now);
    return { kind: "ok", userId: session.userId, sessionId: session.sessionId, refresh: { token: "", expiresAt: now } };
  });
  if (attempt.kind === "mfa_required") throw new AppError("MFA_CODE_REQUIRED");
  if (attempt.kind === "failed") {
    if (attempt.retryAfterMs > 0) throw rateLimitedError(attempt.retryAfterMs);
    throw new AppError("INVALID_CREDENTIALS");
  }
  await publishInvalidation(services, { type: "session", sessionId: session.sessionId });
}

/** Sets a new password and revokes every session of the user (they sign in again everywhere). */
export async function changePassword(
  services: Services,
  userId: string,
  newPassword: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<void> {
  assertAcceptablePassword(newPassword);
  const passwordHash = await hashPassword(newPassword);
  await withoutWorkspace(services.db, async (trx) => {
    await trx.updateTable("users").set({ password_hash: passwordHash, password_changed_at: now }).where("id", "=", userId).execute();
    await revokeUserSessionsIn(trx, userId, "password_change", now);
    await recordAudit(
      trx,
      { workspaceId: null, actor: { type: "user", id: userId }, action: "auth.password.changed", ip: meta.ip, userAgent: meta.userAgent },
      { now: () => now },
    );
  });
  await publishInvalidation(services, { type: "user", userId });
}
