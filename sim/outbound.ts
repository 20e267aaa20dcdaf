import type { SimContext } from "./context.ts";
import { findRecipient } from "./customers.ts";
import type { CustomerRecord, OutboundMessageRecord, TemplateRecord } from "./state.ts";
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

const DAY_MS = 24 * 60 * 60 * 1000;
// Longer timers overflow Node's setTimeout; such an expiry is applied when the customer is back.
const MAX_TIMER_MS = 2_000_000_000;

/**
 * Meta's delivery time-to-live (cloud-api.md §2, messaging-and-integrations.md §1.4): the
 * template's message_send_ttl_seconds when set (-1 is the default), else 30 days, and 10 minutes
 * for authentication templates.
 */
export function deliveryTtlMs(template: TemplateRecord | undefined): number {
  const seconds = template?.messageSendTtlSeconds;
  if (seconds !== undefined && seconds > 0) return seconds * 1000;
  return template?.category === "AUTHENTICATION" ? 10 * 60 * 1000 : 30 * DAY_MS;
}

/**
 * The message waits on WhatsApp's side for an unreachable customer: `sent`, but delivered (and
 * read) only if the customer is reachable again before `deliverBy`. Past it the message is
 * dropped. Meta documents no webhook for that ("no delivered within the TTL: assume dropped"), so
 * none is sent: the business sees `sent` and never `delivered`.
 */
export function holdForDelivery(ctx: SimContext, message: OutboundMessageRecord, ttlMs: number): void {
  message.heldStatuses = message.plannedStatuses.filter((step): step is "delivered" | "read" => step !== "sent");
  message.plannedStatuses = message.plannedStatuses.filter((step) => step === "sent");
  message.deliverBy = message.acceptedAt + ttlMs;
  if (ttlMs <= MAX_TIMER_MS) ctx.scheduler.schedule(ttlMs, () => dropIfExpired(ctx, message));
}

function dropIfExpired(ctx: SimContext, message: OutboundMessageRecord): boolean {
  if (!message.heldStatuses || message.deliverBy === undefined || ctx.clock.now() < message.deliverBy) return false;
  message.heldStatuses = undefined;
  message.droppedAt = ctx.clock.now();
  return true;
}

/** The customer is reachable again: what waited for them and is still within its TTL is delivered. */
export function releaseHeldMessages(ctx: SimContext, customer: CustomerRecord): void {
  for (const message of ctx.state.outbound.values()) {
    if (!message.heldStatuses || findRecipient(ctx, message) !== customer || dropIfExpired(ctx, message)) continue;
    message.plannedStatuses.push(...message.heldStatuses);
    message.heldStatuses = undefined;
    scheduleStatusProgress(ctx, message);
  }
}

export function settleAllStatuses(ctx: SimContext): void {
  for (const message of ctx.state.outbound.values()) advanceMessageStatus(ctx, message);
}
