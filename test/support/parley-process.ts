import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createServer } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseConfig } from "../../src/config.ts";
import { childProcessEnv, createTestDatabaseConfig, dropTestDatabaseConfig, relaxedLimitsEnv, testEngine } from "./engine.ts";

// Running the real `parley` command in a child process, as an operator would, against a fresh
// data directory (and, in the PostgreSQL pass, a fresh database).

export type ParleyEnvironment = {
  dataDir: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
};

export async function createParleyEnvironment(extra: Record<string, string> = {}): Promise<ParleyEnvironment> {
  const dataDir = await mkdtemp(join(tmpdir(), "parley-run-"));
  const env: Record<string, string> = { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: "warn", ...relaxedLimitsEnv, ...extra };
  let database: DatabaseConfig | undefined;
  if (testEngine === "postgres") {
    database = await createTestDatabaseConfig();
    if (database.engine === "postgres") env.DATABASE_URL = database.ownerUrl;
  }
  return {
    dataDir,
    env,
    cleanup: async () => {
      if (database) await dropTestDatabaseConfig(database);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type ParleyRun = { code: number | null; stdout: string; stderr: string };

/** Runs `parley <args>` to completion. */
export function runParley(env: Record<string, string>, ...args: string[]): Promise<ParleyRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/parley.mjs", ...args], { env: { ...childProcessEnv, ...env }, cwd: process.cwd() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A TCP port on 127.0.0.1 nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export type StartedParley = {
  child: ChildProcessWithoutNullStreams;
  /** Everything the process printed on stdout so far. */
  stdout: () => string;
  /** The address from "Listening on …". */
  address: string;
  /** The one-time setup link, printed with the address while no Owner exists. */
  setupUrl: string | undefined;
};

/**
 * Runs `parley start` in a child process and waits until it prints where it listens (and a moment
 * more for the setup link). Throws with the output when it exits or misses `timeoutMs`.
 */
export async function startParleyProcess(env: Record<string, string>, timeoutMs: number): Promise<StartedParley> {
  const child = spawn(process.execPath, ["bin/parley.mjs", "start"], { env: { ...childProcessEnv, ...env }, cwd: process.cwd() });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  while (!/Listening on (\S+)/.test(out)) {
    if (child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`parley exited with ${child.exitCode}:\n${err}\n${out}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`parley did not start in time:\n${err}\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    child,
    stdout: () => out,
    address: /Listening on (\S+)/.exec(out)![1]!,
    setupUrl: /(http\S+\/setup#token=[A-Za-z0-9_-]+)/.exec(out)?.[1],
  };
}
