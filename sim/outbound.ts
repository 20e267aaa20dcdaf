import type { SimContext } from "./context.ts";
import { findRecipient } from "./customers.ts";
import type { OutboundMessageRecord } from "./state.ts";
import { buildStatusChange } from "./webhooks/payloads.ts";

type Step = "sent" | "delivered" | "read";

function payloadOptions(ctx: SimContext): { apiVersion: number; includeUserIds: boolean } {
  return { apiVersion: ctx.options.webhookApiVersion, includeUserIds: ctx.options.includeUserIds };
}

function emitFailure(ctx: SimContext, message: OutboundMessageRecord): void {
  if (!message.failure || message.status === "failed") return;
  const phone = ctx.state.phoneNumbers.get(message.phoneNumberId);
  if (!phone) return;
  const now = ctx.clock.now();
  message.status = "failed";
  message.statusHistory.push({ status: "failed", at: now });
  ctx.dispatcher.enqueue(buildStatusChange(phone, message, undefined, "failed", now, payloadOptions(ctx), message.failure));
}

// Emits every planned status up to and including `target`, in ladder order.
export function advanceMessageStatus(ctx: SimContext, message: OutboundMessageRecord, target?: Step): void {
  if (message.failure) {
    emitFailure(ctx, message);
    return;
  }
  const phone = ctx.state.phoneNumbers.get(message.phoneNumberId);
  if (!phone) return;
  const customer = findRecipient(ctx, message);
  while (message.plannedStatuses.length > 0) {
    const next = message.plannedStatuses[0];
    if (!next) break;
    if (target !== undefined && ORDER[next] > ORDER[target]) break;
    message.plannedStatuses.shift();
    const now = ctx.clock.now();
    message.status = next;
    message.statusHistory.push({ status: next, at: now });
    ctx.dispatcher.enqueue(buildStatusChange(phone, message, customer, next, now, payloadOptions(ctx)));
  }
}

const ORDER: Record<Step, number> = { sent: 1, delivered: 2, read: 3 };

export function scheduleStatusProgress(ctx: SimContext, message: OutboundMessageRecord): void {
  const timing = ctx.options.statusTiming;
  if (message.failure) {
    if (timing.sentMs !== null) ctx.scheduler.schedule(timing.sentMs, () => emitFailure(ctx, message));
    return;
  }
  const delays: Record<Step, number | null> = { sent: timing.sentMs, delivered: timing.deliveredMs, read: timing.readMs };
  for (const step of [...message.plannedStatuses]) {
    const delay = delays[step];
    if (delay === null) break;
    ctx.scheduler.schedule(delay, () => {
      if (ctx.state.outbound.get(message.wamid) === message) advanceMessageStatus(ctx, message, step);
    });
  }
}

export function settleAllStatuses(ctx: SimContext): void {
  for (const message of ctx.state.outbound.values()) advanceMessageStatus(ctx, message);
}
