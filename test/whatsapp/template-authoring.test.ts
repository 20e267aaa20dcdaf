import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { startViewHarness, type ViewHarness } from "./conversation-support.ts";

// Template authoring end to end: the API checks Meta's limits, submits through Graph to the real
// simulator (Resumable Upload handle included), stores the content encrypted, audits ids and names
// only, and applies the simulator's review, quality, pause and category webhooks.

let h: ViewHarness;
let base: string;

beforeAll(async () => {
  h = await startViewHarness();
  base = `/api/v1/workspaces/${h.workspaceId}/templates`;
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const BODY_SECRET = "Hi {{1}}, your parcel CANARY-BODY-7731 ships on {{2}}.";

function submission(name: string, extra: Record<string, unknown> = {}) {
  return {
    numberId: h.number.id,
    name,
    language: "en_US",
    category: "UTILITY",
    components: {
      header: { format: "TEXT", text: "Order {{1}}", examples: ["#12"] },
      body: { text: BODY_SECRET, examples: ["Ana", "Monday"] },
      footer: { text: "Lucky Shrub" },
      buttons: [
        { type: "QUICK_REPLY", text: "Stop updates", url: null },
        { type: "URL", text: "Track", url: "https://example.com/t/{{1}}", example: "abc" },
        { type: "PHONE_NUMBER", text: "Call us", url: null, phoneNumber: "+14155550100" },
      ],
    },
    ...extra,
  };
}

/** Lets the simulator's review (1 s by default) and scheduled webhooks run, then delivers and applies them. */
async function settle(ms = 1_200): Promise<void> {
  await delay(ms);
  await h.sim.flushWebhooks();
  await h.waitForJobs();
}

const errorOf = (json: Record<string, unknown>) => json.error as { message: string; details: Record<string, unknown> };

async function find(id: string) {
  const listed = await h.request("owner", "GET", `${base}?status=ALL`);
  return (listed.json.data as Array<Record<string, unknown>>).find((template) => template.id === id)!;
}

describe("template authoring", () => {
  it("refuses a template breaking Meta's limits, naming the field in words, before anything reaches WhatsApp", async () => {
    const bad = submission("too_long", {
      components: {
        header: null,
        body: { text: "x".repeat(1025) },
        footer: null,
        buttons: [{ type: "URL", text: "Go", url: "https://e.com/{{1}}" }],
      },
    });
    const answer = await h.request("owner", "POST", base, { body: bad });
    expect(answer.status).toBe(422);
    const problems = (errorOf(answer.json).details as unknown as { problems: Array<{ field: string; message: string }> }).problems;
    expect(problems.map((problem) => problem.message)).toEqual([
      "Body: at most 1,024 characters",
      "Button 1 (URL): the example is required for a dynamic URL",
    ]);
    expect([...h.sim.state.templates.values()].some((template) => template.name === "too_long")).toBe(false);
  });

  it("submits through Graph, stores the content encrypted, audits without it, and applies the review", async () => {
    const created = await h.request("owner", "POST", base, { body: submission("order_update") });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "order_update", status: "PENDING", category: "UTILITY" });
    const id = created.json.id as string;
    const remote = h.sim.state.templates.get(created.json.metaTemplateId as string)!;
    expect(remote.components).toContainEqual({
      type: "BODY",
      text: BODY_SECRET,
      example: { body_text: [["Ana", "Monday"]] },
    });

    const raw = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("templates").select(["components_ciphertext"]).where("id", "=", id).executeTakeFirstOrThrow(),
    );
    expect(raw.components_ciphertext).not.toContain("CANARY-BODY");
    expect(JSON.stringify(created.json.components)).toContain("CANARY-BODY");

    const audit = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("audit_entries").selectAll().where("action", "=", "templates.created").where("target_id", "=", id).execute(),
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain("CANARY-BODY");

    await settle();
    expect(await find(id)).toMatchObject({ status: "APPROVED" });
  });

  it("shows a rejection with its rejection_info, set through the simulator's control API", async () => {
    h.sim.setTemplateReviewOutcome("promo_rejected", {
      event: "REJECTED",
      reason: "INVALID_FORMAT",
      rejectionInfo: { reason: "Parameters are not clear.", recommendation: "Add context around parameters." },
    });
    const created = await h.request("owner", "POST", base, { body: submission("promo_rejected") });
    await settle();
    expect(await find(created.json.id as string)).toMatchObject({
      status: "REJECTED",
      reason: "INVALID_FORMAT",
      rejectionInfo: { reason: "Parameters are not clear.", recommendation: "Add context around parameters." },
    });
  });

  it("applies quality, pause and category webhooks", async () => {
    const created = await h.request("owner", "POST", base, { body: submission("quality_watch") });
    await settle();
    const metaId = created.json.metaTemplateId as string;
    // Reports are ordered by their second (entry.time): the pause comes a second after the approval.
    await delay(1_100);
    h.sim.setTemplateQuality(metaId, "RED");
    await settle(50);
    expect(await find(created.json.id as string)).toMatchObject({
      status: "PAUSED",
      qualityScore: "RED",
      statusInfo: { title: "FIRST_PAUSE" },
    });
    h.sim.changeTemplateCategory(metaId, "MARKETING");
    await settle(50);
    expect(await find(created.json.id as string)).toMatchObject({
      category: "MARKETING",
      categoryChange: { previousCategory: "UTILITY", newCategory: "MARKETING" },
    });
  });

  it("edits within Meta's rules: category locked once approved, one approved edit in 24 hours", async () => {
    const created = await h.request("owner", "POST", base, { body: submission("edit_me") });
    const id = created.json.id as string;
    const pending = await h.request("owner", "PATCH", `${base}/${id}`, { body: { category: "MARKETING" } });
    expect(pending.status).toBe(422);
    expect(errorOf(pending.json).message).toContain("this one is pending");
    await settle();
    const locked = await h.request("owner", "PATCH", `${base}/${id}`, { body: { category: "MARKETING" } });
    expect(locked.status).toBe(422);
    expect(errorOf(locked.json).message).toBe("Category: an approved template's category cannot be changed.");
    const components = { ...submission("x").components, footer: { text: "New footer" } };
    const edited = await h.request("owner", "PATCH", `${base}/${id}`, { body: { components } });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ status: "PENDING", approvedEdits: { last24Hours: 1, last30Days: 1 } });
    await settle();
    const again = await h.request("owner", "PATCH", `${base}/${id}`, { body: { components } });
    expect(again.status).toBe(422);
    expect(errorOf(again.json).message).toContain("once in 24 hours");
  });

  it("edits an approved template at most 10 times in 30 days, refusing the 11th before anything reaches WhatsApp", async () => {
    const created = await h.request("owner", "POST", base, { body: submission("edited_often") });
    const id = created.json.id as string;
    await settle();
    const metaId = created.json.metaTemplateId as string;
    const day = 24 * 60 * 60_000;
    // Ten edits in the last 30 days, none in the last 24 hours (seeded: the clock cannot be moved here).
    const tenEdits = Array.from({ length: 10 }, (_, n) => new Date(Date.now() - (n + 2) * day).toISOString());
    const setEdits = (times: string[]) =>
      withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        trx.updateTable("templates").set({ approved_edits: times }).where("id", "=", id).execute(),
      );
    await setEdits(tenEdits);
    expect((await find(id)).approvedEdits).toEqual({ last24Hours: 0, last30Days: 10 });
    const components = { ...submission("x").components, footer: { text: "Edited footer" } };
    const refused = await h.request("owner", "PATCH", `${base}/${id}`, { body: { components } });
    expect(refused.status).toBe(422);
    expect(errorOf(refused.json)).toMatchObject({
      message: "An approved template can be edited at most 10 times in 30 days.",
      details: { reason: "template_edit_limit", window: "30d" },
    });
    expect(JSON.stringify(h.sim.state.templates.get(metaId)!.components)).not.toContain("Edited footer");

    // Once the oldest of them is more than 30 days old, the edit goes through.
    await setEdits([new Date(Date.now() - 31 * day).toISOString(), ...tenEdits.slice(0, 9)]);
    expect((await find(id)).approvedEdits).toEqual({ last24Hours: 0, last30Days: 9 });
    const edited = await h.request("owner", "PATCH", `${base}/${id}`, { body: { components } });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json).toMatchObject({ status: "PENDING", approvedEdits: { last24Hours: 1, last30Days: 10 } });
    expect(JSON.stringify(h.sim.state.templates.get(metaId)!.components)).toContain("Edited footer");
  });

  it("sets the message TTL at creation and by an edit within the category's range, naming the field when it is not", async () => {
    const tooLong = await h.request("owner", "POST", base, { body: submission("ttl_too_long", { messageSendTtlSeconds: 86_400 }) });
    expect(tooLong.status).toBe(422);
    expect(errorOf(tooLong.json).message).toBe(
      "Message TTL (message_send_ttl_seconds): for utility templates 30 to 43,200 seconds, or -1 for 30 days",
    );
    expect(errorOf(tooLong.json).details).toMatchObject({ problems: [{ field: "messageSendTtlSeconds" }] });
    const marketing = await h.request("owner", "POST", base, {
      body: submission("ttl_marketing", { category: "MARKETING", messageSendTtlSeconds: 86_400 }),
    });
    expect(marketing.status).toBe(422);
    expect(errorOf(marketing.json).message).toContain("Marketing Messages API");
    const notInteger = await h.request("owner", "POST", base, { body: submission("ttl_fraction", { messageSendTtlSeconds: 60.5 }) });
    expect(notInteger.status).toBe(400);
    const names = [...h.sim.state.templates.values()].map((template) => template.name);
    expect(names).not.toContain("ttl_too_long");
    expect(names).not.toContain("ttl_marketing");

    const created = await h.request("owner", "POST", base, { body: submission("ttl_set", { messageSendTtlSeconds: 3_600 }) });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    // Kept with the template and shown by the API (the dashboard says it in words).
    expect(created.json.messageSendTtlSeconds).toBe(3_600);
    const remote = h.sim.state.templates.get(created.json.metaTemplateId as string)!;
    expect(remote.messageSendTtlSeconds).toBe(3_600);
    await settle();

    // A TTL-only edit reaches Graph without components and keeps the template approved.
    const edited = await h.request("owner", "PATCH", `${base}/${created.json.id as string}`, { body: { messageSendTtlSeconds: -1 } });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json).toMatchObject({ status: "APPROVED", approvedEdits: { last24Hours: 1 }, messageSendTtlSeconds: -1 });
    expect(remote.messageSendTtlSeconds).toBe(-1);
    expect(remote.status).toBe("APPROVED");

    // A sync reads the TTL back from Graph: the default (-1 there) and a value set at Meta.
    remote.messageSendTtlSeconds = 900;
    const synced = await h.request("owner", "POST", `${base}/sync`, { body: { numberId: h.number.id } });
    expect(synced.status, JSON.stringify(synced.json)).toBe(200);
    const read = await h.request("owner", "GET", `${base}?status=ALL&name=ttl_set`);
    expect(read.json.data).toMatchObject([{ id: created.json.id, messageSendTtlSeconds: 900 }]);
  });

  it("adds a language, duplicates, and deletes one language or all", async () => {
    const created = await h.request("owner", "POST", base, { body: submission("multi_lang") });
    const id = created.json.id as string;
    const arabic = await h.request("owner", "POST", `${base}/${id}/languages`, {
      body: {
        language: "ar",
        components: { header: null, body: { text: "مرحبا {{1}}، طلبك جاهز.", examples: ["علي"] }, footer: null, buttons: [] },
      },
    });
    expect(arabic.status).toBe(201);
    expect(arabic.json).toMatchObject({ name: "multi_lang", language: "ar" });
    const copy = await h.request("owner", "POST", `${base}/${id}/duplicate`, { body: { name: "multi_lang_copy" } });
    expect(copy.status).toBe(201);
    expect(copy.json).toMatchObject({ name: "multi_lang_copy", language: "en_US" });

    const one = await h.request("owner", "DELETE", `${base}/${arabic.json.id as string}?scope=language`);
    expect(one.json).toEqual({ deleted: 1 });
    const all = await h.request("owner", "DELETE", `${base}/${id}?scope=all`);
    expect(all.json).toEqual({ deleted: 1 });
    const names = [...h.sim.state.templates.values()].map((template) => template.name);
    expect(names).not.toContain("multi_lang");
    expect(names).toContain("multi_lang_copy");
  });

  it("uploads a media header's example through the Resumable Upload API and submits with its handle", async () => {
    const uploaded = await h.request("owner", "POST", `${base}/examples?numberId=${h.number.id}`, {
      raw: { bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), contentType: "image/jpeg" },
    });
    expect(uploaded.status).toBe(201);
    const handle = uploaded.json.handle as string;
    expect(handle).toMatch(/^4::/);
    const created = await h.request("owner", "POST", base, {
      body: submission("with_image", {
        components: { header: { format: "IMAGE", text: null, handle }, body: { text: "Your receipt." }, footer: null, buttons: [] },
      }),
    });
    expect(created.status).toBe(201);
    const forged = await h.request("owner", "POST", base, {
      body: submission("forged_image", {
        components: {
          header: { format: "IMAGE", text: null, handle: "4::not-from-upload" },
          body: { text: "Your receipt." },
          footer: null,
          buttons: [],
        },
      }),
    });
    expect(forged.status).toBe(422);
    expect(errorOf(forged.json).message).toContain("Resumable Upload API");
  });

  it("lets only templates.manage author: an Agent gets 403 on every authoring route", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    for (const [method, path] of [
      ["POST", base],
      ["PATCH", `${base}/${id}`],
      ["DELETE", `${base}/${id}`],
      ["POST", `${base}/${id}/duplicate`],
      ["POST", `${base}/${id}/languages`],
    ] as const) {
      const answer = await h.request("agent-a", method, path, { body: {} });
      expect(answer.status, `${method} ${path}`).toBe(403);
    }
  });
});
