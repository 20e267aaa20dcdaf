import {
  assertPolicy,
  DEFAULT_GOVERNOR_POLICY,
  maxWaitOf,
  numberParameters,
  pairParameters,
  type Governor,
  type GovernorPolicy,
} from "./types.ts";

// The in-process governor: one instance sends for its numbers. State is a TAT per key; keys idle
// past their tolerance carry no information and are dropped so the maps stay small.

export type MemoryGovernorOptions = {
  policy?: GovernorPolicy;
  /** Milliseconds; tests inject a manual clock. */
  now?: () => number;
};

export function createMemoryGovernor(options: MemoryGovernorOptions = {}): Governor {
  const policy = options.policy ?? DEFAULT_GOVERNOR_POLICY;
  assertPolicy(policy);
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const pair = pairParameters(policy);
  const numberTat = new Map<string, number>();
  const pairTat = new Map<string, number>();
  let takesSinceSweep = 0;

  function sweep(at: number): void {
    for (const [key, tat] of numberTat) if (tat < at) numberTat.delete(key);
    for (const [key, tat] of pairTat) if (tat < at) pairTat.delete(key);
  }

  return {
    kind: "memory",
    async take(request) {
      const at = now();
      if (++takesSinceSweep >= 10_000) {
        takesSinceSweep = 0;
        sweep(at);
      }
      const number = numberParameters(policy, request.tier);
      const pairKey = `${request.numberKey}|${request.recipientKey}`;
      const numberStart = Math.max(numberTat.get(request.numberKey) ?? at, at);
      const pairStart = Math.max(pairTat.get(pairKey) ?? at, at);
      // The pair is checked first: a recipient that must wait should not burn a number token.
      const pairWait = pairStart - pair.toleranceMs - at;
      if (pairWait > 0) return { granted: false, retryAfterMs: Math.ceil(pairWait), limitedBy: "pair" };
      const numberWait = Math.max(0, numberStart - number.toleranceMs - at);
      if (numberWait > maxWaitOf(request)) return { granted: false, retryAfterMs: Math.max(1, Math.ceil(numberWait)), limitedBy: "number" };
      numberTat.set(request.numberKey, numberStart + number.intervalMs);
      pairTat.set(pairKey, pairStart + pair.intervalMs);
      return { granted: true, waitMs: numberWait };
    },
    async holdPair(request, delayMs) {
      const pairKey = `${request.numberKey}|${request.recipientKey}`;
      // Blocked until now + delay: the TAT is pushed past the tolerance by that much.
      const blockedTat = now() + Math.max(0, delayMs) + pair.toleranceMs;
      pairTat.set(pairKey, Math.max(pairTat.get(pairKey) ?? 0, blockedTat));
    },
    async close() {
      numberTat.clear();
      pairTat.clear();
    },
  };
}
