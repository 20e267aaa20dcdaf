import {
  BackupRefusedError,
  createBackup,
  listBackups,
  pruneBackups,
  restoreBackup,
  verifyBackup,
  type BackupListing,
} from "../backup/backup.ts";
import type { PgTools } from "../backup/dump.ts";
import { BackupIntegrityError } from "../backup/format.ts";
import type { RetentionPolicy } from "../backup/retention.ts";
import type { BlobStore } from "../blob/types.ts";
import type { DatabaseConfig } from "../config.ts";
import type { KeyProvider } from "../crypto/key-provider.ts";
import type { Database } from "../db/database.ts";
import { createProgressBar, type OutputStream } from "./progress.ts";

// `parley backup create|list|verify|restore|prune`. Output names backups, sizes, tables and row
// counts only; refusals and failed checks go to `err` and give a non-zero exit code.

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

/** A refusal or a failed check: said plainly, exit code 1. Anything else is a bug and is thrown. */
function refused(error: unknown, err: OutputStream): number {
  if (error instanceof BackupRefusedError || error instanceof BackupIntegrityError) {
    err.write(`parley: ${error.message}\n`);
    return 1;
  }
  throw error;
}

export async function runBackupCreate(options: {
  db: Database;
  database: DatabaseConfig;
  blobs: BlobStore;
  provider: KeyProvider;
  tools: PgTools;
  out: OutputStream;
}): Promise<number> {
  const { out } = options;
  out.write(`Backing up the ${options.db.engine} database to the blob store (${options.blobs.kind})\n`);
  const bar = createProgressBar({ label: "Dumping (MB)", stream: out });
  let manifest;
  try {
    manifest = await createBackup({ ...options, onProgress: (done, total) => bar.update(Math.round(done / MB), Math.round(total / MB)) });
  } finally {
    bar.finish();
  }
  const rows = Object.values(manifest.tables).reduce((sum, count) => sum + count, 0);
  out.write(
    `Backup ${manifest.id}: ${manifest.chunkCount} encrypted chunk(s), ${megabytes(manifest.sealedBytes)}, ${Object.keys(manifest.tables).length} tables, ${rows} rows (backup key of KEK version ${manifest.kekVersion}).\n`,
  );
  out.write("Keys are not in backups: keep an export of them (`parley keys export`) apart from the backups.\n");
  return 0;
}

export async function runBackupList(options: { blobs: BlobStore; out: OutputStream; json?: boolean }): Promise<BackupListing[]> {
  const backups = await listBackups(options.blobs);
  if (options.json) {
    options.out.write(`${JSON.stringify(backups, null, 2)}\n`);
    return backups;
  }
  if (backups.length === 0) {
    options.out.write("No backups in the blob store. `parley backup create` takes one.\n");
    return backups;
  }
  const lines = backups.map((backup) =>
    backup.complete
      ? `${backup.id}  ${backup.createdAt}  ${backup.engine}  ${megabytes(backup.sealedBytes ?? 0)}  ${backup.tables} tables  ${backup.rows} rows`
      : `${backup.id}  ${backup.createdAt}  INCOMPLETE (no manifest; \`parley backup prune\` removes it after a day)`,
  );
  options.out.write(`${lines.join("\n")}\n`);
  return backups;
}

export async function runBackupVerify(options: {
  blobs: BlobStore;
  provider: KeyProvider;
  id: string;
  out: OutputStream;
  err: OutputStream;
  json?: boolean;
}): Promise<number> {
  const { out } = options;
  const bar = options.json ? undefined : createProgressBar({ label: "Verifying chunks", stream: out });
  try {
    const manifest = await verifyBackup({
      blobs: options.blobs,
      provider: options.provider,
      id: options.id,
      ...(bar ? { onProgress: (done: number, total: number) => bar.update(done, total) } : {}),
    });
    bar?.finish();
    out.write(
      options.json
        ? `${JSON.stringify({ ok: true, id: manifest.id, chunkCount: manifest.chunkCount, plaintextBytes: manifest.plaintextBytes, tables: manifest.tables }, null, 2)}\n`
        : `Backup ${manifest.id} is intact: ${manifest.chunkCount} chunk(s) authenticated, digest and sizes match the manifest.\n`,
    );
    return 0;
  } catch (error) {
    bar?.finish();
    if (options.json && (error instanceof BackupIntegrityError || error instanceof BackupRefusedError)) {
      out.write(`${JSON.stringify({ ok: false, id: options.id, error: error.message }, null, 2)}\n`);
      return 1;
    }
    return refused(error, options.err);
  }
}

export async function runBackupRestore(options: {
  target: DatabaseConfig;
  blobs: BlobStore;
  provider: KeyProvider;
  tools: PgTools;
  id: string;
  force: boolean;
  out: OutputStream;
  err: OutputStream;
}): Promise<number> {
  const { out } = options;
  out.write(
    `Restoring backup ${options.id} into the ${options.target.engine} database${options.force ? " (replacing its contents)" : ""}\n`,
  );
  const chunks = createProgressBar({ label: "Restoring chunks", stream: out });
  const replay = createProgressBar({ label: "Replaying erasures", stream: out });
  try {
    const result = await restoreBackup({
      target: options.target,
      blobs: options.blobs,
      provider: options.provider,
      tools: options.tools,
      id: options.id,
      force: options.force,
      onProgress: (done, total) => chunks.update(done, total),
      onReplayProgress: (done, total) => {
        chunks.finish();
        replay.update(done, total);
      },
    });
    chunks.finish();
    replay.finish();
    out.write(
      `Checked ${result.tablesChecked} tables (${result.rowsChecked} rows) against the manifest; ${result.sampleDecrypted ? "a workspace key opened with the key provider" : "no workspace key to try yet"}.\n`,
    );
    out.write(
      `Replayed ${result.replay.entries} erasure(s): ${result.replay.contactsErased} contact(s) erased again, ${result.replay.keysShredded} more data key(s) shredded.\n`,
    );
    return 0;
  } catch (error) {
    chunks.finish();
    replay.finish();
    return refused(error, options.err);
  }
}

export async function runBackupPrune(options: {
  blobs: BlobStore;
  policy: RetentionPolicy;
  dryRun: boolean;
  out: OutputStream;
  json?: boolean;
}): Promise<number> {
  const result = await pruneBackups({ blobs: options.blobs, policy: options.policy, dryRun: options.dryRun });
  if (options.json) {
    options.out.write(`${JSON.stringify({ dryRun: options.dryRun, ...result }, null, 2)}\n`);
    return 0;
  }
  const { daily, weekly, monthly } = options.policy;
  options.out.write(`Retention: newest of the last ${daily} day(s), ${weekly} week(s), ${monthly} month(s).\n`);
  options.out.write(`Keeping ${result.kept.length} backup(s).\n`);
  const verb = options.dryRun ? "Would remove" : "Removed";
  options.out.write(result.pruned.length === 0 ? "Nothing to remove.\n" : `${verb} ${result.pruned.length}: ${result.pruned.join(", ")}\n`);
  return 0;
}
