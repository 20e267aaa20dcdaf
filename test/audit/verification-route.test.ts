import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCheckpoint } from "../../src/audit/checkpoints.ts";
import { auditRoutes } from "../../src/audit/routes.ts";
import { verifyAuditLog } from "../../src/audit/verify.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import {
  addMember,
  bearer,
  createIdentityApp,
  createWorkspaceWithOwner,
  login,
  type SignedInSession,
  type TestUser,
} from "../support/identity.ts";
import { captureLogs, createTestServices } from "../support/services.ts";
import { seedAuditLog, tamperAsOwner } from "./helpers.ts";

// GET …/audit/verification: the dashboard's view of `parley audit verify` for one workspace. It
// runs the same verifier (as the runtime role, inside the workspace) and must agree with the CLI:
// ok on an intact log with the latest signed checkpoint, failed with the first bad entry once the
// database owner has rewritten one. Owner and Admin only (audit.read).

let db: TestDatabase;
let services: Services;
let app: FastifyInstance;

type Verification = {
  status: "ok" | "failed";
  entries: number;
  checkpoints: number;
  checkedAt: string;
  problem: { kind: string; seq: number; checkpointSize: number | null; reason: string } | null;
  latestCheckpoint: { treeSize: number; rootHash: string; signedAt: string; keyId: string } | null;
};

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  app = await createIdentityApp(services, { routes: auditRoutes });
});
afterAll(async () => {
  await app?.close();
  await services?.coordination.close();
  await db?.drop();
});

/** A workspace whose log holds 6 entries and a checkpoint at 6, then 2 more entries; its Owner signed in. */
async function workspaceWithLog(): Promise<{ workspaceId: string; owner: TestUser; session: SignedInSession }> {
  const { workspaceId, owner } = await createWorkspaceWithOwner(services);
  await seedAuditLog(db, workspaceId, 6);
  await createCheckpoint(services, workspaceId);
  await seedAuditLog(db, workspaceId, 2, new Date("2025-01-02T00:00:00.000Z"));
  return { workspaceId, owner, session: await login(app, owner) };
}

async function verification(workspaceId: string, session?: SignedInSession) {
  const response = await app.inject({
    method: "GET",
    url: `/api/v1/workspaces/${workspaceId}/audit/verification`,
    headers: session ? bearer(session) : {},
  });
  return { status: response.statusCode, body: response.body ? response.json<Verification>() : null };
}

describe("GET /api/v1/workspaces/:workspaceId/audit/verification", () => {
  it("answers ok with the entry count and the latest signed checkpoint on an intact log", async () => {
    const { workspaceId, session } = await workspaceWithLog();
    const answer = await verification(workspaceId, session);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "ok", entries: 8, checkpoints: 1, problem: null, latestCheckpoint: { treeSize: 6 } });
    expect(answer.body!.latestCheckpoint!.rootHash).toMatch(/^[0-9a-f]{64}$/);
    // It agrees with `parley audit verify`.
    const cli = await verifyAuditLog(db, { workspaceId, provider: services.keyring.provider });
    expect(cli.workspaces[0]).toMatchObject({ ok: true, entries: 8, checkpoints: 1 });
  });

  it("answers ok without a checkpoint on a log that has none yet", async () => {
    const { workspaceId, owner } = await createWorkspaceWithOwner(services);
    await seedAuditLog(db, workspaceId, 3);
    const answer = await verification(workspaceId, await login(app, owner));
    expect(answer.body).toMatchObject({ status: "ok", entries: 3, checkpoints: 0, latestCheckpoint: null });
  });

  it("answers failed with the first bad entry once the owner edits an entry", async () => {
    const { workspaceId, session } = await workspaceWithLog();
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_entries set action = 'settings.changed' where workspace_id = ${workspaceId} and seq = 7`.execute(trx);
    });
    const answer = await verification(workspaceId, session);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: "failed",
      problem: { kind: "edited", seq: 7, checkpointSize: null },
      latestCheckpoint: { treeSize: 6 },
    });
    const cli = await verifyAuditLog(db, { workspaceId, provider: services.keyring.provider });
    expect(cli.workspaces[0]!.problem).toMatchObject({ kind: "edited", seq: 7 });
  });

  it("answers failed when an entry covered by a signed checkpoint is deleted", async () => {
    const { workspaceId, session } = await workspaceWithLog();
    await tamperAsOwner(db, async (trx) => {
      await sql`delete from audit_entries where workspace_id = ${workspaceId} and seq = 3`.execute(trx);
    });
    const answer = await verification(workspaceId, session);
    expect(answer.body).toMatchObject({ status: "failed", problem: { kind: "deleted", seq: 3 } });
  });

  it("is Owner/Admin only: Agents and Analysts get 403, other workspaces and anonymous callers nothing", async () => {
    const { workspaceId, session } = await workspaceWithLog();
    const other = await createWorkspaceWithOwner(services);
    const admin = await login(app, await addMember(services, workspaceId, "admin"));
    const agent = await login(app, await addMember(services, workspaceId, "agent"));
    const analyst = await login(app, await addMember(services, workspaceId, "analyst"));
    expect((await verification(workspaceId, session)).status).toBe(200);
    expect((await verification(workspaceId, admin)).status).toBe(200);
    expect((await verification(workspaceId, agent)).status).toBe(403);
    expect((await verification(workspaceId, analyst)).status).toBe(403);
    expect([403, 404]).toContain((await verification(workspaceId, await login(app, other.owner))).status);
    expect((await verification(workspaceId)).status).toBe(401);
    expect((await verification(randomUUID(), session)).status).not.toBe(200);
  });
});
