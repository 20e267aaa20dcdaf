import { describe, expect, it } from "vitest";
import { createEndpointCache } from "./endpoint-cache.ts";

/** A loader whose loads the test settles by hand, counting them per key. */
function manualLoader() {
  const loads: Array<{ key: string; resolve: (value: string) => void; reject: (error: Error) => void }> = [];
  const load = (key: string) => new Promise<string>((resolve, reject) => loads.push({ key, resolve, reject }));
  return { load, loads };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A cache on a hand-set clock (`clock.now`) that already holds "k" → "v1", loaded at time 0. */
async function cacheHoldingV1() {
  const clock = { now: 0 };
  const { load, loads } = manualLoader();
  const cache = createEndpointCache(load, { ttlMs: 5_000, refreshAfterMs: 2_500, maxEntries: 10, now: () => clock.now });
  const first = cache.get("k");
  loads[0]!.resolve("v1");
  await first;
  return { cache, loads, clock };
}

describe("endpoint cache", () => {
  it("loads a missing key once however many callers ask for it at the same moment", async () => {
    const { load, loads } = manualLoader();
    const cache = createEndpointCache(load, { ttlMs: 5_000, refreshAfterMs: 2_500, maxEntries: 10 });
    const answers = Promise.all(Array.from({ length: 100 }, () => cache.get("k")));
    await settle();
    expect(loads).toHaveLength(1);
    loads[0]!.resolve("endpoint");
    expect(await answers).toEqual(Array.from({ length: 100 }, () => "endpoint"));
    expect(await cache.get("k")).toBe("endpoint");
    expect(loads).toHaveLength(1);
  });

  it("answers from memory after refreshAfterMs and reloads once in the background", async () => {
    const { cache, loads, clock } = await cacheHoldingV1();
    clock.now = 3_000;
    // Served at once from memory while one reload runs; more hits start no second reload.
    expect(await Promise.all([cache.get("k"), cache.get("k"), cache.get("k")])).toEqual(["v1", "v1", "v1"]);
    expect(loads).toHaveLength(2);
    loads[1]!.resolve("v2");
    await settle();
    expect(await cache.get("k")).toBe("v2");
    expect(loads).toHaveLength(2);
  });

  it("never serves an entry past its time to live: callers then wait for one shared load", async () => {
    const { cache, loads, clock } = await cacheHoldingV1();
    clock.now = 5_000;
    let answered = false;
    const waiting = Promise.all([cache.get("k"), cache.get("k")]).then((values) => {
      answered = true;
      return values;
    });
    await settle();
    expect(answered).toBe(false);
    expect(loads).toHaveLength(2);
    loads[1]!.resolve("v2");
    expect(await waiting).toEqual(["v2", "v2"]);
  });

  it("does not cache a failed load, and the next caller loads again", async () => {
    const { load, loads } = manualLoader();
    const cache = createEndpointCache(load, { ttlMs: 5_000, refreshAfterMs: 2_500, maxEntries: 10 });
    const failing = Promise.allSettled([cache.get("k"), cache.get("k")]);
    loads[0]!.reject(new Error("database down"));
    expect((await failing).map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    const next = cache.get("k");
    expect(loads).toHaveLength(2);
    loads[1]!.resolve("v1");
    expect(await next).toBe("v1");
  });

  it("keeps serving the entry until it expires when a background reload fails", async () => {
    const { cache, loads, clock } = await cacheHoldingV1();
    clock.now = 3_000;
    expect(await cache.get("k")).toBe("v1");
    loads[1]!.reject(new Error("database down"));
    await settle();
    expect(await cache.get("k")).toBe("v1");
    // The failure is not remembered: the next hit past refreshAfterMs tries again.
    expect(loads).toHaveLength(3);
  });

  it("clear() forgets entries and never stores what a load started before it returns", async () => {
    const { load, loads } = manualLoader();
    const cache = createEndpointCache(load, { ttlMs: 5_000, refreshAfterMs: 2_500, maxEntries: 10 });
    const before = cache.get("k");
    cache.clear();
    const after = cache.get("k");
    expect(loads).toHaveLength(2);
    loads[0]!.resolve("old secret");
    loads[1]!.resolve("new secret");
    expect(await before).toBe("old secret");
    expect(await after).toBe("new secret");
    expect(await cache.get("k")).toBe("new secret");
    expect(loads).toHaveLength(2);
  });

  it("holds at most maxEntries keys, forgetting the least recently used", async () => {
    const loaded: string[] = [];
    const counting = createEndpointCache(
      async (key: string) => {
        loaded.push(key);
        return key;
      },
      { ttlMs: 5_000, refreshAfterMs: 2_500, maxEntries: 2 },
    );
    for (const key of ["a", "b", "c", "b", "a"]) await counting.get(key);
    // "a" was the least recently used when "c" came in, so it was loaded again; "b" was still held.
    expect(loaded).toEqual(["a", "b", "c", "a"]);
  });

  it("refuses options that would make a refresh come after expiry", () => {
    const load = async () => "v";
    expect(() => createEndpointCache(load, { ttlMs: 1_000, refreshAfterMs: 2_000, maxEntries: 1 })).toThrow(RangeError);
    expect(() => createEndpointCache(load, { ttlMs: 1_000, refreshAfterMs: 0, maxEntries: 1 })).toThrow(RangeError);
    expect(() => createEndpointCache(load, { ttlMs: 1_000, refreshAfterMs: 500, maxEntries: 0 })).toThrow(RangeError);
  });
});
