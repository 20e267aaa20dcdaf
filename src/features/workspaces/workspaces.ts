import { randomUUID } from "node:crypto";
import { recordAudit, type AuditActor } from "../../audit/record.ts";
import type { Tx } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { findWorkspaceRow, insertMembership, insertWorkspaceRow, setWorkspaceName, type WorkspaceRow } from "./repository.ts";

export type Workspace = { id: string; name: string; region: string; createdAt: Date };

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
    const row = await insertWorkspaceRow(trx, id, { name: input.name, region: services.config.region, createdAt: now });
    await services.keyring.createWorkspaceKey(trx, id);
    await insertMembership(trx, id, { userId: input.userId, role: "owner", at: now });
    await recordAudit(
      trx,
      {
        workspaceId: id,
        actor,
        action: "workspace.created",
        target: { type: "workspace", id },
        ip: input.ip ?? null,
        userAgent: input.userAgent ?? null,
      },
      { now: () => now },
    );
    return toWorkspace(row);
  });
}

export async function getWorkspace(trx: Tx, workspaceId: string): Promise<Workspace> {
  const row = await findWorkspaceRow(trx, workspaceId);
  if (!row) throw new AppError("NOT_FOUND", "The workspace does not exist.");
  return toWorkspace(row);
}

export async function renameWorkspace(trx: Tx, caller: Caller, name: string, now = new Date()): Promise<Workspace> {
  const before = await getWorkspace(trx, caller.workspaceId);
  if (before.name === name) return before;
  const row = await setWorkspaceName(trx, caller.workspaceId, name);
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
