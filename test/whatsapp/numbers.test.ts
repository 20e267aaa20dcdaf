import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { loadNumberCredentials } from "../../src/features/numbers/repository.ts";
import { updateNumberToken } from "../../src/features/numbers/service.ts";
import { createGraphClient } from "../../src/whatsapp/graph-client.ts";
import { startChannelHarness, type ChannelHarness } from "./support.ts";

// Numbers: credentials verified with Meta (the simulator) before they are stored, stored encrypted,
// never returned (last four only), audited; the access token is replaced without downtime.

let h: ChannelHarness;

beforeAll(async () => {
  h = await startChannelHarness();
}, 60_000);
afterAll(async () => {
  await h.close();
});

const owner = { authorization: "Bearer test-owner", "content-type": "application/json" };

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const response = await fetch(`${h.baseUrl}/api/v1/workspaces/${h.workspaceId}${path}`, {
    method,
    headers: body === undefined ? { authorization: owner.authorization } : owner,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

function graph() {
  return createGraphClient({ baseUrl: h.sim.credentials().baseUrl, apiVersion: "v25.0" });
}

describe("numbers", () => {
  it("the sandbox number is connected in one step: verified, encrypted at rest, audited, webhooks pointed at it", async () => {
    const { accessToken, appSecret } = h.sim.credentials();
    expect(h.number).toMatchObject({
      mode: "sandbox",
      status: "active",
      tier: 80,
      accessTokenLast4: accessToken.slice(-4),
      appSecretLast4: appSecret.slice(-4),
      displayPhoneLast4: "3881",
    });
    expect(h.sim.credentials().webhookUrl).toBe(h.webhookUrl);
    const row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("numbers").selectAll().executeTakeFirstOrThrow(),
    );
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(accessToken);
    expect(stored).not.toContain(appSecret);
    expect(stored).not.toContain("15550783881");
    const audit = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("audit_entries").select(["action", "target_id", "metadata"]).execute(),
    );
    expect(audit).toContainEqual(expect.objectContaining({ action: "number.connected", target_id: h.number.id }));
  });

  it("lists and reads numbers without any secret; only numbers.manage callers get in", async () => {
    const list = await api("GET", "/numbers");
    expect(list.status).toBe(200);
    const { accessToken, appSecret } = h.sim.credentials();
    expect(list.text).not.toContain(accessToken);
    expect(list.text).not.toContain(appSecret);
    expect(list.json.numbers).toEqual([
      expect.objectContaining({ id: h.number.id, webhookUrl: h.webhookUrl, accessTokenLast4: accessToken.slice(-4) }),
    ]);
    const one = await api("GET", `/numbers/${h.number.id}`);
    expect(one.status).toBe(200);
    expect(one.json).not.toHaveProperty("accessToken");
    const anonymous = await fetch(`${h.baseUrl}/api/v1/workspaces/${h.workspaceId}/numbers`);
    expect(anonymous.status).toBe(401);
  });

  it("refuses credentials Meta does not accept, and a number connected twice", async () => {
    const { wabaId, appSecret, appId, accessToken, phoneNumbers } = h.sim.credentials();
    const bad = await api("POST", "/numbers", {
      wabaId,
      phoneNumberId: phoneNumbers[0]!.id,
      appId,
      accessToken: "EAAnot-a-real-token-000",
      appSecret,
      verifyToken: "verify-token-1",
    });
    expect(bad.status).toBe(422);
    expect(bad.text).not.toContain("EAAnot-a-real-token-000");
    const otherWaba = await api("POST", "/numbers", {
      wabaId: "999999",
      phoneNumberId: phoneNumbers[0]!.id,
      appId,
      accessToken,
      appSecret,
      verifyToken: "verify-token-1",
    });
    expect(otherWaba.status).toBe(422);
    const twice = await api("POST", "/numbers", {
      wabaId,
      phoneNumberId: phoneNumbers[0]!.id,
      appId,
      accessToken,
      appSecret,
      verifyToken: "verify-token-1",
    });
    expect(twice.status).toBe(409);
    const unknownField = await api("POST", "/numbers", {
      wabaId,
      phoneNumberId: "1",
      accessToken,
      appSecret,
      verifyToken: "verify-token-1",
      extra: true,
    });
    expect(unknownField.status).toBe(400);
  });

  it("replaces the access token without downtime: verified first, audited, the old one kept until the swap", async () => {
    const actor = { actor: { type: "user" as const, id: h.caller.userId } };
    const before = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      loadNumberCredentials(trx, h.services.keyring, h.workspaceId, h.number.id),
    );
    await expect(
      updateNumberToken(h.services, h.workspaceId, h.number.id, "EAAexpired-or-unknown-token", actor, graph()),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    const unchanged = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      loadNumberCredentials(trx, h.services.keyring, h.workspaceId, h.number.id),
    );
    expect(unchanged?.accessToken).toBe(before?.accessToken);

    const { token } = h.sim.createToken();
    const view = await updateNumberToken(h.services, h.workspaceId, h.number.id, token, actor, graph());
    expect(view).toMatchObject({
      accessTokenLast4: token.slice(-4),
      accessTokenVersion: (before?.accessTokenVersion ?? 0) + 1,
      status: "active",
    });
    const after = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      loadNumberCredentials(trx, h.services.keyring, h.workspaceId, h.number.id),
    );
    expect(after?.accessToken).toBe(token);
    // A send that read the old token before the swap still works with it.
    const phone = await graph().request({
      method: "GET",
      path: `/${h.number.phoneNumberId}`,
      token: before!.accessToken,
      query: { fields: "id" },
    });
    expect(phone).toMatchObject({ id: h.number.phoneNumberId });
    const audit = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("audit_entries").select(["action", "actor_id"]).where("action", "=", "number.token_updated").execute(),
    );
    expect(audit).toEqual([{ action: "number.token_updated", actor_id: h.caller.userId }]);
    expect(h.logs.text()).not.toContain(token);
  });
});
