import { createHash } from "node:crypto";
import { z } from "zod";
import type { SimContext } from "../context.ts";
import { findOrCreateSender, USER_ID_PATTERN } from "../customers.ts";
import { createMediaUrl, storeMedia } from "../graph/media.ts";
import { createWamid } from "../random.ts";
import type { PhoneNumberRecord } from "../state.ts";
import { buildInboundMessage, buildInboundMessageChange } from "../webhooks/payloads.ts";

const waIdSchema = z.string().regex(/^\d{5,20}$/);
// A customer writes from their phone (`from`), or with a username and only a BSUID (`userId`).
const userIdSchema = z.string().regex(USER_ID_PATTERN);
const common = {
  from: waIdSchema.optional(),
  userId: userIdSchema.optional(),
  name: z.string().min(1).max(200).optional(),
  phoneNumberId: z.string().max(40).optional(),
};
const contextId = z.string().min(1).max(256);

// What a simulated customer can do in their WhatsApp app.
export const customerMessageSchema = z.discriminatedUnion("type", [
  z.object({ ...common, type: z.literal("text"), text: z.string().min(1).max(4096), contextMessageId: contextId.optional() }),
  z.object({
    ...common,
    type: z.enum(["image", "video", "audio", "document", "sticker"]),
    mimeType: z.string().max(100).optional(),
    // Base64 file content; a tiny placeholder is used when omitted.
    dataBase64: z.string().max(20_000_000).optional(),
    caption: z.string().max(1024).optional(),
    filename: z.string().max(240).optional(),
  }),
  z.object({
    ...common,
    type: z.literal("button_reply"),
    contextMessageId: contextId,
    id: z.string().min(1).max(256),
    title: z.string().min(1).max(20),
  }),
  z.object({
    ...common,
    type: z.literal("list_reply"),
    contextMessageId: contextId,
    id: z.string().min(1).max(200),
    title: z.string().min(1).max(24),
    description: z.string().max(72).optional(),
  }),
  z.object({ ...common, type: z.literal("button"), contextMessageId: contextId, payload: z.string().max(1000), text: z.string().max(200) }),
  z.object({ ...common, type: z.literal("reaction"), messageId: contextId, emoji: z.string().max(16).optional() }),
  z.object({
    ...common,
    type: z.literal("location"),
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().max(1000).optional(),
    address: z.string().max(1000).optional(),
  }),
]);

export type CustomerMessageInput = z.input<typeof customerMessageSchema>;

const DEFAULT_MIME: Record<string, string> = {
  image: "image/jpeg",
  video: "video/mp4",
  audio: "audio/ogg",
  document: "application/pdf",
  sticker: "image/webp",
};

function pickPhone(ctx: SimContext, id: string | undefined): PhoneNumberRecord {
  const phone = id ? ctx.state.phoneNumbers.get(id) : ctx.state.phoneNumbers.values().next().value;
  if (!phone) throw new Error("unknown phone number id");
  return phone;
}

function buildContext(phone: PhoneNumberRecord, messageId: string | undefined): Record<string, unknown> | undefined {
  return messageId ? { from: phone.displayPhoneNumber, id: messageId } : undefined;
}

// Produces the inbound webhook a real customer message would, and opens the 24-hour window.
export function sendFromCustomer(ctx: SimContext, rawInput: CustomerMessageInput): { wamid: string } {
  const input = customerMessageSchema.parse(rawInput);
  const phone = pickPhone(ctx, input.phoneNumberId);
  const customer = findOrCreateSender(ctx, { waId: input.from, userId: input.userId, name: input.name });
  const now = ctx.clock.now();
  const wamid = createWamid(customer.waId ?? customer.userId);
  let type: string = input.type;
  let payload: Record<string, unknown>;
  let context: Record<string, unknown> | undefined;
  switch (input.type) {
    case "text":
      payload = { body: input.text };
      context = buildContext(phone, input.contextMessageId);
      break;
    case "button_reply":
      type = "interactive";
      payload = { type: "button_reply", button_reply: { id: input.id, title: input.title } };
      context = buildContext(phone, input.contextMessageId);
      break;
    case "list_reply":
      type = "interactive";
      payload = {
        type: "list_reply",
        list_reply: { id: input.id, title: input.title, ...(input.description === undefined ? {} : { description: input.description }) },
      };
      context = buildContext(phone, input.contextMessageId);
      break;
    case "button":
      payload = { payload: input.payload, text: input.text };
      context = buildContext(phone, input.contextMessageId);
      break;
    case "reaction":
      payload = { message_id: input.messageId, ...(input.emoji === undefined ? {} : { emoji: input.emoji }) };
      break;
    case "location":
      payload = {
        latitude: input.latitude,
        longitude: input.longitude,
        ...(input.name ? { name: input.name } : {}),
        ...(input.address ? { address: input.address } : {}),
      };
      break;
    default: {
      const mimeType = input.mimeType ?? DEFAULT_MIME[input.type] ?? "application/octet-stream";
      const bytes = input.dataBase64 ? Buffer.from(input.dataBase64, "base64") : Buffer.from(`sim-${input.type}-${wamid}`);
      const media = storeMedia(ctx, phone.id, mimeType, bytes, input.filename);
      payload = {};
      if (input.caption !== undefined && input.type !== "audio" && input.type !== "sticker") payload.caption = input.caption;
      if (input.type === "document") payload.filename = input.filename ?? "document.pdf";
      payload.mime_type = mimeType;
      // Webhooks carry the hash base64-encoded (the media lookup endpoint answers in hex).
      payload.sha256 = createHash("sha256").update(bytes).digest("base64");
      payload.id = media.id;
      payload.url = createMediaUrl(ctx, media, "webhook");
      if (input.type === "audio") payload.voice = false;
      if (input.type === "sticker") payload.animated = false;
    }
  }
  const message = buildInboundMessage({
    customer,
    wamid,
    timestampMs: now,
    type,
    payload,
    context,
    includeUserIds: ctx.options.includeUserIds,
  });
  ctx.state.inbound.set(wamid, {
    wamid,
    phoneNumberId: phone.id,
    from: customer.waId,
    fromUserId: customer.userId,
    type,
    receivedAt: now,
    readByBusiness: false,
    message,
  });
  customer.lastInboundAt = now;
  ctx.dispatcher.enqueue(
    buildInboundMessageChange(phone, customer, message, {
      apiVersion: ctx.options.webhookApiVersion,
      includeUserIds: ctx.options.includeUserIds,
    }),
  );
  return { wamid };
}
