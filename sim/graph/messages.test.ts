import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { changesOf, graphPlatformErrorBody, startHarness, statusesOf } from "../test-support.ts";
import type { Harness } from "../test-support.ts";

const CUSTOMER = "16505551234";
let h: Harness;

function expectGraphError(json: Record<string, unknown>, code: number): Record<string, unknown> {
  const error = json.error as Record<string, unknown>;
  expect(error).toMatchObject({ type: "OAuthException", code, message: expect.stringMatching(new RegExp(`^\\(#${code}\\) `)) as unknown });
  expect(error.fbtrace_id).toEqual(expect.any(String));
  expect(error.error_data).toMatchObject({ messaging_product: "whatsapp", details: expect.any(String) as unknown });
  return error;
}

beforeAll(async () => {
  h = await startHarness({ statusTiming: { sentMs: null, deliveredMs: null, readMs: null }, pairRateLimit: { burst: 1000 } });
});
afterAll(async () => h.close());
beforeEach(() => {
  h.sim.reset();
  h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "hi" });
});

async function send(body: Record<string, unknown>) {
  return h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, { messaging_product: "whatsapp", to: `+${CUSTOMER}`, ...body });
}

describe("POST /{phone-number-id}/messages", () => {
  it("accepts text with Meta's success body", async () => {
    const response = await send({
      recipient_type: "individual",
      type: "text",
      text: { preview_url: true, body: "Here is https://example.com" },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: `+${CUSTOMER}`, wa_id: CUSTOMER }],
      messages: [{ id: expect.stringMatching(/^wamid\./) as unknown }],
    });
    expect(h.sim.listReceived(CUSTOMER)[0]).toMatchObject({ type: "text", status: "accepted" });
  });

  it("accepts media by link and by uploaded id for every media type", async () => {
    for (const type of ["image", "document", "audio", "video", "sticker"]) {
      const response = await send({ type, [type]: { link: `https://example.com/file.${type}` } });
      expect(response.status, type).toBe(200);
    }
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", "image/png");
    form.set("file", new Blob([Buffer.from("png-bytes")], { type: "image/png" }), "a.png");
    const upload = await fetch(`${h.baseUrl}/v25.0/${h.phoneNumberId}/media`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.token}` },
      body: form,
    });
    const { id } = (await upload.json()) as { id: string };
    expect((await send({ type: "image", image: { id, caption: "The best succulent ever?" } })).status).toBe(200);
    const unknown = await send({ type: "image", image: { id: "999" } });
    expect(unknown).toMatchObject({
      status: 400,
      json: graphPlatformErrorBody({
        message: "(#100) Param image['id'] is not a valid whatsapp business account media attachment ID",
        code: 100,
      }),
    });
  });

  it("accepts interactive buttons, lists, reactions and locations", async () => {
    const buttons = await send({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Reschedule?" },
        footer: { text: "Lucky Shrub" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "change-button", title: "Change" } },
            { type: "reply", reply: { id: "cancel-button", title: "Cancel" } },
          ],
        },
      },
    });
    expect(buttons.status).toBe(200);
    const list = await send({
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: "Which shipping option?" },
        action: {
          button: "Shipping Options",
          sections: [
            {
              title: "I want it ASAP!",
              rows: [{ id: "priority_express", title: "Priority Mail Express", description: "Next Day to 2 Days" }],
            },
          ],
        },
      },
    });
    expect(list.status).toBe(200);
    const target = (buttons.json.messages as { id: string }[])[0]?.id;
    expect((await send({ type: "reaction", reaction: { message_id: target, emoji: "😀" } })).status).toBe(200);
    expect((await send({ type: "location", location: { latitude: 37.48, longitude: -122.15, name: "HQ" } })).status).toBe(200);
    const tooMany = await send({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "x" },
        action: { buttons: [1, 2, 3, 4].map((n) => ({ type: "reply", reply: { id: `b${n}`, title: `B${n}` } })) },
      },
    });
    expect(tooMany.status).toBe(400);
    expect(expectGraphError(tooMany.json, 131009)).toMatchObject({
      message: "(#131009) Parameter value is not valid",
      error_data: { details: "Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: 3" },
    });
  });

  it("sends approved templates outside the window with message_status, and refuses unknown ones with 132001", async () => {
    await h.graph("POST", `/v25.0/${h.sim.state.wabaId}/message_templates`, {
      name: "order_update",
      language: "en_US",
      category: "UTILITY",
      components: [{ type: "BODY", text: "Hi {{1}}! Your order {{2}} shipped." }],
    });
    h.sim.advanceTime(h.sim.options.templateReviewDelayMs);
    const template = (params: number) => ({
      type: "template",
      to: "447700900123",
      template: {
        name: "order_update",
        language: { code: "en_US" },
        components: [{ type: "body", parameters: Array.from({ length: params }, (_, i) => ({ type: "text", text: `p${i}` })) }],
      },
    });
    const ok = await send(template(2));
    expect(ok.status).toBe(200);
    expect((ok.json.messages as unknown[])[0]).toMatchObject({ message_status: "accepted" });
    expectGraphError((await send(template(1))).json, 132000);
    const missing = await send({ type: "template", template: { name: "nope", language: { code: "en_US" } } });
    expect(missing.status).toBe(404);
    expectGraphError(missing.json, 132001);
  });

  it("marks an inbound message read", async () => {
    const { wamid } = h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "again" });
    const response = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
      messaging_product: "whatsapp",
      status: "read",
      message_id: wamid,
      typing_indicator: { type: "text" },
    });
    expect(response).toMatchObject({ status: 200, json: { success: true } });
    expect([...h.sim.state.inbound.values()].every((m) => m.readByBusiness)).toBe(true);
  });
});

describe("send errors", () => {
  it("100: missing and invalid parameters get Graph's own wording, with no error_data", async () => {
    const path = `/v25.0/${h.phoneNumberId}/messages`;
    const param = (message: string) => ({ status: 400, json: graphPlatformErrorBody({ message, code: 100 }) });
    expect(await h.graph("POST", path, { to: CUSTOMER, type: "text", text: { body: "x" } })).toMatchObject(
      param("(#100) The parameter messaging_product is required."),
    );
    expect(await h.graph("POST", path, { messaging_product: "sms", to: CUSTOMER, text: { body: "x" } })).toMatchObject(
      param('(#100) Param messaging_product must be one of {WHATSAPP} - got "sms".'),
    );
    expect(await h.graph("POST", path, { messaging_product: "whatsapp", type: "text", text: { body: "x" } })).toMatchObject(
      param("(#100) The parameter to is required."),
    );
    expect(await send({ type: "text", text: {} })).toMatchObject(param("(#100) The parameter text['body'] is required."));
    expect(await send({ type: "text", text: { body: 42 } })).toMatchObject(param("(#100) Param text['body'] must be a string."));
    expect(await send({ type: "text", text: { body: "" } })).toMatchObject(param("(#100) Param text['body'] must be non-empty."));
    expect(await send({ type: "text", text: { body: "x".repeat(4097) } })).toMatchObject(
      param("(#100) Param text['body'] must be at most 4096 characters long."),
    );
    expect(await send({ type: "gif", gif: {} })).toMatchObject(
      param(
        '(#100) Param type must be one of {AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LINK_PREVIEW, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO} - got "gif".',
      ),
    );
    expect(await send({ type: "interactive", interactive: { type: "button", action: { buttons: [] } } })).toMatchObject(
      param("(#100) The parameter interactive['body'] is required."),
    );
    expect(await send({ type: "interactive", interactive: { type: "button", body: {}, action: { buttons: [] } } })).toMatchObject(
      param("(#100) The parameter interactive['body']['text'] is required."),
    );
    const badJson = await fetch(`${h.baseUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.token}`, "content-type": "application/json" },
      body: "{",
    });
    expect(badJson.status).toBe(400);
    const unknownNumber = await h.graph("POST", "/v25.0/999/messages", {
      messaging_product: "whatsapp",
      to: CUSTOMER,
      text: { body: "x" },
    });
    expect(unknownNumber).toMatchObject({
      status: 400,
      json: graphPlatformErrorBody({
        message:
          "Unsupported post request. Object with ID '999' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        code: 100,
        subcode: 33,
        type: "GraphMethodException",
      }),
    });
  });

  it("never answers in the validator's words, whatever the body", async () => {
    // Meta's messages only: "(#100) The parameter … is required.", "(#100) Param … must …",
    // "(#100) Invalid parameter", "(#131009) Parameter value is not valid" and the like.
    const validatorWords =
      /invalid input|too (big|small)|invalid option|must match pattern|unrecognized key|expected \w+, received|expected one of|^\s*$/i;
    const type = fc.constantFrom("text", "image", "document", "interactive", "template", "reaction", "location", "sticker");
    const value = fc.oneof(
      fc.anything(),
      fc.object({ maxDepth: 3 }),
      fc.record({ type: fc.constantFrom("button", "list"), body: fc.anything(), action: fc.anything() }),
    );
    await fc.assert(
      fc.asyncProperty(
        type,
        value,
        fc.option(fc.constantFrom("whatsapp", "sms", 7), { nil: undefined }),
        async (kind, payload, product) => {
          h.sim.reset();
          const response = await h.graph("POST", `/v25.0/${h.phoneNumberId}/messages`, {
            messaging_product: product,
            to: CUSTOMER,
            type: kind,
            [kind]: payload,
          });
          if (response.status === 200) return;
          const error = response.json.error as { message: string; code: number; error_data?: { details: string } };
          expect(error.message).toMatch(/^\(#\d+\) /);
          expect(error.message).not.toMatch(validatorWords);
          if (error.error_data) expect(error.error_data.details).not.toMatch(validatorWords);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("131009: interactive lengths and counts are refused in WhatsApp's words", async () => {
    const buttons = (list: { id: string; title: string }[], body = "Pick one") => ({
      type: "interactive",
      interactive: { type: "button", body: { text: body }, action: { buttons: list.map((reply) => ({ type: "reply", reply })) } },
    });
    const list = (rows: { id: string; title: string; description?: string }[], button = "Options") => ({
      type: "interactive",
      interactive: { type: "list", body: { text: "Which?" }, action: { button, sections: [{ title: "All", rows }] } },
    });
    const details = async (body: Record<string, unknown>) => {
      const response = await send(body);
      expect(response.status).toBe(400);
      return (expectGraphError(response.json, 131009) as { message: string; error_data: { details: string } }).error_data.details;
    };
    expect(await details(buttons([{ id: "a", title: "x".repeat(21) }]))).toBe("Button title length invalid. Min length: 1, Max length: 20");
    expect(await details(buttons([]))).toBe("Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: 3");
    expect(await details(buttons([{ id: "a", title: "A" }], "x".repeat(1025)))).toBe(
      "Body text length invalid. Min length: 1, Max length: 1024",
    );
    expect(await details(list([{ id: "r", title: "x".repeat(25) }]))).toBe("Row title length invalid. Min length: 1, Max length: 24");
    expect(await details(list(Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }))))).toBe(
      "Invalid rows count. Min allowed rows: 1, Max allowed rows: 10",
    );
    expect(await details(list([{ id: "r", title: "Row" }], "x".repeat(21)))).toBe(
      "Button text length invalid. Min length: 1, Max length: 20",
    );
    expect(h.sim.listReceived(CUSTOMER)).toHaveLength(0);
  });

  it("takes parameters from the query string and from a form body, as Graph does", async () => {
    const path = `/v25.0/${h.phoneNumberId}/messages`;
    const viaQuery = await h.graph("POST", `${path}?messaging_product=whatsapp`, {
      to: CUSTOMER,
      type: "text",
      text: { body: "from the query" },
    });
    expect(viaQuery.status).toBe(200);
    const form = new URLSearchParams({
      messaging_product: "whatsapp",
      to: CUSTOMER,
      type: "text",
      text: JSON.stringify({ body: "from a form" }),
    });
    const viaForm = await fetch(`${h.baseUrl}${path}`, { method: "POST", headers: { authorization: `Bearer ${h.token}` }, body: form });
    expect(viaForm.status).toBe(200);
    expect(h.sim.listReceived(CUSTOMER).map((m) => (m.body as { text: { body: string } }).text.body)).toEqual([
      "from the query",
      "from a form",
    ]);
  });

  it("190: an unparseable or expired token gets Graph's token error with HTTP 401; no token at all is 104", async () => {
    const path = `/v25.0/${h.phoneNumberId}/messages`;
    const body = { messaging_product: "whatsapp", to: CUSTOMER, type: "text", text: { body: "x" } };
    expect(await h.graph("POST", path, body, null)).toMatchObject({
      status: 401,
      json: graphPlatformErrorBody({ message: "An access token is required to request this resource.", code: 104 }),
    });
    const invalid = await h.graph("POST", path, body, "EAAnotatoken");
    expect(invalid.status).toBe(401);
    expect(invalid.json).toEqual(graphPlatformErrorBody({ message: "Invalid OAuth access token - Cannot parse access token", code: 190 }));
    const { token } = h.sim.createToken({ expiresInSeconds: 60 });
    expect((await h.graph("POST", path, body, token)).status).toBe(200);
    h.sim.advanceTime(61_000);
    const expired = await h.graph("POST", path, body, token);
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual(
      graphPlatformErrorBody({
        message: expect.stringMatching(
          /^Error validating access token: Session has expired on \w+day, \d\d-\w{3}-\d\d \d\d:\d\d:\d\d UTC\. The current time is /,
        ),
        code: 190,
        subcode: 463,
      }),
    );
  });

  it("131047: free-form outside the 24-hour window, until the customer writes again", async () => {
    h.sim.advanceTime(24 * 60 * 60 * 1000);
    const response = await send({ type: "text", text: { body: "late" } });
    expect(response.status).toBe(400);
    expect(expectGraphError(response.json, 131047)).toMatchObject({ message: "(#131047) Re-engagement message" });
    h.sim.sendFromCustomer({ from: CUSTOMER, type: "text", text: "back" });
    expect((await send({ type: "text", text: { body: "welcome back" } })).status).toBe(200);
  });

  it("fails the next N sends with an injected code", async () => {
    h.sim.configureFaults({ failNextSends: { count: 1, code: 131000 } });
    const failed = await send({ type: "text", text: { body: "x" } });
    expect(failed.status).toBe(500);
    expectGraphError(failed.json, 131000);
    expect((await send({ type: "text", text: { body: "x" } })).status).toBe(200);
  });
});

describe("sending to a business-scoped user id (recipient)", () => {
  const USER_ID = "US.13491208655302741918";
  const path = () => `/v25.0/${h.phoneNumberId}/messages`;
  const text = { type: "text", text: { body: "Hello back" } };

  it("a user known only by a BSUID writes without a phone, is answered by `recipient` with the BSUID, and its statuses name only the BSUID", async () => {
    const { wamid: inbound } = h.sim.sendFromCustomer({
      userId: USER_ID,
      name: "Username User",
      type: "text",
      text: "Hello from a username",
    });
    await h.sim.flushWebhooks();
    const written = changesOf(await h.receiver.waitUntil((all) => changesOf(all).some((c) => JSON.stringify(c.value).includes(inbound))))
      .map((c) => c.value)
      .find((value) => JSON.stringify(value).includes(inbound))!;
    expect(written.contacts).toEqual([{ profile: { name: "Username User" }, user_id: USER_ID }]);
    expect((written.messages as Record<string, unknown>[])[0]).toMatchObject({ from_user_id: USER_ID, id: inbound, type: "text" });
    expect((written.messages as Record<string, unknown>[])[0]).not.toHaveProperty("from");

    const response = await h.graph("POST", path(), {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      recipient: USER_ID,
      ...text,
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: USER_ID, user_id: USER_ID }],
      messages: [{ id: expect.stringMatching(/^wamid\./) as unknown }],
    });
    const wamid = (response.json.messages as { id: string }[])[0]!.id;
    expect(h.sim.listReceived(USER_ID)).toEqual([expect.objectContaining({ wamid, type: "text" })]);

    h.sim.advanceStatuses({ wamid, to: "delivered" });
    await h.sim.flushWebhooks();
    const statuses = statusesOf(await h.receiver.waitUntil((all) => statusesOf(all).filter((s) => s.id === wamid).length === 2)).filter(
      (s) => s.id === wamid,
    );
    expect(statuses.map((s) => s.status)).toEqual(["sent", "delivered"]);
    for (const status of statuses) {
      expect(status).toMatchObject({ recipient_user_id: USER_ID });
      expect(status).not.toHaveProperty("recipient_id");
    }
    const delivered = changesOf(h.receiver.received).find((c) =>
      (c.value.statuses as { id: string; status: string }[] | undefined)?.some((s) => s.id === wamid && s.status === "delivered"),
    );
    expect(delivered?.value.contacts).toEqual([{ user_id: USER_ID }]);
  });

  it("a phone customer's BSUID reaches them too, answered and reported without their phone", async () => {
    h.sim.sendFromCustomer({ from: "16505559876", userId: "US.7000000000000000001", type: "text", text: "hi" });
    const response = await h.graph("POST", path(), { messaging_product: "whatsapp", recipient: "US.7000000000000000001", ...text });
    expect(response.json.contacts).toEqual([{ input: "US.7000000000000000001", user_id: "US.7000000000000000001" }]);
    expect(JSON.stringify(response.json)).not.toContain("16505559876");
  });

  it("exactly one of `to` and `recipient`, and a recipient must be a BSUID: Graph's code 100 in its own words", async () => {
    const param = (message: string) => ({ status: 400, json: graphPlatformErrorBody({ message, code: 100 }) });
    expect(await h.graph("POST", path(), { messaging_product: "whatsapp", to: CUSTOMER, recipient: USER_ID, ...text })).toMatchObject(
      param("(#100) Param to and param recipient cannot be used together."),
    );
    expect(await h.graph("POST", path(), { messaging_product: "whatsapp", ...text })).toMatchObject(
      param("(#100) The parameter to is required."),
    );
    for (const recipient of ["13491208655302741918", "US.", "us.123", `US.${"1".repeat(129)}`, "US.12-34"]) {
      expect(await h.graph("POST", path(), { messaging_product: "whatsapp", recipient, ...text }), recipient).toMatchObject(
        param("(#100) Param recipient is not a valid business-scoped user ID."),
      );
    }
  });

  it("a BSUID no user wrote from has no open window: free-form is refused with 131047, and no customer is created for it", async () => {
    const refused = await h.graph("POST", path(), { messaging_product: "whatsapp", recipient: "US.99999999999999999", ...text });
    expect(refused.status).toBe(400);
    expect((refused.json.error as { code: number }).code).toBe(131047);
    expect(h.sim.state.customersByUserId.has("US.99999999999999999")).toBe(false);
  });
});
