import { createHash } from "node:crypto";

// Merkle tree hashing of RFC 9162 §2.1 (the RFC 6962 construction): domain-separated leaf and node
// hashes, the split at the largest power of two below n, audit paths and consistency proofs, and
// their verifiers. Hashes are 32-byte Buffers; trees are given as their leaf hashes, in order.

export type Hash = Buffer;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function hashLeaf(data: Uint8Array): Hash {
  return createHash("sha256").update(LEAF_PREFIX).update(data).digest();
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Hash {
  return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest();
}

export const EMPTY_ROOT: Hash = createHash("sha256").digest();

/** The largest power of two strictly less than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function subtreeRoot(leaves: readonly Hash[], start: number, end: number): Hash {
  const n = end - start;
  if (n === 1) return leaves[start]!;
  const k = splitPoint(n);
  return hashChildren(subtreeRoot(leaves, start, start + k), subtreeRoot(leaves, start + k, end));
}

/** MTH(D[n]) over the first `size` leaf hashes (default: all). */
export function computeRoot(leaves: readonly Hash[], size = leaves.length): Hash {
  if (!Number.isInteger(size) || size < 0 || size > leaves.length) throw new RangeError("tree size out of range");
  return size === 0 ? EMPTY_ROOT : subtreeRoot(leaves, 0, size);
}

function path(index: number, leaves: readonly Hash[], start: number, end: number): Hash[] {
  const n = end - start;
  if (n === 1) return [];
  const k = splitPoint(n);
  return index < k
    ? [...path(index, leaves, start, start + k), subtreeRoot(leaves, start + k, end)]
    : [...path(index - k, leaves, start + k, end), subtreeRoot(leaves, start, start + k)];
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of the leaf at 0-based `index`. */
export function inclusionProof(leaves: readonly Hash[], index: number, size = leaves.length): Hash[] {
  if (!Number.isInteger(size) || size < 1 || size > leaves.length) throw new RangeError("tree size out of range");
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError("leaf index out of range");
  return path(index, leaves, 0, size);
}

function subproof(m: number, leaves: readonly Hash[], start: number, end: number, complete: boolean): Hash[] {
  const n = end - start;
  if (m === n) return complete ? [] : [subtreeRoot(leaves, start, end)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(m, leaves, start, start + k, complete), subtreeRoot(leaves, start + k, end)]
    : [...subproof(m - k, leaves, start + k, end, false), subtreeRoot(leaves, start, start + k)];
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: shows the size-m tree is a prefix of the size-n tree. */
export function consistencyProof(leaves: readonly Hash[], oldSize: number, newSize = leaves.length): Hash[] {
  if (!Number.isInteger(newSize) || newSize < 0 || newSize > leaves.length) throw new RangeError("tree size out of range");
  if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > newSize) throw new RangeError("old size out of range");
  if (oldSize === 0 || oldSize === newSize) return [];
  return subproof(oldSize, leaves, 0, newSize, true);
}

/** RFC 9162 §2.1.3.2. Checks every hash of the path; a path of the wrong length fails. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  // BigInt: tree sizes may exceed 2^32, where JavaScript's bitwise operators would truncate.
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

/** RFC 9162 §2.1.4.2. */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && Buffer.from(oldRoot).equals(newRoot);
  // Every tree extends the empty tree; there is nothing to prove.
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const isPowerOfTwo = (BigInt(oldSize) & (BigInt(oldSize) - 1n)) === 0n;
  const path = isPowerOfTwo ? [oldRoot, ...proof] : [...proof];
  let fn = BigInt(oldSize - 1);
  let sn = BigInt(newSize - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0n;
}
