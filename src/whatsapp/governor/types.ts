// The throughput governor (DESIGN §2, reference/cloud-api.md §7): before each Graph send, a token
// from the sending number's bucket (its tier: 80 or 1,000 messages/s) and from the pair bucket of
// (number, recipient) (Meta: 1 message / 6 s, bursts up to 45). Both limits are kept with
// headroom below Meta's, so Meta's own limiter (130429, 131056) is the exception, not the brake.
//
// Both buckets are token buckets in their GCRA form (one "theoretical arrival time" per key):
// emission interval T = 1 / rate, burst tolerance τ = (burst − 1) · T. A take is allowed when
// TAT − τ ≤ now, and moves TAT to max(TAT, now) + T. Same result as a token bucket of capacity
// `burst` refilled at `rate`, with one number of state — which is what makes the Redis adapter one
// small atomic script.
//
// A take may also reserve: when the number's next slot comes within `maxWaitMs`, the slot is the
// caller's and the answer says how long to wait for it. Hundreds of sends queued for one number
// then each ask once and wake at their own slot, instead of all polling for the next free token
// (a herd that cost more CPU than the sends themselves). The schedule is the same GCRA, so the
// same ceiling holds for every second: a reserved slot is one the bucket would have granted then.

export type GovernorPolicy = {
  /** Share of the tier actually used (Meta's limit is a hard ceiling; jitter needs room). */
  numberHeadroom: number;
  /** Number bucket capacity, in seconds of the governed rate (e.g. 0.01 → 10 tokens at 1,000/s). */
  numberBurstSeconds: number;
  /** Pair pacing: one message per intervalMs to a recipient, bursting up to `burst`. */
  pairIntervalMs: number;
  pairBurst: number;
};

/** Meta allows 1 per 6 s with bursts of 45; we pace at 1 per 6.6 s and burst at most 40. */
export const DEFAULT_GOVERNOR_POLICY: GovernorPolicy = {
  numberHeadroom: 0.97,
  numberBurstSeconds: 0.01,
  pairIntervalMs: 6_600,
  pairBurst: 40,
};

export type GovernorRequest = {
  /** Meta's phone number id (the unit Meta meters throughput on). Never a phone number. */
  numberKey: string;
  /** 80 or 1,000 messages/s. */
  tier: number;
  /** The recipient, as an opaque identifier (Parley's contact id). Never a phone number. */
  recipientKey: string;
  /**
   * Reserve a later slot of the number's budget instead of refusing, when it comes within this
   * many milliseconds (default 0: only a slot free now). The pair must be free now either way.
   */
  maxWaitMs?: number;
};

export type GovernorDecision =
  | {
      granted: true;
      /**
       * When the reserved slot comes: the caller sends no earlier than this many milliseconds from
       * now (0 for a slot free now). A reservation is never given back; an unused one is unused budget.
       */
      waitMs: number;
    }
  | {
      granted: false;
      /** How long until a take can succeed. */
      retryAfterMs: number;
      limitedBy: "number" | "pair";
    };

export type Governor = {
  readonly kind: "memory" | "redis";
  /**
   * Takes one token from the number's bucket (now, or reserved up to `maxWaitMs` ahead) and one
   * from the pair's bucket, atomically: both or neither. Throws CoordinationUnavailableError when
   * the shared store cannot answer — callers must not send then (fail closed).
   */
  take(request: GovernorRequest): Promise<GovernorDecision>;
  /** After Meta answered 131056 for this pair: nothing goes to that recipient for `delayMs`. */
  holdPair(request: Omit<GovernorRequest, "tier">, delayMs: number): Promise<void>;
  close(): Promise<void>;
};

export type GcraParameters = { intervalMs: number; toleranceMs: number };

export function numberParameters(policy: GovernorPolicy, tier: number): GcraParameters {
  if (!(tier > 0)) throw new RangeError("tier must be positive");
  const rate = tier * policy.numberHeadroom;
  const intervalMs = 1_000 / rate;
  const burst = Math.max(1, Math.floor(rate * policy.numberBurstSeconds));
  return { intervalMs, toleranceMs: (burst - 1) * intervalMs };
}

export function pairParameters(policy: GovernorPolicy): GcraParameters {
  return { intervalMs: policy.pairIntervalMs, toleranceMs: (Math.max(1, policy.pairBurst) - 1) * policy.pairIntervalMs };
}

/** The reservation window of a request: finite, ≥ 0, and never more than a minute. */
export function maxWaitOf(request: GovernorRequest): number {
  const maxWaitMs = request.maxWaitMs ?? 0;
  return Number.isFinite(maxWaitMs) ? Math.min(Math.max(maxWaitMs, 0), 60_000) : 0;
}

export function assertPolicy(policy: GovernorPolicy): void {
  if (!(policy.numberHeadroom > 0 && policy.numberHeadroom <= 1)) throw new RangeError("numberHeadroom must be in (0, 1]");
  if (!(policy.numberBurstSeconds >= 0)) throw new RangeError("numberBurstSeconds must be ≥ 0");
  if (!(policy.pairIntervalMs > 0) || !Number.isInteger(policy.pairBurst) || policy.pairBurst < 1)
    throw new RangeError("pair pacing needs a positive interval and burst");
}
