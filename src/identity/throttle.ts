import { createHash } from "node:crypto";
import { recordAudit } from "../audit/record.ts";
import type { Tx } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { AppError } from "../errors.ts";
import type { Services } from "../services.ts";

// Brute-force limits (DESIGN §6, security.md §8.2). Failed sign-ins are counted per account and per
// client address: 5 within 15 minutes lock that key for 1, 2, 4 … minutes, capped at 1 hour. The
// counters live in the database (login_throttles), so a lock-out survives restarts and binds every
// instance. The account key is a hash of the e-mail whether or not an account exists, so locking
// behaves the same for unknown addresses (no enumeration). Registrations and invitation
// acceptances go through the coordination rate limiter (Redis when configured): 3 per hour per IP.

export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_BASE_MS = 60 * 1000;
export const LOCKOUT_CAP_MS = 60 * 60 * 1000;
/** A lock-out level is forgotten after a day without lock-outs. */
export const LOCKOUT_MEMORY_MS = 24 * 60 * 60 * 1000;
export const REGISTRATION_LIMIT = { limit: 3, windowMs: 60 * 60 * 1000 } as const;

export type ThrottleKeys = { account: string; ip: string };

function hashKey(kind: string, value: string): string {
  return createHash("sha256").update(`login-throttle|${kind}|${value}`, "utf8").digest("hex");
}

export function loginThrottleKeys(normalizedEmail: string, ip: string): ThrottleKeys {
  return { account: hashKey("account", normalizedEmail), ip: hashKey("ip", ip) };
}

export function lockoutDurationMs(lockouts: number): number {
  return Math.min(LOCKOUT_BASE_MS * 2 ** Math.min(lockouts, 20), LOCKOUT_CAP_MS);
}

/** Milliseconds until sign-in may be tried again for these keys (0: allowed). */
export async function loginRetryAfterMs(trx: Tx, keys: ThrottleKeys, now: Date): Promise<number> {
  const rows = await trx.selectFrom("login_throttles").select(["locked_until"]).where("key_hash", "in", [keys.account, keys.ip]).execute();
  let wait = 0;
  for (const row of rows) if (row.locked_until) wait = Math.max(wait, row.locked_until.getTime() - now.getTime());
  return Math.max(0, wait);
}

export type FailureOutcome = { lockedOut: boolean; retryAfterMs: number; lockedKeys: Array<"account" | "ip"> };

async function countFailure(trx: Tx, keyHash: string, now: Date): Promise<{ lockedUntil: Date | null }> {
  await trx
    .insertInto("login_throttles")
    .values({ key_hash: keyHash, failures: 0, updated_at: now })
    .onConflict((conflict) => conflict.column("key_hash").doNothing())
    .execute();
  const row = await trx.selectFrom("login_throttles").selectAll().where("key_hash", "=", keyHash).forUpdate().executeTakeFirstOrThrow();
  const windowOpen = row.window_started_at !== null && now.getTime() - row.window_started_at.getTime() < LOGIN_FAILURE_WINDOW_MS;
  let failures = windowOpen ? row.failures + 1 : 1;
  const windowStartedAt = windowOpen ? row.window_started_at! : now;
  const forgotten = row.locked_until === null || now.getTime() - row.locked_until.getTime() > LOCKOUT_MEMORY_MS;
  let lockouts = forgotten ? 0 : row.lockouts;
  let lockedUntil: Date | null = null;
  if (failures >= LOGIN_FAILURE_LIMIT) {
    lockedUntil = new Date(now.getTime() + lockoutDurationMs(lockouts));
    lockouts += 1;
    failures = 0;
  }
  await trx
    .updateTable("login_throttles")
    .set({
      failures,
      window_started_at: failures === 0 ? null : windowStartedAt,
      lockouts,
      locked_until: lockedUntil ?? row.locked_until,
      updated_at: now,
    })
    .where("key_hash", "=", keyHash)
    .execute();
  return { lockedUntil };
}

/** Counts one failed sign-in against the account and the address; says whether that locked either. */
export async function recordLoginFailure(trx: Tx, keys: ThrottleKeys, now: Date): Promise<FailureOutcome> {
  const account = await countFailure(trx, keys.account, now);
  const ip = await countFailure(trx, keys.ip, now);
  const lockedKeys: Array<"account" | "ip"> = [];
  if (account.lockedUntil) lockedKeys.push("account");
  if (ip.lockedUntil) lockedKeys.push("ip");
  const until = Math.max(account.lockedUntil?.getTime() ?? 0, ip.lockedUntil?.getTime() ?? 0);
  return { lockedOut: lockedKeys.length > 0, retryAfterMs: Math.max(0, until - now.getTime()), lockedKeys };
}

/** A successful sign-in clears the account's counter (not the address's: one good account must not unlock an address). */
export async function recordLoginSuccess(trx: Tx, keys: ThrottleKeys, now: Date): Promise<void> {
  await trx
    .updateTable("login_throttles")
    .set({ failures: 0, window_started_at: null, updated_at: now })
    .where("key_hash", "=", keys.account)
    .execute();
}

/**
 * A sign-in whose input was refused before it could be checked (a NUL or an unpaired surrogate in
 * the e-mail or password, bytes that are not UTF-8, a malformed body) is a failed attempt all the
 * same: it counts against the address, and against the account its e-mail names when it names one,
 * and is audited like one. Otherwise malformed guesses would be free past the lock-out. Throws
 * RATE_LIMITED while the caller is locked out, or when this attempt locked it out, as sign-in does.
 */
export async function recordRefusedSignIn(
  services: Services,
  attempt: { normalizedEmail: string | null; ip: string; userAgent: string | null },
  now: Date,
): Promise<void> {
  const ipKey = hashKey("ip", attempt.ip);
  const accountKey = attempt.normalizedEmail === null ? null : hashKey("account", attempt.normalizedEmail);
  const retryAfterMs = await withoutWorkspace(services.db, async (trx) => {
    const waiting = await loginRetryAfterMs(trx, { account: accountKey ?? ipKey, ip: ipKey }, now);
    if (waiting > 0) return waiting;
    const lockedKeys: Array<"account" | "ip"> = [];
    let until = 0;
    for (const [name, key] of [
      ["account", accountKey],
      ["ip", ipKey],
    ] as const) {
      if (key === null) continue;
      const { lockedUntil } = await countFailure(trx, key, now);
      if (lockedUntil) {
        lockedKeys.push(name);
        until = Math.max(until, lockedUntil.getTime());
      }
    }
    const base = { workspaceId: null, actor: { type: "user" as const, id: null }, ip: attempt.ip, userAgent: attempt.userAgent };
    await recordAudit(trx, { ...base, action: "auth.login.failed", metadata: { reason: "invalid_input" } }, { now: () => now });
    if (lockedKeys.length === 0) return 0;
    const lockedFor = Math.max(0, until - now.getTime());
    await recordAudit(
      trx,
      { ...base, action: "auth.lockout", metadata: { keys: lockedKeys.join(","), retryAfterSeconds: Math.ceil(lockedFor / 1000) } },
      { now: () => now },
    );
    return lockedFor;
  });
  if (retryAfterMs > 0) throw rateLimitedError(retryAfterMs);
}

export function rateLimitedError(retryAfterMs: number): AppError {
  return new AppError("RATE_LIMITED", undefined, { headers: { "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } });
}

/**
 * 3 registrations (setup) or invitation acceptances per hour per address; throws RATE_LIMITED with
 * Retry-After. Shared across instances through the coordination store; fails closed when it is down.
 */
export async function enforceRegistrationLimit(services: Services, ip: string): Promise<void> {
  const decision = await services.coordination.rateLimiter.hit(`identity:registration:${ip}`, REGISTRATION_LIMIT);
  if (!decision.allowed) throw rateLimitedError(decision.retryAfterMs);
}
