import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { assignWorkspacePlan, upsertPlan } from "../../src/identity/plan-repository.ts";
import { startTestHttpApp, type TestHttpApp } from "../support/http-app.ts";
import { createWorkspaceWithOwner, login } from "../support/identity.ts";
import { randomAddress } from "../support/route-call.ts";

// Plans over the real HTTP app: a workspace on the seeded default plan has everything; put on a
// small plan, its gated routes answer PLAN_REQUIRED naming where the feature is available, and
// creations past a quota (invitations, contacts) answer PLAN_QUOTA_EXCEEDED with nothing written.

let http: TestHttpApp;
let token: string;
let workspaceId: string;

const call = (method: "GET" | "POST", path: string, body?: unknown) =>
  http.app.inject({
    method,
    url: `/api/v1/workspaces/${workspaceId}${path}`,
    remoteAddress: randomAddress(),
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  http = await startTestHttpApp();
  const created = await createWorkspaceWithOwner(http.services, { name: "Client business" });
  workspaceId = created.workspaceId;
  token = (await login(http.app, created.owner, { ip: randomAddress() })).accessToken;
}, 180_000);

afterAll(async () => {
  await http?.close();
});

describe("plans", () => {
  it("puts a workspace without an assignment on the seeded default plan, which has every feature and no quota", async () => {
    const plan = await call("GET", "/plan");
    expect(plan.statusCode).toBe(200);
    expect(plan.json()).toEqual({
      name: "unlimited",
      features: ["api", "audit_log", "webhooks", "graph_proxy", "broadcasts", "templates"],
      quotas: { numbers: null, members: null, contacts: null, broadcast_recipients_per_month: null },
      availableOn: {},
    });
    expect((await call("GET", "/audit")).statusCode).toBe(200);
  });

  it("refuses a gated route under a plan without its feature, naming the feature and the plans that have it", async () => {
    await http.db.owner
      .transaction()
      .execute((trx) =>
        upsertPlan(
          trx,
          { name: "starter", features: ["api"], quotas: { numbers: 1, members: 1, contacts: 1, broadcast_recipients_per_month: 100 } },
          new Date(),
        ),
      );
    await withWorkspace(http.db, { workspaceId }, (trx) => assignWorkspacePlan(trx, workspaceId, "starter", new Date()));
    const audit = await call("GET", "/audit");
    expect(audit.statusCode).toBe(403);
    expect(audit.json()).toMatchObject({
      error: {
        code: "PLAN_REQUIRED",
        message: expect.stringContaining("available on the unlimited plan") as unknown,
        details: { feature: "audit_log", plan: "starter", availableOn: ["unlimited"] },
      },
    });
    expect((await call("GET", "/webhooks")).json()).toMatchObject({ error: { code: "PLAN_REQUIRED", details: { feature: "webhooks" } } });
    expect((await call("GET", "/api-keys")).statusCode).toBe(200);
    const plan = (await call("GET", "/plan")).json<{ name: string; availableOn: Record<string, string[]> }>();
    expect(plan.name).toBe("starter");
    expect(plan.availableOn).toMatchObject({ audit_log: ["unlimited"], webhooks: ["unlimited"], graph_proxy: ["unlimited"] });
    expect(plan.availableOn).not.toHaveProperty("api");
  });

  it("refuses an invitation past the members quota (the Owner holds the one place)", async () => {
    const invited = await call("POST", "/invitations", { email: "second@example.test", role: "agent" });
    expect(invited.statusCode).toBe(403);
    expect(invited.json()).toMatchObject({
      error: { code: "PLAN_QUOTA_EXCEEDED", details: { quota: "members", limit: 1, used: 1, plan: "starter" } },
    });
    const pending = await withWorkspace(http.db, { workspaceId }, (trx) => trx.selectFrom("invitations").select("id").execute());
    expect(pending).toEqual([]);
  });

  it("refuses a contact past the contacts quota, by hand and by import", async () => {
    expect((await call("POST", "/contacts", { phone: "+4915112345678" })).statusCode).toBe(201);
    const second = await call("POST", "/contacts", { phone: "+4915112345679" });
    expect(second.statusCode).toBe(403);
    expect(second.json()).toMatchObject({ error: { code: "PLAN_QUOTA_EXCEEDED", details: { quota: "contacts", limit: 1, used: 1 } } });
    const imported = await call("POST", "/contacts/import", { csv: "phone\n+4915112340001\n+4915112340002\n" });
    expect(imported.statusCode).toBe(403);
    const count = await withWorkspace(http.db, { workspaceId }, (trx) => trx.selectFrom("contacts").select("id").execute());
    expect(count).toHaveLength(1);
  });

  it("lets the creations through again on a plan without the quota", async () => {
    await withWorkspace(http.db, { workspaceId }, (trx) => assignWorkspacePlan(trx, workspaceId, "unlimited", new Date()));
    expect((await call("POST", "/contacts", { phone: "+4915112345679" })).statusCode).toBe(201);
    expect((await call("POST", "/invitations", { email: "second@example.test", role: "agent" })).statusCode).toBe(201);
    expect((await call("GET", "/audit")).statusCode).toBe(200);
  });
});
