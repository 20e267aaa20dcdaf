import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { AppError } from "../../errors.ts";
import { listTemplatesFor, syncTemplatesFor, type TemplateView } from "./catalogue.ts";
import { safeString } from "../../http/safe-string.ts";
import { componentsSchemaWith } from "../../whatsapp/templates/components.ts";
import {
  addTemplateLanguage,
  deleteTemplate,
  duplicateTemplate,
  editTemplate,
  EXAMPLE_MEDIA_TYPES,
  MAX_EXAMPLE_BYTES,
  submitTemplate,
  uploadTemplateExample,
} from "./authoring.ts";

// Templates under /api/v1/workspaces/:workspaceId/templates: whoever may send lists them (the
// composer offers the approved ones when the 24-hour window is closed); Owners and Admins
// (templates.manage) read them again from WhatsApp, and create, edit, duplicate and delete them
// (./authoring.ts). The content's bounds here are loose on purpose: Meta's limits are checked by
// the shared rules, which answer each problem in words with its field.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const templateParams = z.strictObject({ workspaceId: z.uuid(), templateId: z.uuid() });
const category = z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"]);
const languageCode = safeString(20).regex(/^[A-Za-z_]{2,20}$/, "a language code like en or en_US");
const templateName = safeString(512).min(1);
const componentsInput = componentsSchemaWith(safeString);
const authoringErrors = ["NOT_FOUND", "UNPROCESSABLE", "CONFLICT", "RATE_LIMITED"] as const;

/** Meta's message_send_ttl_seconds; the range of each category is checked with the content (rules.ts). */
const messageTtl = z
  .number()
  .int()
  .min(-1)
  .max(2_592_000)
  .describe(
    "Delivery time-to-live in seconds (Meta's message_send_ttl_seconds): authentication 30–900, utility 30–43,200, -1 for 30 days; not for marketing templates (Marketing Messages API only).",
  );
const headerFormat = z.enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"]);

const templateResponse = z.object({
  id: z.uuid(),
  wabaId: z.string(),
  numberId: z.uuid().nullable(),
  metaTemplateId: z.string().nullable(),
  name: z.string(),
  language: z.string(),
  category: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  parameterFormat: z.enum(["POSITIONAL", "NAMED"]),
  messageSendTtlSeconds: z
    .number()
    .int()
    .nullable()
    .describe(
      "Delivery time-to-live in seconds (Meta's message_send_ttl_seconds): an undelivered message is dropped after it. Null or -1 is the category's default (30 days; 10 minutes for authentication).",
    ),
  components: z
    .object({
      header: z
        .object({
          format: headerFormat,
          text: z.string().nullable(),
          examples: z.array(z.string()).optional(),
          handle: z.string().nullable().optional(),
        })
        .nullable(),
      body: z
        .object({ text: z.string(), examples: z.array(z.string()).optional(), addSecurityRecommendation: z.boolean().optional() })
        .nullable(),
      footer: z.object({ text: z.string(), codeExpirationMinutes: z.number().int().nullable().optional() }).nullable(),
      buttons: z.array(
        z.object({
          type: z.string(),
          text: z.string(),
          url: z.string().nullable(),
          example: z.string().nullable().optional(),
          phoneNumber: z.string().nullable().optional(),
          otpType: z.enum(["COPY_CODE", "ONE_TAP"]).nullable().optional(),
          packageName: z.string().nullable().optional(),
          signatureHash: z.string().nullable().optional(),
        }),
      ),
    })
    .nullable()
    .describe("The content with its examples; null until a sync has read the template's components."),
  parameters: z
    .object({
      header: z
        .union([
          z.object({ kind: z.literal("text"), names: z.array(z.string()) }),
          z.object({ kind: z.literal("media"), format: z.enum(["IMAGE", "VIDEO", "DOCUMENT"]) }),
        ])
        .nullable(),
      body: z.array(z.string()),
    })
    .nullable()
    .describe("The parameters a send must give: names ('1', '2', … or named), in order."),
  statusAt: z.iso.datetime(),
  qualityScore: z.string().nullable().describe("GREEN, YELLOW, RED or UNKNOWN (message_template_quality_update); null before any."),
  rejectionInfo: z.object({ reason: z.string(), recommendation: z.string() }).nullable(),
  statusInfo: z
    .object({ title: z.string(), description: z.string() })
    .nullable()
    .describe("The pause (FIRST_PAUSE, SECOND_PAUSE…), unpause or disable notice of the latest status."),
  categoryChange: z
    .object({
      previousCategory: z.string().nullable(),
      newCategory: z.string().nullable(),
      correctCategory: z.string().nullable(),
      effectiveAt: z.iso.datetime().nullable(),
    })
    .nullable()
    .describe("A category change by Meta: announced (correctCategory, effectiveAt) or made (previousCategory → newCategory)."),
  approvedEdits: z.object({ last24Hours: z.number().int(), last30Days: z.number().int() }),
});

function present(view: TemplateView): z.input<typeof templateResponse> {
  return {
    ...view,
    statusAt: view.statusAt.toISOString(),
    categoryChange: view.categoryChange
      ? { ...view.categoryChange, effectiveAt: view.categoryChange.effectiveAt?.toISOString() ?? null }
      : null,
  };
}

export const templateRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/templates",
    summary:
      "Message templates by name and language: a number's (its WABA's) when `numberId` is given, APPROVED unless `status` says otherwise (ALL for every status).",
    tags: ["templates"],
    permission: "messages.send",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: {
      params: workspaceParams,
      query: z.strictObject({
        numberId: z.uuid().optional(),
        status: safeString(64)
          .regex(/^[A-Za-z_]{1,64}$/)
          .transform((value) => value.toUpperCase())
          .default("APPROVED"),
        name: safeString(512).min(1).optional(),
        category: category.optional(),
        language: languageCode.optional(),
      }),
      response: { 200: z.object({ data: z.array(templateResponse) }) },
    },
    handler: async ({ services, caller, query }) => {
      return { data: (await listTemplatesFor(services, caller, query)).map(present) };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/templates/sync",
    summary: "Reads the number's WABA templates (status and components) from WhatsApp and stores them. Audited.",
    tags: ["templates"],
    permission: "templates.manage",
    caller: true,
    rateLimit: { limit: 10, windowMs: 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE", "RATE_LIMITED"],
    schema: {
      params: workspaceParams,
      body: z.strictObject({ numberId: z.uuid() }),
      response: { 200: z.object({ listed: z.number().int(), changed: z.number().int() }) },
    },
    handler: async ({ services, caller, body }) => {
      return syncTemplatesFor(services, caller, body.numberId);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/templates",
    summary:
      "Submits a new template (or a new language of an existing name) to WhatsApp for review through the number's WABA. Meta's limits are checked first; each problem names its field. Audited (ids and names only).",
    tags: ["templates"],
    permission: "templates.manage",
    feature: "templates",
    caller: true,
    rateLimit: { limit: 30, windowMs: 60_000, key: "workspace" },
    errors: [...authoringErrors],
    schema: {
      params: workspaceParams,
      body: z.strictObject({
        numberId: z.uuid(),
        name: templateName,
        language: languageCode,
        category,
        parameterFormat: z.enum(["POSITIONAL", "NAMED"]).default("POSITIONAL"),
        components: componentsInput,
        messageSendTtlSeconds: messageTtl.optional(),
      }),
      response: { 201: templateResponse },
    },
    handler: async ({ services, caller, body, reply }) => {
      const view = await submitTemplate(services, caller, body);
      reply.code(201);
      return present(view);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/templates/:templateId/languages",
    summary:
      "Adds a language to a template: the same name, category and parameter format with its own content, submitted for review. Audited.",
    tags: ["templates"],
    permission: "templates.manage",
    feature: "templates",
    caller: true,
    rateLimit: { limit: 30, windowMs: 60_000, key: "workspace" },
    errors: [...authoringErrors],
    schema: {
      params: templateParams,
      body: z.strictObject({ language: languageCode, components: componentsInput }),
      response: { 201: templateResponse },
    },
    handler: async ({ services, caller, params, body, reply }) => {
      const view = await addTemplateLanguage(services, caller, params.templateId, body);
      reply.code(201);
      return present(view);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/templates/:templateId/duplicate",
    summary: "Copies a template's content under a new name (and optionally another language) and submits the copy for review. Audited.",
    tags: ["templates"],
    permission: "templates.manage",
    feature: "templates",
    caller: true,
    rateLimit: { limit: 30, windowMs: 60_000, key: "workspace" },
    errors: [...authoringErrors],
    schema: {
      params: templateParams,
      body: z.strictObject({ name: templateName, language: languageCode.optional() }),
      response: { 201: templateResponse },
    },
    handler: async ({ services, caller, params, body, reply }) => {
      const view = await duplicateTemplate(services, caller, params.templateId, body);
      reply.code(201);
      return present(view);
    },
  }),
  defineRoute({
    method: "PATCH",
    url: "/api/v1/workspaces/:workspaceId/templates/:templateId",
    summary:
      "Edits a template within Meta's rules: only approved, rejected or paused ones; an approved template keeps its category and may be edited once in 24 hours and 10 times in 30 days. A new content or category goes back to review; a new message TTL alone does not. Audited.",
    tags: ["templates"],
    permission: "templates.manage",
    feature: "templates",
    caller: true,
    rateLimit: { limit: 30, windowMs: 60_000, key: "workspace" },
    errors: [...authoringErrors],
    schema: {
      params: templateParams,
      body: z.strictObject({
        category: category.optional(),
        components: componentsInput.optional(),
        messageSendTtlSeconds: messageTtl.optional(),
      }),
      response: { 200: templateResponse },
    },
    handler: async ({ services, caller, params, body }) => {
      if (body.category === undefined && body.components === undefined && body.messageSendTtlSeconds === undefined)
        throw new AppError("UNPROCESSABLE", "Give the new components, category or message TTL.");
      return present(await editTemplate(services, caller, params.templateId, body));
    },
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/v1/workspaces/:workspaceId/templates/:templateId",
    summary:
      "Deletes a template at WhatsApp and here: `scope=language` this language only (by its id), `scope=all` every language of its name. Disabled templates cannot be deleted. Audited.",
    tags: ["templates"],
    permission: "templates.manage",
    feature: "templates",
    caller: true,
    rateLimit: { limit: 30, windowMs: 60_000, key: "workspace" },
    errors: [...authoringErrors],
    schema: {
      params: templateParams,
      query: z.strictObject({ scope: z.enum(["language", "all"]).default("language") }),
      response: { 200: z.object({ deleted: z.number().int() }) },
    },
    handler: async ({ services, caller, params, query }) => {
      return deleteTemplate(services, caller, params.templateId, query.scope);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/templates/examples",
    summary:
      "Uploads a media header's example (the raw bytes as the body, with the file's Content-Type: JPEG, PNG, MP4 or PDF) through WhatsApp's Resumable Upload API; answers the handle to put in `header.handle`.",
    tags: ["templates"],
    permission: "templates.manage",
    feature: "templates",
    caller: true,
    bodyLimit: MAX_EXAMPLE_BYTES,
    binaryBody: [...EXAMPLE_MEDIA_TYPES],
    rateLimit: { limit: 30, windowMs: 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE", "RATE_LIMITED", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
    schema: {
      params: workspaceParams,
      query: z.strictObject({ numberId: z.uuid() }),
      response: { 201: z.object({ handle: z.string() }) },
    },
    handler: async ({ services, caller, query, rawBody, request, reply }) => {
      const contentType = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (!(EXAMPLE_MEDIA_TYPES as readonly string[]).includes(contentType))
        throw new AppError(
          "UNSUPPORTED_MEDIA_TYPE",
          "Send the example's bytes with its own Content-Type: image/jpeg, image/png, video/mp4 or application/pdf.",
        );
      const result = await uploadTemplateExample(services, caller, {
        numberId: query.numberId,
        mimeType: contentType,
        bytes: rawBody ?? Buffer.alloc(0),
      });
      reply.code(201);
      return result;
    },
  }),
];
