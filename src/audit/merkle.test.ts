import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EMPTY_ROOT,
  computeRoot,
  consistencyProof,
  hashLeaf,
  inclusionProof,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from "./merkle.ts";

// Known answers from the certificate-transparency test data (RFC 6962 reference implementation,
// also used by Trillian and transparency-dev/merkle): the eight leaves and the root at every size.
const CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map((hex) =>
  Buffer.from(hex, "hex"),
);
const CT_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const CT_INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    5,
    8,
    [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
];
const CT_CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    6,
    8,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [
    2,
    5,
    [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
];

const ctLeafHashes = CT_LEAVES.map((leaf) => hashLeaf(leaf));
const hex = (hashes: Hash[]) => hashes.map((hash) => hash.toString("hex"));

function leavesOf(count: number, salt: number): Hash[] {
  return Array.from({ length: count }, (_, index) => hashLeaf(Buffer.from(`leaf ${salt} ${index}`)));
}

describe("RFC 6962 / RFC 9162 known answers", () => {
  it("the empty tree is SHA-256 of the empty string", () => {
    expect(computeRoot([]).toString("hex")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(EMPTY_ROOT.toString("hex")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("gives the certificate-transparency root for every size of the 8-leaf test vector", () => {
    for (let size = 1; size <= 8; size += 1) {
      expect(computeRoot(ctLeafHashes, size).toString("hex"), `size ${size}`).toBe(CT_ROOTS[size - 1]);
    }
  });

  it("gives the published audit paths and consistency proofs, and they verify", () => {
    for (const [index, size, expected] of CT_INCLUSION) {
      const proof = inclusionProof(ctLeafHashes, index, size);
      expect(hex(proof)).toEqual(expected);
      expect(verifyInclusion(ctLeafHashes[index]!, index, size, proof, Buffer.from(CT_ROOTS[size - 1]!, "hex"))).toBe(true);
    }
    for (const [oldSize, newSize, expected] of CT_CONSISTENCY) {
      const proof = consistencyProof(ctLeafHashes, oldSize, newSize);
      expect(hex(proof)).toEqual(expected);
      const oldRoot = Buffer.from(CT_ROOTS[oldSize - 1]!, "hex");
      const newRoot = Buffer.from(CT_ROOTS[newSize - 1]!, "hex");
      expect(verifyConsistency(oldSize, newSize, proof, oldRoot, newRoot)).toBe(true);
    }
  });

  it("separates leaves from nodes (0x00 / 0x01 prefixes)", () => {
    const [a, b] = ctLeafHashes;
    const node = computeRoot([a!, b!]);
    // A forged "leaf" whose bytes are the two child hashes must not hash to the interior node.
    expect(hashLeaf(Buffer.concat([a!, b!])).equals(node)).toBe(false);
  });
});

describe("proofs (property-based)", () => {
  const sizes = fc.integer({ min: 1, max: 70 }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })));

  it("every audit path verifies, and fails for another leaf, index, root or a bent or shortened path", () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 0, max: 1_000 }), ([size, index], salt) => {
        const leaves = leavesOf(size, salt);
        const root = computeRoot(leaves);
        const proof = inclusionProof(leaves, index);
        expect(verifyInclusion(leaves[index]!, index, size, proof, root)).toBe(true);
        expect(verifyInclusion(hashLeaf(Buffer.from("forged")), index, size, proof, root)).toBe(false);
        if (size > 1) expect(verifyInclusion(leaves[index]!, (index + 1) % size, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[index]!, index, index, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[index]!, index, size, proof, hashLeaf(root))).toBe(false);
        if (proof.length > 0) {
          const bent = proof.map((hash, position) => (position === proof.length - 1 ? hashLeaf(hash) : hash));
          expect(verifyInclusion(leaves[index]!, index, size, bent, root)).toBe(false);
          expect(verifyInclusion(leaves[index]!, index, size, proof.slice(1), root)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("every consistency proof verifies, and fails when the old tree was rewritten", () => {
    const pair = fc.integer({ min: 1, max: 70 }).chain((newSize) => fc.tuple(fc.integer({ min: 1, max: newSize }), fc.constant(newSize)));
    fc.assert(
      fc.property(pair, fc.integer({ min: 0, max: 1_000 }), ([oldSize, newSize], salt) => {
        const leaves = leavesOf(newSize, salt);
        const oldRoot = computeRoot(leaves, oldSize);
        const newRoot = computeRoot(leaves, newSize);
        const proof = consistencyProof(leaves, oldSize, newSize);
        expect(verifyConsistency(oldSize, newSize, proof, oldRoot, newRoot)).toBe(true);
        // A history where one old leaf changed cannot be shown consistent with the new tree.
        const rewritten = [...leaves];
        rewritten[oldSize - 1] = hashLeaf(Buffer.from("rewritten"));
        expect(verifyConsistency(oldSize, newSize, proof, computeRoot(rewritten, oldSize), newRoot)).toBe(false);
        if (oldSize < newSize) {
          expect(verifyConsistency(oldSize, newSize, proof, oldRoot, hashLeaf(newRoot))).toBe(false);
          expect(verifyConsistency(oldSize, newSize, proof.slice(0, -1), oldRoot, newRoot)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });
});
