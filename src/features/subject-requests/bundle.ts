import { createHash } from "node:crypto";
import { DecryptionError } from "../../crypto/aead.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { dataInventory, declarationsOf, type TableDeclaration } from "../../privacy/data-inventory.ts";
import type { Services } from "../../services.ts";
import { openMedia } from "../messages/media/cipher.ts";
import { messageContentField } from "../messages/repository.ts";
import {
  SUBJECT_EXPORT_FORMAT,
  SUBJECT_EXPORT_SCHEMA_ID,
  SUBJECT_EXPORT_SCHEMA_PATH,
  SUBJECT_EXPORT_VERSION,
  subjectBundleSchema,
  type SubjectBundle,
} from "./bundle-schema.ts";
import {
  readContactRow,
  readContactTags,
  readConversations,
  readMessagesPage,
  readMessageStatuses,
  readNotes,
  readRowsByContact,
  readUploads,
} from "./export-repository.ts";
import { writeZip, type ZipEntry } from "./zip.ts";

// A contact's export bundle (DESIGN §8, GDPR Art. 15 and 20), driven by the data inventory: one
// section per table whose declaration says what an export takes from it. The tables known today
// have readers that decrypt and shape their rows; a table declared exportable later is read column
// by column (readGenericSection), so a new feature's data flows into the export by its declaration.
// Reads go in short transactions (a long one would hold the embedded engine's only connection).
// The zip holds subject.json (the schema: docs/subject-export.schema.json), README.txt and media/.

/** The tables the inventory marks exportable (their `export` is not null). */
export type ExportableTable = {
  [Table in keyof typeof dataInventory]: (typeof dataInventory)[Table]["export"] extends null ? never : Table;
}[keyof typeof dataInventory];

/** Bounds that keep one bundle in memory: the media's total bytes, messages, rows of a generic table. */
export const MAX_BUNDLE_MEDIA_BYTES = 512 * 1024 * 1024;
export const MAX_BUNDLE_MESSAGES = 200_000;
const MESSAGE_PAGE = 500;
const GENERIC_ROW_LIMIT = 10_000;

/** The contact no longer exists (erased): there is nothing to export. */
export class SubjectGoneError extends Error {
  constructor() {
    super("the contact no longer exists");
    this.name = "SubjectGoneError";
  }
}

/** The bundle would exceed its bounds; the message says which, without personal data. */
export class BundleTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BundleTooLargeError";
  }
}

export type BuiltBundle = { zip: Buffer; bundle: SubjectBundle; fileCount: number; dataKeyId: string };

type Sections = Record<string, { description: string; rows: unknown[] }>;
type FileToAdd = { path: string; source: "messages" | "media_uploads"; rowId: string; blobKey: string; mimeType: string };
type ReadContext = { trx: Tx; keyring: Keyring; workspaceId: string; contactId: string };

/** Which tables contribute, with their declaration: every exportable one, in the inventory's order. */
export function exportableTables(): Array<[string, TableDeclaration]> {
  return declarationsOf(dataInventory).filter(([, declaration]) => declaration.export !== null);
}

const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : new Date(value).toISOString();

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "audio/aac": "aac",
  "audio/amr": "amr",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/ogg": "ogg",
  "video/mp4": "mp4",
  "video/3gpp": "3gp",
  "text/plain": "txt",
  "application/pdf": "pdf",
  "application/msword": "doc",
  "application/vnd.ms-excel": "xls",
  "application/vnd.ms-powerpoint": "ppt",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
};

function mediaPath(rowId: string, mimeType: string): string {
  return `media/${rowId}.${EXTENSIONS[mimeType.toLowerCase()] ?? "bin"}`;
}

async function decryptOrNull(ctx: ReadContext, field: { table: string; column: string; rowId: string }, envelope: string | null) {
  if (envelope === null) return null;
  try {
    return await ctx.keyring.decrypt(ctx.trx, { workspaceId: ctx.workspaceId, ...field }, envelope);
  } catch (error) {
    if (error instanceof DecryptionError) return null;
    throw error;
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The readers of the tables known today; the others go through readGenericSection. */
const readers: Partial<Record<ExportableTable, (ctx: ReadContext, files: FileToAdd[]) => Promise<unknown[]>>> = {
  contact_tags: async (ctx) =>
    (await readContactTags(ctx.trx, ctx.workspaceId, ctx.contactId)).map((row) => ({ tag: row.tag, created_at: iso(row.created_at) })),
  conversations: async (ctx) =>
    (await readConversations(ctx.trx, ctx.workspaceId, ctx.contactId)).map((row) => ({
      id: row.id,
      number_id: row.number_id,
      status: row.status,
      last_inbound_at: iso(row.last_inbound_at),
      last_message_at: iso(row.last_message_at),
      closed_at: iso(row.closed_at),
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    })),
  conversation_notes: async (ctx) => {
    const rows = await readNotes(ctx.trx, ctx.workspaceId, ctx.contactId);
    const notes = [];
    for (const row of rows)
      notes.push({
        id: row.id,
        conversation_id: row.conversation_id,
        text: await decryptOrNull(ctx, { table: "conversation_notes", column: "body", rowId: row.id }, row.body_ciphertext),
        author_role: row.author_role ?? null,
        created_at: iso(row.created_at),
      });
    return notes;
  },
  message_statuses: async (ctx) =>
    (await readMessageStatuses(ctx.trx, ctx.workspaceId, ctx.contactId)).map((row) => ({
      wamid: row.wamid,
      status: row.status,
      occurred_at: iso(row.occurred_at),
      error_code: row.error_code,
      error_title: row.error_title,
      pricing_category: row.pricing_category,
      pricing_type: row.pricing_type,
    })),
  media_uploads: async (ctx, files) =>
    (await readUploads(ctx.trx, ctx.workspaceId, ctx.contactId)).map((row) => {
      const path = mediaPath(row.id, row.mime_type);
      if (!files.some((file) => file.blobKey === row.blob_key))
        files.push({ path, source: "media_uploads", rowId: row.id, blobKey: row.blob_key, mimeType: row.mime_type });
      return {
        id: row.id,
        conversation_id: row.conversation_id,
        media_type: row.media_type,
        mime_type: row.mime_type,
        size_bytes: Number(row.size_bytes),
        sha256: row.sha256,
        file: files.find((file) => file.blobKey === row.blob_key)?.path ?? path,
        used_at: iso(row.used_at),
        created_at: iso(row.created_at),
      };
    }),
};

/**
 * A table the inventory marks exportable without a reader of its own: its rows about the contact
 * (`contact_id`), column by column. Columns declared secret, blind indexes, hashes, members' ids and
 * the workspace id are left out; `<name>_ciphertext` columns under the contact's key are decrypted
 * (AAD `<table>.<name>` and the row's id, the convention of every encrypted column) and named `<name>`.
 */
async function readGenericSection(ctx: ReadContext, table: string, declaration: TableDeclaration): Promise<unknown[]> {
  const rows = await readRowsByContact(ctx.trx, ctx.workspaceId, table, ctx.contactId, GENERIC_ROW_LIMIT + 1);
  if (rows.length > GENERIC_ROW_LIMIT) throw new BundleTooLargeError(`more than ${GENERIC_ROW_LIMIT} rows in ${table}`);
  const shaped = [];
  for (const row of rows) {
    const out: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      const declared = declaration.columns[column];
      if (column === "workspace_id" || column.endsWith("_user_id")) continue;
      if (declared && (declared.kind === "secret" || declared.protection === "blind-index" || declared.protection === "hash")) continue;
      if (column.endsWith("_ciphertext")) {
        const name = column.slice(0, -"_ciphertext".length);
        out[name] =
          typeof value === "string" && typeof row.id === "string"
            ? parseJson(await decryptOrNull(ctx, { table, column: name, rowId: row.id }, value))
            : null;
        continue;
      }
      out[column] = value instanceof Date ? value.toISOString() : Buffer.isBuffer(value) ? value.toString("base64") : value;
    }
    shaped.push(out);
  }
  return shaped;
}

/** Builds the export bundle of one contact. Throws SubjectGoneError when the contact is gone, BundleTooLargeError past the bounds. */
export async function buildSubjectBundle(
  services: Pick<Services, "db" | "keyring" | "blobs">,
  input: { workspaceId: string; contactId: string; now?: Date },
): Promise<BuiltBundle> {
  const { workspaceId, contactId } = input;
  const now = input.now ?? new Date();
  const blobs = services.blobs;
  if (!blobs) throw new Error("no blob store is configured (services.blobs)");
  const inWorkspace = <T>(fn: (ctx: ReadContext) => Promise<T>) =>
    withWorkspace(services.db, { workspaceId }, (trx) => fn({ trx, keyring: services.keyring, workspaceId, contactId }));

  const files: FileToAdd[] = [];
  const sections: Sections = {};
  const tables = exportableTables();

  const dataKeyId = await inWorkspace(async (ctx) => {
    const contact = await readContactRow(ctx.trx, workspaceId, contactId);
    if (!contact) throw new SubjectGoneError();
    await ctx.keyring.preloadDataKeys(ctx.trx, workspaceId, [contact.data_key_id]);
    const field = (column: string) => ({ table: "contacts", column, rowId: contact.id });
    const customFields = parseJson(await decryptOrNull(ctx, field("custom_fields"), contact.custom_fields_ciphertext));
    sections.contacts = {
      description: dataInventory.contacts.export,
      rows: [
        {
          id: contact.id,
          phone: await decryptOrNull(ctx, field("phone"), contact.phone_ciphertext),
          name: await decryptOrNull(ctx, field("name"), contact.name_ciphertext),
          wa_profile_name: await decryptOrNull(ctx, field("wa_profile_name"), contact.wa_profile_name_ciphertext),
          wa_user_id: await decryptOrNull(ctx, field("wa_user_id"), contact.wa_user_id_ciphertext),
          custom_fields: customFields !== null && typeof customFields === "object" ? customFields : {},
          consent_status: contact.consent_status,
          consent_source: contact.consent_source,
          consent_updated_at: iso(contact.consent_updated_at),
          last_inbound_at: iso(contact.last_inbound_at),
          in_trash_since: iso(contact.deleted_at),
          created_at: iso(contact.created_at),
          updated_at: iso(contact.updated_at),
        },
      ],
    };
    for (const [table, declaration] of tables) {
      if (table === "contacts" || table === "messages") continue;
      const reader = readers[table as ExportableTable];
      sections[table] = {
        description: declaration.export!,
        rows: reader ? await reader(ctx, files) : await readGenericSection(ctx, table, declaration),
      };
    }
    return contact.data_key_id;
  });

  // Messages in pages of their own transactions; their media are collected for the files below.
  const messages: unknown[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await inWorkspace(async (ctx) => {
      const rows = await readMessagesPage(ctx.trx, workspaceId, contactId, after, MESSAGE_PAGE);
      const shaped = [];
      for (const row of rows) {
        const content = parseJson(await decryptOrNull(ctx, messageContentField(workspaceId, row.id), row.content_ciphertext));
        let file: string | null = null;
        if (row.media_blob_key !== null && row.media_status === "stored" && row.media_mime_type !== null) {
          const existing = files.find((candidate) => candidate.blobKey === row.media_blob_key);
          file = existing?.path ?? mediaPath(row.id, row.media_mime_type);
          if (!existing)
            files.push({ path: file, source: "messages", rowId: row.id, blobKey: row.media_blob_key, mimeType: row.media_mime_type });
        }
        const hasMedia = row.media_mime_type !== null || row.media_blob_key !== null;
        shaped.push({
          id: row.id,
          conversation_id: row.conversation_id,
          direction: row.direction,
          type: row.type,
          wamid: row.wamid,
          context_wamid: row.context_wamid,
          reaction_to_wamid: row.reaction_to_wamid,
          content,
          media: hasMedia
            ? {
                file,
                mime_type: row.media_mime_type,
                size_bytes: row.media_size === null ? null : Number(row.media_size),
                sha256: row.media_sha256,
              }
            : null,
          status: row.status,
          status_at: iso(row.status_at),
          error_code: row.error_code,
          occurred_at: iso(row.occurred_at)!,
          created_at: iso(row.created_at)!,
        });
      }
      return { shaped, last: rows.at(-1)?.id ?? null, full: rows.length === MESSAGE_PAGE };
    });
    messages.push(...page.shaped);
    if (messages.length > MAX_BUNDLE_MESSAGES) throw new BundleTooLargeError(`more than ${MAX_BUNDLE_MESSAGES} messages`);
    if (!page.full || page.last === null) break;
    after = page.last;
  }
  messages.sort((a, b) => {
    const left = a as { occurred_at: string; id: string };
    const right = b as { occurred_at: string; id: string };
    return left.occurred_at === right.occurred_at ? left.id.localeCompare(right.id) : left.occurred_at.localeCompare(right.occurred_at);
  });
  sections.messages = { description: dataInventory.messages.export, rows: messages };

  // The media, each opened in a transaction of its own; a file whose blob or key is gone is left out.
  const entries: ZipEntry[] = [];
  const listed: SubjectBundle["files"] = [];
  let mediaBytes = 0;
  for (const file of files) {
    const bytes = await inWorkspace(async (ctx) => {
      const blob = await blobs.get(file.blobKey);
      if (!blob) return null;
      try {
        return await openMedia(ctx.trx, ctx.keyring, { workspaceId, messageId: file.rowId, blobKey: file.blobKey }, blob);
      } catch (error) {
        if (error instanceof DecryptionError) return null;
        throw error;
      }
    });
    if (bytes === null) continue;
    mediaBytes += bytes.length;
    if (mediaBytes > MAX_BUNDLE_MEDIA_BYTES) throw new BundleTooLargeError(`more than ${MAX_BUNDLE_MEDIA_BYTES} bytes of media`);
    entries.push({ name: file.path, bytes });
    listed.push({
      path: file.path,
      source: file.source,
      rowId: file.rowId,
      mimeType: file.mimeType,
      sizeBytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
  }
  // References to files that could not be read point at nothing rather than at a missing path.
  const present = new Set(listed.map((file) => file.path));
  for (const row of sections.messages.rows as Array<{ media: { file: string | null } | null }>)
    if (row.media?.file && !present.has(row.media.file)) row.media.file = null;
  for (const row of (sections.media_uploads?.rows ?? []) as Array<{ file: string | null }>)
    if (row.file && !present.has(row.file)) row.file = null;

  const ordered: Sections = {};
  for (const [table] of tables) ordered[table] = sections[table]!;
  const bundle = subjectBundleSchema.parse({
    $schema: SUBJECT_EXPORT_SCHEMA_ID,
    format: SUBJECT_EXPORT_FORMAT,
    version: SUBJECT_EXPORT_VERSION,
    generatedAt: now.toISOString(),
    workspace: { id: workspaceId },
    subject: { contactId },
    sections: ordered,
    files: listed,
  });
  const zip = writeZip(
    [
      { name: "subject.json", bytes: Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`, "utf8") },
      { name: "README.txt", bytes: Buffer.from(renderReadme(bundle), "utf8") },
      ...entries,
    ],
    now,
  );
  return { zip, bundle, fileCount: entries.length, dataKeyId };
}

/** The human-readable guide to the bundle: what each part holds, in words; no personal data. */
export function renderReadme(bundle: SubjectBundle): string {
  const lines = [
    "Your personal data held by this workspace",
    "=========================================",
    "",
    `Made on ${bundle.generatedAt} for contact ${bundle.subject.contactId}.`,
    "",
    "This archive holds:",
    "",
    "  subject.json  every piece of personal data about you, machine-readable (JSON).",
    `                Its format is described by a JSON Schema (${SUBJECT_EXPORT_SCHEMA_PATH}`,
    `                in Parley's source, ${SUBJECT_EXPORT_SCHEMA_ID}).`,
    "  README.txt    this guide.",
    `  media/        the ${bundle.files.length} file(s) exchanged in your conversations (photos, documents, audio, video).`,
    "",
    "What subject.json contains, section by section:",
    "",
  ];
  for (const [table, section] of Object.entries(bundle.sections)) {
    lines.push(`  ${table} (${section.rows.length} ${section.rows.length === 1 ? "entry" : "entries"})`, `    ${section.description}`, "");
  }
  lines.push(
    "Times are in UTC (ISO 8601). Members of the team appear by role, never by name.",
    "Message content is as WhatsApp carried it: text, captions, locations, shared contacts, template parameters.",
    "",
  );
  return lines.join("\n");
}
