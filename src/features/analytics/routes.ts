import { z } from "zod";
import { defineRoute, type RouteDefinition } from "../../http/define-route.ts";
import { asCaller } from "../../identity/caller.ts";
import { ANALYTICS_DAYS, readAnalyticsSummary } from "./repository.ts";

// The Overview's numbers. Counts and rates only: the response schema has no field that could
// carry content, a name or a phone number.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const count = z.number().int().min(0);
const ratio = z.number().min(0).max(1).nullable();

const summaryBody = z.object({
  days: z.number().int(),
  since: z.iso.datetime(),
  generatedAt: z.iso.datetime(),
  conversations: z.object({ open: count, closed: count, unassigned: count }),
  messagesPerDay: z.array(z.object({ day: z.iso.date(), inbound: count, outbound: count })),
  firstResponse: z.object({ medianSeconds: count.nullable(), answered: count, waiting: count }),
  outbound: z.object({ total: count, delivered: count, read: count, failed: count, deliveryRate: ratio, readRate: ratio }),
});

export const analyticsRoutes: RouteDefinition[] = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/analytics/summary",
    summary: `Aggregates of the last ${ANALYTICS_DAYS} days (UTC): conversations open/closed/unassigned, messages in and out per day, median first-response time, delivery and read rates of outbound messages. Counts only.`,
    tags: ["analytics"],
    permission: "analytics.read",
    caller: true,
    rateLimit: { limit: 60, windowMs: 60_000, key: "user" },
    schema: { params: workspaceParams, response: { 200: summaryBody } },
    handler: async ({ services, caller }) => {
      const summary = await asCaller(services, caller, (trx) => readAnalyticsSummary(trx));
      return { ...summary, since: summary.since.toISOString(), generatedAt: new Date().toISOString() };
    },
  }),
];
