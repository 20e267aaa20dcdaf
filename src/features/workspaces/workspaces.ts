import { randomUUID } from "node:crypto";
import { recordAudit, type AuditActor } from "../../audit/record.ts";
import type { Tx } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { recordCallerAudit, type Caller } from "../../identity/caller.ts";

export type Workspace = { id: string; name: string; region: string; createdAt: Date };

type WorkspaceRow = { id: string; name: string; region: string; created_at: Date | string };

function toWorkspace(row: WorkspaceRow): Workspace {
  return { id: row.id, name: row.name, region: row.region, createdAt: new Date(row.created_at) };
}

export type CreateWorkspaceInput = {
  userId: string;
  name: string;
  ip?: string | null;
  userAgent?: string | null;
  now?: Date;
};

/**
 * A signed-in user creates a workspace in this deployment's region and becomes its Owner, in one
 * transaction with its first encryption key and the audit entry.
 */
export async function createWorkspace(services: Services, input: CreateWorkspaceInput): Promise<Workspace> {
  const id = randomUUID();
  const now = input.now ?? new Date();
  const actor: AuditActor = { type: "user", id: input.userId };
  return withWorkspace(services.db, { workspaceId: id, userId: input.userId, role: "owner" }, async (trx) => {
    const row = await trx
      .insertInto("workspaces")
      .values({ id, name: input.name, region: services.config.region, created_at: now })
      .returning(["id", "name", "region", "created_at"])
      .executeTakeFirstOrThrow();
    await services.keyring.createWorkspaceKey(trx, id);
    await trx.insertInto("memberships").values({ workspace_id: id, user_id: input.userId, role: "owner", created_at: now, updated_at: now }).execute();
    await recordAudit(
      trx,
      { workspaceId: id, actor, action: "workspace.created", target: { type: "workspace", id }, ip: input.ip ?? null, userAgent: input.userAgent ?? null },
      { now: () => now },
    );
    return toWorkspace(row);
  });
}

export async function getWorkspace(trx: Tx, workspaceId: string): Promise<Workspace> {
  const row = await trx.selectFrom("workspaces").select(["id", "name", "region", "created_at"]).where("id", "=", workspaceId).executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "The workspace does not exist.");
  return toWorkspace(row);
}

export async function renameWorkspace(trx: Tx, caller: Caller, name: string, now = new Date()): Promise<Workspace> {
  const before = await getWorkspace(trx, caller.workspaceId);
  if (before.name === name) return before;
  const row = await trx
    .updateTable("workspaces")
    .set({ name })
    .where("id", "=", caller.workspaceId)
    .returning(["id", "name", "region", "created_at"])
    .executeTakeFirstOrThrow();
  // The name itself is not recorded: it may name a person or a client.
  await recordCallerAudit(
    trx,
    caller,
    {
      action: "settings.changed",
      target: { type: "workspace", id: caller.workspaceId },
      metadata: { setting: "name" },
    },
    { now: () => now },
  );
  return toWorkspace(row);
}
