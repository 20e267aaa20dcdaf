import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import type { DatabaseConfig } from "../config.ts";
import type { ConnectionTls } from "../transport-security.ts";

// The PostgreSQL dump and restore tools, run as child processes on the owner connection. The
// password and TLS material travel in the child's environment and in private temp files, never on
// its command line (which other local users can read in the process list).

type PostgresConfig = Extract<DatabaseConfig, { engine: "postgres" }>;

/** Where pg_dump and pg_restore are found (config: PARLEY_PG_DUMP, PARLEY_PG_RESTORE). */
export type PgTools = { pgDump: string; pgRestore: string };

export const DEFAULT_PG_TOOLS: PgTools = { pgDump: "pg_dump", pgRestore: "pg_restore" };

/** A dump or restore tool failed; the message carries its exit code and last lines of stderr. */
export class PgToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PgToolError";
  }
}

type Connection = { args: string[]; env: Record<string, string>; cleanup: () => Promise<void> };

async function connectionOf(config: PostgresConfig): Promise<Connection> {
  const url = new URL(config.ownerUrl);
  const env: Record<string, string> = {};
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  url.password = "";
  const tls = config.ownerTls;
  let dir: string | undefined;
  if (tls) {
    dir = await mkdtemp(join(tmpdir(), "parley-pgtls-"));
    Object.assign(env, await writeTlsFiles(dir, tls));
  } else {
    env.PGSSLMODE = "disable";
  }
  return { args: [`--dbname=${url.toString()}`], env, cleanup: async () => (dir ? rm(dir, { recursive: true, force: true }) : undefined) };
}

async function writeTlsFiles(dir: string, tls: ConnectionTls): Promise<Record<string, string>> {
  const env: Record<string, string> = { PGSSLMODE: tls.verify === "full" ? "verify-full" : tls.verify === "ca" ? "verify-ca" : "require" };
  const files: Array<[keyof ConnectionTls & ("ca" | "cert" | "key"), string]> = [
    ["ca", "PGSSLROOTCERT"],
    ["cert", "PGSSLCERT"],
    ["key", "PGSSLKEY"],
  ];
  for (const [field, variable] of files) {
    const pem = tls[field];
    if (!pem) continue;
    const path = join(dir, `${field}.pem`);
    await writeFile(path, pem, { mode: 0o600 });
    env[variable] = path;
  }
  return env;
}

function run(command: string, args: string[], env: Record<string, string>): { stdin: Writable; stdout: Readable; done: Promise<void> } {
  // Only what the tool needs: no secret of this process's environment reaches it. A bare command
  // name is searched in the system's default path (set PARLEY_PG_DUMP / PARLEY_PG_RESTORE otherwise).
  const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  // A tool that exits early closes its stdin: the exit code reports that, not an EPIPE.
  child.stdin.on("error", () => undefined);
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.once("error", (error) => reject(new PgToolError(`${command} could not be started: ${error.message}`)));
    child.once("close", (code) => {
      if (code === 0) resolve();
      else reject(new PgToolError(`${command} exited with code ${code}: ${stderr.trim().split("\n").slice(-5).join(" | ")}`));
    });
  });
  return { stdin: child.stdin, stdout: child.stdout, done };
}

/** pg_dump in custom format, joined to an exported snapshot; yields its output as it comes. */
export async function* pgDump(config: PostgresConfig, snapshotId: string, tools: PgTools = DEFAULT_PG_TOOLS): AsyncGenerator<Buffer> {
  const connection = await connectionOf(config);
  try {
    const child = run(tools.pgDump, ["--format=custom", "--no-password", `--snapshot=${snapshotId}`, ...connection.args], connection.env);
    child.stdin.end();
    // Keep a failure of the tool from surfacing as an unhandled rejection while we still read.
    child.done.catch(() => undefined);
    for await (const chunk of child.stdout) yield chunk as Buffer;
    await child.done;
  } finally {
    await connection.cleanup();
  }
}

/**
 * pg_restore from a custom-format dump fed chunk by chunk, in one transaction, stopping at the
 * first error. --no-owner: the restored objects belong to the configured owner role, whatever the
 * source's owner was called (grants to the runtime role are kept).
 */
export async function pgRestore(config: PostgresConfig, chunks: AsyncIterable<Buffer>, tools: PgTools = DEFAULT_PG_TOOLS): Promise<void> {
  const connection = await connectionOf(config);
  try {
    const child = run(
      tools.pgRestore,
      ["--no-password", "--exit-on-error", "--single-transaction", "--no-owner", ...connection.args],
      connection.env,
    );
    child.done.catch(() => undefined);
    child.stdout.resume();
    try {
      for await (const chunk of chunks) {
        if (!child.stdin.write(chunk)) await new Promise<void>((resolve) => child.stdin.once("drain", resolve));
      }
    } finally {
      child.stdin.end();
    }
    await child.done;
  } finally {
    await connection.cleanup();
  }
}
