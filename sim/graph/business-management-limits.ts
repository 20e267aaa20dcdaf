import type { SimContext } from "../context.ts";
import { GraphError } from "./errors.ts";

// The Business Management API's hourly budget (reference/cloud-api.md §7): requests to
// GET /<WABA_ID>, /<WABA_ID>/phone_numbers, /<WABA_ID>/message_templates (GET/POST/DELETE),
// /<WABA_ID>/subscribed_apps and /<WABA_ID>/assigned_users count against 200 requests per hour per
// app per WABA, or 5,000 per hour while the WABA is active (at least one registered number). Of
// those endpoints the simulator implements the three message_templates ones; the budget applies to
// them. Counted in a rolling hour on the simulator clock, so tests move through it with advanceTime.
//
// The simulator has one app and one WABA, so one list of request times is the whole budget. Every
// authenticated request that reaches the WABA counts, whatever its outcome (a refused template
// creation was still a call); a request this limit refuses does not, so the window rolls exactly
// an hour after the oldest counted request.
//
// The reference gives this limit no code of its own. Its §6 table lists two rate-limit codes: 4
// ("Too many API calls – app hit Graph rate limit", the app-wide Graph limit) and 80007 ("WABA rate
// limit reached", HTTP 400). The budget here is per WABA, so it answers 80007, like the
// per-WABA template-creation limit (./template-limits.ts). The usage headers that go with it
// (X-App-Usage, X-Business-Use-Case-Usage) are only named by the reference, not described, so they
// are not sent: their form would be invented.

const HOUR_MS = 60 * 60 * 1000;

/** A WABA is active, for this limit, while at least one of its numbers is registered. */
export function isWabaActive(ctx: SimContext, wabaId: string): boolean {
  return [...ctx.state.phoneNumbers.values()].some((phone) => phone.wabaId === wabaId && phone.registered);
}

export function businessManagementLimit(ctx: SimContext, wabaId: string): number {
  const { perHour, activePerHour } = ctx.options.businessManagementRateLimit;
  return isWabaActive(ctx, wabaId) ? activePerHour : perHour;
}

/** Counts one Business Management API request to `wabaId`, or refuses it (80007) when the hour's budget is spent. */
export function spendBusinessManagementRequest(ctx: SimContext, wabaId: string): void {
  const now = ctx.clock.now();
  const recent = ctx.state.businessManagementRequestTimes.filter((t) => now - t < HOUR_MS);
  ctx.state.businessManagementRequestTimes = recent;
  const limit = businessManagementLimit(ctx, wabaId);
  if (recent.length >= limit) {
    throw new GraphError(
      80007,
      `The WhatsApp Business Account has reached its Business Management API rate limit of ${limit} requests per hour.`,
    );
  }
  recent.push(now);
}
