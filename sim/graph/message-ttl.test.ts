import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliveryTtlMs } from "../outbound.ts";
import type { TemplateRecord } from "../state.ts";
import { startHarness, statusesOf } from "../test-support.ts";
import type { Harness } from "../test-support.ts";

// A template's delivery time-to-live (message_send_ttl_seconds; cloud-api.md §2 and
// messaging-and-integrations.md §1.4): a message to a customer whose phone is off or offline
// reaches WhatsApp (`sent`) and waits there. Back within the TTL, the customer gets it (delivered,
// read); past it, the message is dropped. Meta documents no failed status or error code for that
// ("no delivered within the TTL: assume dropped"), so the simulator sends no webhook at all.

const CUSTOMER = "16505559876";
const TTL_SECONDS = 600;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ statusTiming: { sentMs: null, deliveredMs: null, readMs: null }, pairRateLimit: { burst: 1000 } });
});
afterAll(async () => h.close());
beforeEach(async () => {
  h.sim.reset();
  const created = await h.graph("POST", `/v25.0/${h.sim.state.wabaId}/message_templates`, {
    name: "pickup_code",
    language: "en_US",
    category: "UTILITY",
    message_send_ttl_seconds: TTL_SECONDS,
    components: [{ type: "BODY", text: "Your parcel waits at locker {{1}}.", example: { body_text: [["A7"]] } }],
  });
  expect(created.status, created.text).toBe(200);
  h.sim.advanceTime(h.sim.options.templateReviewDelayMs);
});

async function sendTemplate(): Promise<string> {
  const response = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
    messaging_product: "whatsapp",
    to: CUSTOMER,
    type: "template",
    template: {
      name: "pickup_code",
      language: { code: "en_US" },
      components: [{ type: "body", parameters: [{ type: "text", text: "B12" }] }],
    },
  });
  expect(response.status, response.text).toBe(200);
  return (response.json.messages as { id: string }[])[0]!.id;
}

/** The statuses webhooks reported for `wamid`, once `count` of them arrived. */
async function statusesFor(wamid: string, count: number): Promise<string[]> {
  await h.sim.flushWebhooks();
  const all = await h.receiver.waitUntil((received) => statusesOf(received).filter((s) => s.id === wamid).length >= count);
  return statusesOf(all)
    .filter((s) => s.id === wamid)
    .map((s) => s.status);
}

describe("a template message's delivery time-to-live", () => {
  it("is the template's message_send_ttl_seconds, else 30 days, and 10 minutes for authentication templates", () => {
    const template = (category: string, messageSendTtlSeconds?: number) => ({ category, messageSendTtlSeconds }) as TemplateRecord;
    expect(deliveryTtlMs(template("UTILITY", 600))).toBe(600_000);
    expect(deliveryTtlMs(template("UTILITY", -1))).toBe(30 * 24 * 60 * 60_000);
    expect(deliveryTtlMs(template("MARKETING"))).toBe(30 * 24 * 60 * 60_000);
    expect(deliveryTtlMs(template("AUTHENTICATION"))).toBe(10 * 60_000);
    expect(deliveryTtlMs(template("AUTHENTICATION", 120))).toBe(120_000);
    expect(deliveryTtlMs(undefined)).toBe(30 * 24 * 60 * 60_000);
  });

  it("delivers to a customer back online within the TTL", async () => {
    h.sim.configureCustomer(CUSTOMER, { reachable: false });
    const wamid = await sendTemplate();
    h.sim.settleStatuses();
    expect(await statusesFor(wamid, 1)).toEqual(["sent"]);

    h.sim.advanceTime((TTL_SECONDS - 60) * 1000);
    h.sim.settleStatuses();
    expect(h.sim.listReceived(CUSTOMER)[0]?.status).toBe("sent");
    h.sim.configureCustomer(CUSTOMER, { reachable: true });
    h.sim.settleStatuses();
    expect(await statusesFor(wamid, 3)).toEqual(["sent", "delivered", "read"]);
  });

  it("drops the message of a customer still offline when the TTL ends: sent, never delivered, and no failed status", async () => {
    h.sim.configureCustomer(CUSTOMER, { reachable: false });
    const wamid = await sendTemplate();
    h.sim.settleStatuses();
    expect(await statusesFor(wamid, 1)).toEqual(["sent"]);

    h.sim.advanceTime(TTL_SECONDS * 1000 + 1);
    h.sim.configureCustomer(CUSTOMER, { reachable: true });
    h.sim.settleStatuses();
    h.sim.advanceTime(60_000);
    // A later message to the same customer, now reachable, is delivered: only the expired one was dropped.
    const later = await sendTemplate();
    h.sim.settleStatuses();
    expect(await statusesFor(later, 3)).toEqual(["sent", "delivered", "read"]);
    expect(
      statusesOf(h.receiver.received)
        .filter((s) => s.id === wamid)
        .map((s) => s.status),
    ).toEqual(["sent"]);
    expect(h.sim.listReceived(CUSTOMER).find((message) => message.wamid === wamid)).toMatchObject({
      status: "sent",
      failure: undefined,
      statusHistory: [{ status: "accepted" }, { status: "sent" }],
    });
  });

  it("takes the customer offline and back through the control API over HTTP", async () => {
    const put = (reachable: boolean) =>
      fetch(`${h.baseUrl}/_sim/customers/${CUSTOMER}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ reachable }),
      });
    expect((await put(false)).ok).toBe(true);
    const wamid = await sendTemplate();
    h.sim.settleStatuses();
    expect(await statusesFor(wamid, 1)).toEqual(["sent"]);
    expect((await put(true)).ok).toBe(true);
    h.sim.settleStatuses();
    expect(await statusesFor(wamid, 3)).toEqual(["sent", "delivered", "read"]);
  });
});
