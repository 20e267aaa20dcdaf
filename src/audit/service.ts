import type { Tx } from "../db/database.ts";
import type { AuditActorType } from "./actions.ts";
import { toCsv } from "./csv.ts";
import { parseMetadata, type AuditEntryRow } from "./entries.ts";
import type { AuditMetadata } from "./leaf.ts";

// Reading the audit log of one workspace, for the API: filtered pages and the CSV export. Callers
// pass a transaction opened with withWorkspace, so RLS confines every read to that workspace.

export type AuditFilters = {
  actorId?: string;
  action?: string;
  /** Inclusive lower bound of occurred_at. */
  from?: Date;
  /** Exclusive upper bound of occurred_at. */
  to?: Date;
};

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

function toEntry(row: AuditEntryRow): AuditEntry {
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

function filtered(trx: Tx, workspaceId: string, filters: AuditFilters) {
  let query = trx.selectFrom("audit_entries").selectAll().where("workspace_id", "=", workspaceId);
  if (filters.actorId !== undefined) query = query.where("actor_id", "=", filters.actorId);
  if (filters.action !== undefined) query = query.where("action", "=", filters.action);
  if (filters.from !== undefined) query = query.where("occurred_at", ">=", filters.from);
  if (filters.to !== undefined) query = query.where("occurred_at", "<", filters.to);
  return query;
}

/** The cursor is the seq to continue below; opaque to clients. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): number | null {
  const match = /^seq:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : null;
}

/** Newest first, `limit` (≤ 200) at a time; `cursor` continues where the previous page ended. */
export async function listAuditEntries(
  trx: Tx,
  workspaceId: string,
  options: AuditFilters & { limit: number; cursor?: number | undefined },
): Promise<AuditPage> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), MAX_PAGE_SIZE);
  let query = filtered(trx, workspaceId, options);
  if (options.cursor !== undefined) query = query.where("seq", "<", options.cursor);
  const rows = await query.orderBy("seq", "desc").limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(toEntry);
  return { entries: page, nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.seq) : null };
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
export async function exportAuditCsv(trx: Tx, workspaceId: string, filters: AuditFilters): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const rows = await filtered(trx, workspaceId, filters).orderBy("seq", "asc").limit(MAX_EXPORT_ROWS + 1).execute();
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
