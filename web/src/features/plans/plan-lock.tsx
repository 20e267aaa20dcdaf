import type { ReactNode } from "react";
import { planFeatureDescriptions, type PlanFeature } from "../../../../src/identity/plan-features.ts";
import { api } from "../../lib/api.ts";
import { queryKeys, useApiQuery, type Loaded } from "../../lib/queries.ts";
import { ErrorText } from "../../ui/ui.tsx";

// Plan gating as the dashboard shows it: a feature the workspace's plan lacks is shown locked, with
// the plans that unlock it, instead of a screen of refusals. The API stays the authority: a route
// that needs a feature refuses with PLAN_REQUIRED whatever the dashboard shows.

export type WorkspacePlan = {
  name: string;
  features: PlanFeature[];
  quotas: Record<string, number | null>;
  availableOn: Partial<Record<PlanFeature, string[]>>;
};

export function usePlan(workspaceId: string): Loaded<WorkspacePlan> {
  return useApiQuery(queryKeys.plan(workspaceId), () => api("GET", "/api/v1/workspaces/{workspaceId}/plan", { path: { workspaceId } }));
}

/** "Available on the Pro plan", "Available on the Pro or Business plan", or that no plan includes it. */
export function unlockText(plan: WorkspacePlan, feature: PlanFeature): string {
  const plans = plan.availableOn[feature] ?? [];
  if (plans.length === 0) return "No plan on this instance includes it; ask the instance's operator.";
  const names = plans.map((name) => `“${name}”`);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
  return `Available on the ${list} plan${plans.length === 1 ? "" : "s"}; ask the instance's operator to change this workspace's plan.`;
}

export function isLocked(plan: WorkspacePlan | null, feature: PlanFeature): boolean {
  return plan !== null && !plan.features.includes(feature);
}

/**
 * Shows `children` when the plan includes `feature`; otherwise a locked panel that names the
 * feature, the workspace's plan and the plans that include it. While the plan loads, children show
 * (the API refuses anyway), so a slow answer never hides a screen the plan allows.
 */
export function PlanLock({ workspaceId, feature, children }: { workspaceId: string; feature: PlanFeature; children: ReactNode }) {
  const plan = usePlan(workspaceId);
  if (plan.error) return <ErrorText message={`The workspace's plan could not be read: ${plan.error}`} />;
  if (!plan.data || !isLocked(plan.data, feature)) return <>{children}</>;
  return (
    <section className="plan-locked" aria-labelledby="plan-locked-title">
      <h2 id="plan-locked-title">
        <span aria-hidden="true">🔒 </span>
        {planFeatureDescriptions[feature]}: not in the “{plan.data.name}” plan
      </h2>
      <p>{unlockText(plan.data, feature)}</p>
    </section>
  );
}
