import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhookBody } from "../../sim/index.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { refreshAllNumbersHealth } from "../../src/features/numbers/health.ts";
import {
  dropPreviousAccessTokens,
  findPreviousAccessToken,
  loadNumberCredentials,
  updateNumberHealth,
  type NumberCredentials,
} from "../../src/features/numbers/repository.ts";
import { updateNumberToken } from "../../src/features/numbers/service.ts";
import { createGraphClient } from "../../src/whatsapp/graph-client.ts";
import { startChannelHarness, type ChannelHarness } from "./support.ts";

// Number management against the simulator over HTTP: health read from Graph and from webhooks,
// the two-step PIN (never stored or logged), register, the business profile, disconnect and
// reconnect, token rotation with overlap, and Embedded Signup end to end.

let h: ChannelHarness;
let credentials: NumberCredentials;

beforeAll(async () => {
  h = await startChannelHarness();
  credentials = (await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    loadNumberCredentials(trx, h.services.keyring, h.workspaceId, h.number.id),
  ))!;
}, 60_000);
afterAll(async () => {
  await h.close();
});

type Answer = { status: number; text: string; json: Record<string, unknown> };

async function api(method: string, path: string, body?: unknown, as: "owner" | "agent" = "owner"): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer test-${as}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${h.baseUrl}/api/v1/workspaces/${h.workspaceId}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

function phone() {
  return h.sim.state.phoneNumbers.get(h.number.phoneNumberId)!;
}

async function postWebhook(changes: { field: string; value: unknown }[], url = h.webhookUrl): Promise<number> {
  const body = JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: credentials.wabaId, changes }] });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signWebhookBody(credentials.appSecret, body) },
    body,
  });
  await response.text();
  return response.status;
}

async function health(): Promise<Record<string, unknown>> {
  const list = await api("GET", "/numbers/health");
  expect(list.status).toBe(200);
  return (list.json.numbers as Record<string, unknown>[]).find((number) => number.id === h.number.id)!;
}

function reauthenticate(): void {
  (h.caller as { reauthenticatedAt?: Date | null }).reauthenticatedAt = new Date();
}

describe("number health", () => {
  it("is read from Graph (status, quality, limit, throughput, name status); NA becomes UNKNOWN; an Agent sees it", async () => {
    phone().qualityRating = "YELLOW";
    phone().messagingLimit = "TIER_10K";
    phone().nameStatus = "PENDING_REVIEW";
    const refreshed = await api("POST", `/numbers/${h.number.id}/health/refresh`, {});
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toMatchObject({
      qualityRating: "YELLOW",
      messagingLimit: "TIER_10K",
      metaStatus: "CONNECTED",
      throughputLevel: "STANDARD",
      nameStatus: "PENDING_REVIEW",
      healthError: null,
    });
    phone().qualityRating = "NA";
    const run = await refreshAllNumbersHealth(h.services);
    expect(run).toEqual({ numbers: 1, failed: 0 });
    const seenByAgent = await api("GET", "/numbers/health", undefined, "agent");
    expect(seenByAgent.status).toBe(200);
    expect(seenByAgent.json.numbers).toEqual([expect.objectContaining({ id: h.number.id, qualityRating: "UNKNOWN" })]);
    expect(seenByAgent.text).not.toContain(credentials.accessToken);
    // An Agent has no management controls.
    expect((await api("POST", `/numbers/${h.number.id}/health/refresh`, {}, "agent")).status).toBe(403);
    expect((await api("PUT", `/numbers/${h.number.id}/two-step-pin`, { pin: "123456" }, "agent")).status).toBe(403);
    expect((await api("POST", `/numbers/${h.number.id}/disconnect`, {}, "agent")).status).toBe(403);
  });

  it("is updated from the quality, capability and account webhooks, in Meta's several forms", async () => {
    expect(
      await postWebhook([
        {
          field: "phone_number_quality_update",
          value: {
            display_phone_number: "15550783881",
            event: "THROUGHPUT_UPGRADE",
            current_limit: "TIER_UNLIMITED",
            max_daily_conversations_per_business: "TIER_2K",
          },
        },
      ]),
    ).toBe(200);
    await h.waitForJobs();
    expect(await health()).toMatchObject({ messagingLimit: "TIER_2K", throughputLevel: "HIGH" });
    // The integer form, and an older tier name.
    expect(await postWebhook([{ field: "business_capability_update", value: { max_daily_conversations_per_business: 100000 } }])).toBe(200);
    await h.waitForJobs();
    expect(await health()).toMatchObject({ messagingLimit: "TIER_100K" });
    expect(await postWebhook([{ field: "phone_number_quality_update", value: { event: "DOWNGRADE", current_limit: "TIER_1K" } }])).toBe(
      200,
    );
    await h.waitForJobs();
    expect(await health()).toMatchObject({ messagingLimit: "TIER_2K" });
    // `field` inside `value`, as some of Meta's examples have it.
    expect(
      await postWebhook([
        {
          field: "account_update",
          value: { field: "account_update", value: { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "DISABLE" } } },
        },
      ]),
    ).toBe(200);
    await h.waitForJobs();
    expect(await health()).toMatchObject({ accountEvent: "DISABLED_UPDATE_DISABLE" });
  });

  it("updateNumberHealth stores only the known vocabulary (the database refuses the rest)", async () => {
    await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      updateNumberHealth(trx, h.workspaceId, h.number.id, { qualityRating: "GREEN", messagingLimit: null }),
    );
    expect(await health()).toMatchObject({ qualityRating: "GREEN", messagingLimit: null });
    await expect(
      withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        updateNumberHealth(trx, h.workspaceId, h.number.id, { qualityRating: "BLUE" as "GREEN" }),
      ),
    ).rejects.toThrow();
  });
});

describe("two-step PIN and registration", () => {
  it("sets the PIN with Meta after a re-authentication; never stored, logged or audited", async () => {
    const refused = await api("PUT", `/numbers/${h.number.id}/two-step-pin`, { pin: "482915" });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: { code: "REAUTHENTICATION_REQUIRED" } });
    reauthenticate();
    for (const pin of ["12345", "1234567", "12a456", ""])
      expect((await api("PUT", `/numbers/${h.number.id}/two-step-pin`, { pin })).status).toBe(400);
    const set = await api("PUT", `/numbers/${h.number.id}/two-step-pin`, { pin: "482915" });
    expect(set.status).toBe(200);
    expect(phone().pin).toBe("482915");
    const row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("numbers").selectAll().where("id", "=", h.number.id).executeTakeFirstOrThrow(),
    );
    expect(row.pin_set_at).not.toBeNull();
    expect(JSON.stringify(row)).not.toContain("482915");
    const audit = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("audit_entries").selectAll().where("action", "=", "number.pin_set").execute(),
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain("482915");
    expect(h.logs.text()).not.toContain("482915");
  });

  it("registers with the PIN; a wrong PIN is refused by Meta and shown in words", async () => {
    reauthenticate();
    const wrong = await api("POST", `/numbers/${h.number.id}/register`, { pin: "000000" });
    expect(wrong.status).toBe(422);
    expect((wrong.json.error as { message: string }).message).toMatch(/PIN does not match.*133005/);
    expect(wrong.text).not.toContain("000000");
    const registered = await api("POST", `/numbers/${h.number.id}/register`, { pin: "482915" });
    expect(registered.status).toBe(200);
    expect(phone().registered).toBe(true);
    const deregistered = await api("POST", `/numbers/${h.number.id}/deregister`, {});
    expect(deregistered.status).toBe(200);
    expect(phone().registered).toBe(false);
    expect((await api("POST", `/numbers/${h.number.id}/register`, { pin: "482915" })).status).toBe(200);
    expect(h.logs.text()).not.toContain("482915");
  });
});

describe("business profile", () => {
  it("is edited through Graph within Meta's limits", async () => {
    const updated = await api("PUT", `/numbers/${h.number.id}/profile`, {
      about: "Open 9–5 ☀️",
      description: "Bikes and repairs",
      email: "shop@example.com",
      websites: ["https://example.com", "http://example.org/shop"],
      vertical: "RETAIL",
      profilePictureHandle: "4:aW1hZ2UuanBn:aW1hZ2UvanBlZw==:ARb1",
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      about: "Open 9–5 ☀️",
      description: "Bikes and repairs",
      email: "shop@example.com",
      websites: ["https://example.com", "http://example.org/shop"],
      vertical: "RETAIL",
      profilePictureUrl: expect.stringMatching(/^https:\/\//),
    });
    expect((await api("GET", `/numbers/${h.number.id}/profile`)).json).toMatchObject({ about: "Open 9–5 ☀️" });
    for (const bad of [
      { about: "x".repeat(140) },
      { description: "x".repeat(513) },
      { websites: ["https://a.example", "https://b.example", "https://c.example"] },
      { websites: ["ftp://example.com"] },
      { email: "not-an-email" },
      { vertical: "SPACESHIPS" },
      {},
    ])
      expect((await api("PUT", `/numbers/${h.number.id}/profile`, bad)).status).toBe(400);
  });
});

describe("disconnect and reconnect", () => {
  it("refuses the number's webhooks (404) while disconnected, keeps its history, and reconnects", async () => {
    const disconnected = await api("POST", `/numbers/${h.number.id}/disconnect`, {});
    expect(disconnected.status).toBe(200);
    expect(disconnected.json).toMatchObject({ status: "disconnected", disconnectedAt: expect.any(String) });
    expect(await postWebhook([{ field: "business_capability_update", value: { max_daily_conversations_per_business: 250 } }])).toBe(404);
    expect((await api("POST", `/numbers/${h.number.id}/disconnect`, {})).status).toBe(409);
    expect((await api("GET", "/numbers")).json.numbers).toHaveLength(1);
    const reconnected = await api("POST", `/numbers/${h.number.id}/reconnect`, {});
    expect(reconnected.status).toBe(200);
    expect(reconnected.json).toMatchObject({ status: "active", disconnectedAt: null });
    expect(await postWebhook([{ field: "business_capability_update", value: { max_daily_conversations_per_business: 250 } }])).toBe(200);
    await h.waitForJobs();
    expect(await health()).toMatchObject({ messagingLimit: "TIER_250" });
  });
});

describe("access-token rotation", () => {
  it("keeps the replaced token for the overlap, then drops it; a token older than 90 days is flagged", async () => {
    const actor = { actor: { type: "user" as const, id: h.caller.userId } };
    const graph = createGraphClient({ baseUrl: h.sim.credentials().baseUrl, apiVersion: "v25.0" });
    const { token } = h.sim.createToken();
    await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .updateTable("numbers")
        .set({ access_token_stored_at: new Date(Date.now() - 91 * 24 * 60 * 60_000) })
        .where("id", "=", h.number.id)
        .execute(),
    );
    expect(await health()).toMatchObject({ accessTokenOld: true });
    const view = await updateNumberToken(h.services, h.workspaceId, h.number.id, token, actor, graph);
    expect(await health()).toMatchObject({ accessTokenOld: false });
    const previous = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      findPreviousAccessToken(trx, h.services.keyring, h.workspaceId, h.number.id),
    );
    expect(previous).toMatchObject({ accessToken: credentials.accessToken, version: view.accessTokenVersion - 1 });
    const notYet = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      dropPreviousAccessTokens(trx, h.workspaceId, new Date()),
    );
    expect(notYet).toBe(0);
    const dropped = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      dropPreviousAccessTokens(trx, h.workspaceId, new Date(Date.now() + 16 * 60_000)),
    );
    expect(dropped).toBe(1);
    expect(
      await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        findPreviousAccessToken(trx, h.services.keyring, h.workspaceId, h.number.id),
      ),
    ).toBeUndefined();
    expect(h.logs.text()).not.toContain(token);
  });
});

describe("Embedded Signup", () => {
  it("exchanges the popup's code, stores the number, subscribes the app to its webhooks and registers it", async () => {
    h.services.sandbox = h.sim;
    try {
      expect((await api("GET", "/numbers/embedded-signup")).json).toEqual({ mode: "simulator" });
      const popup = await api("POST", "/numbers/embedded-signup/simulator", {});
      expect(popup.status).toBe(200);
      const { code, wabaId, phoneNumberId } = popup.json as { code: string; wabaId: string; phoneNumberId: string };
      const done = await api("POST", "/numbers/embedded-signup", { code, wabaId, phoneNumberId, pin: "246810" });
      expect(done.status).toBe(201);
      expect(done.json).toMatchObject({ subscribed: true, registered: true, problem: null, number: { status: "active" } });
      expect(h.sim.isAppSubscribed(wabaId)).toBe(true);
      const account = h.sim.state.accounts.get(wabaId)!;
      expect(account.webhookUrl).toMatch(new RegExp(`^${h.baseUrl}/webhooks/whatsapp/`));
      expect(h.sim.state.phoneNumbers.get(phoneNumberId)).toMatchObject({ registered: true, pin: "246810" });
      expect(done.text).not.toContain(account.accessToken);
      // The code works once.
      const again = await api("POST", "/numbers/embedded-signup", { code, wabaId, phoneNumberId, pin: "246810" });
      expect(again.status).toBe(422);
      expect((again.json.error as { message: string }).message).toMatch(/exchanging the code/);
      // An expired code (30 s).
      const late = await api("POST", "/numbers/embedded-signup/simulator", {});
      h.sim.advanceTime(31_000);
      const expired = await api("POST", "/numbers/embedded-signup", { ...(late.json as object), pin: "246810" });
      expect(expired.status).toBe(422);
      expect(h.logs.text()).not.toContain("246810");
      expect(h.logs.text()).not.toContain(code);
    } finally {
      delete h.services.sandbox;
    }
  });

  it("is off without a Meta app in live mode", async () => {
    expect((await api("GET", "/numbers/embedded-signup")).json).toEqual({ mode: "off" });
    const refused = await api("POST", "/numbers/embedded-signup", { code: "AQ-some-code", wabaId: "1", phoneNumberId: "2", pin: "123456" });
    expect(refused.status).toBe(422);
    expect((refused.json.error as { message: string }).message).toMatch(/not set up/);
  });
});
