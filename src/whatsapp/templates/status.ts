import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import type { Tx } from "../../db/database.ts";
import type { ParameterFormat, StoredTemplateComponents } from "./components.ts";

// Template status (reference/cloud-api.md §8, webhook §3.6 E): `message_template_status_update`
// changes say what Meta decided about a template. Webhooks may arrive late, twice or out of
// order, so each report carries its time (entry.time) and a row only moves to a report at least as
// new as the one it holds. Events Parley does not know yet are stored as Meta sent them, and every
// other field of the value (reason, rejection_info, other_info, disable_info…) is kept in
// `meta_details`, as are the category, quality and components webhooks about the template.

export const TEMPLATE_STATUS_FIELD = "message_template_status_update";

export type TemplateReport = {
  wabaId: string;
  name: string;
  language: string;
  status: string;
  reason: string | null;
  category: string | null;
  metaTemplateId: string | null;
  at: Date;
  /** From a full read (sync) only: status webhooks do not carry them. */
  parameterFormat?: ParameterFormat;
  components?: StoredTemplateComponents | null;
  /** From a webhook: the value's fields beyond the identifiers (rejection_info, other_info…). */
  details?: Record<string, unknown>;
};

/** A category, quality or components webhook about a template. */
export type TemplateUpdate = {
  wabaId: string;
  field: string;
  name: string | null;
  language: string | null;
  metaTemplateId: string | null;
  at: Date;
  /** template_category_update: the category the template now has. */
  category: string | null;
  /** message_template_quality_update: the new quality score. */
  qualityScore: string | null;
  details: Record<string, unknown>;
};

/** Where each webhook field's details live in `meta_details`. */
const DETAIL_KEYS: Record<string, string> = {
  [TEMPLATE_STATUS_FIELD]: "status",
  template_category_update: "category",
  message_template_quality_update: "quality",
  message_template_components_update: "components",
};
const MAX_DETAILS_BYTES = 16_384;
const IDENTIFIERS = new Set(["event", "message_template_id", "message_template_name", "message_template_language"]);

function detailsOf(value: Record<string, unknown>): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (!IDENTIFIERS.has(key)) details[key] = item;
  // Bounded: a template's details are Meta's short texts, never a payload's worth.
  return JSON.stringify(details).length <= MAX_DETAILS_BYTES ? details : { truncated: true };
}

const metaId = z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,32}$/)]).transform(String);

const statusValue = z.looseObject({
  event: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).transform((value) => value.toUpperCase()),
  message_template_id: metaId.optional(),
  message_template_name: z.string().min(1).max(512),
  message_template_language: z.string().min(1).max(20),
  reason: z.string().max(1000).nullable().optional(),
  message_template_category: z.string().max(64).optional(),
});

const updateValue = z.looseObject({
  message_template_id: metaId.optional(),
  message_template_name: z.string().min(1).max(512).optional(),
  message_template_language: z.string().min(1).max(20).optional(),
  new_category: z.string().max(64).optional(),
  new_quality_score: z.string().max(64).optional(),
});

const envelope = z.looseObject({
  entry: z
    .array(
      z.looseObject({
        id: z.string().regex(/^\d{1,32}$/),
        time: z.number().int().nonnegative().optional(),
        changes: z.array(z.looseObject({ field: z.string().max(100), value: z.unknown() })).max(1_000),
      }),
    )
    .max(1_000),
});

/**
 * The template status reports of a webhook delivery. Items that do not parse are skipped (and
 * counted); parse errors are not kept, since they could quote the payload.
 */
export function parseTemplateReports(json: unknown, receivedAt: Date): { reports: TemplateReport[]; updates: TemplateUpdate[]; skipped: number } {
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return { reports: [], updates: [], skipped: 0 };
  const reports: TemplateReport[] = [];
  const updates: TemplateUpdate[] = [];
  let skipped = 0;
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== TEMPLATE_STATUS_FIELD) {
        if (!(change.field in DETAIL_KEYS)) continue;
        const value = updateValue.safeParse(change.value);
        if (!value.success || (value.data.message_template_id === undefined && (value.data.message_template_name === undefined || value.data.message_template_language === undefined))) {
          skipped += 1;
          continue;
        }
        updates.push({
          wabaId: entry.id,
          field: change.field,
          name: value.data.message_template_name ?? null,
          language: value.data.message_template_language ?? null,
          metaTemplateId: value.data.message_template_id ?? null,
          at: entry.time === undefined ? receivedAt : new Date(entry.time * 1000),
          category: change.field === "template_category_update" ? (value.data.new_category?.toUpperCase() ?? null) : null,
          qualityScore: change.field === "message_template_quality_update" ? (value.data.new_quality_score?.toUpperCase() ?? null) : null,
          details: detailsOf(value.data),
        });
        continue;
      }
      const value = statusValue.safeParse(change.value);
      if (!value.success) {
        skipped += 1;
        continue;
      }
      reports.push({
        wabaId: entry.id,
        name: value.data.message_template_name,
        language: value.data.message_template_language,
        status: value.data.event,
        reason: value.data.reason ?? null,
        category: value.data.message_template_category?.toUpperCase() ?? null,
        metaTemplateId: value.data.message_template_id ?? null,
        at: entry.time === undefined ? receivedAt : new Date(entry.time * 1000),
        details: detailsOf(value.data),
      });
    }
  }
  return { reports, updates, skipped };
}

/**
 * Upserts reports into `templates`, monotonically by report time: an older report never replaces
 * a newer one. At the same second, a PENDING report does not replace a decision. Reports for a
 * WABA none of the workspace's numbers belongs to are ignored. Returns how many rows changed.
 */
export async function applyTemplateReports(trx: Tx, workspaceId: string, reports: readonly TemplateReport[]): Promise<number> {
  if (reports.length === 0) return 0;
  const numbers = await trx.selectFrom("numbers").select(["id", "waba_id"]).where("workspace_id", "=", workspaceId).orderBy("created_at").execute();
  const numberByWaba = new Map<string, string>();
  for (const number of numbers) if (!numberByWaba.has(number.waba_id)) numberByWaba.set(number.waba_id, number.id);
  // One order for every batch, so concurrent deliveries lock rows in the same sequence.
  const ordered = [...reports].sort((a, b) => key(a).localeCompare(key(b)) || a.at.getTime() - b.at.getTime());
  let changed = 0;
  for (const report of ordered) {
    const numberId = numberByWaba.get(report.wabaId);
    if (!numberId) continue;
    const result = await trx
      .insertInto("templates")
      .values({
        workspace_id: workspaceId,
        id: randomUUID(),
        waba_id: report.wabaId,
        number_id: numberId,
        name: report.name,
        language: report.language,
        category: report.category,
        status: report.status,
        reason: report.reason,
        meta_template_id: report.metaTemplateId,
        status_at: report.at,
        parameter_format: report.parameterFormat ?? null,
        components: report.components ? JSON.stringify(report.components) : null,
        meta_details: JSON.stringify(report.details ? { status: report.details } : {}),
      })
      .onConflict((oc) =>
        oc
          .columns(["workspace_id", "waba_id", "name", "language"])
          .doUpdateSet({
            status: sql<string>`excluded.status`,
            reason: sql<string | null>`excluded.reason`,
            category: sql<string | null>`coalesce(excluded.category, templates.category)`,
            meta_template_id: sql<string | null>`coalesce(excluded.meta_template_id, templates.meta_template_id)`,
            parameter_format: sql<"POSITIONAL" | "NAMED" | null>`coalesce(excluded.parameter_format, templates.parameter_format)`,
            components: sql<string | null>`coalesce(excluded.components, templates.components)`,
            status_at: sql<Date>`excluded.status_at`,
            meta_details: sql<string>`templates.meta_details || excluded.meta_details`,
            updated_at: sql<Date>`now()`,
          })
          .where((eb) =>
            eb.or([
              eb("templates.status_at", "<", sql<Date>`excluded.status_at`),
              eb.and([eb("templates.status_at", "=", sql<Date>`excluded.status_at`), eb("templates.status", "=", "PENDING")]),
            ]),
          ),
      )
      .executeTakeFirst();
    changed += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return changed;
}

/**
 * Applies category, quality and components webhooks: the template's category and quality score
 * follow, and the value's fields are kept under the webhook's key in `meta_details`. A template
 * Parley has not seen yet is recorded with status UNKNOWN at the epoch, so its first status report
 * (webhook or sync) replaces that. Returns how many rows changed.
 */
export async function applyTemplateUpdates(trx: Tx, workspaceId: string, updates: readonly TemplateUpdate[]): Promise<number> {
  if (updates.length === 0) return 0;
  const numbers = await trx.selectFrom("numbers").select(["id", "waba_id"]).where("workspace_id", "=", workspaceId).orderBy("created_at").execute();
  const numberByWaba = new Map<string, string>();
  for (const number of numbers) if (!numberByWaba.has(number.waba_id)) numberByWaba.set(number.waba_id, number.id);
  let changed = 0;
  for (const update of [...updates].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const numberId = numberByWaba.get(update.wabaId);
    if (!numberId) continue;
    const details = JSON.stringify({ [DETAIL_KEYS[update.field]!]: { ...update.details, at: update.at.toISOString() } });
    let query = trx
      .updateTable("templates")
      .set({
        meta_details: sql<string>`templates.meta_details || ${details}::jsonb`,
        category: sql<string | null>`coalesce(${update.category}::text, templates.category)`,
        quality_score: sql<string | null>`coalesce(${update.qualityScore}::text, templates.quality_score)`,
        meta_template_id: sql<string | null>`coalesce(templates.meta_template_id, ${update.metaTemplateId}::text)`,
        updated_at: new Date(),
      })
      .where("workspace_id", "=", workspaceId)
      .where("waba_id", "=", update.wabaId);
    query =
      update.name !== null && update.language !== null
        ? query.where("name", "=", update.name).where("language", "=", update.language)
        : query.where("meta_template_id", "=", update.metaTemplateId);
    const result = await query.executeTakeFirst();
    let rows = Number(result.numUpdatedRows);
    if (rows === 0 && update.name !== null && update.language !== null) {
      const inserted = await trx
        .insertInto("templates")
        .values({
          workspace_id: workspaceId,
          id: randomUUID(),
          waba_id: update.wabaId,
          number_id: numberId,
          name: update.name,
          language: update.language,
          category: update.category,
          status: "UNKNOWN",
          reason: null,
          meta_template_id: update.metaTemplateId,
          status_at: new Date(0),
          meta_details: details,
          quality_score: update.qualityScore,
        })
        .onConflict((oc) => oc.columns(["workspace_id", "waba_id", "name", "language"]).doNothing())
        .executeTakeFirst();
      rows = Number(inserted.numInsertedOrUpdatedRows ?? 0n);
    }
    changed += rows;
  }
  return changed;
}

function key(report: TemplateReport): string {
  return `${report.wabaId}|${report.name}|${report.language}`;
}
