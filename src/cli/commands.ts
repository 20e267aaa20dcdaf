import { z } from "zod";
import { openBlobStore } from "../blob/index.ts";
import type { Config } from "../config.ts";
import type { Coordination } from "../coordination/types.ts";
import type { KeyProvider } from "../crypto/key-provider.ts";
import { createKeyring } from "../crypto/keyring.ts";
import type { Database } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { doctorExitCode, formatDoctorReport, runDoctor } from "../doctor/doctor.ts";
import { runBackupCreate } from "./backup.ts";
import { runAuditCheckpoint, runAuditExportCheckpoints, runAuditRotateKey, runAuditVerify } from "./audit.ts";
import { JOB_STATUSES, jobIdSchema, jobLimitSchema, jobQueueSchema, runJobsDiscard, runJobsList, runJobsRetry } from "./jobs.ts";
import { runKeysRotate, runKeysRotateSigning, runKeysStatus } from "./keys.ts";
import { blockAddressSchema, runBlocksList, runBlocksUnblock } from "./blocks.ts";
import { planDefinitionSchema, planNameSchema, runPlansAssign, runPlansList, runPlansSet } from "./plans.ts";
import type { OutputStream } from "./progress.ts";

// The maintenance commands that open the data, as data: one request type, run either by the CLI
// on a database it opened itself or, for an embedded data directory held by `parley start`, by
// that running process on its own connection (see control.ts).

const logOption = z.uuid().nullable().optional();

export const commandRequestSchema = z.discriminatedUnion("command", [
  z.object({ command: z.literal("migrate") }),
  z.object({ command: z.literal("keys rotate"), resume: z.boolean() }),
  z.object({ command: z.literal("keys status"), json: z.boolean() }),
  z.object({ command: z.literal("keys rotate-signing") }),
  z.object({ command: z.literal("audit rotate-key") }),
  z.object({ command: z.literal("audit verify"), workspaceId: logOption, json: z.boolean() }),
  z.object({ command: z.literal("audit checkpoint"), workspaceId: logOption }),
  z.object({ command: z.literal("audit export-checkpoints"), workspaceId: z.uuid().nullable() }),
  z.object({ command: z.literal("doctor"), json: z.boolean() }),
  z.object({ command: z.literal("backup create") }),
  z.object({
    command: z.literal("jobs list"),
    json: z.boolean(),
    status: z.enum(JOB_STATUSES).optional(),
    queue: jobQueueSchema.optional(),
    limit: jobLimitSchema,
  }),
  z.object({ command: z.literal("jobs retry"), json: z.boolean(), jobId: jobIdSchema }),
  z.object({ command: z.literal("jobs discard"), json: z.boolean(), jobId: jobIdSchema }),
  z.object({ command: z.literal("blocks list"), json: z.boolean() }),
  z.object({ command: z.literal("blocks unblock"), json: z.boolean(), address: blockAddressSchema }),
  z.object({ command: z.literal("plans list"), json: z.boolean() }),
  z.object({ command: z.literal("plans set"), json: z.boolean(), plan: planDefinitionSchema }),
  z.object({ command: z.literal("plans assign"), json: z.boolean(), workspaceId: z.uuid(), plan: planNameSchema }),
]);

export type CommandRequest = z.infer<typeof commandRequestSchema>;

/** Commands that only read: they must never create a data directory, a database or a key file. */
export function isReadOnlyCommand(request: CommandRequest): boolean {
  return (
    request.command === "keys status" ||
    request.command === "audit verify" ||
    request.command === "audit export-checkpoints" ||
    request.command === "doctor" ||
    request.command === "jobs list" ||
    request.command === "blocks list" ||
    request.command === "plans list"
  );
}

/** Commands that touch no encrypted data: they run without the key provider. */
export function needsKeyProvider(request: CommandRequest): boolean {
  return (
    request.command !== "doctor" &&
    request.command !== "migrate" &&
    request.command !== "audit export-checkpoints" &&
    !request.command.startsWith("jobs ") &&
    !request.command.startsWith("blocks ") &&
    !request.command.startsWith("plans ")
  );
}

export type CommandContext = {
  config: Config;
  db: Database;
  /** Undefined when the provider could not be opened; `providerError` says why. */
  provider: KeyProvider | undefined;
  providerError?: string;
  coordination: Coordination;
  /** Where refusals go (default: `out`, e.g. through the control socket). */
  err?: OutputStream;
};

function requireProvider(context: CommandContext): KeyProvider {
  if (!context.provider) throw new Error(context.providerError ?? "the key provider could not be opened");
  return context.provider;
}

function workspaceScope(workspaceId: string | null | undefined): { workspaceId?: string | null } {
  return workspaceId !== undefined ? { workspaceId } : {};
}

async function migrateDatabase(context: CommandContext): Promise<void> {
  const { config, db } = context;
  await migrate(db, { appPassword: config.database.engine === "postgres" ? config.database.appPassword : undefined });
}

/** Runs one command against an open database; returns the process exit code. */
export async function runCommand(request: CommandRequest, context: CommandContext, out: OutputStream): Promise<number> {
  const { db } = context;
  switch (request.command) {
    case "migrate": {
      const { config } = context;
      const result = await migrate(db, { appPassword: config.database.engine === "postgres" ? config.database.appPassword : undefined });
      out.write(
        result.applied.length > 0
          ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}\n`
          : `Database is up to date (${result.alreadyApplied} migration(s)).\n`,
      );
      return 0;
    }
    case "keys rotate": {
      const keyring = createKeyring({ provider: requireProvider(context) });
      await migrateDatabase(context);
      await runKeysRotate({ db, keyring, out, resume: request.resume });
      return 0;
    }
    case "keys status": {
      const keyring = createKeyring({ provider: requireProvider(context) });
      await migrateDatabase(context);
      await runKeysStatus({ db, keyring, out, json: request.json });
      return 0;
    }
    case "keys rotate-signing": {
      const provider = requireProvider(context);
      await migrateDatabase(context);
      await runKeysRotateSigning({ db, provider, coordination: context.coordination, out });
      return 0;
    }
    case "audit rotate-key": {
      const provider = requireProvider(context);
      await migrateDatabase(context);
      await runAuditRotateKey({ db, provider, out });
      return 0;
    }
    case "audit verify": {
      const provider = requireProvider(context);
      await migrateDatabase(context);
      const ok = await runAuditVerify({ db, provider, out, json: request.json, ...workspaceScope(request.workspaceId) });
      return ok ? 0 : 1;
    }
    case "audit checkpoint": {
      const provider = requireProvider(context);
      await migrateDatabase(context);
      const result = await runAuditCheckpoint({ db, provider, out, ...workspaceScope(request.workspaceId) });
      return result.failed > 0 ? 1 : 0;
    }
    case "audit export-checkpoints": {
      await migrateDatabase(context);
      await runAuditExportCheckpoints({ db, workspaceId: request.workspaceId, out });
      return 0;
    }
    case "backup create": {
      const { config } = context;
      return runBackupCreate({
        db,
        database: config.database,
        blobs: openBlobStore(config),
        provider: requireProvider(context),
        tools: config.backup.tools,
        out,
      });
    }
    case "jobs list":
      return runJobsList({
        db,
        out,
        json: request.json,
        limit: request.limit,
        ...(request.status ? { status: request.status } : {}),
        ...(request.queue ? { queue: request.queue } : {}),
      });
    case "jobs retry":
      return runJobsRetry({ db, out, err: context.err ?? out, json: request.json, jobId: request.jobId });
    case "jobs discard":
      return runJobsDiscard({ db, out, err: context.err ?? out, json: request.json, jobId: request.jobId });
    case "blocks list":
      return runBlocksList({ coordination: context.coordination, out, json: request.json });
    case "blocks unblock":
      return runBlocksUnblock({
        coordination: context.coordination,
        db,
        out,
        err: context.err ?? out,
        json: request.json,
        address: request.address,
      });
    case "plans list":
      await migrateDatabase(context);
      return runPlansList({ db, out, json: request.json });
    case "plans set":
      await migrateDatabase(context);
      return runPlansSet({ db, out, json: request.json, plan: request.plan });
    case "plans assign":
      await migrateDatabase(context);
      return runPlansAssign({
        db,
        out,
        err: context.err ?? out,
        json: request.json,
        workspaceId: request.workspaceId,
        plan: request.plan,
      });
    case "doctor": {
      const { config, provider, coordination } = context;
      const checks = await runDoctor({
        config,
        db,
        provider,
        coordination,
        ...(context.providerError ? { providerError: context.providerError } : {}),
      });
      out.write(request.json ? `${JSON.stringify({ ok: doctorExitCode(checks) === 0, checks }, null, 2)}\n` : formatDoctorReport(checks));
      return doctorExitCode(checks);
    }
  }
}
