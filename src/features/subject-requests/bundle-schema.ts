import { z } from "zod";

// The machine-readable part of a contact's export: `subject.json` at the root of the zip. Its
// JSON Schema (docs/subject-export.schema.json) is rendered from this zod schema by
// `npm run data-inventory`, and a test fails when the committed copy drifts or a bundle does not
// validate against it. `sections` has one entry per table the data inventory marks exportable
// (src/privacy/data-inventory.ts): the known tables have the row shapes below; a table added later
// gets its rows column by column (encrypted columns decrypted, secrets and members' ids left out).

export const SUBJECT_EXPORT_FORMAT = "parley.subject-export";
export const SUBJECT_EXPORT_VERSION = 1;
export const SUBJECT_EXPORT_SCHEMA_PATH = "docs/subject-export.schema.json";
export const SUBJECT_EXPORT_SCHEMA_ID = "https://parley.invalid/schemas/subject-export.v1.json";

const time = z.iso.datetime().describe("ISO 8601, UTC");
const optionalTime = time.nullable();

const section = <Row extends z.ZodType>(row: Row, what: string) =>
  z
    .strictObject({
      description: z.string().describe("What the data inventory says this export takes from the table."),
      rows: z.array(row),
    })
    .describe(what);

const fileRef = z
  .string()
  .regex(/^media\/[0-9a-f-]{36}\.[a-z0-9]{1,8}$/)
  .describe("Path of the file inside the zip.");

const contactRow = z.strictObject({
  id: z.uuid(),
  phone: z.string().nullable().describe("E.164; null for a contact known only by a business-scoped user id."),
  name: z.string().nullable().describe("The name the team gave."),
  wa_profile_name: z.string().nullable().describe("The WhatsApp profile name."),
  wa_user_id: z.string().nullable().describe("The WhatsApp business-scoped user id."),
  custom_fields: z.record(z.string(), z.string()),
  consent_status: z.string(),
  consent_source: z.string().nullable(),
  consent_updated_at: optionalTime,
  last_inbound_at: optionalTime,
  in_trash_since: optionalTime,
  created_at: time,
  updated_at: time,
});

const tagRow = z.strictObject({ tag: z.string(), created_at: time });

const conversationRow = z.strictObject({
  id: z.uuid(),
  number_id: z.uuid().describe("The workspace's WhatsApp number the conversation is on."),
  status: z.string(),
  last_inbound_at: optionalTime,
  last_message_at: optionalTime,
  closed_at: optionalTime,
  created_at: time,
  updated_at: time,
});

const noteRow = z.strictObject({
  id: z.uuid(),
  conversation_id: z.uuid(),
  text: z.string().nullable().describe("Null when the note could not be decrypted."),
  author_role: z.string().nullable().describe("The author's role in the workspace (never a name); null when they left."),
  created_at: time,
});

const messageRow = z.strictObject({
  id: z.uuid(),
  conversation_id: z.uuid(),
  direction: z.enum(["in", "out"]).describe("in: from the contact; out: to the contact."),
  type: z.string(),
  wamid: z.string().nullable(),
  context_wamid: z.string().nullable(),
  reaction_to_wamid: z.string().nullable(),
  content: z.unknown().describe("The message's content as WhatsApp carried it (text, caption, location, …); null when none."),
  media: z
    .strictObject({
      file: fileRef.nullable().describe("The file in this zip; null when it was never stored or is gone."),
      mime_type: z.string().nullable(),
      size_bytes: z.number().int().nullable(),
      sha256: z.string().nullable(),
    })
    .nullable(),
  status: z.string(),
  status_at: optionalTime,
  error_code: z.number().int().nullable(),
  occurred_at: time,
  created_at: time,
});

const statusRow = z.strictObject({
  wamid: z.string(),
  status: z.string(),
  occurred_at: time,
  error_code: z.number().int().nullable(),
  error_title: z.string().nullable(),
  pricing_category: z.string().nullable(),
  pricing_type: z.string().nullable(),
});

const uploadRow = z.strictObject({
  id: z.uuid(),
  conversation_id: z.uuid(),
  media_type: z.string(),
  mime_type: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string(),
  file: fileRef.nullable(),
  used_at: optionalTime,
  created_at: time,
});

const genericRow = z
  .record(z.string(), z.unknown())
  .describe("A row, column by column (encrypted columns decrypted, named without _ciphertext).");

export const subjectBundleSchema = z
  .strictObject({
    $schema: z.literal(SUBJECT_EXPORT_SCHEMA_ID),
    format: z.literal(SUBJECT_EXPORT_FORMAT),
    version: z.literal(SUBJECT_EXPORT_VERSION),
    generatedAt: time,
    workspace: z.strictObject({ id: z.uuid() }),
    subject: z.strictObject({ contactId: z.uuid() }),
    sections: z
      .object({
        contacts: section(contactRow, "The contact's profile and consent."),
        contact_tags: section(tagRow, "The contact's tags."),
        conversations: section(conversationRow, "The contact's conversations."),
        conversation_notes: section(noteRow, "Internal notes on the contact's conversations."),
        messages: section(messageRow, "Every message, both directions."),
        message_statuses: section(statusRow, "Delivery statuses of sent messages."),
        media_uploads: section(uploadRow, "Files the team uploaded to send to the contact."),
      })
      .catchall(section(genericRow, "A table added to the inventory later, read column by column."))
      .describe("One entry per table the data inventory marks exportable, keyed by the table's name."),
    files: z
      .array(
        z.strictObject({
          path: fileRef,
          source: z.enum(["messages", "media_uploads"]),
          rowId: z.uuid(),
          mimeType: z.string(),
          sizeBytes: z.number().int().nonnegative(),
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
        }),
      )
      .describe("Every media file in the zip's media/ folder."),
  })
  .describe("A contact's personal data held by one Parley workspace (GDPR Art. 15 and 20).");

export type SubjectBundle = z.infer<typeof subjectBundleSchema>;

/** The JSON Schema document committed at docs/subject-export.schema.json. */
export function renderSubjectExportSchema(): string {
  const schema = z.toJSONSchema(subjectBundleSchema, { target: "draft-2020-12" });
  return `${JSON.stringify({ ...schema, $id: SUBJECT_EXPORT_SCHEMA_ID, title: "Parley subject export (subject.json)" }, null, 2)}\n`;
}
