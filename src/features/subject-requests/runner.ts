import { recordAudit } from "../../audit/record.ts";
import { enqueueBlobDeletion } from "../../blob/deletion.ts";
import { withWorkspace, withoutWorkspace } from "../../db/with-workspace.ts";
import type { Services } from "../../services.ts";
import { sealBundle, subjectExportBlobKey } from "./bundle-cipher.ts";
import { buildSubjectBundle, BundleTooLargeError, SubjectGoneError } from "./bundle.ts";
import {
  expireSubjectExports,
  findSubjectExport,
  findSubjectRequest,
  listWorkspacesWithExpiredExports,
  markSubjectExportFailed,
  markSubjectExportReady,
  updateSubjectRequest,
} from "./repository.ts";

// The work behind the subject-export jobs (./jobs.ts): building, sealing and storing one bundle,
// and expiring bundles whose time is up. Both are idempotent: a retried or repeated run finds the
// export no longer pending, or nothing left to expire.

const OPEN_STATUSES = ["received", "in_progress"];

/** The job's work: builds, seals and stores one export, then marks it ready (or failed, for good reasons). Idempotent. */
export async function runSubjectExport(
  services: Pick<Services, "db" | "keyring" | "blobs" | "logger">,
  input: { workspaceId: string; exportId: string; now?: Date },
): Promise<"ready" | "failed" | "skipped"> {
  const { workspaceId, exportId } = input;
  const blobs = services.blobs;
  if (!blobs) throw new Error("no blob store is configured (services.blobs)");
  const pending = await withWorkspace(services.db, { workspaceId }, (trx) => findSubjectExport(trx, workspaceId, exportId));
  if (!pending || pending.status !== "pending") return "skipped";
  const fail = async (reason: string) => {
    await withWorkspace(services.db, { workspaceId }, async (trx) => {
      if (!(await markSubjectExportFailed(trx, workspaceId, exportId, reason, input.now ?? new Date()))) return;
      await recordAudit(trx, {
        workspaceId,
        actor: { type: "system", id: null },
        action: "subject_export.failed",
        target: { type: "subject_export", id: exportId },
        metadata: { requestId: pending.requestId, reason },
      });
    });
    return "failed" as const;
  };
  let built;
  try {
    built = await buildSubjectBundle(services, { workspaceId, contactId: pending.contactId, ...(input.now ? { now: input.now } : {}) });
  } catch (error) {
    if (error instanceof SubjectGoneError) return fail("contact_erased");
    if (error instanceof BundleTooLargeError) return fail("too_large");
    throw error;
  }
  const blobKey = subjectExportBlobKey(workspaceId, exportId);
  return withWorkspace(services.db, { workspaceId }, async (trx) => {
    const current = await findSubjectExport(trx, workspaceId, exportId, { lock: true });
    if (!current || current.status !== "pending") return "skipped" as const;
    const sealed = await sealBundle(trx, services.keyring, { workspaceId, exportId, blobKey, dataKeyId: built.dataKeyId }, built.zip);
    // Written before the row says ready: a crash in between leaves a sealed, unreferenced blob that
    // the next attempt overwrites, never a row pointing at nothing.
    await blobs.put(blobKey, sealed.blob);
    const at = input.now ?? new Date();
    await markSubjectExportReady(trx, workspaceId, exportId, {
      wrappedKey: sealed.wrappedKey,
      blobKey,
      sizeBytes: built.zip.length,
      fileCount: built.fileCount,
      at,
    });
    const request = await findSubjectRequest(trx, workspaceId, current.requestId, { lock: true });
    if (request && OPEN_STATUSES.includes(request.status))
      await updateSubjectRequest(trx, workspaceId, request.id, { status: "completed", completedAt: at, at });
    await recordAudit(trx, {
      workspaceId,
      actor: { type: "system", id: null },
      action: "subject_export.completed",
      target: { type: "subject_export", id: exportId },
      metadata: {
        requestId: current.requestId,
        sizeBytes: built.zip.length,
        files: built.fileCount,
        sections: Object.keys(built.bundle.sections).length,
      },
    });
    return "ready" as const;
  });
}

export const EXPIRY_MAX_WORKSPACES = 100;
export const EXPIRY_BATCH_SIZE = 200;

/** Expires the bundles whose time is up, in every workspace (bounded): rows forget key and file, the files are deleted by a job. */
export async function expireSubjectExportsNow(
  services: Pick<Services, "db" | "logger">,
  options: { now?: Date } = {},
): Promise<{ workspaces: number; expired: number }> {
  const now = options.now ?? new Date();
  const listed = await withoutWorkspace(services.db, (trx) => listWorkspacesWithExpiredExports(trx, now, EXPIRY_MAX_WORKSPACES));
  const result = { workspaces: 0, expired: 0 };
  for (const workspaceId of listed) {
    try {
      const expired = await withWorkspace(services.db, { workspaceId }, async (trx) => {
        const batch = await expireSubjectExports(trx, workspaceId, now, EXPIRY_BATCH_SIZE);
        if (batch.expired === 0) return 0;
        if (batch.blobKeys.length > 0) await enqueueBlobDeletion(trx, workspaceId, batch.blobKeys);
        await recordAudit(trx, {
          workspaceId,
          actor: { type: "system", id: null },
          action: "subject_export.expired",
          metadata: { count: batch.expired },
        });
        return batch.expired;
      });
      result.expired += expired;
      if (expired > 0) result.workspaces += 1;
    } catch (error) {
      services.logger.error(
        { err: error, component: "privacy", workspaceId },
        "could not expire a workspace's subject exports; the next run tries again",
      );
    }
  }
  if (result.expired > 0) services.logger.info({ component: "privacy", ...result }, "expired subject exports deleted");
  return result;
}
