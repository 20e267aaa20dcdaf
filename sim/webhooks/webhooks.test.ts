import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { changesOf, startHarness, statusesOf } from "../test-support.ts";
import type { Harness } from "../test-support.ts";
import { computeRetryDelay } from "./dispatcher.ts";
import { verifyWebhookSignature } from "./signature.ts";

const APP_SECRET = "test-app-secret";
const CUSTOMER = "16505551234";

function hmac(body: string | Buffer): string {
  return `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`;
}

describe("webhook wire form and signature", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ appSecret: APP_SECRET });
  });
  afterAll(async () => h.close());

  it("signs the exact bytes; a JSON.stringify re-serialisation of a café image message does not verify", async () => {
    h.sim.sendFromCustomer({ from: CUSTOMER, name: "Carlos P", type: "image", caption: "Hola quiero un café", mimeType: "image/jpeg" });
    const [webhook] = await h.receiver.waitFor(1);
    if (!webhook) throw new Error("no webhook");
    const raw = webhook.raw.toString("utf8");
    expect(webhook.headers["content-type"]).toBe("application/json");
    expect(raw).toContain('"caption":"Hola quiero un caf\\u00e9"');
    expect(raw).toContain('"mime_type":"image\\/jpeg"');
    expect(raw.startsWith('{"object":"whatsapp_business_account","entry":[{"id":"')).toBe(true);
    const header = webhook.headers["x-hub-signature-256"];
    expect(header).toBe(hmac(webhook.raw));
    expect(verifyWebhookSignature(APP_SECRET, webhook.raw, header as string)).toBe(true);
    const reserialised = JSON.stringify(webhook.json);
    expect(reserialised).toContain("café");
    expect(verifyWebhookSignature(APP_SECRET, Buffer.from(reserialised), header as string)).toBe(false);
    expect(verifyWebhookSignature("wrong-secret", webhook.raw, header as string)).toBe(false);

    const [change] = changesOf([webhook]);
    expect(change?.field).toBe("messages");
    expect(change?.value).toMatchObject({
      messaging_product: "whatsapp",
      metadata: { display_phone_number: "15550783881", phone_number_id: h.phoneNumberId },
      contacts: [{ profile: { name: "Carlos P" }, wa_id: CUSTOMER }],
      messages: [{ from: CUSTOMER, type: "image", image: { caption: "Hola quiero un café", mime_type: "image/jpeg" } }],
    });
  });
});

describe("inbound message types", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ appSecret: APP_SECRET });
  });
  afterAll(async () => h.close());

  it("produces Meta's shapes for text, button reply, list reply, template button and reaction", async () => {
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "Does it come in another color?" });
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "button_reply", contextMessageId: "wamid.BIZ", id: "change-button", title: "Change" });
    h.sim.sendFromCustomer({
      from: CUSTOMER,
      type: "list_reply",
      contextMessageId: "wamid.BIZ",
      id: "priority_express",
      title: "Priority Mail Express",
      description: "Next Day to 2 Days",
    });
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "button", contextMessageId: "wamid.BIZ", payload: "Unsubscribe", text: "Unsubscribe" });
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "reaction", messageId: "wamid.BIZ", emoji: "👍" });
    await h.sim.flushWebhooks();
    // Changes enqueued in the same tick are batched into one POST.
    expect(h.receiver.received).toHaveLength(1);
    const messages = changesOf(h.receiver.received).map((c) => (c.value.messages as Record<string, unknown>[])[0]);
    expect(messages.map((m) => m?.type)).toEqual(["text", "interactive", "interactive", "button", "reaction"]);
    expect(messages[0]).toMatchObject({
      from: CUSTOMER,
      id: expect.stringMatching(/^wamid\./) as unknown,
      timestamp: expect.stringMatching(/^\d+$/) as unknown,
      text: { body: "Does it come in another color?" },
    });
    expect(messages[1]).toMatchObject({
      context: { from: "15550783881", id: "wamid.BIZ" },
      interactive: { type: "button_reply", button_reply: { id: "change-button", title: "Change" } },
    });
    expect(messages[2]).toMatchObject({
      interactive: { type: "list_reply", list_reply: { id: "priority_express", description: "Next Day to 2 Days" } },
    });
    expect(messages[3]).toMatchObject({ button: { payload: "Unsubscribe", text: "Unsubscribe" } });
    expect(messages[4]).toMatchObject({ reaction: { message_id: "wamid.BIZ", emoji: "👍" } });
    expect(Object.keys(messages[1] ?? {})[0]).toBe("context");
    expect(h.receiver.received[0]?.raw.toString()).toContain("\\ud83d\\udc4d");
  });
});

describe("outbound statuses", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ appSecret: APP_SECRET, statusTiming: { sentMs: 5, deliveredMs: 10, readMs: 15 } });
  });
  afterAll(async () => h.close());
  afterEach(() => {
    h.sim.reset();
    h.receiver.received.length = 0;
  });

  it("progresses sent → delivered → read and echoes biz_opaque_callback_data", async () => {
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "hi" });
    const response = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
      messaging_product: "whatsapp",
      to: CUSTOMER,
      type: "text",
      text: { body: "Your order shipped" },
      biz_opaque_callback_data: "order-4411",
    });
    const wamid = (response.json.messages as { id: string }[])[0]?.id;
    await h.receiver.waitUntil((r) => statusesOf(r).length === 3);
    const statuses = statusesOf(h.receiver.received);
    expect(statuses.map((s) => s.status)).toEqual(["sent", "delivered", "read"]);
    for (const status of statuses)
      expect(status).toMatchObject({ id: wamid, recipient_id: CUSTOMER, biz_opaque_callback_data: "order-4411" });
    // v25 shape: no conversation; pricing on `sent` only.
    expect(statuses[0]).toMatchObject({ pricing: { pricing_model: "PMP", type: "free_customer_service", category: "service" } });
    expect(statuses.every((s) => s.conversation === undefined)).toBe(true);
    expect(statuses[1]?.pricing).toBeUndefined();
    expect(h.sim.listReceived(CUSTOMER)[0]).toMatchObject({ wamid, status: "read" });
  });

  it("reports async failures as a failed status with an errors array", async () => {
    h.sim.configureCustomer("447700900999", { onWhatsApp: false });
    h.sim.sendFromCustomer({ from: "447700900999", type: "text", text: "hi" });
    h.sim.configureFaults({ failNextSends: { count: 1, code: 131049 } });
    await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
      messaging_product: "whatsapp",
      to: "447700900999",
      type: "text",
      text: { body: "x" },
      biz_opaque_callback_data: "s-1",
    });
    await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
      messaging_product: "whatsapp",
      to: "447700900999",
      type: "text",
      text: { body: "y" },
    });
    await h.receiver.waitUntil((r) => statusesOf(r).length === 2);
    const failed = statusesOf(h.receiver.received);
    expect(failed.map((s) => [s.status, (s.errors as { code: number }[])[0]?.code])).toEqual([
      ["failed", 131049],
      ["failed", 131026],
    ]);
    expect(failed[0]).toMatchObject({
      biz_opaque_callback_data: "s-1",
      errors: [
        {
          code: 131049,
          title: "Meta chose not to deliver.",
          message: "Meta chose not to deliver.",
          error_data: { details: expect.any(String) as unknown },
          href: "/documentation/business-messaging/whatsapp/support/error-codes",
        },
      ],
    });
  });

  it("keeps accepting after a dropped HTTP response, and the statuses still reconcile the send", async () => {
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "hi" });
    h.sim.configureFaults({ dropNextResponses: 1 });
    await expect(
      h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
        messaging_product: "whatsapp",
        to: CUSTOMER,
        type: "text",
        text: { body: "once" },
        biz_opaque_callback_data: "send-77",
      }),
    ).rejects.toThrow();
    expect(h.sim.listReceived(CUSTOMER)).toHaveLength(1);
    await h.receiver.waitUntil((r) => statusesOf(r).length === 3);
    expect(statusesOf(h.receiver.received).map((s) => s.biz_opaque_callback_data)).toEqual(["send-77", "send-77", "send-77"]);
  });
});

describe("delivery semantics (manual clock)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      appSecret: APP_SECRET,
      clock: { manualStartMs: Date.UTC(2026, 4, 1) },
      seed: 42,
      webhooks: { maxChangesPerPost: 1, retry: { firstDelayMs: 0, initialDelayMs: 1_000, factor: 2, windowMs: 60_000 } },
    });
  });
  afterAll(async () => h.close());
  afterEach(() => {
    h.sim.reset();
    h.sim.configureFaults({ duplicateProbability: 0, reorderProbability: 0 });
    h.receiver.received.length = 0;
    h.receiver.respondWith([]);
  });

  it("retries on anything but 200 with growing delays until it gets a 200", async () => {
    h.receiver.respondWith([500, 404, 503]);
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "retry me" });
    await h.sim.flushWebhooks(); // attempt 1 fails, immediate retry (attempt 2) fails
    expect(h.receiver.received).toHaveLength(0);
    h.sim.advanceTime(999);
    await h.sim.flushWebhooks();
    expect(h.sim.listWebhookDeliveries()[0]?.attempts).toHaveLength(2);
    h.sim.advanceTime(1);
    await h.sim.flushWebhooks(); // attempt 3 fails (503); next after 2 s
    h.sim.advanceTime(2_000);
    await h.sim.flushWebhooks();
    expect(h.receiver.received).toHaveLength(1);
    const [delivery] = h.sim.listWebhookDeliveries();
    expect(delivery?.state).toBe("delivered");
    expect(delivery?.attempts.map((a) => a.statusCode)).toEqual([500, 404, 503, 200]);
    expect(h.receiver.received[0]?.headers["x-hub-signature-256"]).toBe(hmac(h.receiver.received[0]?.raw ?? ""));
  });

  it("drops a delivery once the retry window has passed", async () => {
    h.receiver.respondWith(Array.from({ length: 50 }, () => 500));
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "never acknowledged" });
    for (let i = 0; i < 20; i++) {
      await h.sim.flushWebhooks();
      h.sim.advanceTime(10_000);
    }
    await h.sim.flushWebhooks();
    const [delivery] = h.sim.listWebhookDeliveries();
    expect(delivery?.state).toBe("dropped");
    expect(delivery?.attempts.length).toBeGreaterThan(3);
    expect(delivery?.attempts.every((a) => a.at - (delivery?.createdAt ?? 0) <= 60_000)).toBe(true);
  });

  it("injects duplicates and reordering deterministically from the seed", async () => {
    async function run(): Promise<{ order: string[]; duplicates: number }> {
      h.sim.reset();
      h.receiver.received.length = 0;
      h.sim.configureFaults({ duplicateProbability: 0.5, reorderProbability: 0.5 });
      for (let i = 0; i < 8; i++) h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: `m${i}` });
      await h.sim.flushWebhooks();
      const order = changesOf(h.receiver.received).map((c) => (c.value.messages as { text: { body: string } }[])[0]?.text.body ?? "");
      return { order, duplicates: h.sim.listWebhookDeliveries().filter((d) => d.duplicateOf !== undefined).length };
    }
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first.duplicates).toBeGreaterThan(0);
    expect(first.order).toHaveLength(8 + first.duplicates);
    expect(first.order.filter((b, i, all) => all.indexOf(b) === i)).not.toEqual(["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    expect(new Set(first.order)).toEqual(new Set(["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"]));
    // A duplicate is byte-identical to its original, signature included.
    const byBody = new Map<string, number>();
    for (const w of h.receiver.received) byBody.set(w.raw.toString(), (byBody.get(w.raw.toString()) ?? 0) + 1);
    expect([...byBody.values()].some((n) => n > 1)).toBe(true);
  });

  it("advances and settles statuses through the control API", async () => {
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "hi" });
    const response = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
      messaging_product: "whatsapp",
      to: CUSTOMER,
      type: "text",
      text: { body: "x" },
    });
    const wamid = (response.json.messages as { id: string }[])[0]?.id ?? "";
    h.sim.advanceStatuses({ wamid, to: "delivered" });
    expect(h.sim.listReceived(CUSTOMER)[0]?.status).toBe("delivered");
    h.sim.settleStatuses();
    await h.sim.flushWebhooks();
    expect(statusesOf(h.receiver.received).map((s) => s.status)).toEqual(["sent", "delivered", "read"]);
  });
});

describe("retry schedule", () => {
  it("retries immediately, then with decreasing frequency", () => {
    const policy = { firstDelayMs: 0, initialDelayMs: 5_000, factor: 3, maxDelayMs: 3_600_000, windowMs: 7 * 86_400_000 };
    expect([1, 2, 3, 4, 10].map((n) => computeRetryDelay(policy, n))).toEqual([0, 5_000, 15_000, 45_000, 3_600_000]);
  });
});
