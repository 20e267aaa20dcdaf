import { createHash, randomBytes } from "node:crypto";

// API keys look like `pk_<id>_<secret>`: the id (a UUID) finds the row, the 256-bit secret (hex)
// proves possession. Only SHA-256(secret) is stored — a fast hash is right for a random 256-bit
// value (nothing to brute-force) — and the last four characters, so a listing can tell keys apart.

export const API_KEY_PATTERN = /^pk_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([0-9a-f]{64})$/;

export type GeneratedApiKey = { id: string; secret: string; key: string; secretHash: string; lastFour: string };

export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function formatApiKey(id: string, secret: string): string {
  return `pk_${id}_${secret}`;
}

/** The id and secret of a presented key, or null when it is not shaped like one of ours. */
export function parseApiKey(presented: string): { id: string; secret: string } | null {
  const match = API_KEY_PATTERN.exec(presented);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

export function generateApiKey(id: string): GeneratedApiKey {
  const secret = randomBytes(32).toString("hex");
  return { id, secret, key: formatApiKey(id, secret), secretHash: hashApiKeySecret(secret), lastFour: secret.slice(-4) };
}
