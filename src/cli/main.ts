import { Command, Option } from "commander";
import pino from "pino";
import { startParley, type Role } from "../app.ts";
import { ConfigError, loadConfig, type Config } from "../config.ts";
import { createCoordination } from "../coordination/index.ts";
import { openKeyProvider, type KeyProvider } from "../crypto/key-provider.ts";
import { createKeyring } from "../crypto/keyring.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { doctorExitCode, formatDoctorReport, runDoctor } from "../doctor/doctor.ts";
import { issueSetupToken, setupUrl } from "../features/setup/setup-token.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { parseWorkspaceOption, runAuditCheckpoint, runAuditExportCheckpoints, runAuditVerify } from "./audit.ts";
import { runKeysRotate, runKeysStatus } from "./keys.ts";

// `parley <command>`: the one program, with roles and maintenance commands.

const program = new Command("parley")
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
  return createLogger({ level: config.logLevel, ...(stream === "stderr" ? { destination: pino.destination({ fd: 2, sync: true }) } : {}) });
}

/** Opens the database for a maintenance command and always closes it. */
async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(config.database);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function withMigratedDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  return withDatabase(config, async (db) => {
    await migrate(db, { appPassword: config.database.engine === "postgres" ? config.database.appPassword : undefined });
    return fn(db);
  });
}

program
  .command("start")
  .description("run Parley: the web role (API, dashboard, webhooks), the worker role (jobs), or both")
  .addOption(new Option("--role <role>", "which role to run").choices(["web", "worker", "all"]))
  .action(async (options: { role?: Role }) => {
    const config = readConfig();
    const log = logger(config);
    const parley = await startParley(config, log, options.role ?? config.roles);
    const lines = [`Parley is running (${parley.services.db.engine}, ${parley.services.coordination.kind} coordination).`];
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
      parley
        .stop()
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
  .action(async () => {
    const config = readConfig();
    await withDatabase(config, async (db) => {
      const result = await migrate(db, { appPassword: config.database.engine === "postgres" ? config.database.appPassword : undefined });
      process.stdout.write(
        result.applied.length > 0
          ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}\n`
          : `Database is up to date (${result.alreadyApplied} migration(s)).\n`,
      );
    });
  });

const keys = program.command("keys").description("key-encryption keys and workspace keys");

async function openProvider(config: Config): Promise<KeyProvider> {
  return openKeyProvider(config.keys, { isProduction: config.isProduction });
}

keys
  .command("rotate")
  .description("add a KEK version and rewrap every workspace key to it (data is not rewritten)")
  .option("--resume", "only finish an interrupted rewrap, without adding a version")
  .action(async (options: { resume?: boolean }) => {
    const config = readConfig();
    const provider = await openProvider(config);
    await withMigratedDatabase(config, (db) => runKeysRotate({ db, keyring: createKeyring({ provider }), out: process.stdout, resume: options.resume === true }));
  });

keys
  .command("status")
  .description("KEK versions and how many workspace keys each one wraps")
  .option("--json", "machine-readable output")
  .action(async (options: { json?: boolean }) => {
    const config = readConfig();
    const provider = await openProvider(config);
    await withMigratedDatabase(config, (db) => runKeysStatus({ db, keyring: createKeyring({ provider }), out: process.stdout, json: options.json === true }));
  });

const audit = program.command("audit").description("the tamper-evident audit log");

audit
  .command("verify")
  .description("recompute every audit log and its signed checkpoints; names the first bad entry; exits non-zero on tampering")
  .option("--workspace <id>", "one workspace's log (a uuid, or `platform`)")
  .option("--json", "machine-readable output")
  .action(async (options: { workspace?: string; json?: boolean }) => {
    const config = readConfig();
    const provider = await openProvider(config);
    const workspaceId = parseWorkspaceOption(options.workspace);
    const ok = await withMigratedDatabase(config, (db) =>
      runAuditVerify({ db, provider, out: process.stdout, json: options.json === true, ...(workspaceId !== undefined ? { workspaceId } : {}) }),
    );
    process.exitCode = ok ? 0 : 1;
  });

audit
  .command("checkpoint")
  .description("sign the current head of every audit log that grew (or of one log)")
  .option("--workspace <id>", "one workspace's log (a uuid, or `platform`)")
  .action(async (options: { workspace?: string }) => {
    const config = readConfig();
    const provider = await openProvider(config);
    const workspaceId = parseWorkspaceOption(options.workspace);
    const result = await withMigratedDatabase(config, (db) =>
      runAuditCheckpoint({ db, provider, out: process.stdout, ...(workspaceId !== undefined ? { workspaceId } : {}) }),
    );
    process.exitCode = result.failed > 0 ? 1 : 0;
  });

audit
  .command("export-checkpoints")
  .description("print one log's signed checkpoints and the verifier keys as JSON, for an outside verifier")
  .requiredOption("--workspace <id>", "the workspace's log (a uuid, or `platform`)")
  .action(async (options: { workspace: string }) => {
    const config = readConfig();
    const workspaceId = parseWorkspaceOption(options.workspace) ?? null;
    await withMigratedDatabase(config, (db) => runAuditExportCheckpoints({ db, workspaceId, out: process.stdout }));
  });

program
  .command("doctor")
  .description("check the deployment's security posture; exits non-zero when anything fails")
  .option("--json", "machine-readable output")
  .action(async (options: { json?: boolean }) => {
    const config = readConfig();
    let provider: KeyProvider | undefined;
    let providerError: string | undefined;
    try {
      provider = await openProvider(config);
    } catch (error) {
      providerError = error instanceof Error ? error.message : String(error);
    }
    const coordination = createCoordination(config, logger(config, "stderr"));
    try {
      const checks = await withDatabase(config, (db) => runDoctor({ config, db, provider, coordination, ...(providerError ? { providerError } : {}) }));
      process.stdout.write(options.json ? `${JSON.stringify({ ok: doctorExitCode(checks) === 0, checks }, null, 2)}\n` : formatDoctorReport(checks));
      process.exitCode = doctorExitCode(checks);
    } finally {
      await coordination.close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
