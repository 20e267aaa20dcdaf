import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { access, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngine } from "../support/engine.ts";
import { createParleyEnvironment, runParley, startParleyProcess, type ParleyEnvironment } from "../support/parley-process.ts";

// The maintenance commands an operator runs while `npm start` serves: on the embedded engine only
// one process may open the data directory, so the running instance answers them itself; on
// PostgreSQL they open their own connections. Either way they work and the instance keeps serving.
// Read commands never create a data directory, a database or a key file.

let run: ParleyEnvironment;
let instance: ChildProcessWithoutNullStreams | undefined;
let address = "";
const parley = (...args: string[]) => runParley(run.env, ...args);
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function startInstance(): Promise<void> {
  const started = await startParleyProcess(run.env, 60_000);
  instance = started.child;
  address = started.address;
}

async function stopInstance(): Promise<number | null> {
  const child = instance;
  if (!child || child.exitCode !== null) return child?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  return exited;
}

beforeAll(async () => {
  run = await createParleyEnvironment({ PARLEY_PORT: "0" });
  await startInstance();
}, 90_000);
afterAll(async () => {
  await stopInstance();
  await run.cleanup();
});

describe("the parley CLI beside a running instance", () => {
  it("runs doctor, audit and key commands while `parley start` serves, and the instance keeps serving", async () => {
    const doctor = await parley("doctor", "--json");
    expect(doctor.stderr).not.toMatch(/in use by process/);
    expect(doctor.code).toBe(0);
    const report = JSON.parse(doctor.stdout) as { ok: boolean; checks: Array<{ id: string; status: string }> };
    expect(report.ok).toBe(true);
    expect(report.checks.find((check) => check.id === "migrations")?.status).toBe("pass");

    // A rotation beside the instance is seen by it at once: status (through the same path) says v2.
    const rotated = await parley("keys", "rotate");
    expect(rotated).toMatchObject({ code: 0, stdout: expect.stringMatching(/Added KEK version 2/) });
    const status = await parley("keys", "status", "--json");
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ provider: { kind: "file", primary: 2, versions: [1, 2] } });

    // The rotation is in the platform audit log; verify, sign and export it beside the instance.
    const verified = await parley("audit", "verify");
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringMatching(/ok\s+platform log: 1 entries/) });
    const signed = await parley("audit", "checkpoint");
    expect(signed).toMatchObject({ code: 0, stdout: expect.stringMatching(/signed platform log at size 1/) });
    const exported = await parley("audit", "export-checkpoints", "--workspace", "platform");
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ checkpoints: [{ treeSize: 1 }] });
    const json = await parley("audit", "verify", "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true });

    expect(await parley("migrate")).toMatchObject({ code: 0, stdout: expect.stringMatching(/up to date/) });

    // The JWT and checkpoint signing keys rotate beside the instance too (two more platform entries);
    // the checkpoint the old audit key signed still verifies after the stop below.
    expect(await parley("keys", "rotate-signing")).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/New signing key \S+ is active/),
    });
    expect(await parley("audit", "rotate-key")).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/New audit signing key audit-\S+/),
    });

    if (testEngine === "pglite") {
      // The embedded engine: the commands ran inside the instance, which says so on stderr.
      expect(verified.stderr).toMatch(/run by the Parley instance running on this data directory \(pid \d+\)/);
      // Its socket is open to its owner only, like the key file.
      const socket = await stat(join(run.dataDir, "db.sock"));
      expect(socket.isSocket()).toBe(true);
      expect(socket.mode & 0o077).toBe(0);
    }

    // An invalid option is refused by the CLI itself, before anything reaches the instance.
    expect((await parley("audit", "verify", "--workspace", "not-a-uuid")).code).not.toBe(0);

    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    expect((await fetch(`${address}/readyz`)).status).toBe(200);

    // After a clean stop the same commands open the data themselves, and it is intact.
    expect(await stopInstance()).toBe(0);
    const after = await parley("audit", "verify");
    expect(after).toMatchObject({ code: 0, stdout: expect.stringMatching(/ok\s+platform log: 3 entries, 1 signed checkpoints/) });
    expect(after.stderr).not.toMatch(/run by the Parley instance/);
    expect(await exists(join(run.dataDir, "db.sock"))).toBe(false);
  }, 300_000);

  it.runIf(testEngine === "pglite")(
    "refuses in one sentence, exit code 1, when the process holding the data directory does not answer",
    async () => {
      // A live process (this test runner) holds the lock and a dead socket file sits beside it.
      const dataDir = await mkdtemp(join(tmpdir(), "parley-held-"));
      try {
        await mkdir(join(dataDir, "db"));
        await writeFile(join(dataDir, "db.lock"), String(process.pid));
        await writeFile(join(dataDir, "db.sock"), "");
        const env = { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: "warn" };
        for (const args of [["doctor"], ["audit", "verify"], ["keys", "rotate"], ["migrate"]]) {
          const refused = await runParley(env, ...args);
          expect(refused.code).toBe(1);
          expect(refused.stdout).toBe("");
          expect(refused.stderr.trim()).toBe(
            `parley: Parley is running on this data directory (pid ${process.pid}) and does not answer maintenance commands; stop it first, then run \`parley ${args.join(" ")}\` again.`,
          );
        }
        expect(await readFile(join(dataDir, "db.lock"), "utf8")).toBe(String(process.pid));
        expect(await exists(join(dataDir, "master.key"))).toBe(false);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it("read commands without a data directory say there is none and create nothing", async () => {
    const parent = await mkdtemp(join(tmpdir(), "parley-none-"));
    const dataDir = join(parent, "data");
    try {
      const env = { ...run.env, PARLEY_DATA_DIR: dataDir };
      const doctor = await runParley(env, "doctor", "--json");
      expect(doctor.code).toBe(1);
      const report = JSON.parse(doctor.stdout) as { ok: boolean; checks: Array<{ id: string; status: string; detail: string }> };
      expect(report.ok).toBe(false);
      if (testEngine === "pglite") {
        expect(report.checks.find((check) => check.id === "database")).toMatchObject({
          status: "fail",
          detail: `there is no data directory at ${dataDir}; \`parley start\` creates it`,
        });
        expect(report.checks.find((check) => check.id === "migrations")?.status).toBe("skip");
      }
      expect(report.checks.find((check) => check.id === "key-provider")).toMatchObject({
        status: "fail",
        detail: expect.stringMatching(/there is no key file at/),
      });
      expect(await runParley(env, "doctor")).toMatchObject({ code: 1, stdout: expect.stringMatching(/FAIL\s+Key provider configured/) });

      // On PostgreSQL the data directory holds only the key file; exporting checkpoints needs no key.
      const readCommands = [
        ["audit", "verify"],
        ["keys", "status"],
        ...(testEngine === "pglite" ? [["audit", "export-checkpoints", "--workspace", "platform"]] : []),
      ];
      for (const args of readCommands) {
        const result = await runParley(env, ...args);
        expect(result.code, args.join(" ")).toBe(1);
        expect(result.stderr.trim().split("\n")).toHaveLength(1);
        expect(result.stderr).toMatch(
          testEngine === "pglite"
            ? /^parley: there is no data directory at .*; `parley start` creates it\.$/m
            : /^parley: there is no key file at .*; `parley start` creates it$/m,
        );
      }
      expect(await exists(dataDir)).toBe(false);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 120_000);
});
