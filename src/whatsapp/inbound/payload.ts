import { z } from "zod";

// Meta's webhook payloads (reference/cloud-api.md §3), strict where we depend on a field and
// forward compatible everywhere else: objects are loose (unknown fields kept), unknown message
// types and unknown change fields parse and are stored but ignored.

const id = z.string().min(1).max(256);
const unixSeconds = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()]).transform((value) => new Date(Number(value) * 1000));

export const contactSchema = z.looseObject({
  wa_id: z.string().max(32).optional(),
  user_id: z.string().max(200).optional(),
  profile: z.looseObject({ name: z.string().max(1000).optional() }).optional(),
});

const mediaSchema = z.looseObject({
  id: z.string().max(64),
  mime_type: z.string().max(255).optional(),
  sha256: z.string().max(128).optional(),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(1000).optional(),
});

export const MEDIA_TYPES = ["image", "video", "audio", "document", "sticker"] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export const messageSchema = z.looseObject({
  from: z.string().max(32).optional(),
  from_user_id: z.string().max(200).optional(),
  id,
  timestamp: unixSeconds,
  type: z.string().min(1).max(40),
  context: z.looseObject({ id: id.optional(), from: z.string().max(32).optional() }).optional(),
  text: z.looseObject({ body: z.string().max(65_536) }).optional(),
  reaction: z.looseObject({ message_id: id, emoji: z.string().max(64).optional() }).optional(),
  image: mediaSchema.optional(),
  video: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  document: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
});
export type InboundMessage = z.infer<typeof messageSchema>;

const statusErrorSchema = z.looseObject({ code: z.number().int(), title: z.string().max(1000).optional() });

export const statusSchema = z.looseObject({
  id,
  status: z.string().min(1).max(40),
  timestamp: unixSeconds,
  recipient_id: z.string().max(64).optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
  errors: z.array(statusErrorSchema).max(100).optional(),
  pricing: z.looseObject({ category: z.string().max(64).optional(), type: z.string().max(64).optional() }).optional(),
});
export type InboundStatus = z.infer<typeof statusSchema>;

export const messagesValueSchema = z.looseObject({
  messaging_product: z.string().max(40).optional(),
  metadata: z.looseObject({ phone_number_id: z.string().max(32), display_phone_number: z.string().max(40).optional() }),
  contacts: z.array(contactSchema).max(1_000).optional(),
  messages: z.array(z.unknown()).max(1_000).optional(),
  statuses: z.array(z.unknown()).max(1_000).optional(),
  errors: z.array(z.unknown()).max(1_000).optional(),
});

export const envelopeSchema = z.looseObject({
  object: z.string().max(100),
  entry: z
    .array(
      z.looseObject({
        id: z.string().max(64),
        time: z.number().optional(),
        changes: z.array(z.looseObject({ field: z.string().max(100), value: z.unknown() })).max(1_000),
      }),
    )
    .max(1_000),
});
export type WebhookEnvelope = z.infer<typeof envelopeSchema>;

export type ParsedChange =
  | { kind: "messages"; phoneNumberId: string; contacts: z.infer<typeof contactSchema>[]; messages: InboundMessage[]; statuses: InboundStatus[]; skipped: number }
  | { kind: "ignored"; field: string };

/**
 * Splits a delivery into changes. Items that do not parse are counted and skipped rather than
 * failing the whole delivery: one odd item must not hold back a batch of 1,000 good ones.
 */
export function parseWebhook(json: unknown): ParsedChange[] {
  const envelope = envelopeSchema.parse(json);
  const changes: ParsedChange[] = [];
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") {
        changes.push({ kind: "ignored", field: change.field });
        continue;
      }
      const value = messagesValueSchema.safeParse(change.value);
      if (!value.success) {
        changes.push({ kind: "ignored", field: "messages(unparsed)" });
        continue;
      }
      let skipped = 0;
      const messages: InboundMessage[] = [];
      for (const item of value.data.messages ?? []) {
        const parsed = messageSchema.safeParse(item);
        if (parsed.success) messages.push(parsed.data);
        else skipped += 1;
      }
      const statuses: InboundStatus[] = [];
      for (const item of value.data.statuses ?? []) {
        const parsed = statusSchema.safeParse(item);
        if (parsed.success) statuses.push(parsed.data);
        else skipped += 1;
      }
      changes.push({ kind: "messages", phoneNumberId: value.data.metadata.phone_number_id, contacts: value.data.contacts ?? [], messages, statuses, skipped });
    }
  }
  return changes;
}

/** The content kept (encrypted) for a message: its type object without media URLs, plus context flags. */
export function messageContent(message: InboundMessage): Record<string, unknown> {
  const body = (message as Record<string, unknown>)[message.type];
  const content: Record<string, unknown> = {};
  if (body && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      // Media URLs expire in minutes and carry access hashes: never stored.
      if (key === "url") continue;
      content[key] = value;
    }
  } else if (body !== undefined) {
    content.value = body;
  }
  return content;
}

export function mediaOf(message: InboundMessage): z.infer<typeof mediaSchema> | undefined {
  return (MEDIA_TYPES as readonly string[]).includes(message.type) ? message[message.type as MediaType] : undefined;
}
