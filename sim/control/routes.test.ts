import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, statusesOf } from "../test-support.ts";
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
    const sent = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, { messaging_product: "whatsapp", to: "16505551234", type: "text", text: { body: "Hello!" } });
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

  it("configures faults, tokens, throughput and reset", async () => {
    expect((await control("PUT", "/faults", { failNextSends: { count: 1, code: 130429 } })).status).toBe(200);
    const failed = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, { messaging_product: "whatsapp", to: "16505551234", type: "text", text: { body: "x" } });
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
    expect((await control("POST", "/webhooks/verify", { verifyToken: "sandbox-verify-token" })).json).toEqual({ verified: true, status: 200 });
    expect((await control("POST", "/webhooks/verify", { verifyToken: "wrong" })).json).toEqual({ verified: false, status: 403 });
  });

  it("answers unknown Graph paths with a Graph error", async () => {
    const response = await h.graph("GET", "/v25.0/1/2/3");
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({ code: 100, type: "OAuthException" });
  });
});
