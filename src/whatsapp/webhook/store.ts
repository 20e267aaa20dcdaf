import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Database } from "../../db/database.ts";
import { withoutWorkspace, withWorkspace } from "../../db/with-workspace.ts";

export const INBOUND_QUEUE = "whatsapp.inbound";
export const INBOUND_JOB_ATTEMPTS = 10;

const WEBHOOK_KEY = /^[A-Za-z0-9_-]{32,64}$/;

export type WebhookEndpoint = { workspaceId: string; numberId: string };

/**
 * Finds the workspace and number a webhook URL belongs to, before any tenant context exists. The
 * runtime role cannot read other workspaces' numbers; it may call resolve_webhook_key (migration
 * 0005), which answers an exact 256-bit key only.
 */
export async function resolveWebhookEndpoint(db: Database, webhookKey: string): Promise<WebhookEndpoint | undefined> {
  if (!WEBHOOK_KEY.test(webhookKey)) return undefined;
  const result = await withoutWorkspace(db, (trx) =>
    sql<{ workspace_id: string; number_id: string }>`select workspace_id, number_id from resolve_webhook_key(${webhookKey})`.execute(trx),
  );
  const row = result.rows[0];
  return row ? { workspaceId: row.workspace_id, numberId: row.number_id } : undefined;
}

export function inboundBodyField(workspaceId: string, eventId: string) {
  return { workspaceId, table: "inbound_events", column: "body", rowId: eventId };
}

/**
 * Stores verified deliveries of one workspace, encrypted, with the jobs that process them (one job
 * per up to 100 deliveries), in one statement that is its own transaction (ingest_inbound_events,
 * migrations 0014 and 0017): one round trip whatever the count, and it returns only after the
 * commit, so events and jobs exist before Meta's 200. Returns the events' ids, in order.
 */
export async function storeInboundEvents(
  db: Database,
  keyring: Keyring,
  workspaceId: string,
  deliveries: ReadonlyArray<{ numberId: string; rawBody: Buffer }>,
): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const ids = deliveries.map(() => randomUUID());
  let bodies = deliveries.map((delivery, index) =>
    keyring.encryptSecretIfCached(inboundBodyField(workspaceId, ids[index]!), delivery.rawBody),
  );
  if (bodies.includes(undefined)) {
    // The workspace key is not in memory yet (first delivery, or after its time in the cache).
    bodies = await withWorkspace(db, { workspaceId }, (trx) =>
      Promise.all(
        deliveries.map((delivery, index) =>
          keyring.encryptSecret(trx, inboundBodyField(workspaceId, ids[index]!), delivery.rawBody.toString("utf8")),
        ),
      ),
    );
  }
  await sql`select ingest_inbound_events(
      ${workspaceId}::uuid,
      ${ids}::uuid[],
      ${deliveries.map((delivery) => delivery.numberId)}::uuid[],
      ${bodies}::text[],
      ${deliveries.map((delivery) => delivery.rawBody.length)}::integer[],
      ${INBOUND_QUEUE}::text,
      ${INBOUND_JOB_ATTEMPTS}::integer)`.execute(db.app);
  return ids;
}
