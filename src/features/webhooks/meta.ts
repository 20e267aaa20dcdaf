import { randomUUID } from "node:crypto";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import { enqueueJobs } from "../../jobs/definition.ts";
import type { ReceivedChange } from "../../whatsapp/inbound/port.ts";
import type { WebhookEventType } from "./catalogue.ts";
import { payloadField } from "./meta-envelope.ts";
import { findContactIdsByWamids, findMetaEndpoints, insertMetaEventWithDeliveries } from "./repository.ts";
import { deliverWebhookJob } from "./worker.ts";

// The "meta" endpoint format: inbound WhatsApp events re-emitted in Meta's own webhook envelope,
// signed with X-Hub-Signature-256 like Meta signs, so a bot written against Meta's webhooks moves
// behind Parley unchanged. Parley drops an inbound body once it is processed, so each `messages`
// change's value is kept (encrypted, naming its contacts for erasure) in the transaction that
// processes it, only when the workspace has an enabled "meta" endpoint.
//
// What a "meta" endpoint subscribes to: `message.received` forwards values holding messages (and
// values holding neither messages nor statuses, e.g. errors only); `message.status` forwards values
// holding statuses. No other type applies to the format.

export const META_FORMAT_EVENT_TYPES = ["message.received", "message.status"] as const satisfies readonly WebhookEventType[];

type ValueShape = { messages?: unknown; statuses?: unknown };

function wamidsOf(items: unknown): string[] {
  if (!Array.isArray(items)) return [];
  return items
    .flatMap((item: unknown) =>
      item && typeof item === "object" && typeof (item as { id?: unknown }).id === "string"
        ? [(item as { id: string }).id.slice(0, 256)]
        : [],
    )
    .slice(0, 1_000);
}

/** Records the `messages` values of an inbound delivery for the workspace's "meta" endpoints; returns the delivery ids. */
export async function recordMetaValues(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  changes: readonly ReceivedChange[],
  now = new Date(),
): Promise<string[]> {
  const values = changes.filter((change) => change.field === "messages" && change.value !== null && typeof change.value === "object");
  if (values.length === 0) return [];
  const endpoints = await findMetaEndpoints(trx, workspaceId);
  if (endpoints.length === 0) return [];
  const deliveryIds: string[] = [];
  for (const change of values) {
    const value = change.value as ValueShape;
    const type: WebhookEventType =
      Array.isArray(value.statuses) && value.statuses.length > 0 && !(Array.isArray(value.messages) && value.messages.length > 0)
        ? "message.status"
        : "message.received";
    const endpointIds = endpoints.filter((endpoint) => endpoint.eventTypes.includes(type)).map((endpoint) => endpoint.id);
    if (endpointIds.length === 0) continue;
    // The contacts the value is about, so that erasing one deletes it: its messages were filed
    // earlier in this transaction, and its statuses are about messages Parley sent.
    const contactIds = await findContactIdsByWamids(trx, workspaceId, [...wamidsOf(value.messages), ...wamidsOf(value.statuses)]);
    const id = randomUUID();
    const valueCiphertext = await keyring.encryptSecret(trx, payloadField(workspaceId, id), JSON.stringify(change.value));
    deliveryIds.push(
      ...(await insertMetaEventWithDeliveries(
        trx,
        workspaceId,
        { id, wabaId: change.wabaId, valueCiphertext, contactIds, occurredAt: now },
        endpointIds,
        now,
      )),
    );
  }
  await enqueueJobs(
    trx,
    deliverWebhookJob,
    deliveryIds.map((deliveryId) => ({ workspaceId, deliveryId })),
  );
  return deliveryIds;
}
