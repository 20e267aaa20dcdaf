import { randomUUID } from "node:crypto";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../log/logger.ts";
import { testRedisUrl } from "../../test/support/engine.ts";
import { createRedisCoordination } from "./redis.ts";
import { CoordinationUnavailableError, type Coordination } from "./types.ts";

const logLines: string[] = [];
const logger = createLogger({ level: "debug", destination: { write: (line: string) => void logLines.push(line) } });
const opened: Coordination[] = [];

function open(url = testRedisUrl, commandTimeoutMs?: number): Coordination {
  const coordination = createRedisCoordination(url, { logger, ...(commandTimeoutMs ? { commandTimeoutMs } : {}) });
  opened.push(coordination);
  return coordination;
}

afterAll(async () => {
  await Promise.all(opened.map((coordination) => coordination.close()));
});

function uniqueKey(): string {
  return `test:${randomUUID()}`;
}

async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await delay(10);
  }
}

// The adapter itself is tested against the real Redis in both passes; the pass only decides which
// adapter the rest of the suite uses.
describe("redis coordination (real Redis)", () => {
  it("limits with a sliding window: `limit` hits, then refusal with retry-after, then one slot as the oldest hit ages out", async () => {
    const { rateLimiter } = open();
    const key = uniqueKey();
    const rule = { limit: 3, windowMs: 600 };
    const beforeFirst = Date.now();
    expect(await rateLimiter.hit(key, rule)).toEqual({ allowed: true, limit: 3, remaining: 2, retryAfterMs: 0 });
    const afterFirst = Date.now();
    await delay(150);
    expect(await rateLimiter.hit(key, rule)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await rateLimiter.hit(key, rule)).toMatchObject({ allowed: true, remaining: 0 });
    const beforeRefused = Date.now();
    const refused = await rateLimiter.hit(key, rule);
    const afterRefused = Date.now();
    expect(refused).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
    // Retry-after is when the oldest hit leaves the window: its age subtracted from the window.
    expect(refused.retryAfterMs).toBeGreaterThanOrEqual(rule.windowMs - (afterRefused - beforeFirst) - 2);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(rule.windowMs - (beforeRefused - afterFirst) + 2);

    await delay(refused.retryAfterMs + 20);
    expect(await rateLimiter.hit(key, rule)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await rateLimiter.hit(key, rule)).allowed).toBe(false);
    await rateLimiter.reset(key);
  });

  it("does not count refused hits, keeps keys apart, and reset forgets one key", async () => {
    const { rateLimiter } = open();
    const [a, b] = [uniqueKey(), uniqueKey()];
    const rule = { limit: 1, windowMs: 400 };
    expect((await rateLimiter.hit(a, rule)).allowed).toBe(true);
    expect((await rateLimiter.hit(b, rule)).allowed).toBe(true);
    for (let index = 0; index < 5; index += 1) expect((await rateLimiter.hit(a, rule)).allowed).toBe(false);
    await delay(420);
    expect((await rateLimiter.hit(a, rule)).allowed).toBe(true);

    await rateLimiter.reset(a);
    expect((await rateLimiter.hit(a, rule)).allowed).toBe(true);
    expect((await rateLimiter.hit(b, rule)).allowed).toBe(true);
    await Promise.all([rateLimiter.reset(a), rateLimiter.reset(b)]);
  });

  it("stores each limit under parley:rl:<key> with an expiry of one window", async () => {
    const { rateLimiter } = open();
    const key = uniqueKey();
    await rateLimiter.hit(key, { limit: 5, windowMs: 30_000 });
    const inspector = new Redis(testRedisUrl);
    try {
      const ttl = await inspector.pttl(`parley:rl:${key}`);
      expect(ttl).toBeGreaterThan(29_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
      await rateLimiter.reset(key);
      expect(await inspector.exists(`parley:rl:${key}`)).toBe(0);
    } finally {
      inspector.disconnect();
    }
  });

  it("shares one limit between two instances, atomically under concurrent hits", async () => {
    const first = open();
    const second = open();
    const key = uniqueKey();
    const rule = { limit: 10, windowMs: 10_000 };
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? first : second).rateLimiter.hit(key, rule)),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
    expect((await second.rateLimiter.hit(key, rule)).allowed).toBe(false);
    await first.rateLimiter.reset(key);
    expect((await second.rateLimiter.hit(key, rule)).allowed).toBe(true);
    await first.rateLimiter.reset(key);
  });

  it("publishes across instances, to every subscriber of the channel, until unsubscribed", async () => {
    const publisher = open();
    const listener = open();
    const channel = `test.${randomUUID()}`;
    const received: string[] = [];
    const alsoReceived: string[] = [];
    const unsubscribe = await listener.pubsub.subscribe(channel, (message) => void received.push(message));
    const unsubscribeOther = await listener.pubsub.subscribe(channel, (message) => void alsoReceived.push(message));
    await listener.pubsub.subscribe(`${channel}.other`, () => {
      throw new Error("wrong channel delivered");
    });

    await publisher.pubsub.publish(channel, "one");
    await waitFor(() => received.length === 1 && alsoReceived.length === 1);
    await unsubscribe();
    await publisher.pubsub.publish(channel, "two");
    await waitFor(() => alsoReceived.length === 2);
    await unsubscribeOther();
    await publisher.pubsub.publish(channel, "three");
    await delay(50);
    expect(received).toEqual(["one"]);
    expect(alsoReceived).toEqual(["one", "two"]);
  });

  it("keeps deployments sharing one Redis apart by namespace", async () => {
    const first = createRedisCoordination(testRedisUrl, { logger, namespace: "deploy-a" });
    const second = createRedisCoordination(testRedisUrl, { logger, namespace: "deploy-b" });
    opened.push(first, second);
    const key = uniqueKey();
    const rule = { limit: 1, windowMs: 60_000 };
    expect((await first.rateLimiter.hit(key, rule)).allowed).toBe(true);
    expect((await first.rateLimiter.hit(key, rule)).allowed).toBe(false);
    expect((await second.rateLimiter.hit(key, rule)).allowed).toBe(true);
    expect(() => createRedisCoordination(testRedisUrl, { logger, namespace: "Bad Namespace" })).toThrow(RangeError);
  });

  it("pings", async () => {
    await expect(open().ping()).resolves.toBeUndefined();
  });
});

describe("redis coordination: multi-window limiter (real Redis)", () => {
  it("counts every window atomically on Redis's clock, shared by two instances, and records refused hits nowhere", async () => {
    const first = open().rateLimiter;
    const second = open().rateLimiter;
    const key = uniqueKey();
    const rules = [
      { limit: 2, windowMs: 400 },
      { limit: 3, windowMs: 5_000 },
    ];
    expect(await first.hitWindows(key, rules)).toMatchObject({ allowed: true, limit: 2, remaining: 1, windowMs: 400 });
    expect(await second.hitWindows(key, rules)).toMatchObject({ allowed: true, limit: 2, remaining: 0 });
    const short = await first.hitWindows(key, rules);
    expect(short).toMatchObject({ allowed: false, limit: 2, remaining: 0, windowMs: 400 });
    expect(short.retryAfterMs).toBeGreaterThan(0);
    expect(short.retryAfterMs).toBeLessThanOrEqual(400);
    await delay(short.retryAfterMs + 20);
    expect(await second.hitWindows(key, rules)).toMatchObject({ allowed: true, limit: 3, remaining: 0, windowMs: 5_000 });
    await delay(450);
    const long = await first.hitWindows(key, rules);
    expect(long).toMatchObject({ allowed: false, limit: 3, windowMs: 5_000 });
    expect(long.retryAfterMs).toBeGreaterThan(3_000);
    expect(long.retryAfterMs).toBeLessThanOrEqual(5_000);
  });
});

// Runs in both passes: no Redis is needed to prove that a lost Redis means refusal, fast.
describe("redis coordination (unreachable Redis)", () => {
  const closedPort = "redis://127.0.0.1:1";

  it("rejects hit with CoordinationUnavailableError within a second, every time, and ping too", async () => {
    const coordination = open(closedPort);
    const key = `login:ip:${uniqueKey()}`;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const started = Date.now();
      await expect(coordination.rateLimiter.hit(key, { limit: 5, windowMs: 60_000 })).rejects.toBeInstanceOf(CoordinationUnavailableError);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    const started = Date.now();
    await expect(coordination.ping()).rejects.toBeInstanceOf(CoordinationUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(coordination.rateLimiter.reset(key)).rejects.toBeInstanceOf(CoordinationUnavailableError);
    await expect(coordination.rateLimiter.hitWindows(key, [{ limit: 3, windowMs: 1_000 }])).rejects.toBeInstanceOf(
      CoordinationUnavailableError,
    );
    await expect(coordination.ephemeral.get("abuse:blocks", "198.51.100.7")).rejects.toBeInstanceOf(CoordinationUnavailableError);
    await expect(coordination.pubsub.publish("events", "x")).rejects.toBeInstanceOf(CoordinationUnavailableError);
    await expect(coordination.pubsub.subscribe("events", () => {})).rejects.toBeInstanceOf(CoordinationUnavailableError);
    expect(logLines.join("\n")).not.toContain(key);
    await coordination.close();
  });

  it("rejects a hit on a server that accepts the connection but never answers, within the command timeout", async () => {
    // A loopback listener that swallows every byte: the connection opens, Redis never replies.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("data", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const coordination = open(`redis://127.0.0.1:${port}`, 200);
      const started = Date.now();
      await expect(coordination.rateLimiter.hit(uniqueKey(), { limit: 1, windowMs: 1_000 })).rejects.toBeInstanceOf(
        CoordinationUnavailableError,
      );
      expect(Date.now() - started).toBeLessThan(1_000);
      await coordination.close();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
