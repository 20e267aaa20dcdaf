import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import QRCode from "qrcode";

// TOTP (RFC 6238 over RFC 4226 HOTP). Enrollment uses SHA-1, 6 digits, 30 s (what every
// authenticator app supports); SHA-256/512 and 8 digits exist for the RFC's test vectors.
// A code is accepted for the current step ±1, and never for a step at or below the last one used.

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_WINDOW = 1;
export const TOTP_SECRET_BYTES = 20;
export const RECOVERY_CODE_COUNT = 10;

export type TotpAlgorithm = "sha1" | "sha256" | "sha512";

export function hotp(secret: Buffer, counter: number, options: { digits?: number; algorithm?: TotpAlgorithm } = {}): string {
  const digits = options.digits ?? TOTP_DIGITS;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(options.algorithm ?? "sha1", secret)
    .update(message)
    .digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return binary.toString().padStart(digits, "0");
}

export function totpStep(nowMs: number, stepSeconds = TOTP_STEP_SECONDS): number {
  return Math.floor(nowMs / 1000 / stepSeconds);
}

export function totp(
  secret: Buffer,
  nowMs: number,
  options: { digits?: number; algorithm?: TotpAlgorithm; stepSeconds?: number } = {},
): string {
  return hotp(secret, totpStep(nowMs, options.stepSeconds), options);
}

/**
 * The step `code` matches within ±1 of now and above `lastUsedStep`, or null. Every candidate is
 * compared (constant time) so the answer's timing does not tell which step matched.
 */
export function matchTotp(secret: Buffer, code: string, nowMs: number, lastUsedStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = totpStep(nowMs);
  let matched: number | null = null;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step += 1) {
    const isEqual = timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(code));
    if (isEqual && matched === null && (lastUsedStep === null || step > lastUsedStep)) matched = step;
  }
  return matched;
}

export function generateTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function encodeBase32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function decodeBase32(text: string): Buffer {
  const clean = text.replace(/=+$/, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error("not base32");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The otpauth:// URI authenticator apps read (Key Uri Format). The label carries the account e-mail. */
export function otpauthUri(secret: Buffer, options: { issuer: string; account: string }): string {
  const label = `${encodeURIComponent(options.issuer)}:${encodeURIComponent(options.account)}`;
  const query = new URLSearchParams({
    secret: encodeBase32(secret),
    issuer: options.issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}

/** The URI as an SVG QR code (rendered locally; the secret never leaves the server otherwise). */
export async function otpauthQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** Wrap/unwrap AAD for a user's TOTP seed: a seed copied to another user does not open. */
export function totpSecretAad(userId: string, state: "active" | "pending"): string {
  return `users.totp_secret|${state}|${userId}`;
}

/** Recovery codes: 80 random bits each, shown once as xxxx-xxxx-xxxx-xxxx (base32). */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const code = encodeBase32(randomBytes(10)).toLowerCase();
    return code.match(/.{4}/g)!.join("-");
  });
}

export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z2-7]/g, "");
}

/** High-entropy codes need no slow hash; SHA-256 of the normalized code. */
export function hashRecoveryCode(code: string): string {
  return createHash("sha256")
    .update(`recovery|${normalizeRecoveryCode(code)}`, "utf8")
    .digest("hex");
}
