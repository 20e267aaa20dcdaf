import { createHmac, hkdfSync } from "node:crypto";
import { AppError } from "../errors.ts";

// Blind indexes (reference/security.md §6.3): exact-match lookup over encrypted columns without
// storing plaintext. The key is per workspace and per column, so equal values in two workspaces or
// two columns give unrelated indexes, and shredding a workspace key makes its indexes unlinkable.

/** Columns that carry a blind index. Adding one here is a conscious decision (frequency leakage). */
export type BlindIndexColumn = "contacts.phone" | "contacts.email" | "contacts.user_id";

/** 8 bytes: collisions stay negligible per workspace while the index reveals little on its own. */
export const BLIND_INDEX_BYTES = 8;
const HKDF_SALT = Buffer.from("parley blind index v1", "utf8");

/** HKDF-SHA256(workspace key) bound to `parley blind index v1|workspaceId|table.column`. */
export function deriveBlindIndexKey(workspaceKey: Buffer, workspaceId: string, column: BlindIndexColumn): Buffer {
  const info = Buffer.from(`parley blind index v1|${workspaceId}|${column}`, "utf8");
  return Buffer.from(hkdfSync("sha256", workspaceKey, HKDF_SALT, info, 32));
}

/** HMAC-SHA256(indexKey, value), truncated to 8 bytes, hex. `value` must already be normalized. */
export function computeBlindIndex(indexKey: Buffer, normalizedValue: string): string {
  return createHmac("sha256", indexKey).update(normalizedValue, "utf8").digest().subarray(0, BLIND_INDEX_BYTES).toString("hex");
}

/**
 * Normalizes a phone number to E.164 (`+` and 8–15 digits). Accepts spaces, dashes, dots,
 * parentheses and a leading `00` instead of `+`; anything else is refused. The number must carry
 * its country code: there is no default region to guess from. Errors never echo the input.
 */
export function normalizePhone(input: string): string {
  if (input.length > 40) throw invalidPhone();
  const compact = input.trim().replace(/[\s.()-]/g, "");
  let digits: string;
  if (compact.startsWith("+")) digits = compact.slice(1);
  else if (compact.startsWith("00")) digits = compact.slice(2);
  else throw invalidPhone();
  if (!/^[1-9]\d{7,14}$/.test(digits)) throw invalidPhone();
  return `+${digits}`;
}

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

function invalidPhone(): AppError {
  return new AppError(
    "VALIDATION_FAILED",
    "The phone number must be in international format: + or 00, the country code and 8–15 digits in total (spaces, dashes, dots and parentheses are allowed).",
    { details: [{ path: "phone", message: "not an international phone number" }] },
  );
}
