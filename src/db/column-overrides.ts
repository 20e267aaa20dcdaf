// The one place that says what the catalogue cannot: the narrow type of a CHECK-constrained text
// column, the shape of a jsonb column, a column that is written once. src/db/generate-types.ts reads
// this map when it renders src/db/generated/database.ts; `npm run db:types` regenerates.

/** A job's life: pending → running → succeeded | failed (jobs.status, migration 0001). */
export type JobStatus = "pending" | "running" | "succeeded" | "failed";

export type ColumnOverride = {
  /** The TypeScript type of the value read back; jsonb columns are written as JSON text. */
  type: string;
  /** A named type `type` uses, and its module relative to src/. */
  imports?: { name: string; from: string };
  /** The catalogue reports a generated column as nullable even when its expression never is. */
  isNeverNull?: true;
};

const union = (...values: string[]): string => values.map((value) => JSON.stringify(value)).join(" | ");
const named = (name: string, from: string): ColumnOverride => ({ type: name, imports: { name, from } });

/** Keyed `table.column`. A jsonb column without an entry stops the generator. */
export const columnOverrides: Record<string, ColumnOverride> = {
  "data_keys.subject": { type: union("contact") },
  "jobs.status": named("JobStatus", "db/column-overrides.ts"),
  "jobs.payload": { type: "Record<string, unknown>" },
  "sessions.revoked_reason": named("SessionRevokedReason", "identity/sessions.ts"),
  "signing_keys.algorithm": { type: union("RS256") },
  "signing_keys.status": { type: union("active", "retired") },
  "memberships.role": named("MemberRole", "db/with-workspace.ts"),
  "invitations.role": named("MemberRole", "db/with-workspace.ts"),
  "audit_entries.actor_type": { type: union("user", "api_key", "system") },
  "audit_entries.metadata": { type: "Record<string, string | number | boolean | null>" },
  "contacts.consent_status": named("ConsentStatus", "features/contacts/schema.ts"),
  "contacts.consent_source": named("ConsentSource", "features/contacts/schema.ts"),
  "contact_consent_events.scope": named("ConsentScope", "features/contacts/schema.ts"),
  "contact_consent_events.status": named("ConsentStatus", "features/contacts/schema.ts"),
  "contact_consent_events.source": named("ConsentSource", "features/contacts/schema.ts"),
  "contact_consent_events.method": named("ConsentMethod", "features/contacts/schema.ts"),
  "numbers.mode": named("NumberMode", "whatsapp/schema.ts"),
  "numbers.status": named("NumberStatus", "whatsapp/schema.ts"),
  "numbers.tier": named("NumberTier", "whatsapp/schema.ts"),
  "numbers.quality_rating": named("QualityRating", "whatsapp/schema.ts"),
  "numbers.messaging_limit": named("MessagingLimit", "whatsapp/schema.ts"),
  "conversations.status": named("ConversationStatus", "whatsapp/schema.ts"),
  // coalesce(last_message_at, created_at): created_at is not null.
  "conversations.activity_at": { type: "Date", isNeverNull: true },
  "messages.direction": named("MessageDirection", "whatsapp/schema.ts"),
  "messages.status": named("MessageStatus", "whatsapp/schema.ts"),
  "messages.media_status": { type: union("pending", "stored", "refused", "failed") },
  "message_statuses.status": named("DeliveryStatus", "whatsapp/schema.ts"),
  "number_events.kind": named("NumberEventKind", "whatsapp/schema.ts"),
  "idempotency_keys.state": { type: union("in_progress", "done") },
  "media_uploads.media_type": named("MediaType", "whatsapp/inbound/payload.ts"),
  "templates.parameter_format": { type: union("POSITIONAL", "NAMED") },
  "templates.meta_details": { type: "Record<string, unknown>" },
  "webhook_endpoints.format": { type: union("standard", "meta") },
  "webhook_endpoints.disabled_reason": { type: union("manual", "failing", "gone") },
  "subject_requests.kind": { type: union("export", "erasure") },
  "subject_requests.status": { type: union("received", "in_progress", "completed", "rejected") },
  "subject_exports.status": { type: union("pending", "ready", "failed", "expired") },
  "webhook_events.data": { type: "Record<string, unknown>" },
  "webhook_deliveries.status": { type: union("pending", "succeeded", "failed") },
  "broadcasts.parameters": named("BroadcastParameters", "features/broadcasts/schema.ts"),
  "broadcasts.audience": named("BroadcastAudience", "features/broadcasts/schema.ts"),
  "broadcasts.state": named("BroadcastState", "features/broadcasts/schema.ts"),
  "broadcasts.pause_reason": named("BroadcastPauseReason", "features/broadcasts/schema.ts"),
  "broadcasts.counters": named("BroadcastCounters", "features/broadcasts/schema.ts"),
  "broadcast_recipients.state": named("RecipientState", "features/broadcasts/schema.ts"),
  "broadcast_recipients.skip_reason": named("SkipReason", "features/broadcasts/schema.ts"),
};

/** Columns set at insert and never updated: `*.name` matches the column in every table. */
export const writeOnceColumns: readonly string[] = [
  "*.created_at",
  "*.recorded_at",
  "inbound_events.received_at",
  "media_uploads.size_bytes",
];

/** Tables outside the application's schema: the migration history is read by raw SQL only. */
export const excludedTables: readonly string[] = ["parley_migrations"];
