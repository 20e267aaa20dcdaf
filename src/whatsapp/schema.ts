// The channel's vocabulary held in CHECK-constrained columns of numbers, conversations, messages,
// statuses and number events (migrations 0005, 0018); src/db/column-overrides.ts types those
// columns with it.

export type NumberMode = "sandbox" | "live";
export type NumberStatus = "active" | "credentials_invalid" | "disconnected";
export type NumberTier = 80 | 1000;
/** Meta's phone-number quality rating; NA (not yet rated) is stored as UNKNOWN (migration 0031). */
export type QualityRating = "GREEN" | "YELLOW" | "RED" | "UNKNOWN";
/** The business portfolio's messaging limit (unique out-of-window users per rolling 24 h). */
export type MessagingLimit = "TIER_250" | "TIER_2K" | "TIER_10K" | "TIER_100K" | "TIER_UNLIMITED";

export type ConversationStatus = "open" | "closed";

export type MessageDirection = "in" | "out";

/** `received` for inbound; the outbound ladder is queued… < sent < delivered < read < played; failed is terminal. */
export type MessageStatus =
  "received" | "queued" | "sending" | "accepted" | "held" | "unknown" | "sent" | "delivered" | "read" | "played" | "failed";

export type DeliveryStatus = "sent" | "delivered" | "read" | "played" | "failed";

/** What Meta reported about a number that is not a message (migration 0018): codes and titles, no PII. */
export type NumberEventKind = "webhook_error" | "status_error" | "message_error" | "unsupported_field" | "unparsed_item";
