import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { createParleyEnvironment, runParley, type ParleyEnvironment } from "../../test/support/parley-process.ts";

// `parley plans list|set|assign` as an operator runs them: the real program in a child process,
// against a migrated database, then what it wrote is read back from the database.

let run: ParleyEnvironment;
const parley = (...args: string[]) => runParley(run.env, ...args);
const workspaceId = randomUUID();

type ListedPlan = {
  name: string;
  features: string[];
  quotas: { numbers: number | null; members: number | null; contacts: number | null; broadcast_recipients_per_month: number | null };
  isDefault: boolean;
  workspaces: number;
};

async function listed(): Promise<ListedPlan[]> {
  const result = await parley("plans", "list", "--json");
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { plans: ListedPlan[] }).plans;
}

async function readDatabase<T>(read: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig(run.env).database);
  try {
    return await read(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  run = await createParleyEnvironment();
  expect((await parley("migrate")).code).toBe(0);
  await readDatabase((db) => db.owner.insertInto("workspaces").values({ id: workspaceId, name: "Acme", region: "local" }).execute());
}, 120_000);
afterAll(async () => {
  await run.cleanup();
});

describe("parley plans", () => {
  it("lists the seeded default plan as JSON and as a table", async () => {
    expect(await listed()).toEqual([
      expect.objectContaining({
        name: "unlimited",
        isDefault: true,
        workspaces: 0,
        quotas: { numbers: null, members: null, contacts: null, broadcast_recipients_per_month: null },
      }),
    ]);
    const table = await parley("plans", "list");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^PLAN\s+DEFAULT\s+WORKSPACES\s+FEATURES\s+NUMBERS\s+MEMBERS\s+CONTACTS\s+BROADCAST\/MONTH/);
    expect(table.stdout).toMatch(/unlimited\s+yes\s+0\s+/);
  }, 180_000);

  it("sets a plan with its features and quotas, replaces it, and moves the default", async () => {
    const set = await parley(
      "plans",
      "set",
      "starter",
      "--features",
      "api, broadcasts,api",
      "--max-numbers",
      "1",
      "--max-contacts",
      "500",
      "--json",
    );
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      plan: {
        name: "starter",
        features: ["api", "broadcasts"],
        quotas: { numbers: 1, members: null, contacts: 500, broadcast_recipients_per_month: null },
        isDefault: false,
      },
    });
    expect((await listed()).find((plan) => plan.name === "starter")).toMatchObject({
      features: ["api", "broadcasts"],
      quotas: { numbers: 1, contacts: 500, members: null },
      isDefault: false,
    });

    // Set again: every feature and quota as given now, the others off or unlimited; and the default moves.
    const replaced = await parley("plans", "set", "starter", "--features", "templates", "--max-members", "3", "--default");
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toBe("Plan starter saved (the default plan).\n");
    const plans = await listed();
    expect(plans.find((plan) => plan.name === "starter")).toMatchObject({
      features: ["templates"],
      quotas: { numbers: null, members: 3, contacts: null, broadcast_recipients_per_month: null },
      isDefault: true,
    });
    expect(plans.find((plan) => plan.name === "unlimited")!.isDefault).toBe(false);

    const audit = await readDatabase((db) =>
      db.owner.selectFrom("audit_entries").select(["action", "target_id"]).where("action", "=", "plan.defined").execute(),
    );
    expect(audit).toEqual([
      { action: "plan.defined", target_id: "starter" },
      { action: "plan.defined", target_id: "starter" },
    ]);
  }, 180_000);

  it("refuses an unknown feature, a bad quota and a bad name, writing nothing", async () => {
    const feature = await parley("plans", "set", "gold", "--features", "api,teleport");
    expect(feature.code).not.toBe(0);
    expect(feature.stderr).toContain("--features");
    const quota = await parley("plans", "set", "gold", "--max-numbers", "-1");
    expect(quota.code).not.toBe(0);
    expect(quota.stderr).toContain("--max-numbers");
    const name = await parley("plans", "set", "Gold Plan");
    expect(name.code).not.toBe(0);
    expect((await listed()).map((plan) => plan.name)).toEqual(["starter", "unlimited"]);
  }, 180_000);

  it("assigns a workspace to a plan, audited in the workspace's log, and refuses an unknown workspace or plan", async () => {
    const assigned = await parley("plans", "assign", workspaceId, "unlimited", "--json");
    expect(assigned.code, assigned.stderr).toBe(0);
    expect(JSON.parse(assigned.stdout)).toEqual({ assigned: true, workspaceId, plan: "unlimited", previous: null });
    const again = await parley("plans", "assign", workspaceId, "starter");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`Workspace ${workspaceId} is on the starter plan (it was on unlimited).\n`);
    expect((await listed()).find((plan) => plan.name === "starter")!.workspaces).toBe(1);
    const rows = await readDatabase(async (db) => ({
      plan: await db.owner.selectFrom("workspace_plans").select("plan_name").where("workspace_id", "=", workspaceId).executeTakeFirst(),
      audit: await db.owner
        .selectFrom("audit_entries")
        .select(["action", "target_id", "metadata"])
        .where("workspace_id", "=", workspaceId)
        .orderBy("seq")
        .execute(),
    }));
    expect(rows.plan).toEqual({ plan_name: "starter" });
    expect(rows.audit).toEqual([
      { action: "plan.assigned", target_id: "unlimited", metadata: { previous: "default" } },
      { action: "plan.assigned", target_id: "starter", metadata: { previous: "unlimited" } },
    ]);

    const noPlan = await parley("plans", "assign", workspaceId, "platinum", "--json");
    expect(noPlan.code).toBe(1);
    expect(JSON.parse(noPlan.stdout)).toEqual({ assigned: false, error: "There is no plan platinum (see `parley plans list`)." });
    const noWorkspace = await parley("plans", "assign", randomUUID(), "starter");
    expect(noWorkspace.code).toBe(1);
    expect(noWorkspace.stderr).toMatch(/^There is no workspace [0-9a-f-]{36}\.\n$/);
    const notUuid = await parley("plans", "assign", "acme", "starter");
    expect(notUuid.code).not.toBe(0);
    expect(notUuid.stderr).toContain("workspace");
    // Nothing changed by the refusals.
    expect((await listed()).find((plan) => plan.name === "starter")!.workspaces).toBe(1);
  }, 180_000);
});
