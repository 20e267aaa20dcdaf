import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeWireJson, signWebhookBody } from "../../sim/index.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { graphClientFor } from "../../src/features/numbers/service.ts";
import { eraseContact } from "../../src/features/contacts/repository.ts";
import { createEndpointFor, replayFor } from "../../src/features/webhooks/service.ts";
import type { Caller } from "../../src/identity/caller.ts";
import { startChannelHarness, type ChannelHarness } from "./support.ts";

// The outbound events that follow Meta's webhooks about templates and numbers: a template reviewed
// on the simulator, and signed quality, category and number-quality reports posted to Parley's
// webhook route, each become a `template.status` or `number.quality` delivery to a subscribed
// endpoint, signed per Standard Webhooks, with identifiers and states only.

type Received = { headers: IncomingHttpHeaders; body: string };

let h: ChannelHarness;
let receiver: Server;
let receiverUrl: string;
let secret: string;
const received: Received[] = [];

function callerOf(harness: ChannelHarness): Caller {
  return {
    workspaceId: harness.workspaceId,
    userId: harness.caller.userId,
    role: "owner",
    permissions: harness.caller.permissions,
    audit: { type: "user", id: harness.caller.userId },
    ip: null,
    userAgent: null,
  };
}

beforeAll(async () => {
  h = await startChannelHarness({ simulator: { templateReviewDelayMs: 20 }, outboundWebhooks: true });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  ({ secret } = await createEndpointFor(h.services, callerOf(h), {
    url: `${receiverUrl}/events`,
    description: "ops",
    eventTypes: ["template.status", "number.quality"],
    enabled: true,
    includePersonalData: false,
  }));
}, 60_000);

afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await h?.close();
});

/** The verified events received so far of one type (a signature that does not verify throws). */
function eventsOf(type: string): { type: string; timestamp: string; data: Record<string, unknown> }[] {
  const verifier = new Webhook(secret);
  return received
    .map(
      (request) =>
        verifier.verify(request.body, {
          "webhook-id": String(request.headers["webhook-id"]),
          "webhook-timestamp": String(request.headers["webhook-timestamp"]),
          "webhook-signature": String(request.headers["webhook-signature"]),
        }) as {
          type: string;
          timestamp: string;
          data: Record<string, unknown>;
        },
    )
    .filter((event) => event.type === type);
}

async function postChange(field: string, value: Record<string, unknown>, time: number): Promise<void> {
  const body = serializeWireJson({
    entry: [{ id: h.number.wabaId, time, changes: [{ value, field }] }],
    object: "whatsapp_business_account",
  });
  const response = await fetch(h.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signWebhookBody(h.sim.credentials().appSecret, body) },
    body,
  });
  expect(response.status).toBe(200);
  await h.waitForJobs();
}

async function deliveries(type: string) {
  return withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx
      .selectFrom("webhook_deliveries as d")
      .innerJoin("webhook_events as e", (join) => join.onRef("e.workspace_id", "=", "d.workspace_id").onRef("e.id", "=", "d.event_id"))
      .select(["d.status", "e.data"])
      .where("e.type", "=", type)
      .execute(),
  );
}

describe("template.status", () => {
  it("a template reviewed on the simulator, then its quality and category webhooks, each notify the endpoint once", async () => {
    const created = (await graphClientFor(h.services).request({
      method: "POST",
      path: `/${h.number.wabaId}/message_templates`,
      token: h.sim.credentials().accessToken,
      body: { name: "order_ready", language: "en_US", category: "UTILITY", components: [{ type: "BODY", text: "Order {{1}} is ready." }] },
    })) as { id: string };
    await delay(60);
    await h.sim.flushWebhooks();
    await h.waitForJobs();
    const row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("templates").select(["id", "status"]).where("name", "=", "order_ready").executeTakeFirstOrThrow(),
    );
    expect(row.status).toBe("APPROVED");
    expect(eventsOf("template.status").map((event) => event.data)).toEqual([
      expect.objectContaining({ workspaceId: h.workspaceId, templateId: row.id, status: "APPROVED", category: "UTILITY" }),
    ]);

    const base = { message_template_id: Number(created.id), message_template_name: "order_ready", message_template_language: "en_US" };
    const now = Math.floor(Date.now() / 1000);
    await postChange(
      "message_template_quality_update",
      { ...base, previous_quality_score: "GREEN", new_quality_score: "YELLOW" },
      now + 10,
    );
    await postChange("template_category_update", { ...base, previous_category: "UTILITY", new_category: "MARKETING" }, now + 20);
    // The same status again, later: nothing changed, nobody is notified.
    await postChange("message_template_status_update", { ...base, event: "APPROVED", reason: "NONE" }, now + 30);

    const events = eventsOf("template.status");
    expect(events.map((event) => [event.data.status, event.data.category, event.data.quality])).toEqual([
      ["APPROVED", "UTILITY", null],
      ["APPROVED", "UTILITY", "YELLOW"],
      ["APPROVED", "MARKETING", "YELLOW"],
    ]);
    expect(events[1]!.timestamp).toBe(new Date((now + 10) * 1000).toISOString());
    expect((await deliveries("template.status")).map((delivery) => delivery.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });
});

describe("number.quality", () => {
  it("a phone_number_quality_update notifies the endpoint with states only, once even when redelivered", async () => {
    const value = { display_phone_number: "15550009999", event: "FLAGGED", current_limit: "TIER_1K" };
    // The same bytes twice: Meta's retry of a delivery it thinks was lost.
    const time = Math.floor(Date.now() / 1000);
    await postChange("phone_number_quality_update", value, time);
    await postChange("phone_number_quality_update", value, time);
    const events = eventsOf("number.quality");
    expect(events.map((event) => event.data)).toEqual([
      { workspaceId: h.workspaceId, numberId: h.number.id, quality: "FLAGGED", tier: "TIER_1K", at: expect.any(String) as string },
    ]);
    const stored = await deliveries("number.quality");
    expect(stored.map((delivery) => delivery.status)).toEqual(["succeeded"]);
    // The business line's phone number never reaches the outbox nor the receiver.
    expect(JSON.stringify(stored)).not.toContain("15550009999");
    expect(received.map((request) => request.body).join("\n")).not.toContain("15550009999");
  });
});

describe('the "meta" endpoint format', () => {
  it("a bot verifying X-Hub-Signature-256 as Meta documents receives the values the simulator sent, in Meta's envelope", async () => {
    const bot: Received[] = [];
    const botServer = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        bot.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => botServer.listen(0, "127.0.0.1", resolve));
    try {
      const botUrl = `http://127.0.0.1:${(botServer.address() as AddressInfo).port}/meta`;
      const refused = createEndpointFor(h.services, callerOf(h), {
        url: botUrl,
        description: "bot",
        format: "meta",
        eventTypes: ["message.received"],
        enabled: true,
        includePersonalData: false,
      });
      await expect(refused).rejects.toMatchObject({ code: "UNPROCESSABLE", details: { reason: "meta_format_requires_personal_data" } });
      const created = await createEndpointFor(h.services, callerOf(h), {
        url: botUrl,
        description: "bot",
        format: "meta",
        eventTypes: ["message.received", "message.status"],
        enabled: true,
        includePersonalData: true,
      });
      expect(created.endpoint.format).toBe("meta");

      const before = h.sim.listWebhookDeliveries().length;
      h.sim.sendFromCustomer({ from: "16505550177", name: "Bot Tester", type: "text", text: "hello bot" });
      h.sim.sendFromCustomer({ from: "16505550178", name: "Other Tester", type: "text", text: "second one" });
      await h.sim.flushWebhooks();
      await h.waitForJobs();
      const sent = h.sim
        .listWebhookDeliveries()
        .slice(before)
        .flatMap((delivery) =>
          (JSON.parse(delivery.body) as { entry: { changes: { field: string; value: unknown }[] }[] }).entry.flatMap(
            (entry) => entry.changes,
          ),
        )
        .filter((change) => change.field === "messages")
        .map((change) => change.value);
      expect(sent).toHaveLength(2);

      // Meta's documented check: HMAC-SHA256 of the raw payload bytes with the app secret, hex, "sha256=" prefix.
      const { createHmac, timingSafeEqual } = await import("node:crypto");
      const values = bot.map((request) => {
        const expected = Buffer.from(
          `sha256=${createHmac("sha256", created.secret).update(Buffer.from(request.body, "utf8")).digest("hex")}`,
        );
        const given = Buffer.from(String(request.headers["x-hub-signature-256"]));
        expect(given.length === expected.length && timingSafeEqual(given, expected)).toBe(true);
        expect(request.headers["webhook-signature"]).toBeUndefined();
        const envelope = JSON.parse(request.body) as {
          object: string;
          entry: { id: string; changes: { field: string; value: unknown }[] }[];
        };
        expect(envelope.object).toBe("whatsapp_business_account");
        expect(envelope.entry).toHaveLength(1);
        expect(envelope.entry[0]!.id).toBe(h.number.wabaId);
        expect(envelope.entry[0]!.changes.map((change) => change.field)).toEqual(["messages"]);
        return envelope.entry[0]!.changes[0]!.value;
      });
      expect(values).toEqual(expect.arrayContaining(sent));
      expect(values).toHaveLength(sent.length);
      // The standard endpoint (template and quality events) received none of it.
      expect(received.map((request) => request.body).join("\n")).not.toContain("hello bot");

      // Stored encrypted, and gone with the inbound body's processing nowhere else in clear.
      const stored = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        trx.selectFrom("webhook_event_payloads").selectAll().execute(),
      );
      expect(stored).toHaveLength(2);
      expect(JSON.stringify(stored)).not.toContain("hello bot");
      expect(JSON.stringify(stored)).not.toContain("16505550177");
      expect(stored.every((row) => row.contact_ids.length === 1)).toBe(true);

      // Erasing a contact deletes the values naming them; replaying their delivery then sends nothing.
      const erasedContactId = stored[0]!.contact_ids[0]!;
      const erasedEventId = stored[0]!.event_id;
      const deliveryId = await withWorkspace(h.db, { workspaceId: h.workspaceId }, async (trx) => {
        expect(await eraseContact(trx, h.services.keyring, h.workspaceId, erasedContactId)).toBe(true);
        return (await trx.selectFrom("webhook_deliveries").select("id").where("event_id", "=", erasedEventId).executeTakeFirstOrThrow()).id;
      });
      const left = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        trx.selectFrom("webhook_event_payloads").select("event_id").execute(),
      );
      expect(left.map((row) => row.event_id)).toEqual([stored[1]!.event_id]);
      const botBefore = bot.length;
      expect(await replayFor(h.services, callerOf(h), created.endpoint.id, { deliveryId })).toBe(1);
      await h.waitForJobs();
      expect(bot.length).toBe(botBefore);
      const replayed = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        trx.selectFrom("webhook_deliveries").select(["status", "last_error"]).where("id", "=", deliveryId).executeTakeFirstOrThrow(),
      );
      expect(replayed).toEqual({ status: "failed", last_error: "The event's content was erased with its contact." });

      // A statuses value (message.status) is re-emitted the same way, as posted to Parley.
      const statusValue = {
        messaging_product: "whatsapp",
        metadata: { display_phone_number: "15550001111", phone_number_id: h.number.phoneNumberId },
        statuses: [
          {
            id: "wamid.unknown-to-parley",
            status: "delivered",
            timestamp: String(Math.floor(Date.now() / 1000)),
            recipient_id: "16505550179",
          },
        ],
      };
      await postChange("messages", statusValue, Math.floor(Date.now() / 1000));
      const last = JSON.parse(bot.at(-1)!.body) as { entry: { changes: { value: unknown }[] }[] };
      expect(last.entry[0]!.changes[0]!.value).toEqual(statusValue);
    } finally {
      botServer.closeAllConnections();
      await new Promise((resolve) => botServer.close(resolve));
    }
  });
});
