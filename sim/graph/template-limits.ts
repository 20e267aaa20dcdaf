import type { SimContext } from "../context.ts";
import type { TemplateRecord } from "../state.ts";
import { GraphError, templateErrorSubcodes } from "./errors.ts";

// Template-management limits (reference/cloud-api.md §7 and §8), counted in rolling windows on the
// simulator clock, so tests move through them with advanceTime. The Business Management API's
// hourly request budget, which the template endpoints also count against, is in
// ./business-management-limits.ts.

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export const TEMPLATE_CREATIONS_PER_HOUR = 100;
export const APPROVED_EDITS_PER_DAY = 1;
export const APPROVED_EDITS_PER_30_DAYS = 10;

function keepRecent(times: readonly number[], now: number, windowMs: number): number[] {
  return times.filter((t) => now - t < windowMs);
}

// Before a creation: the WABA's template cap (an option), then 100 creations per rolling hour.
// Only creations that succeeded count, so a refused request does not push the window further.
export function checkTemplateCreation(ctx: SimContext): void {
  const cap = ctx.options.templatesPerWaba;
  if (ctx.state.templates.size >= cap) {
    throw new GraphError(
      100,
      `The WhatsApp Business Account has reached its limit of ${cap} message templates.`,
      templateErrorSubcodes.templateLimitReached,
    );
  }
  const now = ctx.clock.now();
  ctx.state.templateCreationTimes = keepRecent(ctx.state.templateCreationTimes, now, HOUR_MS);
  if (ctx.state.templateCreationTimes.length >= TEMPLATE_CREATIONS_PER_HOUR) {
    // The reference gives this limit no code; 80007 ("WABA rate limit reached", HTTP 400) is the
    // documented per-WABA rate-limit error closest to it.
    throw new GraphError(
      80007,
      `Message template creation is limited to ${TEMPLATE_CREATIONS_PER_HOUR} templates per WhatsApp Business Account per hour.`,
    );
  }
}

export function recordTemplateCreation(ctx: SimContext): void {
  ctx.state.templateCreationTimes.push(ctx.clock.now());
}

// Before an edit of an APPROVED template: at most 10 edits in 30 days and 1 in 24 hours. The
// reference gives these limits no code; they are refused as invalid requests (code 100, HTTP 400)
// with details that say which limit applies, the longer one first since it is the later to clear.
export function checkApprovedTemplateEdit(ctx: SimContext, template: TemplateRecord): void {
  const now = ctx.clock.now();
  const edits = keepRecent(template.approvedEditTimes ?? [], now, 30 * DAY_MS);
  template.approvedEditTimes = edits;
  if (edits.length >= APPROVED_EDITS_PER_30_DAYS) {
    throw new GraphError(100, `An approved message template can be edited at most ${APPROVED_EDITS_PER_30_DAYS} times in 30 days.`);
  }
  if (keepRecent(edits, now, DAY_MS).length >= APPROVED_EDITS_PER_DAY) {
    throw new GraphError(100, "An approved message template can be edited once in 24 hours.");
  }
}

export function recordApprovedTemplateEdit(ctx: SimContext, template: TemplateRecord): void {
  template.approvedEditTimes = [...(template.approvedEditTimes ?? []), ctx.clock.now()];
}
