import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { graphErrorBody, startHarness } from "../test-support.ts";
import type { Harness } from "../test-support.ts";

// A manual clock: time stands still unless the test moves it, so "within one second" is exact.
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    clock: { manualStartMs: Date.UTC(2026, 4, 1) },
    statusTiming: { sentMs: null, deliveredMs: null, readMs: null },
  });
});
afterAll(async () => h.close());
beforeEach(() => h.sim.reset());

function text(to: string) {
  return h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
    messaging_product: "whatsapp",
    to,
    type: "text",
    text: { body: "hello" },
  });
}

describe("throughput (130429)", () => {
  it("allows 80 messages per second per number and answers the 81st with HTTP 400 code 130429", async () => {
    const recipients = Array.from({ length: 81 }, (_, i) => `1650555${String(1000 + i)}`);
    for (const waId of recipients) h.sim.sendFromCustomer({ from: waId, type: "text", text: "hi" });
    const results = [];
    for (const waId of recipients) results.push(await text(waId));
    expect(results.slice(0, 80).every((r) => r.status === 200)).toBe(true);
    const last = results[80];
    expect(last?.status).toBe(400);
    expect(last?.json).toEqual(
      graphErrorBody({
        message: "(#130429) Rate limit hit",
        code: 130429,
        subcode: 2494055,
        details: "Cloud API message throughput has been reached.",
      }),
    );
    h.sim.advanceTime(1_000);
    expect((await text(recipients[0] ?? "")).status).toBe(200);
  });

  it("raises the limit to 1,000 per second on the upgraded tier", async () => {
    h.sim.setThroughput(h.phoneNumberId, 1000);
    const recipients = Array.from({ length: 90 }, (_, i) => `1650666${String(1000 + i)}`);
    for (const waId of recipients) h.sim.sendFromCustomer({ from: waId, type: "text", text: "hi" });
    const statuses = await Promise.all(recipients.map(async (waId) => (await text(waId)).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});

describe("pair rate limit (131056)", () => {
  it("allows a burst of 45 to one recipient, then one message per 6 seconds", async () => {
    const waId = "16505550001";
    h.sim.sendFromCustomer({ from: waId, type: "text", text: "hi" });
    for (let i = 0; i < 45; i++) {
      h.sim.advanceTime(20); // stay under the per-second throughput limit
      expect((await text(waId)).status).toBe(200);
    }
    const limited = await text(waId);
    expect(limited.status).toBe(400);
    expect((limited.json.error as Record<string, unknown>).code).toBe(131056);
    expect((limited.json.error as Record<string, unknown>).message).toBe(
      "(#131056) (Business Account, Consumer Account) pair rate limit hit",
    );
    // Other recipients are unaffected.
    h.sim.sendFromCustomer({ from: "16505550002", type: "text", text: "hi" });
    expect((await text("16505550002")).status).toBe(200);
    h.sim.advanceTime(6_000);
    expect((await text(waId)).status).toBe(200);
    expect((await text(waId)).status).toBe(400);
  });
});
