import { randomBytes, scryptSync } from "node:crypto";
import { z } from "zod";
import { decryptAesGcm, DecryptionError, encryptAesGcm, KEY_BYTES, NONCE_BYTES } from "./aead.ts";
import { KeyProviderError } from "./key-provider.ts";

// `parley keys export` / `import`: the KEKs leave the provider only sealed under a passphrase
// (scrypt, then AES-256-GCM). Backups hold no keys, so this export is what a restore on a new
// machine needs besides the backup itself; it is kept apart from the backups.

const FORMAT = "parley-kek-export-v1";
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;
export const MIN_PASSPHRASE_CHARS = 16;

const exportSchema = z.strictObject({
  format: z.literal(FORMAT),
  kdf: z.strictObject({
    name: z.literal("scrypt"),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
    salt: z.string().max(64),
  }),
  nonce: z.string().max(32),
  sealed: z.string().max(1_000_000),
});

const payloadSchema = z.strictObject({
  keys: z
    .array(z.strictObject({ version: z.number().int().min(1).max(999_999), key: z.string().max(64) }))
    .min(1)
    .max(10_000),
});

function deriveKey(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Buffer {
  if (passphrase.length < MIN_PASSPHRASE_CHARS)
    throw new KeyProviderError(`the passphrase must have at least ${MIN_PASSPHRASE_CHARS} characters`);
  if (params.N > SCRYPT.N * 4 || params.r > 32 || params.p > 16)
    throw new KeyProviderError("the export asks for scrypt parameters beyond what Parley accepts");
  return scryptSync(passphrase.normalize("NFC"), salt, KEY_BYTES, { ...params, maxmem: SCRYPT.maxmem * 4 });
}

export function sealKeyExport(versions: ReadonlyArray<{ version: number; key: Buffer }>, passphrase: string): string {
  const salt = randomBytes(16);
  const nonce = randomBytes(NONCE_BYTES);
  const key = deriveKey(passphrase, salt, SCRYPT);
  const payload = JSON.stringify({ keys: versions.map((entry) => ({ version: entry.version, key: entry.key.toString("base64") })) });
  const sealed = encryptAesGcm(key, nonce, Buffer.from(payload, "utf8"), Buffer.from(FORMAT, "utf8"));
  const file = {
    format: FORMAT,
    kdf: { name: "scrypt", N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString("base64") },
    nonce: nonce.toString("base64"),
    sealed: sealed.toString("base64"),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Throws KeyProviderError for a file that is not an export, or a wrong passphrase (without saying which part failed). */
export function openKeyExport(text: string, passphrase: string): Array<{ version: number; key: Buffer }> {
  let parsed: z.infer<typeof exportSchema>;
  try {
    parsed = exportSchema.parse(JSON.parse(text));
  } catch {
    throw new KeyProviderError(`this is not a Parley key export (${FORMAT})`);
  }
  const key = deriveKey(passphrase, Buffer.from(parsed.kdf.salt, "base64"), parsed.kdf);
  let payload: Buffer;
  try {
    payload = decryptAesGcm(key, Buffer.from(parsed.nonce, "base64"), Buffer.from(parsed.sealed, "base64"), Buffer.from(FORMAT, "utf8"));
  } catch (error) {
    if (error instanceof DecryptionError) throw new KeyProviderError("the key export does not open with this passphrase (or was altered)");
    throw error;
  }
  const keys = payloadSchema
    .parse(JSON.parse(payload.toString("utf8")))
    .keys.map((entry) => ({ version: entry.version, key: Buffer.from(entry.key, "base64") }));
  if (keys.some((entry) => entry.key.length !== KEY_BYTES)) throw new KeyProviderError("the key export holds a key of the wrong size");
  return keys;
}
