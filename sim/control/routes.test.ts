import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, startWebhookReceiver, statusesOf } from "../test-support.ts";
import { verifyWebhookSignature } from "../webhooks/signature.ts";
import type { Harness } from "../test-support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ statusTiming: { sentMs: null, deliveredMs: null, readMs: null } });
});
afterAll(async () => h.close());

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${h.baseUrl}/_sim${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("control API over HTTP", () => {
  it("drives a conversation: customer writes, business replies, statuses settle, deliveries are inspectable", async () => {
    expect((await control("GET", "/credentials")).json).toMatchObject({ accessToken: h.token, graphBaseUrl: `${h.baseUrl}/v25.0` });
    const inbound = await control("POST", "/customers/16505551234/messages", { type: "text", text: "Hi there", name: "Sheena Nelson" });
    expect(inbound.json.wamid).toMatch(/^wamid\./);
    const sent = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
      messaging_product: "whatsapp",
      to: "16505551234",
      type: "text",
      text: { body: "Hello!" },
    });
    expect(sent.status).toBe(200);
    expect((await control("POST", "/statuses/advance", { to: "delivered" })).json).toEqual({ advanced: 1 });
    await control("POST", "/statuses/settle", {});
    await control("POST", "/webhooks/flush", {});
    const received = await control("GET", "/customers/16505551234/received");
    expect(received.json.data).toMatchObject([{ type: "text", status: "read", body: { text: { body: "Hello!" } } }]);
    expect(statusesOf(h.receiver.received).map((s) => s.status)).toEqual(["sent", "delivered", "read"]);
    const deliveries = (await control("GET", "/webhooks/deliveries")).json.data as { state: string; attempts: { statusCode: number }[] }[];
    expect(deliveries.every((d) => d.state === "delivered" && d.attempts[0]?.statusCode === 200)).toBe(true);
  });

  it("names a customer by BSUID: they write without a phone and read what was sent to their `recipient`", async () => {
    const userId = "US.13491208655302741918";
    const inbound = await control("POST", `/customers/${userId}/messages`, {
      type: "text",
      text: "Hi from a username",
      name: "Username User",
    });
    expect(inbound.status).toBe(200);
    await control("POST", "/webhooks/flush", {});
    const message = h.receiver.received
      .flatMap((w) => w.json.entry.flatMap((e) => e.changes))
      .find((c) => JSON.stringify(c.value).includes(String(inbound.json.wamid)));
    expect(message?.value).toMatchObject({
      contacts: [{ profile: { name: "Username User" }, user_id: userId }],
      messages: [{ from_user_id: userId }],
    });
    expect(JSON.stringify(message?.value)).not.toMatch(/"(from|wa_id)":/);
    const sent = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
      messaging_product: "whatsapp",
      recipient: userId,
      type: "text",
      text: { body: "Hello!" },
    });
    expect(sent.status).toBe(200);
    expect((await control("GET", `/customers/${userId}/received`)).json.data).toMatchObject([
      { type: "text", body: { recipient: userId, text: { body: "Hello!" } } },
    ]);
    expect((await control("POST", "/customers/US.bad-id/messages", { type: "text", text: "x" })).status).toBe(400);
  });

  it("configures faults, tokens, throughput and reset", async () => {
    expect((await control("PUT", "/faults", { failNextSends: { count: 1, code: 130429 } })).status).toBe(200);
    const failed = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
      messaging_product: "whatsapp",
      to: "16505551234",
      type: "text",
      text: { body: "x" },
    });
    expect(failed.json.error).toMatchObject({ code: 130429 });
    const token = await control("POST", "/tokens", { expiresInSeconds: 60 });
    expect(token.json.token).toMatch(/^EAA/);
    expect((await control("PUT", `/phone-numbers/${h.phoneNumberId}/throughput`, { tier: 1000 })).status).toBe(200);
    expect((await control("PUT", "/faults", { duplicateProbability: 2 })).status).toBe(400);
    expect((await control("POST", "/customers/abc/messages", { type: "text", text: "x" })).status).toBe(400);
    expect((await control("POST", "/reset", {})).status).toBe(200);
    expect((await control("GET", "/customers/16505551234/received")).json.data).toEqual([]);
  });

  it("runs Meta's verification handshake against the webhook endpoint", async () => {
    expect((await control("POST", "/webhooks/verify", { verifyToken: "sandbox-verify-token" })).json).toEqual({
      verified: true,
      status: 200,
    });
    expect((await control("POST", "/webhooks/verify", { verifyToken: "wrong" })).json).toEqual({ verified: false, status: 403 });
  });

  it("answers unknown Graph paths with a Graph error", async () => {
    const response = await h.graph("GET", "/v25.0/1/2/3");
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({
      code: 2500,
      type: "OAuthException",
      message: expect.stringMatching(/^Unknown path components/),
    });
  });
});

describe("control API with a control token", () => {
  let closed: Harness;
  const controlToken = "control-token-for-tests-0123456789";
  beforeAll(async () => {
    closed = await startHarness({ controlToken, statusTiming: { sentMs: null, deliveredMs: null, readMs: null } });
  });
  afterAll(async () => closed.close());

  const request = (path: string, init: RequestInit = {}) => fetch(`${closed.baseUrl}/_sim${path}`, init);

  it("refuses every control request without the bearer token: 401 in the control API's error shape", async () => {
    for (const [method, path] of [
      ["GET", "/credentials"],
      ["POST", "/customers/16505551234/messages"],
      ["GET", "/customers/16505551234/received"],
      ["PUT", "/webhooks"],
      ["POST", "/accounts"],
      ["POST", "/reset"],
    ] as const) {
      for (const authorization of [undefined, "Bearer wrong-token", `Basic ${controlToken}`, controlToken, `Bearer ${controlToken}x`]) {
        const response = await request(path, {
          method,
          headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
          ...(method === "GET" ? {} : { body: JSON.stringify({ type: "text", text: "Hi" }) }),
        });
        expect(response.status, `${method} ${path} with ${authorization ?? "no credential"}`).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
        expect(await response.json()).toEqual({
          error: "unauthorized",
          details: [{ path: "", message: "the control API needs its bearer token" }],
        });
      }
    }
    // Another spelling of the path reaches no control route either.
    expect((await fetch(`${closed.baseUrl}/%5Fsim/credentials`)).status).not.toBe(200);
    expect(closed.sim.listWebhookDeliveries()).toEqual([]);
  });

  it("serves control requests that carry it, and leaves the Graph API to its access tokens", async () => {
    const authorization = `Bearer ${controlToken}`;
    const credentials = await request("/credentials", { headers: { authorization } });
    expect(credentials.status).toBe(200);
    expect(await credentials.json()).toMatchObject({ accessToken: closed.token });
    const inbound = await request("/customers/16505551234/messages", {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ type: "text", text: "Hi" }),
    });
    expect(inbound.status).toBe(200);
    const sent = await closed.graph("POST", `/v25.0/${closed.phoneNumberId}/messages`, {
      messaging_product: "whatsapp",
      to: "16505551234",
      type: "text",
      text: { body: "Hello!" },
    });
    expect(sent.status).toBe(200);
  });
});

describe("accounts", () => {
  it("route each account's webhooks to its own URL, signed with its own app secret", async () => {
    const shared = await startHarness({ phoneNumbers: [] });
    try {
      const other = await startWebhookReceiver();
      const one = shared.sim.addAccount({ webhookUrl: shared.receiver.url });
      const two = shared.sim.addAccount({ webhookUrl: other.url });
      expect(one.appSecret).not.toBe(two.appSecret);
      shared.sim.sendFromCustomer({ type: "text", from: "16505550001", phoneNumberId: one.phoneNumberId, text: "to one" });
      shared.sim.sendFromCustomer({ type: "text", from: "16505550001", phoneNumberId: two.phoneNumberId, text: "to two" });
      const [first] = await shared.receiver.waitFor(1);
      const [second] = await other.waitFor(1);
      expect(first!.raw.toString()).toContain("to one");
      expect(second!.raw.toString()).toContain("to two");
      expect(first!.json.entry[0]!.id).toBe(one.wabaId);
      expect(second!.json.entry[0]!.id).toBe(two.wabaId);
      expect(verifyWebhookSignature(one.appSecret, first!.raw, first!.headers["x-hub-signature-256"] as string)).toBe(true);
      expect(verifyWebhookSignature(two.appSecret, second!.raw, second!.headers["x-hub-signature-256"] as string)).toBe(true);
      expect(verifyWebhookSignature(one.appSecret, second!.raw, second!.headers["x-hub-signature-256"] as string)).toBe(false);
      // Each account's token is for its own WABA; a taken id is refused.
      const debug = await shared.graph(
        "GET",
        `/v25.0/debug_token?input_token=${two.accessToken}`,
        undefined,
        `${two.appId}|${two.appSecret}`,
      );
      expect(debug.json.data).toMatchObject({ app_id: two.appId, is_valid: true });
      expect(() => shared.sim.addAccount({ phoneNumberId: one.phoneNumberId })).toThrow(/already in use/);
      expect(shared.sim.listReceived("16505550001", one.phoneNumberId)).toEqual([]);
      await other.close();
    } finally {
      await shared.close();
    }
  });
});
