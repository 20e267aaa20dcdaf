import type { Tx } from "../db/database.ts";
import type { AuditEntryRow } from "./entries.ts";

// Reading one workspace's audit entries for the API (./service.ts). Callers pass a transaction
// opened with withWorkspace, so RLS confines every read to that workspace as well.

export type AuditFilters = {
  actorId?: string;
  action?: string;
  /** Inclusive lower bound of occurred_at. */
  from?: Date;
  /** Exclusive upper bound of occurred_at. */
  to?: Date;
};

function filtered(trx: Tx, workspaceId: string, filters: AuditFilters) {
  let query = trx.selectFrom("audit_entries").selectAll().where("workspace_id", "=", workspaceId);
  if (filters.actorId !== undefined) query = query.where("actor_id", "=", filters.actorId);
  if (filters.action !== undefined) query = query.where("action", "=", filters.action);
  if (filters.from !== undefined) query = query.where("occurred_at", ">=", filters.from);
  if (filters.to !== undefined) query = query.where("occurred_at", "<", filters.to);
  return query;
}

/** The matching entries newest first (by seq, the log's own order), below `beforeSeq` when given, at most `limit`. */
export async function listAuditEntryRows(
  trx: Tx,
  workspaceId: string,
  filters: AuditFilters,
  page: { beforeSeq?: number | undefined; limit: number },
): Promise<AuditEntryRow[]> {
  let query = filtered(trx, workspaceId, filters);
  if (page.beforeSeq !== undefined) query = query.where("seq", "<", page.beforeSeq);
  return query.orderBy("seq", "desc").limit(page.limit).execute();
}

/** The matching entries oldest first, at most `limit`. */
export async function listAuditEntryRowsAscending(
  trx: Tx,
  workspaceId: string,
  filters: AuditFilters,
  limit: number,
): Promise<AuditEntryRow[]> {
  return filtered(trx, workspaceId, filters).orderBy("seq", "asc").limit(limit).execute();
}
