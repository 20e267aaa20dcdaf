import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createGroupCommit } from "./group-commit.ts";

describe("group commit", () => {
  it("runs the first item at once and batches those that arrive while it is in flight", async () => {
    const batches: number[][] = [];
    const commit = createGroupCommit<number, number>(
      async (_key, items) => {
        batches.push(items);
        await delay(20);
        return items.map((item) => item * 2);
      },
      { maxBatch: 100 },
    );
    const results = await Promise.all([1, 2, 3, 4].map((item) => commit.submit("k", item)));
    expect(results).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("fails exactly the items of a failed batch", async () => {
    let calls = 0;
    const commit = createGroupCommit<string, string>(
      async (_key, items) => {
        calls += 1;
        await delay(5);
        if (calls === 2) throw new Error("commit failed");
        return items;
      },
      { maxBatch: 100 },
    );
    const outcomes = await Promise.allSettled(["a", "b", "c"].map((item) => commit.submit("k", item)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "rejected"]);
    await expect(commit.submit("k", "d")).resolves.toBe("d");
  });

  it("keeps keys apart, caps batches, and runs up to `parallel` batches of one key at a time", async () => {
    let running = 0;
    let peak = 0;
    const seen: Array<[string, number]> = [];
    const commit = createGroupCommit<number, number>(
      async (key, items) => {
        running += 1;
        peak = Math.max(peak, running);
        seen.push([key, items.length]);
        await delay(10);
        running -= 1;
        return items;
      },
      { maxBatch: 3, parallel: 2 },
    );
    const items = Array.from({ length: 10 }, (_, index) => index);
    await Promise.all([...items.map((item) => commit.submit("a", item)), commit.submit("b", 99)]);
    expect(seen.filter(([key]) => key === "b")).toEqual([["b", 1]]);
    expect(Math.max(...seen.map(([, size]) => size))).toBeLessThanOrEqual(3);
    expect(seen.filter(([key]) => key === "a").reduce((sum, [, size]) => sum + size, 0)).toBe(10);
    // Two loops of "a" and one of "b" at most.
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThanOrEqual(2);
  });

  it("starts a further batch of a key only while `parallelFrom` items wait, and stops it when the queue is short", async () => {
    const batches: number[][] = [];
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const commit = createGroupCommit<number, number>(
      async (_key, items) => {
        running += 1;
        peak = Math.max(peak, running);
        batches.push(items);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        return items;
      },
      { maxBatch: 100, parallel: 2, parallelFrom: 4 },
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const submitted: Promise<number>[] = [];
    const submit = (item: number) => submitted.push(commit.submit("k", item));
    // Light traffic: one batch in flight, the next waits for it and takes everything queued.
    submit(0);
    await settle();
    submit(1);
    submit(2);
    submit(3);
    await settle();
    expect(running).toBe(1);
    // The fourth waiting item reaches `parallelFrom`: a second batch starts beside the first.
    submit(4);
    await settle();
    expect(running).toBe(2);
    expect(batches).toEqual([[0], [1, 2, 3, 4]]);
    // Short queue again: the loop that ends its batch with fewer than four waiting stops, and the
    // item waits for the other loop.
    submit(5);
    releases.shift()!();
    await settle();
    expect(running).toBe(1);
    expect(batches).toEqual([[0], [1, 2, 3, 4]]);
    releases.shift()!();
    await settle();
    expect(batches).toEqual([[0], [1, 2, 3, 4], [5]]);
    releases.shift()!();
    expect(await Promise.all(submitted)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it("refuses a result count that does not match the batch", async () => {
    const commit = createGroupCommit<number, number>(async () => [], { maxBatch: 10 });
    await expect(commit.submit("k", 1)).rejects.toThrow(/0 results for 1 items/);
  });
});
