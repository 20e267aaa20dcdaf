import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeWireJson, signWebhookBody } from "../../sim/index.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { listConversations, listMessages } from "../support/conversation-queries.ts";
import { getContact } from "../../src/features/contacts/repository.ts";
import { loadNumberCredentials } from "../../src/features/numbers/repository.ts";
import { readWebhookCounters } from "../../src/whatsapp/webhook/metrics.ts";
import { countRows, startChannelHarness, type ChannelHarness } from "./support.ts";

// The inbound half of the channel against the real simulator over HTTP: Meta's wire format, the
// signature over the exact bytes, fail-closed refusals, the handshake, and exactly-once effects.

let h: ChannelHarness;

beforeAll(async () => {
  h = await startChannelHarness();
}, 60_000);
afterAll(async () => {
  await h.close();
});

async function post(body: string | Buffer, headers: Record<string, string>, url = h.webhookUrl): Promise<number> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  await response.arrayBuffer();
  return response.status;
}

function lastDelivery() {
  const deliveries = h.sim.listWebhookDeliveries();
  const last = deliveries.at(-1);
  if (!last) throw new Error("no webhook delivery");
  return last;
}

describe("webhook verification handshake (GET)", () => {
  it("echoes the challenge for the number's verify token, and refuses anything else", async () => {
    const credentials = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      loadNumberCredentials(trx, h.services.keyring, h.workspaceId, h.number.id),
    );
    expect(await h.sim.verifyWebhookEndpoint(credentials!.verifyToken)).toEqual({ verified: true, status: 200 });
    expect(await h.sim.verifyWebhookEndpoint(`${credentials!.verifyToken}x`)).toEqual({ verified: false, status: 403 });
    const wrongMode = await fetch(
      `${h.webhookUrl}?hub.mode=unsubscribe&hub.challenge=123&hub.verify_token=${encodeURIComponent(credentials!.verifyToken)}`,
    );
    expect(wrongMode.status).toBe(403);
    const unknown = await fetch(`${h.baseUrl}/webhooks/whatsapp/${"A".repeat(43)}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=x`);
    expect(unknown.status).toBe(404);
  });
});

describe("webhook POST", () => {
  it("verifies Meta's exact wire bytes (caf\\u00e9, image\\/jpeg) and decodes them to café; re-serialized JSON is refused", async () => {
    const { wamid } = h.sim.sendFromCustomer({ from: "16505550101", name: "Zoë Café", type: "image", caption: "Hola quiero un café" });
    await h.sim.flushWebhooks();
    const delivery = lastDelivery();
    expect(delivery.body).toContain("caf\\u00e9");
    expect(delivery.body).toContain("image\\/jpeg");
    expect(delivery.attempts.at(-1)?.statusCode).toBe(200);
    await h.waitForJobs();

    const conversations = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      listConversations(trx, h.workspaceId, { limit: 100 }),
    );
    const messages = await withWorkspace(h.db, { workspaceId: h.workspaceId }, async (trx) => {
      const all = [];
      for (const conversation of conversations)
        all.push(...(await listMessages(trx, h.services.keyring, h.workspaceId, conversation.id, { limit: 100 })));
      return all;
    });
    const image = messages.find((message) => message.wamid === wamid);
    expect(image?.type).toBe("image");
    expect(image?.content?.caption).toBe("Hola quiero un café");
    expect(image?.content).not.toHaveProperty("url");
    expect(image?.media?.mimeType).toBe("image/jpeg");

    const before = await countRows(h, "inbound_events");
    const reserialized = JSON.stringify(JSON.parse(delivery.body));
    expect(reserialized).not.toBe(delivery.body);
    expect(await post(reserialized, { "x-hub-signature-256": delivery.signature })).toBe(403);
    expect(await countRows(h, "inbound_events")).toBe(before);
  });

  it("refuses a missing or invalid signature with 403, stores nothing, counts it and logs no payload", async () => {
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { phone_number_id: h.number.phoneNumberId },
                messages: [{ from: "16505550199", id: "wamid.FORGED", timestamp: "1", type: "text", text: { body: "forged canary text" } }],
              },
            },
          ],
        },
      ],
    });
    const counters = readWebhookCounters();
    const before = await countRows(h, "inbound_events");
    expect(await post(body, {})).toBe(403);
    expect(await post(body, { "x-hub-signature-256": signWebhookBody("not-the-app-secret", body) })).toBe(403);
    expect(await post(body, { "x-hub-signature-256": "sha256=zz" })).toBe(403);
    // Nothing is parsed before the signature checks out: malformed JSON from an unsigned sender is
    // refused like any other unsigned body (not answered 400 by a parser that read it first).
    expect(await post('{"object": "whatsapp_business_account", "entry": [', {})).toBe(403);
    expect(
      await post(
        body,
        { "x-hub-signature-256": signWebhookBody(h.sim.credentials().appSecret, body) },
        `${h.baseUrl}/webhooks/whatsapp/${"B".repeat(43)}`,
      ),
    ).toBe(404);
    expect(await countRows(h, "inbound_events")).toBe(before);
    const after = readWebhookCounters();
    expect(after.signature_missing - counters.signature_missing).toBe(2);
    expect(after.signature_invalid - counters.signature_invalid).toBe(2);
    expect(after.unknown_endpoint - counters.unknown_endpoint).toBe(1);
    const refusals = h.logs.records().filter((record) => record.msg === "webhook signature refused");
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(h.logs.text()).not.toContain("forged canary text");
    expect(h.logs.text()).not.toContain("16505550199");
  });

  it("100 concurrent deliveries of the same webhook produce exactly one message", async () => {
    const { wamid } = h.sim.sendFromCustomer({ from: "16505550102", name: "Dup Tester", type: "text", text: "only once please" });
    await h.sim.flushWebhooks();
    const delivery = lastDelivery();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () => post(delivery.body, { "x-hub-signature-256": delivery.signature })),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    await h.waitForJobs(60_000);
    const rows = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("messages").select(["id"]).where("wamid", "=", wamid).execute(),
    );
    expect(rows).toHaveLength(1);
    const jobs = await withoutWorkspace(h.db, (trx) => trx.selectFrom("jobs").select(["status"]).execute());
    expect(jobs.filter((job) => job.status !== "succeeded")).toEqual([]);
    const events = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("inbound_events").select(["processed_at", "body_ciphertext"]).execute(),
    );
    expect(events.every((event) => event.processed_at !== null && event.body_ciphertext === null)).toBe(true);
  }, 90_000);

  it("a customer's text becomes contact + conversation + message, encrypted at rest, with no phone or text in the logs", async () => {
    const phone = "16505550177";
    const text = "canary message body 7f3a";
    const { wamid } = h.sim.sendFromCustomer({ from: phone, name: "Canary Person", type: "text", text });
    await h.sim.flushWebhooks();
    await h.waitForJobs();

    const raw = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("messages").selectAll().where("wamid", "=", wamid).executeTakeFirstOrThrow(),
    );
    expect(raw.content_ciphertext).not.toContain(text);
    expect(raw.content_ciphertext?.startsWith("pv1.")).toBe(true);
    expect(raw.direction).toBe("in");
    expect(raw.status).toBe("received");

    const { contact, messages, conversation } = await withWorkspace(h.db, { workspaceId: h.workspaceId }, async (trx) => {
      const conversations = await listConversations(trx, h.workspaceId, { limit: 100 });
      const conversation = conversations.find((c) => c.id === raw.conversation_id)!;
      return {
        conversation,
        contact: await getContact(trx, h.services.keyring, h.workspaceId, raw.contact_id),
        messages: await listMessages(trx, h.services.keyring, h.workspaceId, raw.conversation_id, { limit: 10 }),
      };
    });
    expect(contact?.phone).toBe(`+${phone}`);
    expect(contact?.name).toBe("Canary Person");
    expect(conversation.status).toBe("open");
    expect(conversation.numberId).toBe(h.number.id);
    expect(conversation.windowExpiresAt!.getTime() - conversation.lastInboundAt!.getTime()).toBe(24 * 60 * 60 * 1000);
    expect(messages.map((message) => message.content?.body)).toEqual([text]);

    // A second message from the same customer reuses contact and conversation.
    h.sim.sendFromCustomer({ from: phone, type: "text", text: "second" });
    await h.sim.flushWebhooks();
    await h.waitForJobs();
    const again = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      listMessages(trx, h.services.keyring, h.workspaceId, raw.conversation_id, { limit: 10 }),
    );
    expect(again).toHaveLength(2);

    const logText = h.logs.text();
    for (const canary of [phone, text, "Canary Person", h.sim.credentials().accessToken, h.sim.credentials().appSecret])
      expect(logText).not.toContain(canary);
    expect(h.logs.records().some((record) => record.msg === "inbound event processed")).toBe(true);
  });

  it("keeps unknown fields and types forward-compatibly: stored, processed, not applied; template updates are stored and ignored", async () => {
    const { appSecret } = h.sim.credentials();
    const unknownType = serializeWireJson({
      object: "whatsapp_business_account",
      entry: [
        {
          id: h.number.wabaId,
          changes: [
            {
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "15550783881", phone_number_id: h.number.phoneNumberId },
                contacts: [{ profile: { name: "Future User" }, wa_id: "16505550188", future_field: 1 }],
                messages: [
                  {
                    from: "16505550188",
                    id: "wamid.FUTURE1",
                    timestamp: "1778766865",
                    type: "hologram",
                    hologram: { depth: 3 },
                    brand_new: true,
                  },
                ],
              },
              field: "messages",
            },
          ],
        },
      ],
    });
    const template = serializeWireJson({
      entry: [
        {
          id: h.number.wabaId,
          time: 1751247548,
          changes: [
            {
              value: {
                event: "APPROVED",
                message_template_id: 1,
                message_template_name: "hello",
                message_template_language: "en",
                reason: "NONE",
              },
              field: "message_template_status_update",
            },
          ],
        },
      ],
      object: "whatsapp_business_account",
    });
    for (const body of [unknownType, template])
      expect(await post(body, { "x-hub-signature-256": signWebhookBody(appSecret, body) })).toBe(200);
    await h.waitForJobs();
    // Signed, valid JSON, but not an envelope: stored, given up on at once, and its text quoted nowhere.
    const odd = JSON.stringify({ object: 42, note: "odd canary 5c1e" });
    expect(await post(odd, { "x-hub-signature-256": signWebhookBody(appSecret, odd) })).toBe(200);
    // Signed but not even JSON: acknowledged (Meta's retries could not fix it), stored, given up on.
    const broken = '{"object": "whatsapp_business_account", "note": "broken canary 9d2b", "entry": [';
    expect(await post(broken, { "x-hub-signature-256": signWebhookBody(appSecret, broken) })).toBe(200);
    await h.waitForJobs();
    const oddEvent = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("inbound_events")
        .select(["processed_at", "error", "body_ciphertext"])
        .where("error", "is not", null)
        .executeTakeFirstOrThrow(),
    );
    expect(oddEvent).toMatchObject({ processed_at: expect.any(Date), error: expect.stringMatching(/not a WhatsApp webhook envelope/) });
    expect(oddEvent.body_ciphertext).not.toBeNull();
    expect(h.logs.text()).not.toContain("odd canary 5c1e");
    expect(h.logs.text()).not.toContain("broken canary 9d2b");
    const stored = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("messages").select(["type", "content_ciphertext"]).where("wamid", "=", "wamid.FUTURE1").executeTakeFirstOrThrow(),
    );
    expect(stored.type).toBe("hologram");
    const events = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("inbound_events").select(["processed_at", "error"]).execute(),
    );
    expect(events.every((event) => event.processed_at !== null)).toBe(true);
    expect(events.filter((event) => event.error !== null)).toHaveLength(2);
  });

  it("refuses bodies over 3 MB before reading them into the store", async () => {
    const before = await countRows(h, "inbound_events");
    const huge = Buffer.alloc(3 * 1024 * 1024 + 1, 0x20);
    expect(await post(huge, { "x-hub-signature-256": signWebhookBody(h.sim.credentials().appSecret, huge) })).toBe(413);
    expect(await countRows(h, "inbound_events")).toBe(before);
  });
});
