import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMemoryCoordination } from "../../coordination/memory.ts";
import { createLogger } from "../../log/logger.ts";
import { useRedis } from "../../../test/support/engine.ts";
import { createTestRedisCoordination } from "../../../test/support/services.ts";
import { announceSendsSettled, listenForSettledSends, settledOrAfter } from "./settled.ts";

// The announcement that wakes a caller waiting for a send's answer (the Graph proxy): it must wake
// exactly the waiters of the messages it names, and a waiter nobody wakes still returns on time.

describe("settled sends", () => {
  it("wakes the waiters of the announced messages at once, and only those", async () => {
    const coordination = useRedis ? createTestRedisCoordination(createLogger({ level: "silent" })) : createMemoryCoordination();
    try {
      await listenForSettledSends(coordination.pubsub);
      const [first, second, other] = [randomUUID(), randomUUID(), randomUUID()];
      const started = Date.now();
      const woken: string[] = [];
      const waits = [first, second, other].map((id) =>
        settledOrAfter(coordination.pubsub, id, id === other ? 1_500 : 10_000).then(() => woken.push(id)),
      );
      announceSendsSettled(coordination.pubsub, [first, second]);
      await Promise.all(waits.slice(0, 2));
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(woken.sort()).toEqual([first, second].sort());
      // Nobody announced `other`: its wait ends at its own deadline.
      await waits[2];
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    } finally {
      await coordination.close();
    }
  });
});
