import type { ColumnType, Generated } from "kysely";

// Kysely row types for numbers, inbound events, conversations, messages, statuses (migration 0005).
// Keep in step with the SQL migration; src/db/schema.ts merges this into the full Schema.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type NumberMode = "sandbox" | "live";
export type NumberStatus = "active" | "credentials_invalid" | "disconnected";
export type NumberTier = 80 | 1000;

export type NumbersTable = {
  workspace_id: string;
  id: string;
  mode: NumberMode;
  waba_id: string;
  phone_number_id: string;
  app_id: string | null;
  display_phone_ciphertext: string | null;
  display_phone_last4: string | null;
  access_token_ciphertext: string;
  access_token_last4: string;
  access_token_version: Generated<number>;
  access_token_expires_at: Timestamp | null;
  app_secret_ciphertext: string;
  app_secret_last4: string;
  verify_token_ciphertext: string;
  verify_token_last4: string;
  status: Generated<NumberStatus>;
  tier: Generated<NumberTier>;
  webhook_key: string;
  verified_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type InboundEventsTable = {
  workspace_id: string;
  id: string;
  number_id: string;
  body_ciphertext: string | null;
  body_bytes: number;
  received_at: CreatedAt;
  processed_at: Timestamp | null;
  attempts: Generated<number>;
  error: string | null;
};

export type ConversationStatus = "open" | "closed";

export type ConversationsTable = {
  workspace_id: string;
  id: string;
  contact_id: string;
  number_id: string;
  status: Generated<ConversationStatus>;
  last_inbound_at: Timestamp | null;
  last_message_at: Timestamp | null;
  assigned_user_id: string | null;
  assigned_at: Timestamp | null;
  closed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type MessageDirection = "in" | "out";

/** `received` for inbound; the outbound ladder is queued… < sent < delivered < read < played; failed is terminal. */
export type MessageStatus = "received" | "queued" | "sending" | "accepted" | "held" | "unknown" | "sent" | "delivered" | "read" | "played" | "failed";

export type DeliveryStatus = "sent" | "delivered" | "read" | "played" | "failed";

export type MessagesTable = {
  workspace_id: string;
  id: string;
  conversation_id: string;
  contact_id: string;
  number_id: string;
  phone_number_id: string;
  direction: MessageDirection;
  wamid: string | null;
  type: string;
  content_ciphertext: string | null;
  media_id: string | null;
  media_mime_type: string | null;
  media_sha256: string | null;
  media_size: number | null;
  media_blob_key: string | null;
  context_wamid: string | null;
  reaction_to_wamid: string | null;
  status: MessageStatus;
  status_at: Timestamp | null;
  error_code: number | null;
  send_id: string | null;
  sent_by_user_id: string | null;
  occurred_at: Timestamp;
  created_at: CreatedAt;
};

export type MessageStatusesTable = {
  workspace_id: string;
  phone_number_id: string;
  wamid: string;
  status: DeliveryStatus;
  occurred_at: Timestamp;
  send_id: string | null;
  error_code: number | null;
  error_title: string | null;
  pricing_category: string | null;
  pricing_type: string | null;
  recorded_at: CreatedAt;
};

/** Columns migrations 0005 and 0018 add to the foundation's contacts table. */
export type ContactMessagingColumns = {
  wa_profile_name_ciphertext: string | null;
  wa_user_id_ciphertext: string | null;
  /** Blind index of the business-scoped user id (BSUID): the key of a contact without a phone. */
  user_id_index: string | null;
  last_inbound_at: Timestamp | null;
};

export type NumberEventKind = "webhook_error" | "status_error" | "message_error" | "unsupported_field" | "unparsed_item";

/** What Meta reported about a number that is not a message (migration 0018): codes and titles, no PII. */
export type NumberEventsTable = {
  workspace_id: string;
  id: string;
  number_id: string;
  kind: NumberEventKind;
  code: number | null;
  title: string | null;
  detail: string | null;
  field: string | null;
  wamid: string | null;
  payload_ciphertext: string | null;
  dedupe_key: string;
  occurred_at: Timestamp;
  recorded_at: CreatedAt;
};

/** The latest reaction event applied per user and reacted message (migration 0021); a removal included. */
export type ReactionEventsTable = {
  workspace_id: string;
  phone_number_id: string;
  contact_id: string;
  target_wamid: string;
  event_wamid: string;
  event_at: Timestamp;
  removed: boolean;
};

/** Columns migration 0018 adds to `templates`: every documented field of template webhooks. */
export type TemplateMetaColumns = {
  /** JSON keyed by webhook field; written as a string (JSON.stringify), read back parsed. */
  meta_details: ColumnType<Record<string, unknown>, string | undefined, string>;
  quality_score: string | null;
};

export type MessagingSchema = {
  contacts: ContactMessagingColumns;
  numbers: NumbersTable;
  inbound_events: InboundEventsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  message_statuses: MessageStatusesTable;
  number_events: NumberEventsTable;
  reaction_events: ReactionEventsTable;
  templates: TemplateMetaColumns;
};
