import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.ts";
import { createMemoryGovernor } from "../../src/whatsapp/governor/memory.ts";
import { createRedisGovernor } from "../../src/whatsapp/governor/redis.ts";
import { DEFAULT_GOVERNOR_POLICY, type Governor } from "../../src/whatsapp/governor/types.ts";
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
async function countGrants(governor: Governor, clock: ReturnType<typeof manualClock>, request: { numberKey: string; tier: number; recipientKey: () => string }, windowMs: number, stepMs: number) {
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
    for (let second = 0; second < 5; second += 1) perSecond.push(await countGrants(governor, clock, { numberKey: "1065", tier: 80, recipientKey: () => `c${n++}` }, 1_000, 0.5));
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
    // The ceiling is the guarantee; the floor only shows the budget is used (a loaded machine slows
    // the round trips, so it is loose on purpose).
    expect(granted).toBeGreaterThanOrEqual(Math.floor(80 * 0.97 * 0.5));
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
