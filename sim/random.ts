import { randomBytes, randomInt } from "node:crypto";

// Fault injection draws from a seeded generator (mulberry32) so that a given seed always
// duplicates and reorders the same deliveries.
export type Rng = { next(): number; chance(probability: number): boolean };

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return { next, chance: (p) => p > 0 && next() < p };
}

// Numeric Graph ids (media, templates, WABAs) — 16 digits starting with 1 stays below 2^53, so the
// integer `message_template_id` in webhooks survives JSON number parsing.
export function createNumericId(): string {
  return `1${String(randomInt(0, 1e9)).padStart(9, "0")}${String(randomInt(0, 1e6)).padStart(6, "0")}`;
}

// Mimics the shape of real wamids: base64 of a small binary record holding the recipient and a
// random hex message key.
export function createWamid(waId: string): string {
  const key = randomBytes(9).toString("hex").toUpperCase();
  const record = Buffer.concat([
    Buffer.from([0x1c, 0x18, waId.length]),
    Buffer.from(waId, "ascii"),
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, key.length]),
    Buffer.from(key, "ascii"),
    Buffer.from([0x00]),
  ]);
  return `wamid.${record.toString("base64")}`;
}

export function createFbtraceId(): string {
  return randomBytes(17).toString("base64url").slice(0, 23);
}

export function createAccessToken(): string {
  return `EAA${randomBytes(36).toString("base64url").replaceAll("-", "Z").replaceAll("_", "Y")}`;
}

export function createOpaqueHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}
