import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import type { Tx } from "../../db/database.ts";
import type { ParameterFormat, StoredTemplateComponents } from "./components.ts";

// Template status (reference/cloud-api.md §8, webhook §3.6 E): `message_template_status_update`
// changes say what Meta decided about a template. Webhooks may arrive late, twice or out of
// order, so each report carries its time (entry.time) and a row only moves to a report at least as
// new as the one it holds. Events Parley does not know yet are stored as Meta sent them.

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
};

const metaId = z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,32}$/)]).transform(String);

const statusValue = z.looseObject({
  event: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).transform((value) => value.toUpperCase()),
  message_template_id: metaId.optional(),
  message_template_name: z.string().min(1).max(512),
  message_template_language: z.string().min(1).max(20),
  reason: z.string().max(1000).nullable().optional(),
  message_template_category: z.string().max(64).optional(),
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
export function parseTemplateReports(json: unknown, receivedAt: Date): { reports: TemplateReport[]; skipped: number } {
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return { reports: [], skipped: 0 };
  const reports: TemplateReport[] = [];
  let skipped = 0;
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== TEMPLATE_STATUS_FIELD) continue;
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
      });
    }
  }
  return { reports, skipped };
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

function key(report: TemplateReport): string {
  return `${report.wabaId}|${report.name}|${report.language}`;
}
