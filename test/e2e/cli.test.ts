import { chmod } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createParleyEnvironment, runParley, type ParleyEnvironment } from "../support/parley-process.ts";

// The maintenance commands as an operator runs them: `parley migrate`, `keys rotate|status`,
// `doctor` (readable and --json, with an exit code that gates a deploy).

let run: ParleyEnvironment;
const parley = (...args: string[]) => runParley(run.env, ...args);

beforeAll(async () => {
  run = await createParleyEnvironment();
});
afterAll(async () => {
  await run.cleanup();
});

describe("parley CLI", () => {
  it("migrates, rotates keys with progress, reports status, and doctor gates on posture", async () => {
    const migrated = await parley("migrate");
    expect(migrated).toMatchObject({ code: 0, stdout: expect.stringMatching(/Applied \d+ migration\(s\): 0001_foundation\.sql, 0002_/) });
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
    await chmod(join(run.dataDir, "master.key"), 0o644);
    const unsafe = await parley("doctor");
    expect(unsafe.code).toBe(1);
    expect(unsafe.stdout).toMatch(/FAIL\s+Key provider configured/);

    const badConfig = await runParley({ ...run.env, PARLEY_PORT: "eighty" }, "doctor");
    expect(badConfig.code).toBe(78);
    expect(badConfig.stderr).toMatch(/PARLEY_PORT/);
  }, 120_000);
});
