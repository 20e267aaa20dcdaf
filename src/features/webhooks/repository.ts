import { randomUUID } from "node:crypto";
import { sql, type Selectable, type Updateable } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from "../../db/generated/database.ts";
import type { WebhookEventType } from "./catalogue.ts";

// Every query of outbound webhooks (migration 0023). Each function takes the workspace id and
// filters on it, under the row-level security of the transaction it is given.

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type EndpointPatch = Omit<Updateable<WebhookEndpointsTable>, "workspace_id" | "id" | "created_at">;
export type DeliveryPatch = Omit<Updateable<WebhookDeliveriesTable>, "workspace_id" | "id" | "endpoint_id" | "event_id" | "created_at">;

/** Endpoints of a workspace at most (a bound on the outbox's fan-out per event). */
export const MAX_ENDPOINTS = 20;

export function secretField(workspaceId: string, endpointId: string, column: "secret" | "previous_secret") {
  return { workspaceId, table: "webhook_endpoints", column, rowId: endpointId };
}

export async function listEndpoints(trx: Tx, workspaceId: string): Promise<EndpointRow[]> {
  return trx
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at")
    .orderBy("id")
    .limit(MAX_ENDPOINTS)
    .execute();
}

export async function countEndpoints(trx: Tx, workspaceId: string): Promise<number> {
  const { count } = await trx
    .selectFrom("webhook_endpoints")
    .select((eb) => eb.fn.countAll<string | number>().as("count"))
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** Serializes the writers of one workspace's endpoints until commit (the count limit). */
export async function lockWorkspaceEndpoints(trx: Tx, workspaceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`parley.webhook_endpoints:${workspaceId}`}, 0))`.execute(trx);
}

export async function findEndpoint(
  trx: Tx,
  workspaceId: string,
  endpointId: string,
  options: { forUpdate?: boolean } = {},
): Promise<EndpointRow | undefined> {
  let query = trx.selectFrom("webhook_endpoints").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", endpointId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export type NewEndpoint = {
  id: string;
  url: string;
  description: string;
  format: "standard" | "meta";
  eventTypes: readonly string[];
  enabled: boolean;
  includePersonalData: boolean;
  secretCiphertext: string;
};

export async function insertEndpoint(trx: Tx, workspaceId: string, input: NewEndpoint): Promise<EndpointRow> {
  return trx
    .insertInto("webhook_endpoints")
    .values({
      workspace_id: workspaceId,
      id: input.id,
      url: input.url,
      description: input.description,
      format: input.format,
      event_types: [...input.eventTypes],
      enabled: input.enabled,
      include_personal_data: input.includePersonalData,
      secret_ciphertext: input.secretCiphertext,
      disabled_reason: input.enabled ? null : "manual",
      disabled_at: input.enabled ? null : new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateEndpoint(
  trx: Tx,
  workspaceId: string,
  endpointId: string,
  patch: EndpointPatch,
): Promise<EndpointRow | undefined> {
  return trx
    .updateTable("webhook_endpoints")
    .set({ ...patch, updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", endpointId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteEndpoint(trx: Tx, workspaceId: string, endpointId: string): Promise<boolean> {
  const deleted = await trx
    .deleteFrom("webhook_endpoints")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", endpointId)
    .returning("id")
    .executeTakeFirst();
  return deleted !== undefined;
}

/** Enabled endpoints subscribed to `type`. */
export async function findSubscribedEndpointIds(trx: Tx, workspaceId: string, type: WebhookEventType): Promise<string[]> {
  const rows = await trx
    .selectFrom("webhook_endpoints")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("enabled", "=", true)
    // A "meta" endpoint receives Meta's own envelopes only (meta.ts), never catalogue events.
    .where("format", "=", "standard")
    .where(sql<boolean>`event_types @> array[${type}]::text[]`)
    .execute();
  return rows.map((row) => row.id);
}

/** One outbox event and a pending delivery per endpoint; returns the delivery ids. */
export async function insertEventWithDeliveries(
  trx: Tx,
  workspaceId: string,
  event: { type: WebhookEventType; data: Record<string, unknown>; occurredAt: Date },
  endpointIds: readonly string[],
  now: Date,
): Promise<{ eventId: string; deliveryIds: string[] }> {
  const eventId = randomUUID();
  await trx
    .insertInto("webhook_events")
    .values({ workspace_id: workspaceId, id: eventId, type: event.type, data: JSON.stringify(event.data), occurred_at: event.occurredAt })
    .execute();
  const deliveryIds = endpointIds.map(() => randomUUID());
  if (deliveryIds.length > 0) {
    await trx
      .insertInto("webhook_deliveries")
      .values(
        endpointIds.map((endpointId, index) => ({
          workspace_id: workspaceId,
          id: deliveryIds[index]!,
          endpoint_id: endpointId,
          event_id: eventId,
          next_attempt_at: now,
        })),
      )
      .execute();
  }
  return { eventId, deliveryIds };
}

/** Enabled "meta" endpoints with what they subscribed to. */
export async function findMetaEndpoints(trx: Tx, workspaceId: string): Promise<{ id: string; eventTypes: string[] }[]> {
  const rows = await trx
    .selectFrom("webhook_endpoints")
    .select(["id", "event_types"])
    .where("workspace_id", "=", workspaceId)
    .where("enabled", "=", true)
    .where("format", "=", "meta")
    .execute();
  return rows.map((row) => ({ id: row.id, eventTypes: row.event_types }));
}

/** The contacts of the messages Meta names by these ids (inbound ones just filed, outbound ones a status is about). */
export async function findContactIdsByWamids(trx: Tx, workspaceId: string, wamids: readonly string[]): Promise<string[]> {
  if (wamids.length === 0) return [];
  const rows = await trx
    .selectFrom("messages")
    .select("contact_id")
    .distinct()
    .where("workspace_id", "=", workspaceId)
    .where("wamid", "in", [...wamids])
    .execute();
  return rows.map((row) => row.contact_id);
}

export const META_EVENT_TYPE = "whatsapp.messages";

/** An outbox event carrying one Meta `value` (encrypted by the caller) and a delivery per endpoint. */
export async function insertMetaEventWithDeliveries(
  trx: Tx,
  workspaceId: string,
  event: { id: string; wabaId: string; valueCiphertext: string; contactIds: readonly string[]; occurredAt: Date },
  endpointIds: readonly string[],
  now: Date,
): Promise<string[]> {
  await trx
    .insertInto("webhook_events")
    .values({
      workspace_id: workspaceId,
      id: event.id,
      type: META_EVENT_TYPE,
      data: JSON.stringify({ workspaceId, wabaId: event.wabaId }),
      occurred_at: event.occurredAt,
    })
    .execute();
  await trx
    .insertInto("webhook_event_payloads")
    .values({
      workspace_id: workspaceId,
      event_id: event.id,
      waba_id: event.wabaId,
      value_ciphertext: event.valueCiphertext,
      contact_ids: [...new Set(event.contactIds)],
    })
    .execute();
  const deliveryIds = endpointIds.map(() => randomUUID());
  await trx
    .insertInto("webhook_deliveries")
    .values(
      endpointIds.map((endpointId, index) => ({
        workspace_id: workspaceId,
        id: deliveryIds[index]!,
        endpoint_id: endpointId,
        event_id: event.id,
        next_attempt_at: now,
      })),
    )
    .execute();
  return deliveryIds;
}

/** The stored value of a Meta-format event, or undefined once erased. */
export async function findMetaPayload(
  trx: Tx,
  workspaceId: string,
  eventId: string,
): Promise<{ wabaId: string; valueCiphertext: string } | undefined> {
  const row = await trx
    .selectFrom("webhook_event_payloads")
    .select(["waba_id", "value_ciphertext"])
    .where("workspace_id", "=", workspaceId)
    .where("event_id", "=", eventId)
    .executeTakeFirst();
  return row ? { wabaId: row.waba_id, valueCiphertext: row.value_ciphertext } : undefined;
}

export type DeliveryAttemptView = {
  delivery: DeliveryRow;
  endpoint: EndpointRow;
  event: { id: string; type: string; data: Record<string, unknown>; occurredAt: Date };
};

/**
 * Deliveries with their endpoints and events, by delivery id: three queries for any number of
 * deliveries (attempts running together share them). A delivery whose endpoint or event is gone
 * is absent from the answer.
 */
export async function findDeliveriesForAttempt(
  trx: Tx,
  workspaceId: string,
  deliveryIds: readonly string[],
): Promise<Map<string, DeliveryAttemptView>> {
  const views = new Map<string, DeliveryAttemptView>();
  if (deliveryIds.length === 0) return views;
  const deliveries = await trx
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...new Set(deliveryIds)])
    .execute();
  if (deliveries.length === 0) return views;
  const endpoints = await trx
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...new Set(deliveries.map((delivery) => delivery.endpoint_id))])
    .execute();
  const events = await trx
    .selectFrom("webhook_events")
    .select(["id", "type", "data", "occurred_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...new Set(deliveries.map((delivery) => delivery.event_id))])
    .execute();
  const endpointById = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
  const eventById = new Map(events.map((event) => [event.id, event]));
  for (const delivery of deliveries) {
    const endpoint = endpointById.get(delivery.endpoint_id);
    const event = eventById.get(delivery.event_id);
    if (!endpoint || !event) continue;
    views.set(delivery.id, {
      delivery,
      endpoint,
      event: { id: event.id, type: event.type, data: event.data, occurredAt: event.occurred_at },
    });
  }
  return views;
}

/** Moves deliveries' next attempts to the given times, any number in one statement. */
export async function rescheduleDeliveries(
  trx: Tx,
  workspaceId: string,
  entries: ReadonlyArray<{ deliveryId: string; until: Date }>,
): Promise<void> {
  if (entries.length === 0) return;
  await sql`
    update webhook_deliveries d
       set next_attempt_at = v.until, updated_at = now()
      from (select unnest(${entries.map((entry) => entry.deliveryId)}::uuid[]) as id,
                   unnest(${entries.map((entry) => entry.until.toISOString())}::timestamptz[]) as until) v
     where d.workspace_id = ${workspaceId} and d.id = v.id`.execute(trx);
}

export type DeliverySuccess = {
  deliveryId: string;
  attempts: number;
  at: Date;
  responseCode: number;
  responseExcerpt: string;
  latencyMs: number;
};

/**
 * Records successful attempts, any number in one statement, and clears the failure counters of the
 * endpoints among them that were failing. A healthy endpoint's row is neither written nor locked,
 * so the successes of one endpoint never queue behind each other.
 */
export async function recordDeliverySuccesses(trx: Tx, workspaceId: string, successes: readonly DeliverySuccess[]): Promise<void> {
  if (successes.length === 0) return;
  // One statement: the deliveries, then — only where an endpoint was failing — its counters reset.
  await sql`
    with done as (
      update webhook_deliveries d
         set status = 'succeeded', next_attempt_at = null, last_error = null, updated_at = now(),
             attempts = v.attempts, last_attempt_at = v.at, last_response_code = v.code,
             last_response_excerpt = v.excerpt, last_latency_ms = v.latency
        from (select unnest(${successes.map((success) => success.deliveryId)}::uuid[]) as id,
                     unnest(${successes.map((success) => success.attempts)}::integer[]) as attempts,
                     unnest(${successes.map((success) => success.at.toISOString())}::timestamptz[]) as at,
                     unnest(${successes.map((success) => success.responseCode)}::integer[]) as code,
                     unnest(${successes.map((success) => success.responseExcerpt)}::text[]) as excerpt,
                     unnest(${successes.map((success) => success.latencyMs)}::integer[]) as latency) v
       where d.workspace_id = ${workspaceId} and d.id = v.id
      returning d.endpoint_id)
    update webhook_endpoints e
       set consecutive_failures = 0, failing_since = null, consecutive_dead_letters = 0, circuit_open_until = null, updated_at = now()
     where e.workspace_id = ${workspaceId}
       and e.id in (select endpoint_id from done)
       and (e.consecutive_failures > 0 or e.failing_since is not null or e.consecutive_dead_letters > 0 or e.circuit_open_until is not null)`.execute(
    trx,
  );
}

export async function findDelivery(
  trx: Tx,
  workspaceId: string,
  deliveryId: string,
  options: { forUpdate?: boolean } = {},
): Promise<DeliveryRow | undefined> {
  let query = trx.selectFrom("webhook_deliveries").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", deliveryId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function updateDelivery(trx: Tx, workspaceId: string, deliveryId: string, patch: DeliveryPatch): Promise<void> {
  await trx
    .updateTable("webhook_deliveries")
    .set({ ...patch, updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", deliveryId)
    .execute();
}

export type DeliveryLogEntry = DeliveryRow & { event_type: string };

/** An endpoint's deliveries, newest first, keyset-paged by (created_at, id). */
export async function listDeliveries(
  trx: Tx,
  workspaceId: string,
  endpointId: string,
  query: { status?: DeliveryRow["status"] | undefined; limit: number; before?: { createdAt: Date; id: string } | undefined },
): Promise<DeliveryLogEntry[]> {
  let select = trx
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_events as e", (join) => join.onRef("e.workspace_id", "=", "d.workspace_id").onRef("e.id", "=", "d.event_id"))
    .selectAll("d")
    .select("e.type as event_type")
    .where("d.workspace_id", "=", workspaceId)
    .where("d.endpoint_id", "=", endpointId);
  if (query.status) select = select.where("d.status", "=", query.status);
  const before = query.before;
  if (before)
    select = select.where((eb) =>
      eb.or([eb("d.created_at", "<", before.createdAt), eb.and([eb("d.created_at", "=", before.createdAt), eb("d.id", "<", before.id)])]),
    );
  return select.orderBy("d.created_at", "desc").orderBy("d.id", "desc").limit(query.limit).execute();
}

/** Failed deliveries of an endpoint created in [since, until), oldest first (a range replay). */
export async function findFailedDeliveryIds(
  trx: Tx,
  workspaceId: string,
  endpointId: string,
  since: Date,
  until: Date,
  limit: number,
): Promise<string[]> {
  const rows = await trx
    .selectFrom("webhook_deliveries")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("endpoint_id", "=", endpointId)
    .where("status", "=", "failed")
    .where("created_at", ">=", since)
    .where("created_at", "<", until)
    .orderBy("created_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Starts a new attempt series for the given deliveries (same event, same webhook-id). */
export async function restartDeliveries(trx: Tx, workspaceId: string, deliveryIds: readonly string[], now: Date): Promise<string[]> {
  if (deliveryIds.length === 0) return [];
  const rows = await trx
    .updateTable("webhook_deliveries")
    .set({ status: "pending", attempts: 0, next_attempt_at: now, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", deliveryIds)
    .where("status", "<>", "pending")
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}

/** Personal fields of a message.received event: the content envelope, decrypted by the caller. */
export async function findMessageContent(
  trx: Tx,
  workspaceId: string,
  messageId: string,
): Promise<{ type: string; contentCiphertext: string | null } | undefined> {
  const row = await trx
    .selectFrom("messages")
    .select(["type", "content_ciphertext"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .executeTakeFirst();
  return row ? { type: row.type, contentCiphertext: row.content_ciphertext } : undefined;
}

/** Workspaces with webhook events past `cutoff` whose deliveries have all finished (ids only; migration 0036). Call it without a workspace. */
export async function listWorkspacesWithWebhookHistory(trx: Tx, cutoff: Date, limit: number): Promise<string[]> {
  const listed = await sql<{
    workspace_id: string;
  }>`select workspace_id from workspaces_with_webhook_history(${cutoff.toISOString()}::timestamptz, ${limit}::integer)`.execute(trx);
  return listed.rows.map((row) => row.workspace_id);
}

/**
 * Deletes one batch of a workspace's events older than `cutoff` with no pending delivery; their
 * deliveries and Meta-format payloads go with them (foreign keys cascade). The batch is picked
 * first, FOR UPDATE SKIP LOCKED, and deleted by id. Answers how many events went.
 */
export async function deleteWebhookHistory(trx: Tx, workspaceId: string, cutoff: Date, batchSize: number): Promise<number> {
  const picked = await trx
    .selectFrom("webhook_events as e")
    .select("e.id")
    .where("e.workspace_id", "=", workspaceId)
    .where("e.created_at", "<", cutoff)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("webhook_deliveries as d")
            .select(sql`1`.as("one"))
            .whereRef("d.workspace_id", "=", "e.workspace_id")
            .whereRef("d.event_id", "=", "e.id")
            .where("d.status", "=", "pending"),
        ),
      ),
    )
    .orderBy("e.created_at")
    .limit(batchSize)
    .forUpdate()
    .skipLocked()
    .execute();
  if (picked.length === 0) return 0;
  const deleted = await trx
    .deleteFrom("webhook_events")
    .where("workspace_id", "=", workspaceId)
    .where(
      "id",
      "in",
      picked.map((row) => row.id),
    )
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
