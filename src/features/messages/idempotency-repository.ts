import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";

// The queries of the Idempotency-Key records (src/features/messages/idempotency.ts decides).
// Every function is scoped by (workspace, principal, key).

export type IdempotencyRecordKey = { workspaceId: string; principal: string; key: string };
export type IdempotencyClaimRow = {
  request_hash: string;
  state: "in_progress";
  response_status: null;
  response_body: null;
  locked_until: Date;
  expires_at: Date;
};

/** Inserts the claim; false when a record for the key exists already. */
export async function insertIdempotencyClaim(trx: Tx, scope: IdempotencyRecordKey, claim: IdempotencyClaimRow): Promise<boolean> {
  const inserted = await trx
    .insertInto("idempotency_keys")
    .values({ workspace_id: scope.workspaceId, principal: scope.principal, key: scope.key, ...claim })
    .onConflict((oc) => oc.columns(["workspace_id", "principal", "key"]).doNothing())
    .returning(["key"])
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The existing record, locked for the rest of the transaction. */
export async function lockIdempotencyRecord(trx: Tx, scope: IdempotencyRecordKey) {
  return trx
    .selectFrom("idempotency_keys")
    .select(["request_hash", "state", "response_status", "response_body", "locked_until", "expires_at"])
    .where("workspace_id", "=", scope.workspaceId)
    .where("principal", "=", scope.principal)
    .where("key", "=", scope.key)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Takes the record over: a fresh claim for an expired one, else only a new lock. */
export async function takeOverIdempotencyRecord(
  trx: Tx,
  scope: IdempotencyRecordKey,
  change: IdempotencyClaimRow | { locked_until: Date },
): Promise<void> {
  await trx
    .updateTable("idempotency_keys")
    .set(change)
    .where("workspace_id", "=", scope.workspaceId)
    .where("principal", "=", scope.principal)
    .where("key", "=", scope.key)
    .execute();
}

export async function storeIdempotencyResult(
  trx: Tx,
  scope: IdempotencyRecordKey,
  response: { status: number; body: unknown },
): Promise<void> {
  await trx
    .updateTable("idempotency_keys")
    .set({ state: "done", response_status: response.status, response_body: JSON.stringify(response.body) })
    .where("workspace_id", "=", scope.workspaceId)
    .where("principal", "=", scope.principal)
    .where("key", "=", scope.key)
    .execute();
}

export async function deleteUnfinishedIdempotencyRecord(trx: Tx, scope: IdempotencyRecordKey): Promise<void> {
  await trx
    .deleteFrom("idempotency_keys")
    .where("workspace_id", "=", scope.workspaceId)
    .where("principal", "=", scope.principal)
    .where("key", "=", scope.key)
    .where("state", "=", "in_progress")
    .execute();
}

/** Deletes expired records of every workspace through prune_idempotency_keys (a security-definer function). */
export async function pruneExpiredIdempotencyRecords(trx: Tx): Promise<number> {
  const result = await sql<{ removed: number }>`select prune_idempotency_keys() as removed`.execute(trx);
  return Number(result.rows[0]?.removed ?? 0);
}
