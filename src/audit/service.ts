import type { Tx } from "../db/database.ts";
import { decodeKeysetCursor, encodeKeysetCursor } from "../db/keyset.ts";
import type { AuditActorType } from "./actions.ts";
import { toCsv } from "./csv.ts";
import { parseMetadata, type AuditEntryRow } from "./entries.ts";
import type { AuditMetadata } from "./leaf.ts";
import { listAuditEntryRows, listAuditEntryRowsAscending, type AuditFilters } from "./repository.ts";

// Reading the audit log of one workspace, for the API: filtered pages and the CSV export. Callers
// pass a transaction opened with withWorkspace, so RLS confines every read to that workspace.

export type { AuditFilters } from "./repository.ts";

export type AuditEntry = {
  seq: number;
  occurredAt: Date;
  actor: { type: AuditActorType; id: string | null };
  action: string;
  target: { type: string; id: string } | null;
  ip: string | null;
  userAgent: string | null;
  metadata: AuditMetadata;
  leafHash: string;
};

export type AuditPage = { entries: AuditEntry[]; nextCursor: string | null };

export const MAX_PAGE_SIZE = 200;
export const MAX_EXPORT_ROWS = 50_000;

export function toEntry(row: AuditEntryRow): AuditEntry {
  return {
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at),
    actor: { type: row.actor_type, id: row.actor_id },
    action: row.action,
    target: row.target_type !== null && row.target_id !== null ? { type: row.target_type, id: row.target_id } : null,
    ip: row.ip,
    userAgent: row.user_agent,
    metadata: parseMetadata(row.metadata),
    leafHash: row.leaf_hash,
  };
}

/** An entry's time as recordAudit stores it: milliseconds, UTC. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_SEQ = /^[1-9][0-9]{0,15}$/;

/**
 * A page's cursor, opaque to clients: the keyset codec's (src/db/keyset.ts), naming the last entry
 * by its time and its seq. Pages continue below the seq alone: seq is the log's order (the hash
 * chain's), while times may repeat or, pinned by a caller, run out of order.
 */
export function encodeCursor(entry: { occurredAt: Date; seq: number }): string {
  return encodeKeysetCursor(entry.occurredAt, String(entry.seq));
}

/** The seq a cursor continues below, or null for a cursor this module did not make. */
export function decodeCursor(cursor: string): number | null {
  const position = decodeKeysetCursor(cursor, { sortKey: CURSOR_TIME, id: CURSOR_SEQ });
  return position ? Number(position.id) : null;
}

/** Newest first, `limit` (≤ 200) at a time; `cursor` continues where the previous page ended. */
export async function listAuditEntries(
  trx: Tx,
  workspaceId: string,
  options: AuditFilters & { limit: number; cursor?: number | undefined },
): Promise<AuditPage> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), MAX_PAGE_SIZE);
  const rows = await listAuditEntryRows(trx, workspaceId, options, { beforeSeq: options.cursor, limit: limit + 1 });
  const page = rows.slice(0, limit).map(toEntry);
  return { entries: page, nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null };
}

export const AUDIT_CSV_HEADER = [
  "seq",
  "occurred_at",
  "actor_type",
  "actor_id",
  "action",
  "target_type",
  "target_id",
  "ip",
  "user_agent",
  "metadata",
  "leaf_hash",
] as const;

/** The filtered log as CSV, oldest first, at most MAX_EXPORT_ROWS rows (`truncated` says when more matched). */
export async function exportAuditCsv(
  trx: Tx,
  workspaceId: string,
  filters: AuditFilters,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const rows = await listAuditEntryRowsAscending(trx, workspaceId, filters, MAX_EXPORT_ROWS + 1);
  const entries = rows.slice(0, MAX_EXPORT_ROWS).map(toEntry);
  const csv = toCsv(
    AUDIT_CSV_HEADER,
    entries.map((entry) => [
      entry.seq,
      entry.occurredAt.toISOString(),
      entry.actor.type,
      entry.actor.id,
      entry.action,
      entry.target?.type,
      entry.target?.id,
      entry.ip,
      entry.userAgent,
      JSON.stringify(entry.metadata),
      entry.leafHash,
    ]),
  );
  return { csv, rows: entries.length, truncated: rows.length > MAX_EXPORT_ROWS };
}
