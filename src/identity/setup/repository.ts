import type { Tx } from "../../db/database.ts";

// The rows first-run setup creates (./routes.ts): the first user, their workspace and their Owner
// membership, each in the setup transaction (withWorkspace as that Owner of that workspace).

export async function insertUser(trx: Tx, input: { id: string; email: string; passwordHash: string; at: Date }): Promise<void> {
  await trx
    .insertInto("users")
    .values({ id: input.id, email: input.email, password_hash: input.passwordHash, created_at: input.at, password_changed_at: input.at })
    .execute();
}

export async function insertWorkspace(trx: Tx, workspaceId: string, input: { name: string; region: string; at: Date }): Promise<void> {
  await trx.insertInto("workspaces").values({ id: workspaceId, name: input.name, region: input.region, created_at: input.at }).execute();
}

export async function insertOwnerMembership(trx: Tx, workspaceId: string, userId: string, at: Date): Promise<void> {
  await trx
    .insertInto("memberships")
    .values({ workspace_id: workspaceId, user_id: userId, role: "owner", created_at: at, updated_at: at })
    .execute();
}
