import type { FastifyInstance } from "fastify";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { contactRoutes } from "../../src/features/contacts/routes.ts";
import type { Services } from "../../src/services.ts";
import type { TestDatabase } from "../support/engine.ts";
import type { TestUser } from "../support/identity.ts";
import type { LogCapture } from "../support/services.ts";
import { createApiWorld, type ApiAnswer, type CallApi, type Json } from "../support/workspace-fixtures.ts";

// One world for the contacts tests: workspace A with a member of every role, workspace B with its
// Owner, the identity routes (sign-in, re-authentication) and the contacts routes, signed-in
// sessions, and the captured log output.

export type { Json };
export type Answer = ApiAnswer;

export type ContactsWorld = {
  db: TestDatabase;
  services: Services;
  logs: LogCapture;
  app: FastifyInstance;
  workspaceA: string;
  workspaceB: string;
  owner: TestUser;
  admin: TestUser;
  agent: TestUser;
  analyst: TestUser;
  ownerB: TestUser;
  call: CallApi;
  /** /api/v1/workspaces/<A or the given workspace>/contacts */
  contacts(workspaceId?: string): string;
  close(): Promise<void>;
};

export async function createContactsWorld(): Promise<ContactsWorld> {
  const world = await createApiWorld({
    routes: contactRoutes,
    members: { admin: "admin", agent: "agent", analyst: "analyst" },
    workspaceName: "Contacts A",
    outsiderWorkspaceName: "Contacts B",
  });
  return {
    db: world.db,
    services: world.services,
    logs: world.logs,
    app: world.app,
    workspaceA: world.workspaceId,
    workspaceB: world.outsiderWorkspaceId,
    owner: world.owner,
    ...world.members,
    ownerB: world.outsider,
    call: world.call,
    contacts: (workspaceId = world.workspaceId) => `/api/v1/workspaces/${workspaceId}/contacts`,
    close: world.close,
  };
}

export { errorCode } from "../support/workspace-fixtures.ts";

/** The workspace's audit entries of these actions, oldest first, read as the database owner. */
export async function auditEntries(
  world: ContactsWorld,
  workspaceId: string,
  actions: string[],
): Promise<Array<{ action: string; metadata: Record<string, unknown>; target_id: string | null }>> {
  const rows = await world.db.owner
    .selectFrom("audit_entries")
    .select(["action", "metadata", "target_id"])
    .where("workspace_id", "=", workspaceId)
    .where("action", "in", actions)
    .orderBy("seq")
    .execute();
  return rows.map((row) => ({ action: row.action, metadata: row.metadata, target_id: row.target_id }));
}

/** Runs a query inside workspace A as its Owner would (RLS applies). */
export function inWorkspace<T>(world: ContactsWorld, workspaceId: string, fn: Parameters<typeof withWorkspace<T>>[2]): Promise<T> {
  return withWorkspace(world.db, { workspaceId }, fn);
}
