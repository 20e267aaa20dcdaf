import { randomUUID } from "node:crypto";
import { recordAudit } from "../../audit/record.ts";
import { DecryptionError } from "../../crypto/aead.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { openBundle } from "./bundle-cipher.ts";
import { AppError } from "../../errors.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { hasPermission } from "../../identity/permissions.ts";
import { enqueueJob } from "../../jobs/definition.ts";
import type { Services } from "../../services.ts";
import { eraseContactFor } from "../contacts/service.ts";
import { createExportToken, verifyExportToken } from "./download-link.ts";
import { subjectExportJob } from "./jobs.ts";
import {
  findContactKey,
  findContactLabels,
  findMemberRole,
  findSubjectExport,
  findSubjectRequest,
  insertSubjectExport,
  insertSubjectRequest,
  listSubjectExports,
  listSubjectRequests,
  updateSubjectRequest,
  wasContactErased,
  type SubjectExportRow,
  type SubjectRequestKind,
  type SubjectRequestRow,
  type SubjectRequestStatus,
} from "./repository.ts";

// Data subjects' requests (issue: privacy and data lifecycle, point 4; DESIGN §8). A member with
// privacy.manage records a request (export or erasure) for a contact, back-dated to the day it
// arrived; its legal deadline is that day + 30 days. An export request runs a typed job that builds
// the contact's bundle (./bundle.ts), seals it (./bundle-cipher.ts) into the blob store and keeps it
// EXPORT_RETENTION_DAYS; an Owner or Admin who re-authenticated gets a 5-minute signed link to it.
// An erasure request completes by running the contacts feature's erasure in the same transaction.
// Every step is audited with ids, kinds, dates and counts — never a name, a phone or a note.

export const DEADLINE_DAYS = 30;
export const EXPORT_RETENTION_DAYS = 7;
/** How far back a request's received day may be recorded. */
export const MAX_BACKDATE_DAYS = 365;
export const MAX_NOTES_CHARS = 2_000;
export const MAX_LISTED_REQUESTS = 200;
const DAY_MS = 24 * 60 * 60_000;
const OPEN_STATUSES: readonly SubjectRequestStatus[] = ["received", "in_progress"];

export type ExportSummary = Pick<SubjectExportRow, "id" | "status" | "sizeBytes" | "fileCount" | "createdAt" | "completedAt" | "expiresAt">;

export type SubjectRequest = {
  id: string;
  kind: SubjectRequestKind;
  contactId: string;
  /** The contact's name (or WhatsApp name, or phone) while it exists; null once erased. */
  contactLabel: string | null;
  contactErased: boolean;
  receivedOn: string;
  dueOn: string;
  daysLeft: number;
  overdue: boolean;
  status: SubjectRequestStatus;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  exports: ExportSummary[];
};

const notFound = () => new AppError("NOT_FOUND", "No such request in this workspace.");

/** The calendar day (YYYY-MM-DD, UTC) of a time. */
export function calendarDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Midnight UTC of a YYYY-MM-DD day, or undefined when it is not a real day. */
export function parseCalendarDay(day: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const at = new Date(`${day}T00:00:00.000Z`);
  return Number.isNaN(at.getTime()) || calendarDay(at) !== day ? undefined : at;
}

/** The legal deadline of a request received on `receivedOn` (midnight UTC): 30 days later. */
export function dueDateOf(receivedOn: Date): Date {
  return new Date(receivedOn.getTime() + DEADLINE_DAYS * DAY_MS);
}

/** Whole days from today (UTC) to the deadline: 0 on the day itself, negative once it passed. */
export function daysLeft(dueOn: Date, now: Date): number {
  const today = parseCalendarDay(calendarDay(now))!;
  return Math.round((dueOn.getTime() - today.getTime()) / DAY_MS);
}

function notesField(workspaceId: string, requestId: string) {
  return { workspaceId, table: "subject_requests", column: "notes", rowId: requestId };
}

async function readNotes(trx: Tx, keyring: Keyring, workspaceId: string, row: SubjectRequestRow): Promise<string | null> {
  if (row.notesCiphertext === null) return null;
  try {
    return await keyring.decrypt(trx, notesField(workspaceId, row.id), row.notesCiphertext);
  } catch (error) {
    // The contact was erased by another path (its data key is shredded): the notes went with it.
    if (error instanceof DecryptionError) return null;
    throw error;
  }
}

function summarize(row: SubjectExportRow): ExportSummary {
  return {
    id: row.id,
    status: row.status,
    sizeBytes: row.sizeBytes,
    fileCount: row.fileCount,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
    expiresAt: row.expiresAt,
  };
}

async function present(trx: Tx, keyring: Keyring, workspaceId: string, rows: SubjectRequestRow[], now: Date): Promise<SubjectRequest[]> {
  const labels = new Map<string, string | null>();
  for (const contact of await findContactLabels(
    trx,
    workspaceId,
    rows.map((row) => row.contactId),
  )) {
    const field = (column: string) => ({ workspaceId, table: "contacts", column, rowId: contact.id });
    let label: string | null = null;
    for (const [column, envelope] of [
      ["name", contact.name_ciphertext],
      ["wa_profile_name", contact.wa_profile_name_ciphertext],
      ["phone", contact.phone_ciphertext],
    ] as const) {
      if (label !== null || envelope === null) continue;
      label = await keyring.decrypt(trx, field(column), envelope);
    }
    labels.set(contact.id, label ?? "");
  }
  const exports = await listSubjectExports(
    trx,
    workspaceId,
    rows.map((row) => row.id),
  );
  const presented: SubjectRequest[] = [];
  for (const row of rows) {
    const open = OPEN_STATUSES.includes(row.status);
    const left = daysLeft(row.dueOn, now);
    presented.push({
      id: row.id,
      kind: row.kind,
      contactId: row.contactId,
      contactLabel: labels.has(row.contactId) ? labels.get(row.contactId) || null : null,
      contactErased: !labels.has(row.contactId),
      receivedOn: calendarDay(row.receivedOn),
      dueOn: calendarDay(row.dueOn),
      daysLeft: left,
      overdue: open && left < 0,
      status: row.status,
      notes: await readNotes(trx, keyring, workspaceId, row),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      completedAt: row.completedAt,
      exports: exports
        .filter((item) => item.requestId === row.id)
        .slice(0, 5)
        .map(summarize),
    });
  }
  return presented;
}

async function presentOne(services: Services, trx: Tx, caller: Caller, id: string, now: Date): Promise<SubjectRequest> {
  const row = await findSubjectRequest(trx, caller.workspaceId, id);
  if (!row) throw notFound();
  return (await present(trx, services.keyring, caller.workspaceId, [row], now))[0]!;
}

export async function listRequestsFor(
  services: Services,
  caller: Caller,
  filter: { status?: SubjectRequestStatus; kind?: SubjectRequestKind },
  now = new Date(),
): Promise<SubjectRequest[]> {
  return asCaller(services, caller, async (trx) =>
    present(
      trx,
      services.keyring,
      caller.workspaceId,
      await listSubjectRequests(trx, caller.workspaceId, { ...filter, limit: MAX_LISTED_REQUESTS }),
      now,
    ),
  );
}

export async function getRequestFor(services: Services, caller: Caller, id: string, now = new Date()): Promise<SubjectRequest> {
  return asCaller(services, caller, (trx) => presentOne(services, trx, caller, id, now));
}

export async function createRequestFor(
  services: Services,
  caller: Caller,
  input: { kind: SubjectRequestKind; contactId: string; receivedOn: string; notes?: string | null | undefined },
  now = new Date(),
): Promise<SubjectRequest> {
  const receivedOn = parseCalendarDay(input.receivedOn);
  const today = parseCalendarDay(calendarDay(now))!;
  if (!receivedOn) throw new AppError("VALIDATION_FAILED", "The received date is not a calendar day (YYYY-MM-DD).");
  if (receivedOn.getTime() > today.getTime()) throw new AppError("VALIDATION_FAILED", "The received date cannot be in the future.");
  if (today.getTime() - receivedOn.getTime() > MAX_BACKDATE_DAYS * DAY_MS)
    throw new AppError("VALIDATION_FAILED", `The received date can be at most ${MAX_BACKDATE_DAYS} days back.`);
  return asCaller(services, caller, async (trx) => {
    const dataKeyId = await findContactKey(trx, caller.workspaceId, input.contactId);
    if (dataKeyId === undefined) throw new AppError("NOT_FOUND", "No such contact in this workspace.");
    const id = randomUUID();
    const notes = input.notes?.trim() ? input.notes.trim() : null;
    await insertSubjectRequest(trx, caller.workspaceId, {
      id,
      kind: input.kind,
      contactId: input.contactId,
      receivedOn,
      dueOn: dueDateOf(receivedOn),
      notesCiphertext:
        notes === null ? null : await services.keyring.encryptForSubject(trx, { ...notesField(caller.workspaceId, id), dataKeyId }, notes),
      createdByUserId: caller.audit.type === "user" ? caller.userId : null,
      at: now,
    });
    await recordCallerAudit(trx, caller, {
      action: "subject_request.created",
      target: { type: "subject_request", id },
      metadata: { kind: input.kind, contactId: input.contactId, receivedOn: input.receivedOn, dueOn: calendarDay(dueDateOf(receivedOn)) },
    });
    return presentOne(services, trx, caller, id, now);
  });
}

/** Moves an open request to in progress or rejected (or an export request to completed), and edits its notes. */
export async function updateRequestFor(
  services: Services,
  caller: Caller,
  id: string,
  changes: { status?: "received" | "in_progress" | "rejected" | "completed"; notes?: string | null },
  now = new Date(),
): Promise<SubjectRequest> {
  return asCaller(services, caller, async (trx) => {
    const row = await findSubjectRequest(trx, caller.workspaceId, id, { lock: true });
    if (!row) throw notFound();
    if (!OPEN_STATUSES.includes(row.status))
      throw new AppError("CONFLICT", "This request is already completed or rejected; record a new request instead.");
    if (changes.status === "completed" && row.kind === "erasure")
      throw new AppError("CONFLICT", "An erasure request completes by running the erasure.");
    let notesCiphertext: string | null | undefined;
    if (changes.notes !== undefined) {
      const notes = changes.notes?.trim() ? changes.notes.trim() : null;
      if (notes === null) notesCiphertext = null;
      else {
        const dataKeyId = await findContactKey(trx, caller.workspaceId, row.contactId);
        if (dataKeyId === undefined) throw new AppError("CONFLICT", "The contact was erased; its request keeps no notes.");
        notesCiphertext = await services.keyring.encryptForSubject(trx, { ...notesField(caller.workspaceId, id), dataKeyId }, notes);
      }
    }
    const final = changes.status === "completed" || changes.status === "rejected";
    await updateSubjectRequest(trx, caller.workspaceId, id, {
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(notesCiphertext !== undefined ? { notesCiphertext } : {}),
      ...(final ? { completedAt: now } : {}),
      at: now,
    });
    await recordCallerAudit(trx, caller, {
      action: "subject_request.updated",
      target: { type: "subject_request", id },
      metadata: { kind: row.kind, from: row.status, to: changes.status ?? row.status, notesChanged: notesCiphertext !== undefined },
    });
    return presentOne(services, trx, caller, id, now);
  });
}

/** Starts building the contact's export bundle for an export request: the job is enqueued in the same transaction. */
export async function startExportFor(services: Services, caller: Caller, requestId: string, now = new Date()): Promise<SubjectRequest> {
  return asCaller(services, caller, async (trx) => {
    const row = await findSubjectRequest(trx, caller.workspaceId, requestId, { lock: true });
    if (!row) throw notFound();
    if (row.kind !== "export") throw new AppError("CONFLICT", "Only an export request makes an export.");
    if (row.status === "rejected") throw new AppError("CONFLICT", "This request was rejected.");
    if ((await findContactKey(trx, caller.workspaceId, row.contactId)) === undefined)
      throw new AppError("CONFLICT", "The contact was erased; there is nothing left to export.");
    const exportId = randomUUID();
    await insertSubjectExport(trx, caller.workspaceId, {
      id: exportId,
      requestId,
      contactId: row.contactId,
      createdByUserId: caller.audit.type === "user" ? caller.userId : null,
      at: now,
      expiresAt: new Date(now.getTime() + EXPORT_RETENTION_DAYS * DAY_MS),
    });
    await enqueueJob(trx, subjectExportJob, { workspaceId: caller.workspaceId, exportId });
    if (row.status === "received") await updateSubjectRequest(trx, caller.workspaceId, requestId, { status: "in_progress", at: now });
    await recordCallerAudit(trx, caller, {
      action: "subject_export.requested",
      target: { type: "subject_export", id: exportId },
      metadata: { requestId, contactId: row.contactId },
    });
    return presentOne(services, trx, caller, requestId, now);
  });
}

/** A 5-minute signed link to a ready export, for the caller (the route checks re-authentication). */
export async function createDownloadLinkFor(
  services: Services,
  caller: Caller,
  exportId: string,
  now = new Date(),
): Promise<{ url: string; expiresAt: Date }> {
  const row = await asCaller(services, caller, (trx) => findSubjectExport(trx, caller.workspaceId, exportId));
  if (!row) throw new AppError("NOT_FOUND", "No such export in this workspace.");
  if (row.status !== "ready" || row.expiresAt.getTime() <= now.getTime())
    throw new AppError("CONFLICT", row.status === "pending" ? "The export is still being prepared." : "The export is no longer available.");
  const { token, expiresAt } = await createExportToken(services, { workspaceId: caller.workspaceId, exportId, userId: caller.userId, now });
  return { url: `/privacy-exports/${token}`, expiresAt };
}

/**
 * The zip behind a signed link, audited as a download by the member the link was issued to, who
 * must still hold privacy.manage. Answers FORBIDDEN for a bad or expired link, NOT_FOUND when the
 * export is gone (expired, or the contact erased).
 */
export async function downloadExport(
  services: Services,
  token: string,
  request: { ip: string | null; userAgent: string | null },
  now = new Date(),
): Promise<{ filename: string; zip: Buffer }> {
  const grant = await verifyExportToken(services, token, now);
  if (!grant) throw new AppError("FORBIDDEN", "The download link is invalid or has expired.");
  const blobs = services.blobs;
  if (!blobs) throw new Error("no blob store is configured (services.blobs)");
  const { workspaceId, exportId, userId } = grant;
  return withWorkspace(services.db, { workspaceId }, async (trx) => {
    const role = await findMemberRole(trx, workspaceId, userId);
    if (!role || !hasPermission(role, "privacy.manage")) throw new AppError("FORBIDDEN", "The download link is invalid or has expired.");
    const row = await findSubjectExport(trx, workspaceId, exportId);
    const gone = new AppError("NOT_FOUND", "The export is no longer available.");
    if (!row || row.status !== "ready" || row.blobKey === null || row.wrappedKey === null || row.expiresAt.getTime() <= now.getTime())
      throw gone;
    const blob = await blobs.get(row.blobKey);
    if (!blob) throw gone;
    let zip: Buffer;
    try {
      zip = await openBundle(trx, services.keyring, { workspaceId, exportId, blobKey: row.blobKey }, row.wrappedKey, blob);
    } catch (error) {
      if (error instanceof DecryptionError) throw gone;
      throw error;
    }
    await recordAudit(trx, {
      workspaceId,
      actor: { type: "user", id: userId },
      action: "subject_export.downloaded",
      target: { type: "subject_export", id: exportId },
      metadata: { requestId: row.requestId, sizeBytes: zip.length },
      ip: request.ip,
      userAgent: request.userAgent,
    });
    return { filename: `subject-export-${exportId}.zip`, zip };
  });
}

/** Runs an erasure request: the contact is erased (as DELETE …/contacts/:id does) and the request completes in the same transaction. */
export async function eraseFromRequestFor(
  services: Services,
  caller: Caller,
  requestId: string,
  now = new Date(),
): Promise<SubjectRequest> {
  const row = await asCaller(services, caller, (trx) => findSubjectRequest(trx, caller.workspaceId, requestId));
  if (!row) throw notFound();
  if (row.kind !== "erasure") throw new AppError("CONFLICT", "Only an erasure request erases a contact.");
  if (!OPEN_STATUSES.includes(row.status)) throw new AppError("CONFLICT", "This request is already completed or rejected.");
  const complete = async (trx: Tx) => {
    await updateSubjectRequest(trx, caller.workspaceId, requestId, {
      status: "completed",
      completedAt: now,
      notesCiphertext: null,
      at: now,
    });
    await recordCallerAudit(trx, caller, {
      action: "subject_request.updated",
      target: { type: "subject_request", id: requestId },
      metadata: { kind: "erasure", from: row.status, to: "completed", notesChanged: row.notesCiphertext !== null },
    });
  };
  try {
    await eraseContactFor(services, caller, row.contactId, complete);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "NOT_FOUND") throw error;
    // Erased already (from the contacts page, or the trash purge): the request is answered.
    const done = await asCaller(services, caller, async (trx) => {
      if (!(await wasContactErased(trx, caller.workspaceId, row.contactId))) return false;
      await complete(trx);
      return true;
    });
    if (!done) throw new AppError("NOT_FOUND", "The contact no longer exists and no erasure of it is recorded.");
  }
  return getRequestFor(services, caller, requestId, now);
}
