import { describe, expect, it } from "vitest";
import { pooledRandomBytes } from "./random-pool.ts";

describe("pooledRandomBytes", () => {
  it("never hands out the same bytes twice, across refills", () => {
    // 12-byte draws over several 4 KiB pools: a repeated draw would mean overlapping slices.
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i += 1) seen.add(pooledRandomBytes(12).toString("hex"));
    expect(seen.size).toBe(5_000);
  });

  it("returns a copy the pool never writes into again", () => {
    const first = pooledRandomBytes(16);
    const kept = Buffer.from(first);
    for (let i = 0; i < 1_000; i += 1) pooledRandomBytes(16);
    expect(first.equals(kept)).toBe(true);
  });

  it("looks uniformly random (every byte value, roughly equally often)", () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2_000; i += 1) for (const byte of pooledRandomBytes(64)) counts[byte]! += 1;
    // 128,000 bytes: 500 per value expected; a fixed or patterned pool would be far outside this.
    expect(Math.min(...counts)).toBeGreaterThan(350);
    expect(Math.max(...counts)).toBeLessThan(650);
  });

  it("refuses sizes it is not meant for", () => {
    expect(() => pooledRandomBytes(0)).toThrow(RangeError);
    expect(() => pooledRandomBytes(257)).toThrow(RangeError);
    expect(() => pooledRandomBytes(1.5)).toThrow(RangeError);
  });
});
