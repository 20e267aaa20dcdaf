import { enqueueBlobDeletion } from "../../../blob/deletion.ts";
import { withWorkspace, withoutWorkspace } from "../../../db/with-workspace.ts";
import type { Services } from "../../../services.ts";
import { z } from "zod";
import { defineJob } from "../../../jobs/definition.ts";
import type { JobDependencies } from "../../../services.ts";
import { defineSchedule } from "../../../jobs/schedule.ts";
import { deleteExpiredUploads, listWorkspacesWithExpiredUploads } from "./repository.ts";

// Uploads that were never sent do not stay forever. A file a member uploaded for a conversation
// (./upload.ts) and never sent is deleted — its `media_uploads` row, and its sealed blob through a
// `blobs.delete` job enqueued in the same transaction (outbox, src/blob/deletion.ts) — once it is
// older than PARLEY_UPLOAD_RETENTION_DAYS (default 30: media uploaded to Meta lives 30 days too,
// reference/cloud-api.md §9). A sent upload is never touched: its blob is the message's media.
//
// A schedule runs the sweep every ten minutes, as a job (below; src/jobs/schedule.ts). Which
// workspaces have expired uploads comes from one SECURITY DEFINER function that answers ids only
// (migration 0015); each workspace is then swept in its own transaction as the runtime role under
// RLS, and blob deletion is confined to that workspace's keys. Each run is bounded (workspaces ×
// uploads per workspace); what is left waits for the next run. Rows are taken FOR UPDATE SKIP
// LOCKED, so two workers sweeping at once, or a send claiming the upload at that moment, never
// clash: an upload being sent is skipped, and a claim that comes after the sweep finds no upload.

/** Workspaces swept per run, and uploads deleted per workspace per run. */
export const SWEEP_MAX_WORKSPACES = 50;
export const SWEEP_BATCH_SIZE = 200;

const DAY_MS = 24 * 60 * 60 * 1000;

export type UploadSweepResult = { workspaces: number; deleted: number };

/** Deletes one batch of a workspace's expired, unsent uploads and enqueues the deletion of their files. Answers how many went. */
export async function sweepWorkspaceUploads(
  services: Pick<Services, "db">,
  workspaceId: string,
  cutoff: Date,
  batchSize = SWEEP_BATCH_SIZE,
): Promise<number> {
  return withWorkspace(services.db, { workspaceId }, async (trx) => {
    const blobKeys = await deleteExpiredUploads(trx, workspaceId, cutoff, batchSize);
    if (blobKeys.length > 0) await enqueueBlobDeletion(trx, workspaceId, blobKeys);
    return blobKeys.length;
  });
}

/**
 * One bounded sweep of every workspace's expired, unsent uploads. `now` is for tests; retention
 * comes from the config. A workspace that fails is logged and left for the next run.
 */
export async function sweepExpiredUploads(
  services: Pick<Services, "db" | "config" | "logger">,
  options: { now?: Date; maxWorkspaces?: number; batchSize?: number } = {},
): Promise<UploadSweepResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - services.config.media.uploadRetentionDays * DAY_MS);
  const maxWorkspaces = options.maxWorkspaces ?? SWEEP_MAX_WORKSPACES;
  const listed = await withoutWorkspace(services.db, (trx) => listWorkspacesWithExpiredUploads(trx, cutoff, maxWorkspaces));
  const result: UploadSweepResult = { workspaces: 0, deleted: 0 };
  for (const workspaceId of listed) {
    try {
      const deleted = await sweepWorkspaceUploads(services, workspaceId, cutoff, options.batchSize);
      result.deleted += deleted;
      if (deleted > 0) result.workspaces += 1;
    } catch (error) {
      services.logger.error(
        { err: error, component: "media", workspaceId },
        "could not delete a workspace's expired uploads; the next sweep tries again",
      );
    }
  }
  if (result.deleted > 0)
    services.logger.info({ component: "media", workspaces: result.workspaces, deleted: result.deleted }, "expired unsent uploads deleted");
  return result;
}

export const sweepExpiredUploadsJob = defineJob({
  queue: "whatsapp.media.uploads.sweep",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      await sweepExpiredUploads(services);
    },
});

export const sweepExpiredUploadsSchedule = defineSchedule({
  name: "whatsapp.media.uploads.sweep",
  every: 10 * 60_000,
  job: sweepExpiredUploadsJob,
  payload: {},
});
