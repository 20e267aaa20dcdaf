import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { changesOf, startHarness } from "../test-support.ts";
import type { Harness } from "../test-support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock: { manualStartMs: Date.UTC(2026, 4, 1) }, templateReviewDelayMs: 60_000 });
});
afterAll(async () => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.received.length = 0;
});

function create(name: string, body: string, language = "en_US") {
  return h.graph("POST", `/v25.0/${h.sim.state.wabaId}/message_templates`, {
    name,
    language,
    category: "utility",
    components: [
      { type: "BODY", text: body, example: { body_text: [["Pablo", "860198"]] } },
      { type: "FOOTER", text: "Lucky Shrub" },
    ],
  });
}

describe("templates", () => {
  it("reviews PENDING → APPROVED after the delay and announces it with a message_template_status_update webhook", async () => {
    const created = await create("order_confirmation", "Hi {{1}}! Your order {{2}} shipped.");
    expect(created).toMatchObject({
      status: 200,
      json: { id: expect.stringMatching(/^\d+$/) as unknown, status: "PENDING", category: "UTILITY" },
    });
    const id = String(created.json.id);
    expect((await h.graph("GET", `/v25.0/${id}?fields=status`)).json).toEqual({ status: "PENDING", id });

    h.sim.advanceTime(59_999);
    await h.sim.flushWebhooks();
    expect(h.receiver.received).toHaveLength(0);
    h.sim.advanceTime(1);
    await h.sim.flushWebhooks();
    const [webhook] = h.receiver.received;
    expect(webhook?.raw.toString().startsWith('{"entry":[{"id":"')).toBe(true);
    expect(webhook?.json.entry[0]?.time).toEqual(expect.any(Number));
    expect(changesOf(h.receiver.received)).toEqual([
      {
        value: {
          event: "APPROVED",
          message_template_id: Number(id),
          message_template_name: "order_confirmation",
          message_template_language: "en_US",
          reason: "NONE",
          message_template_category: "UTILITY",
        },
        field: "message_template_status_update",
      },
    ]);
    expect((await h.graph("GET", `/v25.0/${id}?fields=status`)).json).toEqual({ status: "APPROVED", id });
  });

  it("rejects malformed templates with a reason and rejection_info", async () => {
    await create("abandoned_cart", "Hello {{1}}{{2}} there");
    h.sim.advanceTime(60_000);
    await h.sim.flushWebhooks();
    expect(changesOf(h.receiver.received)[0]?.value).toMatchObject({
      event: "REJECTED",
      reason: "INVALID_FORMAT",
      rejection_info: { reason: expect.stringContaining("next to each other") as unknown },
    });
  });

  it("can be forced to an outcome through the control API", async () => {
    h.sim.setTemplateReviewOutcome("promo_blast", { event: "REJECTED", reason: "PROMOTIONAL" });
    await create("promo_blast", "Big sale {{1}} today");
    h.sim.advanceTime(60_000);
    await h.sim.flushWebhooks();
    expect(changesOf(h.receiver.received)[0]?.value).toMatchObject({ event: "REJECTED", reason: "PROMOTIONAL" });
  });

  it("lists with filters and paging, validates names, and deletes by name or hsm_id", async () => {
    await create("welcome", "Welcome {{1}} aboard", "en_US");
    const es = await create("welcome", "Bienvenido {{1}} a bordo", "es");
    await create("goodbye", "Bye {{1}} now");
    const duplicate = await create("welcome", "again {{1}} x", "es");
    expect(duplicate.json.error).toMatchObject({ code: 100, error_subcode: 2388024 });
    const badName = await create("Bad Name", "x {{1}} y");
    expect(badName.json.error).toMatchObject({ code: 100 });

    const page1 = await h.graph("GET", `/v25.0/${h.sim.state.wabaId}/message_templates?limit=2&fields=name,status`);
    expect(page1.json.data).toEqual([
      { name: "welcome", status: "PENDING", id: expect.any(String) as unknown },
      { name: "welcome", status: "PENDING", id: expect.any(String) as unknown },
    ]);
    const paging = page1.json.paging as { cursors: { after: string }; next: string };
    expect(paging.next).toContain("after=");
    const page2 = await h.graph("GET", `/v25.0/${h.sim.state.wabaId}/message_templates?limit=2&after=${paging.cursors.after}`);
    expect((page2.json.data as { name: string }[]).map((t) => t.name)).toEqual(["goodbye"]);

    h.sim.advanceTime(60_000);
    const approved = await h.graph("GET", `/v25.0/${h.sim.state.wabaId}/message_templates?status=APPROVED`);
    expect((approved.json.data as unknown[]).length).toBe(3);

    expect(
      (await h.graph("DELETE", `/v25.0/${h.sim.state.wabaId}/message_templates?name=welcome&hsm_id=${String(es.json.id)}`)).json,
    ).toEqual({ success: true });
    expect((await h.graph("GET", `/v25.0/${h.sim.state.wabaId}/message_templates?name=welcome`)).json.data).toHaveLength(1);
    await h.graph("DELETE", `/v25.0/${h.sim.state.wabaId}/message_templates?name=welcome`);
    expect((await h.graph("GET", `/v25.0/${h.sim.state.wabaId}/message_templates?name=welcome`)).json.data).toHaveLength(0);
    expect((await h.graph("GET", `/v25.0/999/message_templates`)).json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});
