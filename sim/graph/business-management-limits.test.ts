import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { graphErrorBody, HOUR_MS, startHourlyLimitHarness, type Harness } from "../test-support.ts";

// The Business Management API's hourly budget (reference §7) on the endpoints the simulator has:
// GET/POST/DELETE /{waba-id}/message_templates. 200 requests per hour per app per WABA, 5,000 while
// the WABA has a registered number; over it, HTTP 400 with code 80007. Manual clock, so the rolling
// hour is exact. Reviews are set far out so that moving the clock sends no review webhooks.

let h: Harness;
beforeAll(async () => {
  h = await startHourlyLimitHarness();
});
afterAll(async () => h.close());
beforeEach(() => h.sim.reset());

const templatesPath = (harness: Harness) => `/v25.0/${harness.sim.state.wabaId}/message_templates`;

/** Many requests at once without sockets: the same routes through Fastify's inject. */
async function listMany(harness: Harness, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await harness.sim.app.inject({
      method: "GET",
      url: `${templatesPath(harness)}?limit=1`,
      headers: { authorization: `Bearer ${harness.token}` },
    });
    statuses.push(response.statusCode);
  }
  return statuses;
}

function limitedBody(limit: number) {
  return graphErrorBody({
    message: "(#80007) Rate limit issues",
    code: 80007,
    details: `The WhatsApp Business Account has reached its Business Management API rate limit of ${limit} requests per hour.`,
  });
}

async function deregister(harness: Harness): Promise<void> {
  expect((await harness.graph("POST", `/v25.0/${harness.phoneNumberId}/deregister`, { messaging_product: "whatsapp" })).json).toEqual({
    success: true,
  });
}

describe("Business Management API rate limit", () => {
  it("gives a WABA without a registered number 200 requests per rolling hour across list, create and delete (HTTP 400, code 80007)", async () => {
    await deregister(h);
    // Every answered request counts, refusals by other rules included.
    expect(await listMany(h, 150)).toEqual(Array.from({ length: 150 }, () => 200));
    const created = await h.graph("POST", templatesPath(h), {
      name: "order_update",
      language: "en_US",
      category: "UTILITY",
      components: [{ type: "BODY", text: "Order {{1}} shipped." }],
    });
    expect(created.status).toBe(200);
    const invalid = await h.graph("POST", templatesPath(h), {
      name: "Not Valid",
      language: "en_US",
      category: "UTILITY",
      components: [{ type: "BODY", text: "x" }],
    });
    expect(invalid.json.error).toMatchObject({ code: 100 });
    const unknown = await h.graph("DELETE", `${templatesPath(h)}?name=no_such_template`);
    expect(unknown.json.error).toMatchObject({ code: 100 });
    expect(await listMany(h, 47)).toEqual(Array.from({ length: 47 }, () => 200));

    // 200 counted: the next request of any of the three kinds is refused.
    const limited = await h.graph("GET", templatesPath(h));
    expect(limited.status).toBe(400);
    expect(limited.json).toEqual(limitedBody(200));
    expect(
      (
        await h.graph("POST", templatesPath(h), {
          name: "later",
          language: "en_US",
          category: "UTILITY",
          components: [{ type: "BODY", text: "Hi {{1}} there." }],
        })
      ).json,
    ).toEqual(limitedBody(200));
    expect((await h.graph("DELETE", `${templatesPath(h)}?name=order_update`)).json).toEqual(limitedBody(200));
    expect(h.sim.state.templates.size).toBe(1);

    // Refused requests do not count: the window rolls exactly one hour after the first request.
    h.sim.advanceTime(HOUR_MS - 1);
    expect((await h.graph("GET", templatesPath(h))).status).toBe(400);
    h.sim.advanceTime(1);
    expect((await h.graph("GET", templatesPath(h))).status).toBe(200);
  });

  it(
    "gives an active WABA (a registered number) 5,000 requests per hour; deregistering its last number drops it to 200",
    { timeout: 60_000 },
    async () => {
      expect(h.sim.state.phoneNumbers.get(h.phoneNumberId)?.registered).toBe(true);
      const statuses = await listMany(h, 5_000);
      expect(statuses.every((status) => status === 200)).toBe(true);
      const limited = await h.graph("GET", templatesPath(h));
      expect(limited.status).toBe(400);
      expect(limited.json).toEqual(limitedBody(5_000));

      // Half an hour later the same 5,000 are still inside the window, and without a registered
      // number the budget is 200, so the WABA stays refused until they leave it.
      h.sim.advanceTime(HOUR_MS / 2);
      await deregister(h);
      expect((await h.graph("GET", templatesPath(h))).json).toEqual(limitedBody(200));
      h.sim.advanceTime(HOUR_MS / 2);
      expect((await h.graph("GET", templatesPath(h))).status).toBe(200);
    },
  );

  it("counts only authenticated requests to the WABA's own endpoints", async () => {
    await deregister(h);
    const created = await h.graph("POST", templatesPath(h), {
      name: "kept",
      language: "en_US",
      category: "UTILITY",
      components: [{ type: "BODY", text: "Order {{1}} shipped." }],
    });
    expect(await listMany(h, 199)).toEqual(Array.from({ length: 199 }, () => 200));
    expect((await h.graph("GET", templatesPath(h))).json.error).toMatchObject({ code: 80007 });

    // Not counted, and not refused by it: a request without a token (104), a WABA that does
    // not exist (100), and endpoints outside the Business Management API list (a template by id,
    // the phone number).
    expect((await h.graph("GET", templatesPath(h), undefined, null)).json.error).toMatchObject({ code: 104 });
    expect((await h.graph("GET", "/v25.0/999999999999/message_templates")).json.error).toMatchObject({ code: 100, error_subcode: 33 });
    const id = String(created.json.id);
    expect((await h.graph("GET", `/v25.0/${id}?fields=status`)).json).toEqual({ status: "PENDING", id });
    expect((await h.graph("GET", `/v25.0/${h.phoneNumberId}?fields=platform_type`)).json).toEqual({
      platform_type: "NOT_APPLICABLE",
      id: h.phoneNumberId,
    });
    expect(h.sim.state.businessManagementRequestTimes).toHaveLength(200);

    // A reset starts a fresh budget.
    h.sim.reset();
    expect((await h.graph("GET", templatesPath(h))).status).toBe(200);
  });

  it("takes both budgets as options", async () => {
    const small = await startHourlyLimitHarness({ businessManagementRateLimit: { perHour: 2, activePerHour: 3 } });
    try {
      expect(await listMany(small, 4)).toEqual([200, 200, 200, 400]);
      expect((await small.graph("GET", templatesPath(small))).json).toEqual(limitedBody(3));
      small.sim.advanceTime(HOUR_MS);
      await deregister(small);
      expect(await listMany(small, 3)).toEqual([200, 200, 400]);
    } finally {
      await small.close();
    }
  });
});
