import { z } from "zod";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import type { Services } from "../../services.ts";
import { API_RATE_LIMIT_CODES, GraphError } from "../../whatsapp/graph-client.ts";
import { describeGraphError } from "../../whatsapp/send/outcomes.ts";
import {
  describeParameterMismatch,
  parametersOf,
  type ParameterFormat,
  type StoredTemplateComponents,
  type TemplateParameters,
} from "../../whatsapp/templates/components.ts";
import { findNumberWaba, findTemplateForNumber, listTemplateRows, type TemplateRow } from "./repository.ts";
import { renderTemplate, type RenderedTemplate, type SentComponent } from "./render.ts";
import { syncTemplates } from "./sync.ts";

// The workspace's templates as the dashboard and the send API see them: listed per number (a
// number sends the templates of its WABA), synced from Graph on demand, and checked before a send
// so that a wrong parameter count is refused with a clear sentence instead of Meta's 132000.

export type TemplateView = {
  id: string;
  wabaId: string;
  numberId: string | null;
  metaTemplateId: string | null;
  name: string;
  language: string;
  category: string | null;
  status: string;
  reason: string | null;
  parameterFormat: ParameterFormat;
  /** Meta's message_send_ttl_seconds; null for the category's default. */
  messageSendTtlSeconds: number | null;
  components: StoredTemplateComponents | null;
  /** What a send must supply; null when the components are not known yet (sync to read them). */
  parameters: TemplateParameters | null;
  statusAt: Date;
  /** GREEN, YELLOW, RED or UNKNOWN, from message_template_quality_update; null before any. */
  qualityScore: string | null;
  /** Meta's explanation of an INVALID_FORMAT rejection. */
  rejectionInfo: { reason: string; recommendation: string } | null;
  /** The pause, unpause or disable notice of the latest status report (other_info). */
  statusInfo: { title: string; description: string } | null;
  /** A category change announced or made by Meta (template_category_update). */
  categoryChange: {
    previousCategory: string | null;
    newCategory: string | null;
    correctCategory: string | null;
    effectiveAt: Date | null;
  } | null;
  /** Approved edits Parley made in the last 24 hours and 30 days (Meta allows 1 and 10). */
  approvedEdits: { last24Hours: number; last30Days: number };
};

export const MAX_LISTED_TEMPLATES = 500;

/** Retry-After of a sync refused by Meta's hourly API budget: the longest the budget can take to free up. */
export const GRAPH_RATE_LIMIT_RETRY_AFTER_SECONDS = 3_600;

const DAY_MS = 24 * 60 * 60 * 1000;
const info = z.looseObject({ title: z.string().max(200), description: z.string().max(2000).optional() });
const details = z.looseObject({
  status: z
    .looseObject({
      rejection_info: z.looseObject({ reason: z.string().max(2000), recommendation: z.string().max(2000).optional() }).optional(),
      other_info: info.optional(),
    })
    .optional(),
  category: z
    .looseObject({
      previous_category: z.string().max(64).optional(),
      new_category: z.string().max(64).optional(),
      correct_category: z.string().max(64).optional(),
      category_update_timestamp: z.number().int().nonnegative().optional(),
    })
    .optional(),
});

/** Approved edits within 24 hours and 30 days of `now`, from the row's ISO times. */
export function countApprovedEdits(times: readonly string[], now: Date): { last24Hours: number; last30Days: number } {
  const ages = times.map((time) => now.getTime() - Date.parse(time)).filter((age) => Number.isFinite(age));
  return { last24Hours: ages.filter((age) => age < DAY_MS).length, last30Days: ages.filter((age) => age < 30 * DAY_MS).length };
}

export function present(row: TemplateRow, now = new Date()): TemplateView {
  const format = row.parameter_format ?? "POSITIONAL";
  const components = row.components;
  const meta = details.safeParse(row.meta_details);
  const status = meta.success ? meta.data.status : undefined;
  const category = meta.success ? meta.data.category : undefined;
  return {
    id: row.id,
    wabaId: row.waba_id,
    numberId: row.number_id,
    metaTemplateId: row.meta_template_id,
    qualityScore: row.quality_score,
    rejectionInfo: status?.rejection_info
      ? { reason: status.rejection_info.reason, recommendation: status.rejection_info.recommendation ?? "" }
      : null,
    statusInfo: status?.other_info ? { title: status.other_info.title, description: status.other_info.description ?? "" } : null,
    categoryChange: category
      ? {
          previousCategory: category.previous_category?.toUpperCase() ?? null,
          newCategory: category.new_category?.toUpperCase() ?? null,
          correctCategory: category.correct_category?.toUpperCase() ?? null,
          effectiveAt: category.category_update_timestamp === undefined ? null : new Date(category.category_update_timestamp * 1000),
        }
      : null,
    approvedEdits: countApprovedEdits(row.approved_edits, now),
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    reason: row.reason,
    parameterFormat: format,
    messageSendTtlSeconds: row.message_send_ttl_seconds,
    components,
    parameters: components ? parametersOf(components, format) : null,
    statusAt: row.status_at,
  };
}

async function wabaOfNumber(trx: Tx, workspaceId: string, numberId: string): Promise<string> {
  const wabaId = await findNumberWaba(trx, workspaceId, numberId);
  if (wabaId === undefined) throw new AppError("NOT_FOUND", "The number does not exist.");
  return wabaId;
}

/** Templates by name and language; for one number's WABA when given, with one status (default APPROVED) unless `status` is "ALL". */
export async function listTemplatesFor(
  services: Services,
  caller: Caller,
  query: {
    numberId?: string | undefined;
    status: string;
    name?: string | undefined;
    category?: string | undefined;
    language?: string | undefined;
  },
): Promise<TemplateView[]> {
  return asCaller(services, caller, async (trx) => {
    const wabaId = query.numberId ? await wabaOfNumber(trx, caller.workspaceId, query.numberId) : undefined;
    const rows = await listTemplateRows(trx, services.keyring, caller.workspaceId, {
      wabaId,
      status: query.status !== "ALL" ? query.status : undefined,
      category: query.category,
      language: query.language,
      nameContains: query.name,
      limit: MAX_LISTED_TEMPLATES,
    });
    return rows.map((row) => present(row));
  });
}

/** Reads the number's WABA templates from Graph (components included) and upserts them. Audited. */
export async function syncTemplatesFor(services: Services, caller: Caller, numberId: string): Promise<{ listed: number; changed: number }> {
  await asCaller(services, caller, (trx) => wabaOfNumber(trx, caller.workspaceId, numberId));
  let result: { listed: number; changed: number };
  try {
    result = await syncTemplates(services, caller.workspaceId, numberId);
  } catch (error) {
    if (error instanceof GraphError && API_RATE_LIMIT_CODES.has(error.code)) {
      // Meta's budget for these calls is counted per hour (200, or 5,000 for a WABA with a
      // registered number, §7) and says nothing of when it frees up: within the hour at the latest.
      throw new AppError(
        "RATE_LIMITED",
        "WhatsApp's rate limit for reading this number's templates was reached; sync again later (within the hour).",
        {
          details: { reason: "graph_rate_limited", code: error.code },
          headers: { "retry-after": String(GRAPH_RATE_LIMIT_RETRY_AFTER_SECONDS) },
        },
      );
    }
    if (error instanceof GraphError) {
      throw new AppError("UNPROCESSABLE", `WhatsApp did not list the templates: ${describeGraphError(error.code)}`, {
        details: { reason: "graph_error", code: error.code },
      });
    }
    throw error;
  }
  await asCaller(services, caller, (trx) =>
    recordCallerAudit(trx, caller, {
      action: "templates.synced",
      target: { type: "number", id: numberId },
      metadata: { listed: result.listed, changed: result.changed },
    }),
  );
  return result;
}

type SentTemplate = { name: string; language: string; components?: SentComponent[] | undefined };

/**
 * Refuses, before anything is queued, a template the workspace knows to be unsendable (not
 * APPROVED) or whose parameters do not match its components, and answers it as the customer will
 * read it (./render.ts). A template Parley has not synced is left to Meta (132001/132000 come back
 * as the message's failure); it has no rendered form (null).
 */
export async function checkTemplateSend(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  numberId: string,
  template: SentTemplate,
): Promise<{ category: string | null; rendered: RenderedTemplate | null } | undefined> {
  const row = await findTemplateForNumber(trx, keyring, workspaceId, numberId, template);
  if (!row) return undefined;
  const view = present(row);
  if (view.status !== "APPROVED") {
    throw new AppError(
      "UNPROCESSABLE",
      `The template ${view.name} (${view.language}) is ${view.status.toLowerCase()}, not approved: only approved templates can be sent.`,
      {
        details: { reason: "template_not_approved", status: view.status },
      },
    );
  }
  if (!view.parameters || !view.components) return { category: view.category, rendered: null };
  const sent = template.components ?? [];
  // A location header's parameter is checked by the renderer (the parameter summary has no location kind).
  const locationHeader = view.components.header?.format === "LOCATION";
  const mismatch = describeParameterMismatch(
    view.parameters,
    view.parameterFormat,
    locationHeader ? sent.filter((component) => component.type !== "header") : sent,
  );
  if (mismatch) {
    throw new AppError("UNPROCESSABLE", mismatch, {
      details: { reason: "template_parameters_mismatch", expected: { header: view.parameters.header, body: view.parameters.body.length } },
    });
  }
  return { category: view.category, rendered: renderTemplate(view.components, view.parameterFormat, sent) };
}
