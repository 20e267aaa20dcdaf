import { z } from "zod";
import type { Config } from "../config.ts";
import { defineJob } from "../jobs/definition.ts";
import { defineSchedule, type ScheduleDefinition } from "../jobs/schedule.ts";
import type { JobDependencies, Services } from "../services.ts";
import { createBackup, pruneBackups } from "./backup.ts";

// Scheduled backups (off by default: PARLEY_BACKUP_SCHEDULE). The schedule is a row like every
// other (src/jobs/schedule.ts), so one worker of many takes each backup; the job then prunes by the
// retention settings. A failed backup is retried by the job; it leaves no chunks behind.

export const BACKUP_QUEUE = "backups.create";

export const backupJob = defineJob({
  queue: BACKUP_QUEUE,
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      await runScheduledBackup(services);
    },
});

/** One scheduled run: a backup, then a prune by the retention settings. Logs ids and sizes only. */
export async function runScheduledBackup(services: Services): Promise<{ backupId: string; pruned: string[] }> {
  const { blobs, config, db, keyring, logger } = services;
  if (!blobs) throw new Error("no blob store configured");
  const manifest = await createBackup({ db, database: config.database, blobs, provider: keyring.provider, tools: config.backup.tools });
  const { pruned } = await pruneBackups({ blobs, policy: config.backup.retention });
  logger.info(
    { component: "backups", backupId: manifest.id, chunks: manifest.chunkCount, sealedBytes: manifest.sealedBytes, pruned: pruned.length },
    "backup taken",
  );
  return { backupId: manifest.id, pruned };
}

/** The schedules backups add: none unless enabled. */
export function backupSchedules(config: Pick<Config, "backup">): ScheduleDefinition[] {
  if (!config.backup.scheduled) return [];
  return [defineSchedule({ name: BACKUP_QUEUE, every: config.backup.everyHours * 60 * 60_000, job: backupJob, payload: {} })];
}
