import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../config.ts";
import { createMemoryCoordination } from "../coordination/memory.ts";
import { openKeyProvider, type KeyProvider } from "../crypto/key-provider.ts";
import { createTestDatabase, testEngine, type TestDatabase } from "../../test/support/engine.ts";
import { doctorExitCode, formatDoctorReport, runDoctor, type DoctorCheck } from "./doctor.ts";

let db: TestDatabase;
let dir: string;
let config: Config;
let provider: KeyProvider;

function byId(checks: DoctorCheck[], id: string): DoctorCheck {
  const found = checks.find((item) => item.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "parley-doctor-"));
  config = { ...loadConfig({ PARLEY_DATA_DIR: dir }), database: db.config };
  provider = await openKeyProvider(config.keys, { isProduction: false });
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("parley doctor", () => {
  it("passes a healthy development deployment, with the embedded caveat stated", async () => {
    const checks = await runDoctor({ config, db, provider, coordination: createMemoryCoordination() });
    expect(checks.filter((item) => item.status === "fail")).toEqual([]);
    expect(doctorExitCode(checks)).toBe(0);
    expect(byId(checks, "transport").status).toBe("warn");
    expect(byId(checks, "observability").detail).toMatch(/^metrics off .*; tracing off/);
    expect(byId(checks, "embedded").detail).toMatch(testEngine === "pglite" ? /defense in depth/ : /PostgreSQL enforces RLS/);
    expect(formatDoctorReport(checks)).toMatch(/all checks passed/);
  });

  it("states where the metrics are served and whether a token guards them, never the token", async () => {
    const token = "m".repeat(40);
    const checks = await runDoctor({
      config: { ...config, metrics: { host: "127.0.0.1", port: 9464, token } },
      db,
      provider,
      coordination: createMemoryCoordination(),
    });
    expect(byId(checks, "observability")).toMatchObject({
      status: "pass",
      detail: expect.stringMatching(/^\/metrics, \/livez and \/readyz on 127\.0\.0\.1:9464, bearer token required/),
    });
    expect(JSON.stringify(checks)).not.toContain(token);
  });

  it("fails when a tenant table stops forcing RLS", async () => {
    await sql`alter table contacts no force row level security`.execute(db.owner);
    try {
      const checks = await runDoctor({ config, db, provider, coordination: createMemoryCoordination() });
      expect(byId(checks, "rls")).toMatchObject({
        status: "fail",
        detail: expect.stringMatching(/contacts: row-level security is not forced/),
      });
      expect(doctorExitCode(checks)).toBe(1);
    } finally {
      await sql`alter table contacts force row level security`.execute(db.owner);
    }
  });

  it("fails without a usable key provider, and on plain HTTP in production", async () => {
    const production: Config = { ...config, isProduction: true, env: "production" };
    const checks = await runDoctor({
      config: production,
      db,
      provider: undefined,
      providerError: "no key",
      coordination: createMemoryCoordination(),
    });
    expect(byId(checks, "key-provider")).toMatchObject({ status: "fail", detail: "no key" });
    expect(byId(checks, "transport").status).toBe("fail");
    expect(doctorExitCode(checks)).toBe(1);
  });

  it("without a database, fails the database check with the reason and marks what needs it as not checked", async () => {
    const checks = await runDoctor({
      config,
      db: undefined,
      missingDatabase: "there is no data directory at /nowhere",
      provider,
      coordination: createMemoryCoordination(),
    });
    expect(byId(checks, "database")).toMatchObject({ status: "fail", detail: "there is no data directory at /nowhere" });
    for (const id of ["migrations", "runtime-role", "rls", "embedded"]) expect(byId(checks, id).status).toBe("skip");
    expect(byId(checks, "key-provider").status).toBe("pass");
    expect(doctorExitCode(checks)).toBe(1);
    expect(formatDoctorReport(checks)).toMatch(/1 check\(s\) failed, 1 warning\(s\), 4 not checked/);
  });
});
