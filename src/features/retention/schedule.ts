import { z } from "zod";
import { defineJob } from "../../jobs/definition.ts";
import { defineSchedule } from "../../jobs/schedule.ts";
import type { JobDependencies } from "../../services.ts";
import { applyRetentionPolicies } from "./service.ts";

// Retention policies are applied hourly, as a job (src/jobs/schedule.ts): each run is bounded by a
// time budget, and what is left waits for the next run.

export const applyRetentionJob = defineJob({
  queue: "retention.apply",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      await applyRetentionPolicies(services);
    },
});

export const applyRetentionSchedule = defineSchedule({ name: "retention.apply", every: 60 * 60_000, job: applyRetentionJob, payload: {} });
