import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Database, Tx } from "../../db/database.ts";
import { withoutWorkspace } from "../../db/with-workspace.ts";

export const INBOUND_QUEUE = "whatsapp.inbound";
const INBOUND_JOB_ATTEMPTS = 10;

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
 * Stores a verified delivery, encrypted, and enqueues its processing in the same transaction: the
 * job exists exactly when the event does, and both exist before Meta gets its 200.
 */
export async function storeInboundEvent(
  trx: Tx,
  keyring: Keyring,
  input: { workspaceId: string; numberId: string; rawBody: Buffer },
): Promise<string> {
  const [id] = await storeInboundEvents(trx, keyring, input.workspaceId, [input]);
  return id!;
}

/** `storeInboundEvent` for many deliveries of one workspace: two statements, whatever the count. */
export async function storeInboundEvents(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  deliveries: ReadonlyArray<{ numberId: string; rawBody: Buffer }>,
): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const rows = await Promise.all(
    deliveries.map(async (delivery) => {
      const id = randomUUID();
      return {
        workspace_id: workspaceId,
        id,
        number_id: delivery.numberId,
        body_ciphertext: await keyring.encryptSecret(trx, inboundBodyField(workspaceId, id), delivery.rawBody.toString("utf8")),
        body_bytes: delivery.rawBody.length,
      };
    }),
  );
  // One statement for the events and their jobs (a data-modifying CTE): on the ingest hot path a
  // round trip to the database costs more than the rows. The jobs are what enqueueMany would write:
  // this queue, identifiers only, ten attempts.
  await trx
    .with("events", (db) => db.insertInto("inbound_events").values(rows).returning("id"))
    .insertInto("jobs")
    .columns(["queue", "payload", "max_attempts"])
    .expression((eb) =>
      eb.selectFrom("events").select([
        sql<string>`${INBOUND_QUEUE}::text`.as("queue"),
        sql<string>`jsonb_build_object('workspaceId', ${workspaceId}::text, 'eventId', events.id::text)`.as("payload"),
        sql<number>`${INBOUND_JOB_ATTEMPTS}::integer`.as("max_attempts"),
      ]),
    )
    .execute();
  return rows.map((row) => row.id);
}
