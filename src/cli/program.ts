import { access } from "node:fs/promises";
import { Command, Option } from "commander";
import pino from "pino";
import { startParley, type Role } from "../app.ts";
import { ConfigError, loadConfig, type Config } from "../config.ts";
import { createCoordination } from "../coordination/index.ts";
import { createMemoryCoordination } from "../coordination/memory.ts";
import { KeyProviderError, openKeyProvider, type KeyProvider } from "../crypto/key-provider.ts";
import { readPassphraseFile, runKeysExport, runKeysImport } from "./keys.ts";
import { DataDirInUseError, dataDirControlPath, openDatabase, type Database } from "../db/database.ts";
import { doctorExitCode, formatDoctorReport, runDoctor } from "../doctor/doctor.ts";
import { issueSetupToken, setupUrl } from "../identity/setup/setup-token.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import type { Services } from "../services.ts";
import { parseWorkspaceOption } from "./audit.ts";
import { openBlobStore } from "../blob/index.ts";
import { backupIdSchema } from "../backup/format.ts";
import { runBackupList, runBackupPrune, runBackupRestore, runBackupVerify } from "./backup.ts";
import { isReadOnlyCommand, needsKeyProvider, runCommand, type CommandRequest } from "./commands.ts";
import { blockAddressSchema } from "./blocks.ts";
import { planFeaturesSchema, planNameSchema, quotaSchema } from "./plans.ts";
import { planFeatures } from "../identity/plan-features.ts";
import { z } from "zod";
import { JOB_STATUSES, jobIdSchema, jobLimitSchema, jobQueueSchema, parseJobOption } from "./jobs.ts";
import { NoControlSocketError, openControlSocket, runThroughControlSocketWhenReady, type ControlSocket } from "./control.ts";

// `parley <command>`: the one program, with roles and maintenance commands. main.ts runs it;
// the docs test reads its commands to keep README.md true.

export const program = new Command("parley")
  .description("Parley — self-hosted, security-first WhatsApp Business platform")
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** `start` logs to stdout; maintenance commands keep stdout for their report (and --json). */
function logger(config: Config, stream: "stdout" | "stderr" = "stdout"): Logger {
  return createLogger({
    level: config.logLevel,
    traceIds: config.tracing !== undefined,
    ...(stream === "stderr" ? { destination: pino.destination({ fd: 2, sync: true }) } : {}),
  });
}

/** How long a command waits for a `parley start` that holds the data directory but is still starting. */
const STARTING_INSTANCE_WAIT_MS = 15_000;

async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function fail(message: string): never {
  process.stderr.write(`parley: ${message}\n`);
  process.exit(1);
}

/** The embedded data directory holds no database yet: read commands say so instead of creating one. */
async function missingEmbeddedDatabase(config: Config): Promise<string | undefined> {
  if (config.database.engine !== "pglite" || (await pathExists(config.database.dataDir))) return undefined;
  return (await pathExists(config.dataDir))
    ? `there is no database in the data directory ${config.dataDir}; \`parley start\` creates it`
    : `there is no data directory at ${config.dataDir}; \`parley start\` creates it`;
}

/**
 * Opens the key provider. A read-only command never creates the local key file: a missing one is
 * reported instead (`parley start` creates it).
 */
async function openCommandProvider(config: Config, readOnly: boolean): Promise<{ provider: KeyProvider } | { providerError: string }> {
  if (readOnly && config.keys.kind === "file" && !(await pathExists(config.keys.path))) {
    return { providerError: `there is no key file at ${config.keys.path}; \`parley start\` creates it` };
  }
  try {
    return { provider: await openKeyProvider(config.keys, { isProduction: config.isProduction }) };
  } catch (error) {
    return { providerError: error instanceof Error ? error.message : String(error) };
  }
}

/** Runs the command inside the `parley start` that holds the embedded data directory. */
async function runInRunningInstance(config: Config, busy: DataDirInUseError, request: CommandRequest): Promise<number> {
  const refusal = `Parley is running on this data directory (pid ${busy.pid}) and does not answer maintenance commands; stop it first, then run \`parley ${request.command}\` again.`;
  try {
    const code = await runThroughControlSocketWhenReady(
      dataDirControlPath(busy.dataDir),
      request,
      process.stdout,
      STARTING_INSTANCE_WAIT_MS,
    );
    process.stderr.write(`parley: run by the Parley instance running on this data directory (pid ${busy.pid}).\n`);
    return code;
  } catch (error) {
    if (error instanceof NoControlSocketError) fail(refusal);
    throw error;
  }
}

/**
 * Every command that opens the data: on a database this process opens itself, or — when
 * `parley start` holds the embedded data directory — inside that running process.
 */
async function runDataCommand(request: CommandRequest): Promise<void> {
  const config = readConfig();
  const readOnly = isReadOnlyCommand(request);
  const missing = request.command === "migrate" ? undefined : await missingEmbeddedDatabase(config);
  if (missing !== undefined && request.command !== "doctor") fail(`${missing}.`);

  let db: Database | undefined;
  if (missing === undefined) {
    try {
      db = await openDatabase(config.database);
    } catch (error) {
      if (!(error instanceof DataDirInUseError)) throw error;
      process.exitCode = await runInRunningInstance(config, error, request);
      return;
    }
  }
  // Blocks live in the coordination store: the blocks commands need the deployment's own (Redis).
  const coordination =
    request.command === "doctor" || request.command.startsWith("blocks ")
      ? createCoordination(config, logger(config, "stderr"))
      : createMemoryCoordination();
  try {
    // The job commands touch no encrypted data: they never open (or, for writes, create) the key file.
    const opened =
      request.command.startsWith("jobs ") || request.command.startsWith("blocks ") || request.command.startsWith("plans ")
        ? undefined
        : await openCommandProvider(config, readOnly);
    const provider = opened && "provider" in opened ? opened.provider : undefined;
    const providerError = opened && "providerError" in opened ? opened.providerError : undefined;
    if (!db) {
      // Only `doctor` gets here: it reports the missing database as a failed check.
      const checks = await runDoctor({
        config,
        db: undefined,
        missingDatabase: missing,
        provider,
        coordination,
        ...(providerError ? { providerError } : {}),
      });
      const json = request.command === "doctor" && request.json;
      process.stdout.write(
        json ? `${JSON.stringify({ ok: doctorExitCode(checks) === 0, checks }, null, 2)}\n` : formatDoctorReport(checks),
      );
      process.exitCode = doctorExitCode(checks);
      return;
    }
    if (!provider && needsKeyProvider(request)) fail(providerError ?? "the key provider could not be opened");
    process.exitCode = await runCommand(
      request,
      { config, db, provider, coordination, err: process.stderr, ...(providerError ? { providerError } : {}) },
      process.stdout,
    );
  } finally {
    await coordination.close();
    await db?.close();
  }
}

/**
 * On the embedded engine this process is the only one that may open the data directory: it answers
 * the maintenance commands of `parley doctor`, `parley audit verify`, ... run beside it.
 */
async function openInstanceControl(config: Config, services: Services, log: Logger): Promise<ControlSocket | undefined> {
  if (config.database.engine !== "pglite" || config.database.dataDir.startsWith("memory://")) return undefined;
  const context = { config: services.config, db: services.db, provider: services.keyring.provider, coordination: services.coordination };
  try {
    return await openControlSocket(dataDirControlPath(config.database.dataDir), (request, out) => runCommand(request, context, out), log);
  } catch (error) {
    // Serving without it is still correct: maintenance commands then refuse and say to stop Parley first.
    log.warn({ component: "control", err: error }, "maintenance commands cannot reach this instance; they will ask to stop it first");
    return undefined;
  }
}

program
  .command("start")
  .description("run Parley: the web role (API, dashboard, webhooks), the worker role (jobs), or both")
  .addOption(new Option("--role <role>", "which role to run").choices(["web", "worker", "all"]))
  .action(async (options: { role?: Role }) => {
    const config = readConfig();
    const log = logger(config);
    const parley = await startParley(config, log, options.role ?? config.roles);
    const control = await openInstanceControl(config, parley.services, log);
    const lines = [`Parley is running (${parley.services.db.engine}, ${parley.services.coordination.kind} coordination).`];
    if (parley.metricsAddress) lines.push(`  Metrics and probes on ${parley.metricsAddress} (/metrics, /livez, /readyz)`);
    if (parley.address) {
      lines.push(`  Listening on ${parley.address}`);
      const publicUrl = config.http.port === 0 ? parley.address : config.http.publicUrl;
      const issued = await issueSetupToken(parley.services.db);
      if (issued) {
        lines.push(
          "",
          "  No Owner exists yet. Open this one-time setup link to create the first Owner",
          `  (valid until ${issued.expiresAt.toISOString()}; a restart issues a new one):`,
          "",
          `  ${setupUrl(publicUrl, issued.token)}`,
        );
      }
    }
    // The banner goes to the terminal, not to the log stream: the setup link is a credential.
    process.stdout.write(`\n${lines.join("\n")}\n\n`);

    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "parley stopping");
      (control ? control.close() : Promise.resolve())
        .then(() => parley.stop())
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          log.error({ err: error }, "parley failed to stop cleanly");
          process.exit(1);
        });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });

program
  .command("migrate")
  .description("apply pending database migrations as the owner role and create the runtime role")
  .action(() => runDataCommand({ command: "migrate" }));

const keys = program.command("keys").description("key-encryption keys and workspace keys");

keys
  .command("rotate")
  .description("add a KEK version and rewrap every workspace key to it (data is not rewritten)")
  .option("--resume", "only finish an interrupted rewrap, without adding a version")
  .action((options: { resume?: boolean }) => runDataCommand({ command: "keys rotate", resume: options.resume === true }));

keys
  .command("status")
  .description("KEK versions and how many workspace keys each one wraps")
  .option("--json", "machine-readable output")
  .action((options: { json?: boolean }) => runDataCommand({ command: "keys status", json: options.json === true }));

keys
  .command("rotate-signing")
  .description("make a new JWT signing key active; the old one keeps verifying its tokens until they expire (JWKS overlap)")
  .action(() => runDataCommand({ command: "keys rotate-signing" }));

keys
  .command("export")
  .description("write every KEK version, sealed under a passphrase, to a new file (kept apart from backups)")
  .requiredOption("--out <file>", "the file to create (never overwritten)")
  .requiredOption("--passphrase-file <file>", "a file whose first line is the passphrase (16 characters or more)")
  .action((options: { out: string; passphraseFile: string }) =>
    runBackupStoreCommand(true, async ({ provider }) => {
      await runKeysExport({
        provider: provider!,
        passphrase: await readPassphraseFile(options.passphraseFile),
        path: options.out,
        out: process.stdout,
      });
      return 0;
    }),
  );

keys
  .command("import")
  .description("add the KEK versions of an export to the key file (before restoring a backup on a new machine)")
  .requiredOption("--in <file>", "the file `parley keys export` wrote")
  .requiredOption("--passphrase-file <file>", "a file whose first line is the passphrase")
  .action((options: { in: string; passphraseFile: string }) =>
    runBackupStoreCommand(false, async ({ config }) => {
      await runKeysImport({
        keys: config.keys,
        passphrase: await readPassphraseFile(options.passphraseFile),
        path: options.in,
        out: process.stdout,
      });
      return 0;
    }),
  );

const audit = program.command("audit").description("the tamper-evident audit log");

audit
  .command("verify")
  .description("recompute every audit log and its signed checkpoints; names the first bad entry; exits non-zero on tampering")
  .option("--workspace <id>", "one workspace's log (a uuid, or `platform`)")
  .option("--json", "machine-readable output")
  .action((options: { workspace?: string; json?: boolean }) =>
    runDataCommand({ command: "audit verify", json: options.json === true, ...optionalScope(parseWorkspaceOption(options.workspace)) }),
  );

audit
  .command("rotate-key")
  .description("make a new checkpoint signing key active; checkpoints signed by the old one stay verifiable")
  .action(() => runDataCommand({ command: "audit rotate-key" }));

audit
  .command("checkpoint")
  .description("sign the current head of every audit log that grew (or of one log)")
  .option("--workspace <id>", "one workspace's log (a uuid, or `platform`)")
  .action((options: { workspace?: string }) =>
    runDataCommand({ command: "audit checkpoint", ...optionalScope(parseWorkspaceOption(options.workspace)) }),
  );

audit
  .command("export-checkpoints")
  .description("print one log's signed checkpoints and the verifier keys as JSON, for an outside verifier")
  .requiredOption("--workspace <id>", "the workspace's log (a uuid, or `platform`)")
  .action((options: { workspace: string }) =>
    runDataCommand({ command: "audit export-checkpoints", workspaceId: parseWorkspaceOption(options.workspace) ?? null }),
  );

program
  .command("doctor")
  .description("check the deployment's security posture; exits non-zero when anything fails")
  .option("--json", "machine-readable output")
  .action((options: { json?: boolean }) => runDataCommand({ command: "doctor", json: options.json === true }));

const jobs = program.command("jobs").description("the job queue: what waits, runs and failed");

jobs
  .command("list")
  .description("jobs, newest first: id, queue, status, attempts, when due and the last (scrubbed) error")
  .addOption(new Option("--status <status>", "only jobs in this state").choices(JOB_STATUSES))
  .option("--queue <name>", "only jobs of this queue")
  .option("--limit <n>", "at most this many (1–1000)", "50")
  .option("--json", "machine-readable output")
  .action((options: { status?: (typeof JOB_STATUSES)[number]; queue?: string; limit: string; json?: boolean }) =>
    runDataCommand({
      command: "jobs list",
      json: options.json === true,
      limit: parseJobOption(jobLimitSchema, "--limit", options.limit),
      ...(options.status ? { status: options.status } : {}),
      ...(options.queue !== undefined ? { queue: parseJobOption(jobQueueSchema, "--queue", options.queue) } : {}),
    }),
  );

jobs
  .command("retry")
  .description("put a failed job back to pending, with fresh attempts")
  .argument("<id>", "the job's id")
  .option("--json", "machine-readable output")
  .action((id: string, options: { json?: boolean }) =>
    runDataCommand({ command: "jobs retry", json: options.json === true, jobId: parseJobOption(jobIdSchema, "job id", id) }),
  );

jobs
  .command("discard")
  .description("delete a pending or failed job (a running one is refused)")
  .argument("<id>", "the job's id")
  .option("--json", "machine-readable output")
  .action((id: string, options: { json?: boolean }) =>
    runDataCommand({ command: "jobs discard", json: options.json === true, jobId: parseJobOption(jobIdSchema, "job id", id) }),
  );

const blocks = program
  .command("blocks")
  .description("addresses blocked after repeated 401/429 answers (escalating, shared by every instance)");

blocks
  .command("list")
  .description("blocked addresses, longest block first: until when, the escalation level and the workspaces whose routes they hit")
  .option("--json", "machine-readable output")
  .action((options: { json?: boolean }) => runDataCommand({ command: "blocks list", json: options.json === true }));

blocks
  .command("unblock")
  .description("lift an address's block (audited in the platform log); its next block is longer still")
  .argument("<address>", "the IPv4 or IPv6 address")
  .option("--json", "machine-readable output")
  .action((address: string, options: { json?: boolean }) =>
    runDataCommand({
      command: "blocks unblock",
      json: options.json === true,
      address: parseJobOption(blockAddressSchema, "address", address),
    }),
  );
const plans = program
  .command("plans")
  .description("plans: the features and quotas each workspace gets (a workspace without one is on the default plan)");

plans
  .command("list")
  .description("every plan: its features, its quotas (- is no limit), whether it is the default, how many workspaces it has")
  .option("--json", "machine-readable output")
  .action((options: { json?: boolean }) => runDataCommand({ command: "plans list", json: options.json === true }));

plans
  .command("set")
  .description("create or replace a plan: the features and quotas given, every other feature off and every other quota unlimited")
  .argument("<name>", "the plan's name (lower-case letters, digits, - and _)")
  .option("--features <list>", `comma-separated: ${planFeatures.join(", ")}`, "")
  .option("--max-numbers <n>", "WhatsApp numbers (a whole number, or none)", "none")
  .option("--max-members <n>", "members, pending invitations included (a whole number, or none)", "none")
  .option("--max-contacts <n>", "contacts (a whole number, or none)", "none")
  .option("--max-broadcast-recipients <n>", "broadcast recipients per calendar month (a whole number, or none)", "none")
  .option("--default", "make it the plan of every workspace without one")
  .option("--json", "machine-readable output")
  .action(
    (
      name: string,
      options: {
        features: string;
        maxNumbers: string;
        maxMembers: string;
        maxContacts: string;
        maxBroadcastRecipients: string;
        default?: boolean;
        json?: boolean;
      },
    ) =>
      runDataCommand({
        command: "plans set",
        json: options.json === true,
        plan: {
          name: parseJobOption(planNameSchema, "name", name),
          features: parseJobOption(planFeaturesSchema, "--features", options.features),
          quotas: {
            numbers: parseJobOption(quotaSchema, "--max-numbers", options.maxNumbers),
            members: parseJobOption(quotaSchema, "--max-members", options.maxMembers),
            contacts: parseJobOption(quotaSchema, "--max-contacts", options.maxContacts),
            broadcast_recipients_per_month: parseJobOption(quotaSchema, "--max-broadcast-recipients", options.maxBroadcastRecipients),
          },
          makeDefault: options.default === true,
        },
      }),
  );

plans
  .command("assign")
  .description("put a workspace on a plan (audited in the workspace's log)")
  .argument("<workspace>", "the workspace's id")
  .argument("<plan>", "the plan's name (see `parley plans list`)")
  .option("--json", "machine-readable output")
  .action((workspace: string, plan: string, options: { json?: boolean }) =>
    runDataCommand({
      command: "plans assign",
      json: options.json === true,
      workspaceId: parseJobOption(z.uuid({ message: "a workspace id (uuid)" }), "workspace", workspace),
      plan: parseJobOption(planNameSchema, "plan", plan),
    }),
  );

/**
 * The backup commands that work on the blob store (and, for restore, on the target database they
 * open themselves). They never create a key file: a new key could not open any existing backup.
 */
async function runBackupStoreCommand(
  needsProvider: boolean,
  run: (context: { config: Config; provider: KeyProvider | undefined }) => Promise<number>,
): Promise<void> {
  const config = readConfig();
  let provider: KeyProvider | undefined;
  if (needsProvider) {
    const opened = await openCommandProvider(config, true);
    if ("providerError" in opened) fail(opened.providerError);
    provider = opened.provider;
  }
  try {
    process.exitCode = await run({ config, provider });
  } catch (error) {
    // The key commands' refusals (a short passphrase, a wrong one, a conflicting version) are messages, not crashes.
    if (error instanceof KeyProviderError) fail(error.message);
    throw error;
  }
}

function parseBackupId(id: string): string {
  const parsed = backupIdSchema.safeParse(id);
  if (!parsed.success) fail(`"${id.slice(0, 80)}" is not a backup id (see \`parley backup list\`)`);
  return parsed.data;
}

const backups = program.command("backup").description("encrypted backups of the database in the blob store");

backups
  .command("create")
  .description("take a consistent, encrypted backup of the whole database now (progress on stdout)")
  .action(() => runDataCommand({ command: "backup create" }));

backups
  .command("list")
  .description("backups in the blob store, newest first, with size, tables and rows")
  .option("--json", "machine-readable output")
  .action((options: { json?: boolean }) =>
    runBackupStoreCommand(false, async ({ config }) => {
      await runBackupList({ blobs: openBlobStore(config), out: process.stdout, json: options.json === true });
      return 0;
    }),
  );

backups
  .command("verify")
  .description("read back and authenticate every chunk of a backup against its manifest; exits non-zero on tampering or truncation")
  .argument("<id>", "the backup's id (see `parley backup list`)")
  .option("--json", "machine-readable output")
  .action((id: string, options: { json?: boolean }) =>
    runBackupStoreCommand(true, ({ config, provider }) =>
      runBackupVerify({
        blobs: openBlobStore(config),
        provider: provider!,
        id: parseBackupId(id),
        out: process.stdout,
        err: process.stderr,
        json: options.json === true,
      }),
    ),
  );

backups
  .command("restore")
  .description("restore a backup into the configured database (refused unless empty), check it, then replay the erasure ledger")
  .argument("<id>", "the backup's id (see `parley backup list`)")
  .option("--force", "replace a database that is not empty")
  .action((id: string, options: { force?: boolean }) =>
    runBackupStoreCommand(true, ({ config, provider }) =>
      runBackupRestore({
        target: config.database,
        blobs: openBlobStore(config),
        provider: provider!,
        tools: config.backup.tools,
        id: parseBackupId(id),
        force: options.force === true,
        out: process.stdout,
        err: process.stderr,
      }),
    ),
  );

backups
  .command("prune")
  .description("remove the backups the retention settings no longer keep (PARLEY_BACKUP_KEEP_*)")
  .option("--dry-run", "only say what would be removed")
  .option("--json", "machine-readable output")
  .action((options: { dryRun?: boolean; json?: boolean }) =>
    runBackupStoreCommand(false, ({ config }) =>
      runBackupPrune({
        blobs: openBlobStore(config),
        policy: config.backup.retention,
        dryRun: options.dryRun === true,
        out: process.stdout,
        json: options.json === true,
      }),
    ),
  );

function optionalScope(workspaceId: string | null | undefined): { workspaceId?: string | null } {
  return workspaceId !== undefined ? { workspaceId } : {};
}
