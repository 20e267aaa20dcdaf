import { randomFillSync } from "node:crypto";

// Random bytes for values drawn on every request or field — AES-GCM nonces, request ids — from a
// pool filled by the CSPRNG 4 KiB at a time (the way Node's own randomUUID caches its entropy).
// randomBytes(12) per draw is a call into OpenSSL and a getpid() system call each time; at
// thousands of draws a second that showed in the webhook receiver's profile. Each byte of the
// pool is handed out once and the pool is refilled only once it is used up, so draws never
// overlap. Keys are not drawn from here: they come from randomBytes directly, so no future key
// material ever sits in a long-lived buffer.

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `size` fresh random bytes (a copy: the caller may keep it). For nonces and identifiers, not keys. */
export function pooledRandomBytes(size: number): Buffer {
  if (!Number.isInteger(size) || size < 1 || size > 256) throw new RangeError("pooledRandomBytes draws 1 to 256 bytes");
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
