import type { Tx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import {
  planFeatureDescriptions,
  planIncludes,
  planQuotaDescriptions,
  type Plan,
  type PlanFeature,
  type PlanQuota,
} from "./plan-features.ts";
import { findPlansWithFeature, findWorkspacePlan, lockAndCountUsage } from "./plan-repository.ts";

// What a workspace's plan allows: the features its routes need (checked before the handler, from
// the route's `feature:`) and the quotas checked where the counted thing is created. Without any
// plan (an operator removed the default by hand) nothing gated is allowed: fail closed.

const NO_PLAN: Plan = {
  name: "none",
  features: [],
  quotas: { numbers: 0, members: 0, contacts: 0, broadcast_recipients_per_month: 0 },
  isDefault: false,
};

/** The workspace's plan (its assignment or the default), inside the workspace's transaction. */
export async function readWorkspacePlan(trx: Tx, workspaceId: string): Promise<Plan> {
  return (await findWorkspacePlan(trx, workspaceId)) ?? NO_PLAN;
}

/** PLAN_REQUIRED (403) naming the feature and the plans that include it, unless the workspace's plan does. */
export async function requirePlanFeature(trx: Tx, workspaceId: string, feature: PlanFeature): Promise<void> {
  const plan = await readWorkspacePlan(trx, workspaceId);
  if (planIncludes(plan, feature)) return;
  const plans = await findPlansWithFeature(trx, feature);
  throw new AppError(
    "PLAN_REQUIRED",
    `The workspace's plan (${plan.name}) does not include ${planFeatureDescriptions[feature].split(":")[0]!.toLowerCase()} (${feature}).${
      plans.length > 0 ? ` It is available on the ${plans.join(", ")} plan${plans.length === 1 ? "" : "s"}.` : ""
    }`,
    { details: { feature, plan: plan.name, availableOn: plans } },
  );
}

/**
 * Refuses (PLAN_QUOTA_EXCEEDED, 403) creating `adding` more of what the quota counts when the
 * workspace's plan would be exceeded. Holds a lock on the quota until the transaction ends, so the
 * caller's insert in the same transaction is counted before any concurrent one.
 */
export async function assertQuotaAllows(
  trx: Tx,
  workspaceId: string,
  quota: Exclude<PlanQuota, "broadcast_recipients_per_month">,
  adding = 1,
): Promise<void> {
  const plan = await readWorkspacePlan(trx, workspaceId);
  const limit = plan.quotas[quota];
  if (limit === null || adding <= 0) return;
  const used = await lockAndCountUsage(trx, workspaceId, quota);
  if (used + adding <= limit) return;
  throw new AppError(
    "PLAN_QUOTA_EXCEEDED",
    `The workspace's plan (${plan.name}) allows ${limit} ${planQuotaDescriptions[quota]}; ${used} ${used === 1 ? "is" : "are"} in use.`,
    { details: { quota, limit, used, plan: plan.name } },
  );
}
