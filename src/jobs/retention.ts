import { z } from "zod";
import { defineJob } from "./definition.ts";
import type { JobDependencies } from "../services.ts";
import { pruneFinishedJobs } from "./queue.ts";
import { defineSchedule } from "./schedule.ts";

// Succeeded jobs are history nobody reads after a while; kept forever they would only grow the
// table every claim scans around. They go PARLEY_JOB_RETENTION_DAYS after they finished (default
// 7), in bounded batches. Failed jobs are never pruned: they wait for an operator (`parley jobs`).

const DAY_MS = 24 * 60 * 60_000;

export const pruneJobsJob = defineJob({
  queue: "jobs.prune",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      const pruned = await pruneFinishedJobs(services.db, { retentionMs: services.config.jobs.retentionDays * DAY_MS });
      if (pruned > 0) services.logger.info({ component: "jobs", pruned }, "succeeded jobs past their retention deleted");
    },
});

export const pruneJobsSchedule = defineSchedule({ name: "jobs.prune", every: 60 * 60_000, job: pruneJobsJob, payload: {} });
