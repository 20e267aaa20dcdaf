// The blob store port (DESIGN §3): media, exports and backups. Adapters store opaque bytes under a
// key; they never see plaintext — callers encrypt before `put` (see src/features/messages/media/cipher.ts),
// so a copied or leaked store is as unreadable as the database's ciphertext columns.

export type BlobStore = {
  readonly kind: string;
  /** Stores the bytes under `key`, replacing any previous value; readers see the old or the new bytes whole, never a mix. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes under `key`, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes `key`; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every key under the folder `prefix` (itself a key), sorted; none when it holds nothing. */
  list(prefix: string): Promise<string[]>;
};

/** Thrown for a key that is not `segment(/segment)*` of [A-Za-z0-9._-] (never `.` or `..`). */
export class InvalidBlobKeyError extends Error {
  constructor() {
    super("invalid blob key");
    this.name = "InvalidBlobKeyError";
  }
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const MAX_KEY_CHARS = 512;

/** Keys are relative paths made of safe segments: no traversal, no absolute paths, no hidden files. */
export function assertBlobKey(key: string): void {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_CHARS) throw new InvalidBlobKeyError();
  for (const segment of key.split("/")) {
    if (!SEGMENT.test(segment) || segment.includes("..")) throw new InvalidBlobKeyError();
  }
}
