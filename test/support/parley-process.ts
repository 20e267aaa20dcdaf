import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseConfig } from "../../src/config.ts";
import { childProcessEnv, createTestDatabaseConfig, dropTestDatabaseConfig, testEngine } from "./engine.ts";

// Running the real `parley` command in a child process, as an operator would, against a fresh
// data directory (and, in the PostgreSQL pass, a fresh database).

export type ParleyEnvironment = {
  dataDir: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
};

export async function createParleyEnvironment(extra: Record<string, string> = {}): Promise<ParleyEnvironment> {
  const dataDir = await mkdtemp(join(tmpdir(), "parley-run-"));
  const env: Record<string, string> = { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: "warn", ...extra };
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
