import { z } from "zod";
import { safeString } from "../../http/safe-string.ts";
import { TAG_PATTERN } from "../contacts/tag-rule.ts";

// The broadcast vocabulary (migration 0032): states, reasons, the audience filter and the
// parameter mapping. src/db/column-overrides.ts types the columns with these.

export const BROADCAST_STATES = ["draft", "scheduled", "running", "paused", "cancelled", "completed"] as const;
export type BroadcastState = (typeof BROADCAST_STATES)[number];

export const PAUSE_REASONS = ["manual", "quality_red", "error_burst", "number_unavailable"] as const;
export type BroadcastPauseReason = (typeof PAUSE_REASONS)[number];

/** pending → sending → accepted → sent → delivered → read, or failed (with a code) or skipped (with a reason). */
export const RECIPIENT_STATES = ["pending", "sending", "accepted", "sent", "delivered", "read", "failed", "skipped"] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

export const SKIP_REASONS = ["no_consent", "opted_out", "contact_deleted", "cancelled", "number_unavailable", "refused"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type BroadcastCounters = Partial<Record<RecipientState, number>> & {
  /** When broadcast.progress last went to the webhooks. */
  reportedAt?: string;
  /** When the dashboard's live event last went out, and what it said (see the runner's throttle). */
  liveAt?: string | undefined;
  liveKey?: string | undefined;
};

const fieldKey = safeString(64).regex(/^[A-Za-z0-9_.-]{1,64}$/, "1–64 letters, digits, _ . or -");

/**
 * Which contacts: all of the tags, equal custom fields, a conversation on a number, last activity;
 * or an uploaded CSV audience. Consent is always required.
 */
export const broadcastAudience = z
  .strictObject({
    tags: z.array(safeString(64).regex(TAG_PATTERN, "a tag of lower-case letters, digits, - or _")).max(10).optional(),
    customFields: z
      .array(z.strictObject({ key: fieldKey, value: safeString(500) }))
      .max(10)
      .optional(),
    /** Contacts who have a conversation on this number. */
    numberId: z.uuid().optional(),
    /** Last activity of any of the contact's conversations, inclusive bounds. */
    lastActivityAfter: z.iso.datetime().optional(),
    lastActivityBefore: z.iso.datetime().optional(),
    /** A CSV audience uploaded before (POST …/broadcasts/audiences); it stands alone, without the filters above. */
    uploadId: z.uuid().optional(),
  })
  .refine((audience) => audience.uploadId === undefined || Object.keys(audience).length === 1, {
    message: "An uploaded audience (uploadId) cannot be combined with tags, custom fields, a number or activity dates.",
    path: ["uploadId"],
  });
export type BroadcastAudience = z.infer<typeof broadcastAudience>;

/** One body parameter: the contact's name, a custom field or fixed text, with the fallback used when the contact has no value. */
export const broadcastParameter = z.discriminatedUnion("source", [
  z.strictObject({ source: z.literal("name"), fallback: safeString(1024).min(1) }),
  z.strictObject({ source: z.literal("field"), field: fieldKey, fallback: safeString(1024).min(1) }),
  z.strictObject({ source: z.literal("text"), text: safeString(1024).min(1) }),
]);
export type BroadcastParameter = z.infer<typeof broadcastParameter>;
export type BroadcastParameters = BroadcastParameter[];

/** Meta's messaging limits (unique business-initiated recipients per rolling 24 h per portfolio). */
const MESSAGING_LIMITS: Record<string, number> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

/** A number's limit; an unknown or unreported one counts as Meta's starting tier (250), never more. */
export function messagingLimitOf(value: string | null): number {
  return (value !== null ? MESSAGING_LIMITS[value] : undefined) ?? 250;
}

/** Recipient states in the order they move; failed and skipped end it. */
const RANK: Record<RecipientState, number> = { pending: 0, sending: 1, accepted: 2, sent: 3, delivered: 4, read: 5, failed: 9, skipped: 9 };
export function recipientRank(state: RecipientState): number {
  return RANK[state];
}

/**
 * Error codes that, coming in a burst, pause a broadcast: Meta limiting the business's marketing
 * (131049 ecosystem engagement, 131048 spam rate limit) or blocking it (368 policy violation).
 */
export const BURST_ERROR_CODES = [131049, 131048, 368] as const;
/** The burst: at least this many such failures… */
export const BURST_MIN_FAILURES = 5;
/** …that are at least this share of the messages handed over in the window… */
export const BURST_MIN_SHARE = 0.02;
/** …within this window (and since the broadcast last started or resumed). */
export const BURST_WINDOW_MS = 15 * 60_000;

/** Failures worth sending again: limits, Meta's transient errors, no answer. Never opt-outs, 131049 (Meta says wait a day) or bad numbers. */
export const RETRYABLE_ERROR_CODES = [1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004] as const;
export function isRetryableFailure(code: number | null): boolean {
  return code === null || (RETRYABLE_ERROR_CODES as readonly number[]).includes(code);
}
