import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import type { KeyProvider } from "../crypto/key-provider.ts";
import type { Database } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import type { Services } from "../services.ts";
import { identityCaches, publishInvalidation } from "./cache.ts";

// The JWT keyset (DESIGN §6): RSA-2048 keys for RS256, one active (signs), retired ones kept for
// verification until every token they signed has expired. Private keys are stored wrapped by the
// KEK provider with an AAD naming the kid, so a wrapped key copied to another row does not open.

export const SIGNING_ALGORITHM = "RS256";
/** Retired keys stay published this long: longer than any access token lives. */
export const RETIRED_KEY_GRACE_MS = 60 * 60 * 1000;
export const KID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** An unknown kid reloads the keyset at most this often (another instance may have rotated). */
const RELOAD_INTERVAL_MS = 10_000;

export type PublicJwk = { kty: "RSA"; n: string; e: string; kid: string; alg: "RS256"; use: "sig" };

export type SigningKey = {
  kid: string;
  status: "active" | "retired";
  retiredAt: Date | null;
  publicKey: KeyObject;
  publicJwk: PublicJwk;
  /** Only unwrapped for the active key. */
  privateKey: KeyObject | undefined;
};

type Keyset = { keys: Map<string, SigningKey>; loadedAt: number; generation: number };

const keysets = new WeakMap<Services, Promise<Keyset>>();

function privateKeyAad(kid: string): string {
  return `signing_keys.private_key|${kid}`;
}

function generateKey(provider: KeyProvider): { kid: string; publicJwk: PublicJwk; wrapped: string } {
  const kid = randomBytes(16).toString("base64url");
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  return {
    kid,
    publicJwk: { kty: "RSA", n: jwk.n, e: jwk.e, kid, alg: SIGNING_ALGORITHM, use: "sig" },
    wrapped: provider.wrap(der, privateKeyAad(kid)),
  };
}

async function insertActiveKey(services: Services): Promise<void> {
  const key = generateKey(services.keyring.provider);
  await withoutWorkspace(services.db, async (trx) => {
    await trx
      .insertInto("signing_keys")
      .values({
        kid: key.kid,
        algorithm: SIGNING_ALGORITHM,
        public_jwk: JSON.stringify(key.publicJwk),
        private_key_wrapped: key.wrapped,
        status: "active",
      })
      // Another instance made the first key at the same time (one active key, unique index): theirs wins.
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  });
}

async function loadKeyset(services: Services, db: Database, now: Date): Promise<Keyset> {
  const generation = identityCaches(services).keysetGeneration;
  let rows = await withoutWorkspace(db, (trx) => trx.selectFrom("signing_keys").selectAll().execute());
  if (!rows.some((row) => row.status === "active")) {
    await insertActiveKey(services);
    rows = await withoutWorkspace(db, (trx) => trx.selectFrom("signing_keys").selectAll().execute());
  }
  const keys = new Map<string, SigningKey>();
  for (const row of rows) {
    if (row.status === "retired" && row.retired_at && row.retired_at.getTime() < now.getTime() - RETIRED_KEY_GRACE_MS) continue;
    const publicJwk = JSON.parse(row.public_jwk) as PublicJwk;
    const privateKey =
      row.status === "active"
        ? createPrivateKey({
            key: services.keyring.provider.unwrap(row.private_key_wrapped, privateKeyAad(row.kid)),
            format: "der",
            type: "pkcs8",
          })
        : undefined;
    keys.set(row.kid, {
      kid: row.kid,
      status: row.status,
      retiredAt: row.retired_at,
      publicKey: createPublicKey({ key: { kty: "RSA", n: publicJwk.n, e: publicJwk.e }, format: "jwk" }),
      publicJwk,
      privateKey,
    });
  }
  return { keys, loadedAt: Date.now(), generation };
}

async function currentKeyset(services: Services, now: Date, options: { reloadIfOlderThanMs?: number } = {}): Promise<Keyset> {
  const generation = identityCaches(services).keysetGeneration;
  let pending = keysets.get(services);
  if (pending) {
    const keyset = await pending.catch(() => undefined);
    const isStale =
      !keyset ||
      keyset.generation !== generation ||
      (options.reloadIfOlderThanMs !== undefined && Date.now() - keyset.loadedAt > options.reloadIfOlderThanMs);
    if (!isStale) return keyset;
  }
  pending = loadKeyset(services, services.db, now);
  keysets.set(services, pending);
  return pending;
}

/** The key new access tokens are signed with (created on first use). */
export async function activeSigningKey(services: Services, now = new Date()): Promise<SigningKey & { privateKey: KeyObject }> {
  let keyset = await currentKeyset(services, now);
  let active = [...keyset.keys.values()].find((key) => key.status === "active");
  if (!active) {
    keyset = await currentKeyset(services, now, { reloadIfOlderThanMs: 0 });
    active = [...keyset.keys.values()].find((key) => key.status === "active");
  }
  if (!active?.privateKey) throw new Error("no active signing key");
  return active as SigningKey & { privateKey: KeyObject };
}

/**
 * The public key for `kid`, only ever from our own keyset: never from the token's headers, never
 * over the network. A malformed kid is refused before any lookup.
 */
export async function findVerificationKey(services: Services, kid: unknown, now = new Date()): Promise<KeyObject | undefined> {
  if (typeof kid !== "string" || !KID_PATTERN.test(kid)) return undefined;
  const keyset = await currentKeyset(services, now);
  const key = keyset.keys.get(kid) ?? (await currentKeyset(services, now, { reloadIfOlderThanMs: RELOAD_INTERVAL_MS })).keys.get(kid);
  if (!key) return undefined;
  if (key.status === "retired" && key.retiredAt && key.retiredAt.getTime() < now.getTime() - RETIRED_KEY_GRACE_MS) return undefined;
  return key.publicKey;
}

/** The JWKS document: the active key and recently retired ones. */
export async function publishedJwks(services: Services, now = new Date()): Promise<{ keys: PublicJwk[] }> {
  const keyset = await currentKeyset(services, now);
  return { keys: [...keyset.keys.values()].map((key) => key.publicJwk) };
}

/** Makes a new key active and retires the old one (kept for verification for RETIRED_KEY_GRACE_MS). */
export async function rotateSigningKey(services: Services, now = new Date()): Promise<{ kid: string }> {
  const rotated = await rotateStoredSigningKey(services.db, services.keyring.provider, now);
  await publishInvalidation(services, { type: "keys" });
  return rotated;
}

/**
 * The rotation itself, for `parley keys rotate-signing`, which has no running services: the caller
 * tells running instances to reload their keyset (the `keys` invalidation). Tokens the retired key
 * signed keep verifying for RETIRED_KEY_GRACE_MS, and its public key stays in the JWKS until then.
 */
export async function rotateStoredSigningKey(
  db: Database,
  provider: KeyProvider,
  now = new Date(),
): Promise<{ kid: string; retired: string[] }> {
  const key = generateKey(provider);
  const retired = await withoutWorkspace(db, async (trx) => {
    const previous = await trx
      .updateTable("signing_keys")
      .set({ status: "retired", retired_at: now })
      .where("status", "=", "active")
      .returning("kid")
      .execute();
    await trx
      .insertInto("signing_keys")
      .values({
        kid: key.kid,
        algorithm: SIGNING_ALGORITHM,
        public_jwk: JSON.stringify(key.publicJwk),
        private_key_wrapped: key.wrapped,
        status: "active",
        created_at: now,
      })
      .execute();
    return previous.map((row) => row.kid);
  });
  return { kid: key.kid, retired };
}
