import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryGovernor } from "../../src/whatsapp/governor/memory.ts";
import type { Governor } from "../../src/whatsapp/governor/types.ts";
import { startSendHarness, type SendHarness } from "./send-support.ts";

// Sends waiting for a number's next token wait in line (src/whatsapp/send/worker.ts): only the
// first asks the governor. Without the line, every waiter slept until the same slot and all asked
// again — one grant and a crowd of refusals per token, which cost the 1,000 msg/s tier its CPU.

const SENDS = 120;
let h: SendHarness;
let takes = 0;
let grants = 0;
const inner = createMemoryGovernor();
const counting: Governor = {
  kind: inner.kind,
  async take(request) {
    takes += 1;
    const decision = await inner.take(request);
    if (decision.granted) grants += 1;
    return decision;
  },
  holdPair: (request, delayMs) => inner.holdPair(request, delayMs),
  close: () => inner.close(),
};

beforeAll(async () => {
  h = await startSendHarness({ worker: { governor: counting } });
  h.sim.state.templates.set("9002", {
    id: "9002",
    wabaId: h.sim.credentials().wabaId,
    name: "line_check",
    language: "en_US",
    category: "UTILITY",
    parameterFormat: "POSITIONAL",
    components: [{ type: "BODY", text: "Order shipped." }],
    status: "APPROVED",
    rejectedReason: undefined,
    createdAt: Date.now(),
  });
}, 60_000);
afterAll(async () => h?.close());

describe("waiting for the number's budget", () => {
  it("asks the governor about once per send, not once per waiter per token", { timeout: 60_000 }, async () => {
    // 120 sends queued while no worker runs, then taken 48 at a time at the 80/s tier: most of
    // them wait for the number's budget.
    await h.sendWorker.stop(2_000);
    const ids: string[] = [];
    for (let i = 0; i < SENDS; i += 1) {
      const answer = await h.send({ numberId: h.number.id, to: `+49151230${String(10_000 + i)}`, type: "template", template: { name: "line_check", language: "en_US" } });
      expect(answer.status, JSON.stringify(answer.json)).toBe(202);
      ids.push(String(answer.json.id));
    }
    h.startSendWorker({ concurrency: 48 });
    for (const id of ids) expect((await h.waitForMessage(id, (m) => m.status !== "queued" && m.status !== "sending", 30_000)).status).toBe("accepted");
    expect(grants).toBe(SENDS);
    // In line: one grant per send plus a refusal or two (the head's) per token waited for. A crowd
    // of waiters waking together asks many times per token (about 14 per send here without the line).
    expect(takes).toBeLessThan(SENDS * 3);
  });
});
