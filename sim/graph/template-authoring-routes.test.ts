import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { changesOf, startHarness } from "../test-support.ts";
import type { Harness } from "../test-support.ts";

// What Parley's template authoring uses of the simulator, over HTTP against the real server: the
// Resumable Upload API (messaging-and-integrations.md §1.8) that gives a media header's example
// handle, the message TTL at creation and edit (§1.4), and the control routes that decide a review
// and send quality, pause and category webhooks (§1.5–§1.7). On a manual clock: reviews finish 60
// seconds after a creation.

const REVIEW_MS = 60_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock: { manualStartMs: Date.UTC(2026, 4, 1) }, templateReviewDelayMs: REVIEW_MS });
});
afterAll(async () => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.received.length = 0;
});

const appId = () => h.sim.credentials().appId;

async function raw(method: string, path: string, init: { headers?: Record<string, string>; body?: Buffer | string } = {}) {
  const response = await fetch(`${h.baseUrl}${path}`, { method, headers: init.headers ?? {}, body: init.body });
  const text = await response.text();
  return { status: response.status, json: (text.startsWith("{") ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function startSession(query: string, token = h.token) {
  return raw("POST", `/v25.0/${appId()}/uploads?${query}`, { headers: { authorization: `OAuth ${token}` } });
}

function sendBytes(session: string, offset: number, bytes: Buffer) {
  return raw("POST", `/v25.0/${session}`, {
    headers: { authorization: `OAuth ${h.token}`, file_offset: String(offset), "content-type": "application/octet-stream" },
    body: bytes,
  });
}

async function control(method: string, path: string, body?: unknown) {
  return raw(
    method,
    `/_sim${path}`,
    body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
}

function createTemplate(name: string, extra: Record<string, unknown> = {}) {
  return h.graph("POST", `/v25.0/${h.sim.state.wabaId}/message_templates`, {
    name,
    language: "en_US",
    category: "UTILITY",
    components: [{ type: "BODY", text: "Your order {{1}} shipped.", example: { body_text: [["860198"]] } }],
    ...extra,
  });
}

async function review(): Promise<void> {
  h.sim.advanceTime(REVIEW_MS);
  await h.sim.flushWebhooks();
}

describe("the Resumable Upload API", () => {
  it("opens a session, takes the bytes in pieces, says where an interrupted upload stands, and answers the handle", async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6]);
    const started = await startSession(`file_name=receipt.jpg&file_length=${bytes.length}&file_type=image/jpeg`);
    expect(started.status).toBe(200);
    const session = String(started.json.id);
    expect(session).toMatch(/^upload:[0-9a-f]+$/);

    expect(await sendBytes(session, 0, bytes.subarray(0, 4))).toEqual({ status: 200, json: { id: session, file_offset: "4" } });
    // Resuming: GET says how far it got; a piece at another offset is refused.
    expect(await raw("GET", `/v25.0/${session}`, { headers: { authorization: `OAuth ${h.token}` } })).toEqual({
      status: 200,
      json: { id: session, file_offset: "4" },
    });
    const wrongOffset = await sendBytes(session, 0, bytes.subarray(4));
    expect(wrongOffset.status).toBe(400);
    expect(JSON.stringify(wrongOffset.json)).toContain("file_offset must be 4");
    const overflow = await sendBytes(session, 4, Buffer.concat([bytes.subarray(4), Buffer.from([9])]));
    expect(overflow.status).toBe(400);

    const done = await sendBytes(session, 4, bytes.subarray(4));
    expect(done.status).toBe(200);
    const handle = String(done.json.h);
    expect(handle).toMatch(/^4::/);

    // The handle is what a media header's example takes; a Cloud API media id or a made-up one is refused.
    const header = (value: string, format = "IMAGE") => ({
      components: [
        { type: "HEADER", format, example: { header_handle: [value] } },
        { type: "BODY", text: "Your receipt." },
      ],
    });
    expect((await createTemplate("with_image", header(handle))).status).toBe(200);
    const forged = await createTemplate("forged_image", header("4::bm90LWEtaGFuZGxl"));
    expect(forged.status).toBe(400);
    expect(forged.text).toContain("Resumable Upload API");
    const wrongType = await createTemplate("video_header", header(handle, "VIDEO"));
    expect(wrongType.status).toBe(400);
    expect(JSON.stringify(wrongType.json)).toContain("VIDEO header can't be of type image");
  });

  it("refuses a session without its parameters, of a type Meta does not take, on an unknown app or without a token", async () => {
    const missing = await startSession("file_name=a.jpg&file_type=image/jpeg");
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.json)).toContain("file_length");
    const gif = await startSession("file_name=a.gif&file_length=10&file_type=image/gif");
    expect(gif.status).toBe(400);
    expect(JSON.stringify(gif.json)).toContain("file_type must be one of");
    const tooLong = await startSession(`file_name=a.mp4&file_length=${100 * 1024 * 1024 + 1}&file_type=video/mp4`);
    expect(tooLong.status).toBe(400);
    const unknownApp = await raw("POST", `/v25.0/999999/uploads?file_name=a.jpg&file_length=1&file_type=image/jpeg`, {
      headers: { authorization: `OAuth ${h.token}` },
    });
    expect(unknownApp.status).toBe(400);
    const anonymous = await raw("POST", `/v25.0/${appId()}/uploads?file_name=a.jpg&file_length=1&file_type=image/jpeg`);
    expect(anonymous.status).not.toBe(200);
    const badToken = await startSession("file_name=a.jpg&file_length=1&file_type=image/jpeg", "EAAnot-a-token");
    expect(badToken.status).not.toBe(200);
    const unknownSession = await sendBytes("upload:0000", 0, Buffer.from([1]));
    expect(unknownSession.status).toBe(400);
  });
});

describe("message_send_ttl_seconds", () => {
  it("is taken at creation within each category's range (-1 for the default), and refused outside it naming the parameter", async () => {
    const utility = await createTemplate("ttl_utility", { message_send_ttl_seconds: 43_200 });
    expect(utility.status).toBe(200);
    const read = await h.graph("GET", `/v25.0/${String(utility.json.id)}?fields=message_send_ttl_seconds`);
    expect(read.json).toEqual({ message_send_ttl_seconds: 43_200, id: utility.json.id });
    expect((await createTemplate("ttl_default", { message_send_ttl_seconds: -1 })).status).toBe(200);

    for (const [ttl, category] of [
      [29, "UTILITY"],
      [43_201, "UTILITY"],
      [901, "AUTHENTICATION"],
    ] as const) {
      const refused = await createTemplate(`ttl_${ttl}`, {
        category,
        message_send_ttl_seconds: ttl,
        ...(category === "AUTHENTICATION"
          ? { components: [{ type: "BODY" }, { type: "BUTTONS", buttons: [{ type: "OTP", otp_type: "COPY_CODE" }] }] }
          : {}),
      });
      expect(refused.status, `${category} ${ttl}`).toBe(400);
      expect(refused.text).toContain("message_send_ttl_seconds must be between");
    }
    const marketing = await createTemplate("ttl_marketing", { category: "MARKETING", message_send_ttl_seconds: 86_400 });
    expect(marketing.status).toBe(400);
    expect(marketing.text).toContain("can only be set on AUTHENTICATION and UTILITY templates");
  });

  it("is refused by an edit outside the category's range", async () => {
    const created = await createTemplate("ttl_edit");
    await review();
    const refused = await h.graph("POST", `/v25.0/${String(created.json.id)}`, { message_send_ttl_seconds: 86_400 });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("between 30 and 43200 for UTILITY templates");
    expect((await h.graph("POST", `/v25.0/${String(created.json.id)}`, { message_send_ttl_seconds: 3_600 })).json).toEqual({
      success: true,
    });
  });
});

describe("the control routes of template review, quality and category", () => {
  it("decides a review: a rejection with its reason and rejection_info, or an approval in another category", async () => {
    expect(
      (
        await control("PUT", "/templates/promo_rejected/review", {
          event: "REJECTED",
          reason: "INVALID_FORMAT",
          rejectionInfo: { reason: "Parameters are not clear.", recommendation: "Add context around parameters." },
        })
      ).status,
    ).toBe(200);
    expect(
      (await control("PUT", "/templates/recategorized/review", { event: "APPROVED", reason: "NONE", category: "MARKETING" })).status,
    ).toBe(200);
    const rejected = await createTemplate("promo_rejected");
    const recategorized = await createTemplate("recategorized");
    await review();
    const updates = changesOf(h.receiver.received).filter((change) => change.field === "message_template_status_update");
    expect(updates.find((change) => change.value.message_template_id === Number(rejected.json.id))?.value).toMatchObject({
      event: "REJECTED",
      reason: "INVALID_FORMAT",
      rejection_info: { reason: "Parameters are not clear.", recommendation: "Add context around parameters." },
    });
    expect(updates.find((change) => change.value.message_template_id === Number(recategorized.json.id))?.value).toMatchObject({
      event: "APPROVED",
    });
    expect((await h.graph("GET", `/v25.0/${String(recategorized.json.id)}?fields=category`)).json.category).toBe("MARKETING");

    const invalid = await control("PUT", "/templates/x/review", { event: "MAYBE", reason: "NONE" });
    expect(invalid.status).toBe(400);
  });

  it("sends a quality update, pauses an approved template at RED, and announces or applies a category change", async () => {
    const created = await createTemplate("quality_watch");
    await review();
    const id = String(created.json.id);
    h.receiver.received.length = 0;

    expect((await control("PUT", `/templates/${id}/quality`, { score: "RED" })).status).toBe(200);
    await h.sim.flushWebhooks();
    const changes = changesOf(h.receiver.received);
    expect(changes.find((change) => change.field === "message_template_quality_update")?.value).toMatchObject({
      previous_quality_score: "UNKNOWN",
      new_quality_score: "RED",
      message_template_id: Number(id),
    });
    expect(changes.find((change) => change.field === "message_template_status_update")?.value).toMatchObject({
      event: "PAUSED",
      other_info: { title: "FIRST_PAUSE" },
    });
    expect((await h.graph("GET", `/v25.0/${id}?fields=status`)).json.status).toBe("PAUSED");

    h.receiver.received.length = 0;
    const effectiveAt = new Date(Date.UTC(2026, 5, 1)).toISOString();
    expect((await control("PUT", `/templates/${id}/category`, { category: "MARKETING", effectiveAt })).status).toBe(200);
    expect((await control("PUT", `/templates/${id}/category`, { category: "MARKETING" })).status).toBe(200);
    await h.sim.flushWebhooks();
    expect(changesOf(h.receiver.received).map((change) => change.value)).toEqual([
      expect.objectContaining({
        new_category: "UTILITY",
        correct_category: "MARKETING",
        category_update_timestamp: Date.parse(effectiveAt) / 1000,
      }),
      expect.objectContaining({ previous_category: "UTILITY", new_category: "MARKETING" }),
    ]);

    const unknown = await control("PUT", "/templates/123/quality", { score: "GREEN" });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.json)).toContain("unknown template id");
  });
});
