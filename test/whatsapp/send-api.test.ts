import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { withRealtime } from "../../src/realtime/events.ts";
import {
  claimIdempotencyKey,
  fingerprintRequest,
  IDEMPOTENCY_TTL_MS,
  principalOf,
  pruneIdempotencyKeys,
} from "../../src/features/messages/idempotency.ts";
import { sendMessageBody } from "../../src/features/messages/message-schema.ts";
import { queueMessage, SEND_QUEUE } from "../../src/features/messages/service.ts";
import { countJobs, startSendHarness, type SendHarness } from "./send-support.ts";

// The send API against the real simulator over HTTP: every message type reaches the customer,
// Meta's limits are enforced up front, the outbox is atomic, Idempotency-Key replays.

let h: SendHarness;
let seq = 0;
/** A fresh customer phone (digits) per test: the pair limit and the window are per recipient. */
const nextPhone = () => `4915112${String(100_000 + seq++).padStart(6, "0")}`;

beforeAll(async () => {
  h = await startSendHarness();
  h.sim.state.templates.set("9001", {
    id: "9001",
    wabaId: h.sim.credentials().wabaId,
    name: "order_update",
    language: "en_US",
    category: "UTILITY",
    parameterFormat: "POSITIONAL",
    components: [{ type: "BODY", text: "Hi {{1}}, order {{2}} shipped." }],
    status: "APPROVED",
    rejectedReason: undefined,
    createdAt: Date.now(),
  });
}, 60_000);
afterAll(async () => h?.close());

async function uploadMedia(type: string, bytes: Buffer): Promise<string> {
  const { baseUrl, accessToken, phoneNumbers } = h.sim.credentials();
  const form = new FormData();
  form.set("messaging_product", "whatsapp");
  form.set("type", type);
  form.set("file", new Blob([bytes], { type }), "file.bin");
  const response = await fetch(`${baseUrl}/v25.0/${phoneNumbers[0]!.id}/media`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}` },
    body: form,
  });
  return String(((await response.json()) as { id: string }).id);
}

/** Sends in an open conversation and waits until the simulator's customer has it. */
async function sendAndReceive(waId: string, conversationId: string, message: Record<string, unknown>) {
  const answer = await h.send({ conversationId, ...message });
  expect(answer.status, JSON.stringify(answer.json)).toBe(202);
  const id = String(answer.json.id);
  const row = await h.waitForMessage(id, (m) => m.status !== "queued" && m.status !== "sending");
  expect(row.status, row.send_error ?? "").toBe("accepted");
  const received = h.sim.listReceived(waId).filter((m) => m.wamid === row.wamid);
  expect(received).toHaveLength(1);
  expect(received[0]!.bizOpaqueCallbackData).toBe(row.send_id);
  return received[0]!;
}

describe("message types reach the customer", () => {
  it("text, media (uploaded id and link, with caption and filename rules), interactive buttons and list, reaction", async () => {
    const waId = nextPhone();
    const inbound = await h.customerWrites(waId);
    const text = await sendAndReceive(waId, inbound.conversationId, {
      type: "text",
      text: { body: "Your order shipped", previewUrl: false },
    });
    expect(text.body.text).toEqual({ body: "Your order shipped", preview_url: false });

    const mediaId = await uploadMedia("application/pdf", Buffer.from("%PDF-1.4 test"));
    const document = await sendAndReceive(waId, inbound.conversationId, {
      type: "document",
      document: { id: mediaId, caption: "Invoice", filename: "invoice.pdf" },
    });
    expect(document.body.document).toEqual({ id: mediaId, caption: "Invoice", filename: "invoice.pdf" });
    const image = await sendAndReceive(waId, inbound.conversationId, {
      type: "image",
      image: { link: "https://example.com/a.png", caption: "Look" },
    });
    expect(image.body.image).toEqual({ link: "https://example.com/a.png", caption: "Look" });
    for (const type of ["video", "audio", "sticker"] as const) {
      const received = await sendAndReceive(waId, inbound.conversationId, { type, [type]: { link: `https://example.com/file.${type}` } });
      expect(received.type).toBe(type);
    }

    const buttons = await sendAndReceive(waId, inbound.conversationId, {
      type: "interactive",
      interactive: {
        type: "button",
        header: { type: "text", text: "Reschedule" },
        body: "Reschedule?",
        footer: "Lucky Shrub",
        buttons: [
          { id: "change", title: "Change" },
          { id: "cancel", title: "Cancel" },
        ],
      },
    });
    expect(buttons.body.interactive).toMatchObject({
      type: "button",
      action: {
        buttons: [
          { type: "reply", reply: { id: "change", title: "Change" } },
          { type: "reply", reply: { id: "cancel", title: "Cancel" } },
        ],
      },
    });
    const list = await sendAndReceive(waId, inbound.conversationId, {
      type: "interactive",
      interactive: {
        type: "list",
        body: "Which shipping option?",
        button: "Shipping",
        sections: [
          { title: "Fast", rows: [{ id: "express", title: "Express", description: "Next day" }] },
          { title: "Slow", rows: [{ id: "ground", title: "Ground" }] },
        ],
      },
    });
    expect(list.body.interactive).toMatchObject({ type: "list", action: { button: "Shipping" } });

    const location = await sendAndReceive(waId, inbound.conversationId, {
      type: "location",
      location: { latitude: 52.52, longitude: 13.405, name: "Office" },
    });
    expect(location.body.location).toEqual({ latitude: 52.52, longitude: 13.405, name: "Office" });

    const reaction = await sendAndReceive(waId, inbound.conversationId, {
      type: "reaction",
      reaction: { messageId: inbound.messageId, emoji: "👍" },
    });
    expect(reaction.body.reaction).toEqual({ message_id: inbound.wamid, emoji: "👍" });
  });

  it("a template to a phone number that never wrote (no window needed), creating contact and conversation", async () => {
    const waId = nextPhone();
    const answer = await h.send({
      numberId: h.number.id,
      to: `+${waId}`,
      type: "template",
      template: {
        name: "order_update",
        language: "en_US",
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Jessica" },
              { type: "text", text: "SKBUP2" },
            ],
          },
        ],
      },
    });
    expect(answer.status, JSON.stringify(answer.json)).toBe(202);
    const row = await h.waitForMessage(String(answer.json.id), (m) => m.status === "accepted");
    const received = h.sim.listReceived(waId);
    expect(received).toHaveLength(1);
    expect(received[0]!.wamid).toBe(row.wamid);
    expect(received[0]!.body.template).toMatchObject({ name: "order_update", language: { code: "en_US" } });
  });
});

describe("limits from Meta's documentation are enforced before anything is queued", () => {
  const conversationId = randomUUID();
  const cases: [string, Record<string, unknown>][] = [
    ["text over 4096 characters", { type: "text", text: { body: "x".repeat(4097) } }],
    ["caption over 1024 characters", { type: "image", image: { link: "https://example.com/a.png", caption: "x".repeat(1025) } }],
    ["a caption on audio", { type: "audio", audio: { link: "https://example.com/a.ogg", caption: "no" } }],
    ["a filename on an image", { type: "image", image: { link: "https://example.com/a.png", filename: "a.png" } }],
    ["both media id and link", { type: "image", image: { id: "123", link: "https://example.com/a.png" } }],
    ["a plain-http media link", { type: "image", image: { link: "http://example.com/a.png" } }],
    [
      "four reply buttons",
      {
        type: "interactive",
        interactive: { type: "button", body: "b", buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })) },
      },
    ],
    [
      "a button title over 20",
      { type: "interactive", interactive: { type: "button", body: "b", buttons: [{ id: "a", title: "x".repeat(21) }] } },
    ],
    [
      "a list with 11 rows",
      {
        type: "interactive",
        interactive: {
          type: "list",
          body: "b",
          button: "Go",
          sections: [
            { title: "A", rows: Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, title: "t" })) },
            { title: "B", rows: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, title: "t" })) },
          ],
        },
      },
    ],
    [
      "a list row title over 24",
      {
        type: "interactive",
        interactive: { type: "list", body: "b", button: "Go", sections: [{ rows: [{ id: "a", title: "x".repeat(25) }] }] },
      },
    ],
    ["a template name with capitals", { type: "template", template: { name: "Order", language: "en_US" } }],
    ["a payload object other than the type's", { type: "text", text: { body: "hi" }, image: { link: "https://example.com/a.png" } }],
    ["an unknown field", { type: "text", text: { body: "hi", bold: true } }],
    ["a latitude beyond 90 degrees", { type: "location", location: { latitude: 91, longitude: 0 } }],
  ];
  it.each(cases)("refuses %s (400)", async (_name, message) => {
    expect(sendMessageBody.safeParse({ conversationId, ...message }).success).toBe(false);
    const answer = await h.send({ conversationId, ...message });
    expect(answer.status).toBe(400);
    expect((answer.json.error as { code: string }).code).toBe("VALIDATION_FAILED");
  });

  it("refuses a phone number that is not E.164, and a recipient given twice", async () => {
    expect((await h.send({ numberId: h.number.id, to: "015112345678", type: "text", text: { body: "hi" } })).status).toBe(400);
    expect((await h.send({ conversationId, numberId: h.number.id, to: "+4915112345678", type: "text", text: { body: "hi" } })).status).toBe(
      400,
    );
  });
});

describe("24-hour customer service window (131047 logic, up front)", () => {
  it("refuses free-form to a customer who never wrote, says to use a template, and queues nothing", async () => {
    const jobsBefore = await countJobs(h, SEND_QUEUE);
    const answer = await h.send({ numberId: h.number.id, to: `+${nextPhone()}`, type: "text", text: { body: "hi" } });
    expect(answer.status).toBe(422);
    const error = answer.json.error as { code: string; message: string; details: { reason: string } };
    expect(error.details.reason).toBe("service_window_closed");
    expect(error.message).toMatch(/template/);
    expect(await countJobs(h, SEND_QUEUE)).toBe(jobsBefore);
  });

  it("refuses free-form once the last customer message is over 24 hours old", async () => {
    const waId = nextPhone();
    const inbound = await h.customerWrites(waId);
    await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .updateTable("conversations")
        .set({ last_inbound_at: new Date(Date.now() - 24 * 3600_000 - 1_000) })
        .where("id", "=", inbound.conversationId)
        .execute(),
    );
    const answer = await h.send({ conversationId: inbound.conversationId, type: "text", text: { body: "late" } });
    expect(answer.status).toBe(422);
    expect((answer.json.error as { details: { reason: string } }).details.reason).toBe("service_window_closed");
  });
});

describe("outbox", () => {
  it("message row and send job commit together, and roll back together", async () => {
    const waId = nextPhone();
    const inbound = await h.customerWrites(waId);
    const body = sendMessageBody.parse({ conversationId: inbound.conversationId, type: "text", text: { body: "rolled back" } });
    const jobsBefore = await countJobs(h, SEND_QUEUE);
    let queuedId = "";
    await expect(
      withRealtime(h.services, h.workspaceId, () =>
        withWorkspace(h.db, { workspaceId: h.workspaceId }, async (trx) => {
          queuedId = (await queueMessage(h.services, trx, { workspaceId: h.workspaceId, userId: null, canStartConversations: true, body }))
            .id;
          throw new Error("crash before commit");
        }),
      ),
    ).rejects.toThrow("crash before commit");
    expect(queuedId).not.toBe("");
    const row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("messages").select("id").where("id", "=", queuedId).executeTakeFirst(),
    );
    expect(row).toBeUndefined();
    expect(await countJobs(h, SEND_QUEUE)).toBe(jobsBefore);

    const committed = await withRealtime(h.services, h.workspaceId, () =>
      withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        queueMessage(h.services, trx, { workspaceId: h.workspaceId, userId: null, canStartConversations: true, body }),
      ),
    );
    const jobs = await withoutWorkspace(h.db, (trx) => trx.selectFrom("jobs").select("payload").where("queue", "=", SEND_QUEUE).execute());
    expect(jobs.some((job) => (job.payload as { messageId?: string }).messageId === committed.id)).toBe(true);
    // The job holds identifiers only; the content is encrypted on the row.
    const raw = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("messages").select(["content_ciphertext"]).where("id", "=", committed.id).executeTakeFirstOrThrow(),
    );
    expect(raw.content_ciphertext).toMatch(/^pv1\./);
    expect(JSON.stringify(jobs)).not.toContain("rolled back");
    await h.waitForMessage(committed.id, (m) => m.status === "accepted");
  });
});

describe("Idempotency-Key", () => {
  it("same key and body → the same status and body, replayed, one message sent", async () => {
    const waId = nextPhone();
    const inbound = await h.customerWrites(waId);
    const body = { conversationId: inbound.conversationId, type: "text", text: { body: "exactly once" } };
    const key = `k-${randomUUID()}`;
    const first = await h.send(body, { "idempotency-key": key });
    const second = await h.send(body, { "idempotency-key": key });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.json).toEqual(first.json);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    await h.waitForMessage(String(first.json.id), (m) => m.status === "accepted");
    expect(h.sim.listReceived(waId)).toHaveLength(1);
  });

  it("same key with a different body → 422; another caller's or workspace's key is separate", async () => {
    const waId = nextPhone();
    const inbound = await h.customerWrites(waId);
    const key = `k-${randomUUID()}`;
    expect(
      (await h.send({ conversationId: inbound.conversationId, type: "text", text: { body: "one" } }, { "idempotency-key": key })).status,
    ).toBe(202);
    const reused = await h.send(
      { conversationId: inbound.conversationId, type: "text", text: { body: "two" } },
      { "idempotency-key": key },
    );
    expect(reused.status).toBe(422);
    expect((reused.json.error as { details: { reason: string } }).details.reason).toBe("idempotency_key_reused");
  });

  it("same key while the first request is still running → 409", async () => {
    const waId = nextPhone();
    const inbound = await h.customerWrites(waId);
    const body = { conversationId: inbound.conversationId, type: "text", text: { body: "in flight" } };
    const key = `k-${randomUUID()}`;
    const scope = { workspaceId: h.workspaceId, principal: principalOf(h.caller), key };
    const claim = await claimIdempotencyKey(
      h.db,
      scope,
      fingerprintRequest({ route: "messages.send", workspaceId: h.workspaceId, body: sendMessageBody.parse(body) }),
    );
    expect(claim.kind).toBe("claimed");
    const concurrent = await h.send(body, { "idempotency-key": key });
    expect(concurrent.status).toBe(409);
    expect((concurrent.json.error as { details: { reason: string } }).details.reason).toBe("idempotency_key_in_progress");
  });

  it("a refusal is replayed too; an expired key starts a new request; expired keys are pruned", async () => {
    const key = `k-${randomUUID()}`;
    const body = { numberId: h.number.id, to: `+${nextPhone()}`, type: "text", text: { body: "window closed" } };
    const first = await h.send(body, { "idempotency-key": key });
    const again = await h.send(body, { "idempotency-key": key });
    expect(first.status).toBe(422);
    expect(again.status).toBe(422);
    expect(again.json).toEqual(first.json);

    const oldKey = `k-${randomUUID()}`;
    const scope = { workspaceId: h.workspaceId, principal: principalOf(h.caller), key: oldKey };
    await claimIdempotencyKey(h.db, scope, "0".repeat(64), new Date(Date.now() - IDEMPOTENCY_TTL_MS - 60_000));
    const waId = nextPhone();
    const inbound = await h.customerWrites(waId);
    expect(
      (await h.send({ conversationId: inbound.conversationId, type: "text", text: { body: "fresh" } }, { "idempotency-key": oldKey }))
        .status,
    ).toBe(202);

    const staleKey = `k-${randomUUID()}`;
    await claimIdempotencyKey(h.db, { ...scope, key: staleKey }, "0".repeat(64), new Date(Date.now() - IDEMPOTENCY_TTL_MS - 60_000));
    expect(await pruneIdempotencyKeys(h.db)).toBeGreaterThanOrEqual(1);
    const left = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("idempotency_keys").select("key").where("key", "=", staleKey).execute(),
    );
    expect(left).toHaveLength(0);
  });

  it("refuses a key longer than 255 characters", async () => {
    const answer = await h.send(
      { conversationId: randomUUID(), type: "text", text: { body: "x" } },
      { "idempotency-key": "k".repeat(256) },
    );
    expect(answer.status).toBe(400);
  });
});
