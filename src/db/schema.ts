// Row types of every table come from the migrated schema: src/db/generated/database.ts, rendered by
// `npm run db:types` with the narrow column types of src/db/column-overrides.ts.

export type { AuditEntriesTable, Schema } from "./generated/database.ts";
export type { JobStatus } from "./column-overrides.ts";
