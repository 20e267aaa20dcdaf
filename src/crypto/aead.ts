import { createCipheriv, createDecipheriv } from "node:crypto";
import { pooledRandomBytes } from "./random-pool.ts";

// AES-256-GCM field encryption (DESIGN §5, reference/security.md §6.1): a random 96-bit nonce per
// encryption, the full 16-byte tag, and AAD that binds the ciphertext to its place
// (workspace, table.column, row, key), so a value copied elsewhere fails to decrypt.

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const ENVELOPE_VERSION = "pv1";

/**
 * The only error decryption throws, whatever went wrong (bad tag, wrong key, malformed envelope,
 * wrong AAD): callers and attackers learn nothing about which part failed.
 */
export class DecryptionError extends Error {
  constructor(options?: { cause?: unknown }) {
    super("decryption failed", options);
    this.name = "DecryptionError";
  }
}

/** Where an encrypted value lives; part of its AAD. */
export type FieldContext = {
  workspaceId: string;
  table: string;
  column: string;
  rowId: string;
};

export type ParsedEnvelope = { keyId: string; nonce: Buffer; sealed: Buffer };

const KEY_ID = /^[A-Za-z0-9-]{1,64}$/;
const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Raw AES-256-GCM; returns ciphertext followed by the 16-byte tag. Exposed for known-answer tests. */
export function encryptAesGcm(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  assertKeyAndNonce(key, nonce);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Inverse of encryptAesGcm; `sealed` is ciphertext followed by the tag. Throws DecryptionError. */
export function decryptAesGcm(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (key.length !== KEY_BYTES || nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) {
    throw new DecryptionError();
  }
  try {
    // authTagLength pins the tag size: a truncated tag is refused instead of accepted (DEP0182).
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw new DecryptionError({ cause: error });
  }
}

/** `workspaceId|table.column|rowId|keyId` — the binding every field ciphertext carries. */
export function fieldAad(context: FieldContext, keyId: string): Buffer {
  if (!NAME.test(context.table) || !NAME.test(context.column)) {
    throw new Error("table and column must be lower-case SQL identifiers");
  }
  if (context.workspaceId.includes("|") || context.rowId.includes("|")) {
    throw new Error("workspace and row ids must not contain '|'");
  }
  return Buffer.from(`${context.workspaceId}|${context.table}.${context.column}|${context.rowId}|${keyId}`, "utf8");
}

/** Encrypts a field value into the envelope `pv1.<keyId>.<nonce>.<ciphertext+tag>` (base64url). */
export function sealField(key: Buffer, keyId: string, context: FieldContext, plaintext: string | Buffer): string {
  if (!KEY_ID.test(keyId)) throw new Error("key ids are 1–64 letters, digits or dashes");
  const nonce = pooledRandomBytes(NONCE_BYTES);
  const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
  const sealed = encryptAesGcm(key, nonce, data, fieldAad(context, keyId));
  return `${ENVELOPE_VERSION}.${keyId}.${nonce.toString("base64url")}.${sealed.toString("base64url")}`;
}

/** Decrypts an envelope made by sealField for the same context, as bytes. Throws DecryptionError. */
export function openFieldBytes(key: Buffer, context: FieldContext, envelope: string): Buffer {
  return openParsedField(key, context, parseEnvelope(envelope));
}

/** openFieldBytes for an envelope already parsed (to pick its key): the envelope is parsed once. */
export function openParsedField(key: Buffer, context: FieldContext, parsed: ParsedEnvelope): Buffer {
  return decryptAesGcm(key, parsed.nonce, parsed.sealed, fieldAad(context, parsed.keyId));
}

/** Decrypts an envelope made by sealField for the same context, as UTF-8 text. */
export function openField(key: Buffer, context: FieldContext, envelope: string): string {
  return openFieldBytes(key, context, envelope).toString("utf8");
}

/** Splits an envelope; any malformation is a DecryptionError (no detail on what was wrong). */
export function parseEnvelope(envelope: string): ParsedEnvelope {
  const parts = envelope.split(".");
  if (parts.length !== 4) throw new DecryptionError();
  const [version, keyId, nonceText, sealedText] = parts as [string, string, string, string];
  if (version !== ENVELOPE_VERSION || !KEY_ID.test(keyId)) throw new DecryptionError();
  const nonce = decodeBase64Url(nonceText);
  const sealed = decodeBase64Url(sealedText);
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new DecryptionError();
  return { keyId, nonce, sealed };
}

const BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Strict, unpadded base64url: Node's decoder silently skips invalid characters and ignores stray
 * trailing bits, so this accepts only the one canonical spelling of each byte string — every
 * character from the alphabet, no length of 4n+1, and zero bits past the data in the last character.
 */
export function decodeBase64Url(text: string): Buffer {
  // Node's decoder also takes the standard alphabet's + and /: a second spelling of the same bytes.
  if (text.includes("+") || text.includes("/")) throw new DecryptionError();
  const remainder = text.length % 4;
  if (remainder === 1) throw new DecryptionError();
  if (remainder > 1) {
    const last = BASE64URL_ALPHABET.indexOf(text[text.length - 1]!);
    if ((last & (remainder === 2 ? 0x0f : 0x03)) !== 0) throw new DecryptionError();
  }
  const bytes = Buffer.from(text, "base64url");
  // A skipped character (padding, whitespace, anything outside the alphabet) shortens the output.
  if (bytes.length !== Math.floor((text.length * 3) / 4)) throw new DecryptionError();
  return bytes;
}

function assertKeyAndNonce(key: Buffer, nonce: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`AES-256-GCM needs a ${KEY_BYTES}-byte key`);
  if (nonce.length !== NONCE_BYTES) throw new Error(`AES-256-GCM nonces are ${NONCE_BYTES} bytes`);
}
