import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import type { NumberEventKind } from "../../whatsapp/schema.ts";
import type { NumberEventInput } from "../../whatsapp/inbound/port.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";
import { countNumberEvents, insertNumberEvent, listNumberEventRows } from "./repository.ts";

// What Meta reported about a number that is not a message (migration 0018): errors in `value.errors`,
// failed statuses and inbound messages, and changes or items Parley does not apply yet. In clear:
// codes, titles and Meta's explanations scrubbed of phone numbers and the like; the value of an
// unsupported change is kept encrypted under the workspace key. A redelivered webhook records its
// events once (`dedupe_key`).

export const ERROR_KINDS: readonly NumberEventKind[] = ["webhook_error", "status_error", "message_error"];

/** A stored report as it is read back: the input's clear fields under its id. */
export type NumberEvent = { id: string } & Pick<NumberEventInput, "kind" | "code" | "title" | "detail" | "field" | "wamid" | "occurredAt">;

export function payloadField(workspaceId: string, eventId: string) {
  return { workspaceId, table: "number_events", column: "payload", rowId: eventId };
}

/** Records events once each (by dedupe key); returns how many were new. */
export async function recordNumberEvents(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  events: readonly NumberEventInput[],
): Promise<number> {
  let recorded = 0;
  for (const event of events) {
    const id = randomUUID();
    const payload =
      event.payload === undefined
        ? null
        : await keyring.encryptSecret(trx, payloadField(workspaceId, id), JSON.stringify(event.payload) ?? "null");
    const isNew = await insertNumberEvent(trx, workspaceId, {
      id,
      numberId: event.numberId,
      kind: event.kind,
      code: event.code,
      title: event.title,
      detail: event.detail,
      field: event.field === null ? null : event.field.slice(0, 100),
      wamid: event.wamid === null ? null : event.wamid.slice(0, 256),
      payloadCiphertext: payload,
      dedupeKey: createHash("sha256").update(event.dedupe).digest("hex"),
      occurredAt: event.occurredAt,
    });
    if (!isNew) continue;
    recorded += 1;
    if (event.kind === "unsupported_field" && event.field === QUALITY_FIELD) await emitQualityChange(trx, workspaceId, event);
  }
  return recorded;
}

/** Meta's report of a number's quality rating or messaging limit changing. */
export const QUALITY_FIELD = "phone_number_quality_update";

// Only the states are read: `display_phone_number` (personal data of the business's line) never
// reaches the outbox.
const qualityValue = z.looseObject({
  event: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,40}$/)
    .optional(),
  current_limit: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,40}$/)
    .optional(),
});

/**
 * A new quality report becomes a `number.quality` event in the transaction that records it, so a
 * redelivered report (same dedupe key) notifies nobody twice. The report stays in number_events as
 * Meta sent it, since Parley keeps no quality column of its own.
 */
async function emitQualityChange(trx: Tx, workspaceId: string, event: NumberEventInput): Promise<void> {
  const value = qualityValue.safeParse(event.payload);
  if (!value.success) return;
  const quality = value.data.event?.toUpperCase() ?? null;
  const tier = value.data.current_limit?.toUpperCase() ?? null;
  if (quality === null && tier === null) return;
  await recordWebhookEvent(
    trx,
    workspaceId,
    { type: "number.quality", data: { workspaceId, numberId: event.numberId, quality, tier, at: event.occurredAt.toISOString() } },
    { occurredAt: event.occurredAt },
  );
}

export type NumberEventSummary = { errorCount: number; unsupportedCount: number; events: NumberEvent[] };

/** A number's events, newest first, with the counts of errors and of unsupported changes. */
export async function listNumberEvents(
  trx: Tx,
  workspaceId: string,
  numberId: string,
  options: { limit: number },
): Promise<NumberEventSummary> {
  const [rows, counts] = await Promise.all([
    listNumberEventRows(trx, workspaceId, numberId, options.limit),
    countNumberEvents(trx, workspaceId, numberId),
  ]);
  return {
    errorCount: counts.errors,
    unsupportedCount: counts.unsupported,
    events: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      code: row.code,
      title: row.title,
      detail: row.detail,
      field: row.field,
      wamid: row.wamid,
      occurredAt: row.occurred_at,
    })),
  };
}
