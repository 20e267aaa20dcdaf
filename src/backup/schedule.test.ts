import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngine, type TestDatabase } from "../../test/support/engine.ts";
import { captureLogs, createTestServices, type LogCapture } from "../../test/support/services.ts";
import { createLocalBlobStore } from "../blob/local.ts";
import type { Services } from "../services.ts";
import { listBackups, verifyBackup } from "./backup.ts";
import { runScheduledBackup } from "./schedule.ts";

// The scheduled backup job's work: a verified backup in the blob store, then a prune by the
// retention settings, logged with ids and sizes only.

let db: TestDatabase;
let dir: string;
let logs: LogCapture;
let services: Services;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "parley-backup-schedule-"));
  logs = captureLogs();
  services = createTestServices({
    db,
    logs,
    env: { PARLEY_BACKUP_KEEP_DAILY: "1", PARLEY_BACKUP_KEEP_WEEKLY: "0", PARLEY_BACKUP_KEEP_MONTHLY: "0" },
  });
  // The test database's own connection settings (pg_dump connects with them).
  services.config = { ...services.config, database: db.config };
  services.blobs = createLocalBlobStore(join(dir, "blobs"));
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe(`scheduled backups (${testEngine})`, () => {
  it("take a backup that verifies, then prune by the retention settings", async () => {
    const first = await runScheduledBackup(services);
    await expect(verifyBackup({ blobs: services.blobs!, provider: services.keyring.provider, id: first.backupId })).resolves.toMatchObject({
      id: first.backupId,
    });
    // Backup ids have one-second resolution: the second run must not share the first one's second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await runScheduledBackup(services);
    // One daily backup kept: the same day's older one goes.
    expect(second.pruned).toEqual([first.backupId]);
    expect((await listBackups(services.blobs!)).map((backup) => backup.id)).toEqual([second.backupId]);
    expect(logs.lines.filter((line) => line.includes('"backup taken"'))).toHaveLength(2);
  });
});
