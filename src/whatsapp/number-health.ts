import { z } from "zod";
import type { MessagingLimit, QualityRating } from "./schema.ts";

// What Meta says of a number's health, in Parley's vocabulary (reference messaging-and-integrations
// §2.1, §2.2, §4.1): the quality rating, the messaging limit, throughput, Meta's status and the
// display name's review. Read from `GET /{PHONE_NUMBER_ID}?fields=…` and from three webhook fields.
// Meta's forms vary (integers and strings, older tiers, `field` sometimes inside `value`), so every
// reader here accepts them all and answers undefined for what it does not know, never throws.

export const HEALTH_FIELDS = [
  "status",
  "quality_rating",
  "throughput",
  "whatsapp_business_manager_messaging_limit",
  "name_status",
  "code_verification_status",
  "platform_type",
] as const;

/** The webhook fields that carry health: applied to the numbers, and still recorded as number events. */
export const HEALTH_WEBHOOK_FIELDS: ReadonlySet<string> = new Set([
  "phone_number_quality_update",
  "business_capability_update",
  "account_update",
]);

const WORD = /^[A-Za-z0-9_]{1,60}$/;

/** GREEN | YELLOW | RED; NA, UNKNOWN and anything else → UNKNOWN; undefined when absent. */
export function normalizeQualityRating(value: unknown): QualityRating | undefined {
  if (typeof value !== "string") return undefined;
  const upper = value.toUpperCase();
  return upper === "GREEN" || upper === "YELLOW" || upper === "RED" ? upper : "UNKNOWN";
}

const LIMIT_BY_NUMBER = new Map<number, MessagingLimit>([
  [250, "TIER_250"],
  [2000, "TIER_2K"],
  [10_000, "TIER_10K"],
  [100_000, "TIER_100K"],
  [-1, "TIER_UNLIMITED"],
]);

// Older forms: TIER_50 was below today's floor of 250 and the 1K step became 2K when it was removed
// (2025-10), so each maps to the tier that replaced it.
const LIMIT_BY_NAME: Record<string, MessagingLimit | null> = {
  TIER_50: "TIER_250",
  TIER_250: "TIER_250",
  TIER_1K: "TIER_2K",
  TIER_2K: "TIER_2K",
  TIER_10K: "TIER_10K",
  TIER_100K: "TIER_100K",
  TIER_UNLIMITED: "TIER_UNLIMITED",
  TIER_NOT_SET: null,
};

/**
 * A messaging limit in any of Meta's forms (TIER_2K, 2000, "2000", -1, TIER_1K) as a tier; null for
 * TIER_NOT_SET; undefined when the value is absent or not a limit.
 */
export function normalizeMessagingLimit(value: unknown): MessagingLimit | null | undefined {
  if (typeof value === "number") return LIMIT_BY_NUMBER.get(value);
  if (typeof value !== "string") return undefined;
  const text = value.trim().toUpperCase();
  if (/^-?\d{1,7}$/.test(text)) return LIMIT_BY_NUMBER.get(Number(text));
  return Object.hasOwn(LIMIT_BY_NAME, text) ? LIMIT_BY_NAME[text] : undefined;
}

function word(value: unknown): string | undefined {
  return typeof value === "string" && WORD.test(value) ? value.toUpperCase() : undefined;
}

/** What a read or a webhook tells of a number; absent keys are left as they are. */
export type NumberHealth = {
  qualityRating?: QualityRating;
  messagingLimit?: MessagingLimit | null;
  throughputLevel?: string;
  metaStatus?: string;
  nameStatus?: string;
  accountEvent?: string;
  codeVerificationStatus?: string;
  platformType?: string;
};

const phoneRead = z.looseObject({
  status: z.unknown().optional(),
  quality_rating: z.unknown().optional(),
  throughput: z.looseObject({ level: z.unknown().optional() }).optional(),
  whatsapp_business_manager_messaging_limit: z.unknown().optional(),
  messaging_limit_tier: z.unknown().optional(),
  name_status: z.unknown().optional(),
  code_verification_status: z.unknown().optional(),
  platform_type: z.unknown().optional(),
});

/** The health in an answer of `GET /{PHONE_NUMBER_ID}?fields=…` (HEALTH_FIELDS). */
export function readPhoneNumberHealth(body: unknown): NumberHealth {
  const parsed = phoneRead.safeParse(body);
  if (!parsed.success) return {};
  const data = parsed.data;
  const health: NumberHealth = {};
  const quality = normalizeQualityRating(data.quality_rating);
  if (quality) health.qualityRating = quality;
  // The limit's current name first; `messaging_limit_tier` (deprecated) only when it is missing.
  const limit = normalizeMessagingLimit(data.whatsapp_business_manager_messaging_limit ?? data.messaging_limit_tier);
  if (limit !== undefined) health.messagingLimit = limit;
  const throughput = word(data.throughput?.level);
  if (throughput) health.throughputLevel = throughput;
  const status = word(data.status);
  if (status) health.metaStatus = status;
  const name = word(data.name_status);
  if (name) health.nameStatus = name;
  const verification = word(data.code_verification_status);
  if (verification) health.codeVerificationStatus = verification;
  const platform = word(data.platform_type);
  if (platform) health.platformType = platform;
  return health;
}

/**
 * A health webhook change, as the product applies it: to the WABA's numbers, or only to the one
 * whose display number ends in `displayLast4` when the change names one (quality updates do; the
 * full number is never kept here).
 */
export type NumberHealthChange = { wabaId: string; field: string; displayLast4: string | null; health: NumberHealth };

const objectValue = z.record(z.string(), z.unknown());

/**
 * Reads one change of a health field. Some of Meta's examples put `field` inside `value`, and
 * `value` may then hold the real value one level down: both shapes are read.
 */
export function parseHealthChange(wabaId: string, field: string, rawValue: unknown): NumberHealthChange | undefined {
  if (!HEALTH_WEBHOOK_FIELDS.has(field)) return undefined;
  const outer = objectValue.safeParse(rawValue);
  if (!outer.success) return undefined;
  const inner = objectValue.safeParse(outer.data.value);
  const value = outer.data.field === field && inner.success ? inner.data : outer.data;
  const display = typeof value.display_phone_number === "string" ? value.display_phone_number.replace(/\D/g, "") : "";
  const displayLast4 = display.length >= 4 ? display.slice(-4) : null;
  const health: NumberHealth = {};
  if (field === "phone_number_quality_update") {
    // Current payloads: `max_daily_conversations_per_business` is the messaging limit and
    // `current_limit` the throughput. Older ones: `current_limit` was the messaging tier.
    const limit = normalizeMessagingLimit(value.max_daily_conversations_per_business ?? value.current_limit);
    if (limit !== undefined) health.messagingLimit = limit;
    const event = word(value.event);
    if (event === "THROUGHPUT_UPGRADE") health.throughputLevel = "HIGH";
    const quality = normalizeQualityRating(value.quality_rating);
    if (quality) health.qualityRating = quality;
  } else if (field === "business_capability_update") {
    const limit = normalizeMessagingLimit(value.max_daily_conversations_per_business ?? value.max_daily_conversation_per_phone);
    if (limit !== undefined) health.messagingLimit = limit;
  } else {
    const event = word(value.event);
    if (!event) return undefined;
    const ban = objectValue.safeParse(value.ban_info);
    const banState = ban.success ? word(ban.data.waba_ban_state) : undefined;
    health.accountEvent = (event === "DISABLED_UPDATE" && banState ? `${event}_${banState}` : event).slice(0, 60);
  }
  if (Object.keys(health).length === 0) return undefined;
  return { wabaId, field, displayLast4, health };
}
