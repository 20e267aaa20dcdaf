import type { Tx } from "../../db/database.ts";

// The inbound worker's reads and writes of stored deliveries (inbound_events; stored by
// ../webhook/store.ts). Tenant-scoped: every function takes the workspace id and a transaction
// from withWorkspace. Each write counts the attempt.

/** The stored delivery, its row locked until commit, so two workers never apply it together. */
export async function lockInboundEvent(trx: Tx, workspaceId: string, eventId: string) {
  return trx
    .selectFrom("inbound_events")
    .select(["id", "number_id", "body_ciphertext", "processed_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", eventId)
    .forUpdate()
    .executeTakeFirst();
}

/** A failed attempt (its effects rolled back): the event stays unprocessed, with a reason for operators. */
export async function recordInboundFailure(trx: Tx, workspaceId: string, eventId: string, reason: string): Promise<void> {
  await trx
    .updateTable("inbound_events")
    .set((eb) => ({ attempts: eb("attempts", "+", 1), error: reason }))
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", eventId)
    .execute();
}

/** Done with, yet not applied: the body stays (encrypted) for an operator, with the reason. */
export async function markInboundUnreadable(trx: Tx, workspaceId: string, eventId: string, reason: string, at: Date): Promise<void> {
  await trx
    .updateTable("inbound_events")
    .set((eb) => ({ processed_at: at, attempts: eb("attempts", "+", 1), error: reason }))
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", eventId)
    .execute();
}

/** Applied: the raw body is dropped, its effects now live under the contacts' data keys. */
export async function markInboundProcessed(trx: Tx, workspaceId: string, eventId: string, at: Date): Promise<void> {
  await trx
    .updateTable("inbound_events")
    .set((eb) => ({ processed_at: at, body_ciphertext: null, attempts: eb("attempts", "+", 1), error: null }))
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", eventId)
    .execute();
}
