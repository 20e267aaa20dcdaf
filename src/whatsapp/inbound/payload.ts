import { z } from "zod";

// Meta's webhook payloads (reference/cloud-api.md §3), strict where we depend on a field and
// forward compatible everywhere else: objects are loose (unknown fields kept). Nothing is dropped:
// unknown message types are stored as messages, unknown change fields and items that do not parse
// become number events naming their type, and errors Meta reports are recorded against the number.

const id = z.string().min(1).max(256);
const unixSeconds = z
  .union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()])
  .transform((value) => new Date(Number(value) * 1000));

export const contactSchema = z.looseObject({
  wa_id: z.string().max(32).optional(),
  user_id: z.string().max(200).optional(),
  profile: z.looseObject({ name: z.string().max(1000).optional(), username: z.string().max(200).optional() }).optional(),
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
  system: z
    .looseObject({
      type: z.string().max(64).optional(),
      body: z.string().max(4096).optional(),
      wa_id: z.string().max(32).optional(),
      user_id: z.string().max(200).optional(),
      previous_user_id: z.string().max(200).optional(),
      // user_preference_changed: the user stopped or resumed marketing messages (§2.4, older form).
      marketing: z.string().max(40).optional(),
    })
    .optional(),
  errors: z.array(z.unknown()).max(100).optional(),
});
export type InboundMessage = z.infer<typeof messageSchema>;

/** An error as Meta reports it in `value.errors`, `statuses[].errors` and `messages[].errors`. */
export const metaErrorSchema = z.looseObject({
  code: z.number().int(),
  title: z.string().max(1000).optional(),
  message: z.string().max(2000).optional(),
  error_data: z.looseObject({ details: z.string().max(2000).optional() }).optional(),
});
export type MetaError = z.infer<typeof metaErrorSchema>;

const statusErrorSchema = metaErrorSchema;

export const statusSchema = z.looseObject({
  id,
  status: z.string().min(1).max(40),
  timestamp: unixSeconds,
  // A message sent to a BSUID is reported with `recipient_user_id` and no `recipient_id`: statuses
  // are matched by wamid (or Parley's send id), never by who received them.
  recipient_id: z.string().max(64).optional(),
  recipient_user_id: z.string().max(200).optional(),
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

/** One entry of a `user_preferences` change (reference/messaging-and-integrations.md §2.4). */
export const userPreferenceSchema = z.looseObject({
  wa_id: z.string().max(32),
  category: z.string().max(64),
  value: z.string().max(40),
  detail: z.string().max(1000).optional(),
  timestamp: unixSeconds,
});
export type UserPreference = z.infer<typeof userPreferenceSchema>;

export const userPreferencesValueSchema = z.looseObject({
  messaging_product: z.string().max(40).optional(),
  metadata: z.looseObject({ phone_number_id: z.string().max(32), display_phone_number: z.string().max(40).optional() }),
  contacts: z.array(contactSchema).max(1_000).optional(),
  user_preferences: z.array(z.unknown()).max(1_000),
});

// Meta documents template webhooks without a top-level `object`: it is optional.
export const envelopeSchema = z.looseObject({
  object: z.string().max(100).optional(),
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

/** Webhook fields about templates, applied by ../templates/status.ts. */
export const TEMPLATE_FIELDS: ReadonlySet<string> = new Set([
  "message_template_status_update",
  "template_category_update",
  "message_template_quality_update",
  "message_template_components_update",
]);

/** Something in a `messages` change that could not be read: its item kind and type, if it had one. */
export type UnparsedItem = { item: "message" | "status" | "error"; type: string | null };

export type ParsedChange =
  | {
      kind: "messages";
      phoneNumberId: string;
      contacts: z.infer<typeof contactSchema>[];
      messages: InboundMessage[];
      statuses: InboundStatus[];
      errors: MetaError[];
      unparsed: UnparsedItem[];
      /** Where the change sits in the delivery (entry and change index), for idempotent events. */
      position: string;
    }
  | { kind: "template"; field: string }
  | {
      kind: "user_preferences";
      phoneNumberId: string;
      preferences: UserPreference[];
      /** Entries that did not parse, by index. */
      unparsed: number;
      position: string;
    }
  | { kind: "unsupported"; field: string; wabaId: string; phoneNumberId: string | null; value: unknown; position: string };

function typeOf(item: unknown, key: string): string | null {
  if (item === null || typeof item !== "object") return null;
  const value = (item as Record<string, unknown>)[key];
  return typeof value === "string" ? value.slice(0, 40) : null;
}

/**
 * Splits a delivery into changes. Items that do not parse are kept aside (with their type) rather
 * than failing the whole delivery: one odd item must not hold back a batch of 1,000 good ones.
 */
export function parseWebhook(json: unknown): ParsedChange[] {
  const envelope = envelopeSchema.parse(json);
  const changes: ParsedChange[] = [];
  envelope.entry.forEach((entry, entryIndex) => {
    entry.changes.forEach((change, changeIndex) => {
      const position = `${entryIndex}.${changeIndex}`;
      if (TEMPLATE_FIELDS.has(change.field)) {
        changes.push({ kind: "template", field: change.field });
        return;
      }
      if (change.field === "user_preferences") {
        const value = userPreferencesValueSchema.safeParse(change.value);
        if (value.success) {
          const preferences: UserPreference[] = [];
          let unparsed = 0;
          for (const item of value.data.user_preferences) {
            const parsed = userPreferenceSchema.safeParse(item);
            if (parsed.success) preferences.push(parsed.data);
            else unparsed += 1;
          }
          changes.push({ kind: "user_preferences", phoneNumberId: value.data.metadata.phone_number_id, preferences, unparsed, position });
          return;
        }
      }
      const value = change.field === "messages" ? messagesValueSchema.safeParse(change.value) : undefined;
      if (!value?.success) {
        const metadata =
          change.value && typeof change.value === "object"
            ? (change.value as { metadata?: { phone_number_id?: unknown } }).metadata
            : undefined;
        const phoneNumberId = typeof metadata?.phone_number_id === "string" ? metadata.phone_number_id : null;
        changes.push({ kind: "unsupported", field: change.field, wabaId: entry.id, phoneNumberId, value: change.value, position });
        return;
      }
      const unparsed: UnparsedItem[] = [];
      const messages: InboundMessage[] = [];
      for (const item of value.data.messages ?? []) {
        const parsed = messageSchema.safeParse(item);
        if (parsed.success) messages.push(parsed.data);
        else unparsed.push({ item: "message", type: typeOf(item, "type") });
      }
      const statuses: InboundStatus[] = [];
      for (const item of value.data.statuses ?? []) {
        const parsed = statusSchema.safeParse(item);
        if (parsed.success) statuses.push(parsed.data);
        else unparsed.push({ item: "status", type: typeOf(item, "status") });
      }
      const errors: MetaError[] = [];
      for (const item of value.data.errors ?? []) {
        const parsed = metaErrorSchema.safeParse(item);
        if (parsed.success) errors.push(parsed.data);
        else unparsed.push({ item: "error", type: null });
      }
      changes.push({
        kind: "messages",
        phoneNumberId: value.data.metadata.phone_number_id,
        contacts: value.data.contacts ?? [],
        messages,
        statuses,
        errors,
        unparsed,
        position,
      });
    });
  });
  return changes;
}

/** The errors attached to a message (Meta's `unsupported` messages carry them), each that parses. */
export function messageErrors(message: InboundMessage): MetaError[] {
  return (message.errors ?? []).flatMap((item) => {
    const parsed = metaErrorSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The content kept (encrypted) for a message: its type object without media URLs, plus context flags. */
export function messageContent(message: InboundMessage): Record<string, unknown> {
  const body = (message as Record<string, unknown>)[message.type];
  const content: Record<string, unknown> = {};
  if (body && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      // Media URLs expire in minutes and carry access hashes: never stored (a location's url is the place's).
      if (key === "url" && (MEDIA_TYPES as readonly string[]).includes(message.type)) continue;
      content[key] = value;
    }
  } else if (body !== undefined) {
    content.value = body;
  }
  // Errors explain what an `unsupported` message was: kept as code and title.
  const errors = messageErrors(message);
  if (errors.length > 0) content.errors = errors.map((error) => ({ code: error.code, title: error.title ?? null }));
  return content;
}

export function mediaOf(message: InboundMessage): z.infer<typeof mediaSchema> | undefined {
  return (MEDIA_TYPES as readonly string[]).includes(message.type) ? message[message.type as MediaType] : undefined;
}

/** A WhatsApp business-scoped user id (BSUID): country code, a dot, then letters and digits (parents add `ENT.`). */
export const WA_USER_ID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;
