import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";

// Data subjects' requests and their export bundles (migration 0034). Tenant-scoped: every function
// takes the workspace id and a transaction opened by withWorkspace (RLS filters to that workspace).

export type SubjectRequestKind = "export" | "erasure";
export type SubjectRequestStatus = "received" | "in_progress" | "completed" | "rejected";
export type SubjectExportStatus = "pending" | "ready" | "failed" | "expired";

export type SubjectRequestRow = {
  id: string;
  kind: SubjectRequestKind;
  contactId: string;
  receivedOn: Date;
  dueOn: Date;
  status: SubjectRequestStatus;
  notesCiphertext: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
};

export type SubjectExportRow = {
  id: string;
  requestId: string;
  contactId: string;
  status: SubjectExportStatus;
  wrappedKey: string | null;
  blobKey: string | null;
  sizeBytes: number | null;
  fileCount: number | null;
  error: string | null;
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date;
};

const REQUEST_COLUMNS = [
  "id",
  "kind",
  "contact_id",
  "received_on",
  "due_on",
  "status",
  "notes_ciphertext",
  "created_at",
  "updated_at",
  "completed_at",
] as const;

type RequestRecord = {
  id: string;
  kind: SubjectRequestKind;
  contact_id: string;
  received_on: Date;
  due_on: Date;
  status: SubjectRequestStatus;
  notes_ciphertext: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
};

function toRequest(row: RequestRecord): SubjectRequestRow {
  return {
    id: row.id,
    kind: row.kind,
    contactId: row.contact_id,
    receivedOn: row.received_on,
    dueOn: row.due_on,
    status: row.status,
    notesCiphertext: row.notes_ciphertext,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

const EXPORT_COLUMNS = [
  "id",
  "request_id",
  "contact_id",
  "status",
  "wrapped_key",
  "blob_key",
  "size_bytes",
  "file_count",
  "error",
  "created_at",
  "completed_at",
  "expires_at",
] as const;

type ExportRecord = {
  id: string;
  request_id: string;
  contact_id: string;
  status: SubjectExportStatus;
  wrapped_key: string | null;
  blob_key: string | null;
  size_bytes: string | number | null;
  file_count: number | null;
  error: string | null;
  created_at: Date;
  completed_at: Date | null;
  expires_at: Date;
};

function toExport(row: ExportRecord): SubjectExportRow {
  return {
    id: row.id,
    requestId: row.request_id,
    contactId: row.contact_id,
    status: row.status,
    wrappedKey: row.wrapped_key,
    blobKey: row.blob_key,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    fileCount: row.file_count,
    error: row.error,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    expiresAt: row.expires_at,
  };
}

export async function insertSubjectRequest(
  trx: Tx,
  workspaceId: string,
  input: {
    id: string;
    kind: SubjectRequestKind;
    contactId: string;
    receivedOn: Date;
    dueOn: Date;
    notesCiphertext: string | null;
    createdByUserId: string | null;
    at: Date;
  },
): Promise<SubjectRequestRow> {
  const row = await trx
    .insertInto("subject_requests")
    .values({
      workspace_id: workspaceId,
      id: input.id,
      kind: input.kind,
      contact_id: input.contactId,
      received_on: input.receivedOn,
      due_on: input.dueOn,
      notes_ciphertext: input.notesCiphertext,
      created_by_user_id: input.createdByUserId,
      created_at: input.at,
      updated_at: input.at,
    })
    .returning(REQUEST_COLUMNS)
    .executeTakeFirstOrThrow();
  return toRequest(row);
}

/** Open requests first by deadline, then finished ones, newest first; at most `limit`. */
export async function listSubjectRequests(
  trx: Tx,
  workspaceId: string,
  filter: { status?: SubjectRequestStatus; kind?: SubjectRequestKind; limit: number },
): Promise<SubjectRequestRow[]> {
  let query = trx.selectFrom("subject_requests").select(REQUEST_COLUMNS).where("workspace_id", "=", workspaceId);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  const rows = await query
    .orderBy(sql`case when status in ('received', 'in_progress') then 0 else 1 end`)
    .orderBy(sql`case when status in ('received', 'in_progress') then due_on end asc`)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(filter.limit)
    .execute();
  return rows.map(toRequest);
}

export async function findSubjectRequest(
  trx: Tx,
  workspaceId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<SubjectRequestRow | undefined> {
  let query = trx.selectFrom("subject_requests").select(REQUEST_COLUMNS).where("workspace_id", "=", workspaceId).where("id", "=", id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toRequest(row) : undefined;
}

export async function updateSubjectRequest(
  trx: Tx,
  workspaceId: string,
  id: string,
  changes: { status?: SubjectRequestStatus; notesCiphertext?: string | null; completedAt?: Date | null; at: Date },
): Promise<SubjectRequestRow | undefined> {
  const row = await trx
    .updateTable("subject_requests")
    .set({
      updated_at: changes.at,
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.notesCiphertext !== undefined ? { notes_ciphertext: changes.notesCiphertext } : {}),
      ...(changes.completedAt !== undefined ? { completed_at: changes.completedAt } : {}),
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returning(REQUEST_COLUMNS)
    .executeTakeFirst();
  return row ? toRequest(row) : undefined;
}

/** The data key of a contact that still exists (trashed or not), or undefined. */
export async function findContactKey(trx: Tx, workspaceId: string, contactId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom("contacts")
    .select("data_key_id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", contactId)
    .executeTakeFirst();
  return row?.data_key_id;
}

/** Which of these contacts still exist, with their encrypted name and phone for the tracker's list. */
export async function findContactLabels(
  trx: Tx,
  workspaceId: string,
  contactIds: readonly string[],
): Promise<
  Array<{ id: string; name_ciphertext: string | null; phone_ciphertext: string | null; wa_profile_name_ciphertext: string | null }>
> {
  if (contactIds.length === 0) return [];
  return trx
    .selectFrom("contacts")
    .select(["id", "name_ciphertext", "phone_ciphertext", "wa_profile_name_ciphertext"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...new Set(contactIds)])
    .execute();
}

/** Whether the contact was erased (its PII-free erasure record exists). */
export async function wasContactErased(trx: Tx, workspaceId: string, contactId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("erasures")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertSubjectExport(
  trx: Tx,
  workspaceId: string,
  input: { id: string; requestId: string; contactId: string; createdByUserId: string | null; at: Date; expiresAt: Date },
): Promise<SubjectExportRow> {
  const row = await trx
    .insertInto("subject_exports")
    .values({
      workspace_id: workspaceId,
      id: input.id,
      request_id: input.requestId,
      contact_id: input.contactId,
      created_by_user_id: input.createdByUserId,
      created_at: input.at,
      expires_at: input.expiresAt,
    })
    .returning(EXPORT_COLUMNS)
    .executeTakeFirstOrThrow();
  return toExport(row);
}

export async function findSubjectExport(
  trx: Tx,
  workspaceId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<SubjectExportRow | undefined> {
  let query = trx.selectFrom("subject_exports").select(EXPORT_COLUMNS).where("workspace_id", "=", workspaceId).where("id", "=", id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toExport(row) : undefined;
}

/** The exports of these requests, newest first. */
export async function listSubjectExports(trx: Tx, workspaceId: string, requestIds: readonly string[]): Promise<SubjectExportRow[]> {
  if (requestIds.length === 0) return [];
  const rows = await trx
    .selectFrom("subject_exports")
    .select(EXPORT_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("request_id", "in", [...new Set(requestIds)])
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map(toExport);
}

export async function markSubjectExportReady(
  trx: Tx,
  workspaceId: string,
  id: string,
  input: { wrappedKey: string; blobKey: string; sizeBytes: number; fileCount: number; at: Date },
): Promise<boolean> {
  const result = await trx
    .updateTable("subject_exports")
    .set({
      status: "ready",
      wrapped_key: input.wrappedKey,
      blob_key: input.blobKey,
      size_bytes: input.sizeBytes,
      file_count: input.fileCount,
      completed_at: input.at,
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markSubjectExportFailed(trx: Tx, workspaceId: string, id: string, error: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable("subject_exports")
    .set({ status: "failed", error: error.slice(0, 500), completed_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Expires up to `limit` of the workspace's bundles whose time is up (taken FOR UPDATE SKIP LOCKED):
 * the rows forget their key and file; answers the blob keys to delete and how many rows expired.
 */
export async function expireSubjectExports(
  trx: Tx,
  workspaceId: string,
  now: Date,
  limit: number,
): Promise<{ expired: number; blobKeys: string[] }> {
  const due = await trx
    .selectFrom("subject_exports")
    .select(["id", "blob_key"])
    .where("workspace_id", "=", workspaceId)
    .where("status", "in", ["pending", "ready"])
    .where("expires_at", "<=", now)
    .orderBy("expires_at")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (due.length === 0) return { expired: 0, blobKeys: [] };
  await trx
    .updateTable("subject_exports")
    .set({ status: "expired", wrapped_key: null, blob_key: null })
    .where("workspace_id", "=", workspaceId)
    .where(
      "id",
      "in",
      due.map((row) => row.id),
    )
    .execute();
  return { expired: due.length, blobKeys: due.flatMap((row) => (row.blob_key === null ? [] : [row.blob_key])) };
}

/** Workspaces holding bundles due to expire (ids only; SECURITY DEFINER, migration 0034). */
export async function listWorkspacesWithExpiredExports(trx: Tx, cutoff: Date, maxWorkspaces: number): Promise<string[]> {
  const result = await sql<{
    workspace_id: string;
  }>`select workspace_id from workspaces_with_expired_subject_exports(${cutoff.toISOString()}::timestamptz, ${maxWorkspaces}::integer)`.execute(
    trx,
  );
  return result.rows.map((row) => row.workspace_id);
}

/** The member's current role in the workspace, or undefined when they are no longer a member. */
export async function findMemberRole(trx: Tx, workspaceId: string, userId: string) {
  const row = await trx
    .selectFrom("memberships")
    .select("role")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.role;
}
