import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  createTestDatabaseConfig,
  dropTestDatabaseConfig,
  testEngine,
  type TestDatabase,
} from "../../test/support/engine.ts";
import { backupSchedules } from "../backup/schedule.ts";
import { createLocalBlobStore } from "../blob/local.ts";
import type { BlobStore } from "../blob/types.ts";
import { loadConfig, type DatabaseConfig } from "../config.ts";
import { openKeyProvider, type KeyProvider } from "../crypto/key-provider.ts";
import { createKeyring } from "../crypto/keyring.ts";
import { withWorkspace } from "../db/with-workspace.ts";
import { runBackupCreate, runBackupList, runBackupPrune, runBackupRestore, runBackupVerify } from "./backup.ts";
import { runKeysExport, runKeysImport } from "./keys.ts";

// The `parley backup` and `parley keys export|import` commands on the test's engine: what they
// print (progress, --json), their exit codes, and that no key material reaches the output.

let db: TestDatabase;
let dir: string;
let provider: KeyProvider;
let blobs: BlobStore;
const targets: DatabaseConfig[] = [];
const tools = { pgDump: "pg_dump", pgRestore: "pg_restore" };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-cli-backup-"));
  provider = await openKeyProvider({ kind: "file", path: join(dir, "master.key"), allowedInProduction: false }, { isProduction: false });
  blobs = createLocalBlobStore(join(dir, "blobs"));
  db = await createTestDatabase();
  const keyring = createKeyring({ provider });
  const workspaceId = randomUUID();
  await withWorkspace(db, { workspaceId }, async (trx) => {
    await trx.insertInto("workspaces").values({ id: workspaceId, name: "CLI backups", region: "local" }).execute();
    await keyring.createWorkspaceKey(trx, workspaceId);
  });
});
afterAll(async () => {
  await db?.drop();
  for (const target of targets) await dropTestDatabaseConfig(target);
  await rm(dir, { recursive: true, force: true });
});

function output() {
  const chunks: string[] = [];
  return { text: () => chunks.join(""), out: { isTTY: false, write: (chunk: string) => chunks.push(chunk) } };
}

async function emptyTarget(): Promise<DatabaseConfig> {
  const config: DatabaseConfig =
    testEngine === "pglite" ? { engine: "pglite", dataDir: join(dir, `restore-${randomUUID()}`) } : await createTestDatabaseConfig();
  targets.push(config);
  return config;
}

describe(`parley backup (${testEngine})`, () => {
  let id: string;

  it("create shows progress and a summary; list prints it as text and --json", async () => {
    const run = output();
    expect(await runBackupCreate({ db, database: db.config, blobs, provider, tools, out: run.out })).toBe(0);
    expect(run.text()).toMatch(/Dumping \(MB\) \[#+\] \d+\/\d+ 100%/);
    const summary = /Backup (\S+): (\d+) encrypted chunk\(s\), [\d.]+ MB, \d+ tables, \d+ rows \(backup key of KEK version 1\)\./.exec(
      run.text(),
    );
    expect(summary).not.toBeNull();
    id = summary![1]!;
    expect(run.text()).toContain("parley keys export");

    const text = output();
    await runBackupList({ blobs, out: text.out });
    expect(text.text()).toMatch(new RegExp(`^${id}  \\S+  ${testEngine}  [\\d.]+ MB  \\d+ tables  \\d+ rows\\n$`));
    const json = output();
    const listed = await runBackupList({ blobs, out: json.out, json: true });
    expect(JSON.parse(json.text())).toEqual(listed);
    expect(listed).toEqual([expect.objectContaining({ id, complete: true, engine: testEngine })]);
  });

  it("verify exits 0 on an intact backup and 1 (text and --json) on a tampered one", async () => {
    const ok = output();
    expect(await runBackupVerify({ blobs, provider, id, out: ok.out, err: ok.out })).toBe(0);
    expect(ok.text()).toMatch(/Verifying chunks \[#+\] \d+\/\d+ 100%/);
    expect(ok.text()).toContain(`Backup ${id} is intact`);

    const key = `backups/${id}/chunk-0000000`;
    const original = (await blobs.get(key))!;
    await blobs.put(key, original.subarray(0, original.length - 1));
    const bad = output();
    const err = output();
    expect(await runBackupVerify({ blobs, provider, id, out: bad.out, err: err.out })).toBe(1);
    expect(err.text()).toBe("parley: chunk 0 fails authentication (altered, moved or cut short)\n");
    const json = output();
    expect(await runBackupVerify({ blobs, provider, id, out: json.out, err: json.out, json: true })).toBe(1);
    expect(JSON.parse(json.text())).toEqual({ ok: false, id, error: "chunk 0 fails authentication (altered, moved or cut short)" });
    await blobs.put(key, original);

    const missing = output();
    expect(await runBackupVerify({ blobs, provider, id: "20200101T000000Z-000000", out: missing.out, err: missing.out })).toBe(1);
    expect(missing.text()).toBe("parley: there is no backup 20200101T000000Z-000000\n");
  });

  it("restore refuses a database that is not empty, and restores into an empty one with progress", async () => {
    const target = await emptyTarget();
    const run = output();
    expect(await runBackupRestore({ target, blobs, provider, tools, id, force: false, out: run.out, err: run.out })).toBe(0);
    expect(run.text()).toMatch(/Restoring chunks \[#+\] \d+\/\d+ 100%/);
    expect(run.text()).toMatch(/Checked \d+ tables \(\d+ rows\) against the manifest; a workspace key opened with the key provider\./);
    expect(run.text()).toContain("Replayed 0 erasure(s)");

    const again = output();
    expect(await runBackupRestore({ target, blobs, provider, tools, id, force: false, out: again.out, err: again.out })).toBe(1);
    expect(again.text()).toMatch(/is not empty; restore into an empty/);
  });

  it("prune reports what it keeps and removes, and --json", async () => {
    const dry = output();
    await runBackupPrune({ blobs, policy: { daily: 7, weekly: 4, monthly: 12 }, dryRun: true, out: dry.out });
    expect(dry.text()).toBe("Retention: newest of the last 7 day(s), 4 week(s), 12 month(s).\nKeeping 1 backup(s).\nNothing to remove.\n");
    const json = output();
    await runBackupPrune({ blobs, policy: { daily: 7, weekly: 4, monthly: 12 }, dryRun: false, out: json.out, json: true });
    expect(JSON.parse(json.text())).toEqual({ dryRun: false, kept: [id], pruned: [] });
  });

  it("scheduled backups are off by default and follow PARLEY_BACKUP_EVERY_HOURS when enabled", () => {
    expect(backupSchedules(loadConfig({ PARLEY_ENV: "test" }))).toEqual([]);
    const [schedule] = backupSchedules(loadConfig({ PARLEY_ENV: "test", PARLEY_BACKUP_SCHEDULE: "true", PARLEY_BACKUP_EVERY_HOURS: "6" }));
    expect(schedule).toMatchObject({ name: "backups.create", queue: "backups.create", everyMs: 6 * 60 * 60_000 });
    expect(loadConfig({ PARLEY_ENV: "test" }).backup.retention).toEqual({ daily: 7, weekly: 4, monthly: 12 });
  });
});

describe("parley keys export and import", () => {
  it("exports every KEK version sealed under the passphrase, and imports them into a new key file", async () => {
    await provider.addVersion();
    const path = join(dir, "kek-export.json");
    const run = output();
    expect(await runKeysExport({ provider, passphrase: "correct horse battery staple", path, out: run.out })).toEqual([1, 2]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const keyFile = JSON.parse(await readFile(join(dir, "master.key"), "utf8")) as { keys: Array<{ key: string }> };
    const exported = await readFile(path, "utf8");
    for (const entry of keyFile.keys) {
      expect(exported).not.toContain(entry.key);
      expect(run.text()).not.toContain(entry.key);
    }
    // Never overwritten.
    await expect(runKeysExport({ provider, passphrase: "correct horse battery staple", path, out: output().out })).rejects.toThrow(
      /EEXIST/,
    );
    await expect(runKeysExport({ provider, passphrase: "short", path: join(dir, "other.json"), out: output().out })).rejects.toThrow(
      /at least 16 characters/,
    );

    const newKeyFile = join(dir, "new", "master.key");
    const keys = { kind: "file" as const, path: newKeyFile, allowedInProduction: false };
    await expect(runKeysImport({ keys, passphrase: "wrong horse battery staple", path, out: output().out })).rejects.toThrow(
      /does not open with this passphrase/,
    );
    const imported = output();
    expect(await runKeysImport({ keys, passphrase: "correct horse battery staple", path, out: imported.out })).toEqual([1, 2]);
    expect(imported.text()).toBe(`Added KEK version(s) 1, 2 to key file ${newKeyFile}.\n`);
    // The imported provider opens the backup taken under the original one.
    const restoredProvider = await openKeyProvider(keys, { isProduction: false });
    expect(restoredProvider.backupKey(1).equals(provider.backupKey(1))).toBe(true);
    expect(
      await runBackupVerify({
        blobs,
        provider: restoredProvider,
        id: (await runBackupList({ blobs, out: output().out }))[0]!.id,
        out: output().out,
        err: output().out,
      }),
    ).toBe(0);
    expect(await runKeysImport({ keys, passphrase: "correct horse battery staple", path, out: output().out })).toEqual([]);

    // A key file holding another key under the same version is never overwritten.
    const conflicting = join(dir, "conflict.key");
    await openKeyProvider({ kind: "file", path: conflicting, allowedInProduction: false }, { isProduction: false });
    await expect(
      runKeysImport({ keys: { ...keys, path: conflicting }, passphrase: "correct horse battery staple", path, out: output().out }),
    ).rejects.toThrow(/already holds a different KEK version 1/);
    await expect(
      runKeysImport({ keys: { kind: "env", value: "x" }, passphrase: "correct horse battery staple", path, out: output().out }),
    ).rejects.toThrow(/PARLEY_MASTER_KEY is set/);
    await writeFile(join(dir, "not-an-export.json"), "{}");
    await expect(
      runKeysImport({ keys, passphrase: "correct horse battery staple", path: join(dir, "not-an-export.json"), out: output().out }),
    ).rejects.toThrow(/not a Parley key export/);
  });
});
