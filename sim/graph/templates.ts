import { z } from "zod";
import type { SimContext } from "../context.ts";
import { createNumericId } from "../random.ts";
import type { TemplateRecord, TemplateStatus } from "../state.ts";
import { buildTemplateStatusChange } from "../webhooks/payloads.ts";
import type { TemplateReviewOutcome } from "../webhooks/payloads.ts";
import { GraphError, missingParameter, templateErrorSubcodes, unsupportedRequest } from "./errors.ts";
import type { GraphResponse } from "./errors.ts";
import { checkApprovedTemplateEdit, checkTemplateCreation, recordApprovedTemplateEdit, recordTemplateCreation } from "./template-limits.ts";
import { uploadedFileType } from "./uploads.ts";
import { parseGraphParams } from "./validation.ts";

const categorySchema = z
  .string()
  .transform((c) => c.toUpperCase())
  .pipe(z.enum(["AUTHENTICATION", "MARKETING", "UTILITY"]));
const componentsSchema = z
  .array(
    z.looseObject({
      type: z
        .string()
        .transform((t) => t.toUpperCase())
        .pipe(z.enum(["HEADER", "BODY", "FOOTER", "BUTTONS"])),
      text: z.string().max(1024).optional(),
    }),
  )
  .min(1)
  .max(10);

const createTemplateSchema = z.looseObject({
  name: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[a-z0-9_]+$/, "lowercase letters, digits and underscores only"),
  language: z.string().min(2).max(20),
  category: categorySchema,
  parameter_format: z
    .string()
    .transform((f) => f.toUpperCase())
    .pipe(z.enum(["POSITIONAL", "NAMED"]))
    .optional(),
  components: componentsSchema,
  message_send_ttl_seconds: z.number().int().optional(),
});

// message_send_ttl_seconds (messaging-and-integrations.md §1.4), set at creation or by an edit:
// authentication 30–900 s, utility 30–43,200 s, -1 for the default 30 days on either. A marketing
// template's TTL is for the Marketing Messages API, which the simulator does not have.
const TTL_RANGES: Readonly<Record<string, { min: number; max: number }>> = {
  AUTHENTICATION: { min: 30, max: 900 },
  UTILITY: { min: 30, max: 43_200 },
};
const editTemplateSchema = z.looseObject({
  category: categorySchema.optional(),
  components: componentsSchema.optional(),
  message_send_ttl_seconds: z.number().int().optional(),
});

function checkMessageTtl(category: string, ttl: number | undefined): void {
  if (ttl === undefined) return;
  const range = TTL_RANGES[category];
  if (!range) throw new GraphError(100, "Param message_send_ttl_seconds can only be set on AUTHENTICATION and UTILITY templates.");
  if (ttl !== -1 && (ttl < range.min || ttl > range.max)) {
    throw new GraphError(
      100,
      `Param message_send_ttl_seconds must be between ${range.min} and ${range.max} for ${category} templates, or -1 for the default.`,
    );
  }
}

const EDITABLE_STATUSES: ReadonlySet<TemplateStatus> = new Set(["APPROVED", "REJECTED", "PAUSED"]);

export function findWaba(ctx: SimContext, wabaId: string, method: string): void {
  if (wabaId !== ctx.state.wabaId && !ctx.state.accounts.has(wabaId)) throw unsupportedRequest(method, wabaId);
}

// Review rules that mirror common rejection causes (reference §8); the control API can force an outcome.
export function reviewTemplate(template: TemplateRecord): TemplateReviewOutcome {
  const body = template.components.find((c) => c.type === "BODY");
  const text = typeof body?.text === "string" ? body.text : "";
  if (/\}\}\s*\{\{/.test(text)) {
    return {
      event: "REJECTED",
      reason: "INVALID_FORMAT",
      rejectionInfo: {
        reason: "Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.",
        recommendation: "Separate parameters with descriptive text and ensure each parameter is clearly contextualized.",
      },
    };
  }
  if (template.parameterFormat === "POSITIONAL") {
    const numbers = [...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
    const distinct = [...new Set(numbers)].sort((a, b) => a - b);
    if (distinct.some((n, i) => n !== i + 1)) {
      return {
        event: "REJECTED",
        reason: "INVALID_FORMAT",
        rejectionInfo: {
          reason: "Your template has variable parameters that are not sequential.",
          recommendation: "Number parameters {{1}}, {{2}}, … without gaps.",
        },
      };
    }
  }
  if (/^\s*\{\{|\}\}\s*$/.test(text)) {
    return {
      event: "REJECTED",
      reason: "INVALID_FORMAT",
      rejectionInfo: {
        reason: "Your template starts or ends with a variable parameter.",
        recommendation: "Add text before the first and after the last parameter.",
      },
    };
  }
  return { event: "APPROVED", reason: "NONE" };
}

function completeReview(ctx: SimContext, template: TemplateRecord): void {
  if (ctx.state.templates.get(template.id) !== template || template.status !== "PENDING") return;
  const outcome = ctx.templateOutcomes.get(template.name) ?? reviewTemplate(template);
  template.status = outcome.event;
  template.rejectedReason = outcome.event === "REJECTED" ? outcome.reason : undefined;
  if (outcome.event === "APPROVED" && outcome.category) template.category = outcome.category;
  ctx.dispatcher.enqueue(buildTemplateStatusChange(template, outcome));
}

export function handleCreateTemplate(ctx: SimContext, wabaId: string, body: unknown): GraphResponse {
  findWaba(ctx, wabaId, "POST");
  const request = parseGraphParams(createTemplateSchema, body);
  requireBodyComponent(request.components);
  checkComponents(ctx, request.category, request.components);
  checkMessageTtl(request.category, request.message_send_ttl_seconds);
  const exists = [...ctx.state.templates.values()].some(
    (t) => t.wabaId === wabaId && t.name === request.name && t.language === request.language,
  );
  if (exists)
    throw new GraphError(100, `Content in this language already exists for template ${request.name}.`, templateErrorSubcodes.contentExists);
  checkTemplateCreation(ctx);
  const template: TemplateRecord = {
    id: createNumericId(),
    wabaId,
    name: request.name,
    language: request.language,
    category: request.category,
    parameterFormat: request.parameter_format ?? "POSITIONAL",
    components: request.components,
    status: "PENDING",
    rejectedReason: undefined,
    createdAt: ctx.clock.now(),
    ...(request.message_send_ttl_seconds === undefined ? {} : { messageSendTtlSeconds: request.message_send_ttl_seconds }),
  };
  ctx.state.templates.set(template.id, template);
  recordTemplateCreation(ctx);
  ctx.scheduler.schedule(ctx.options.templateReviewDelayMs, () => completeReview(ctx, template));
  return { status: 200, body: { id: template.id, status: template.status, category: template.category } };
}

const HEADER_MEDIA_TYPES: Record<string, readonly string[]> = {
  IMAGE: ["image/jpeg", "image/jpg", "image/png"],
  VIDEO: ["video/mp4"],
  DOCUMENT: ["application/pdf"],
};
const BUTTON_CAPS: Record<string, number> = { QUICK_REPLY: 10, URL: 2, PHONE_NUMBER: 1, COPY_CODE: 1, OTP: 1 };

const text = (value: unknown): string => (typeof value === "string" ? value : "");

// Meta's component limits (reference/messaging-and-integrations.md §1.2), refused as invalid
// parameters (code 100): header ≤ 60 characters with at most one parameter, a media header's
// example a Resumable Upload handle of the matching type, a location header outside
// authentication, footer ≤ 60, at most 10 buttons with the per-type caps, labels ≤ 25, quick
// replies contiguous, OTP buttons only (and required) in authentication templates.
function checkComponents(ctx: SimContext, category: string, components: readonly Record<string, unknown>[]): void {
  const header = components.find((c) => c.type === "HEADER");
  if (header) {
    const format = text(header.format).toUpperCase() || "TEXT";
    if (category === "AUTHENTICATION") throw new GraphError(100, "Authentication templates can't have a header.");
    if (format === "TEXT") {
      if (text(header.text).length > 60) throw new GraphError(100, "The header text is limited to 60 characters.");
      if ([...text(header.text).matchAll(/\{\{[^}]+\}\}/g)].length > 1)
        throw new GraphError(100, "The header text can have at most one parameter.");
    } else if (format in HEADER_MEDIA_TYPES) {
      const example = header.example as { header_handle?: unknown } | undefined;
      const handle = Array.isArray(example?.header_handle) ? text(example.header_handle[0]) : "";
      const fileType = uploadedFileType(ctx, handle);
      if (!fileType) throw new GraphError(100, "The header example must be a handle from the Resumable Upload API.");
      if (!HEADER_MEDIA_TYPES[format]!.includes(fileType))
        throw new GraphError(100, `The header example for a ${format} header can't be of type ${fileType}.`);
    } else if (format !== "LOCATION") {
      throw new GraphError(100, `Param components[0][format] must be one of {TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION} - got "${format}".`);
    }
  }
  const footer = components.find((c) => c.type === "FOOTER");
  if (footer && text(footer.text).length > 60) throw new GraphError(100, "The footer text is limited to 60 characters.");
  const group = components.find((c) => c.type === "BUTTONS");
  const buttons = Array.isArray(group?.buttons) ? (group.buttons as Array<Record<string, unknown>>) : [];
  if (buttons.length > 10) throw new GraphError(100, "A template can have at most 10 buttons.");
  const types = buttons.map((button) => text(button.type).toUpperCase());
  for (const [type, cap] of Object.entries(BUTTON_CAPS)) {
    if (types.filter((t) => t === type).length > cap) throw new GraphError(100, `A template can have at most ${cap} ${type} button(s).`);
  }
  const quick = types.flatMap((type, index) => (type === "QUICK_REPLY" ? [index] : []));
  if (quick.length > 1 && quick[quick.length - 1]! - quick[0]! !== quick.length - 1)
    throw new GraphError(100, "Quick reply buttons must be grouped together.");
  for (const button of buttons) if (text(button.text).length > 25) throw new GraphError(100, "Button text is limited to 25 characters.");
  const hasOtp = types.includes("OTP");
  if (hasOtp && category !== "AUTHENTICATION") throw new GraphError(100, "OTP buttons are only allowed in authentication templates.");
  if (category === "AUTHENTICATION" && !hasOtp) throw new GraphError(100, "Authentication templates need an OTP button.");
}

function requireBodyComponent(components: readonly { type: string }[]): void {
  if (!components.some((c) => c.type === "BODY")) throw new GraphError(100, "The parameter components must contain a BODY component.");
}

// POST /{template-id} (reference §8). The reference gives the rules and the success body but no
// error codes for the refusals; each is answered as an invalid request (code 100, HTTP 400) whose
// details name the rule.
//
// An edit of the category or components goes back through review, PENDING until the review
// announces APPROVED or REJECTED with a message_template_status_update webhook, as creation does.
// The reference does not say this in so many words; it is the only reading under which editing a
// REJECTED template (which it allows) can lead anywhere, and PENDING templates are not sendable.
// A TTL-only edit changes no reviewed content, so the status stays.
export function handleEditTemplate(ctx: SimContext, template: TemplateRecord, body: unknown): GraphResponse {
  if (!EDITABLE_STATUSES.has(template.status)) {
    throw new GraphError(100, `Only APPROVED, REJECTED or PAUSED message templates can be edited; this one is ${template.status}.`);
  }
  const request = parseGraphParams(editTemplateSchema, body);
  if (request.category === undefined && request.components === undefined && request.message_send_ttl_seconds === undefined) {
    throw new GraphError(100, "The parameter category, components or message_send_ttl_seconds is required.");
  }
  if (request.components) requireBodyComponent(request.components);
  if (request.components) checkComponents(ctx, request.category ?? template.category, request.components);
  const isApproved = template.status === "APPROVED";
  const category = request.category ?? template.category;
  if (isApproved && category !== template.category)
    throw new GraphError(100, "The category of an approved message template can't be changed.");
  checkMessageTtl(category, request.message_send_ttl_seconds);
  if (isApproved) checkApprovedTemplateEdit(ctx, template);

  const needsReview = request.components !== undefined || category !== template.category;
  template.category = category;
  if (request.components) template.components = request.components;
  if (request.message_send_ttl_seconds !== undefined) template.messageSendTtlSeconds = request.message_send_ttl_seconds;
  if (isApproved) recordApprovedTemplateEdit(ctx, template);
  if (needsReview) {
    template.status = "PENDING";
    template.rejectedReason = undefined;
    ctx.scheduler.schedule(ctx.options.templateReviewDelayMs, () => completeReview(ctx, template));
  }
  return { status: 200, body: { success: true } };
}

export function presentTemplate(template: TemplateRecord, fields: string[] | undefined): Record<string, unknown> {
  const full: Record<string, unknown> = {
    name: template.name,
    parameter_format: template.parameterFormat,
    components: template.components,
    language: template.language,
    status: template.status,
    category: template.category,
    ...(template.messageSendTtlSeconds === undefined ? {} : { message_send_ttl_seconds: template.messageSendTtlSeconds }),
    ...(template.rejectedReason ? { rejected_reason: template.rejectedReason } : {}),
    id: template.id,
  };
  if (!fields) return full;
  return Object.fromEntries(Object.entries(full).filter(([key]) => key === "id" || fields.includes(key)));
}

function parseFields(fields: string | undefined): string[] | undefined {
  return fields
    ? fields
        .split(",")
        .map((f) => f.trim())
        .filter(Boolean)
    : undefined;
}

export function handleListTemplates(ctx: SimContext, wabaId: string, query: Record<string, string | undefined>): GraphResponse {
  findWaba(ctx, wabaId, "GET");
  const limit = Math.min(Math.max(Number(query.limit ?? 25) || 25, 1), 1000);
  const all = [...ctx.state.templates.values()].filter(
    (t) =>
      t.wabaId === wabaId &&
      (!query.status || t.status === query.status.toUpperCase()) &&
      (!query.name || t.name.includes(query.name)) &&
      (!query.language || t.language === query.language),
  );
  const start = query.after ? Number(Buffer.from(query.after, "base64url").toString()) : 0;
  const page = all.slice(start, start + limit);
  const fields = parseFields(query.fields);
  const cursor = (n: number): string => Buffer.from(String(n)).toString("base64url");
  const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + page.length) } };
  if (start + page.length < all.length) {
    const next = new URLSearchParams({
      limit: String(limit),
      after: cursor(start + page.length),
      ...(query.fields ? { fields: query.fields } : {}),
    });
    paging.next = `${ctx.publicUrl()}/v25.0/${wabaId}/message_templates?${next.toString()}`;
  }
  return { status: 200, body: { data: page.map((t) => presentTemplate(t, fields)), paging } };
}

export function handleGetTemplate(template: TemplateRecord, query: Record<string, string | undefined>): GraphResponse {
  return { status: 200, body: presentTemplate(template, parseFields(query.fields)) };
}

export function handleDeleteTemplates(ctx: SimContext, wabaId: string, query: Record<string, string | undefined>): GraphResponse {
  findWaba(ctx, wabaId, "DELETE");
  if (!query.name) throw missingParameter("name");
  const matches = [...ctx.state.templates.values()].filter(
    (t) => t.wabaId === wabaId && t.name === query.name && (!query.hsm_id || t.id === query.hsm_id),
  );
  if (matches.length === 0) throw new GraphError(100, `Message template "${query.name}" not found.`);
  if (matches.some((t) => t.status === "DISABLED")) throw new GraphError(100, "Disabled templates cannot be deleted.");
  for (const template of matches) ctx.state.templates.delete(template.id);
  return { status: 200, body: { success: true } };
}

// Quality, pausing and category changes (reference/messaging-and-integrations.md §1.5–§1.7),
// driven by the control API: each sends the webhooks Meta sends.

const HOUR_MS = 60 * 60 * 1000;
export const PAUSE_DURATIONS_MS = [3 * HOUR_MS, 6 * HOUR_MS] as const;

function templateIdentity(template: TemplateRecord): Record<string, unknown> {
  return {
    message_template_id: Number(template.id),
    message_template_name: template.name,
    message_template_language: template.language,
  };
}

function sendStatus(ctx: SimContext, template: TemplateRecord, event: string, extra: Record<string, unknown>): void {
  ctx.dispatcher.enqueue({
    field: "message_template_status_update",
    value: { event, ...templateIdentity(template), reason: "NONE", message_template_category: template.category, ...extra },
  });
}

/**
 * A new quality score: `message_template_quality_update`, and at RED an APPROVED template is paused
 * (3 h the first time, 6 h the second, resuming on its own with UNPAUSE) and disabled the third time.
 */
export function setTemplateQuality(ctx: SimContext, template: TemplateRecord, score: "GREEN" | "YELLOW" | "RED" | "UNKNOWN"): void {
  const previous = template.qualityScore ?? "UNKNOWN";
  template.qualityScore = score;
  ctx.dispatcher.enqueue({
    field: "message_template_quality_update",
    value: { previous_quality_score: previous, new_quality_score: score, ...templateIdentity(template) },
  });
  if (score !== "RED" || template.status !== "APPROVED") return;
  const count = (template.pauseCount ?? 0) + 1;
  template.pauseCount = count;
  if (count > PAUSE_DURATIONS_MS.length) {
    template.status = "DISABLED";
    sendStatus(ctx, template, "DISABLED", {
      disable_info: { disable_date: Math.floor(ctx.clock.now() / 1000) },
      other_info: { title: "DISABLED", description: "Your template was disabled after being paused repeatedly for low quality." },
    });
    return;
  }
  template.status = "PAUSED";
  const title = count === 1 ? "FIRST_PAUSE" : "SECOND_PAUSE";
  const hours = PAUSE_DURATIONS_MS[count - 1]! / HOUR_MS;
  sendStatus(ctx, template, "PAUSED", {
    other_info: { title, description: `Your template has been paused for ${hours} hours due to low quality.` },
  });
  ctx.scheduler.schedule(PAUSE_DURATIONS_MS[count - 1]!, () => {
    if (ctx.state.templates.get(template.id) !== template || template.status !== "PAUSED") return;
    template.status = "APPROVED";
    sendStatus(ctx, template, "APPROVED", { other_info: { title: "UNPAUSE", description: "Your template is active again." } });
  });
}

/**
 * A category change by Meta's re-check (`template_category_update`): with `effectiveAt` the advance
 * notice (the template keeps its category until then), without it the completed change.
 */
export function changeTemplateCategory(
  ctx: SimContext,
  template: TemplateRecord,
  category: "AUTHENTICATION" | "MARKETING" | "UTILITY",
  effectiveAt?: number,
): void {
  if (effectiveAt !== undefined) {
    ctx.dispatcher.enqueue({
      field: "template_category_update",
      value: {
        ...templateIdentity(template),
        new_category: template.category,
        correct_category: category,
        category_update_timestamp: Math.floor(effectiveAt / 1000),
      },
    });
    return;
  }
  const previous = template.category;
  template.category = category;
  ctx.dispatcher.enqueue({
    field: "template_category_update",
    value: { ...templateIdentity(template), previous_category: previous, new_category: category },
  });
}
