import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { graphErrorBody, HOUR_MS, startHourlyLimitHarness, type Harness } from "../test-support.ts";

// Template creation limits (reference §7, §8) on a manual clock. Reviews are set far out so that
// moving the clock through the hourly window does not flood the receiver with review webhooks.

let h: Harness;
beforeAll(async () => {
  h = await startHourlyLimitHarness();
});
afterAll(async () => h.close());
beforeEach(() => h.sim.reset());

function create(harness: Harness, name: string) {
  return harness.graph("POST", `/v25.0/${harness.sim.state.wabaId}/message_templates`, {
    name,
    language: "en_US",
    category: "UTILITY",
    components: [{ type: "BODY", text: "Hi {{1}}, your order {{2}} shipped.", example: { body_text: [["Pablo", "860198"]] } }],
  });
}

async function createMany(harness: Harness, prefix: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await create(harness, `${prefix}_${i}`)).status);
  return statuses;
}

describe("template creation limits", () => {
  it("creates at most 100 templates per WABA per rolling hour (HTTP 400, code 80007)", async () => {
    expect(await createMany(h, "batch", 100)).toEqual(Array.from({ length: 100 }, () => 200));

    const limited = await create(h, "one_too_many");
    expect(limited.status).toBe(400);
    expect(limited.json).toEqual(
      graphErrorBody({
        message: "(#80007) Rate limit issues",
        code: 80007,
        details: "Message template creation is limited to 100 templates per WhatsApp Business Account per hour.",
      }),
    );

    // Refused requests do not count; the window rolls exactly one hour after the first creation.
    h.sim.advanceTime(HOUR_MS - 1);
    expect((await create(h, "one_too_many")).status).toBe(400);
    h.sim.advanceTime(1);
    expect((await create(h, "one_too_many")).json).toMatchObject({ status: "PENDING", category: "UTILITY" });
  });

  it("holds at most 250 templates per WABA by default (HTTP 400, code 100, subcode 2388019)", async () => {
    for (const batch of [100, 100, 50]) {
      expect((await createMany(h, `batch_${batch}_${h.sim.clock.now()}`, batch)).every((s) => s === 200)).toBe(true);
      h.sim.advanceTime(HOUR_MS);
    }
    expect(h.sim.state.templates.size).toBe(250);

    const full = await create(h, "over_the_cap");
    expect(full.status).toBe(400);
    expect(full.json).toEqual(
      graphErrorBody({
        message: "(#100) Invalid parameter",
        code: 100,
        subcode: 2388019,
        details: "The WhatsApp Business Account has reached its limit of 250 message templates.",
      }),
    );

    // Deleting a template makes room again.
    const [first] = h.sim.state.templates.values();
    expect((await h.graph("DELETE", `/v25.0/${h.sim.state.wabaId}/message_templates?name=${first?.name ?? ""}`)).json).toEqual({
      success: true,
    });
    expect((await create(h, "over_the_cap")).status).toBe(200);
  });

  it("takes the cap as an option (a verified portfolio holds more)", async () => {
    const small = await startHourlyLimitHarness({ templatesPerWaba: 3 });
    try {
      expect(await createMany(small, "capped", 3)).toEqual([200, 200, 200]);
      const full = await create(small, "capped_3");
      expect(full.json.error).toMatchObject({
        code: 100,
        error_subcode: 2388019,
        error_data: { details: "The WhatsApp Business Account has reached its limit of 3 message templates." },
      });
    } finally {
      await small.close();
    }
  });
});
