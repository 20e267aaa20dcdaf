import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../log/logger.ts";
import { testRedisUrl } from "../../test/support/engine.ts";
import { createMemoryCoordination } from "./memory.ts";
import { createRedisCoordination } from "./redis.ts";
import type { Coordination } from "./types.ts";

// The ephemeral store (expiring members of a group, e.g. who is viewing a conversation), the same
// contract on both adapters: the in-process one on a fake clock, Redis for real (in both passes, as
// redis.test.ts), including two instances sharing one Redis.

const logger = createLogger({ level: "silent" });
const opened: Coordination[] = [];
const namespace = `eph-${randomUUID().slice(0, 8)}`;

function redis(): Coordination {
  const coordination = createRedisCoordination(testRedisUrl, { logger, namespace });
  opened.push(coordination);
  return coordination;
}

afterAll(async () => {
  await Promise.all(opened.map((coordination) => coordination.close()));
});

describe("ephemeral store (in-process)", () => {
  it("keeps each member until its own expiry, replaces on put and forgets on remove", async () => {
    let clock = 1_000_000;
    const { ephemeral, close } = createMemoryCoordination({ now: () => clock });
    await ephemeral.put("g", "a", "one", 1_000);
    await ephemeral.put("g", "b", "two", 5_000);
    await ephemeral.put("other", "a", "elsewhere", 5_000);
    expect(await ephemeral.list("g")).toEqual(
      new Map([
        ["a", "one"],
        ["b", "two"],
      ]),
    );
    clock += 1_000;
    expect(await ephemeral.list("g")).toEqual(new Map([["b", "two"]]));
    expect(await ephemeral.remove("g", "a")).toBe(false);
    await ephemeral.put("g", "b", "three", 5_000);
    expect(await ephemeral.list("g")).toEqual(new Map([["b", "three"]]));
    expect(await ephemeral.remove("g", "b")).toBe(true);
    expect(await ephemeral.list("g")).toEqual(new Map());
    expect(await ephemeral.list("other")).toEqual(new Map([["a", "elsewhere"]]));
    await expect(ephemeral.put("g", "a", "x", 0)).rejects.toThrow(RangeError);
    await close();
  });
});

describe("ephemeral store (real Redis)", () => {
  it("keeps each member until its own expiry, shared by two instances, and leaves no keys behind", async () => {
    const first = redis();
    const second = redis();
    const group = `g:${randomUUID()}`;
    await first.ephemeral.put(group, "a", "short", 150);
    await second.ephemeral.put(group, "b", "long", 5_000);
    expect(await second.ephemeral.list(group)).toEqual(
      new Map([
        ["a", "short"],
        ["b", "long"],
      ]),
    );
    await delay(250);
    expect(await first.ephemeral.list(group)).toEqual(new Map([["b", "long"]]));
    expect(await first.ephemeral.remove(group, "a")).toBe(false);
    await first.ephemeral.put(group, "b", "replaced", 5_000);
    expect(await second.ephemeral.list(group)).toEqual(new Map([["b", "replaced"]]));
    expect(await second.ephemeral.remove(group, "b")).toBe(true);
    expect(await first.ephemeral.list(group)).toEqual(new Map());

    // The keys expire with the group's last member.
    const lonely = `g:${randomUUID()}`;
    await first.ephemeral.put(lonely, "a", "x", 100);
    await delay(200);
    const { Redis } = await import("ioredis");
    const raw = new Redis(testRedisUrl);
    try {
      expect(await raw.exists(`parley:${namespace}:eph:${lonely}:v`, `parley:${namespace}:eph:${lonely}:x`)).toBe(0);
    } finally {
      raw.disconnect();
    }
  });
});
