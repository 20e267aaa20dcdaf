import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeWireJson, signWebhookBody } from "../../sim/index.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { graphClientFor } from "../../src/features/numbers/service.ts";
import { syncTemplates } from "../../src/features/templates/sync.ts";
import { startChannelHarness, type ChannelHarness } from "./support.ts";

// Template status from Meta: a template created on the simulator is reviewed, the simulator posts a
// signed message_template_status_update to Parley, and the worker applies it — monotonically by the
// report's time, so late or duplicated webhooks never move a template backwards.

let h: ChannelHarness;

beforeAll(async () => {
  h = await startChannelHarness({ simulator: { templateReviewDelayMs: 20 } });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function createTemplate(name: string, body = "Hi {{1}}, your order {{2}} shipped."): Promise<string> {
  const answer = (await graphClientFor(h.services).request({
    method: "POST",
    path: `/${h.number.wabaId}/message_templates`,
    token: h.sim.credentials().accessToken,
    body: { name, language: "en_US", category: "UTILITY", components: [{ type: "BODY", text: body }] },
  })) as { id: string; status: string };
  expect(answer.status).toBe("PENDING");
  return answer.id;
}

async function template(name: string, language = "en_US") {
  return withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx.selectFrom("templates").selectAll().where("name", "=", name).where("language", "=", language).executeTakeFirst(),
  );
}

/** Waits for the simulator's review, then delivers its webhooks and lets the worker apply them. */
async function deliverReview(): Promise<void> {
  await delay(60);
  await h.sim.flushWebhooks();
  await h.waitForJobs();
}

async function postStatus(value: Record<string, unknown>, time: number, wabaId = h.number.wabaId): Promise<void> {
  const body = serializeWireJson({
    entry: [{ id: wabaId, time, changes: [{ value, field: "message_template_status_update" }] }],
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

describe("template status updates", () => {
  it("a template created on the simulator and approved becomes APPROVED in Parley", async () => {
    const id = await createTemplate("order_shipped");
    await deliverReview();
    const row = await template("order_shipped");
    expect(row).toMatchObject({
      waba_id: h.number.wabaId,
      number_id: h.number.id,
      status: "APPROVED",
      reason: "NONE",
      category: "UTILITY",
      meta_template_id: id,
    });
  });

  it("a stale PENDING arriving after APPROVED does not regress it; a newer update and unknown events apply as sent", async () => {
    const before = (await template("order_shipped"))!;
    const at = Math.floor(before.status_at.getTime() / 1000);
    const base = {
      message_template_id: Number(before.meta_template_id),
      message_template_name: "order_shipped",
      message_template_language: "en_US",
    };
    await postStatus({ ...base, event: "PENDING", reason: null }, at - 60);
    expect(await template("order_shipped")).toMatchObject({ status: "APPROVED", reason: "NONE" });
    // The same second: a PENDING never replaces a decision.
    await postStatus({ ...base, event: "PENDING", reason: null }, at);
    expect((await template("order_shipped"))!.status).toBe("APPROVED");

    await postStatus(
      { ...base, event: "PAUSED", reason: "NONE", other_info: { title: "FIRST_PAUSE", description: "low quality" } },
      at + 60,
    );
    expect((await template("order_shipped"))!.status).toBe("PAUSED");
    await postStatus({ ...base, event: "QUANTUM_REVIEW", reason: "SOMETHING_NEW" }, at + 120);
    expect(await template("order_shipped")).toMatchObject({ status: "QUANTUM_REVIEW", reason: "SOMETHING_NEW" });
    // Delivered again later (a retry): still the newest report wins.
    await postStatus({ ...base, event: "PAUSED", reason: "NONE" }, at + 60);
    expect((await template("order_shipped"))!.status).toBe("QUANTUM_REVIEW");
  });

  it("records a rejection with its reason", async () => {
    await createTemplate("bad_params", "Hi {{1}}{{2}} there");
    await deliverReview();
    expect(await template("bad_params")).toMatchObject({ status: "REJECTED", reason: "INVALID_FORMAT" });
  });

  it("ignores reports for a WABA none of the workspace's numbers belongs to, and malformed reports", async () => {
    await postStatus(
      { event: "APPROVED", message_template_id: 5, message_template_name: "foreign", message_template_language: "en", reason: "NONE" },
      1_751_247_548,
      "999999999",
    );
    await postStatus({ event: "APPROVED", message_template_name: "" }, 1_751_247_548);
    const rows = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) => trx.selectFrom("templates").select("name").execute());
    expect(rows.map((row) => row.name).sort()).toEqual(["bad_params", "order_shipped"]);
  });

  it("syncTemplates lists the WABA's templates from Graph and upserts them", async () => {
    h.sim.setTemplateReviewOutcome("synced_only", { event: "APPROVED", reason: "NONE" });
    await createTemplate("synced_only");
    await delay(60);
    // The review's webhook is not delivered: the sync alone brings the template in.
    const result = await syncTemplates(h.services, h.workspaceId, h.number.id);
    expect(result.listed).toBe(3);
    expect(await template("synced_only")).toMatchObject({ status: "APPROVED", category: "UTILITY", number_id: h.number.id });
    expect(await template("bad_params")).toMatchObject({ status: "REJECTED" });
    // The late webhook (older than the sync) changes nothing.
    await h.sim.flushWebhooks();
    await h.waitForJobs();
    expect((await template("synced_only"))!.status).toBe("APPROVED");
  });
});
