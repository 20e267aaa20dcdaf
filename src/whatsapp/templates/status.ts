import { z } from "zod";
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
  /** From a full read (sync) only: Meta's message_send_ttl_seconds, null when the template has the default. */
  messageSendTtlSeconds?: number | null;
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
export const DETAIL_KEYS: Record<string, string> = {
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
  event: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/)
    .transform((value) => value.toUpperCase()),
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
export function parseTemplateReports(
  json: unknown,
  receivedAt: Date,
): { reports: TemplateReport[]; updates: TemplateUpdate[]; skipped: number } {
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
        if (
          !value.success ||
          (value.data.message_template_id === undefined &&
            (value.data.message_template_name === undefined || value.data.message_template_language === undefined))
        ) {
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
