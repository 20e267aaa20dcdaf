import type { Tx } from "../db/database.ts";
import { listAccessEntryRows, listAccessEntryRowsAscending, type AccessFilters } from "./access-repository.ts";
import { toCsv } from "./csv.ts";
import { encodeCursor, MAX_EXPORT_ROWS, MAX_PAGE_SIZE, toEntry, type AuditPage } from "./service.ts";

// The access log's two questions over the audit log's access entries: a filtered page (keyset by
// seq, the audit log's cursor) and the CSV export (formula cells neutralized by toCsv).

export type { AccessFilters } from "./access-repository.ts";

/** Newest first, `limit` (≤ 200) at a time; `cursor` (a seq) continues where the previous page ended. */
export async function listAccessEntries(
  trx: Tx,
  workspaceId: string,
  options: AccessFilters & { limit: number; cursor?: number | undefined },
): Promise<AuditPage> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), MAX_PAGE_SIZE);
  const rows = await listAccessEntryRows(trx, workspaceId, options, { beforeSeq: options.cursor, limit: limit + 1 });
  const page = rows.slice(0, limit).map(toEntry);
  return { entries: page, nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null };
}

export const ACCESS_CSV_HEADER = [
  "seq",
  "occurred_at",
  "actor_type",
  "actor_id",
  "action",
  "target_type",
  "target_id",
  "contact_id",
  "conversation_id",
  "message_id",
  "network",
  "user_agent_family",
  "leaf_hash",
] as const;

function idOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** The filtered access log as CSV, oldest first, at most MAX_EXPORT_ROWS rows (`truncated` says when more matched). */
export async function exportAccessCsv(
  trx: Tx,
  workspaceId: string,
  filters: AccessFilters,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const rows = await listAccessEntryRowsAscending(trx, workspaceId, filters, MAX_EXPORT_ROWS + 1);
  const entries = rows.slice(0, MAX_EXPORT_ROWS).map(toEntry);
  const csv = toCsv(
    ACCESS_CSV_HEADER,
    entries.map((entry) => [
      entry.seq,
      entry.occurredAt.toISOString(),
      entry.actor.type,
      entry.actor.id,
      entry.action,
      entry.target?.type,
      entry.target?.id,
      idOrNull(entry.metadata["contactId"]),
      idOrNull(entry.metadata["conversationId"]),
      idOrNull(entry.metadata["messageId"]),
      entry.ip,
      entry.userAgent,
      entry.leafHash,
    ]),
  );
  return { csv, rows: entries.length, truncated: rows.length > MAX_EXPORT_ROWS };
}
