import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { asCaller } from "../../identity/caller.ts";
import { planFeatures, type PlanQuota } from "../../identity/plan-features.ts";
import { readWorkspacePlanView } from "./service.ts";

// The workspace's plan as its members see it: what it includes, its quotas, and for each feature it
// lacks the plans that include it, so the dashboard can say "Available on the Pro plan".

const planBody = z.object({
  name: z.string(),
  features: z.array(z.enum(planFeatures)).describe("The features the plan includes."),
  quotas: z
    .object({
      numbers: z.number().int().nullable(),
      members: z.number().int().nullable(),
      contacts: z.number().int().nullable(),
      broadcast_recipients_per_month: z.number().int().nullable(),
    } satisfies Record<PlanQuota, z.ZodType>)
    .describe("Each quota's limit; null is no limit."),
  availableOn: z
    .partialRecord(z.enum(planFeatures), z.array(z.string()))
    .describe("For each feature the plan lacks, the plans that include it (empty: none does)."),
});

export const planRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/plan",
    summary: "Reads the workspace's plan: its features, its quotas, and where the features it lacks are available.",
    tags: ["plans"],
    permission: "workspace.read",
    caller: true,
    schema: { params: z.strictObject({ workspaceId: z.uuid() }), response: { 200: planBody } },
    handler: async ({ services, caller }) => asCaller(services, caller, (trx) => readWorkspacePlanView(trx, caller.workspaceId)),
  }),
];
