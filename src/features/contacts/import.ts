import { normalizePhone } from "../../crypto/blind-index.ts";
import { AppError } from "../../errors.ts";
import { safeString, UNSAFE_TEXT_MESSAGE } from "../../http/safe-string.ts";
import type { Services } from "../../services.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { CsvParseError, CsvTooManyRecordsError, parseCsv, unneutralizeCell, type CsvRecord } from "./csv.ts";
import { findContactProfilesByIndex, insertContacts, updateContactProfile, type ContactChanges, type NewContact } from "./repository.ts";
import {
  consentStatuses,
  isValidCustomFieldKey,
  isValidTag,
  KEY_RULE,
  MAX_CUSTOM_FIELDS,
  MAX_TAGS,
  nameProblem,
  normalizeTag,
  sameFields,
  TAG_RULE,
  tagSet,
  valueProblem,
} from "./rules.ts";
import type { ConsentStatus } from "./schema.ts";
import { recordImportedConsent } from "../consent/service.ts";

// CSV import with a per-row report. Every data row of the file gets exactly one line in the report
// (created, updated, unchanged or invalid, with the reasons), so no row is ever dropped silently;
// blank lines are the only thing skipped. Valid rows are applied in one transaction with one audit
// entry holding counts only; a dry run reports what would happen and writes nothing.
//
// Columns: phone (required), name, tags (separated by ; or |), consent (opted_in, opted_out,
// unknown) and field:<key> for custom fields. An empty cell leaves the value as it is; tags are
// added to a contact's tags, never removed. Columns that Parley's own export writes but an import
// cannot set (whatsapp_name, consent_source, consent_updated_at, created_at) are ignored and named
// in the summary, so an exported file imports back unchanged; any other column refuses the file.

export const MAX_IMPORT_CHARS = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 10_000;
const BATCH = 500;

export type ImportRowStatus = "created" | "updated" | "unchanged" | "invalid";
export type ImportError = { column: string | null; message: string };
export type ImportRowReport = { row: number; status: ImportRowStatus; errors: ImportError[] };
export type ImportSummary = {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  dryRun: boolean;
  ignoredColumns: string[];
};
export type ImportReport = { rows: ImportRowReport[]; summary: ImportSummary };

/** Columns the export writes that are facts Parley records itself, not something a file may set. */
export const READ_ONLY_COLUMNS = ["whatsapp_name", "consent_source", "consent_updated_at", "created_at"] as const;

type Column = { kind: "phone" | "name" | "tags" | "consent" } | { kind: "field"; key: string } | { kind: "ignored" };

export type ParsedRow = {
  row: number;
  errors: ImportError[];
  /** Why the phone cell cannot be used, if it cannot: missing or not a number, or a number an earlier row has. */
  phoneProblem: "invalid_number" | "duplicate" | null;
  phone: string | null;
  name: string | null;
  tags: string[];
  consent: ConsentStatus | null;
  fields: Record<string, string>;
};

/**
 * Every cell passes the API's one string type: no NUL (PostgreSQL refuses it), no unpaired
 * surrogate (it would be stored as U+FFFD). The route already refuses such a file as a whole; this
 * holds for every caller of the import, and names the row and column.
 */
const cellText = safeString(MAX_IMPORT_CHARS);

function isSafeCell(cell: string): boolean {
  return cellText.safeParse(cell).success;
}

function fileError(message: string, details?: unknown): AppError {
  return new AppError("UNPROCESSABLE", message, details === undefined ? {} : { details });
}

function isBlank(record: CsvRecord): boolean {
  return record.cells.every((cell) => cell.trim() === "");
}

/** Maps the header to columns; refuses a file whose header Parley cannot read completely. */
function readHeader(header: CsvRecord): { columns: Column[]; names: string[]; ignored: string[] } {
  const problems: ImportError[] = [];
  const seen = new Set<string>();
  const columns: Column[] = [];
  const names: string[] = [];
  const ignored: string[] = [];
  for (const [index, raw] of header.cells.entries()) {
    // A header problem names its column by position: the name is the file's text, never repeated in an error.
    const position = `#${index + 1}`;
    if (!isSafeCell(raw)) {
      // Not named: the name is the problem.
      problems.push({ column: null, message: `A column name: ${UNSAFE_TEXT_MESSAGE}` });
      columns.push({ kind: "ignored" });
      names.push("");
      continue;
    }
    const name = raw.trim();
    const lower = name.toLowerCase();
    names.push(name);
    let column: Column | null = null;
    if (lower === "phone" || lower === "name" || lower === "tags" || lower === "consent") column = { kind: lower };
    else if (lower.startsWith("field:")) {
      const key = name.slice("field:".length).trim();
      if (isValidCustomFieldKey(key)) column = { kind: "field", key };
      else problems.push({ column: position, message: KEY_RULE });
    } else if ((READ_ONLY_COLUMNS as readonly string[]).includes(lower)) {
      column = { kind: "ignored" };
      ignored.push(lower);
    } else if (name === "") {
      problems.push({ column: null, message: "A column has no name in the header row." });
    } else {
      problems.push({
        column: position,
        message: "Parley does not know this column. Use phone, name, tags, consent or field:<name> for a custom field.",
      });
    }
    if (column) {
      const id = column.kind === "field" ? `field:${column.key}` : lower;
      if (seen.has(id)) problems.push({ column: position, message: "This column appears twice in the header row." });
      seen.add(id);
      columns.push(column);
    } else {
      columns.push({ kind: "ignored" });
    }
  }
  if (!seen.has("phone"))
    problems.push({ column: "phone", message: "The first row must name the columns, and one of them must be phone." });
  if (columns.filter((column) => column.kind === "field").length > MAX_CUSTOM_FIELDS) {
    problems.push({ column: null, message: `A file may have at most ${MAX_CUSTOM_FIELDS} custom field columns.` });
  }
  if (problems.length > 0) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more ${problems.length === 2 ? "problem" : "problems"})` : "";
    throw fileError(
      `The header row of the file cannot be used. ${first!.column ? `Column ${first!.column}: ` : ""}${first!.message}${more}`,
      problems,
    );
  }
  return { columns, names, ignored };
}

function readRow(record: CsvRecord, columns: readonly Column[], names: readonly string[]): ParsedRow {
  const parsed: ParsedRow = {
    row: record.row,
    errors: [],
    phoneProblem: null,
    phone: null,
    name: null,
    tags: [],
    consent: null,
    fields: {},
  };
  if (record.cells.length !== columns.length) {
    parsed.errors.push({
      column: null,
      message: `This row has ${record.cells.length} cells but the header has ${columns.length}; check for a missing or extra comma.`,
    });
    return parsed;
  }
  columns.forEach((column, index) => {
    const label = names[index]!;
    if (!isSafeCell(record.cells[index]!)) {
      parsed.errors.push({ column: label, message: UNSAFE_TEXT_MESSAGE });
      return;
    }
    const cell = unneutralizeCell(record.cells[index]!);
    // Custom field values keep their spacing (as through the API); everything else is trimmed.
    const value = cell.trim();
    switch (column.kind) {
      case "phone":
        if (value === "") {
          parsed.phoneProblem = "invalid_number";
          parsed.errors.push({ column: label, message: "The phone number is missing." });
        } else {
          try {
            parsed.phone = normalizePhone(value);
          } catch {
            parsed.phoneProblem = "invalid_number";
            parsed.errors.push({
              column: label,
              message: "Not an international phone number: use + and the country code, like +14155550100.",
            });
          }
        }
        break;
      case "name":
        if (value !== "") {
          const problem = nameProblem(value);
          if (problem) parsed.errors.push({ column: label, message: problem });
          else parsed.name = value;
        }
        break;
      case "tags": {
        const tags = tagSet(
          value
            .split(/[;|]/)
            .map(normalizeTag)
            .filter((tag) => tag !== ""),
        );
        if (tags.some((tag) => !isValidTag(tag))) parsed.errors.push({ column: label, message: TAG_RULE });
        else if (tags.length > MAX_TAGS) parsed.errors.push({ column: label, message: `A contact has at most ${MAX_TAGS} tags.` });
        else parsed.tags = tags;
        break;
      }
      case "consent":
        if (value !== "") {
          const status = value.toLowerCase();
          if ((consentStatuses as readonly string[]).includes(status)) parsed.consent = status as ConsentStatus;
          else
            parsed.errors.push({
              column: label,
              message: "Consent must be opted_in, opted_out or unknown (or empty to leave it unchanged).",
            });
        }
        break;
      case "field":
        if (value !== "") {
          const problem = valueProblem(cell);
          if (problem) parsed.errors.push({ column: label, message: problem });
          else parsed.fields[column.key] = cell;
        }
        break;
      case "ignored":
        break;
    }
  });
  return parsed;
}

/**
 * Reads and validates a contacts CSV row by row (every rule of the import, duplicates included),
 * writing nothing; refuses the file as a whole when it cannot be read. Broadcast audience uploads
 * use it too, so a row is valid for a broadcast exactly when it is valid for the import.
 */
export function readContactsCsv(csv: string): { parsed: ParsedRow[]; ignored: string[]; names: string[] } {
  if (csv.length > MAX_IMPORT_CHARS) throw fileError("The file is larger than 5 MB; split it into smaller files.");
  let records: CsvRecord[];
  try {
    // Blank lines count as records while parsing; the data-row limit below ignores them.
    records = parseCsv(csv, { maxRecords: MAX_IMPORT_ROWS * 2 + 1 });
  } catch (error) {
    if (error instanceof CsvParseError) throw fileError(`The file is not valid CSV. ${error.message}`, [{ row: error.row }]);
    if (error instanceof CsvTooManyRecordsError)
      throw fileError(`The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en")} rows; split it into smaller files.`);
    throw error;
  }
  const [header, ...body] = records;
  if (!header || isBlank(header)) throw fileError("The file is empty or its first row (the header) is blank.");
  const { columns, names, ignored } = readHeader(header);
  const data = body.filter((record) => !isBlank(record));
  if (data.length === 0) throw fileError("The file has a header row but no contacts.");
  if (data.length > MAX_IMPORT_ROWS)
    throw fileError(`The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en")} rows; split it into smaller files.`);
  const parsed = data.map((record) => readRow(record, columns, names));
  // The same number twice would make the result depend on the order of the rows: the first one
  // counts, later ones are reported.
  const firstRow = new Map<string, number>();
  for (const row of parsed) {
    if (row.phone === null || row.errors.length > 0) continue;
    const first = firstRow.get(row.phone);
    if (first === undefined) firstRow.set(row.phone, row.row);
    else {
      row.phoneProblem = "duplicate";
      row.errors.push({ column: "phone", message: `The same phone number is already on row ${first}; each contact may appear once.` });
    }
  }
  return { parsed, ignored, names: header.cells.map((cell) => cell.trim().toLowerCase()) };
}

/**
 * Validates the file, then (unless `dryRun`) applies its valid rows in one transaction. Refuses the
 * whole file (UNPROCESSABLE, with details) only when it cannot be read: not CSV, an unusable
 * header, no rows or too many.
 */
export async function importContactsFor(
  services: Services,
  caller: Caller,
  input: { csv: string; dryRun: boolean },
): Promise<ImportReport> {
  const { parsed, ignored } = readContactsCsv(input.csv);
  const reports = new Map<number, ImportRowReport>(parsed.map((row) => [row.row, { row: row.row, status: "invalid", errors: row.errors }]));
  const valid = parsed.filter((row) => row.errors.length === 0);

  await asCaller(services, caller, async (trx) => {
    const now = new Date();
    let consentChanged = 0;
    // Every consent an import sets or changes becomes a consent ledger entry (source import).
    const ledger: Array<{ contactId: string; status: ConsentStatus; at: Date }> = [];
    for (let start = 0; start < valid.length; start += BATCH) {
      const batch = valid.slice(start, start + BATCH);
      const indexes = await Promise.all(
        batch.map((row) => services.keyring.blindIndex(trx, caller.workspaceId, "contacts.phone", row.phone!)),
      );
      const existing = await findContactProfilesByIndex(trx, services.keyring, caller.workspaceId, indexes);
      const creates: Array<{ row: ParsedRow; contact: NewContact }> = [];
      for (const [position, row] of batch.entries()) {
        const report = reports.get(row.row)!;
        const phoneIndex = indexes[position]!;
        const current = existing.get(phoneIndex);
        const consent = row.consent === null ? null : { status: row.consent, source: "import" as const, at: now };
        if (!current) {
          creates.push({
            row,
            contact: { phone: row.phone!, phoneIndex, name: row.name, tags: row.tags, customFields: row.fields, consent },
          });
          continue;
        }
        if (current.deletedAt !== null) {
          report.errors = [
            {
              column: "phone",
              message: "A contact with this phone number is in the trash; restore it, then import the file again to update it.",
            },
          ];
          continue;
        }
        const changes: ContactChanges = {};
        if (row.name !== null && row.name !== current.name) changes.name = row.name;
        const tags = tagSet([...current.tags, ...row.tags]);
        if (tags.length !== current.tags.length) changes.tags = tags;
        const fields = { ...current.customFields, ...row.fields };
        if (!sameFields(fields, current.customFields)) changes.customFields = fields;
        const consentChange = consent && consent.status !== current.consent.status ? consent : null;
        const errors: ImportError[] = [];
        if (tags.length > MAX_TAGS)
          errors.push({ column: "tags", message: `With these tags the contact would have more than ${MAX_TAGS}.` });
        if (Object.keys(fields).length > MAX_CUSTOM_FIELDS)
          errors.push({ column: null, message: `With these custom fields the contact would have more than ${MAX_CUSTOM_FIELDS}.` });
        if (errors.length > 0) {
          report.errors = errors;
          continue;
        }
        if (Object.keys(changes).length === 0 && !consentChange) {
          report.status = "unchanged";
          continue;
        }
        if (!input.dryRun && Object.keys(changes).length > 0) await updateContactProfile(trx, services.keyring, current, changes);
        if (consentChange) {
          consentChanged += 1;
          ledger.push({ contactId: current.id, status: consentChange.status, at: now });
        }
        report.status = "updated";
      }
      if (input.dryRun) {
        for (const { row } of creates) reports.get(row.row)!.status = "created";
        continue;
      }
      const created = await insertContacts(
        trx,
        services.keyring,
        caller.workspaceId,
        creates.map((item) => item.contact),
      );
      for (const [position, { row, contact }] of creates.entries()) {
        const report = reports.get(row.row)!;
        if (created[position]) {
          report.status = "created";
          if (contact.consent) {
            consentChanged += 1;
            ledger.push({ contactId: created[position].id, status: contact.consent.status, at: now });
          }
        } else {
          // Someone created this number between our lookup and the insert; nothing was written for the row.
          report.errors = [
            {
              column: "phone",
              message:
                "A contact with this phone number was created while the file was being imported; import the file again to update it.",
            },
          ];
        }
      }
    }
    const rows = [...reports.values()];
    if (!input.dryRun) await recordImportedConsent(trx, caller, ledger);
    if (!input.dryRun) {
      const count = (status: ImportRowStatus) => rows.filter((row) => row.status === status).length;
      await recordCallerAudit(trx, caller, {
        action: "contacts.imported",
        metadata: {
          rows: rows.length,
          created: count("created"),
          updated: count("updated"),
          unchanged: count("unchanged"),
          invalid: count("invalid"),
          consentChanged,
        },
      });
    }
  });

  const rows = [...reports.values()].sort((a, b) => a.row - b.row);
  const count = (status: ImportRowStatus) => rows.filter((row) => row.status === status).length;
  return {
    rows,
    summary: {
      rows: rows.length,
      created: count("created"),
      updated: count("updated"),
      unchanged: count("unchanged"),
      invalid: count("invalid"),
      dryRun: input.dryRun,
      ignoredColumns: ignored,
    },
  };
}
