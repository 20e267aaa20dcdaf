import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { decryptAesGcm, DecryptionError, encryptAesGcm, KEY_BYTES, NONCE_BYTES, TAG_BYTES } from "../crypto/aead.ts";

// The backup format. A dump is cut into chunks; each is sealed with AES-256-GCM under the backup's
// own random data key, with AAD naming the backup, the chunk's index and whether it is the last —
// so a chunk moved, reordered, dropped or cut off fails to open. The data key is wrapped by the
// backup key of a KEK version (KeyProvider.backupKey, never a data KEK itself). The manifest lists
// what a restore must find (chunk count, sizes, a SHA-256 over every sealed chunk, rows per table)
// and carries an HMAC under a key derived from the data key, so it cannot be edited either.

export const BACKUP_FORMAT = "parley-backup-v1";
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** Ids sort by time: `20261207T120000Z-1a2b3c` (a blob key segment). */
export const backupIdSchema = z.string().regex(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/, "must look like 20261207T120000Z-1a2b3c");

export function newBackupId(at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

export const manifestSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  id: backupIdSchema,
  createdAt: z.iso.datetime(),
  engine: z.enum(["pglite", "postgres"]),
  /** pg_dump's custom format, or PGlite's data directory tarball. */
  dump: z.enum(["pg-dump-custom", "pglite-datadir"]),
  kekVersion: z.number().int().min(1).max(999_999),
  wrappedKey: z.string().max(200),
  chunkCount: z.number().int().min(1).max(10_000_000),
  plaintextBytes: z.number().int().min(0),
  sealedBytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Rows per table in the dumped snapshot: a restore is checked against them. */
  tables: z.record(z.string().max(63), z.number().int().min(0)),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

const sealedManifestSchema = z.strictObject({ manifest: manifestSchema, mac: z.string().regex(/^[0-9a-f]{64}$/) });

/** A backup that fails a check: tampered with, cut short, or not openable with these keys. */
export class BackupIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupIntegrityError";
  }
}

function chunkAad(backupId: string, index: number, isLast: boolean): Buffer {
  return Buffer.from(`parley backup chunk|${backupId}|${index}|${isLast ? "last" : "more"}`, "utf8");
}

function wrapAad(backupId: string, kekVersion: number): Buffer {
  return Buffer.from(`parley backup key|${backupId}|${kekVersion}`, "utf8");
}

/** A fresh data key and its wrap under `backupKey`. */
export function createBackupDataKey(backupKey: Buffer, backupId: string, kekVersion: number): { dataKey: Buffer; wrappedKey: string } {
  const dataKey = randomBytes(KEY_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = encryptAesGcm(backupKey, nonce, dataKey, wrapAad(backupId, kekVersion));
  return { dataKey, wrappedKey: `${nonce.toString("base64url")}.${sealed.toString("base64url")}` };
}

export function unwrapBackupDataKey(backupKey: Buffer, manifest: Pick<BackupManifest, "id" | "kekVersion" | "wrappedKey">): Buffer {
  const [nonce, sealed, extra] = manifest.wrappedKey.split(".");
  if (!nonce || !sealed || extra !== undefined) throw new BackupIntegrityError("the backup's key wrap is malformed");
  try {
    return decryptAesGcm(
      backupKey,
      Buffer.from(nonce, "base64url"),
      Buffer.from(sealed, "base64url"),
      wrapAad(manifest.id, manifest.kekVersion),
    );
  } catch (error) {
    if (error instanceof DecryptionError)
      throw new BackupIntegrityError("the backup's key does not open with this key provider (wrong keys, or the manifest was altered)");
    throw error;
  }
}

export function sealChunk(dataKey: Buffer, backupId: string, index: number, isLast: boolean, plaintext: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  return Buffer.concat([nonce, encryptAesGcm(dataKey, nonce, plaintext, chunkAad(backupId, index, isLast))]);
}

export function openChunk(dataKey: Buffer, backupId: string, index: number, isLast: boolean, sealed: Buffer): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new BackupIntegrityError(`chunk ${index} is truncated`);
  try {
    return decryptAesGcm(dataKey, sealed.subarray(0, NONCE_BYTES), sealed.subarray(NONCE_BYTES), chunkAad(backupId, index, isLast));
  } catch (error) {
    if (error instanceof DecryptionError)
      throw new BackupIntegrityError(`chunk ${index} fails authentication (altered, moved or cut short)`);
    throw error;
  }
}

function macKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), Buffer.from("parley backup manifest mac", "utf8"), KEY_BYTES));
}

function manifestMac(dataKey: Buffer, manifest: BackupManifest): string {
  return createHmac("sha256", macKey(dataKey)).update(canonicalJson(manifest)).digest("hex");
}

/** Key order fixed, so the MAC does not depend on how the JSON was written. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sealManifest(dataKey: Buffer, manifest: BackupManifest): Buffer {
  return Buffer.from(`${JSON.stringify({ manifest, mac: manifestMac(dataKey, manifest) }, null, 2)}\n`, "utf8");
}

/** Parses a stored manifest without checking its MAC (that needs the data key: see checkManifestMac). */
export function parseManifest(bytes: Buffer): { manifest: BackupManifest; mac: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new BackupIntegrityError("the manifest is not valid JSON");
  }
  const result = sealedManifestSchema.safeParse(parsed);
  if (!result.success) throw new BackupIntegrityError("the manifest is not a Parley backup manifest");
  return result.data;
}

export function checkManifestMac(dataKey: Buffer, sealed: { manifest: BackupManifest; mac: string }): void {
  const expected = Buffer.from(manifestMac(dataKey, sealed.manifest), "hex");
  if (!timingSafeEqual(expected, Buffer.from(sealed.mac, "hex")))
    throw new BackupIntegrityError("the manifest was altered (its MAC does not match)");
}

/** Running SHA-256 over the sealed chunks, in order. */
export function createChunkDigest(): { add(sealed: Buffer): void; hex(): string } {
  const hash = createHash("sha256");
  return { add: (sealed) => void hash.update(sealed), hex: () => hash.digest("hex") };
}
