import { readdir, readFile, rm } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import type { BlobStore } from "../blob/types.ts";
import type { DatabaseConfig } from "../config.ts";
import { DecryptionError } from "../crypto/aead.ts";
import type { KeyProvider } from "../crypto/key-provider.ts";
import { createKeyring, workspaceKeyAad } from "../crypto/keyring.ts";
import { ensureAppRole, openDatabase, type Database } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { DEFAULT_PG_TOOLS, pgDump, pgRestore, type PgTools } from "./dump.ts";
import { replayErasureLedger, type ReplayResult } from "./erasure-ledger.ts";
import {
  BACKUP_FORMAT,
  BackupIntegrityError,
  backupIdSchema,
  checkManifestMac,
  createBackupDataKey,
  createChunkDigest,
  DEFAULT_CHUNK_BYTES,
  newBackupId,
  openChunk,
  parseManifest,
  sealChunk,
  sealManifest,
  unwrapBackupDataKey,
  type BackupManifest,
} from "./format.ts";
import { countRowsUnfiltered, dropPublicSchema, listTables, sampleWorkspaceKey, withSnapshot } from "./repository.ts";
import { selectBackupsToPrune, type RetentionPolicy } from "./retention.ts";

// Encrypted backups in the blob store (`backups/<id>/`): create, list, verify, restore, prune. A
// backup is a consistent dump of the whole database — pg_dump joined to one exported snapshot on
// PostgreSQL, the data directory on PGlite — streamed through format.ts into sealed chunks, then a
// manifest written last (a backup without one is incomplete and never restored).

const PREFIX = "backups";

/** A backup cannot be used as asked: missing, for the other engine, or the target is not empty. */
export class BackupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupRefusedError";
  }
}

export type Progress = (done: number, total: number) => void;

function chunkKey(id: string, index: number): string {
  return `${PREFIX}/${id}/chunk-${String(index).padStart(7, "0")}`;
}

function manifestKey(id: string): string {
  return `${PREFIX}/${id}/manifest.json`;
}

// ---- create --------------------------------------------------------------------------------------

export type CreateBackupOptions = {
  db: Database;
  /** The same database's connection settings: pg_dump connects with them. */
  database: DatabaseConfig;
  blobs: BlobStore;
  provider: KeyProvider;
  now?: Date;
  chunkBytes?: number;
  tools?: PgTools;
  /** Bytes dumped so far, against an estimate of the total. */
  onProgress?: Progress;
};

export async function createBackup(options: CreateBackupOptions): Promise<BackupManifest> {
  const { db, blobs, provider } = options;
  const createdAt = options.now ?? new Date();
  const id = newBackupId(createdAt);
  const kekVersion = provider.primaryVersion();
  const { dataKey, wrappedKey } = createBackupDataKey(provider.backupKey(kekVersion), id, kekVersion);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let written = 0;
  try {
    return await withSnapshot(db, async (snapshot) => {
      const source = dumpSource(options, snapshot.id);
      const digest = createChunkDigest();
      let plaintextBytes = 0;
      let sealedBytes = 0;
      let pending: Buffer | undefined;
      const flush = async (plaintext: Buffer, isLast: boolean) => {
        const sealed = sealChunk(dataKey, id, written, isLast, plaintext);
        await blobs.put(chunkKey(id, written), sealed);
        digest.add(sealed);
        sealedBytes += sealed.length;
        written += 1;
      };
      let buffered: Buffer[] = [];
      let bufferedBytes = 0;
      const estimate = source.estimate;
      for await (const piece of source.chunks) {
        buffered.push(piece);
        bufferedBytes += piece.length;
        plaintextBytes += piece.length;
        options.onProgress?.(plaintextBytes, Math.max(estimate, plaintextBytes));
        while (bufferedBytes >= chunkBytes) {
          const all = Buffer.concat(buffered);
          // Hold one chunk back: only the last one is sealed as last, which is how truncation shows.
          if (pending) await flush(pending, false);
          pending = all.subarray(0, chunkBytes);
          buffered = [all.subarray(chunkBytes)];
          bufferedBytes = all.length - chunkBytes;
        }
      }
      const rest = Buffer.concat(buffered);
      if (pending && rest.length > 0) {
        await flush(pending, false);
        pending = rest;
      } else if (!pending) {
        pending = rest;
      }
      await flush(pending, true);
      options.onProgress?.(plaintextBytes, plaintextBytes);
      const manifest: BackupManifest = {
        format: BACKUP_FORMAT,
        id,
        createdAt: createdAt.toISOString(),
        engine: db.engine,
        dump: db.engine === "pglite" ? "pglite-datadir" : "pg-dump-custom",
        kekVersion,
        wrappedKey,
        chunkCount: written,
        plaintextBytes,
        sealedBytes,
        sha256: digest.hex(),
        tables: snapshot.counts,
      };
      await blobs.put(manifestKey(id), sealManifest(dataKey, manifest));
      return manifest;
    });
  } catch (error) {
    // A failed backup leaves no chunks behind (it has no manifest, so it was never usable).
    for (let index = 0; index < written; index += 1) await blobs.delete(chunkKey(id, index)).catch(() => undefined);
    throw error;
  }
}

function dumpSource(options: CreateBackupOptions, snapshotId: string | undefined): { chunks: AsyncIterable<Buffer>; estimate: number } {
  const { db, database } = options;
  if (db.engine === "pglite") {
    const client = db.pglite;
    if (!client) throw new Error("the embedded database was opened without its client; open it with openDatabase");
    return {
      estimate: 0,
      chunks: (async function* () {
        const tarball = await client.dumpDataDir("gzip");
        yield Buffer.from(await tarball.arrayBuffer());
      })(),
    };
  }
  if (database.engine !== "postgres" || snapshotId === undefined)
    throw new Error("a PostgreSQL backup needs the PostgreSQL connection settings");
  return { chunks: pgDump(database, snapshotId, options.tools ?? DEFAULT_PG_TOOLS), estimate: 0 };
}

// ---- list ----------------------------------------------------------------------------------------

export type BackupListing = {
  id: string;
  createdAt: string;
  /** False for a backup whose manifest was never written (interrupted) or does not parse. */
  complete: boolean;
  engine?: BackupManifest["engine"];
  chunkCount: number;
  sealedBytes?: number;
  tables?: number;
  rows?: number;
};

/** Backups, newest first. Reads the manifests without keys: listing proves nothing (verify does). */
export async function listBackups(blobs: BlobStore): Promise<BackupListing[]> {
  const byId = new Map<string, string[]>();
  for (const key of await blobs.list(PREFIX)) {
    const [, id, name] = key.split("/");
    if (!id || !name || !backupIdSchema.safeParse(id).success) continue;
    byId.set(id, [...(byId.get(id) ?? []), name]);
  }
  const listings: BackupListing[] = [];
  for (const [id, names] of byId) {
    const chunkCount = names.filter((name) => name.startsWith("chunk-")).length;
    const createdAt = idTime(id).toISOString();
    const bytes = names.includes("manifest.json") ? await blobs.get(manifestKey(id)) : null;
    let manifest: BackupManifest | undefined;
    try {
      manifest = bytes ? parseManifest(bytes).manifest : undefined;
    } catch {
      manifest = undefined;
    }
    listings.push(
      manifest
        ? {
            id,
            createdAt: manifest.createdAt,
            complete: true,
            engine: manifest.engine,
            chunkCount,
            sealedBytes: manifest.sealedBytes,
            tables: Object.keys(manifest.tables).length,
            rows: Object.values(manifest.tables).reduce((sum, count) => sum + count, 0),
          }
        : { id, createdAt, complete: false, chunkCount },
    );
  }
  return listings.sort((a, b) => b.id.localeCompare(a.id));
}

function idTime(id: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id)!;
  return new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
}

// ---- verify --------------------------------------------------------------------------------------

async function openManifest(blobs: BlobStore, provider: KeyProvider, id: string): Promise<{ manifest: BackupManifest; dataKey: Buffer }> {
  if (!backupIdSchema.safeParse(id).success) throw new BackupRefusedError(`"${id}" is not a backup id (see \`parley backup list\`)`);
  const bytes = await blobs.get(manifestKey(id));
  if (!bytes) {
    const hasChunks = (await blobs.list(`${PREFIX}/${id}`)).length > 0;
    throw hasChunks
      ? new BackupIntegrityError(`backup ${id} has no manifest (it was interrupted, or the manifest was removed)`)
      : new BackupRefusedError(`there is no backup ${id}`);
  }
  const sealed = parseManifest(bytes);
  if (sealed.manifest.id !== id) throw new BackupIntegrityError(`the manifest under ${id} names another backup (${sealed.manifest.id})`);
  const dataKey = unwrapBackupDataKey(provider.backupKey(sealed.manifest.kekVersion), sealed.manifest);
  checkManifestMac(dataKey, sealed);
  return { manifest: sealed.manifest, dataKey };
}

/**
 * The backup's plaintext, chunk by chunk, each authenticated before it is yielded; the whole-backup
 * digest and sizes are checked before the last chunk is handed out, so a consumer never receives
 * all of a backup that fails a check.
 */
async function* readBackup(blobs: BlobStore, manifest: BackupManifest, dataKey: Buffer, onProgress?: Progress): AsyncGenerator<Buffer> {
  const digest = createChunkDigest();
  let plaintextBytes = 0;
  let sealedBytes = 0;
  const stored = await blobs.list(`${PREFIX}/${manifest.id}`);
  const extra = stored.filter((key) => key.includes("/chunk-") && Number(key.split("/chunk-")[1]) >= manifest.chunkCount);
  if (extra.length > 0) throw new BackupIntegrityError(`backup ${manifest.id} holds chunks the manifest does not list`);
  onProgress?.(0, manifest.chunkCount);
  for (let index = 0; index < manifest.chunkCount; index += 1) {
    const sealed = await blobs.get(chunkKey(manifest.id, index));
    if (!sealed) throw new BackupIntegrityError(`chunk ${index} of ${manifest.chunkCount} is missing`);
    const isLast = index === manifest.chunkCount - 1;
    digest.add(sealed);
    sealedBytes += sealed.length;
    const plaintext = openChunk(dataKey, manifest.id, index, isLast, sealed);
    plaintextBytes += plaintext.length;
    if (isLast) {
      if (digest.hex() !== manifest.sha256) throw new BackupIntegrityError("the backup's digest does not match its manifest");
      if (plaintextBytes !== manifest.plaintextBytes || sealedBytes !== manifest.sealedBytes)
        throw new BackupIntegrityError("the backup's size does not match its manifest");
    }
    yield plaintext;
    onProgress?.(index + 1, manifest.chunkCount);
  }
}

/** Reads back and authenticates every chunk against the manifest. Throws BackupIntegrityError. */
export async function verifyBackup(options: {
  blobs: BlobStore;
  provider: KeyProvider;
  id: string;
  onProgress?: Progress;
}): Promise<BackupManifest> {
  const { manifest, dataKey } = await openManifest(options.blobs, options.provider, options.id);
  for await (const chunk of readBackup(options.blobs, manifest, dataKey, options.onProgress)) void chunk;
  return manifest;
}

// ---- restore -------------------------------------------------------------------------------------

export type RestoreOptions = {
  /** Where to restore: an empty PGlite data directory, or an empty PostgreSQL database. */
  target: DatabaseConfig;
  blobs: BlobStore;
  provider: KeyProvider;
  id: string;
  /** Replace a target that is not empty. */
  force?: boolean;
  tools?: PgTools;
  onProgress?: Progress;
  onReplayProgress?: Progress;
};

export type RestoreResult = {
  manifest: BackupManifest;
  tablesChecked: number;
  rowsChecked: number;
  sampleDecrypted: boolean;
  replay: ReplayResult;
};

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { target, blobs, provider } = options;
  const { manifest, dataKey } = await openManifest(blobs, provider, options.id);
  if (manifest.engine !== target.engine) {
    throw new BackupRefusedError(`backup ${manifest.id} is of a ${manifest.engine} database and cannot be restored into ${target.engine}`);
  }
  const chunks = readBackup(blobs, manifest, dataKey, options.onProgress);
  if (target.engine === "pglite") {
    await prepareEmbeddedTarget(target.dataDir, options.force === true);
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    const loaded = await PGlite.create(target.dataDir, { loadDataDir: new Blob([Buffer.concat(parts)]) });
    await loaded.close();
  } else {
    const db = await openDatabase(target);
    try {
      const tables = await listTables(db.owner);
      if (tables.length > 0 && options.force !== true)
        throw new BackupRefusedError(
          "the target database is not empty; restore into an empty database, or pass --force to replace its contents",
        );
      if (tables.length > 0) await dropPublicSchema(db.owner);
      // The restored grants name the runtime role: it must exist before pg_restore runs.
      await ensureAppRole(db, target.appPassword);
    } finally {
      await db.close();
    }
    await pgRestore(target, chunks, options.tools ?? DEFAULT_PG_TOOLS);
  }

  const db = await openDatabase(target);
  try {
    const counts = await countRowsUnfiltered(db, Object.keys(manifest.tables));
    const wrong = Object.entries(manifest.tables).filter(([table, count]) => counts[table] !== count);
    if (wrong.length > 0) {
      throw new BackupIntegrityError(
        `restored row counts differ from the manifest: ${wrong.map(([table, count]) => `${table} ${counts[table]} (expected ${count})`).join(", ")}`,
      );
    }
    const sampleDecrypted = await decryptSample(db, provider);
    // A backup of an older release is brought to this release's schema before anyone uses it.
    await migrate(db, { appPassword: target.engine === "postgres" ? target.appPassword : undefined });
    const replay = await replayErasureLedger({
      db,
      keyring: createKeyring({ provider }),
      blobs,
      ...(options.onReplayProgress ? { onProgress: options.onReplayProgress } : {}),
    });
    return {
      manifest,
      tablesChecked: wrong.length === 0 ? Object.keys(manifest.tables).length : 0,
      rowsChecked: Object.values(manifest.tables).reduce((sum, count) => sum + count, 0),
      sampleDecrypted,
      replay,
    };
  } finally {
    await db.close();
  }
}

/** Unwraps one workspace key: the restored data opens with this key provider (or there is none to open). */
async function decryptSample(db: Database, provider: KeyProvider): Promise<boolean> {
  const sample = await sampleWorkspaceKey(db);
  if (!sample) return false;
  try {
    provider.unwrap(sample.wrappedKey, workspaceKeyAad(sample.workspaceId, sample.version));
    return true;
  } catch (error) {
    if (error instanceof DecryptionError) {
      throw new BackupIntegrityError(
        "the restored workspace keys do not open with this key provider: import the KEKs saved with `parley keys export` first",
      );
    }
    throw error;
  }
}

async function prepareEmbeddedTarget(dataDir: string, force: boolean): Promise<void> {
  if (dataDir.startsWith("memory://")) throw new BackupRefusedError("restore needs a data directory on disk");
  const entries = await readdir(dataDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  if (entries.length === 0) return;
  if (!force)
    throw new BackupRefusedError(`the data directory ${dataDir} is not empty; restore into an empty one, or pass --force to replace it`);
  // A Parley running on it holds its lock file (src/db/database.ts): never pull the directory from under it.
  const holder = Number((await readFile(`${dataDir.replace(/[\\/]+$/, "")}.lock`, "utf8").catch(() => "")).trim());
  if (Number.isInteger(holder) && holder > 0 && isAlive(holder))
    throw new BackupRefusedError(`the data directory ${dataDir} is in use by process ${holder}; stop it first`);
  await rm(dataDir, { recursive: true, force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// ---- prune ---------------------------------------------------------------------------------------

/** An interrupted backup (no manifest) older than this is removed by prune. */
const INCOMPLETE_GRACE_MS = 24 * 60 * 60_000;

export type PruneResult = { kept: string[]; pruned: string[] };

export async function pruneBackups(options: {
  blobs: BlobStore;
  policy: RetentionPolicy;
  dryRun?: boolean;
  now?: Date;
}): Promise<PruneResult> {
  const { blobs } = options;
  const now = options.now ?? new Date();
  const listed = await listBackups(blobs);
  const complete = listed.filter((backup) => backup.complete).map((backup) => ({ ...backup, createdAt: new Date(backup.createdAt) }));
  const { keep, prune } = selectBackupsToPrune(complete, options.policy);
  const stale = listed.filter((backup) => !backup.complete && now.getTime() - new Date(backup.createdAt).getTime() > INCOMPLETE_GRACE_MS);
  const pruned = [...prune.map((backup) => backup.id), ...stale.map((backup) => backup.id)];
  if (!options.dryRun) {
    for (const id of pruned) {
      // The manifest goes first: a prune cut short leaves an incomplete backup, never a wrong one.
      await blobs.delete(manifestKey(id));
      for (const key of await blobs.list(`${PREFIX}/${id}`)) await blobs.delete(key);
    }
  }
  return { kept: keep.map((backup) => backup.id), pruned };
}
