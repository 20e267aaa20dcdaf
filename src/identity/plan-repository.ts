import { sql } from "kysely";
import type { Tx } from "../db/database.ts";
import { isPlanFeature, type Plan, type PlanFeature, type PlanQuota } from "./plan-features.ts";

// Plans (migration 0033): the instance's catalogue, readable by the runtime role, and each
// workspace's assignment, under RLS. A workspace without an assignment is on the default plan.

type PlanRow = {
  name: string;
  features: string[];
  max_numbers: number | null;
  max_members: number | null;
  max_contacts: number | null;
  max_broadcast_recipients_per_month: number | null;
  is_default: boolean;
};

const PLAN_COLUMNS = [
  "plans.name",
  "plans.features",
  "plans.max_numbers",
  "plans.max_members",
  "plans.max_contacts",
  "plans.max_broadcast_recipients_per_month",
  "plans.is_default",
] as const;

function toPlan(row: PlanRow): Plan {
  return {
    name: row.name,
    // A name the code no longer knows grants nothing.
    features: row.features.filter(isPlanFeature),
    quotas: {
      numbers: row.max_numbers,
      members: row.max_members,
      contacts: row.max_contacts,
      broadcast_recipients_per_month: row.max_broadcast_recipients_per_month,
    },
    isDefault: row.is_default,
  };
}

/** The workspace's plan: its assignment, else the default plan; undefined only when neither exists. */
export async function findWorkspacePlan(trx: Tx, workspaceId: string): Promise<Plan | undefined> {
  const assigned = await trx
    .selectFrom("workspace_plans")
    .innerJoin("plans", "plans.name", "workspace_plans.plan_name")
    .select(PLAN_COLUMNS)
    .where("workspace_plans.workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (assigned) return toPlan(assigned);
  const fallback = await trx.selectFrom("plans").select(PLAN_COLUMNS).where("plans.is_default", "=", true).executeTakeFirst();
  return fallback ? toPlan(fallback) : undefined;
}

/** Every plan, by name. */
export async function listPlans(trx: Tx): Promise<Plan[]> {
  const rows = await trx.selectFrom("plans").select(PLAN_COLUMNS).orderBy("plans.name").execute();
  return rows.map(toPlan);
}

/** The names of the plans that include the feature, to say where it is available. */
export async function findPlansWithFeature(trx: Tx, feature: PlanFeature): Promise<string[]> {
  const rows = await trx
    .selectFrom("plans")
    .select("name")
    .where(sql<boolean>`${feature} = any(features)`)
    .orderBy("name")
    .execute();
  return rows.map((row) => row.name);
}

/** How many workspaces are assigned each plan (the operator's view: owner role). */
export async function countAssignments(trx: Tx): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom("workspace_plans")
    .select(["plan_name", sql<number>`count(*)::int`.as("workspaces")])
    .groupBy("plan_name")
    .execute();
  return new Map(rows.map((row) => [row.plan_name, Number(row.workspaces)]));
}

export type PlanDefinition = {
  name: string;
  features: readonly PlanFeature[];
  quotas: Record<PlanQuota, number | null>;
};

/** Creates or replaces a plan (the operator's: owner role). */
export async function upsertPlan(trx: Tx, plan: PlanDefinition, now: Date): Promise<void> {
  const values = {
    features: [...plan.features],
    max_numbers: plan.quotas.numbers,
    max_members: plan.quotas.members,
    max_contacts: plan.quotas.contacts,
    max_broadcast_recipients_per_month: plan.quotas.broadcast_recipients_per_month,
    updated_at: now,
  };
  await trx
    .insertInto("plans")
    .values({ name: plan.name, ...values })
    .onConflict((oc) => oc.column("name").doUpdateSet(values))
    .execute();
}

/** Makes the plan the default of workspaces without an assignment; false when there is no such plan. */
export async function setDefaultPlan(trx: Tx, name: string): Promise<boolean> {
  const exists = await trx.selectFrom("plans").select("name").where("name", "=", name).executeTakeFirst();
  if (!exists) return false;
  await trx.updateTable("plans").set({ is_default: false }).where("is_default", "=", true).where("name", "<>", name).execute();
  await trx.updateTable("plans").set({ is_default: true }).where("name", "=", name).execute();
  return true;
}

/** Whether the plan exists. */
export async function planExists(trx: Tx, name: string): Promise<boolean> {
  return (await trx.selectFrom("plans").select("name").where("name", "=", name).executeTakeFirst()) !== undefined;
}

/** Whether the workspace exists (inside its own transaction: the tenant root's RLS shows it only there). */
export async function workspaceExists(trx: Tx, workspaceId: string): Promise<boolean> {
  return (await trx.selectFrom("workspaces").select("id").where("id", "=", workspaceId).executeTakeFirst()) !== undefined;
}

/** Puts the workspace on the plan; answers the plan it was on before (null: the default). */
export async function assignWorkspacePlan(trx: Tx, workspaceId: string, planName: string, now: Date): Promise<string | null> {
  const before = await trx.selectFrom("workspace_plans").select("plan_name").where("workspace_id", "=", workspaceId).executeTakeFirst();
  await trx
    .insertInto("workspace_plans")
    .values({ workspace_id: workspaceId, plan_name: planName, assigned_at: now })
    .onConflict((oc) => oc.column("workspace_id").doUpdateSet({ plan_name: planName, assigned_at: now }))
    .execute();
  return before?.plan_name ?? null;
}

/**
 * Serializes the creations counted by one quota of one workspace until the transaction ends (so two
 * concurrent creations cannot both take the last place), then counts what the quota counts.
 */
export async function lockAndCountUsage(trx: Tx, workspaceId: string, quota: Exclude<PlanQuota, "broadcast_recipients_per_month">) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`parley.quota:${workspaceId}:${quota}`}, 0))`.execute(trx);
  switch (quota) {
    case "numbers": {
      const row = await trx
        .selectFrom("numbers")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }
    case "contacts": {
      const row = await trx
        .selectFrom("contacts")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }
    case "members": {
      const members = await trx
        .selectFrom("memberships")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirstOrThrow();
      const pending = await trx
        .selectFrom("invitations")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("workspace_id", "=", workspaceId)
        .where("accepted_at", "is", null)
        .where("revoked_at", "is", null)
        .where("expires_at", ">", new Date())
        .executeTakeFirstOrThrow();
      return Number(members.n) + Number(pending.n);
    }
  }
}
