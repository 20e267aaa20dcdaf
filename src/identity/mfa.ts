import { randomUUID } from "node:crypto";
import { recordAudit } from "../audit/record.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { AppError } from "../errors.ts";
import type { Services } from "../services.ts";
import type { RequestMeta } from "./accounts.ts";
import { publishInvalidation } from "./cache.ts";
import { revokeUserSessionsIn } from "./sessions.ts";
import { generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, matchTotp, otpauthQrSvg, otpauthUri, totpSecretAad } from "./totp.ts";

// TOTP enrollment: a seed is offered (pending) with its otpauth:// URI and QR code; the first valid
// code confirms it, makes it active and returns 10 single-use recovery codes (shown once, stored
// hashed). Resetting removes the seed and the codes and signs the user out everywhere.

export const TOTP_ISSUER = "Parley";

export type Enrollment = { otpauthUri: string; qrSvg: string; secret: string };

export async function beginTotpEnrollment(services: Services, userId: string): Promise<Enrollment> {
  const secret = generateTotpSecret();
  const email = await withoutWorkspace(services.db, async (trx) => {
    const user = await trx.selectFrom("users").select(["email", "totp_secret_wrapped"]).where("id", "=", userId).executeTakeFirstOrThrow();
    if (user.totp_secret_wrapped) throw new AppError("CONFLICT", "Two-factor authentication is already set up; reset it first.");
    const wrapped = services.keyring.provider.wrap(secret, totpSecretAad(userId, "pending"));
    await trx.updateTable("users").set({ totp_pending_wrapped: wrapped }).where("id", "=", userId).execute();
    return user.email;
  });
  const uri = otpauthUri(secret, { issuer: TOTP_ISSUER, account: email });
  return { otpauthUri: uri, qrSvg: await otpauthQrSvg(uri), secret: uri.match(/secret=([A-Z2-7]+)/)![1]! };
}

/** Confirms the pending seed with a code; returns the recovery codes (the only time they are shown). */
export async function confirmTotpEnrollment(
  services: Services,
  userId: string,
  code: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await withoutWorkspace(services.db, async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["totp_pending_wrapped", "totp_secret_wrapped"])
      .where("id", "=", userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (user.totp_secret_wrapped) throw new AppError("CONFLICT", "Two-factor authentication is already set up.");
    if (!user.totp_pending_wrapped) throw new AppError("UNPROCESSABLE", "Start the enrollment first.");
    const secret = services.keyring.provider.unwrap(user.totp_pending_wrapped, totpSecretAad(userId, "pending"));
    const step = matchTotp(secret, code, now.getTime(), null);
    if (step === null) throw new AppError("INVALID_CREDENTIALS", "The code is not correct.");
    await trx
      .updateTable("users")
      .set({
        totp_secret_wrapped: services.keyring.provider.wrap(secret, totpSecretAad(userId, "active")),
        totp_pending_wrapped: null,
        totp_enabled_at: now,
        totp_last_step: step,
      })
      .where("id", "=", userId)
      .execute();
    await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
    await trx
      .insertInto("recovery_codes")
      .values(codes.map((recovery) => ({ id: randomUUID(), user_id: userId, code_hash: hashRecoveryCode(recovery), created_at: now })))
      .execute();
    await recordAudit(
      trx,
      {
        workspaceId: null,
        actor: { type: "user", id: userId },
        action: "auth.mfa.enrolled",
        ip: meta.ip,
        userAgent: meta.userAgent,
        metadata: { method: "totp", recoveryCodes: codes.length },
      },
      { now: () => now },
    );
  });
  await publishInvalidation(services, { type: "user", userId });
  return codes;
}

/** Removes TOTP and recovery codes and revokes every session (the next request answers 401). */
export async function resetTotp(services: Services, userId: string, meta: RequestMeta, now = new Date()): Promise<void> {
  await withoutWorkspace(services.db, async (trx) => {
    await trx
      .updateTable("users")
      .set({ totp_secret_wrapped: null, totp_pending_wrapped: null, totp_enabled_at: null, totp_last_step: null })
      .where("id", "=", userId)
      .execute();
    await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
    await revokeUserSessionsIn(trx, userId, "mfa_reset", now);
    await recordAudit(
      trx,
      { workspaceId: null, actor: { type: "user", id: userId }, action: "auth.mfa.reset", ip: meta.ip, userAgent: meta.userAgent },
      { now: () => now },
    );
  });
  await publishInvalidation(services, { type: "user", userId });
}
