import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import type { Services } from "../../services.ts";
import { API_RATE_LIMIT_CODES, GraphError } from "../../whatsapp/graph-client.ts";
import { toMetaComponents, type StoredTemplateComponents } from "../../whatsapp/templates/components.ts";
import {
  authenticationBodyText,
  placeholdersOf,
  validateTemplateDraft,
  type ParameterFormat,
  type TemplateCategory,
  type TemplateDraft,
} from "../../whatsapp/templates/rules.ts";
import { loadNumberCredentials } from "../numbers/repository.ts";
import { graphClientFor } from "../numbers/service.ts";
import { countApprovedEdits, present, type TemplateView } from "./catalogue.ts";
import {
  deleteTemplateRows,
  findNumberOfWaba,
  findTemplateById,
  listTemplateLanguages,
  saveSubmittedTemplate,
  saveTemplateEdit,
  type TemplateRow,
} from "./repository.ts";

// Template authoring through Graph (reference/messaging-and-integrations.md §1, cloud-api.md §8):
// create, add a language, duplicate, edit and delete. Meta's limits are checked first with the
// rules the dashboard also runs (src/whatsapp/templates/rules.ts), so a refusal names the field in
// words before anything leaves; what only Meta knows (quota, duplicates, review) comes back from
// Graph as a clear 4xx. Each change is audited with ids and names, never the content.

const EDITABLE = new Set(["APPROVED", "REJECTED", "PAUSED"]);
export const APPROVED_EDITS_PER_DAY = 1;
export const APPROVED_EDITS_PER_30_DAYS = 10;

export type TemplateSubmission = TemplateDraft & { numberId: string };

/** The content as submitted and stored: Meta's fixed authentication texts, examples cut to the parameters. */
function normalizeContent(
  category: TemplateCategory,
  format: ParameterFormat,
  content: StoredTemplateComponents,
): StoredTemplateComponents {
  if (category === "AUTHENTICATION") {
    const secure = content.body?.addSecurityRecommendation ?? false;
    const minutes = content.footer?.codeExpirationMinutes ?? null;
    return {
      header: null,
      body: { text: authenticationBodyText(secure), addSecurityRecommendation: secure },
      footer: minutes ? { text: `This code expires in ${minutes} minutes.`, codeExpirationMinutes: minutes } : null,
      buttons: content.buttons.map((button) => ({ ...button, type: "OTP", url: null })),
    };
  }
  const trimExamples = (text: string, examples: string[] | undefined) => examples?.slice(0, placeholdersOf(text, format).length);
  return {
    header: content.header
      ? content.header.format === "TEXT"
        ? { format: "TEXT", text: content.header.text ?? "", examples: trimExamples(content.header.text ?? "", content.header.examples) }
        : {
            format: content.header.format,
            text: null,
            ...(content.header.format === "LOCATION" ? {} : { handle: content.header.handle ?? null }),
          }
      : null,
    body: content.body ? { text: content.body.text, examples: trimExamples(content.body.text, content.body.examples) } : null,
    footer: content.footer?.text ? { text: content.footer.text } : null,
    buttons: content.buttons,
  };
}

function assertValid(draft: TemplateDraft): void {
  const problems = validateTemplateDraft(draft);
  if (problems.length > 0) {
    throw new AppError("UNPROCESSABLE", problems.map((problem) => problem.message).join(". "), {
      details: { reason: "template_invalid", problems },
    });
  }
}

/** Graph's refusal as a catalogue error: its budget is a 429, a duplicate a 409, the rest a 422 with Meta's words. */
function refusal(error: unknown, action: string): unknown {
  if (!(error instanceof GraphError)) return error;
  if (API_RATE_LIMIT_CODES.has(error.code)) {
    return new AppError("RATE_LIMITED", `WhatsApp's limit for template changes was reached; try again later (within the hour).`, {
      details: { reason: "graph_rate_limited", code: error.code },
      headers: { "retry-after": "3600" },
    });
  }
  // Meta's own sentence about the template (never the content sent): what to fix.
  const said = (error.details ?? error.message.replace(/^\(#\d+\)\s*/, "")).slice(0, 500);
  if (/already exists/i.test(said)) {
    return new AppError("CONFLICT", `WhatsApp did not ${action} the template: ${said}`, {
      details: { reason: "graph_conflict", code: error.code },
    });
  }
  return new AppError("UNPROCESSABLE", `WhatsApp did not ${action} the template: ${said || `error ${error.code}`}`, {
    details: { reason: "graph_error", code: error.code },
  });
}

async function credentialsFor(services: Services, workspaceId: string, numberId: string) {
  const credentials = await withWorkspace(services.db, { workspaceId }, (trx) =>
    loadNumberCredentials(trx, services.keyring, workspaceId, numberId),
  );
  if (!credentials) throw new AppError("NOT_FOUND", "The number does not exist.");
  return credentials;
}

async function loadTemplate(services: Services, caller: Caller, templateId: string): Promise<TemplateRow> {
  const row = await asCaller(services, caller, (trx) => findTemplateById(trx, services.keyring, caller.workspaceId, templateId));
  if (!row) throw new AppError("NOT_FOUND", "The template does not exist.");
  return row;
}

/** The number whose credentials act on the template's WABA: the one it came through, else any of that WABA. */
async function numberFor(services: Services, caller: Caller, row: TemplateRow): Promise<string> {
  if (row.number_id) return row.number_id;
  const numberId = await asCaller(services, caller, (trx) => findNumberOfWaba(trx, caller.workspaceId, row.waba_id));
  if (!numberId) throw new AppError("UNPROCESSABLE", "No number of this workspace belongs to the template's WhatsApp Business Account.");
  return numberId;
}

async function viewOf(services: Services, caller: Caller, templateId: string): Promise<TemplateView> {
  return present(await loadTemplate(services, caller, templateId));
}

/** Submits a new template (or a new language of a name) to Meta for review and stores it. Audited. */
export async function submitTemplate(
  services: Services,
  caller: Caller,
  submission: TemplateSubmission,
  audit: { duplicatedFrom?: string } = {},
): Promise<TemplateView> {
  assertValid(submission);
  const credentials = await credentialsFor(services, caller.workspaceId, submission.numberId);
  const components = normalizeContent(submission.category, submission.parameterFormat, submission.components);
  let answer: unknown;
  try {
    answer = await graphClientFor(services).request({
      method: "POST",
      path: `/${credentials.wabaId}/message_templates`,
      token: credentials.accessToken,
      body: {
        name: submission.name,
        language: submission.language,
        category: submission.category,
        parameter_format: submission.parameterFormat,
        components: toMetaComponents(components, submission.category, submission.parameterFormat),
        ...(submission.messageSendTtlSeconds !== undefined ? { message_send_ttl_seconds: submission.messageSendTtlSeconds } : {}),
      },
    });
  } catch (error) {
    throw refusal(error, "accept");
  }
  const created = answer as { id?: unknown; status?: unknown; category?: unknown };
  if (typeof created.id !== "string" || !/^\d{1,32}$/.test(created.id))
    throw new Error("template creation answered in an unexpected shape");
  const status = typeof created.status === "string" && /^[A-Z_]{1,64}$/.test(created.status) ? created.status : "PENDING";
  // Meta may approve in another category than asked (§1.5): what it says is what the template is.
  const category = typeof created.category === "string" && /^[A-Z_]{1,64}$/.test(created.category) ? created.category : submission.category;
  const id = await asCaller(services, caller, async (trx) => {
    const templateId = await saveSubmittedTemplate(trx, services.keyring, caller.workspaceId, {
      wabaId: credentials.wabaId,
      numberId: submission.numberId,
      name: submission.name,
      language: submission.language,
      category,
      status,
      metaTemplateId: created.id as string,
      parameterFormat: submission.parameterFormat,
      components,
      messageSendTtlSeconds: submission.messageSendTtlSeconds ?? null,
      at: new Date(),
    });
    await recordCallerAudit(trx, caller, {
      action: "templates.created",
      target: { type: "template", id: templateId },
      metadata: {
        name: submission.name,
        language: submission.language,
        category,
        metaTemplateId: created.id as string,
        ...(audit.duplicatedFrom ? { duplicatedFrom: audit.duplicatedFrom } : {}),
      },
    });
    return templateId;
  });
  return viewOf(services, caller, id);
}

/** A new language of an existing template: same name, category and parameter format, its own content. */
export async function addTemplateLanguage(
  services: Services,
  caller: Caller,
  templateId: string,
  input: { language: string; components: StoredTemplateComponents },
): Promise<TemplateView> {
  const row = await loadTemplate(services, caller, templateId);
  return submitTemplate(services, caller, {
    numberId: await numberFor(services, caller, row),
    name: row.name,
    language: input.language,
    category: (row.category ?? "UTILITY") as TemplateCategory,
    parameterFormat: row.parameter_format ?? "POSITIONAL",
    components: input.components,
  });
}

/** A copy of a template under another name (and language), submitted for review as a new template. */
export async function duplicateTemplate(
  services: Services,
  caller: Caller,
  templateId: string,
  input: { name: string; language?: string | undefined },
): Promise<TemplateView> {
  const row = await loadTemplate(services, caller, templateId);
  if (!row.components) throw new AppError("UNPROCESSABLE", "The template's content is not known yet: sync the templates first.");
  return submitTemplate(
    services,
    caller,
    {
      numberId: await numberFor(services, caller, row),
      name: input.name,
      language: input.language ?? row.language,
      category: (row.category ?? "UTILITY") as TemplateCategory,
      parameterFormat: row.parameter_format ?? "POSITIONAL",
      components: row.components,
    },
    { duplicatedFrom: row.id },
  );
}

/**
 * Edits a template within Meta's rules (cloud-api.md §8): only APPROVED, REJECTED or PAUSED ones;
 * an approved template keeps its category and may be edited once in 24 hours and ten times in 30
 * days. The edit goes back to review (PENDING). Audited.
 */
export async function editTemplate(
  services: Services,
  caller: Caller,
  templateId: string,
  input: {
    category?: TemplateCategory | undefined;
    components?: StoredTemplateComponents | undefined;
    messageSendTtlSeconds?: number | undefined;
  },
): Promise<TemplateView> {
  const row = await loadTemplate(services, caller, templateId);
  if (!EDITABLE.has(row.status)) {
    throw new AppError(
      "UNPROCESSABLE",
      `Only approved, rejected or paused templates can be edited; this one is ${row.status.toLowerCase().replace(/_/g, " ")}.`,
      { details: { reason: "template_not_editable", status: row.status } },
    );
  }
  const isApproved = row.status === "APPROVED";
  const category = input.category ?? ((row.category ?? "UTILITY") as TemplateCategory);
  if (isApproved && row.category !== null && category !== row.category) {
    throw new AppError("UNPROCESSABLE", "Category: an approved template's category cannot be changed.", {
      details: { reason: "template_category_locked" },
    });
  }
  const now = new Date();
  const edits = countApprovedEdits(row.approved_edits, now);
  if (isApproved && edits.last30Days >= APPROVED_EDITS_PER_30_DAYS) {
    throw new AppError("UNPROCESSABLE", `An approved template can be edited at most ${APPROVED_EDITS_PER_30_DAYS} times in 30 days.`, {
      details: { reason: "template_edit_limit", window: "30d" },
    });
  }
  if (isApproved && edits.last24Hours >= APPROVED_EDITS_PER_DAY) {
    throw new AppError("UNPROCESSABLE", "An approved template can be edited once in 24 hours; try again tomorrow.", {
      details: { reason: "template_edit_limit", window: "24h" },
    });
  }
  if (!row.meta_template_id)
    throw new AppError("UNPROCESSABLE", "WhatsApp's id of the template is not known yet: sync the templates first.");
  const format = row.parameter_format ?? "POSITIONAL";
  const content = input.components ?? row.components;
  if (!content) throw new AppError("UNPROCESSABLE", "The template's content is not known yet: sync the templates first.");
  assertValid({
    name: row.name,
    language: row.language,
    category,
    parameterFormat: format,
    components: content,
    messageSendTtlSeconds: input.messageSendTtlSeconds,
  });
  const components = normalizeContent(category, format, content);
  // Only a new TTL changes nothing Meta reviews: the template keeps its status (and is sent as before).
  const needsReview = input.components !== undefined || (input.category !== undefined && input.category !== row.category);
  const numberId = await numberFor(services, caller, row);
  const credentials = await credentialsFor(services, caller.workspaceId, numberId);
  try {
    await graphClientFor(services).request({
      method: "POST",
      path: `/${row.meta_template_id}`,
      token: credentials.accessToken,
      body: {
        ...(input.category !== undefined && input.category !== row.category ? { category } : {}),
        ...(needsReview ? { components: toMetaComponents(components, category, format) } : {}),
        ...(input.messageSendTtlSeconds !== undefined ? { message_send_ttl_seconds: input.messageSendTtlSeconds } : {}),
      },
    });
  } catch (error) {
    throw refusal(error, "accept the edit of");
  }
  await asCaller(services, caller, async (trx) => {
    await saveTemplateEdit(trx, services.keyring, caller.workspaceId, row.id, {
      category,
      components,
      parameterFormat: format,
      messageSendTtlSeconds: input.messageSendTtlSeconds,
      status: needsReview ? "PENDING" : row.status,
      approvedEdits: isApproved ? [...row.approved_edits, now.toISOString()].slice(-APPROVED_EDITS_PER_30_DAYS) : row.approved_edits,
      at: now,
    });
    await recordCallerAudit(trx, caller, {
      action: "templates.edited",
      target: { type: "template", id: row.id },
      metadata: {
        name: row.name,
        language: row.language,
        category,
        metaTemplateId: row.meta_template_id,
        previousStatus: row.status,
        ...(input.messageSendTtlSeconds !== undefined ? { messageSendTtlSeconds: input.messageSendTtlSeconds } : {}),
      },
    });
  });
  return viewOf(services, caller, row.id);
}

/**
 * Deletes a template at Meta and here: `language` deletes this one language (by its hsm id), `all`
 * every language of its name. A DISABLED template cannot be deleted (Meta refuses it). Audited.
 */
export async function deleteTemplate(
  services: Services,
  caller: Caller,
  templateId: string,
  scope: "language" | "all",
): Promise<{ deleted: number }> {
  const row = await loadTemplate(services, caller, templateId);
  const languages = await asCaller(services, caller, (trx) => listTemplateLanguages(trx, caller.workspaceId, row.waba_id, row.name));
  const targets = scope === "all" ? languages : languages.filter((language) => language.id === row.id);
  if (targets.some((target) => target.status === "DISABLED")) {
    throw new AppError("UNPROCESSABLE", "A disabled template cannot be deleted.", { details: { reason: "template_disabled" } });
  }
  if (scope === "language" && !row.meta_template_id)
    throw new AppError("UNPROCESSABLE", "WhatsApp's id of the template is not known yet: sync the templates first.");
  const numberId = await numberFor(services, caller, row);
  const credentials = await credentialsFor(services, caller.workspaceId, numberId);
  try {
    await graphClientFor(services).request({
      method: "DELETE",
      path: `/${credentials.wabaId === row.waba_id ? row.waba_id : credentials.wabaId}/message_templates`,
      token: credentials.accessToken,
      query: { name: row.name, ...(scope === "language" ? { hsm_id: row.meta_template_id! } : {}) },
    });
  } catch (error) {
    throw refusal(error, "delete");
  }
  const deleted = await asCaller(services, caller, async (trx) => {
    const count = await deleteTemplateRows(
      trx,
      caller.workspaceId,
      targets.map((target) => target.id),
    );
    await recordCallerAudit(trx, caller, {
      action: "templates.deleted",
      target: { type: "template", id: row.id },
      metadata: { name: row.name, language: scope === "language" ? row.language : null, scope, deleted: count },
    });
    return count;
  });
  return { deleted };
}

export const EXAMPLE_MEDIA_TYPES = ["image/jpeg", "image/png", "video/mp4", "application/pdf"] as const;
export const MAX_EXAMPLE_BYTES = 16 * 1024 * 1024;

/** Uploads a media header's example through the Resumable Upload API; answers the handle to put in the header. */
export async function uploadTemplateExample(
  services: Services,
  caller: Caller,
  input: { numberId: string; mimeType: string; bytes: Buffer },
): Promise<{ handle: string }> {
  if (input.bytes.length === 0) throw new AppError("UNPROCESSABLE", "The file is empty.");
  const credentials = await credentialsFor(services, caller.workspaceId, input.numberId);
  if (!credentials.appId) {
    throw new AppError("UNPROCESSABLE", "The number's app id is not known: reconnect the number to upload template examples.", {
      details: { reason: "app_id_missing" },
    });
  }
  const extension = { "image/jpeg": "jpg", "image/png": "png", "video/mp4": "mp4", "application/pdf": "pdf" }[input.mimeType] ?? "bin";
  try {
    return await graphClientFor(services).uploadResumable(credentials.appId, credentials.accessToken, {
      bytes: input.bytes,
      mimeType: input.mimeType,
      filename: `example.${extension}`,
    });
  } catch (error) {
    throw refusal(error, "accept the example of");
  }
}
