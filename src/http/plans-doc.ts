import { planFeatureDescriptions, planFeatures, planQuotaDescriptions, planQuotas } from "../identity/plan-features.ts";
import type { RouteDefinition } from "./define-route.ts";

// docs/plans.md: the features a plan can include, the routes each one gates (from the routes'
// `feature:`), and the quotas. Written by `npm run openapi` (scripts/write-openapi.ts); a test fails on drift.

export function renderPlansMarkdown(routes: readonly RouteDefinition[]): string {
  const lines = [
    "# Plans",
    "",
    "Generated from `src/identity/plan-features.ts` and the routes' `feature:` by `npm run openapi`; do not edit.",
    "A test fails when this file and the code disagree.",
    "",
    "A plan is the operator's data (`parley plans set`): the features it includes and its quotas. A workspace is on the plan",
    "`parley plans assign` gave it, or else on the default plan. The seeded default, `unlimited`, includes every feature",
    "with no quota. A route that needs a feature the workspace's plan lacks answers 403 `PLAN_REQUIRED`, naming the",
    "feature and the plans that include it (the Graph-compatible proxy answers Graph's code 10). A creation past a quota",
    "answers 403 `PLAN_QUOTA_EXCEEDED`. The OpenAPI document marks each gated operation with `x-parley-feature`.",
    "",
    "## Features",
    "",
    "| Feature | What it is | Routes |",
    "| --- | --- | --- |",
    ...planFeatures.map((feature) => {
      const gated = routes.filter((route) => route.feature === feature).map((route) => `\`${route.method} ${route.url}\``);
      return `| \`${feature}\` | ${planFeatureDescriptions[feature]} | ${gated.length > 0 ? gated.join("<br>") : "—"} |`;
    }),
    "",
    "## Quotas",
    "",
    "| Quota | Counts | `parley plans set` option |",
    "| --- | --- | --- |",
    ...planQuotas.map(
      (quota) =>
        `| \`${quota}\` | ${planQuotaDescriptions[quota]} | \`--max-${quota === "broadcast_recipients_per_month" ? "broadcast-recipients" : quota}\` |`,
    ),
    "",
  ];
  return lines.join("\n");
}
