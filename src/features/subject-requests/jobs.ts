import { z } from "zod";
import { defineJob } from "../../jobs/definition.ts";
import { defineSchedule } from "../../jobs/schedule.ts";
import type { JobDependencies } from "../../services.ts";
import { expireSubjectExportsNow, runSubjectExport } from "./runner.ts";

// The typed jobs of subject exports: building one bundle (enqueued with the export's row, in the
// same transaction), and the hourly expiry that deletes bundles EXPORT_RETENTION_DAYS after they
// were made. Payloads hold ids only.

export const subjectExportJob = defineJob({
  queue: "privacy.subject_export",
  payload: z.strictObject({ workspaceId: z.uuid(), exportId: z.uuid() }),
  retry: { maxAttempts: 5 },
  createHandler:
    ({ services }: JobDependencies) =>
    async (payload) => {
      await runSubjectExport(services, payload);
    },
});

export const expireSubjectExportsJob = defineJob({
  queue: "privacy.subject_exports.expire",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      await expireSubjectExportsNow(services);
    },
});

export const expireSubjectExportsSchedule = defineSchedule({
  name: "privacy.subject_exports.expire",
  every: 60 * 60_000,
  job: expireSubjectExportsJob,
  payload: {},
});
