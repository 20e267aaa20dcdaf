import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConfig } from "../../src/config.ts";
import { childProcessEnv, createTestDatabaseConfig, dropTestDatabaseConfig, testEngine } from "../support/engine.ts";

// The maintenance commands as an operator runs them: `parley migrate`, `keys rotate|status`,
// `doctor` (readable and --json, with an exit code that gates a deploy).

let dataDir: string;
const env: Record<string, string> = {};
let database: DatabaseConfig | undefined;

function parley(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/parley.mjs", ...args], { env: { ...childProcessEnv, ...env }, cwd: process.cwd() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parley-cli-"));
  Object.assign(env, { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: "warn" });
  if (testEngine === "postgres") {
    database = await createTestDatabaseConfig();
    if (database.engine === "postgres") env.DATABASE_URL = database.ownerUrl;
  }
});
afterAll(async () => {
  if (database) await dropTestDatabaseConfig(database);
  await rm(dataDir, { recursive: true, force: true });
});

describe("parley CLI", () => {
  it("migrates, rotates keys with progress, reports status, and doctor gates on posture", async () => {
    const migrated = await parley("migrate");
    expect(migrated).toMatchObject({ code: 0, stdout: expect.stringMatching(/Applied 1 migration\(s\): 0001_foundation\.sql/) });
    expect((await parley("migrate")).stdout).toMatch(/up to date/);

    const rotated = await parley("keys", "rotate");
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/KEK version 2/);

    const status = await parley("keys", "status", "--json");
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ provider: { kind: "file", primary: 2, versions: [1, 2] } });

    const healthy = await parley("doctor", "--json");
    expect(healthy.code).toBe(0);
    const report = JSON.parse(healthy.stdout) as { ok: boolean; checks: Array<{ id: string; status: string }> };
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.id)).toEqual(
      expect.arrayContaining(["database", "migrations", "runtime-role", "rls", "key-provider", "transport", "coordination", "embedded"]),
    );

    // A key file others can read is refused: doctor fails and says why.
    await chmod(join(dataDir, "master.key"), 0o644);
    const unsafe = await parley("doctor");
    expect(unsafe.code).toBe(1);
    expect(unsafe.stdout).toMatch(/FAIL\s+Key provider configured/);

    const badConfig = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["bin/parley.mjs", "doctor"], { env: { ...childProcessEnv, ...env, PARLEY_PORT: "eighty" } });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.once("exit", (code) => resolve({ code, stderr }));
    });
    expect(badConfig.code).toBe(78);
    expect(badConfig.stderr).toMatch(/PARLEY_PORT/);
  }, 120_000);
});
