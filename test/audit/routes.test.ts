import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCheckpoint } from "../../src/audit/checkpoints.ts";
import { recordAudit } from "../../src/audit/record.ts";
import { auditRoutes } from "../../src/audit/routes.ts";
import { encodeCursor } from "../../src/audit/service.ts";
import { decodeKeysetCursor, encodeKeysetCursor } from "../../src/db/keyset.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { addMember, bearer, createIdentityApp, createWorkspaceWithOwner, login, type SignedInSession } from "../support/identity.ts";
import { captureLogs, createTestServices } from "../support/services.ts";

// The audit API through the real app, authenticator and permission matrix: Owner and Admin read
// and export; Agent, Analyst, other workspaces and anonymous callers do not (DESIGN §6–7).

let db: TestDatabase;
let services: Services;
let app: FastifyInstance;
let workspaceId: string;
const sessions: Record<"owner" | "admin" | "agent" | "analyst" | "outsider", SignedInSession> = {} as never;
const actorA = randomUUID();
const actorB = randomUUID();

type Page = {
  entries: Array<{ seq: number; action: string; actor: { id: string | null }; occurredAt: string }>;
  nextCursor: string | null;
};

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  app = await createIdentityApp(services, { routes: auditRoutes });
  const created = await createWorkspaceWithOwner(services);
  workspaceId = created.workspaceId;
  const other = await createWorkspaceWithOwner(services);
  sessions.owner = await login(app, created.owner);
  sessions.admin = await login(app, await addMember(services, workspaceId, "admin"));
  sessions.agent = await login(app, await addMember(services, workspaceId, "agent"));
  sessions.analyst = await login(app, await addMember(services, workspaceId, "analyst"));
  sessions.outsider = await login(app, other.owner);
  // 12 known entries, one a minute from 2025-01-01 00:00, alternating actors and actions.
  for (let index = 0; index < 12; index += 1) {
    const at = new Date(Date.UTC(2025, 0, 1, 0, index));
    await withWorkspace(db, { workspaceId }, (trx) =>
      recordAudit(
        trx,
        {
          workspaceId,
          actor: { type: "user", id: index % 2 === 0 ? actorA : actorB },
          action: index % 3 === 0 ? "member.role_changed" : "invitation.created",
          ip: "198.51.100.7",
          userAgent:
            index === 5
              ? '=HYPERLINK("http://evil.example","click")'
              : "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
          metadata: index === 5 ? { note: "@SUM(A1:A9)", minus: "-1+2" } : { index },
        },
        { now: () => at },
      ),
    );
  }
  await createCheckpoint(services, workspaceId);
});
afterAll(async () => {
  await app?.close();
  await services?.coordination.close();
  await db?.drop();
});

async function get(url: string, session?: SignedInSession) {
  return app.inject({ method: "GET", url, headers: session ? bearer(session) : {} });
}

describe("GET /api/v1/workspaces/:workspaceId/audit", () => {
  it("answers Owner and Admin, refuses Agent and Analyst (403), other workspaces and anonymous callers", async () => {
    const url = `/api/v1/workspaces/${workspaceId}/audit`;
    expect((await get(url, sessions.owner)).statusCode).toBe(200);
    expect((await get(url, sessions.admin)).statusCode).toBe(200);
    expect((await get(url, sessions.agent)).statusCode).toBe(403);
    expect((await get(url, sessions.analyst)).statusCode).toBe(403);
    expect([403, 404]).toContain((await get(url, sessions.outsider)).statusCode);
    expect((await get(url)).statusCode).toBe(401);
  });

  it("filters by actor, action and time range", async () => {
    const base = `/api/v1/workspaces/${workspaceId}/audit`;
    const byActor = (await get(`${base}?actorId=${actorA}`, sessions.owner)).json<Page>();
    expect(byActor.entries).toHaveLength(6);
    expect(byActor.entries.every((entry) => entry.actor.id === actorA)).toBe(true);

    const byAction = (await get(`${base}?action=member.role_changed&actorId=${actorA}`, sessions.owner)).json<Page>();
    expect(byAction.entries.map((entry) => entry.action)).toEqual(["member.role_changed", "member.role_changed"]);

    const window = (await get(`${base}?from=2025-01-01T00:03:00.000Z&to=2025-01-01T00:06:00.000Z`, sessions.owner)).json<Page>();
    expect(window.entries.map((entry) => entry.occurredAt)).toEqual([
      "2025-01-01T00:05:00.000Z",
      "2025-01-01T00:04:00.000Z",
      "2025-01-01T00:03:00.000Z",
    ]);

    expect((await get(`${base}?action=not.an.action`, sessions.owner)).statusCode).toBe(400);
    expect((await get(`${base}?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z`, sessions.owner)).statusCode).toBe(400);
    expect((await get(`${base}?limit=201`, sessions.owner)).statusCode).toBe(400);
    expect((await get(`${base}?unknown=1`, sessions.owner)).statusCode).toBe(400);
  });

  it("pages newest first with a cursor, without overlap or loss", async () => {
    const base = `/api/v1/workspaces/${workspaceId}/audit?from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z&limit=5`;
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (await get(cursor ? `${base}&cursor=${cursor}` : base, sessions.admin)).json<Page>();
      seen.push(...page.entries.map((entry) => entry.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect((await get(`${base}&cursor=bogus`, sessions.admin)).statusCode).toBe(400);
  });

  it("takes its cursors from the one keyset codec, within the route's bound, and refuses any other", async () => {
    const base = `/api/v1/workspaces/${workspaceId}/audit?limit=5`;
    const first: Page = (await get(base, sessions.admin)).json<Page>();
    const last = first.entries.at(-1)!;
    expect(decodeKeysetCursor(first.nextCursor!, { sortKey: /^.+$/, id: /^\d+$/ })).toEqual({ at: last.occurredAt, id: String(last.seq) });
    const next: Page = (await get(`${base}&cursor=${first.nextCursor}`, sessions.admin)).json<Page>();
    expect(next.entries[0]!.seq).toBe(last.seq - 1);
    // The largest cursor there can be still fits the query's 64 characters.
    expect(encodeCursor({ occurredAt: new Date("9999-12-31T23:59:59.999Z"), seq: Number.MAX_SAFE_INTEGER }).length).toBeLessThanOrEqual(64);
    // The former `seq:N` text, a keyset cursor naming no seq, and one naming no time are not cursors.
    for (const cursor of [
      Buffer.from(`seq:${last.seq}`).toString("base64url"),
      encodeKeysetCursor(new Date(last.occurredAt), randomUUID()),
      encodeKeysetCursor("yesterday", String(last.seq)),
    ]) {
      expect((await get(`${base}&cursor=${cursor}`, sessions.admin)).statusCode).toBe(400);
    }
  });
});

describe("POST /api/v1/workspaces/:workspaceId/audit/export", () => {
  const exportAs = (session: SignedInSession, payload: Record<string, string> = {}) =>
    app.inject({ method: "POST", url: `/api/v1/workspaces/${workspaceId}/audit/export`, headers: bearer(session), payload });

  it("exports CSV with formulas neutralized, and the export is itself audited", async () => {
    const response = await exportAs(sessions.owner, { from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z" });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ csv: string; rows: number; truncated: boolean; contentType: string }>();
    expect(body).toMatchObject({ rows: 12, truncated: false, contentType: "text/csv; charset=utf-8" });
    const lines = body.csv.split("\r\n");
    expect(lines[0]).toBe("seq,occurred_at,actor_type,actor_id,action,target_type,target_id,ip,user_agent,metadata,leaf_hash");
    // A hostile user agent is stored as its family only; the rest of the row is neutralized.
    expect(body.csv).not.toContain("HYPERLINK");
    expect(body.csv).toContain(",Firefox,");
    expect(body.csv).not.toMatch(/(^|,)[=+\-@]/m);

    const latest = (await get(`/api/v1/workspaces/${workspaceId}/audit?action=audit.exported&limit=1`, sessions.owner)).json<Page>();
    expect(latest.entries[0]).toMatchObject({ action: "audit.exported" });
  });

  it("is refused to Agent and Analyst", async () => {
    expect((await exportAs(sessions.agent)).statusCode).toBe(403);
    expect((await exportAs(sessions.analyst)).statusCode).toBe(403);
  });
});

describe("GET /api/v1/workspaces/:workspaceId/audit/checkpoints", () => {
  it("gives Owner and Admin the signed checkpoints and verifier keys, nobody else", async () => {
    const url = `/api/v1/workspaces/${workspaceId}/audit/checkpoints`;
    const response = await get(url, sessions.admin);
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      origin: string;
      keys: Array<{ verifierKey: string }>;
      checkpoints: Array<{ treeSize: number; note: string }>;
    }>();
    expect(body.origin).toBe(`parley/${workspaceId}`);
    expect(body.checkpoints[0]!.note.startsWith(`parley/${workspaceId}\n`)).toBe(true);
    expect(body.keys[0]!.verifierKey.startsWith(`parley/${workspaceId}+`)).toBe(true);
    expect((await get(url, sessions.agent)).statusCode).toBe(403);
    expect((await get(url)).statusCode).toBe(401);
  });
});
