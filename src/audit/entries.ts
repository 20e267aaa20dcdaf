import type { Selectable } from "kysely";
import { serializeLeaf, type AuditMetadata } from "./leaf.ts";
import { hashLeaf, type Hash } from "./merkle.ts";
import type { AuditEntriesTable } from "../db/schema.ts";

export type AuditEntryRow = Selectable<AuditEntriesTable>;

/** The leaf hash an entry must have, recomputed from its stored fields (at `seq`, default its own). */
export function recomputeLeafHash(row: AuditEntryRow, seq: number = Number(row.seq)): Hash {
  return hashLeaf(
    serializeLeaf({
      workspaceId: row.workspace_id,
      seq,
      occurredAt: new Date(row.occurred_at),
      actorType: row.actor_type,
      actorId: row.actor_id,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      ip: row.ip,
      userAgent: row.user_agent,
      metadata: parseMetadata(row.metadata),
    }),
  );
}

/** jsonb arrives parsed from node-postgres and PGlite; a text copy (e.g. from a dump) is parsed here. */
export function parseMetadata(value: unknown): AuditMetadata {
  const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as AuditMetadata) : {};
}
