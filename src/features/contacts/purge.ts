import { z } from "zod";
import { recordAudit } from "../../audit/record.ts";
import { withWorkspace, withoutWorkspace } from "../../db/with-workspace.ts";
import { defineJob } from "../../jobs/definition.ts";
import { defineSchedule } from "../../jobs/schedule.ts";
import type { JobDependencies, Services } from "../../services.ts";
import { appendErasure } from "../../backup/erasure-ledger.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";
import { eraseContact, findContactDataKeyId, findContactsDueForPurge, listWorkspacesWithPurgeDue, recordErasure } from "./repository.ts";

// The trash purge: a contact whose 30 days in the trash ended is erased exactly like an erasure on
// request (crypto-shredded, rows and media gone, ./repository.ts eraseContact), with a PII-free
// `erasures` row (reason trash_purge) and an audit entry by the system. Which workspaces have
// contacts due comes from one SECURITY DEFINER function that answers ids only (migration 0026);
// each workspace is then purged as the runtime role under RLS.
//
// Bounded and resumable: a run takes at most PURGE_MAX_WORKSPACES workspaces and PURGE_BATCH_SIZE
// contacts per workspace, each contact in its own transaction, so a crash mid-way loses at most the
// contact in progress (its transaction rolls back whole) and the next run continues with what is
// left. Idempotent: a contact already erased is no longer found, and its erasure row is unique.
// Rows are claimed FOR UPDATE SKIP LOCKED, so two workers never erase the same contact.

export const PURGE_MAX_WORKSPACES = 50;
export const PURGE_BATCH_SIZE = 100;

export type PurgeResult = { workspaces: number; erased: number };

/** Erases up to `batchSize` of a workspace's contacts whose trash period ended by `now`. Answers how many. */
export async function purgeWorkspaceTrash(
  services: Pick<Services, "db" | "keyring" | "blobs">,
  workspaceId: string,
  now: Date,
  batchSize = PURGE_BATCH_SIZE,
): Promise<number> {
  let erased = 0;
  for (let index = 0; index < batchSize; index += 1) {
    const done = await withWorkspace(services.db, { workspaceId }, async (trx) => {
      const [contactId] = await findContactsDueForPurge(trx, workspaceId, now, 1);
      if (contactId === undefined) return undefined;
      const dataKeyId = await findContactDataKeyId(trx, workspaceId, contactId);
      if (dataKeyId === undefined || !(await eraseContact(trx, services.keyring, workspaceId, contactId))) return false;
      await recordErasure(trx, workspaceId, { contactId, reason: "trash_purge", requestedByUserId: null, at: now });
      await recordAudit(trx, {
        workspaceId,
        actor: { type: "system", id: null },
        action: "contact.erased",
        target: { type: "contact", id: contactId },
        metadata: { reason: "trash_purge" },
      });
      await recordWebhookEvent(trx, workspaceId, { type: "contact.erased", data: { workspaceId, contactId, at: now.toISOString() } });
      return { contactId, dataKeyId };
    });
    if (done === undefined) break;
    if (done === false) continue;
    erased += 1;
    // The erasure ledger outside the backups (src/backup/erasure-ledger.ts), as for an erasure on
    // request: a restored backup replays it. A failed append stops the run (logged by the caller);
    // the contact is already erased, so the next run does not find it again.
    if (services.blobs)
      await appendErasure(services.blobs, {
        workspaceId,
        contactId: done.contactId,
        dataKeyId: done.dataKeyId,
        erasedAt: now.toISOString(),
      });
  }
  return erased;
}

/** One bounded purge of every workspace's expired trash. `now` is for tests. A workspace that fails is logged and left for the next run. */
export async function purgeExpiredTrash(
  services: Pick<Services, "db" | "keyring" | "logger" | "blobs">,
  options: { now?: Date; maxWorkspaces?: number; batchSize?: number } = {},
): Promise<PurgeResult> {
  const now = options.now ?? new Date();
  const listed = await withoutWorkspace(services.db, (trx) =>
    listWorkspacesWithPurgeDue(trx, now, options.maxWorkspaces ?? PURGE_MAX_WORKSPACES),
  );
  const result: PurgeResult = { workspaces: 0, erased: 0 };
  for (const workspaceId of listed) {
    try {
      const erased = await purgeWorkspaceTrash(services, workspaceId, now, options.batchSize);
      result.erased += erased;
      if (erased > 0) result.workspaces += 1;
    } catch (error) {
      services.logger.error(
        { err: error, component: "contacts", workspaceId },
        "could not purge a workspace's trash; the next run tries again",
      );
    }
  }
  if (result.erased > 0) services.logger.info({ component: "contacts", ...result }, "contacts past their trash period erased");
  return result;
}

export const purgeTrashJob = defineJob({
  queue: "contacts.trash.purge",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      await purgeExpiredTrash(services);
    },
});

export const purgeTrashSchedule = defineSchedule({ name: "contacts.trash.purge", every: 60 * 60_000, job: purgeTrashJob, payload: {} });
