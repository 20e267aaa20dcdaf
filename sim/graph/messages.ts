import type { SimContext } from "../context.ts";
import { findCustomerByUserId, findOrCreateCustomer, isServiceWindowOpen, USER_ID_PATTERN } from "../customers.ts";
import { SERVICE_WINDOW_MS } from "../options.ts";
import { deliveryTtlMs, holdForDelivery, scheduleStatusProgress } from "../outbound.ts";
import { createWamid } from "../random.ts";
import type {
  CustomerRecord,
  InboundMessageRecord,
  OutboundMessageRecord,
  PhoneNumberRecord,
  TemplateRecord,
  WebhookError,
} from "../state.ts";
import { buildWebhookError, GraphError, invalidParameter, missingParameter, unsupportedRequest } from "./errors.ts";
import { checkInteractiveButtons, checkInteractiveList } from "./interactive.ts";
import type { MediaType } from "./send-schema.ts";
import {
  interactiveButtonSchema,
  interactiveListSchema,
  interactiveTypeSchema,
  locationSchema,
  markReadSchema,
  mediaSchemas,
  reactionSchema,
  sendBaseSchema,
  templateSchema,
  textSchema,
} from "./send-schema.ts";
import { parseGraphParams } from "./validation.ts";

export type SendOutcome = { status: number; body: unknown; dropResponse: boolean };

const THROUGHPUT_WINDOW_MS = 1_000;

// The list Meta names when `type` is not one it sends.
const MESSAGE_TYPES = "AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LINK_PREVIEW, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO";

export function findPhoneNumber(ctx: SimContext, id: string): PhoneNumberRecord {
  const phone = ctx.state.phoneNumbers.get(id);
  if (!phone) throw unsupportedRequest("POST", id);
  return phone;
}

// "+1 (650) 555-1234" → "16505551234"; Meta accepts these separators in `to`.
export function normalizeRecipient(to: string): string {
  const digits = to.replace(/[\s+\-().]/g, "");
  if (!/^\d{5,20}$/.test(digits)) throw new GraphError(100, "Param to is not a valid phone number.");
  return digits;
}

// `to` (a phone) or `recipient` (a BSUID, from May 2026): exactly one.
function parseRecipient(request: {
  to?: string | undefined;
  recipient?: string | undefined;
}): { waId: string; userId: undefined } | { waId: undefined; userId: string } {
  if (request.to !== undefined && request.recipient !== undefined)
    throw invalidParameter("Param to and param recipient cannot be used together.");
  if (request.recipient !== undefined) {
    if (!USER_ID_PATTERN.test(request.recipient)) throw invalidParameter("Param recipient is not a valid business-scoped user ID.");
    return { waId: undefined, userId: request.recipient };
  }
  if (request.to === undefined) throw missingParameter("to");
  return { waId: normalizeRecipient(request.to), userId: undefined };
}

// A BSUID nobody wrote from is no WhatsApp user the business can reach: the send is accepted and
// fails as undeliverable (131026), and no customer is created for it.
function findRecipientCustomer(
  ctx: SimContext,
  recipient: { waId: string; userId: undefined } | { waId: undefined; userId: string },
): CustomerRecord {
  if (recipient.waId !== undefined) return findOrCreateCustomer(ctx, recipient.waId);
  return (
    findCustomerByUserId(ctx, recipient.userId) ?? {
      waId: undefined,
      name: "",
      userId: recipient.userId,
      onWhatsApp: false,
      readsMessages: false,
      marketingStopped: false,
      reachable: true,
      lastInboundAt: undefined,
      pairTat: new Map<string, number>(),
    }
  );
}

function isMediaType(type: string): type is MediaType {
  return Object.hasOwn(mediaSchemas, type);
}

function checkThroughput(ctx: SimContext, phone: PhoneNumberRecord): void {
  const now = ctx.clock.now();
  phone.recentSends = phone.recentSends.filter((t) => now - t < THROUGHPUT_WINDOW_MS);
  if (phone.recentSends.length >= phone.throughput) throw new GraphError(130429, undefined, 2494055);
  phone.recentSends.push(now);
}

// Pair rate limit as GCRA: one message per interval, with a burst allowance that borrows from the
// future (a burst of 20 means ~2 minutes before the pair is back to one per 6 s).
function checkPairRate(ctx: SimContext, phone: PhoneNumberRecord, customer: CustomerRecord): void {
  const { intervalMs, burst } = ctx.options.pairRateLimit;
  const now = ctx.clock.now();
  const tat = Math.max(customer.pairTat.get(phone.id) ?? now, now);
  if (tat - now > (burst - 1) * intervalMs) throw new GraphError(131056);
  customer.pairTat.set(phone.id, tat + intervalMs);
}

function countPositionalParams(text: string): number {
  const found = new Set<string>();
  for (const match of text.matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/g)) if (match[1]) found.add(match[1]);
  return found.size;
}

function findSendableTemplate(ctx: SimContext, wabaId: string, name: string, language: string): TemplateRecord {
  const template = [...ctx.state.templates.values()].find((t) => t.wabaId === wabaId && t.name === name && t.language === language);
  if (!template || template.status === "PENDING" || template.status === "REJECTED") {
    throw new GraphError(132001, `template name (${name}) does not exist in ${language}`);
  }
  if (template.status === "PAUSED") throw new GraphError(132015);
  if (template.status === "DISABLED") throw new GraphError(132016);
  return template;
}

function checkTemplateParameters(template: TemplateRecord, components: { type: string; parameters?: unknown[] | undefined }[]): void {
  const body = template.components.find((c) => String(c.type).toUpperCase() === "BODY");
  const expected = typeof body?.text === "string" ? countPositionalParams(body.text) : 0;
  const given = components.find((c) => c.type === "body")?.parameters?.length ?? 0;
  if (expected !== given) {
    throw new GraphError(
      132000,
      `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
    );
  }
}

function validateMessage(
  ctx: SimContext,
  phone: PhoneNumberRecord,
  type: string,
  body: Record<string, unknown>,
): TemplateRecord | undefined {
  const payload = body[type];
  if (payload === undefined) throw missingParameter(type);
  switch (type) {
    case "text":
      parseGraphParams(textSchema, payload, type);
      return undefined;
    case "reaction": {
      const reaction = parseGraphParams(reactionSchema, payload, type);
      if (!ctx.state.outbound.has(reaction.message_id) && !ctx.state.inbound.has(reaction.message_id)) {
        throw new GraphError(131009, "Invalid message_id in reaction.");
      }
      return undefined;
    }
    case "location":
      parseGraphParams(locationSchema, payload, type);
      return undefined;
    case "interactive": {
      const { type: kind } = parseGraphParams(interactiveTypeSchema, payload, type);
      if (kind === "button") checkInteractiveButtons(parseGraphParams(interactiveButtonSchema, payload, type));
      else checkInteractiveList(parseGraphParams(interactiveListSchema, payload, type));
      return undefined;
    }
    case "template": {
      const template = parseGraphParams(templateSchema, payload, type);
      const record = findSendableTemplate(ctx, phone.wabaId, template.name, template.language.code);
      checkTemplateParameters(record, template.components ?? []);
      return record;
    }
    default: {
      if (!isMediaType(type)) throw invalidParameter(`Param type must be one of {${MESSAGE_TYPES}} - got "${type}".`);
      const media = parseGraphParams(mediaSchemas[type], payload, type);
      if (media.id !== undefined) {
        const stored = ctx.state.media.get(media.id);
        if (!stored || stored.deleted || stored.phoneNumberId !== phone.id) {
          throw invalidParameter(`Param ${type}['id'] is not a valid whatsapp business account media attachment ID`);
        }
      }
      return undefined;
    }
  }
}

function markRead(ctx: SimContext, phone: PhoneNumberRecord, body: unknown): SendOutcome {
  const request = parseGraphParams(markReadSchema, body);
  const target = ctx.state.inbound.get(request.message_id);
  if (!target || target.phoneNumberId !== phone.id) throw new GraphError(100, "Invalid parameter message_id.");
  // Marking one message read marks the earlier messages in the thread read too; the thread is the
  // sender's phone, or their BSUID when they wrote without one.
  const sameSender = (message: InboundMessageRecord) =>
    target.from !== undefined ? message.from === target.from : message.fromUserId === target.fromUserId;
  for (const message of ctx.state.inbound.values()) {
    if (message.phoneNumberId === phone.id && sameSender(message) && message.receivedAt <= target.receivedAt) message.readByBusiness = true;
  }
  return { status: 200, body: { success: true }, dropResponse: false };
}

function takeInjectedFailure(ctx: SimContext): { code: number; mode: "sync" | "async"; details: string | undefined } | undefined {
  const fault = ctx.state.faults.failSends;
  if (!fault || fault.remaining <= 0) return undefined;
  fault.remaining -= 1;
  if (fault.remaining === 0) ctx.state.faults.failSends = undefined;
  return { code: fault.code, mode: fault.mode, details: fault.details };
}

export function handleSendMessage(ctx: SimContext, phoneNumberId: string, body: unknown): SendOutcome {
  const phone = findPhoneNumber(ctx, phoneNumberId);
  if (body !== null && typeof body === "object" && (body as Record<string, unknown>).status === "read") return markRead(ctx, phone, body);

  const request = parseGraphParams(sendBaseSchema, body);
  const type = request.type;
  if (type === "reaction" && request.context) throw new GraphError(100, "Param context is not allowed for reaction messages.");
  const injected = takeInjectedFailure(ctx);
  if (injected?.mode === "sync") throw new GraphError(injected.code, injected.details);
  checkThroughput(ctx, phone);
  if (!phone.registered) throw new GraphError(133010);
  const recipient = parseRecipient(request);
  const { waId, userId } = recipient;
  const allowedId = waId ?? (userId === undefined ? undefined : findCustomerByUserId(ctx, userId)?.waId);
  if (ctx.options.allowedRecipients && (allowedId === undefined || !ctx.options.allowedRecipients.includes(allowedId)))
    throw new GraphError(131030);
  if (waId === phone.displayPhoneNumber) throw new GraphError(131021);
  const template = validateMessage(ctx, phone, type, request);

  const customer = findRecipientCustomer(ctx, recipient);
  const now = ctx.clock.now();
  const windowOpen = isServiceWindowOpen(customer, now, SERVICE_WINDOW_MS);
  let failure: WebhookError | undefined;
  if (!template && !windowOpen) {
    if (ctx.options.reengagementErrorMode === "sync") throw new GraphError(131047);
    failure = buildWebhookError(131047);
  }
  checkPairRate(ctx, phone, customer);
  if (injected) failure = buildWebhookError(injected.code, injected.details);
  else if (!customer.onWhatsApp) failure = buildWebhookError(131026);
  // Meta accepts a marketing template to a user who stopped marketing messages, then fails it (§2.4).
  else if (template?.category === "MARKETING" && customer.marketingStopped) failure = buildWebhookError(131050);

  const category = template ? template.category.toLowerCase() : "service";
  const free = !template || (windowOpen && category === "utility");
  const message: OutboundMessageRecord = {
    wamid: createWamid(waId ?? customer.userId),
    phoneNumberId: phone.id,
    to: waId,
    recipientUserId: userId,
    type,
    body: request,
    bizOpaqueCallbackData: request.biz_opaque_callback_data,
    acceptedAt: now,
    pricingCategory: category,
    pricingType: free ? "free_customer_service" : "regular",
    status: "accepted",
    statusHistory: [{ status: "accepted", at: now }],
    // Sent reactions only ever get `sent`; a customer who never opens the chat never reads.
    plannedStatuses: failure
      ? []
      : type === "reaction"
        ? ["sent"]
        : customer.readsMessages
          ? ["sent", "delivered", "read"]
          : ["sent", "delivered"],
    failure,
  };
  ctx.state.outbound.set(message.wamid, message);
  if (!failure && !customer.reachable) holdForDelivery(ctx, message, deliveryTtlMs(template));
  scheduleStatusProgress(ctx, message);

  const dropResponse = ctx.state.faults.dropResponses > 0;
  if (dropResponse) ctx.state.faults.dropResponses -= 1;
  return {
    status: 200,
    body: {
      messaging_product: "whatsapp",
      // Meta answers a send by BSUID with the BSUID, never with the phone behind it.
      contacts: [userId === undefined ? { input: request.to, wa_id: waId } : { input: request.recipient, user_id: userId }],
      messages: [template ? { id: message.wamid, message_status: "accepted" } : { id: message.wamid }],
    },
    dropResponse,
  };
}
