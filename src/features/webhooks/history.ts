import { z } from "zod";
import { withWorkspace, withoutWorkspace } from "../../db/with-workspace.ts";
import { defineJob } from "../../jobs/definition.ts";
import { defineSchedule } from "../../jobs/schedule.ts";
import type { JobDependencies, Services } from "../../services.ts";
import { deleteWebhookHistory, listWorkspacesWithWebhookHistory } from "./repository.ts";

// The outbox and delivery log do not grow without bound. An event older than
// PARLEY_WEBHOOK_RETENTION_DAYS (default 30) whose deliveries have all finished — succeeded, or
// failed as dead letters that were not replayed in that time — is deleted with its deliveries and
// its Meta-format payload. An event with a delivery still pending (retrying, or waiting behind an
// open circuit) is kept until that delivery ends.
//
// A schedule runs the sweep hourly as a job. Which workspaces have such events comes from one
// SECURITY DEFINER function answering ids only (migration 0036); each workspace is pruned in its own
// transaction as the runtime role under RLS. A run is bounded (workspaces × batches × batch size);
// what is left waits for the next run.

export const HISTORY_MAX_WORKSPACES = 50;
export const HISTORY_BATCH_SIZE = 1_000;
export const HISTORY_BATCHES_PER_WORKSPACE = 10;

const DAY_MS = 24 * 60 * 60 * 1000;

export type HistorySweepResult = { workspaces: number; deleted: number };

/**
 * One bounded sweep of every workspace's finished webhook history older than the retention. `now`
 * is for tests. A workspace that fails is logged and left for the next run.
 */
export async function pruneWebhookHistory(
  services: Pick<Services, "db" | "config" | "logger">,
  options: { now?: Date; maxWorkspaces?: number; batchSize?: number; batchesPerWorkspace?: number } = {},
): Promise<HistorySweepResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - services.config.outboundWebhooks.retentionDays * DAY_MS);
  const batchSize = options.batchSize ?? HISTORY_BATCH_SIZE;
  const batches = options.batchesPerWorkspace ?? HISTORY_BATCHES_PER_WORKSPACE;
  const listed = await withoutWorkspace(services.db, (trx) =>
    listWorkspacesWithWebhookHistory(trx, cutoff, options.maxWorkspaces ?? HISTORY_MAX_WORKSPACES),
  );
  const result: HistorySweepResult = { workspaces: 0, deleted: 0 };
  for (const workspaceId of listed) {
    try {
      let deletedHere = 0;
      for (let batch = 0; batch < batches; batch += 1) {
        const deleted = await withWorkspace(services.db, { workspaceId }, (trx) =>
          deleteWebhookHistory(trx, workspaceId, cutoff, batchSize),
        );
        deletedHere += deleted;
        if (deleted < batchSize) break;
      }
      result.deleted += deletedHere;
      if (deletedHere > 0) result.workspaces += 1;
    } catch (error) {
      services.logger.error(
        { err: error, component: "webhooks", workspaceId },
        "could not prune a workspace's webhook history; the next sweep tries again",
      );
    }
  }
  if (result.deleted > 0)
    services.logger.info({ component: "webhooks", workspaces: result.workspaces, deleted: result.deleted }, "old webhook events pruned");
  return result;
}

export const pruneWebhookHistoryJob = defineJob({
  queue: "webhooks.history.prune",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      await pruneWebhookHistory(services);
    },
});

export const pruneWebhookHistorySchedule = defineSchedule({
  name: "webhooks.history.prune",
  every: 60 * 60_000,
  job: pruneWebhookHistoryJob,
  payload: {},
});
