import { describe, expect, it } from "vitest";
import { createMemoryCoordination } from "./memory.ts";

function createClock(start = 1_000_000) {
  let current = start;
  return { now: () => current, advance: (ms: number) => void (current += ms) };
}

describe("memory coordination: rate limiter", () => {
  it("allows `limit` hits per sliding window, then refuses with the time until the oldest hit leaves", async () => {
    const clock = createClock();
    const { rateLimiter } = createMemoryCoordination({ now: clock.now });
    const rule = { limit: 3, windowMs: 1_000 };

    expect(await rateLimiter.hit("k", rule)).toEqual({ allowed: true, limit: 3, remaining: 2, retryAfterMs: 0 });
    clock.advance(100);
    expect(await rateLimiter.hit("k", rule)).toMatchObject({ allowed: true, remaining: 1 });
    clock.advance(100);
    expect(await rateLimiter.hit("k", rule)).toMatchObject({ allowed: true, remaining: 0 });
    clock.advance(100);
    expect(await rateLimiter.hit("k", rule)).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterMs: 700 });

    // The window slides: once the first hit is older than the window, one slot opens — not all three.
    clock.advance(700);
    expect(await rateLimiter.hit("k", rule)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await rateLimiter.hit("k", rule)).toMatchObject({ allowed: false, retryAfterMs: 100 });
    clock.advance(100);
    expect(await rateLimiter.hit("k", rule)).toMatchObject({ allowed: true });
  });

  it("does not count refused hits, so hammering does not extend the lock-out", async () => {
    const clock = createClock();
    const { rateLimiter } = createMemoryCoordination({ now: clock.now });
    const rule = { limit: 1, windowMs: 1_000 };
    await rateLimiter.hit("k", rule);
    for (let index = 0; index < 10; index += 1) {
      clock.advance(50);
      expect((await rateLimiter.hit("k", rule)).allowed).toBe(false);
    }
    clock.advance(500);
    expect((await rateLimiter.hit("k", rule)).allowed).toBe(true);
  });

  it("keeps keys apart, and reset forgets one key only", async () => {
    const clock = createClock();
    const { rateLimiter } = createMemoryCoordination({ now: clock.now });
    const rule = { limit: 1, windowMs: 60_000 };
    expect((await rateLimiter.hit("a", rule)).allowed).toBe(true);
    expect((await rateLimiter.hit("b", rule)).allowed).toBe(true);
    expect((await rateLimiter.hit("a", rule)).allowed).toBe(false);
    await rateLimiter.reset("a");
    expect((await rateLimiter.hit("a", rule)).allowed).toBe(true);
    expect((await rateLimiter.hit("b", rule)).allowed).toBe(false);
  });
});

describe("memory coordination: pub/sub", () => {
  it("delivers to every subscriber of the channel, not to other channels, and stops after unsubscribe", async () => {
    const coordination = createMemoryCoordination();
    const first: string[] = [];
    const second: string[] = [];
    const other: string[] = [];
    const unsubscribeFirst = await coordination.pubsub.subscribe("events", (message) => void first.push(message));
    await coordination.pubsub.subscribe("events", (message) => void second.push(message));
    await coordination.pubsub.subscribe("other", (message) => void other.push(message));

    await coordination.pubsub.publish("events", "one");
    await unsubscribeFirst();
    await coordination.pubsub.publish("events", "two");

    expect(first).toEqual(["one"]);
    expect(second).toEqual(["one", "two"]);
    expect(other).toEqual([]);
  });

  it("pings, and close drops subscribers and counters", async () => {
    const coordination = createMemoryCoordination();
    const received: string[] = [];
    await coordination.pubsub.subscribe("events", (message) => void received.push(message));
    await expect(coordination.ping()).resolves.toBeUndefined();
    await coordination.close();
    await coordination.pubsub.publish("events", "after close");
    expect(received).toEqual([]);
  });
});

describe("memory coordination: multi-window limiter", () => {
  it("refuses when any window is full, records a hit in all windows or none, and names the binding window", async () => {
    const clock = createClock();
    const { rateLimiter } = createMemoryCoordination({ now: clock.now });
    const rules = [
      { limit: 2, windowMs: 1_000 },
      { limit: 3, windowMs: 10_000 },
    ];
    expect(await rateLimiter.hitWindows("k", rules)).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      retryAfterMs: 0,
      windowMs: 1_000,
      resetMs: 1_000,
    });
    clock.advance(100);
    expect(await rateLimiter.hitWindows("k", rules)).toMatchObject({ allowed: true, limit: 2, remaining: 0 });
    expect(await rateLimiter.hitWindows("k", rules)).toEqual({
      allowed: false,
      limit: 2,
      remaining: 0,
      retryAfterMs: 900,
      windowMs: 1_000,
      resetMs: 900,
    });
    clock.advance(900);
    // The short window has room again; the long one has one left, and is now the tighter.
    expect(await rateLimiter.hitWindows("k", rules)).toMatchObject({ allowed: true, limit: 3, remaining: 0, windowMs: 10_000 });
    clock.advance(1_000);
    // The short window is empty but the long one is full: refused until its oldest hit leaves (t = 10 s).
    expect(await rateLimiter.hitWindows("k", rules)).toEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      retryAfterMs: 8_000,
      windowMs: 10_000,
      resetMs: 8_000,
    });
    // Refused hits were recorded nowhere: after the long window slides, the short window has both slots.
    clock.advance(8_100);
    expect(await rateLimiter.hitWindows("k", rules)).toMatchObject({ allowed: true });
  });
});
