import type { Tx } from "../../db/database.ts";
import { planFeatures, type Plan, type PlanFeature } from "../../identity/plan-features.ts";
import { findPlansWithFeature } from "../../identity/plan-repository.ts";
import { readWorkspacePlan } from "../../identity/plans.ts";

export type WorkspacePlanView = Plan & { availableOn: Partial<Record<PlanFeature, string[]>> };

/** The workspace's plan, with the plans that include each feature it lacks. */
export async function readWorkspacePlanView(trx: Tx, workspaceId: string): Promise<WorkspacePlanView> {
  const plan = await readWorkspacePlan(trx, workspaceId);
  const availableOn: Partial<Record<PlanFeature, string[]>> = {};
  for (const feature of planFeatures) {
    if (!plan.features.includes(feature)) availableOn[feature] = await findPlansWithFeature(trx, feature);
  }
  return { ...plan, availableOn };
}
