import { describe, expect, it } from "vitest";
import { compare, measure, median, pairedRatio, percentile } from "./harness.ts";

describe("bench harness", () => {
  it("computes medians and interpolated percentiles", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 0)).toBe(10);
    expect(percentile([10, 20, 30, 40, 50], 90)).toBe(46);
    expect(percentile([10, 20, 30, 40, 50], 100)).toBe(50);
    expect(() => percentile([], 50)).toThrow();
  });

  it("takes paired ratios round by round", () => {
    const m = (rounds: number[]) => ({ opsPerSecond: median(rounds), microsecondsPerOp: 0, rounds, operations: 0 });
    expect(pairedRatio(m([100, 50, 200]), m([50, 25, 100]))).toBe(2);
  });

  it("measures ops/s as the median of rounds, interleaving cases", () => {
    let count = 0;
    const single = measure(() => (count += 1), { rounds: 3, minTimeMs: 5, warmupMs: 5 });
    expect(single.rounds).toHaveLength(3);
    expect(single.opsPerSecond).toBe(median(single.rounds));
    expect(single.microsecondsPerOp).toBeCloseTo(1e6 / single.opsPerSecond);
    const both = compare(
      { cheap: () => 1, costly: () => JSON.stringify({ a: Array.from({ length: 200 }, (_, i) => i) }) },
      { rounds: 3, minTimeMs: 10, warmupMs: 5 },
    );
    expect(both.cheap.opsPerSecond).toBeGreaterThan(both.costly.opsPerSecond);
    expect(pairedRatio(both.cheap, both.costly)).toBeGreaterThan(1);
  });
});
