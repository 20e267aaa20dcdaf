import { readFileSync } from "node:fs";
import { hash, verify } from "@node-rs/argon2";

// Password rules (SP 800-63B-4 §3.1.1.2, security.md §8): 12..128 code points, no composition
// rules, compared against a shipped blocklist, hashed whole with argon2id (OWASP minimum m=19 MiB,
// t=2, p=1). Nothing is truncated or case-folded; NFKC only makes one Unicode text one password,
// however the keyboard composed it.

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Why a new password was refused; shown to the user (NIST asks to say why). */
export type PasswordProblem = "too_short" | "too_long" | "common";

const BLOCKLIST_PATH = new URL("./data/common-passwords.txt", import.meta.url);

let blocklist: ReadonlySet<string> | undefined;

/** The shipped list of common passwords, read once (the file's first line is its source note). */
export function loadPasswordBlocklist(): ReadonlySet<string> {
  if (!blocklist) {
    const lines = readFileSync(BLOCKLIST_PATH, "utf8").split("\n");
    blocklist = new Set(lines.filter((line) => line !== "" && !line.startsWith("# ")));
  }
  return blocklist;
}

export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

/** The first rule a new password breaks, or null. */
export function checkNewPassword(password: string): PasswordProblem | null {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < PASSWORD_MIN_LENGTH) return "too_short";
  if (length > PASSWORD_MAX_LENGTH) return "too_long";
  const list = loadPasswordBlocklist();
  if (list.has(normalized) || list.has(normalized.toLowerCase())) return "common";
  return null;
}

// Each argon2id run holds 19 MiB; a login burst must not take all of the machine's memory.
const MAX_CONCURRENT_HASHES = 4;
let running = 0;
const waiting: Array<() => void> = [];

async function withHashSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await fn();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

export async function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(normalizePassword(password), ARGON2_OPTIONS));
}

/** False for a wrong password and for a malformed stored hash alike. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  // Bounded before hashing: a megabyte of "password" must not cost a megabyte of argon2 input.
  if (password.length > PASSWORD_MAX_LENGTH * 4) return false;
  return withHashSlot(async () => {
    try {
      return await verify(passwordHash, normalizePassword(password));
    } catch {
      return false;
    }
  });
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against a throwaway hash with the same parameters, so a login for an unknown e-mail
 * costs what a wrong password costs (no timing oracle for account existence).
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hash("parley-dummy-password-for-timing", ARGON2_OPTIONS);
  await verifyPassword(await dummyHash, password);
  return false;
}
