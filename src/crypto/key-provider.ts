import { hkdfSync, randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { link, mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { KeyProviderConfig } from "../config.ts";
import { decodeBase64Url, decryptAesGcm, DecryptionError, encryptAesGcm, KEY_BYTES, NONCE_BYTES, TAG_BYTES } from "./aead.ts";

// The KEK port (DESIGN §3, §5): versioned key-encryption keys that wrap workspace keys. The
// embedded adapters keep the KEKs in a local file or in PARLEY_MASTER_KEY; production adapters
// (Vault Transit, KMS) implement the same type later.

export type KeyProviderKind = "file" | "env";

export type KeyProviderDescription = {
  kind: KeyProviderKind;
  versions: number[];
  primary: number;
  location?: string;
};

export type KeyProvider = {
  kind: KeyProviderKind;
  /** The version new wraps use (the highest). */
  primaryVersion(): number;
  versions(): number[];
  /** Wraps key material under the primary KEK; `aad` binds it to its owner (e.g. workspace + version). */
  wrap(plaintext: Buffer, aad: string): string;
  /** Throws DecryptionError on a bad wrap, KeyProviderError when the KEK version is unknown. */
  unwrap(wrapped: string, aad: string): Buffer;
  /**
   * The backup key of a KEK version: derived (HKDF, its own label) so that backups never use a data
   * KEK itself, yet need nothing beyond the KEKs `parley keys export` already saves. Throws
   * KeyProviderError when the version is unknown.
   */
  backupKey(version: number): Buffer;
  /** Every KEK version's key material, for `parley keys export` only (which wraps it at once). */
  exportVersions(): Array<{ version: number; key: Buffer }>;
  /** Adds a new random KEK version and makes it primary. */
  addVersion(): Promise<number>;
  describe(): KeyProviderDescription;
};

/** A key provider that cannot be used as configured. The message says what the operator must do. */
export class KeyProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyProviderError";
  }
}

const WRAP_PREFIX = "kek1";
const FILE_FORMAT = "parley-kek-file-v1";
const ENV_LOCATION = "PARLEY_MASTER_KEY";

type KekSet = Map<number, Buffer>;

export async function openKeyProvider(config: KeyProviderConfig, options: { isProduction: boolean }): Promise<KeyProvider> {
  if (config.kind === "env") return createEnvKeyProvider(config.value);
  if (options.isProduction && !config.allowedInProduction) {
    throw new KeyProviderError(
      "the local key file is refused in production; set PARLEY_MASTER_KEY (or a KMS provider), or accept the file explicitly with PARLEY_ALLOW_KEY_FILE=true",
    );
  }
  return openFileKeyProvider(config.path);
}

// ---- env adapter ---------------------------------------------------------------------------------

/**
 * PARLEY_MASTER_KEY: base64 of 32 bytes (version 1), or `<version>:<base64>,…` (highest = primary).
 * Throws KeyProviderError without echoing any part of the value.
 */
export function parseMasterKey(value: string): KekSet {
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const keys: KekSet = new Map();
  if (entries.length === 1 && !entries[0]!.includes(":")) {
    keys.set(1, decodeKek(entries[0]!, "PARLEY_MASTER_KEY"));
    return keys;
  }
  if (entries.length === 0) throw new KeyProviderError("PARLEY_MASTER_KEY is empty");
  for (const [index, entry] of entries.entries()) {
    const match = /^(\d{1,6}):(.+)$/.exec(entry);
    if (!match) {
      throw new KeyProviderError(`PARLEY_MASTER_KEY entry ${index + 1} must look like <version>:<base64 of 32 bytes>`);
    }
    const version = Number(match[1]);
    if (version < 1) throw new KeyProviderError(`PARLEY_MASTER_KEY entry ${index + 1}: versions start at 1`);
    if (keys.has(version)) throw new KeyProviderError(`PARLEY_MASTER_KEY lists version ${version} twice`);
    keys.set(version, decodeKek(match[2]!, `PARLEY_MASTER_KEY entry ${index + 1}`));
  }
  return keys;
}

export function createEnvKeyProvider(value: string): KeyProvider {
  const keys = parseMasterKey(value);
  return createProvider("env", () => keys, {
    location: ENV_LOCATION,
    addVersion: async () => {
      throw new KeyProviderError(
        `PARLEY_MASTER_KEY cannot be changed by Parley. To rotate: generate a key (openssl rand -base64 32), add it as a new entry "${Math.max(...keys.keys()) + 1}:<key>" to the comma-separated PARLEY_MASTER_KEY (keep the old entries), restart, then run \`parley keys rotate\` to rewrap every workspace key under the new version.`,
      );
    },
  });
}

// ---- file adapter --------------------------------------------------------------------------------

type KeyFile = {
  format: typeof FILE_FORMAT;
  keys: Array<{ version: number; key: string; createdAt: string }>;
};

/**
 * Opens the key file, creating it (mode 0600, atomically) with one random KEK when it is missing.
 * Refuses a file that group or others may read or write.
 */
export async function openFileKeyProvider(path: string): Promise<KeyProvider> {
  if (!(await exists(path))) await createKeyFile(path);
  let state = readKeyFile(path);
  return createProvider("file", () => state.keys, {
    location: path,
    // Another instance may have rotated since we read the file: look once more before failing.
    reload: () => {
      state = readKeyFile(path);
    },
    addVersion: async () => {
      const current = readKeyFile(path);
      const version = Math.max(...current.keys.keys()) + 1;
      const file: KeyFile = {
        ...current.file,
        keys: [...current.file.keys, { version, key: randomBytes(KEY_BYTES).toString("base64"), createdAt: new Date().toISOString() }],
      };
      await writeFileAtomically(path, file, "replace");
      state = readKeyFile(path);
      return version;
    },
  });
}

/**
 * Writes KEK versions (from `parley keys import`) into the key file, creating it when missing. A
 * version the file already holds must hold the same key: a restore never replaces a KEK.
 * Returns the versions added.
 */
export async function importIntoKeyFile(path: string, imported: ReadonlyArray<{ version: number; key: Buffer }>): Promise<number[]> {
  const current = (await exists(path)) ? readKeyFile(path) : undefined;
  const keys = [...(current?.file.keys ?? [])];
  const added: number[] = [];
  for (const entry of imported) {
    const existing = current?.keys.get(entry.version);
    if (existing && !existing.equals(entry.key))
      throw new KeyProviderError(`key file ${path} already holds a different KEK version ${entry.version}; refusing to replace it`);
    if (existing) continue;
    keys.push({ version: entry.version, key: entry.key.toString("base64"), createdAt: new Date().toISOString() });
    added.push(entry.version);
  }
  if (added.length === 0) return added;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomically(
    path,
    { format: FILE_FORMAT, keys: keys.sort((a, b) => a.version - b.version) },
    current ? "replace" : "create",
  );
  return added;
}

async function createKeyFile(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const file: KeyFile = {
    format: FILE_FORMAT,
    keys: [{ version: 1, key: randomBytes(KEY_BYTES).toString("base64"), createdAt: new Date().toISOString() }],
  };
  await writeFileAtomically(path, file, "create");
}

/**
 * Writes to a private temp file, then moves it into place: `create` uses link(), which fails when
 * another process created the file first (so two first starts cannot end with two different keys);
 * `replace` uses rename(). Readers never see a half-written file.
 */
async function writeFileAtomically(path: string, file: KeyFile, mode: "create" | "replace"): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (mode === "replace") {
      await rename(temp, path);
      return;
    }
    try {
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  } finally {
    if (mode === "create") await unlink(temp).catch(() => {});
  }
}

function readKeyFile(path: string): { file: KeyFile; keys: KekSet } {
  const info = statSync(path);
  if (!info.isFile()) throw new KeyProviderError(`key file ${path} is not a regular file`);
  if (process.platform !== "win32" && (info.mode & 0o077) !== 0) {
    throw new KeyProviderError(
      `key file ${path} is accessible by group or others (mode ${(info.mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new KeyProviderError(`key file ${path} is not valid JSON`);
  }
  const file = parsed as Partial<KeyFile>;
  if (file.format !== FILE_FORMAT || !Array.isArray(file.keys) || file.keys.length === 0) {
    throw new KeyProviderError(`key file ${path} is not a Parley key file (${FILE_FORMAT})`);
  }
  const keys: KekSet = new Map();
  for (const entry of file.keys) {
    const version = (entry as { version?: unknown }).version;
    if (typeof version !== "number" || !Number.isInteger(version) || version < 1 || keys.has(version)) {
      throw new KeyProviderError(`key file ${path} has an invalid or repeated version`);
    }
    keys.set(version, decodeKek(String((entry as { key?: unknown }).key), `key file version ${version}`));
  }
  return { file: file as KeyFile, keys };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

// ---- shared --------------------------------------------------------------------------------------

function decodeKek(text: string, where: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new KeyProviderError(`${where} is not base64`);
  const key = Buffer.from(text, "base64");
  if (key.length !== KEY_BYTES) throw new KeyProviderError(`${where} must be base64 of exactly ${KEY_BYTES} bytes`);
  return key;
}

/** The KEK version is part of the AAD, so a wrap relabelled with another version cannot open. */
function wrapAad(version: number, aad: string): Buffer {
  return Buffer.from(`parley kek|${version}|${aad}`, "utf8");
}

function createProvider(
  kind: KeyProviderKind,
  current: () => KekSet,
  adapter: { location: string; addVersion: () => Promise<number>; reload?: () => void },
): KeyProvider {
  const versions = () => [...current().keys()].sort((a, b) => a - b);
  const primaryVersion = () => Math.max(...current().keys());
  const kekFor = (version: number): Buffer => {
    let key = current().get(version);
    if (!key && adapter.reload) {
      adapter.reload();
      key = current().get(version);
    }
    if (!key) {
      throw new KeyProviderError(`KEK version ${version} is not available from the ${kind} key provider; restore it before starting`);
    }
    return key;
  };
  return {
    kind,
    primaryVersion,
    versions,
    wrap(plaintext, aad) {
      const version = primaryVersion();
      const nonce = randomBytes(NONCE_BYTES);
      const sealed = encryptAesGcm(kekFor(version), nonce, plaintext, wrapAad(version, aad));
      return `${WRAP_PREFIX}.${version}.${nonce.toString("base64url")}.${sealed.toString("base64url")}`;
    },
    unwrap(wrapped, aad) {
      const parts = wrapped.split(".");
      if (parts.length !== 4 || parts[0] !== WRAP_PREFIX || !/^[1-9]\d{0,5}$/.test(parts[1]!)) throw new DecryptionError();
      const version = Number(parts[1]);
      const nonce = decodeBase64Url(parts[2]!);
      const sealed = decodeBase64Url(parts[3]!);
      if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new DecryptionError();
      return decryptAesGcm(kekFor(version), nonce, sealed, wrapAad(version, aad));
    },
    backupKey(version) {
      return Buffer.from(
        hkdfSync("sha256", kekFor(version), Buffer.alloc(0), Buffer.from(`parley backup key|${version}`, "utf8"), KEY_BYTES),
      );
    },
    exportVersions: () => versions().map((version) => ({ version, key: Buffer.from(kekFor(version)) })),
    addVersion: adapter.addVersion,
    describe: () => ({ kind, versions: versions(), primary: primaryVersion(), location: adapter.location }),
  };
}

/** The KEK version a wrapped value was made with, without unwrapping it. */
export function wrappedKekVersion(wrapped: string): number | undefined {
  const match = /^kek1\.([1-9]\d{0,5})\./.exec(wrapped);
  return match ? Number(match[1]) : undefined;
}
