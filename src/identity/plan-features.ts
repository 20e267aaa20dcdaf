// The features a plan can include and the quotas it can set (migration 0033). Plans are data; these
// names are the vocabulary. A route declares the feature it needs in its contract (`feature:` in
// src/http/define-route.ts). Imports nothing at run time: the dashboard reads it too, like
// ./permissions.ts.

export const planFeatures = ["api", "audit_log", "webhooks", "graph_proxy", "broadcasts", "templates"] as const;
export type PlanFeature = (typeof planFeatures)[number];

export const planFeatureDescriptions: Record<PlanFeature, string> = {
  api: "API keys: the REST API for the workspace's own systems",
  audit_log: "The audit log: reading, exporting and verifying it",
  webhooks: "Outbound webhooks to the workspace's endpoints",
  graph_proxy: "The Graph-compatible proxy for Cloud API clients",
  broadcasts: "Broadcasts to many contacts",
  templates: "Template management",
};

/** What a plan limits; null in a plan is no limit. */
export const planQuotas = ["numbers", "members", "contacts", "broadcast_recipients_per_month"] as const;
export type PlanQuota = (typeof planQuotas)[number];

export const planQuotaDescriptions: Record<PlanQuota, string> = {
  numbers: "WhatsApp numbers connected",
  members: "members, pending invitations included",
  contacts: "contacts (those in the trash included)",
  broadcast_recipients_per_month: "broadcast recipients per calendar month",
};

export type Plan = {
  name: string;
  features: PlanFeature[];
  quotas: Record<PlanQuota, number | null>;
  isDefault: boolean;
};

export function isPlanFeature(value: string): value is PlanFeature {
  return (planFeatures as readonly string[]).includes(value);
}

export function planIncludes(plan: Pick<Plan, "features">, feature: PlanFeature): boolean {
  return plan.features.includes(feature);
}
