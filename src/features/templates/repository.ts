import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import { DecryptionError } from "../../crypto/aead.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import { readStoredComponents, type ParameterFormat, type StoredTemplateComponents } from "../../whatsapp/templates/components.ts";
import { DETAIL_KEYS, type TemplateReport, type TemplateUpdate } from "../../whatsapp/templates/status.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";

// The workspace's copy of its WABAs' templates, kept from status webhooks, full reads (sync) and
// Parley's own submissions. A template's content (components, examples included) is encrypted
// under the workspace key, with AAD naming the row; every read here answers it decrypted.

/** Where a template's content is sealed: the AAD binds it to its row. */
export function componentsField(workspaceId: string, templateId: string) {
  return { workspaceId, table: "templates", column: "components", rowId: templateId };
}

async function sealComponents(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  templateId: string,
  components: StoredTemplateComponents,
): Promise<string> {
  return keyring.encryptSecret(trx, componentsField(workspaceId, templateId), JSON.stringify(components));
}

export async function openTemplateComponents(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  templateId: string,
  envelope: string | null,
): Promise<StoredTemplateComponents | null> {
  if (envelope === null) return null;
  try {
    return readStoredComponents(await keyring.decrypt(trx, componentsField(workspaceId, templateId), envelope));
  } catch (error) {
    // Sealed for another row id (a concurrent first insert won): unknown until the next sync.
    if (error instanceof DecryptionError) return null;
    throw error;
  }
}

/**
 * Upserts reports into `templates`, monotonically by report time: an older report never replaces
 * a newer one. At the same second, a PENDING report does not replace a decision. Reports for a
 * WABA none of the workspace's numbers belongs to are ignored. Returns how many rows changed.
 */
export async function applyTemplateReports(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  reports: readonly TemplateReport[],
): Promise<number> {
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
    const id = before?.id ?? randomUUID();
    const after = await trx
      .insertInto("templates")
      .values({
        workspace_id: workspaceId,
        id,
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
        message_send_ttl_seconds: report.messageSendTtlSeconds ?? null,
        components_ciphertext: report.components ? await sealComponents(trx, keyring, workspaceId, id, report.components) : null,
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
            // A full read says the TTL (null for the default); a webhook does not, and keeps it.
            message_send_ttl_seconds:
              report.messageSendTtlSeconds === undefined
                ? sql<number | null>`templates.message_send_ttl_seconds`
                : sql<number | null>`excluded.message_send_ttl_seconds`,
            // Sealed for the row it names: a concurrent first insert with another id keeps its own.
            components_ciphertext: sql<
              string | null
            >`case when templates.id = excluded.id then coalesce(excluded.components_ciphertext, templates.components_ciphertext) else templates.components_ciphertext end`,
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

/** A template as the catalogue (./catalogue.ts) reads it, its content decrypted. */
export type TemplateRow = {
  id: string;
  waba_id: string;
  number_id: string | null;
  name: string;
  language: string;
  category: string | null;
  status: string;
  reason: string | null;
  parameter_format: ParameterFormat | null;
  message_send_ttl_seconds: number | null;
  components: StoredTemplateComponents | null;
  status_at: Date;
  meta_template_id: string | null;
  quality_score: string | null;
  meta_details: Record<string, unknown>;
  approved_edits: string[];
};

const COLUMNS = [
  "templates.id",
  "templates.waba_id",
  "templates.number_id",
  "templates.name",
  "templates.language",
  "templates.category",
  "templates.status",
  "templates.reason",
  "templates.parameter_format",
  "templates.message_send_ttl_seconds",
  "templates.components_ciphertext",
  "templates.status_at",
  "templates.meta_template_id",
  "templates.quality_score",
  "templates.meta_details",
  "templates.approved_edits",
] as const;

type SealedRow = Omit<TemplateRow, "components"> & { components_ciphertext: string | null };

async function openRow(trx: Tx, keyring: Keyring, workspaceId: string, row: SealedRow): Promise<TemplateRow> {
  const { components_ciphertext: envelope, ...rest } = row;
  return { ...rest, components: await openTemplateComponents(trx, keyring, workspaceId, row.id, envelope) };
}

/** The workspace's first number on a WABA (whose credentials act on its templates), if any. */
export async function findNumberOfWaba(trx: Tx, workspaceId: string, wabaId: string): Promise<string | undefined> {
  const number = await trx
    .selectFrom("numbers")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("waba_id", "=", wabaId)
    .orderBy("created_at")
    .executeTakeFirst();
  return number?.id;
}

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

/** The workspace's templates by name and language, filtered by WABA, status, category and a name fragment (matched literally), at most `limit`. */
export async function listTemplateRows(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  filter: {
    wabaId?: string | undefined;
    status?: string | undefined;
    category?: string | undefined;
    language?: string | undefined;
    nameContains?: string | undefined;
    limit: number;
  },
): Promise<TemplateRow[]> {
  let select = trx.selectFrom("templates").select(COLUMNS).where("templates.workspace_id", "=", workspaceId);
  if (filter.wabaId !== undefined) select = select.where("templates.waba_id", "=", filter.wabaId);
  if (filter.status !== undefined) select = select.where("templates.status", "=", filter.status);
  if (filter.category !== undefined) select = select.where("templates.category", "=", filter.category);
  if (filter.language !== undefined) select = select.where("templates.language", "=", filter.language);
  if (filter.nameContains)
    select = select.where("templates.name", "like", `%${filter.nameContains.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
  const rows = await select.orderBy("templates.name").orderBy("templates.language").limit(filter.limit).execute();
  const opened: TemplateRow[] = [];
  for (const row of rows) opened.push(await openRow(trx, keyring, workspaceId, row));
  return opened;
}

/** The template of this name and language in the WABA of the workspace's number, if Parley has synced it. */
export async function findTemplateForNumber(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  numberId: string,
  template: { name: string; language: string },
): Promise<TemplateRow | undefined> {
  const row = await trx
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
  return row ? openRow(trx, keyring, workspaceId, row) : undefined;
}

/** One template of the workspace by Parley's id, decrypted; `forUpdate` locks it for an edit or deletion. */
export async function findTemplateById(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  templateId: string,
  options: { forUpdate?: boolean } = {},
): Promise<TemplateRow | undefined> {
  let select = trx
    .selectFrom("templates")
    .select(COLUMNS)
    .where("templates.workspace_id", "=", workspaceId)
    .where("templates.id", "=", templateId);
  if (options.forUpdate) select = select.forUpdate();
  const row = await select.executeTakeFirst();
  return row ? openRow(trx, keyring, workspaceId, row) : undefined;
}

/** Ids and languages of every language of a template name in a WABA. */
export async function listTemplateLanguages(
  trx: Tx,
  workspaceId: string,
  wabaId: string,
  name: string,
): Promise<Array<{ id: string; language: string; status: string }>> {
  return trx
    .selectFrom("templates")
    .select(["id", "language", "status"])
    .where("workspace_id", "=", workspaceId)
    .where("waba_id", "=", wabaId)
    .where("name", "=", name)
    .orderBy("language")
    .execute();
}

export type SubmittedTemplate = {
  wabaId: string;
  numberId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  metaTemplateId: string;
  parameterFormat: ParameterFormat;
  components: StoredTemplateComponents;
  /** Meta's message_send_ttl_seconds as submitted; null for the category's default. */
  messageSendTtlSeconds: number | null;
  at: Date;
};

/**
 * Records a template Parley just submitted, as Meta answered it (its id, status and the category
 * it gave). A row of that name and language (an earlier webhook about it) is taken over. Answers the row's id.
 */
export async function saveSubmittedTemplate(trx: Tx, keyring: Keyring, workspaceId: string, template: SubmittedTemplate): Promise<string> {
  const existing = await trx
    .selectFrom("templates")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("waba_id", "=", template.wabaId)
    .where("name", "=", template.name)
    .where("language", "=", template.language)
    .forUpdate()
    .executeTakeFirst();
  const id = existing?.id ?? randomUUID();
  const sealed = await sealComponents(trx, keyring, workspaceId, id, template.components);
  const values = {
    number_id: template.numberId,
    category: template.category,
    status: template.status,
    reason: null,
    meta_template_id: template.metaTemplateId,
    status_at: template.at,
    parameter_format: template.parameterFormat,
    message_send_ttl_seconds: template.messageSendTtlSeconds,
    components_ciphertext: sealed,
    quality_score: null,
    meta_details: JSON.stringify({}),
    approved_edits: [],
    updated_at: template.at,
  };
  if (existing) {
    await trx.updateTable("templates").set(values).where("workspace_id", "=", workspaceId).where("id", "=", id).execute();
  } else {
    await trx
      .insertInto("templates")
      .values({ workspace_id: workspaceId, id, waba_id: template.wabaId, name: template.name, language: template.language, ...values })
      .execute();
  }
  await emitIfChanged(
    trx,
    workspaceId,
    undefined,
    { id, status: template.status, category: template.category, quality_score: null },
    template.at,
  );
  return id;
}

/** Records an edit Meta accepted: new content and category, back to review unless only the TTL changed. */
export async function saveTemplateEdit(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  templateId: string,
  edit: {
    category: string | null;
    components: StoredTemplateComponents | null;
    parameterFormat: ParameterFormat | null;
    /** A new TTL when the edit sets one; absent keeps it. */
    messageSendTtlSeconds?: number | undefined;
    status: string;
    approvedEdits: string[];
    at: Date;
  },
): Promise<void> {
  await trx
    .updateTable("templates")
    .set({
      category: edit.category,
      status: edit.status,
      reason: null,
      status_at: edit.at,
      approved_edits: edit.approvedEdits,
      updated_at: edit.at,
      ...(edit.parameterFormat ? { parameter_format: edit.parameterFormat } : {}),
      ...(edit.messageSendTtlSeconds !== undefined ? { message_send_ttl_seconds: edit.messageSendTtlSeconds } : {}),
      ...(edit.components ? { components_ciphertext: await sealComponents(trx, keyring, workspaceId, templateId, edit.components) } : {}),
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", templateId)
    .execute();
  await emitIfChanged(
    trx,
    workspaceId,
    undefined,
    { id: templateId, status: edit.status, category: edit.category, quality_score: null },
    edit.at,
  );
}

/** Removes templates Meta deleted; answers how many rows went. */
export async function deleteTemplateRows(trx: Tx, workspaceId: string, templateIds: readonly string[]): Promise<number> {
  if (templateIds.length === 0) return 0;
  const result = await trx
    .deleteFrom("templates")
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", templateIds)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
