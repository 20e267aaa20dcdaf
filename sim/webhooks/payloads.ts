import type { CustomerRecord, OutboundMessageRecord, PhoneNumberRecord, TemplateRecord, WebhookError } from "../state.ts";
import type { WebhookChange } from "./dispatcher.ts";

// Builders for `value` objects in the key order Meta uses (reference/cloud-api.md §3.6), since
// key order is part of the signed bytes.

export type PayloadOptions = { apiVersion: number; includeUserIds: boolean };

function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

function metadataOf(phone: PhoneNumberRecord): Record<string, string> {
  return { display_phone_number: phone.displayPhoneNumber, phone_number_id: phone.id };
}

export function buildInboundMessageChange(
  phone: PhoneNumberRecord,
  customer: CustomerRecord,
  message: Record<string, unknown>,
  options: PayloadOptions,
): WebhookChange {
  const contact: Record<string, unknown> = { profile: { name: customer.name } };
  if (customer.waId !== undefined) contact.wa_id = customer.waId;
  // A user known only by a BSUID is named by it whatever the API version's defaults.
  if (options.includeUserIds || customer.waId === undefined) contact.user_id = customer.userId;
  return {
    field: "messages",
    value: { messaging_product: "whatsapp", metadata: metadataOf(phone), contacts: [contact], messages: [message] },
  };
}

// Common fields of an inbound message, with `context` first as in Meta's examples.
export function buildInboundMessage(input: {
  customer: CustomerRecord;
  wamid: string;
  timestampMs: number;
  type: string;
  payload: Record<string, unknown>;
  context: Record<string, unknown> | undefined;
  includeUserIds: boolean;
}): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  if (input.context) message.context = input.context;
  if (input.customer.waId !== undefined) message.from = input.customer.waId;
  if (input.includeUserIds || input.customer.waId === undefined) message.from_user_id = input.customer.userId;
  message.id = input.wamid;
  message.timestamp = unixSeconds(input.timestampMs);
  message.type = input.type;
  message[input.type] = input.payload;
  return message;
}

export function buildStatusChange(
  phone: PhoneNumberRecord,
  message: OutboundMessageRecord,
  customer: CustomerRecord | undefined,
  status: "sent" | "delivered" | "read" | "failed",
  atMs: number,
  options: PayloadOptions,
  error?: WebhookError,
): WebhookChange {
  const entry: Record<string, unknown> = {
    id: message.wamid,
    status,
    timestamp: unixSeconds(atMs),
  };
  // A message sent to a `recipient` BSUID is reported by the BSUID alone, never by the phone.
  if (message.to !== undefined) entry.recipient_id = message.to;
  if (message.recipientUserId !== undefined) entry.recipient_user_id = message.recipientUserId;
  else if (options.includeUserIds && customer) entry.recipient_user_id = customer.userId;
  if (message.bizOpaqueCallbackData !== undefined) entry.biz_opaque_callback_data = message.bizOpaqueCallbackData;
  // v23 and lower: conversation + pricing on sent and delivered. v24+: no conversation (outside
  // free-entry-point windows) and pricing on exactly one status; the simulator picks `sent`.
  const legacy = options.apiVersion <= 23;
  const withPricing = status !== "failed" && message.type !== "reaction" && (legacy ? status !== "read" : status === "sent");
  if (legacy && withPricing) {
    entry.conversation = {
      id: message.wamid
        .slice(6, 38)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "0"),
      ...(status === "sent" ? { expiration_timestamp: unixSeconds(atMs + 86_400_000) } : {}),
      origin: { type: message.pricingCategory },
    };
  }
  if (withPricing) {
    entry.pricing = {
      billable: message.pricingType === "regular",
      pricing_model: "PMP",
      type: message.pricingType,
      category: message.pricingCategory,
    };
  }
  if (status === "failed" && error) entry.errors = [error];
  const value: Record<string, unknown> = { messaging_product: "whatsapp", metadata: metadataOf(phone) };
  if (status === "delivered" || status === "read") {
    if (message.recipientUserId !== undefined) value.contacts = [{ user_id: message.recipientUserId }];
    else if (options.includeUserIds && customer) value.contacts = [{ wa_id: customer.waId, user_id: customer.userId }];
  }
  value.statuses = [entry];
  return { field: "messages", value };
}

/**
 * The `user_preferences` change a user's "Offers and announcements" switch produces
 * (reference/messaging-and-integrations.md §2.4): `value` is stop or resume.
 */
export function buildUserPreferencesChange(
  phone: PhoneNumberRecord,
  customer: CustomerRecord & { waId: string },
  value: "stop" | "resume",
  atMs: number,
): WebhookChange {
  return {
    field: "user_preferences",
    value: {
      messaging_product: "whatsapp",
      metadata: metadataOf(phone),
      contacts: [{ wa_id: customer.waId }],
      user_preferences: [
        {
          wa_id: customer.waId,
          detail: value === "stop" ? "User requested to stop marketing messages" : "User requested to resume marketing messages",
          category: "marketing_messages",
          value,
          timestamp: Number(unixSeconds(atMs)),
        },
      ],
    },
  };
}

export type TemplateReviewOutcome = {
  event: "APPROVED" | "REJECTED";
  reason: string;
  rejectionInfo?: { reason: string; recommendation: string } | undefined;
  // Approved in another category than asked (§1.5: UTILITY judged MARKETING is approved as MARKETING).
  category?: "AUTHENTICATION" | "MARKETING" | "UTILITY" | undefined;
};

export function buildTemplateStatusChange(template: TemplateRecord, outcome: TemplateReviewOutcome): WebhookChange {
  const value: Record<string, unknown> = {
    event: outcome.event,
    message_template_id: Number(template.id),
    message_template_name: template.name,
    message_template_language: template.language,
    reason: outcome.reason,
    message_template_category: template.category,
  };
  if (outcome.rejectionInfo) value.rejection_info = outcome.rejectionInfo;
  return { field: "message_template_status_update", value };
}
