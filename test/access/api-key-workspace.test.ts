import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { Database } from "../../src/db/database.ts";
import { withoutWorkspace, withWorkspace } from "../../src/db/with-workspace.ts";
import { createApiKey, revokeApiKey } from "../../src/features/api-keys/service.ts";
import { SELF, type RouteDefinition } from "../../src/http/define-route.ts";
import { routes } from "../../src/http/routes.ts";
import { hashApiKeySecret } from "../../src/identity/authenticator.ts";
import { permissions } from "../../src/identity/permissions.ts";
import type { Services } from "../../src/services.ts";
import { testEngine, type TestDatabase } from "../support/engine.ts";
import { startTestHttpApp, type TestHttpApp } from "../support/http-app.ts";
import { createWorkspaceWithOwner, ownerCaller } from "../support/identity.ts";
import { withNonSuperuserOwner } from "../support/owner-database.ts";
import { callWithSampleInput, type RouteAnswer } from "../support/route-call.ts";

// An API key is a credential of one workspace. Presented on another workspace's routes, or on a
// workspace that does not exist, it is a valid credential without permission there: 403 (or 404),
// never 401 — a client must not conclude that its key stopped working. A key that is valid nowhere
// (unknown, wrong secret, revoked, expired) stays 401 everywhere. Every route an API key can reach
// (a workspace route under a permission) is called in every one of these shapes.

let http: TestHttpApp | undefined;
let db: TestDatabase;
let services: Services;
let app: FastifyInstance;
let workspaceA: string;
let workspaceB: string;
let keyA: string;
let revokedKeyA: string;
let expiredKeyA: string;

/** The routes an API key authenticates on: workspace routes under a permission (not account or public routes). */
const keyRoutes = routes.filter(
  (route) => route.access.kind === "permission" && route.access.permission !== SELF && route.url.includes(":workspaceId"),
);

type Answer = RouteAnswer;

function call(route: RouteDefinition, workspaceId: string, headers: Record<string, string>): Promise<Answer> {
  return callWithSampleInput(app, route, workspaceId, headers);
}

const bearerKey = (key: string) => ({ authorization: `Bearer ${key}` });

/** Same id, another secret of the same shape: the key's id is known, the secret is wrong. */
function withWrongSecret(key: string): string {
  const secret = key.slice(key.lastIndexOf("_") + 1);
  const wrong = secret.replace(/^./, (first) => (first === "A" ? "B" : "A"));
  return `${key.slice(0, key.lastIndexOf("_") + 1)}${wrong}`;
}

beforeAll(async () => {
  http = await startTestHttpApp();
  ({ db, services, app } = http);
  const a = await createWorkspaceWithOwner(services, { name: "Workspace A" });
  const b = await createWorkspaceWithOwner(services, { name: "Workspace B" });
  workspaceA = a.workspaceId;
  workspaceB = b.workspaceId;
  const owner = ownerCaller(workspaceA, a.owner.userId);
  const create = (name: string, now?: Date) =>
    withWorkspace(db, { workspaceId: workspaceA }, (trx) => createApiKey(trx, owner, { name, scopes: permissions, expiresInDays: 1 }, now));
  keyA = (await create("all scopes")).key;
  const revoked = await create("revoked");
  await withWorkspace(db, { workspaceId: workspaceA }, (trx) => revokeApiKey(trx, owner, revoked.id));
  revokedKeyA = revoked.key;
  // Created two days ago with a one-day lifetime: expired yesterday.
  expiredKeyA = (await create("expired", new Date(Date.now() - 2 * 24 * 60 * 60 * 1000))).key;
});

afterAll(async () => {
  await http?.close();
});

describe("an API key outside its own workspace", () => {
  it("covers every route an API key can reach", () => {
    expect(keyRoutes.length).toBeGreaterThan(10);
  });

  it.each(keyRoutes.map((route) => [`${route.method} ${route.url}`, route] as const))(
    "%s: 403/404 with another workspace's id or an unknown one, 401 for keys valid nowhere",
    async (_, route) => {
      const problems: string[] = [];
      const expectRefused = (label: string, answer: Answer) => {
        if (!((answer.status === 403 && answer.code === "FORBIDDEN") || (answer.status === 404 && answer.code === "NOT_FOUND")))
          problems.push(`${label}: got ${answer.status} ${answer.code ?? ""}, expected 403 or 404`);
      };
      const expectUnauthenticated = (label: string, answer: Answer) => {
        if (!(answer.status === 401 && answer.code === "UNAUTHENTICATED"))
          problems.push(`${label}: got ${answer.status} ${answer.code ?? ""}, expected 401`);
      };

      expectRefused("key of A on B (bearer)", await call(route, workspaceB, bearerKey(keyA)));
      expectRefused("key of A on B (X-Api-Key)", await call(route, workspaceB, { "x-api-key": keyA }));
      expectRefused("key of A on a workspace that does not exist", await call(route, randomUUID(), bearerKey(keyA)));

      expectUnauthenticated("no key on B", await call(route, workspaceB, {}));
      expectUnauthenticated("key of A with a wrong secret on B", await call(route, workspaceB, bearerKey(withWrongSecret(keyA))));
      expectUnauthenticated("key of A with a wrong secret on A", await call(route, workspaceA, bearerKey(withWrongSecret(keyA))));
      expectUnauthenticated("unknown key on A", await call(route, workspaceA, bearerKey(`pk_${randomUUID()}_${"x".repeat(43)}`)));
      expectUnauthenticated("revoked key of A on A", await call(route, workspaceA, bearerKey(revokedKeyA)));
      expectUnauthenticated("revoked key of A on B", await call(route, workspaceB, bearerKey(revokedKeyA)));
      expectUnauthenticated("expired key of A on B", await call(route, workspaceB, bearerKey(expiredKeyA)));

      // And on its own workspace the same key is let in (whatever the handler then answers).
      const own = await call(route, workspaceA, bearerKey(keyA));
      if (own.status === 401 || (own.status === 403 && own.code === "FORBIDDEN"))
        problems.push(`key of A on A: got ${own.status} ${own.code ?? ""}`);
      expect(problems).toEqual([]);
    },
  );

  it("a workspace id that is not an id is refused the same way for a valid key, and stays 401 for an invalid one", async () => {
    const url = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}/contacts`;
    const valid = await app.inject({ method: "GET", url: url("not-a-workspace"), headers: bearerKey(keyA) });
    expect([403, 404]).toContain(valid.statusCode);
    const invalid = await app.inject({ method: "GET", url: url("not-a-workspace"), headers: bearerKey(revokedKeyA) });
    expect(invalid.statusCode).toBe(401);
    const own = await app.inject({ method: "GET", url: url(workspaceA), headers: bearerKey(keyA) });
    expect(own.statusCode).toBe(200);
  });
});

// Production-shaped PostgreSQL: the owner is not a superuser, so forced RLS applies to the function
// that finds a key's workspace across workspaces. It must still find a live key, and only with its
// secret. The suite's own owner is a superuser (PGlite's always is): PostgreSQL pass only.
describe.runIf(testEngine === "postgres")("api_key_workspace with an owner that is not a superuser", () => {
  async function lookUp(db: Database, keyId: string, secretHash: string, as: string | null): Promise<string | null> {
    const query = (trx: Parameters<Parameters<typeof withoutWorkspace>[1]>[0]) =>
      sql<{ workspace_id: string | null }>`select api_key_workspace(${keyId}::uuid, ${secretHash}, now()) as workspace_id`.execute(trx);
    const result = as === null ? await withoutWorkspace(db, query) : await withWorkspace(db, { workspaceId: as }, query);
    return result.rows[0]?.workspace_id ?? null;
  }

  it("finds a live key's workspace from any context, and nothing for a wrong secret or a revoked key", { timeout: 60_000 }, async () => {
    await withNonSuperuserOwner(async (db) => {
      const [userId, workspaceA, workspaceB, liveKey, revokedKey] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const secretHash = hashApiKeySecret("s".repeat(43));
      await withoutWorkspace(db, (trx) =>
        sql`insert into users (id, email, password_hash) values (${userId}, ${`owner-${userId}@example.test`}, 'x')`.execute(trx),
      );
      for (const workspaceId of [workspaceA, workspaceB]) {
        await withWorkspace(db, { workspaceId }, (trx) =>
          sql`insert into workspaces (id, name, region) values (${workspaceId}, 'W', 'local')`.execute(trx),
        );
      }
      await withWorkspace(db, { workspaceId: workspaceA }, async (trx) => {
        await sql`insert into api_keys (workspace_id, id, secret_hash, name, created_by) values (${workspaceA}, ${liveKey}, ${secretHash}, 'live', ${userId})`.execute(
          trx,
        );
        await sql`insert into api_keys (workspace_id, id, secret_hash, name, created_by, revoked_at) values (${workspaceA}, ${revokedKey}, ${secretHash}, 'revoked', ${userId}, now())`.execute(
          trx,
        );
      });

      expect(await lookUp(db, liveKey, secretHash, workspaceB)).toBe(workspaceA);
      expect(await lookUp(db, liveKey, secretHash, null)).toBe(workspaceA);
      expect(await lookUp(db, liveKey, hashApiKeySecret("t".repeat(43)), workspaceB)).toBeNull();
      expect(await lookUp(db, revokedKey, secretHash, workspaceB)).toBeNull();
      // The runtime role itself still reads no key of A from B's context.
      const visible = await withWorkspace(db, { workspaceId: workspaceB }, (trx) => trx.selectFrom("api_keys").select("id").execute());
      expect(visible).toEqual([]);
    });
  });
});
