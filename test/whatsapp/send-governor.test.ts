import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.ts";
import { createMemoryGovernor } from "../../src/whatsapp/governor/memory.ts";
import { createRedisGovernor } from "../../src/whatsapp/governor/redis.ts";
import { DEFAULT_GOVERNOR_POLICY, numberParameters, type Governor } from "../../src/whatsapp/governor/types.ts";
import { CoordinationUnavailableError } from "../../src/coordination/types.ts";
import { testRedisUrl } from "../support/engine.ts";

// The throughput governor: per-number budget at the tier (with headroom), per-recipient pacing
// below Meta's pair limit, both-or-neither takes, and a shared budget through Redis.

const silent = createLogger({ level: "fatal", destination: { write: () => undefined } });

function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** How many takes succeed in `windowMs` of simulated time, one attempt every `stepMs`. */
async function countGrants(
  governor: Governor,
  clock: ReturnType<typeof manualClock>,
  request: { numberKey: string; tier: number; recipientKey: () => string },
  windowMs: number,
  stepMs: number,
) {
  let granted = 0;
  for (let t = 0; t < windowMs; t += stepMs) {
    const decision = await governor.take({ numberKey: request.numberKey, tier: request.tier, recipientKey: request.recipientKey() });
    if (decision.granted) granted += 1;
    clock.advance(stepMs);
  }
  return granted;
}

describe("in-process governor (injected clock)", () => {
  it("lets through 97% of the 80 mps tier and never more than the tier in any second", async () => {
    const clock = manualClock();
    const governor = createMemoryGovernor({ now: clock.now });
    let n = 0;
    const perSecond: number[] = [];
    for (let second = 0; second < 5; second += 1)
      perSecond.push(await countGrants(governor, clock, { numberKey: "1065", tier: 80, recipientKey: () => `c${n++}` }, 1_000, 0.5));
    for (const count of perSecond) expect(count).toBeLessThanOrEqual(80);
    expect(perSecond.slice(1).every((count) => count >= 77)).toBe(true);
  });

  it("runs the 1,000 mps tier at 970/s with a burst of at most 1%", async () => {
    const clock = manualClock();
    const governor = createMemoryGovernor({ now: clock.now });
    let n = 0;
    // Idle for a while: the bucket refills only up to its small capacity.
    clock.advance(10_000);
    let burst = 0;
    while ((await governor.take({ numberKey: "big", tier: 1000, recipientKey: `r${n++}` })).granted) burst += 1;
    expect(burst).toBeLessThanOrEqual(10);
    const granted = await countGrants(governor, clock, { numberKey: "big", tier: 1000, recipientKey: () => `r${n++}` }, 2_000, 0.25);
    expect(granted).toBeGreaterThanOrEqual(1930);
    expect(granted).toBeLessThanOrEqual(1950);
  });

  it("paces one recipient at one per 6.6 s after a burst of 40 (Meta: 6 s, 45), other recipients unaffected", async () => {
    const clock = manualClock();
    const governor = createMemoryGovernor({ now: clock.now });
    let burst = 0;
    for (let i = 0; i < 100; i += 1) {
      const decision = await governor.take({ numberKey: "n", tier: 1000, recipientKey: "alice" });
      if (!decision.granted) {
        expect(decision.limitedBy).toBe("pair");
        expect(decision.retryAfterMs).toBeGreaterThan(6_000);
        break;
      }
      burst += 1;
      clock.advance(10);
    }
    expect(burst).toBe(DEFAULT_GOVERNOR_POLICY.pairBurst);
    expect((await governor.take({ numberKey: "n", tier: 1000, recipientKey: "bob" })).granted).toBe(true);
    clock.advance(6_600);
    expect((await governor.take({ numberKey: "n", tier: 1000, recipientKey: "alice" })).granted).toBe(true);
    expect((await governor.take({ numberKey: "n", tier: 1000, recipientKey: "alice" })).granted).toBe(false);
  });

  it("takes both tokens or neither: a pair refusal burns no number token", async () => {
    const clock = manualClock();
    const policy = { ...DEFAULT_GOVERNOR_POLICY, numberBurstSeconds: 0, pairBurst: 1 };
    const governor = createMemoryGovernor({ now: clock.now, policy });
    expect((await governor.take({ numberKey: "n", tier: 80, recipientKey: "a" })).granted).toBe(true);
    clock.advance(20);
    expect(await governor.take({ numberKey: "n", tier: 80, recipientKey: "a" })).toMatchObject({ granted: false, limitedBy: "pair" });
    expect((await governor.take({ numberKey: "n", tier: 80, recipientKey: "b" })).granted).toBe(true);
  });

  it("reserves later slots on the tier's schedule: each waiter wakes at its own slot, none beyond the window", async () => {
    const clock = manualClock();
    const governor = createMemoryGovernor({ now: clock.now });
    const { intervalMs } = numberParameters(DEFAULT_GOVERNOR_POLICY, 1000);
    // 1,500 sends ask at the same instant, willing to wait up to 1 s.
    const waits: number[] = [];
    let refused = 0;
    for (let i = 0; i < 1_500; i += 1) {
      const decision = await governor.take({ numberKey: "n", tier: 1000, recipientKey: `r${i}`, maxWaitMs: 1_000 });
      if (decision.granted) waits.push(decision.waitMs);
      else {
        refused += 1;
        expect(decision).toMatchObject({ limitedBy: "number" });
        if (decision.granted === false) expect(decision.retryAfterMs).toBeGreaterThan(1_000);
      }
    }
    // 1 s of the governed rate (970) plus the bucket's burst of 9, then refusals.
    expect(waits.length).toBe(979);
    expect(refused).toBe(1_500 - 979);
    // Slots are one interval apart once the burst is used, and never beyond the window.
    for (let i = 10; i < waits.length; i += 1) expect(waits[i]! - waits[i - 1]!).toBeCloseTo(intervalMs, 6);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1_000);
    // The reserved schedule keeps the ceiling: no 1 s window holds more than the tier.
    for (let left = 0, right = 0; right < waits.length; right += 1) {
      while (waits[right]! - waits[left]! >= 1_000) left += 1;
      expect(right - left + 1).toBeLessThanOrEqual(1000);
    }
    // A refusal took nothing: after the window passes, the next slot is where the schedule left it.
    clock.advance(1_000);
    const next = await governor.take({ numberKey: "n", tier: 1000, recipientKey: "late", maxWaitMs: 1_000 });
    expect(next.granted && next.waitMs).toBeCloseTo(waits.at(-1)! + intervalMs - 1_000, 6);
  });

  it("a reservation never waits out a pair limit: a recipient that must wait is refused at once", async () => {
    const clock = manualClock();
    const governor = createMemoryGovernor({ now: clock.now, policy: { ...DEFAULT_GOVERNOR_POLICY, pairBurst: 1 } });
    expect(await governor.take({ numberKey: "n", tier: 80, recipientKey: "a", maxWaitMs: 60_000 })).toMatchObject({
      granted: true,
      waitMs: 0,
    });
    expect(await governor.take({ numberKey: "n", tier: 80, recipientKey: "a", maxWaitMs: 60_000 })).toMatchObject({
      granted: false,
      limitedBy: "pair",
    });
  });

  it("holds one recipient after a 131056 for the given delay", async () => {
    const clock = manualClock();
    const governor = createMemoryGovernor({ now: clock.now });
    await governor.holdPair({ numberKey: "n", recipientKey: "a" }, 4_000);
    const decision = await governor.take({ numberKey: "n", tier: 80, recipientKey: "a" });
    expect(decision).toMatchObject({ granted: false, limitedBy: "pair" });
    expect((await governor.take({ numberKey: "n", tier: 80, recipientKey: "b" })).granted).toBe(true);
    clock.advance(4_001);
    expect((await governor.take({ numberKey: "n", tier: 80, recipientKey: "a" })).granted).toBe(true);
  });
});

// The Redis adapter is tested against the real Redis in both passes (like src/coordination).
describe("Redis governor (shared across instances)", () => {
  const opened: Governor[] = [];
  afterAll(async () => {
    for (const governor of opened) await governor.close();
  });

  it("two instances share one number budget: together they get the tier's share, not twice it", async () => {
    const a = createRedisGovernor(testRedisUrl, { logger: silent });
    const b = createRedisGovernor(testRedisUrl, { logger: silent });
    opened.push(a, b);
    const numberKey = `t${randomUUID()}`;
    let n = 0;
    const started = Date.now();
    let granted = 0;
    // Both instances hammer the same number for ~1 s of real time (Redis's clock decides).
    await Promise.all(
      [a, b].map(async (governor) => {
        while (Date.now() - started < 1_000) {
          const decision = await governor.take({ numberKey, tier: 80, recipientKey: `r${n++}` });
          if (decision.granted) granted += 1;
          else await new Promise((resolve) => setTimeout(resolve, Math.min(decision.retryAfterMs, 5)));
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    expect(granted).toBeLessThanOrEqual(Math.ceil(80 * 0.97 * elapsed) + 3);
    // The ceiling is the guarantee; the floor only shows the budget is used. Polling is paced by
    // timers and round trips, which a loaded machine (the CI run) slows several-fold, so the floor
    // is a fifth of the rate; that the budget is used to the full is shown, without polling, by
    // "two instances reserve from one schedule" below.
    expect(granted).toBeGreaterThanOrEqual(Math.floor(80 * 0.97 * 0.2));
  });

  it("two instances reserve from one schedule: their slots follow one another, never coincide", async () => {
    const a = createRedisGovernor(testRedisUrl, { logger: silent });
    const b = createRedisGovernor(testRedisUrl, { logger: silent });
    opened.push(a, b);
    const numberKey = `t${randomUUID()}`;
    const { intervalMs } = numberParameters(DEFAULT_GOVERNOR_POLICY, 80);
    // Each instance reserves 60 slots of the 80 mps tier, at most 10 s ahead (all are granted).
    const started = performance.now();
    let n = 0;
    await Promise.all(
      [a, b].map(async (governor) => {
        for (let i = 0; i < 60; i += 1) {
          const decision = await governor.take({ numberKey, tier: 80, recipientKey: `r${n++}`, maxWaitMs: 10_000 });
          expect(decision.granted).toBe(true);
        }
      }),
    );
    // The next slot then lies 120 intervals after the first, less the time spent taking them: one
    // schedule for both. Two private schedules would put it 60 intervals out. Measured by Redis's
    // clock, so this holds however slowly a loaded machine made the round trips.
    const next = await a.take({ numberKey, tier: 80, recipientKey: "next", maxWaitMs: 10_000 });
    const elapsedMs = performance.now() - started;
    expect(next.granted).toBe(true);
    if (next.granted) {
      expect(next.waitMs + elapsedMs).toBeGreaterThan(110 * intervalMs);
      expect(next.waitMs).toBeLessThanOrEqual(121 * intervalMs);
    }
  });

  it("a pair held by one instance is held for the other", async () => {
    const a = createRedisGovernor(testRedisUrl, { logger: silent });
    const b = createRedisGovernor(testRedisUrl, { logger: silent });
    opened.push(a, b);
    const numberKey = `t${randomUUID()}`;
    await a.holdPair({ numberKey, recipientKey: "c1" }, 60_000);
    expect(await b.take({ numberKey, tier: 1000, recipientKey: "c1" })).toMatchObject({ granted: false, limitedBy: "pair" });
    expect((await b.take({ numberKey, tier: 1000, recipientKey: "c2" })).granted).toBe(true);
  });

  it("fails closed when Redis is unreachable", async () => {
    const down = createRedisGovernor("redis://127.0.0.1:1", { logger: silent, commandTimeoutMs: 100 });
    opened.push(down);
    await expect(down.take({ numberKey: "n", tier: 80, recipientKey: "a" })).rejects.toBeInstanceOf(CoordinationUnavailableError);
  });
});
