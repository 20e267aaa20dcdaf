import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { ParameterFormat } from "../../whatsapp/templates/components.ts";
import { DETAIL_KEYS, type TemplateReport, type TemplateUpdate } from "../../whatsapp/templates/status.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";

// The workspace's copy of its WABAs' templates, kept from status webhooks and full reads (sync).

/**
 * Upserts reports into `templates`, monotonically by report time: an older report never replaces
 * a newer one. At the same second, a PENDING report does not replace a decision. Reports for a
 * WABA none of the workspace's numbers belongs to are ignored. Returns how many rows changed.
 */
export async function applyTemplateReports(trx: Tx, workspaceId: string, reports: readonly TemplateReport[]): Promise<number> {
  if (reports.length === 0) return 0;
  const numbers = await trx
    .selectFrom("numbers")
    .select(["id", "waba_id"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at")
    .execute();
  const numberByWaba = new Map<string, string>();
  for (const number of numbers) if (!numberByWaba.has(number.waba_id)) numberByWaba.set(number.waba_id, number.id);
  // One order for every batch, so concurrent deliveries lock rows in the same sequence.
  const ordered = [...reports].sort((a, b) => key(a).localeCompare(key(b)) || a.at.getTime() - b.at.getTime());
  let changed = 0;
  for (const report of ordered) {
    const numberId = numberByWaba.get(report.wabaId);
    if (!numberId) continue;
    const before = await trx
      .selectFrom("templates")
      .select(STATE_COLUMNS)
      .where("workspace_id", "=", workspaceId)
      .where("waba_id", "=", report.wabaId)
      .where("name", "=", report.name)
      .where("language", "=", report.language)
      .executeTakeFirst();
    const after = await trx
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
      .returning(STATE_COLUMNS)
      .executeTakeFirst();
    if (!after) continue;
    changed += 1;
    await emitIfChanged(trx, workspaceId, before, after, report.at);
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
  const numbers = await trx
    .selectFrom("numbers")
    .select(["id", "waba_id"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at")
    .execute();
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
    const byName = update.name !== null && update.language !== null;
    query = byName
      ? query.where("name", "=", update.name).where("language", "=", update.language)
      : query.where("meta_template_id", "=", update.metaTemplateId);
    let current = trx
      .selectFrom("templates")
      .select(STATE_COLUMNS)
      .where("workspace_id", "=", workspaceId)
      .where("waba_id", "=", update.wabaId);
    current = byName
      ? current.where("name", "=", update.name).where("language", "=", update.language)
      : current.where("meta_template_id", "=", update.metaTemplateId);
    const before = new Map((await current.execute()).map((row) => [row.id, row]));
    const updated = await query.returning(STATE_COLUMNS).execute();
    for (const row of updated) await emitIfChanged(trx, workspaceId, before.get(row.id), row, update.at);
    let rows = updated.length;
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
        .returning(STATE_COLUMNS)
        .executeTakeFirst();
      if (inserted) {
        rows = 1;
        await emitIfChanged(trx, workspaceId, undefined, inserted, update.at);
      }
    }
    changed += rows;
  }
  return changed;
}

const STATE_COLUMNS = ["id", "status", "category", "quality_score"] as const;
type TemplateState = { id: string; status: string; category: string | null; quality_score: string | null };

/**
 * A `template.status` event when a template's status, category or quality score differs from what
 * it was before the change, in the change's transaction: a newer report repeating the same state,
 * or a redelivery, notifies nobody.
 */
async function emitIfChanged(
  trx: Tx,
  workspaceId: string,
  before: TemplateState | undefined,
  after: TemplateState,
  at: Date,
): Promise<void> {
  if (before && before.status === after.status && before.category === after.category && before.quality_score === after.quality_score)
    return;
  await recordWebhookEvent(
    trx,
    workspaceId,
    {
      type: "template.status",
      data: {
        workspaceId,
        templateId: after.id,
        status: after.status.slice(0, 40),
        category: after.category?.slice(0, 64) ?? null,
        quality: after.quality_score?.slice(0, 64) ?? null,
        at: at.toISOString(),
      },
    },
    { occurredAt: at },
  );
}

function key(report: TemplateReport): string {
  return `${report.wabaId}|${report.name}|${report.language}`;
}

/** A template as the catalogue (./catalogue.ts) reads it. */
export type TemplateRow = {
  id: string;
  waba_id: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  reason: string | null;
  parameter_format: ParameterFormat | null;
  components: unknown;
  status_at: Date;
};

const COLUMNS = [
  "templates.id",
  "templates.waba_id",
  "templates.name",
  "templates.language",
  "templates.category",
  "templates.status",
  "templates.reason",
  "templates.parameter_format",
  "templates.components",
  "templates.status_at",
] as const;

/** The WABA of the workspace's number, or undefined when there is no such number. */
export async function findNumberWaba(trx: Tx, workspaceId: string, numberId: string): Promise<string | undefined> {
  const number = await trx
    .selectFrom("numbers")
    .select("waba_id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .executeTakeFirst();
  return number?.waba_id;
}

/** The workspace's templates by name and language, filtered by WABA, status and a name fragment (matched literally), at most `limit`. */
export async function listTemplateRows(
  trx: Tx,
  workspaceId: string,
  filter: { wabaId?: string | undefined; status?: string | undefined; nameContains?: string | undefined; limit: number },
): Promise<TemplateRow[]> {
  let select = trx.selectFrom("templates").select(COLUMNS).where("templates.workspace_id", "=", workspaceId);
  if (filter.wabaId !== undefined) select = select.where("templates.waba_id", "=", filter.wabaId);
  if (filter.status !== undefined) select = select.where("templates.status", "=", filter.status);
  if (filter.nameContains)
    select = select.where("templates.name", "like", `%${filter.nameContains.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
  return select.orderBy("templates.name").orderBy("templates.language").limit(filter.limit).execute();
}

/** The template of this name and language in the WABA of the workspace's number, if Parley has synced it. */
export async function findTemplateForNumber(
  trx: Tx,
  workspaceId: string,
  numberId: string,
  template: { name: string; language: string },
): Promise<TemplateRow | undefined> {
  return trx
    .selectFrom("templates")
    .innerJoin("numbers", (join) =>
      join.onRef("numbers.workspace_id", "=", "templates.workspace_id").onRef("numbers.waba_id", "=", "templates.waba_id"),
    )
    .select(COLUMNS)
    .where("templates.workspace_id", "=", workspaceId)
    .where("numbers.id", "=", numberId)
    .where("templates.name", "=", template.name)
    .where("templates.language", "=", template.language)
    .executeTakeFirst();
}
