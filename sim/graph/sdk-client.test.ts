import { createHash } from "node:crypto";
import { GraphApiError, WhatsAppClient } from "@kapso/whatsapp-cloud-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHarness, statusesOf } from "../test-support.ts";
import type { Harness } from "../test-support.ts";

// A maintained third-party Cloud API client (@kapso/whatsapp-cloud-api), pointed at the simulator
// by its base URL and Graph version, drives every call a messaging client makes over real HTTP:
// each answer is checked as the client reads it, and the simulator's state and webhooks confirm
// what happened. Nothing in the client is replaced; it uses the global fetch.

const CUSTOMER = "16505551234";
let h: Harness;
let client: WhatsAppClient;

beforeAll(async () => {
  h = await startHarness({ statusTiming: { sentMs: null, deliveredMs: null, readMs: null } });
  client = new WhatsAppClient({ baseUrl: h.baseUrl, graphVersion: "v25.0", accessToken: h.token });
});
afterAll(async () => h.close());
beforeEach(async () => {
  h.sim.reset();
  h.receiver.received.length = 0;
  h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "hi" });
  await h.sim.flushWebhooks();
});

/** Emits every planned status of `wamid` and returns the statuses its webhooks carried. */
async function settle(wamid: string): Promise<string[]> {
  h.sim.advanceStatuses({ wamid });
  await h.sim.flushWebhooks();
  return statusesOf(h.receiver.received)
    .filter((s) => s.id === wamid)
    .map((s) => s.status);
}

function sentTo(wamid: string) {
  return h.sim.listReceived(CUSTOMER).find((m) => m.wamid === wamid);
}

function expectAccepted(response: {
  messagingProduct?: string;
  contacts?: { input: string; waId?: string }[];
  messages: { id: string }[];
}): string {
  expect(response).toMatchObject({ messagingProduct: "whatsapp", contacts: [{ input: `+${CUSTOMER}`, waId: CUSTOMER }] });
  const wamid = response.messages[0]?.id ?? "";
  expect(wamid).toMatch(/^wamid\./);
  return wamid;
}

describe("a third-party Cloud API client against the simulator", () => {
  it("sends text; the customer receives it and the status webhooks follow", async () => {
    const wamid = expectAccepted(
      await client.messages.sendText({ phoneNumberId: h.phoneNumberId, to: `+${CUSTOMER}`, body: "Hello from the client" }),
    );
    expect(sentTo(wamid)).toMatchObject({ type: "text", body: { text: { body: "Hello from the client" } } });
    expect(await settle(wamid)).toEqual(["sent", "delivered", "read"]);
  });

  it("sends an approved template and gets message_status accepted", async () => {
    const created = await h.graph("POST", `/v25.0/${h.sim.state.wabaId}/message_templates`, {
      name: "order_update",
      language: "en_US",
      category: "UTILITY",
      components: [{ type: "BODY", text: "Hi {{1}}! Your order {{2}} shipped." }],
    });
    expect(created.status).toBe(200);
    h.sim.advanceTime(h.sim.options.templateReviewDelayMs);
    const response = await client.messages.sendTemplate({
      phoneNumberId: h.phoneNumberId,
      to: `+${CUSTOMER}`,
      template: {
        name: "order_update",
        language: { code: "en_US" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Jessica" },
              { type: "text", text: "SKBUP2-4CPIG9" },
            ],
          },
        ],
      },
    });
    const wamid = expectAccepted(response);
    expect(response.messages[0]).toMatchObject({ messageStatus: "accepted" });
    expect(sentTo(wamid)).toMatchObject({ type: "template", body: { template: { name: "order_update" } } });
    expect(await settle(wamid)).toContain("delivered");
  });

  it("uploads media, reads its URL, downloads it with the bearer token, sends it and deletes it", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const uploaded = await client.media.upload({
      phoneNumberId: h.phoneNumberId,
      type: "image/png",
      file: new Blob([png], { type: "image/png" }),
      fileName: "logo.png",
    });
    expect(uploaded).toEqual({ id: expect.stringMatching(/^\d+$/) as unknown });
    const mediaId = uploaded.id;

    const info = await client.media.get({ mediaId, phoneNumberId: h.phoneNumberId });
    expect(info).toMatchObject({
      messagingProduct: "whatsapp",
      mimeType: "image/png",
      sha256: createHash("sha256").update(png).digest("hex"),
      fileSize: String(png.length),
      id: mediaId,
    });
    expect(info.url).toContain("/whatsapp_business/attachments/?mid=");

    const bytes = await client.media.download({ mediaId, phoneNumberId: h.phoneNumberId, auth: "always" });
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(bytes as ArrayBuffer)).toEqual(png);
    // The URL alone is not enough: without the token the download is refused.
    const anonymous = await client.media.download({ mediaId, phoneNumberId: h.phoneNumberId, auth: "never", as: "response" });
    expect(anonymous).toBeInstanceOf(Response);
    expect((anonymous as Response).status).toBe(401);

    const wamid = expectAccepted(
      await client.messages.sendImage({ phoneNumberId: h.phoneNumberId, to: `+${CUSTOMER}`, image: { id: mediaId, caption: "Our logo" } }),
    );
    expect(sentTo(wamid)).toMatchObject({ type: "image", body: { image: { id: mediaId, caption: "Our logo" } } });

    expect(await client.media.delete({ mediaId, phoneNumberId: h.phoneNumberId })).toEqual({ success: true });
    expect(h.sim.state.media.get(mediaId)?.deleted).toBe(true);
    const gone = await client.media.get({ mediaId }).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(GraphApiError);
    expect(gone).toMatchObject({ httpStatus: 400, code: 100, errorSubcode: 33, type: "GraphMethodException" });
  });

  it("sends interactive reply buttons and a list", async () => {
    const buttons = await client.messages.sendInteractiveButtons({
      phoneNumberId: h.phoneNumberId,
      to: `+${CUSTOMER}`,
      bodyText: "Reschedule?",
      footerText: "Lucky Shrub",
      buttons: [
        { id: "change-button", title: "Change" },
        { id: "cancel-button", title: "Cancel" },
      ],
    });
    const buttonsId = expectAccepted(buttons);
    expect(sentTo(buttonsId)).toMatchObject({
      type: "interactive",
      body: {
        interactive: { type: "button", action: { buttons: [{ reply: { id: "change-button" } }, { reply: { id: "cancel-button" } }] } },
      },
    });

    const list = await client.messages.sendInteractiveList({
      phoneNumberId: h.phoneNumberId,
      to: `+${CUSTOMER}`,
      bodyText: "Which shipping option?",
      buttonText: "Shipping Options",
      sections: [
        { title: "I want it ASAP!", rows: [{ id: "priority_express", title: "Priority Mail Express", description: "Next Day to 2 Days" }] },
      ],
    });
    const listId = expectAccepted(list);
    expect(sentTo(listId)).toMatchObject({
      type: "interactive",
      body: { interactive: { type: "list", action: { button: "Shipping Options" } } },
    });
    expect(await settle(listId)).toEqual(["sent", "delivered", "read"]);
  });

  it("reacts to a message; only a sent status follows", async () => {
    const target = expectAccepted(
      await client.messages.sendText({ phoneNumberId: h.phoneNumberId, to: `+${CUSTOMER}`, body: "Your order shipped" }),
    );
    const wamid = expectAccepted(
      await client.messages.sendReaction({
        phoneNumberId: h.phoneNumberId,
        to: `+${CUSTOMER}`,
        reaction: { messageId: target, emoji: "👍" },
      }),
    );
    expect(sentTo(wamid)).toMatchObject({ type: "reaction", body: { reaction: { message_id: target, emoji: "👍" } } });
    expect(await settle(wamid)).toEqual(["sent"]);
  });

  it("marks the customer's messages read", async () => {
    const { wamid } = h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "are you there?" });
    expect(await client.messages.markRead({ phoneNumberId: h.phoneNumberId, messageId: wamid })).toEqual({ success: true });
    expect([...h.sim.state.inbound.values()].map((m) => m.readByBusiness)).toEqual([true, true]);
  });

  it("reads the simulator's refusals as Graph errors: Meta's wording, code and trace id", async () => {
    const stranger = new WhatsAppClient({ baseUrl: h.baseUrl, graphVersion: "v25.0", accessToken: "not-a-token" });
    const unparseable = await stranger.messages
      .sendText({ phoneNumberId: h.phoneNumberId, to: CUSTOMER, body: "x" })
      .catch((error: unknown) => error);
    expect(unparseable).toBeInstanceOf(GraphApiError);
    expect(unparseable).toMatchObject({
      httpStatus: 401,
      code: 190,
      type: "OAuthException",
      message: "Invalid OAuth access token - Cannot parse access token",
      fbtraceId: expect.any(String) as unknown,
    });

    const tooLong = await client.messages
      .sendRaw({
        phoneNumberId: h.phoneNumberId,
        payload: { messagingProduct: "whatsapp", to: CUSTOMER, type: "text", text: { body: "x".repeat(4097) } },
      })
      .catch((error: unknown) => error);
    expect(tooLong).toMatchObject({
      httpStatus: 400,
      code: 100,
      type: "OAuthException",
      message: "(#100) Param text['body'] must be at most 4096 characters long.",
    });

    const noProduct = await client.media
      .upload({ phoneNumberId: h.phoneNumberId, type: "image/gif", file: new Blob([Buffer.from("GIF89a")], { type: "image/gif" }) })
      .catch((error: unknown) => error);
    expect(noProduct).toMatchObject({
      httpStatus: 400,
      code: 100,
      message: expect.stringMatching(
        /^\(#100\) Param file must be a file with one of the following types: .* Received file of type 'image\/gif'\.$/,
      ) as unknown,
    });
    expect(h.sim.listReceived(CUSTOMER)).toHaveLength(0);
  });
});
