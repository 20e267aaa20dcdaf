import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Database, Tx } from "../../db/database.ts";
import { withoutWorkspace } from "../../db/with-workspace.ts";

// There are no default credentials. Until the first Owner exists, each start issues a fresh
// one-time setup link (older unused links are revoked) and prints it; only its hash is stored.

export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export type IssuedSetupToken = { token: string; expiresAt: Date };

function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

async function isSetupComplete(trx: Tx): Promise<boolean> {
  const used = await trx.selectFrom("setup_tokens").select("id").where("used_at", "is not", null).limit(1).executeTakeFirst();
  return used !== undefined;
}

/** Issues a new setup token, or returns null when setup has already been completed. */
export async function issueSetupToken(db: Database, now = new Date()): Promise<IssuedSetupToken | null> {
  return withoutWorkspace(db, async (trx) => {
    if (await isSetupComplete(trx)) return null;
    await trx.updateTable("setup_tokens").set({ revoked_at: now }).where("used_at", "is", null).where("revoked_at", "is", null).execute();
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now.getTime() + SETUP_TOKEN_TTL_MS);
    await trx
      .insertInto("setup_tokens")
      .values({ id: randomUUID(), token_hash: hashToken(token), created_at: now, expires_at: expiresAt })
      .execute();
    return { token, expiresAt };
  });
}

/** Finds the live (unused, unrevoked, unexpired) token matching `token`, inside the caller's transaction. */
export async function findLiveSetupToken(trx: Tx, token: string, now = new Date()): Promise<{ id: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const hash = hashToken(token);
  const row = await trx
    .selectFrom("setup_tokens")
    .select(["id", "token_hash"])
    .where("token_hash", "=", hash)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  // The lookup is by hash already; the constant-time compare guards against any index-timing oracle.
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash))) return null;
  return { id: row.id };
}

export async function isSetupTokenValid(db: Database, token: string, now = new Date()): Promise<boolean> {
  return withoutWorkspace(db, async (trx) => (await findLiveSetupToken(trx, token, now)) !== null);
}

/** Marks the token used (single use). Returns false when it was not live. */
export async function consumeSetupToken(trx: Tx, token: string, now = new Date()): Promise<boolean> {
  const live = await findLiveSetupToken(trx, token, now);
  if (!live) return false;
  const result = await trx
    .updateTable("setup_tokens")
    .set({ used_at: now })
    .where("id", "=", live.id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function setupUrl(publicUrl: string, token: string): string {
  // The token travels in the fragment, which browsers never send to servers or proxies' logs.
  return `${publicUrl}/setup#token=${token}`;
}
