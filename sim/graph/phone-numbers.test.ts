import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness } from "../test-support.ts";
import type { Harness } from "../test-support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock: { manualStartMs: Date.UTC(2026, 4, 1) } });
});
afterAll(async () => h.close());

describe("registration and two-step verification", () => {
  it("registers with a PIN that becomes the two-step PIN, refuses a mismatch, and deregisters", async () => {
    const path = `/v25.0/${h.phoneNumberId}`;
    expect((await h.graph("POST", `${path}/register`, { messaging_product: "whatsapp", pin: "212834" })).json).toEqual({ success: true });
    const mismatch = await h.graph("POST", `${path}/register`, { messaging_product: "whatsapp", pin: "000000" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error).toMatchObject({ code: 133005, message: "(#133005) Two step verification PIN Mismatch" });
    expect((await h.graph("POST", `${path}/register`, { messaging_product: "whatsapp", pin: "12" })).json.error).toMatchObject({
      code: 100,
    });

    expect((await h.graph("POST", path, { pin: "654321" })).json).toEqual({ success: true });
    expect((await h.graph("POST", `${path}/register`, { messaging_product: "whatsapp", pin: "654321" })).json).toEqual({ success: true });

    expect((await h.graph("POST", `${path}/deregister`, { messaging_product: "whatsapp" })).json).toEqual({ success: true });
    const send = await h.graph("POST", `${path}/messages`, {
      messaging_product: "whatsapp",
      to: "16505551234",
      type: "text",
      text: { body: "x" },
    });
    expect(send.json.error).toMatchObject({ code: 133010 });
    expect((await h.graph("GET", `${path}?fields=platform_type,throughput`)).json).toEqual({
      platform_type: "NOT_APPLICABLE",
      throughput: { level: "STANDARD" },
      id: h.phoneNumberId,
    });
  });

  it("limits register calls to 10 per 72 hours (133016)", async () => {
    const path = `/v25.0/${h.phoneNumberId}/register`;
    h.sim.advanceTime(73 * 60 * 60 * 1000);
    const results = [];
    for (let i = 0; i < 11; i++) results.push(await h.graph("POST", path, { messaging_product: "whatsapp", pin: "654321" }));
    expect(results.slice(0, 10).every((r) => r.status === 200)).toBe(true);
    expect(results[10]?.json.error).toMatchObject({ code: 133016 });
  });
});

describe("debug_token", () => {
  it("describes valid, expiring and unknown tokens", async () => {
    const { appId, appSecret, wabaId } = h.sim.credentials();
    const appToken = encodeURIComponent(`${appId}|${appSecret}`);
    const sandbox = await h.graph("GET", `/v25.0/debug_token?input_token=${h.token}&access_token=${appToken}`, undefined, null);
    expect(sandbox.json.data).toMatchObject({ app_id: appId, type: "SYSTEM_USER", expires_at: 0, is_valid: true });
    expect((sandbox.json.data as { granular_scopes: unknown[] }).granular_scopes).toContainEqual({
      scope: "whatsapp_business_management",
      target_ids: [wabaId],
    });

    const { token, expiresAt } = h.sim.createToken({ expiresInSeconds: 3600, type: "USER" });
    const expiring = await h.graph("GET", `/v25.0/debug_token?input_token=${token}`);
    expect(expiring.json.data).toMatchObject({ type: "USER", expires_at: Math.floor((expiresAt ?? 0) / 1000), is_valid: true });
    h.sim.advanceTime(3_600_000);
    expect((await h.graph("GET", `/v25.0/debug_token?input_token=${token}`)).json.data).toMatchObject({ is_valid: false });
    expect((await h.graph("GET", `/v25.0/debug_token?input_token=nope`)).json.data).toMatchObject({
      is_valid: false,
      error: { code: 190 },
    });
    expect((await h.graph("GET", `/v25.0/debug_token?input_token=nope`, undefined, null)).status).toBe(401);
  });
});
