import type { MultiWindowDecision, RateLimitRule } from "./types.ts";

// What both adapters share of the multi-window limiter: reading one log of hit times against
// several windows. The adapters keep the log (an array, a Redis sorted set) and record the hit;
// this decides, so in-process and Redis answer the same way to the same log.

/**
 * One window's view of the log at `now`: how many hits it holds, the oldest of them, and — when
 * full — the hit whose ageing out makes room for one more.
 */
export type WindowCount = { count: number; oldest: number | undefined; freeingHit: number | undefined };

export function assertRules(rules: readonly RateLimitRule[]): void {
  if (rules.length === 0 || rules.length > 8) throw new RangeError("hitWindows takes 1 to 8 rules");
  for (const rule of rules) {
    if (!Number.isInteger(rule.limit) || rule.limit < 1 || !Number.isInteger(rule.windowMs) || rule.windowMs < 1) {
      throw new RangeError("rate limit rule needs a positive integer limit and windowMs");
    }
  }
}

/** Counts each window of a log of hit times sorted oldest first (times at or before now − window are out). */
export function countWindows(times: readonly number[], rules: readonly RateLimitRule[], now: number): WindowCount[] {
  return rules.map((rule) => {
    const inside = times.filter((time) => time > now - rule.windowMs);
    const full = inside.length >= rule.limit;
    return { count: inside.length, oldest: inside[0], freeingHit: full ? inside[inside.length - rule.limit] : undefined };
  });
}

/** The decision for counts taken before this hit; `allowed` means the hit is to be recorded. */
export function decideWindows(rules: readonly RateLimitRule[], counts: readonly WindowCount[], now: number): MultiWindowDecision {
  let refused: MultiWindowDecision | undefined;
  let binding: MultiWindowDecision | undefined;
  rules.forEach((rule, index) => {
    const { count, oldest, freeingHit } = counts[index]!;
    if (count >= rule.limit) {
      const wait = Math.max(1, (freeingHit ?? now) + rule.windowMs - now);
      if (!refused || wait > refused.retryAfterMs)
        refused = { allowed: false, limit: rule.limit, remaining: 0, retryAfterMs: wait, windowMs: rule.windowMs, resetMs: wait };
      return;
    }
    const remaining = rule.limit - count - 1;
    const resetMs = Math.max(1, (oldest ?? now) + rule.windowMs - now);
    if (!binding || remaining < binding.remaining || (remaining === binding.remaining && resetMs > binding.resetMs)) {
      binding = { allowed: true, limit: rule.limit, remaining, retryAfterMs: 0, windowMs: rule.windowMs, resetMs };
    }
  });
  return refused ?? binding!;
}
