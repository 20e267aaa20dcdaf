import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { buildSecurityHeaders } from "../../http/security-headers.ts";
import { requireRecentReauth } from "../../identity/authenticator.ts";
import { exportContactsFor } from "./export.ts";
import { importContactsFor, MAX_IMPORT_CHARS } from "./import.ts";
import type { ContactProfile } from "./repository.ts";
import { consentScopes } from "./schema.ts";
import {
  consentSources,
  consentStatuses,
  CUSTOM_FIELD_KEY,
  KEY_RULE,
  MAX_CUSTOM_FIELD_KEY_LENGTH,
  MAX_CUSTOM_FIELD_VALUE_LENGTH,
  MAX_CUSTOM_FIELDS,
  MAX_NAME_LENGTH,
  MAX_TAGS,
  nameProblem,
  TAG_PATTERN,
  TAG_RULE,
  valueProblem,
} from "./rules.ts";
import {
  createContactFor,
  eraseContactFor,
  filterTag,
  getContactFor,
  listContactsFor,
  listTrashFor,
  restoreContactFor,
  setConsentFor,
  trashContactFor,
  TRASH_DAYS,
  updateContactFor,
  type ContactDetail,
} from "./service.ts";
import { safeString } from "../../http/safe-string.ts";

// The contacts API under /api/v1/workspaces/:workspaceId/contacts. contacts.read lists and reads
// (Owners, Admins and Agents: every contact of the workspace; Analysts never), contacts.write
// creates, edits and records consent; contacts.import and contacts.export (Owners and Admins) move
// contacts in and out as CSV; contacts.delete (Owners and Admins) moves a contact to the trash and
// back; contacts.erase erases one at once (a data subject's request). Exports and erasure are
// sensitive (DESIGN §6): they need a session that confirmed its password within 5 minutes, never an
// API key. Moving to the trash is undone by a restore, so it needs no re-authentication.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const contactParams = z.strictObject({ workspaceId: z.uuid(), contactId: z.uuid() });

const consentStatus = z.enum(consentStatuses);
const consentSource = z.enum(consentSources);

const nameInput = safeString(MAX_NAME_LENGTH)
  .trim()
  .min(1)
  .refine((name) => nameProblem(name) === null, { message: "A name cannot contain line breaks or other control characters." });
const tagInput = safeString(100).trim().toLowerCase().regex(TAG_PATTERN, TAG_RULE);
const customFieldsInput = z
  .record(safeString(MAX_CUSTOM_FIELD_KEY_LENGTH).regex(CUSTOM_FIELD_KEY, KEY_RULE), safeString(MAX_CUSTOM_FIELD_VALUE_LENGTH))
  .superRefine((fields, context) => {
    if (Object.keys(fields).length > MAX_CUSTOM_FIELDS)
      context.addIssue({ code: "custom", message: `A contact has at most ${MAX_CUSTOM_FIELDS} custom fields.` });
    for (const [key, value] of Object.entries(fields)) {
      const problem = valueProblem(value);
      if (problem) context.addIssue({ code: "custom", path: [key], message: problem });
    }
  });

const consentResponse = z.object({ status: consentStatus, source: consentSource.nullable(), updatedAt: z.iso.datetime().nullable() });

const contactResponse = z.object({
  id: z.uuid(),
  phone: z
    .string()
    .nullable()
    .describe("E.164; null for a contact WhatsApp identified only by a business-scoped user id (a username, no phone)."),
  name: z.string().nullable(),
  whatsappName: z.string().nullable(),
  tags: z.array(z.string()),
  consent: consentResponse,
  createdAt: z.iso.datetime(),
});

const contactDetailResponse = contactResponse.extend({
  customFields: z.record(z.string(), z.string()),
  conversationCount: z.number().int(),
  updatedAt: z.iso.datetime(),
});

const trashedContactResponse = contactResponse.extend({
  deletedAt: z.iso.datetime(),
  purgeAfter: z.iso.datetime().describe(`When the purge erases the contact for good (${TRASH_DAYS} days after it was moved to the trash).`),
});

const importRowResponse = z.object({
  row: z.number().int(),
  status: z.enum(["created", "updated", "unchanged", "invalid"]),
  errors: z.array(z.object({ column: z.string().nullable(), message: z.string() })),
});

const importResponse = z.object({
  rows: z.array(importRowResponse),
  summary: z.object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    invalid: z.number().int(),
    dryRun: z.boolean(),
    ignoredColumns: z.array(z.string()),
  }),
});

const filterQuery = {
  tag: safeString(100).min(1).optional(),
  consent: consentStatus.optional(),
};

function presentContact(profile: ContactProfile): z.input<typeof contactResponse> {
  return {
    id: profile.id,
    phone: profile.phone,
    name: profile.name,
    whatsappName: profile.waProfileName,
    tags: profile.tags,
    consent: {
      status: profile.consent.status,
      source: profile.consent.source,
      updatedAt: profile.consent.updatedAt?.toISOString() ?? null,
    },
    createdAt: profile.createdAt.toISOString(),
  };
}

function presentTrashed(profile: ContactProfile): z.input<typeof trashedContactResponse> {
  return {
    ...presentContact(profile),
    deletedAt: (profile.deletedAt ?? new Date(0)).toISOString(),
    purgeAfter: (profile.purgeAfter ?? new Date(0)).toISOString(),
  };
}

function presentDetail(detail: ContactDetail): z.input<typeof contactDetailResponse> {
  return {
    ...presentContact(detail),
    customFields: detail.customFields,
    conversationCount: detail.conversationCount,
    updatedAt: detail.updatedAt.toISOString(),
  };
}

export const contactRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/contacts",
    summary:
      "Lists contacts, newest first: by exact phone number (any spelling with the country code), tag and consent status; `nextCursor` pages on.",
    tags: ["contacts"],
    permission: "contacts.read",
    caller: true,
    errors: ["VALIDATION_FAILED"],
    schema: {
      params: workspaceParams,
      query: z.strictObject({
        phone: safeString(40).min(3).optional(),
        ...filterQuery,
        cursor: safeString(200).min(1).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
      }),
      response: { 200: z.object({ data: z.array(contactResponse), nextCursor: z.string().nullable() }) },
    },
    handler: async ({ services, caller, query }) => {
      const page = await listContactsFor(services, caller, query);
      return { data: page.data.map(presentContact), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/contacts",
    summary: "Creates a contact. Consent given here is recorded with its source and time, and audited.",
    tags: ["contacts"],
    permission: "contacts.write",
    caller: true,
    errors: ["CONFLICT", "VALIDATION_FAILED"],
    schema: {
      params: workspaceParams,
      body: z.strictObject({
        phone: safeString(40).min(3),
        name: nameInput.nullable().optional(),
        tags: z.array(tagInput).max(MAX_TAGS).optional(),
        customFields: customFieldsInput.optional(),
        consent: z.strictObject({ status: consentStatus, source: consentSource }).optional(),
      }),
      response: { 201: contactDetailResponse },
    },
    handler: async ({ services, caller, body, reply }) => {
      const created = await createContactFor(services, caller, body);
      reply.code(201);
      return presentDetail(created);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/contacts/export.csv",
    summary:
      "Exports contacts (optionally by tag and consent) as a CSV attachment; cells that a spreadsheet would run as formulas are neutralized. Needs a recent re-authentication; audited with the count.",
    tags: ["contacts"],
    permission: "contacts.export",
    caller: true,
    errors: ["REAUTHENTICATION_REQUIRED", "UNPROCESSABLE", "VALIDATION_FAILED"],
    rateLimit: { limit: 10, windowMs: 60_000, key: "user" },
    schema: {
      params: workspaceParams,
      query: z.strictObject(filterQuery),
      response: { 200: z.string().describe("The CSV file (text/csv, UTF-8 with a byte order mark), not JSON.") },
    },
    handler: async ({ services, caller, query, auth, reply, requestId }) => {
      requireRecentReauth(auth);
      const tag = query.tag === undefined ? undefined : filterTag(query.tag);
      const exported = await exportContactsFor(services, caller, {
        ...(tag !== undefined ? { tag } : {}),
        ...(query.consent ? { consent: query.consent } : {}),
      });
      // From here the response is ours: Fastify's hooks do not run, so its headers are set here too.
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...buildSecurityHeaders({ hsts: services.config.http.tls !== undefined || services.config.http.trustProxy !== false }),
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${exported.filename}"`,
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
        "x-request-id": requestId,
      });
      // A byte order mark, so spreadsheet programs read the names as UTF-8.
      const chunks = ["\uFEFF", ...exported.chunks];
      for (const chunk of chunks) {
        if (raw.destroyed) break;
        if (!raw.write(chunk)) await new Promise<void>((resolve) => raw.once("drain", resolve).once("close", resolve));
      }
      if (!raw.destroyed) raw.end();
      return "";
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/contacts/import",
    summary:
      "Imports contacts from CSV (phone, name, tags, consent, field:<key>; at most 5 MB and 10,000 rows) and answers a report for every row; `dryRun` validates without writing. Audited with counts.",
    tags: ["contacts"],
    permission: "contacts.import",
    caller: true,
    errors: ["UNPROCESSABLE", "VALIDATION_FAILED", "PAYLOAD_TOO_LARGE"],
    // JSON escaping (quotes, line breaks) makes the body larger than the file it carries.
    bodyLimit: 8 * 1024 * 1024,
    rateLimit: { limit: 20, windowMs: 60_000, key: "user" },
    schema: {
      params: workspaceParams,
      body: z.strictObject({ csv: safeString(MAX_IMPORT_CHARS).min(1), dryRun: z.boolean().default(false) }),
      response: { 200: importResponse },
    },
    handler: async ({ services, caller, body }) => {
      return importContactsFor(services, caller, body);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/contacts/trash",
    summary: `Lists the contacts in the trash, soonest purge first: each is erased for good at \`purgeAfter\` (${TRASH_DAYS} days after it was deleted) unless restored; \`nextCursor\` pages on.`,
    tags: ["contacts"],
    permission: "contacts.delete",
    caller: true,
    errors: ["VALIDATION_FAILED"],
    schema: {
      params: workspaceParams,
      query: z.strictObject({ cursor: safeString(200).min(1).optional(), limit: z.coerce.number().int().min(1).max(100).default(50) }),
      response: { 200: z.object({ data: z.array(trashedContactResponse), nextCursor: z.string().nullable() }) },
    },
    handler: async ({ services, caller, query }) => {
      const page = await listTrashFor(services, caller, query);
      return { data: page.data.map(presentTrashed), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/contacts/:contactId/trash",
    summary: `Deletes a contact to the trash: hidden from lists, search and the inbox, and refused as a recipient (CONTACT_IN_TRASH); restorable for ${TRASH_DAYS} days, then erased by the purge (crypto-shredded, PII-free erasure record). A message the contact sends meanwhile restores it. Audited.`,
    tags: ["contacts"],
    permission: "contacts.delete",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: contactParams, response: { 200: z.object({ id: z.uuid(), purgeAfter: z.iso.datetime() }) } },
    handler: async ({ services, caller, params }) => {
      const trashed = await trashContactFor(services, caller, params.contactId);
      return { id: params.contactId, purgeAfter: trashed.purgeAfter.toISOString() };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/contacts/:contactId/restore",
    summary: "Takes a contact out of the trash, with its conversations, messages and notes. Audited.",
    tags: ["contacts"],
    permission: "contacts.delete",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: contactParams, response: { 200: contactDetailResponse } },
    handler: async ({ services, caller, params }) => {
      return presentDetail(await restoreContactFor(services, caller, params.contactId));
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/contacts/:contactId",
    summary: "One contact: phone, names, tags, custom fields, consent and how many conversations the caller can see.",
    tags: ["contacts"],
    permission: "contacts.read",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: contactParams, response: { 200: contactDetailResponse } },
    handler: async ({ services, caller, params }) => {
      return presentDetail(await getContactFor(services, caller, params.contactId));
    },
  }),
  defineRoute({
    method: "PATCH",
    url: "/api/v1/workspaces/:workspaceId/contacts/:contactId",
    summary: "Changes a contact's name, tags (the whole set) and/or custom fields (the whole map).",
    tags: ["contacts"],
    permission: "contacts.write",
    caller: true,
    errors: ["NOT_FOUND", "VALIDATION_FAILED"],
    schema: {
      params: contactParams,
      body: z
        .strictObject({
          name: nameInput.nullable().optional(),
          tags: z.array(tagInput).max(MAX_TAGS).optional(),
          customFields: customFieldsInput.optional(),
        })
        .refine((body) => body.name !== undefined || body.tags !== undefined || body.customFields !== undefined, {
          message: "Give at least one of name, tags or customFields.",
        }),
      response: { 200: contactDetailResponse },
    },
    handler: async ({ services, caller, params, body }) => {
      return presentDetail(await updateContactFor(services, caller, params.contactId, body));
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/contacts/:contactId/consent",
    summary:
      "Records the contact's consent for a scope (`marketing` unless given; `utility`): the state, its source and the time (now), as a consent ledger entry. The contact's `consent` is its current marketing consent. Audited without personal data; emits contact.consent_changed.",
    tags: ["contacts"],
    permission: "contacts.write",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: {
      params: contactParams,
      body: z.strictObject({ status: consentStatus, source: consentSource, scope: z.enum(consentScopes).optional() }),
      response: { 200: contactDetailResponse },
    },
    handler: async ({ services, caller, params, body }) => {
      return presentDetail(await setConsentFor(services, caller, params.contactId, body));
    },
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/v1/workspaces/:workspaceId/contacts/:contactId",
    summary:
      "Erases a contact at once (right to be forgotten), also from the trash: its conversations, messages, notes and media go, its data key is destroyed so no copy (backups included) can be read, and a PII-free erasure record remains. Needs a recent re-authentication; audited.",
    tags: ["contacts"],
    permission: "contacts.erase",
    caller: true,
    errors: ["NOT_FOUND", "REAUTHENTICATION_REQUIRED"],
    schema: { params: contactParams, response: { 204: z.undefined() } },
    handler: async ({ services, caller, params, auth, reply }) => {
      requireRecentReauth(auth);
      await eraseContactFor(services, caller, params.contactId);
      reply.code(204);
      return undefined;
    },
  }),
];
