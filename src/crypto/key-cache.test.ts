import { describe, expect, it } from "vitest";
import { createKeyCache } from "./key-cache.ts";

describe("key cache", () => {
  it("evicts the least recently used entry beyond maxEntries", () => {
    const cache = createKeyCache<number>({ maxEntries: 2, ttlMs: 1_000 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("expires entries after ttlMs", () => {
    let now = 0;
    const cache = createKeyCache<string>({ maxEntries: 10, ttlMs: 100, now: () => now });
    cache.set("a", "x");
    now = 99;
    expect(cache.get("a")).toBe("x");
    now = 100;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("deletes by key and by prefix", () => {
    const cache = createKeyCache<number>({ maxEntries: 10, ttlMs: 1_000 });
    cache.set("d|w1|a", 1);
    cache.set("d|w1|b", 2);
    cache.set("d|w2|a", 3);
    cache.delete("d|w1|a");
    expect(cache.get("d|w1|a")).toBeUndefined();
    cache.deletePrefix("d|w1|");
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("holds nothing when maxEntries is 0", () => {
    const cache = createKeyCache<number>({ maxEntries: 0, ttlMs: 1_000 });
    cache.set("a", 1);
    expect(cache.get("a")).toBeUndefined();
  });
});
