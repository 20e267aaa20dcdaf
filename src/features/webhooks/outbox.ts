import type { Tx } from "../../db/database.ts";
import { enqueueJobs } from "../../jobs/definition.ts";
import { webhookEventCatalogue, type WebhookEvent } from "./catalogue.ts";
import { findSubscribedEndpointIds, insertEventWithDeliveries } from "./repository.ts";
import { deliverWebhookJob } from "./worker.ts";

// The outbox of outbound webhooks (STYLE 13): a feature that changes something an integrator may
// subscribe to calls recordWebhookEvent with the transaction of that change. The event, a delivery
// per subscribed endpoint and the delivery jobs are written there, so they exist exactly when the
// change commits — a rolled-back change notifies nobody, and a crash after commit loses nothing.
// A workspace without a subscribed endpoint pays one indexed read per transaction and event type,
// and writes nothing.

/**
 * The subscribed endpoints per transaction and event type: a transaction that writes many events
 * (an inbound batch, thousands of statuses) asks once per type. Keyed by the transaction object, so
 * it lives exactly as long as the transaction and never outlives a change of the endpoints.
 */
const subscribedInTransaction = new WeakMap<Tx, Map<string, string[]>>();

async function subscribedEndpointIds(trx: Tx, workspaceId: string, type: WebhookEvent["type"]): Promise<string[]> {
  let byType = subscribedInTransaction.get(trx);
  if (!byType) {
    byType = new Map();
    subscribedInTransaction.set(trx, byType);
  }
  const key = `${workspaceId}|${type}`;
  let ids = byType.get(key);
  if (!ids) {
    ids = await findSubscribedEndpointIds(trx, workspaceId, type);
    byType.set(key, ids);
  }
  return ids;
}

/**
 * Records `event` for every enabled endpoint of the workspace subscribed to its type (or only for
 * `onlyEndpointId`, the test ping). The data is checked against the catalogue: identifiers only.
 */
export async function recordWebhookEvent(
  trx: Tx,
  workspaceId: string,
  event: WebhookEvent,
  options: { occurredAt?: Date; onlyEndpointId?: string; now?: Date } = {},
): Promise<string[]> {
  const now = options.now ?? new Date();
  const endpointIds = options.onlyEndpointId ? [options.onlyEndpointId] : await subscribedEndpointIds(trx, workspaceId, event.type);
  if (endpointIds.length === 0) return [];
  const data = webhookEventCatalogue[event.type].data.parse(event.data) as Record<string, unknown>;
  const { deliveryIds } = await insertEventWithDeliveries(
    trx,
    workspaceId,
    { type: event.type, data, occurredAt: options.occurredAt ?? now },
    endpointIds,
    now,
  );
  await enqueueJobs(
    trx,
    deliverWebhookJob,
    deliveryIds.map((deliveryId) => ({ workspaceId, deliveryId })),
  );
  return deliveryIds;
}
