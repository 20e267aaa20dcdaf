import type { Tx } from "../../db/database.ts";

// The api_keys rows of one workspace (RLS: the workspace). Never the secret's hash on the way out:
// the authenticator reads it on its own path (src/identity/authenticator.ts).

export type ApiKeyRow = {
  id: string;
  name: string;
  scopes: string[];
  secret_last_four: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  last_used_ip: string | null;
  revoked_at: Date | null;
};

export async function insertApiKey(
  trx: Tx,
  workspaceId: string,
  input: {
    id: string;
    secretHash: string;
    lastFour: string;
    name: string;
    scopes: readonly string[];
    createdBy: string;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto("api_keys")
    .values({
      workspace_id: workspaceId,
      id: input.id,
      secret_hash: input.secretHash,
      secret_last_four: input.lastFour,
      name: input.name,
      scopes: [...input.scopes],
      created_by: input.createdBy,
      created_at: input.createdAt,
      expires_at: input.expiresAt,
    })
    .execute();
}

/** The workspace's keys, newest first, at most 500. */
export async function listApiKeyRows(trx: Tx, workspaceId: string): Promise<ApiKeyRow[]> {
  // Never the hash: the select list is explicit.
  return trx
    .selectFrom("api_keys")
    .select([
      "id",
      "name",
      "scopes",
      "secret_last_four",
      "created_by",
      "created_at",
      "expires_at",
      "last_used_at",
      "last_used_ip",
      "revoked_at",
    ])
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(500)
    .execute();
}

/** The key's revocation state, its row locked until commit (so two revocations audit once). */
export async function lockApiKey(
  trx: Tx,
  workspaceId: string,
  apiKeyId: string,
): Promise<{ id: string; revoked_at: Date | null } | undefined> {
  return trx
    .selectFrom("api_keys")
    .select(["id", "revoked_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", apiKeyId)
    .forUpdate()
    .executeTakeFirst();
}

export async function markApiKeyRevoked(trx: Tx, workspaceId: string, apiKeyId: string, at: Date): Promise<void> {
  await trx.updateTable("api_keys").set({ revoked_at: at }).where("workspace_id", "=", workspaceId).where("id", "=", apiKeyId).execute();
}

/** Revokes the keys the user created in the workspace that are not revoked yet; how many. */
export async function revokeApiKeysCreatedBy(trx: Tx, workspaceId: string, userId: string, at: Date): Promise<number> {
  const revoked = await trx
    .updateTable("api_keys")
    .set({ revoked_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("created_by", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(revoked.numUpdatedRows);
}
