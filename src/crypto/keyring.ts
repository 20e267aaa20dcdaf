import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Database, Tx } from "../db/database.ts";
import { DecryptionError, KEY_BYTES, openFieldBytes, openParsedField, parseEnvelope, sealField, type FieldContext } from "./aead.ts";
import { computeBlindIndex, deriveBlindIndexKey, type BlindIndexColumn } from "./blind-index.ts";
import { createKeyCache, type KeyCacheOptions } from "./key-cache.ts";
import type { KeyProvider, KeyProviderDescription } from "./key-provider.ts";

// The key hierarchy (DESIGN §5): KEK (key provider) → workspace key (workspace_keys, wrapped by a
// KEK version) → data key per data subject (data_keys, wrapped by a workspace key). Request-path
// functions take a transaction opened by withWorkspace, so RLS decides which keys are visible;
// maintenance functions take the Database and use the owner connection.

export type DataKeySubject = "contact";

export type SubjectFieldContext = FieldContext & { dataKeyId: string };

export type ProgressCallback = (done: number, total: number) => void;

export type RewrapResult = { primary: number; total: number; rewrapped: number };

export type RotationResult = RewrapResult & { addedVersion: number | undefined };

export type KeyStatus = {
  provider: KeyProviderDescription;
  workspaces: number;
  workspaceKeys: {
    total: number;
    byKekVersion: Array<{ kekVersion: number; count: number; available: boolean }>;
    /** Workspace keys not yet wrapped by the primary KEK version (an unfinished rotation). */
    pendingRewrap: number;
  };
};

export type Keyring = {
  readonly provider: KeyProvider;
  createWorkspaceKey(trx: Tx, workspaceId: string): Promise<{ version: number }>;
  createDataKey(trx: Tx, workspaceId: string, subject: DataKeySubject): Promise<string>;
  /** `count` data keys in multi-row inserts (bulk imports); their ids, in order. */
  createDataKeys(trx: Tx, workspaceId: string, subject: DataKeySubject, count: number): Promise<string[]>;
  /** Secrets (tokens, app secrets, …) under the workspace's primary key. */
  encryptSecret(trx: Tx, context: FieldContext, plaintext: string): Promise<string>;
  /**
   * encryptSecret without a transaction, for hot paths that do not open one: the envelope when the
   * workspace's primary key is in memory, undefined when it must be loaded first (encryptSecret does).
   */
  encryptSecretIfCached(context: FieldContext, plaintext: string | Buffer): string | undefined;
  /** Personal data under the subject's data key, so shredding that key erases it everywhere. */
  encryptForSubject(trx: Tx, context: SubjectFieldContext, plaintext: string): Promise<string>;
  /** Decrypts any envelope this keyring made; the key comes from the envelope. Throws DecryptionError. */
  decrypt(trx: Tx, context: FieldContext, envelope: string): Promise<string>;
  /**
   * Unwraps the given data keys into the cache with one query, so decrypting a page of rows that
   * belong to many contacts costs one round trip instead of one per contact. Missing (shredded)
   * keys are skipped: decrypting under them still fails as it would have.
   */
  preloadDataKeys(trx: Tx, workspaceId: string, dataKeyIds: readonly string[]): Promise<void>;
  blindIndex(trx: Tx, workspaceId: string, column: BlindIndexColumn, normalizedValue: string): Promise<string>;
  /** Destroys a data key: everything encrypted under it becomes unreadable, in every copy. */
  shredDataKey(trx: Tx, workspaceId: string, dataKeyId: string): Promise<boolean>;
  rotateKek(db: Database, options?: MaintenanceOptions): Promise<RotationResult>;
  rewrapWorkspaceKeys(db: Database, options?: MaintenanceOptions): Promise<RewrapResult>;
  keyStatus(db: Database): Promise<KeyStatus>;
  clearCache(): void;
};

export type MaintenanceOptions = { onProgress?: ProgressCallback; batchSize?: number };

const DEFAULT_CACHE: KeyCacheOptions = { maxEntries: 10_000, ttlMs: 5 * 60_000 };
const WORKSPACE_KEY_ID = /^w([1-9]\d{0,8})$/;
const DATA_KEY_ID = /^d([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function createKeyring(options: { provider: KeyProvider; cache?: Partial<KeyCacheOptions> }): Keyring {
  const { provider } = options;
  // Keys are cached by workspace id. A hit skips the RLS-filtered read, which is safe because every
  // ciphertext a caller can hold was itself read through RLS, and the AAD binds it to its workspace.
  const cache = createKeyCache<Buffer>({ ...DEFAULT_CACHE, ...options.cache });
  const primaryVersions = createKeyCache<number>({ ...DEFAULT_CACHE, ...options.cache });

  async function workspaceKey(trx: Tx, workspaceId: string, version: number): Promise<Buffer> {
    const cacheKey = `w|${workspaceId}|${version}`;
    const cached = cache.get(cacheKey);
    if (cached) return cached;
    const row = await trx
      .selectFrom("workspace_keys")
      .select(["wrapped_key"])
      .where("workspace_id", "=", workspaceId)
      .where("version", "=", version)
      .executeTakeFirst();
    if (!row) throw new DecryptionError();
    const key = provider.unwrap(row.wrapped_key, workspaceKeyAad(workspaceId, version));
    cache.set(cacheKey, key);
    return key;
  }

  async function primaryWorkspaceKey(trx: Tx, workspaceId: string): Promise<{ version: number; key: Buffer }> {
    let version = primaryVersions.get(workspaceId);
    if (version === undefined) {
      const row = await trx
        .selectFrom("workspace_keys")
        .select(["version", "wrapped_key"])
        .where("workspace_id", "=", workspaceId)
        .where("is_primary", "=", true)
        .executeTakeFirst();
      if (!row) throw new Error("the workspace has no key; create it with createWorkspaceKey when creating the workspace");
      version = row.version;
      primaryVersions.set(workspaceId, version);
      const cacheKey = `w|${workspaceId}|${version}`;
      if (!cache.get(cacheKey)) cache.set(cacheKey, provider.unwrap(row.wrapped_key, workspaceKeyAad(workspaceId, version)));
    }
    return { version, key: await workspaceKey(trx, workspaceId, version) };
  }

  async function dataKey(trx: Tx, workspaceId: string, dataKeyId: string): Promise<Buffer> {
    const cacheKey = `d|${workspaceId}|${dataKeyId}`;
    const cached = cache.get(cacheKey);
    if (cached) return cached;
    const row = await trx
      .selectFrom("data_keys")
      .select(["wrapped_key", "workspace_key_version"])
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", dataKeyId)
      .executeTakeFirst();
    if (!row) throw new DecryptionError();
    const wrappingKey = await workspaceKey(trx, workspaceId, row.workspace_key_version);
    const key = openFieldBytes(wrappingKey, dataKeyContext(workspaceId, dataKeyId), row.wrapped_key);
    cache.set(cacheKey, key);
    return key;
  }

  async function createDataKeys(trx: Tx, workspaceId: string, subject: DataKeySubject, count: number): Promise<string[]> {
    const primary = await primaryWorkspaceKey(trx, workspaceId);
    const made = Array.from({ length: count }, () => ({ id: randomUUID(), key: randomBytes(KEY_BYTES) }));
    // 1,000 rows × 5 parameters stays far below PostgreSQL's 65,535 parameters per statement.
    for (let start = 0; start < made.length; start += 1_000) {
      await trx
        .insertInto("data_keys")
        .values(
          made.slice(start, start + 1_000).map(({ id, key }) => ({
            workspace_id: workspaceId,
            id,
            subject,
            workspace_key_version: primary.version,
            wrapped_key: sealField(primary.key, `w${primary.version}`, dataKeyContext(workspaceId, id), key),
          })),
        )
        .execute();
    }
    for (const { id, key } of made) cache.set(`d|${workspaceId}|${id}`, key);
    return made.map(({ id }) => id);
  }

  return {
    provider,

    async createWorkspaceKey(trx, workspaceId) {
      const version = 1;
      const key = randomBytes(KEY_BYTES);
      await trx
        .insertInto("workspace_keys")
        .values({
          workspace_id: workspaceId,
          version,
          kek_version: provider.primaryVersion(),
          wrapped_key: provider.wrap(key, workspaceKeyAad(workspaceId, version)),
          is_primary: true,
        })
        .execute();
      cache.set(`w|${workspaceId}|${version}`, key);
      primaryVersions.set(workspaceId, version);
      return { version };
    },

    async createDataKey(trx, workspaceId, subject) {
      return (await createDataKeys(trx, workspaceId, subject, 1))[0]!;
    },

    createDataKeys,

    async encryptSecret(trx, context, plaintext) {
      const primary = await primaryWorkspaceKey(trx, context.workspaceId);
      return sealField(primary.key, `w${primary.version}`, context, plaintext);
    },

    encryptSecretIfCached(context, plaintext) {
      const version = primaryVersions.get(context.workspaceId);
      if (version === undefined) return undefined;
      const key = cache.get(`w|${context.workspaceId}|${version}`);
      return key ? sealField(key, `w${version}`, context, plaintext) : undefined;
    },

    async encryptForSubject(trx, context, plaintext) {
      const { dataKeyId, ...field } = context;
      const key = await dataKey(trx, context.workspaceId, dataKeyId);
      return sealField(key, `d${dataKeyId}`, field, plaintext);
    },

    async decrypt(trx, context, envelope) {
      const parsed = parseEnvelope(envelope);
      const { keyId } = parsed;
      const workspace = WORKSPACE_KEY_ID.exec(keyId);
      const data = DATA_KEY_ID.exec(keyId);
      let key: Buffer;
      if (workspace) key = await workspaceKey(trx, context.workspaceId, Number(workspace[1]));
      else if (data) key = await dataKey(trx, context.workspaceId, data[1]!);
      else throw new DecryptionError();
      return openParsedField(key, context, parsed).toString("utf8");
    },

    async preloadDataKeys(trx, workspaceId, dataKeyIds) {
      const missing = [...new Set(dataKeyIds)].filter((id) => cache.get(`d|${workspaceId}|${id}`) === undefined);
      if (missing.length === 0) return;
      const rows = await trx
        .selectFrom("data_keys")
        .select(["id", "wrapped_key", "workspace_key_version"])
        .where("workspace_id", "=", workspaceId)
        .where("id", "in", missing)
        .execute();
      for (const row of rows) {
        const wrappingKey = await workspaceKey(trx, workspaceId, row.workspace_key_version);
        cache.set(`d|${workspaceId}|${row.id}`, openFieldBytes(wrappingKey, dataKeyContext(workspaceId, row.id), row.wrapped_key));
      }
    },

    async blindIndex(trx, workspaceId, column, normalizedValue) {
      const primary = await primaryWorkspaceKey(trx, workspaceId);
      const cacheKey = `b|${workspaceId}|${primary.version}|${column}`;
      let indexKey = cache.get(cacheKey);
      if (!indexKey) {
        indexKey = deriveBlindIndexKey(primary.key, workspaceId, column);
        cache.set(cacheKey, indexKey);
      }
      return computeBlindIndex(indexKey, normalizedValue);
    },

    async shredDataKey(trx, workspaceId, dataKeyId) {
      cache.delete(`d|${workspaceId}|${dataKeyId}`);
      const result = await trx
        .deleteFrom("data_keys")
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", dataKeyId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    rotateKek: (db, maintenance) => rotateKek(db, provider, maintenance),
    rewrapWorkspaceKeys: (db, maintenance) => rewrapWorkspaceKeys(db, provider, maintenance),
    keyStatus: (db) => keyStatus(db, provider),
    clearCache() {
      cache.clear();
      primaryVersions.clear();
    },
  };
}

/** The AAD of a wrapped workspace key: a wrap moved to another workspace or version cannot open. */
export function workspaceKeyAad(workspaceId: string, version: number): string {
  return `workspace_keys|${workspaceId}|${version}`;
}

function dataKeyContext(workspaceId: string, dataKeyId: string): FieldContext {
  return { workspaceId, table: "data_keys", column: "wrapped_key", rowId: dataKeyId };
}

// ---- maintenance (owner connection) ---------------------------------------------------------------

/**
 * `parley keys rotate`: adds a KEK version, then rewraps every workspace key under it. Data rows
 * are not touched — only the wrapping of workspace keys changes. With the env provider Parley
 * cannot add a version; when the operator already added a newer one than any in use, the rotation
 * is just the rewrap (otherwise addVersion explains what to do).
 */
export async function rotateKek(db: Database, provider: KeyProvider, options: MaintenanceOptions = {}): Promise<RotationResult> {
  let addedVersion: number | undefined;
  if (provider.kind === "env" && provider.primaryVersion() > (await highestKekVersionInUse(db))) {
    addedVersion = undefined;
  } else {
    addedVersion = await provider.addVersion();
  }
  return { addedVersion, ...(await rewrapWorkspaceKeys(db, provider, options)) };
}

/**
 * Rewraps workspace keys that are not under the primary KEK version, in batches of one short
 * transaction each. Resumable: an interrupted run leaves some keys on the old version, and the next
 * run picks up exactly those. Rows locked by a concurrent run are skipped, not waited for.
 */
export async function rewrapWorkspaceKeys(db: Database, provider: KeyProvider, options: MaintenanceOptions = {}): Promise<RewrapResult> {
  const primary = provider.primaryVersion();
  const batchSize = options.batchSize ?? 200;
  const pending = await db.owner
    .selectFrom("workspace_keys")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("kek_version", "<>", primary)
    .executeTakeFirstOrThrow();
  const total = Number(pending.count);
  let rewrapped = 0;
  options.onProgress?.(0, total);
  for (;;) {
    const done = await db.owner.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("workspace_keys")
        .select(["workspace_id", "version", "kek_version", "wrapped_key"])
        .where("kek_version", "<>", primary)
        .orderBy("workspace_id")
        .orderBy("version")
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of rows) {
        const aad = workspaceKeyAad(row.workspace_id, row.version);
        const key = provider.unwrap(row.wrapped_key, aad);
        await trx
          .updateTable("workspace_keys")
          .set({ wrapped_key: provider.wrap(key, aad), kek_version: primary, rewrapped_at: sql<Date>`now()` })
          .where("workspace_id", "=", row.workspace_id)
          .where("version", "=", row.version)
          .where("kek_version", "=", row.kek_version)
          .execute();
      }
      return rows.length;
    });
    if (done === 0) break;
    rewrapped += done;
    // Keys created under an old KEK during the run can push the count past the first estimate.
    options.onProgress?.(rewrapped, Math.max(total, rewrapped));
  }
  return { primary, total, rewrapped };
}

export async function keyStatus(db: Database, provider: KeyProvider): Promise<KeyStatus> {
  const description = provider.describe();
  const rows = await db.owner
    .selectFrom("workspace_keys")
    .select((eb) => ["kek_version", eb.fn.countAll<number>().as("count")])
    .groupBy("kek_version")
    .orderBy("kek_version")
    .execute();
  const workspaces = await db.owner
    .selectFrom("workspaces")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  const byKekVersion = rows.map((row) => ({
    kekVersion: row.kek_version,
    count: Number(row.count),
    available: description.versions.includes(row.kek_version),
  }));
  return {
    provider: description,
    workspaces: Number(workspaces.count),
    workspaceKeys: {
      total: byKekVersion.reduce((sum, row) => sum + row.count, 0),
      byKekVersion,
      pendingRewrap: byKekVersion.filter((row) => row.kekVersion !== description.primary).reduce((sum, row) => sum + row.count, 0),
    },
  };
}

async function highestKekVersionInUse(db: Database): Promise<number> {
  const row = await db.owner
    .selectFrom("workspace_keys")
    .select((eb) => eb.fn.max("kek_version").as("highest"))
    .executeTakeFirst();
  return Number(row?.highest ?? 0);
}
