import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { changesOf, graphErrorBody, graphPlatformErrorBody, startHarness } from "../test-support.ts";
import type { Harness } from "../test-support.ts";

// Editing templates (POST /{template-id}, reference §8) on a manual clock: reviews finish
// 60 seconds after a creation or an edit, and the edit windows move only when the test moves them.
const REVIEW_MS = 60_000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock: { manualStartMs: Date.UTC(2026, 4, 1) }, templateReviewDelayMs: REVIEW_MS });
});
afterAll(async () => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.received.length = 0;
});

const BODY = { type: "BODY", text: "Hi {{1}}! Your order {{2}} shipped.", example: { body_text: [["Pablo", "860198"]] } };

async function createTemplate(name: string, options: { body?: string; category?: string } = {}): Promise<string> {
  const created = await h.graph("POST", `/v25.0/${h.sim.state.wabaId}/message_templates`, {
    name,
    language: "en_US",
    category: options.category ?? "UTILITY",
    components: [{ ...BODY, text: options.body ?? BODY.text }],
  });
  expect(created.status).toBe(200);
  return String(created.json.id);
}

// Creates a template and lets its review finish, then forgets the review webhook.
async function createReviewed(name: string, options: { body?: string; category?: string } = {}): Promise<string> {
  const id = await createTemplate(name, options);
  h.sim.advanceTime(REVIEW_MS);
  await h.sim.flushWebhooks();
  h.receiver.received.length = 0;
  return id;
}

function edit(id: string, body: unknown) {
  return h.graph("POST", `/v25.0/${id}`, body);
}

function bodyText(text: string) {
  return { components: [{ ...BODY, text }] };
}

function invalidParameter(details: string) {
  return graphErrorBody({ message: "(#100) Invalid parameter", code: 100, details });
}

async function statusOf(id: string): Promise<unknown> {
  return (await h.graph("GET", `/v25.0/${id}?fields=status`)).json.status;
}

describe("editing a template", () => {
  it('replaces the components of an approved template, answers {"success":true} and sends it back through review', async () => {
    const id = await createReviewed("order_shipped");
    expect(await statusOf(id)).toBe("APPROVED");

    const components = [
      { type: "BODY", text: "Hello {{1}}, order {{2}} is on its way.", example: { body_text: [["Pablo", "860198"]] } },
      { type: "FOOTER", text: "Lucky Shrub" },
    ];
    const edited = await edit(id, { components });
    expect(edited.status).toBe(200);
    expect(edited.text).toBe('{"success":true}');

    const read = await h.graph("GET", `/v25.0/${id}?fields=status,components,category`);
    expect(read.json).toEqual({ components, status: "PENDING", category: "UTILITY", id });

    h.sim.advanceTime(REVIEW_MS - 1);
    await h.sim.flushWebhooks();
    expect(h.receiver.received).toHaveLength(0);
    h.sim.advanceTime(1);
    await h.sim.flushWebhooks();
    expect(changesOf(h.receiver.received)).toEqual([
      {
        value: {
          event: "APPROVED",
          message_template_id: Number(id),
          message_template_name: "order_shipped",
          message_template_language: "en_US",
          reason: "NONE",
          message_template_category: "UTILITY",
        },
        field: "message_template_status_update",
      },
    ]);
    expect(await statusOf(id)).toBe("APPROVED");
  });

  it("announces a rejection of the edited content", async () => {
    const id = await createReviewed("order_shipped");
    expect((await edit(id, bodyText("Hello {{1}}{{2}} there"))).status).toBe(200);
    h.sim.advanceTime(REVIEW_MS);
    await h.sim.flushWebhooks();
    expect(changesOf(h.receiver.received)[0]?.value).toMatchObject({
      event: "REJECTED",
      reason: "INVALID_FORMAT",
      message_template_id: Number(id),
    });
    expect((await h.graph("GET", `/v25.0/${id}?fields=status,rejected_reason`)).json).toEqual({
      status: "REJECTED",
      rejected_reason: "INVALID_FORMAT",
      id,
    });
  });

  it("lets a rejected template change content and category, without the approved-template limits", async () => {
    const id = await createReviewed("cart_reminder", { body: "Hi {{1}}{{2}} there" });
    expect(await statusOf(id)).toBe("REJECTED");

    // Still malformed: rejected again, and a rejected template may be edited again at once.
    expect((await edit(id, bodyText("Hi {{2}} there"))).status).toBe(200);
    h.sim.advanceTime(REVIEW_MS);
    expect(await statusOf(id)).toBe("REJECTED");

    expect((await edit(id, { category: "marketing", ...bodyText("Hi {{1}}, your cart is waiting.") })).json).toEqual({ success: true });
    expect((await h.graph("GET", `/v25.0/${id}?fields=status,category`)).json).toEqual({ status: "PENDING", category: "MARKETING", id });
    h.sim.advanceTime(REVIEW_MS);
    await h.sim.flushWebhooks();
    expect(changesOf(h.receiver.received).map((c) => c.value)).toEqual([
      expect.objectContaining({ event: "REJECTED" }),
      expect.objectContaining({ event: "APPROVED", message_template_category: "MARKETING" }),
    ]);
  });

  it("lets a paused template be edited", async () => {
    const id = await createReviewed("order_shipped");
    const template = h.sim.state.templates.get(id);
    if (!template) throw new Error("template missing");
    template.status = "PAUSED";
    expect((await edit(id, bodyText("Hello {{1}}, order {{2}} left the shop."))).json).toEqual({ success: true });
    expect(await statusOf(id)).toBe("PENDING");
    h.sim.advanceTime(REVIEW_MS);
    expect(await statusOf(id)).toBe("APPROVED");
  });

  it("refuses PENDING and DISABLED templates with HTTP 400 code 100", async () => {
    const id = await createTemplate("order_shipped");
    const pending = await edit(id, bodyText("Hello {{1}}, order {{2}} left."));
    expect(pending.status).toBe(400);
    expect(pending.json).toEqual(
      invalidParameter("Only APPROVED, REJECTED or PAUSED message templates can be edited; this one is PENDING."),
    );

    const template = h.sim.state.templates.get(id);
    if (!template) throw new Error("template missing");
    template.status = "DISABLED";
    const disabled = await edit(id, bodyText("Hello {{1}}, order {{2}} left."));
    expect(disabled.status).toBe(400);
    expect(disabled.json).toEqual(
      invalidParameter("Only APPROVED, REJECTED or PAUSED message templates can be edited; this one is DISABLED."),
    );
    expect(template.components).toEqual([BODY]);
  });

  it("refuses to change the category of an approved template, but takes the same category", async () => {
    const id = await createReviewed("order_shipped");
    const changed = await edit(id, { category: "MARKETING" });
    expect(changed.status).toBe(400);
    expect(changed.json).toEqual(invalidParameter("The category of an approved message template can't be changed."));
    expect((await h.graph("GET", `/v25.0/${id}?fields=status,category`)).json).toEqual({ status: "APPROVED", category: "UTILITY", id });

    expect((await edit(id, { category: "utility", ...bodyText("Hello {{1}}, order {{2}} left.") })).json).toEqual({ success: true });
  });

  it("validates the edit like a creation", async () => {
    const id = await createReviewed("order_shipped");
    expect((await edit(id, {})).json).toEqual(
      invalidParameter("The parameter category, components or message_send_ttl_seconds is required."),
    );
    expect((await edit(id, { components: [{ type: "FOOTER", text: "only a footer" }] })).json).toEqual(
      invalidParameter("The parameter components must contain a BODY component."),
    );
    expect((await edit(id, { components: [] })).json).toEqual(
      graphPlatformErrorBody({ message: "(#100) Param components must be non-empty.", code: 100 }),
    );
    expect((await edit(id, { category: "PROMO" })).json).toEqual(
      graphPlatformErrorBody({
        message: '(#100) Param category must be one of {AUTHENTICATION, MARKETING, UTILITY} - got "PROMO".',
        code: 100,
      }),
    );
    // Refused edits spend nothing: the one edit of the day is still available.
    expect((await edit(id, bodyText("Hello {{1}}, order {{2}} left."))).json).toEqual({ success: true });
    expect((await h.graph("POST", "/v25.0/424242", bodyText("x {{1}} y"))).json).toEqual(
      graphPlatformErrorBody({
        message:
          "Unsupported post request. Object with ID '424242' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        code: 100,
        subcode: 33,
        type: "GraphMethodException",
      }),
    );
  });

  it("sets the delivery TTL of utility templates without a new review", async () => {
    const id = await createReviewed("order_shipped");
    expect((await edit(id, { message_send_ttl_seconds: 600 })).json).toEqual({ success: true });
    expect((await h.graph("GET", `/v25.0/${id}?fields=status,message_send_ttl_seconds`)).json).toEqual({
      status: "APPROVED",
      message_send_ttl_seconds: 600,
      id,
    });
    h.sim.advanceTime(REVIEW_MS);
    await h.sim.flushWebhooks();
    expect(h.receiver.received).toHaveLength(0);
    // It was an edit of an approved template all the same.
    expect((await edit(id, { message_send_ttl_seconds: 900 })).json).toEqual(
      invalidParameter("An approved message template can be edited once in 24 hours."),
    );

    const marketing = await createReviewed("spring_sale", { category: "MARKETING", body: "Hi {{1}}, {{2}} is on sale." });
    expect((await edit(marketing, { message_send_ttl_seconds: 600 })).json).toEqual(
      invalidParameter("Param message_send_ttl_seconds can only be set on AUTHENTICATION and UTILITY templates."),
    );
  });
});

describe("edit limits of an approved template", () => {
  it("allows one edit per rolling 24 hours", async () => {
    const id = await createReviewed("order_shipped");
    expect((await edit(id, bodyText("Edit one {{1}}, order {{2}}."))).status).toBe(200);
    h.sim.advanceTime(REVIEW_MS);
    expect(await statusOf(id)).toBe("APPROVED");

    const second = await edit(id, bodyText("Edit two {{1}}, order {{2}}."));
    expect(second.status).toBe(400);
    expect(second.json).toEqual(invalidParameter("An approved message template can be edited once in 24 hours."));

    h.sim.advanceTime(DAY_MS - REVIEW_MS - 1);
    expect((await edit(id, bodyText("Edit two {{1}}, order {{2}}."))).status).toBe(400);
    h.sim.advanceTime(1);
    expect((await edit(id, bodyText("Edit two {{1}}, order {{2}}."))).json).toEqual({ success: true });
  });

  it("allows ten edits per rolling 30 days", async () => {
    const id = await createReviewed("order_shipped");
    const firstEditAt = h.sim.clock.now();
    for (let n = 1; n <= 10; n += 1) {
      expect((await edit(id, bodyText(`Edit ${n} {{1}}, order {{2}}.`))).json).toEqual({ success: true });
      h.sim.advanceTime(DAY_MS);
      expect(await statusOf(id)).toBe("APPROVED");
    }

    const eleventh = await edit(id, bodyText("Edit 11 {{1}}, order {{2}}."));
    expect(eleventh.status).toBe(400);
    expect(eleventh.json).toEqual(invalidParameter("An approved message template can be edited at most 10 times in 30 days."));

    // The first edit leaves the window exactly 30 days after it was made.
    h.sim.advanceTime(firstEditAt + 30 * DAY_MS - 1 - h.sim.clock.now());
    expect((await edit(id, bodyText("Edit 11 {{1}}, order {{2}}."))).status).toBe(400);
    h.sim.advanceTime(1);
    expect((await edit(id, bodyText("Edit 11 {{1}}, order {{2}}."))).json).toEqual({ success: true });
    h.sim.advanceTime(REVIEW_MS);
    await h.sim.flushWebhooks();
    expect(changesOf(h.receiver.received).filter((c) => c.value.event === "APPROVED")).toHaveLength(11);
  });
});
