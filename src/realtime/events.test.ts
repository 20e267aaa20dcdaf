import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../log/logger.ts";
import { captureLogs } from "../../test/support/services.ts";
import { noteRealtimeEvent, RealtimeEventLostError, setLostRealtimeEventPolicy, withoutRealtime, type PendingEvent } from "./events.ts";

// An event noted outside withRealtime has no commit to follow and would never reach a dashboard.
// These prove such an event cannot vanish unnoticed: it throws outside production (so every suite
// that exercises an emitting path without withRealtime fails), and warns in production.

const event = () =>
  ({
    type: "message.created",
    data: { conversationId: randomUUID(), messageId: randomUUID(), direction: "in" },
  }) satisfies PendingEvent;

afterEach(() => {
  setLostRealtimeEventPolicy({ kind: "throw" });
});

describe("an event noted outside withRealtime", () => {
  it("throws by default, naming the event type", () => {
    expect(() => noteRealtimeEvent(event())).toThrow(RealtimeEventLostError);
    expect(() => noteRealtimeEvent(event())).toThrow(/message\.created was noted outside withRealtime/);
  });

  it("rolls back the transaction that noted it: the throw reaches the caller", async () => {
    const write = async () => {
      await Promise.resolve();
      noteRealtimeEvent(event());
      return "committed";
    };
    await expect(write()).rejects.toThrow(RealtimeEventLostError);
  });

  it("in production, logs a warning with the event type and call site, never the event's data, and lets the write go on", () => {
    const logs = captureLogs();
    setLostRealtimeEventPolicy({ kind: "warn", logger: createLogger({ level: "info", destination: logs.destination }) });
    const lost = event();
    expect(() => noteRealtimeEvent(lost)).not.toThrow();
    const [record] = logs.records();
    expect(record).toMatchObject({
      level: 40,
      component: "realtime",
      eventType: "message.created",
      msg: "realtime event noted outside withRealtime was not published",
    });
    expect(String(record?.stack)).toMatch(/at noteRealtimeEvent .*\n\s+at .*\.test\.ts:\d+/);
    expect(logs.text()).not.toContain(lost.data.conversationId);
  });

  it("is discarded without a word only when the caller says so (withoutRealtime)", async () => {
    await expect(withoutRealtime(async () => noteRealtimeEvent(event()))).resolves.toBeUndefined();
  });
});
