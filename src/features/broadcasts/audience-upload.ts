import { randomUUID } from "node:crypto";
import type { FieldContext } from "../../crypto/aead.ts";
import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import type { Services } from "../../services.ts";
import { readContactsCsv, type ImportError } from "../contacts/import.ts";
import { findContactProfilesByIndex, insertContacts, type ContactProfile, type NewContact } from "../contacts/repository.ts";
import {
  findAudienceRowValues,
  findAudienceUpload,
  insertAudienceRows,
  insertAudienceUpload,
  type AudienceUploadRow,
  type NewAudienceRow,
} from "./repository.ts";
import type { BroadcastAudience } from "./schema.ts";

// CSV audiences for broadcasts. A file of phone numbers with optional names and field:<key>
// columns (the values of the template's parameters for that row) is read by the contacts import's
// own reader, so a row is valid here exactly when it is valid for the import, and every data row
// gets one line of the report. Valid rows match a contact by phone (blind index) or create one as
// the import does; the row's name and fields are sealed under the workspace key and never change
// the contact. Consent stays the contact's: a file may not carry a consent column, and a created
// contact starts without marketing consent, so it is skipped until it opts in.

/** Columns the import knows that an audience may not carry: consent is the contact's own, tags are not parameters. */
const REFUSED_COLUMNS = ["consent", "tags"] as const;
const BATCH = 500;

export type AudienceRowReason = "invalid_number" | "duplicate" | "invalid_row";
export type AudienceRowReport = { row: number; status: "accepted" | "excluded"; reason: AudienceRowReason | null; errors: ImportError[] };
export type AudienceUploadSummary = {
  rows: number;
  accepted: number;
  excluded: { invalidNumber: number; duplicate: number; invalidRow: number };
  fieldKeys: string[];
};
export type AudienceUploadReport = { id: string; summary: AudienceUploadSummary; rows: AudienceRowReport[]; createdAt: Date };

/** What a row gives the template's parameters. */
export type AudienceRowValues = { name: string | null; fields: Record<string, string> };

function valuesField(workspaceId: string, uploadId: string, contactId: string): FieldContext {
  return { workspaceId, table: "broadcast_audience_rows", column: "values", rowId: `${uploadId}:${contactId}` };
}

export function summarizeUpload(row: AudienceUploadRow): AudienceUploadSummary {
  return {
    rows: row.row_count,
    accepted: row.accepted_count,
    excluded: { invalidNumber: row.invalid_number_count, duplicate: row.duplicate_count, invalidRow: row.invalid_row_count },
    fieldKeys: row.field_keys,
  };
}

/**
 * Validates the file, matches or creates a contact for each valid row and stores the audience, in
 * one transaction; audited with counts. Refuses the whole file (UNPROCESSABLE) only when it cannot
 * be read, carries a consent or tags column, or has no valid row.
 */
export async function uploadAudience(services: Services, caller: Caller, input: { csv: string }): Promise<AudienceUploadReport> {
  const { parsed, names } = readContactsCsv(input.csv);
  const refused = names.filter((name) => (REFUSED_COLUMNS as readonly string[]).includes(name));
  if (refused.length > 0) {
    throw new AppError(
      "UNPROCESSABLE",
      `An audience file has the columns phone, name and field:<name> only; remove ${refused.join(" and ")}. Marketing consent is the contact's own and is never set by an upload.`,
      { details: { reason: "audience_column_refused", columns: refused } },
    );
  }
  const fieldKeys = [...new Set(parsed.flatMap((row) => Object.keys(row.fields)))].sort();
  const reports = new Map<number, AudienceRowReport>(
    parsed.map((row) => [
      row.row,
      {
        row: row.row,
        status: "excluded",
        reason: row.errors.length === 0 ? null : (row.phoneProblem ?? "invalid_row"),
        errors: row.errors,
      },
    ]),
  );
  const valid = parsed.filter((row) => row.errors.length === 0);
  const uploadId = randomUUID();

  return asCaller(services, caller, async (trx) => {
    const members: NewAudienceRow[] = [];
    const seal = async (contactId: string, row: (typeof valid)[number]) =>
      row.name === null && Object.keys(row.fields).length === 0
        ? null
        : services.keyring.encryptSecret(
            trx,
            valuesField(caller.workspaceId, uploadId, contactId),
            JSON.stringify({ name: row.name, fields: row.fields } satisfies AudienceRowValues),
          );
    for (let start = 0; start < valid.length; start += BATCH) {
      const batch = valid.slice(start, start + BATCH);
      const indexes = await Promise.all(
        batch.map((row) => services.keyring.blindIndex(trx, caller.workspaceId, "contacts.phone", row.phone!)),
      );
      const existing = await findContactProfilesByIndex(trx, services.keyring, caller.workspaceId, indexes);
      const creates: Array<{ row: (typeof valid)[number]; contact: NewContact }> = [];
      for (const [position, row] of batch.entries()) {
        const report = reports.get(row.row)!;
        const current = existing.get(indexes[position]!);
        if (!current) {
          // As the import creates it (name and fields), without consent: it is asked for, never assumed.
          creates.push({
            row,
            contact: {
              phone: row.phone!,
              phoneIndex: indexes[position]!,
              name: row.name,
              tags: [],
              customFields: row.fields,
              consent: null,
            },
          });
          continue;
        }
        if (current.deletedAt !== null) {
          report.reason = "invalid_row";
          report.errors = [{ column: "phone", message: "A contact with this phone number is in the trash; restore it to send to it." }];
          continue;
        }
        members.push({ contactId: current.id, rowNumber: row.row, valuesCiphertext: await seal(current.id, row) });
        report.status = "accepted";
      }
      const created = await insertContacts(
        trx,
        services.keyring,
        caller.workspaceId,
        creates.map((item) => item.contact),
      );
      for (const [position, { row }] of creates.entries()) {
        const report = reports.get(row.row)!;
        const contact = created[position];
        if (!contact) {
          report.reason = "invalid_row";
          report.errors = [
            { column: "phone", message: "A contact with this phone number was created while the file was read; upload the file again." },
          ];
          continue;
        }
        members.push({ contactId: contact.id, rowNumber: row.row, valuesCiphertext: await seal(contact.id, row) });
        report.status = "accepted";
      }
    }
    const rows = [...reports.values()].sort((a, b) => a.row - b.row);
    const count = (reason: AudienceRowReason) => rows.filter((row) => row.status === "excluded" && row.reason === reason).length;
    if (members.length === 0) {
      throw new AppError("UNPROCESSABLE", "No row of the file can be sent to; see the errors of each row.", {
        details: { reason: "audience_empty", rows: rows.map(({ row, reason, errors }) => ({ row, reason, errors })) },
      });
    }
    const upload = await insertAudienceUpload(trx, caller.workspaceId, {
      id: uploadId,
      row_count: rows.length,
      accepted_count: members.length,
      invalid_number_count: count("invalid_number"),
      duplicate_count: count("duplicate"),
      invalid_row_count: count("invalid_row"),
      field_keys: fieldKeys,
      createdByUserId: caller.audit.type === "user" ? caller.userId : null,
    });
    for (let start = 0; start < members.length; start += BATCH) {
      await insertAudienceRows(trx, caller.workspaceId, uploadId, members.slice(start, start + BATCH));
    }
    await recordCallerAudit(trx, caller, {
      action: "broadcast.audience_uploaded",
      target: { type: "broadcast_audience", id: uploadId },
      metadata: { rows: rows.length, accepted: members.length, excluded: rows.length - members.length },
    });
    return { id: uploadId, summary: summarizeUpload(upload), rows, createdAt: upload.created_at };
  });
}

/** The upload, or NOT_FOUND. */
export async function requireAudienceUpload(trx: Tx, workspaceId: string, uploadId: string): Promise<AudienceUploadRow> {
  const upload = await findAudienceUpload(trx, workspaceId, uploadId);
  if (!upload) throw new AppError("NOT_FOUND", "The uploaded audience does not exist.");
  return upload;
}

export async function getAudienceUpload(
  services: Services,
  caller: Caller,
  uploadId: string,
): Promise<AudienceUploadSummary & { id: string; createdAt: Date }> {
  return asCaller(services, caller, async (trx) => {
    const upload = await requireAudienceUpload(trx, caller.workspaceId, uploadId);
    return { id: upload.id, createdAt: upload.created_at, ...summarizeUpload(upload) };
  });
}

/**
 * For an uploaded audience, the contacts' profiles as the template's parameters see them: the
 * row's name and fields first, the contact's own where the row has none. A filter audience's
 * profiles are returned as they are.
 */
export async function withUploadedValues(
  services: Services,
  trx: Tx,
  workspaceId: string,
  audience: BroadcastAudience,
  profiles: Map<string, ContactProfile>,
): Promise<Map<string, ContactProfile>> {
  const uploadId = audience.uploadId;
  if (uploadId === undefined || profiles.size === 0) return profiles;
  const sealed = await findAudienceRowValues(trx, workspaceId, uploadId, [...profiles.keys()]);
  const merged = new Map(profiles);
  for (const row of sealed) {
    const profile = profiles.get(row.contact_id);
    if (!profile || row.values_ciphertext === null) continue;
    const values = JSON.parse(
      await services.keyring.decrypt(trx, valuesField(workspaceId, uploadId, row.contact_id), row.values_ciphertext),
    ) as AudienceRowValues;
    merged.set(row.contact_id, {
      ...profile,
      name: values.name ?? profile.name,
      customFields: { ...profile.customFields, ...values.fields },
    });
  }
  return merged;
}
