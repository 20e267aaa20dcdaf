import { z } from "zod";
import type { SimContext } from "../context.ts";
import { createNumericId } from "../random.ts";
import type { TemplateRecord, TemplateStatus } from "../state.ts";
import { buildTemplateStatusChange } from "../webhooks/payloads.ts";
import type { TemplateReviewOutcome } from "../webhooks/payloads.ts";
import { GraphError, missingParameter, templateErrorSubcodes, unsupportedRequest } from "./errors.ts";
import type { GraphResponse } from "./errors.ts";
import { checkApprovedTemplateEdit, checkTemplateCreation, recordApprovedTemplateEdit, recordTemplateCreation } from "./template-limits.ts";
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
});

// Reference §8 names the editable parts: category, the full components (replacing all) "or TTL".
// It does not name the TTL field; message_send_ttl_seconds is Meta's name for it. Its bounds are
// not given either: at most the 30 days every message lives (§5).
const MAX_TTL_SECONDS = 30 * 24 * 60 * 60;
const editTemplateSchema = z.looseObject({
  category: categorySchema.optional(),
  components: componentsSchema.optional(),
  message_send_ttl_seconds: z.number().int().min(1).max(MAX_TTL_SECONDS).optional(),
});

const EDITABLE_STATUSES: ReadonlySet<TemplateStatus> = new Set(["APPROVED", "REJECTED", "PAUSED"]);
// §5: the delivery TTL is customisable for authentication and utility templates (and for marketing
// templates sent through the MM API, which the simulator does not have).
const TTL_CATEGORIES: ReadonlySet<string> = new Set(["AUTHENTICATION", "UTILITY"]);

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
  ctx.dispatcher.enqueue(buildTemplateStatusChange(template, outcome));
}

export function handleCreateTemplate(ctx: SimContext, wabaId: string, body: unknown): GraphResponse {
  findWaba(ctx, wabaId, "POST");
  const request = parseGraphParams(createTemplateSchema, body);
  requireBodyComponent(request.components);
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
  };
  ctx.state.templates.set(template.id, template);
  recordTemplateCreation(ctx);
  ctx.scheduler.schedule(ctx.options.templateReviewDelayMs, () => completeReview(ctx, template));
  return { status: 200, body: { id: template.id, status: template.status, category: template.category } };
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
  const isApproved = template.status === "APPROVED";
  const category = request.category ?? template.category;
  if (isApproved && category !== template.category)
    throw new GraphError(100, "The category of an approved message template can't be changed.");
  if (request.message_send_ttl_seconds !== undefined && !TTL_CATEGORIES.has(category)) {
    throw new GraphError(100, "Param message_send_ttl_seconds can only be set on AUTHENTICATION and UTILITY templates.");
  }
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
