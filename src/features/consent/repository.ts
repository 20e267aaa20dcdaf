import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/database.ts";
import type { ConsentMethod, ConsentScope, ConsentSource, ConsentStatus } from "../contacts/schema.ts";
import type { ConsentKeywords } from "./keywords.ts";

// The consent ledger and the workspace's consent keywords (migration 0029). Every function takes
// the workspace id and a transaction opened by withWorkspace (RLS scopes it). The ledger is
// append-only; the contact's current marketing state (contacts.consent_*) is written with each
// marketing entry, in the same transaction, by appendConsentEntry.

export type ConsentEntryInput = {
  contactId: string;
  scope: ConsentScope;
  status: ConsentStatus;
  source: ConsentSource;
  method: ConsentMethod;
  recordedByUserId: string | null;
  /** SHA-256 hex of the report a webhook change came from; a second entry with it is not added. */
  dedupeKey?: string | null;
  at: Date;
};

export type ConsentEntry = {
  id: string;
  contactId: string;
  scope: ConsentScope;
  status: ConsentStatus;
  source: ConsentSource;
  method: ConsentMethod;
  recordedByUserId: string | null;
  occurredAt: Date;
};

export type ConsentState = { status: ConsentStatus; source: ConsentSource | null; updatedAt: Date | null };

/**
 * The contact's current marketing state, read for update unless `lock` is false (a send and an
 * opt-out serialize on it); undefined when there is no such contact.
 */
export async function lockMarketingConsent(
  trx: Tx,
  workspaceId: string,
  contactId: string,
  lock = true,
): Promise<ConsentState | undefined> {
  let query = trx
    .selectFrom("contacts")
    .select(["consent_status", "consent_source", "consent_updated_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", contactId);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? { status: row.consent_status, source: row.consent_source, updatedAt: row.consent_updated_at } : undefined;
}

/**
 * Appends entries; a marketing entry also becomes the contact's current marketing state. Answers
 * the entries written (one with a dedupe key already in the ledger is skipped).
 */
export async function appendConsentEntries(trx: Tx, workspaceId: string, inputs: readonly ConsentEntryInput[]): Promise<ConsentEntry[]> {
  if (inputs.length === 0) return [];
  const rows = await trx
    .insertInto("contact_consent_events")
    .values(
      inputs.map((input) => ({
        workspace_id: workspaceId,
        id: randomUUID(),
        contact_id: input.contactId,
        scope: input.scope,
        status: input.status,
        source: input.source,
        method: input.method,
        recorded_by_user_id: input.recordedByUserId,
        dedupe_key: input.dedupeKey ?? null,
        occurred_at: input.at,
      })),
    )
    .onConflict((oc) => oc.columns(["workspace_id", "dedupe_key"]).doNothing())
    .returning(["id", "contact_id", "scope", "status", "source", "method", "recorded_by_user_id", "occurred_at"])
    .execute();
  const entries = rows.map(presentRow);
  for (const entry of entries) {
    if (entry.scope !== "marketing") continue;
    await trx
      .updateTable("contacts")
      .set({
        consent_status: entry.status,
        consent_source: entry.source,
        consent_updated_at: entry.occurredAt,
        updated_at: entry.occurredAt,
      })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", entry.contactId)
      .execute();
  }
  return entries;
}

/** A contact's ledger, newest first (at most `limit` entries). */
export async function listConsentEntries(trx: Tx, workspaceId: string, contactId: string, limit: number): Promise<ConsentEntry[]> {
  const rows = await trx
    .selectFrom("contact_consent_events")
    .select(["id", "contact_id", "scope", "status", "source", "method", "recorded_by_user_id", "occurred_at"])
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .orderBy("occurred_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(presentRow);
}

/** The latest entry of a scope for a contact (the utility state is derived from the ledger). */
export async function findLatestConsentEntry(
  trx: Tx,
  workspaceId: string,
  contactId: string,
  scope: ConsentScope,
): Promise<ConsentEntry | undefined> {
  const row = await trx
    .selectFrom("contact_consent_events")
    .select(["id", "contact_id", "scope", "status", "source", "method", "recorded_by_user_id", "occurred_at"])
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .where("scope", "=", scope)
    .orderBy("occurred_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
  return row ? presentRow(row) : undefined;
}

function presentRow(row: {
  id: string;
  contact_id: string;
  scope: ConsentScope;
  status: ConsentStatus;
  source: ConsentSource;
  method: ConsentMethod;
  recorded_by_user_id: string | null;
  occurred_at: Date;
}): ConsentEntry {
  return {
    id: row.id,
    contactId: row.contact_id,
    scope: row.scope,
    status: row.status,
    source: row.source,
    method: row.method,
    recordedByUserId: row.recorded_by_user_id,
    occurredAt: row.occurred_at,
  };
}

/** The workspace's own keywords, or undefined when it uses the defaults. */
export async function findConsentKeywords(trx: Tx, workspaceId: string): Promise<ConsentKeywords | undefined> {
  const row = await trx
    .selectFrom("consent_keywords")
    .select(["opt_out", "opt_in"])
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return row ? { optOut: row.opt_out, optIn: row.opt_in } : undefined;
}

export async function saveConsentKeywords(
  trx: Tx,
  workspaceId: string,
  keywords: ConsentKeywords,
  updatedBy: string | null,
  at: Date,
): Promise<void> {
  await trx
    .insertInto("consent_keywords")
    .values({ workspace_id: workspaceId, opt_out: keywords.optOut, opt_in: keywords.optIn, updated_at: at, updated_by: updatedBy })
    .onConflict((oc) =>
      oc.column("workspace_id").doUpdateSet({ opt_out: keywords.optOut, opt_in: keywords.optIn, updated_at: at, updated_by: updatedBy }),
    )
    .execute();
}
