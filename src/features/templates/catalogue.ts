import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import type { Services } from "../../services.ts";
import { API_RATE_LIMIT_CODES, GraphError } from "../../whatsapp/graph-client.ts";
import { describeGraphError } from "../../whatsapp/send/outcomes.ts";
import {
  describeParameterMismatch,
  parametersOf,
  readStoredComponents,
  type ParameterFormat,
  type StoredTemplateComponents,
  type TemplateParameters,
} from "../../whatsapp/templates/components.ts";
import { findNumberWaba, findTemplateForNumber, listTemplateRows, type TemplateRow } from "./repository.ts";
import { syncTemplates } from "./sync.ts";

// The workspace's templates as the dashboard and the send API see them: listed per number (a
// number sends the templates of its WABA), synced from Graph on demand, and checked before a send
// so that a wrong parameter count is refused with a clear sentence instead of Meta's 132000.

export type TemplateView = {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  reason: string | null;
  parameterFormat: ParameterFormat;
  components: StoredTemplateComponents | null;
  /** What a send must supply; null when the components are not known yet (sync to read them). */
  parameters: TemplateParameters | null;
  statusAt: Date;
};

export const MAX_LISTED_TEMPLATES = 500;

/** Retry-After of a sync refused by Meta's hourly API budget: the longest the budget can take to free up. */
export const GRAPH_RATE_LIMIT_RETRY_AFTER_SECONDS = 3_600;

function present(row: TemplateRow): TemplateView {
  const format = row.parameter_format ?? "POSITIONAL";
  const components = readStoredComponents(row.components);
  return {
    id: row.id,
    wabaId: row.waba_id,
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    reason: row.reason,
    parameterFormat: format,
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
  query: { numberId?: string | undefined; status: string; name?: string | undefined },
): Promise<TemplateView[]> {
  return asCaller(services, caller, async (trx) => {
    const wabaId = query.numberId ? await wabaOfNumber(trx, caller.workspaceId, query.numberId) : undefined;
    const rows = await listTemplateRows(trx, caller.workspaceId, {
      wabaId,
      status: query.status !== "ALL" ? query.status : undefined,
      nameContains: query.name,
      limit: MAX_LISTED_TEMPLATES,
    });
    return rows.map(present);
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

type SentTemplate = {
  name: string;
  language: string;
  components?: Array<{ type: string; parameters: Array<{ type: string; parameterName?: string | undefined }> }> | undefined;
};

/**
 * Refuses, before anything is queued, a template the workspace knows to be unsendable (not
 * APPROVED) or whose parameters do not match its components. A template Parley has not synced is
 * left to Meta (132001/132000 come back as the message's failure).
 */
export async function checkTemplateSend(
  trx: Tx,
  workspaceId: string,
  numberId: string,
  template: SentTemplate,
): Promise<{ category: string | null } | undefined> {
  const row = await findTemplateForNumber(trx, workspaceId, numberId, template);
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
  if (!view.parameters) return { category: view.category };
  const mismatch = describeParameterMismatch(view.parameters, view.parameterFormat, template.components ?? []);
  if (mismatch) {
    throw new AppError("UNPROCESSABLE", mismatch, {
      details: { reason: "template_parameters_mismatch", expected: { header: view.parameters.header, body: view.parameters.body.length } },
    });
  }
  return { category: view.category };
}
