import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { assignWorkspacePlan, upsertPlan } from "../../src/identity/plan-repository.ts";
import { startChannelHarness, type ChannelHarness } from "./support.ts";

// The numbers quota of a plan, over HTTP against the simulator: connecting one more number than
// the workspace's plan allows is refused (403 PLAN_QUOTA_EXCEEDED, saying the limit and the use)
// before anything is written; on a plan without the quota it goes through.

let h: ChannelHarness;

beforeAll(async () => {
  h = await startChannelHarness({
    simulator: {
      phoneNumbers: [
        { id: "106540352242922", displayPhoneNumber: "15550783881" },
        { id: "106540352242923", displayPhoneNumber: "15550783882" },
        { id: "106540352242924", displayPhoneNumber: "15550783883" },
      ],
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function connect(phoneNumberId: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const { wabaId, appId, accessToken, appSecret } = h.sim.credentials();
  const response = await fetch(`${h.baseUrl}/api/v1/workspaces/${h.workspaceId}/numbers`, {
    method: "POST",
    headers: { authorization: "Bearer test-owner", "content-type": "application/json" },
    body: JSON.stringify({ wabaId, phoneNumberId, appId, accessToken, appSecret, verifyToken: "verify-token-1" }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function putOnPlan(numbers: number | null): Promise<void> {
  await h.db.owner
    .transaction()
    .execute((trx) =>
      upsertPlan(
        trx,
        { name: "two_numbers", features: [], quotas: { numbers, members: null, contacts: null, broadcast_recipients_per_month: null } },
        new Date(),
      ),
    );
  await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) => assignWorkspacePlan(trx, h.workspaceId, "two_numbers", new Date()));
}

const connectedIds = () =>
  withWorkspace(h.db, { workspaceId: h.workspaceId }, async (trx) =>
    (await trx.selectFrom("numbers").select("phone_number_id").orderBy("phone_number_id").execute()).map((row) => row.phone_number_id),
  );

describe("the numbers quota of a plan", () => {
  it("connects numbers up to the plan's quota and refuses the next one with a clear error, writing nothing", async () => {
    await putOnPlan(2);
    // The harness's sandbox number is the first.
    expect(await connectedIds()).toEqual(["106540352242922"]);
    const second = await connect("106540352242923");
    expect(second.status, JSON.stringify(second.json)).toBe(201);

    const third = await connect("106540352242924");
    expect(third.status).toBe(403);
    expect(third.json).toEqual({
      error: {
        code: "PLAN_QUOTA_EXCEEDED",
        message: "The workspace's plan (two_numbers) allows 2 WhatsApp numbers connected; 2 are in use.",
        requestId: expect.any(String) as unknown,
        details: { quota: "numbers", limit: 2, used: 2, plan: "two_numbers" },
      },
    });
    expect(await connectedIds()).toEqual(["106540352242922", "106540352242923"]);
    const audits = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("audit_entries").select("action").where("action", "=", "number.connected").execute(),
    );
    expect(audits).toHaveLength(2);
  });

  it("lets the number through once the plan has no numbers quota", async () => {
    await putOnPlan(null);
    expect((await connect("106540352242924")).status).toBe(201);
    expect(await connectedIds()).toHaveLength(3);
  });
});
