import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Tx } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import type { Services } from "../services.ts";
import { clearCsrfCookie, serializeCsrfCookie } from "./csrf.ts";
import { identityCaches, publishInvalidation, type CachedSession } from "./cache.ts";

// Sessions and refresh-token families (RFC 9700 §4.14.2). A refresh token is 256 random bits,
// stored as SHA-256, rotated on every use; presenting a rotated token again means it was copied,
// so the whole family (the session) is revoked. Idle 1 h (each token lives 1 h), absolute 24 h.

export type SessionRevokedReason = "logout" | "password_change" | "mfa_reset" | "refresh_reuse" | "admin";

export const REFRESH_IDLE_MS = 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 24 * 60 * 60 * 1000;
export const REFRESH_COOKIE = "__Host-parley_refresh";
const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type IssuedRefreshToken = { token: string; expiresAt: Date };
export type NewSession = { sessionId: string; refresh: IssuedRefreshToken; absoluteExpiresAt: Date };

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

async function insertRefreshToken(trx: Tx, sessionId: string, absoluteExpiresAt: Date, now: Date): Promise<IssuedRefreshToken> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Math.min(now.getTime() + REFRESH_IDLE_MS, absoluteExpiresAt.getTime()));
  await trx
    .insertInto("refresh_tokens")
    .values({ id: randomUUID(), family_id: sessionId, token_hash: hashRefreshToken(token), created_at: now, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

/** A new session after a full sign-in (password [+ TOTP]), which also counts as a re-authentication. */
export async function createSession(trx: Tx, userId: string, now = new Date()): Promise<NewSession> {
  const sessionId = randomUUID();
  const absoluteExpiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  await trx
    .insertInto("sessions")
    .values({ id: sessionId, user_id: userId, created_at: now, absolute_expires_at: absoluteExpiresAt, reauthenticated_at: now })
    .execute();
  const refresh = await insertRefreshToken(trx, sessionId, absoluteExpiresAt, now);
  return { sessionId, refresh, absoluteExpiresAt };
}

export type RefreshOutcome =
  | { kind: "rotated"; sessionId: string; userId: string; refresh: IssuedRefreshToken }
  | { kind: "reused"; sessionId: string; userId: string }
  | { kind: "invalid" };

/**
 * Exchanges a refresh token for its successor. Consuming is one conditional UPDATE, so two
 * concurrent uses cannot both win; the loser looks like (and is treated as) a reuse.
 */
export async function rotateRefreshToken(services: Services, token: string, now = new Date()): Promise<RefreshOutcome> {
  if (!REFRESH_TOKEN.test(token)) return { kind: "invalid" };
  const hash = hashRefreshToken(token);
  const outcome = await withoutWorkspace(services.db, async (trx): Promise<RefreshOutcome> => {
    const row = await trx
      .selectFrom("refresh_tokens")
      .innerJoin("sessions", "sessions.id", "refresh_tokens.family_id")
      .select([
        "refresh_tokens.id as id",
        "refresh_tokens.token_hash as tokenHash",
        "refresh_tokens.expires_at as expiresAt",
        "refresh_tokens.rotated_at as rotatedAt",
        "refresh_tokens.revoked_at as revokedAt",
        "sessions.id as sessionId",
        "sessions.user_id as userId",
        "sessions.revoked_at as sessionRevokedAt",
        "sessions.absolute_expires_at as absoluteExpiresAt",
      ])
      .where("refresh_tokens.token_hash", "=", hash)
      .executeTakeFirst();
    if (!row || !timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash))) return { kind: "invalid" };
    if (row.rotatedAt !== null) {
      await revokeSessionIn(trx, row.sessionId, "refresh_reuse", now);
      return { kind: "reused", sessionId: row.sessionId, userId: row.userId };
    }
    if (row.revokedAt !== null || row.sessionRevokedAt !== null) return { kind: "invalid" };
    if (row.expiresAt.getTime() <= now.getTime() || row.absoluteExpiresAt.getTime() <= now.getTime()) return { kind: "invalid" };
    const consumed = await trx
      .updateTable("refresh_tokens")
      .set({ rotated_at: now })
      .where("id", "=", row.id)
      .where("rotated_at", "is", null)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (Number(consumed.numUpdatedRows) !== 1) {
      await revokeSessionIn(trx, row.sessionId, "refresh_reuse", now);
      return { kind: "reused", sessionId: row.sessionId, userId: row.userId };
    }
    const refresh = await insertRefreshToken(trx, row.sessionId, row.absoluteExpiresAt, now);
    return { kind: "rotated", sessionId: row.sessionId, userId: row.userId, refresh };
  });
  if (outcome.kind === "reused") await publishInvalidation(services, { type: "session", sessionId: outcome.sessionId });
  return outcome;
}

/** Revokes a session and its refresh-token family, inside the caller's transaction. */
export async function revokeSessionIn(trx: Tx, sessionId: string, reason: SessionRevokedReason, now = new Date()): Promise<void> {
  await trx
    .updateTable("sessions")
    .set({ revoked_at: now, revoked_reason: reason })
    .where("id", "=", sessionId)
    .where("revoked_at", "is", null)
    .execute();
  await trx
    .updateTable("refresh_tokens")
    .set({ revoked_at: now })
    .where("family_id", "=", sessionId)
    .where("revoked_at", "is", null)
    .execute();
}

/** Revokes every session of a user (password change, MFA reset), inside the caller's transaction. */
export async function revokeUserSessionsIn(trx: Tx, userId: string, reason: SessionRevokedReason, now = new Date()): Promise<void> {
  const sessions = await trx.selectFrom("sessions").select("id").where("user_id", "=", userId).where("revoked_at", "is", null).execute();
  for (const session of sessions) await revokeSessionIn(trx, session.id, reason, now);
}

/** Marks a fresh password (+ TOTP) proof on the session. */
export async function markReauthenticated(trx: Tx, sessionId: string, now = new Date()): Promise<void> {
  await trx.updateTable("sessions").set({ reauthenticated_at: now }).where("id", "=", sessionId).execute();
}

/** The session if it is live at `now` (not revoked, not past its absolute lifetime), from the cache when fresh. */
export async function findLiveSession(services: Services, sessionId: string, now = new Date()): Promise<CachedSession | null> {
  const caches = identityCaches(services);
  let session = caches.sessions.get(sessionId);
  if (!session) {
    const row = await withoutWorkspace(services.db, (trx) =>
      trx
        .selectFrom("sessions")
        .select(["user_id", "revoked_at", "absolute_expires_at", "reauthenticated_at"])
        .where("id", "=", sessionId)
        .executeTakeFirst(),
    );
    if (!row) return null;
    session = {
      userId: row.user_id,
      revoked: row.revoked_at !== null,
      absoluteExpiresAt: row.absolute_expires_at.getTime(),
      reauthenticatedAt: row.reauthenticated_at?.getTime() ?? null,
    };
    caches.sessions.set(sessionId, session);
  }
  if (session.revoked || session.absoluteExpiresAt <= now.getTime()) return null;
  return session;
}

export type CookieOptions = { maxAgeSeconds: number };

/** `__Host-` prefix: Secure, no Domain, Path=/ — the browser refuses to let a sibling host set it. */
export function serializeRefreshCookie(token: string, { maxAgeSeconds }: CookieOptions): string {
  return `${REFRESH_COOKIE}=${token}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; Secure; SameSite=Strict`;
}

export function clearRefreshCookie(): string {
  return `${REFRESH_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

/**
 * The cookies of a signed-in browser, set together wherever the refresh token is issued or rotated:
 * the refresh token (HttpOnly) and the session's CSRF token (readable by our pages, so every tab of
 * the browser can refresh the one session). Both expire with the refresh token.
 */
export function serializeSessionCookies(refresh: IssuedRefreshToken, csrfToken: string, now: Date): string[] {
  const maxAgeSeconds = (refresh.expiresAt.getTime() - now.getTime()) / 1000;
  return [serializeRefreshCookie(refresh.token, { maxAgeSeconds }), serializeCsrfCookie(csrfToken, { maxAgeSeconds })];
}

/** Clears both session cookies (sign-out, a refused refresh, every session ended). */
export function clearSessionCookies(): string[] {
  return [clearRefreshCookie(), clearCsrfCookie()];
}

/** The refresh token from a Cookie header, or undefined. */
export function readRefreshCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === REFRESH_COOKIE) return part.slice(index + 1).trim();
  }
  return undefined;
}
