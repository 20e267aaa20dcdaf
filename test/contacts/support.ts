import type { FastifyInstance } from "fastify";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { contactRoutes } from "../../src/features/contacts/routes.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { addMember, bearer, createIdentityApp, createWorkspaceWithOwner, login, type TestUser } from "../support/identity.ts";
import { captureLogs, createTestServices, type LogCapture } from "../support/services.ts";

// One world for the contacts tests: workspace A with a member of every role, workspace B with its
// Owner, the identity routes (sign-in, re-authentication) and the contacts routes, signed-in
// sessions, and the captured log output.

export type Json = Record<string, unknown>;
export type Answer = { status: number; json: Json; text: string; headers: Record<string, string | string[] | number | undefined> };

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
  call(user: TestUser | null, method: "GET" | "POST" | "PATCH" | "DELETE", url: string, body?: unknown): Promise<Answer>;
  /** /api/v1/workspaces/<A or the given workspace>/contacts */
  contacts(workspaceId?: string): string;
  close(): Promise<void>;
};

export async function createContactsWorld(): Promise<ContactsWorld> {
  const db = await createTestDatabase();
  const logs = captureLogs();
  const services = createTestServices({ db, logs });
  const app = await createIdentityApp(services, { routes: contactRoutes });
  const a = await createWorkspaceWithOwner(services, { name: "Contacts A" });
  const b = await createWorkspaceWithOwner(services, { name: "Contacts B" });
  const admin = await addMember(services, a.workspaceId, "admin");
  const agent = await addMember(services, a.workspaceId, "agent");
  const analyst = await addMember(services, a.workspaceId, "analyst");
  const headers = new Map<TestUser, Record<string, string>>();
  for (const user of [a.owner, admin, agent, analyst, b.owner]) headers.set(user, bearer(await login(app, user)));

  const call: ContactsWorld["call"] = async (user, method, url, body) => {
    const response = await app.inject({
      method,
      url,
      headers: { ...(user ? headers.get(user) : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    let json: Json = {};
    try {
      json = response.body ? (JSON.parse(response.body) as Json) : {};
    } catch {
      json = {};
    }
    return { status: response.statusCode, json, text: response.body, headers: response.headers };
  };

  return {
    db,
    services,
    logs,
    app,
    workspaceA: a.workspaceId,
    workspaceB: b.workspaceId,
    owner: a.owner,
    admin,
    agent,
    analyst,
    ownerB: b.owner,
    call,
    contacts: (workspaceId = a.workspaceId) => `/api/v1/workspaces/${workspaceId}/contacts`,
    close: async () => {
      await app.close();
      await services.coordination.close();
      await db.drop();
    },
  };
}

export const errorCode = (json: Json) => (json.error as { code?: string } | undefined)?.code;

/** The workspace's audit entries of these actions, oldest first, read as the database owner. */
export async function auditEntries(world: ContactsWorld, workspaceId: string, actions: string[]): Promise<Array<{ action: string; metadata: Record<string, unknown>; target_id: string | null }>> {
  const rows = await world.db.owner
    .selectFrom("audit_entries")
    .select(["action", "metadata", "target_id"])
    .where("workspace_id", "=", workspaceId)
    .where("action", "in", actions)
    .orderBy("seq")
    .execute();
  return rows.map((row) => ({ action: row.action, metadata: row.metadata as Record<string, unknown>, target_id: row.target_id }));
}

/** Runs a query inside workspace A as its Owner would (RLS applies). */
export function inWorkspace<T>(world: ContactsWorld, workspaceId: string, fn: Parameters<typeof withWorkspace<T>>[2]): Promise<T> {
  return withWorkspace(world.db, { workspaceId }, fn);
}
