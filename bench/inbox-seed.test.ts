import { describe, expect, it } from "vitest";
import { messageCounts } from "./support/inbox-seed.ts";

describe("the inbox seed's message distribution", () => {
  it("sums exactly to the total, gives the long thread its size and every conversation at least one message", () => {
    let state = 1;
    const random = () => (state = (state * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (const [conversations, total, big] of [
      [50_000, 1_000_000, 600],
      [1_000, 1_599, 600],
      [1, 600, 600],
      [7, 1_000, 500],
    ] as const) {
      const counts = messageCounts(conversations, total, 0, big, random);
      expect(counts).toHaveLength(conversations);
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(total);
      expect(counts[0]).toBe(big);
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    }
    expect(() => messageCounts(10, 100, 0, 600, random)).toThrow();
  });
});
