import { sql } from "kysely";
import type { Tx } from "../db/database.ts";
import { accessActions, type AccessAction } from "./actions.ts";
import type { AuditEntryRow } from "./entries.ts";

// Reading the access log (the access actions of the audit log) of one workspace. Callers pass a
// transaction opened as the caller, so RLS confines every read to that workspace as well.

export type AccessFilters = {
  /** "Who accessed this contact's data": entries naming the contact, and bulk contact exports. */
  contactId?: string;
  /** "What did this member open": entries of this actor (a member's or an API key's id). */
  actorId?: string;
  action?: AccessAction;
  /** Inclusive lower bound of occurred_at. */
  from?: Date;
  /** Exclusive upper bound of occurred_at. */
  to?: Date;
};

function filtered(trx: Tx, workspaceId: string, filters: AccessFilters) {
  let query = trx
    .selectFrom("audit_entries")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("action", "in", filters.action !== undefined ? [filters.action] : [...accessActions]);
  if (filters.contactId !== undefined) {
    const contactId = filters.contactId;
    // Served by the expression index audit_entries_contact (migration 0035). A bulk export carries
    // every contact it matched, so it is part of every contact's answer.
    query = query.where((eb) =>
      eb.or([
        eb.and([sql<boolean>`metadata ? 'contactId'`, eb(sql<string>`metadata->>'contactId'`, "=", contactId)]),
        eb("action", "=", "contacts.exported"),
      ]),
    );
  }
  if (filters.actorId !== undefined) query = query.where("actor_id", "=", filters.actorId);
  if (filters.from !== undefined) query = query.where("occurred_at", ">=", filters.from);
  if (filters.to !== undefined) query = query.where("occurred_at", "<", filters.to);
  return query;
}

/** The matching entries newest first (by seq, the log's order), below `beforeSeq` when given, at most `limit`. */
export function listAccessEntryRows(
  trx: Tx,
  workspaceId: string,
  filters: AccessFilters,
  page: { beforeSeq?: number | undefined; limit: number },
): Promise<AuditEntryRow[]> {
  let query = filtered(trx, workspaceId, filters);
  if (page.beforeSeq !== undefined) query = query.where("seq", "<", page.beforeSeq);
  return query.orderBy("seq", "desc").limit(page.limit).execute();
}

/** The matching entries oldest first, at most `limit`. */
export function listAccessEntryRowsAscending(
  trx: Tx,
  workspaceId: string,
  filters: AccessFilters,
  limit: number,
): Promise<AuditEntryRow[]> {
  return filtered(trx, workspaceId, filters).orderBy("seq", "asc").limit(limit).execute();
}
