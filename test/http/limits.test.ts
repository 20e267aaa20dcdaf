import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlocksList, runBlocksUnblock } from "../../src/cli/blocks.ts";
import { DEFAULT_API_KEY_WINDOWS, DEFAULT_SESSION_WINDOWS, loadConfig } from "../../src/config.ts";
import { createMemoryCoordination } from "../../src/coordination/memory.ts";
import { createRedisCoordination } from "../../src/coordination/redis.ts";
import type { Coordination } from "../../src/coordination/types.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createApiKey } from "../../src/features/api-keys/service.ts";
import { findBlock } from "../../src/http/abuse.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { routes } from "../../src/http/routes.ts";
import { createAuthenticator } from "../../src/identity/authenticator.ts";
import { permissions } from "../../src/identity/permissions.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, useRedis, type TestDatabase } from "../support/engine.ts";
import { addMember, bearer, createWorkspaceWithOwner, login, ownerCaller } from "../support/identity.ts";
import { poll } from "../support/poll.ts";
import { captureLogs, createTestRedisCoordination, createTestServices, type LogCapture } from "../support/services.ts";

// Limits and abuse controls (SECURITY: limits and abuse controls): the default multi-window limit
// of every authenticated route per API key and per user, its headers, plans, the escalating
// blocks of addresses collecting 401/429 and their lifting (Owners, operator), the webhook's
// address allow-list, fail-closed on a lost store, and all of it shared across instances.
//
// The windows are proved on the in-process store with a clock the test moves (both passes: a
// minute of traffic takes no minute); the same windows on Redis are proved in
// src/coordination/redis.test.ts, and two instances sharing Redis at the end of this file.

let db: TestDatabase;
let logs: LogCapture;
let base: Services;
let counter = 0;

/** A fresh client address per test: blocks and strikes of one test never reach another. */
const nextAddress = (): string => {
  counter += 1;
  return `198.18.${Math.floor(counter / 250)}.${(counter % 250) + 1}`;
};

type Clock = { now: () => number; advance(ms: number): void };
function createClock(): Clock {
  let current = Date.now();
  return { now: () => current, advance: (ms) => void (current += ms) };
}

type Answer = { status: number; code: string | undefined; headers: Record<string, unknown>; json: Record<string, unknown> };

async function call(
  app: FastifyInstance,
  method: "GET" | "DELETE",
  url: string,
  headers: Record<string, string>,
  remoteAddress: string,
): Promise<Answer> {
  const response = await app.inject({ method, url, headers, remoteAddress });
  const json = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
  return { status: response.statusCode, code: (json.error as { code?: string } | undefined)?.code, headers: response.headers, json };
}

/** An app over the shared database with its own coordination and settings. */
async function startApp(options: {
  coordination: Coordination;
  env?: Record<string, string>;
  realLimits?: boolean;
}): Promise<{ app: FastifyInstance; services: Services }> {
  const services = createTestServices({
    db,
    logs,
    coordination: options.coordination,
    realLimits: options.realLimits ?? true,
    ...(options.env ? { env: options.env } : {}),
  });
  // One key material for every app over this database: they are instances of one deployment.
  const shared = { ...services, keyring: base.keyring };
  const app = await createHttpApp({ services: shared, routes, authenticate: createAuthenticator(shared) });
  return { app, services: shared };
}

async function apiKeyFor(workspaceId: string, ownerId: string): Promise<Record<string, string>> {
  const created = await withWorkspace(db, { workspaceId }, (trx) =>
    createApiKey(trx, ownerCaller(workspaceId, ownerId), { name: "limits", scopes: permissions }),
  );
  return { "x-api-key": created.key };
}

beforeAll(async () => {
  db = await createTestDatabase();
  logs = captureLogs();
  base = createTestServices({ db, logs, coordination: createMemoryCoordination() });
});

afterAll(async () => {
  await base.coordination.close();
  await db.drop();
});

describe("the default limits", () => {
  it("are 3/s, 20/10 s and 100/min per API key, and 20/s, 120/10 s and 600/min per signed-in user, unless configured", () => {
    const config = loadConfig({ PARLEY_ENV: "test" });
    expect(config.rateLimits.apiKey).toEqual([...DEFAULT_API_KEY_WINDOWS]);
    expect(config.rateLimits.apiKey).toEqual([
      { limit: 3, windowMs: 1_000 },
      { limit: 20, windowMs: 10_000 },
      { limit: 100, windowMs: 60_000 },
    ]);
    expect(config.rateLimits.session).toEqual([...DEFAULT_SESSION_WINDOWS]);
    expect(config.abuse).toEqual({ strikes: 10, strikeWindowMs: 600_000, firstBlockMs: 60_000, maxBlockMs: 86_400_000 });
    expect(loadConfig({ PARLEY_RATE_LIMIT_API_KEY: "5/2s,50/1h" }).rateLimits.apiKey).toEqual([
      { limit: 5, windowMs: 2_000 },
      { limit: 50, windowMs: 3_600_000 },
    ]);
    expect(() => loadConfig({ PARLEY_RATE_LIMIT_API_KEY: "5 per second" })).toThrow(/PARLEY_RATE_LIMIT_API_KEY/);
    expect(() => loadConfig({ PARLEY_RATE_LIMIT_SESSION: "5/2d" })).toThrow(/PARLEY_RATE_LIMIT_SESSION/);
    expect(() => loadConfig({ PARLEY_WORKSPACE_PLANS: "3f1e0c4e-8c1a-4c55-9d55-0a1f2b3c4d5e=pro" })).toThrow(/does not define/);
    expect(() => loadConfig({ PARLEY_WEBHOOK_ALLOWED_CIDRS: "173.252.64.0/33" })).toThrow(/PARLEY_WEBHOOK_ALLOWED_CIDRS/);
    expect(() => loadConfig({ PARLEY_ABUSE_BLOCK_SECONDS: "600", PARLEY_ABUSE_MAX_BLOCK_SECONDS: "60" })).toThrow(
      /PARLEY_ABUSE_MAX_BLOCK_SECONDS/,
    );
  });

  it("API key: 3 per second, 20 per 10 s, 100 per minute, each with RateLimit-* headers and Retry-After on 429", async () => {
    const clock = createClock();
    const { app } = await startApp({ coordination: createMemoryCoordination({ now: clock.now }) });
    const { workspaceId, owner } = await createWorkspaceWithOwner(base);
    const key = await apiKeyFor(workspaceId, owner.userId);
    const ip = nextAddress();
    const get = () => call(app, "GET", `/api/v1/workspaces/${workspaceId}`, key, ip);
    try {
      // 3 per second: the headers count down the tightest window.
      for (const remaining of [2, 1, 0]) {
        const answer = await get();
        expect(answer.status).toBe(200);
        expect(answer.headers).toMatchObject({ "ratelimit-limit": "3", "ratelimit-remaining": String(remaining), "ratelimit-reset": "1" });
      }
      const refused = await get();
      expect(refused.status).toBe(429);
      expect(refused.code).toBe("RATE_LIMITED");
      expect(refused.headers).toMatchObject({ "retry-after": "1", "ratelimit-limit": "3", "ratelimit-remaining": "0" });

      // 20 per 10 s: three a second is allowed by the first window, until the second is full.
      let sent = 3;
      while (sent < 20) {
        clock.advance(1_000);
        for (let index = 0; index < 3 && sent < 20; index += 1, sent += 1) expect((await get()).status).toBe(200);
      }
      // t = 6 s: 20 in the last 10 s; the oldest (t = 0) leaves at t = 10 s.
      clock.advance(1_000);
      const tenSeconds = await get();
      expect(tenSeconds.status).toBe(429);
      expect(tenSeconds.headers).toMatchObject({ "ratelimit-limit": "20", "ratelimit-remaining": "0", "retry-after": "3" });

      // 100 per minute: one request every 550 ms stays under both shorter windows.
      const minuteClock = createClock();
      const minute = await startApp({ coordination: createMemoryCoordination({ now: minuteClock.now }) });
      const other = await apiKeyFor(workspaceId, owner.userId);
      for (let index = 0; index < 100; index += 1) {
        const answer = await call(minute.app, "GET", `/api/v1/workspaces/${workspaceId}`, other, ip);
        expect(answer.status, `request ${index + 1}`).toBe(200);
        minuteClock.advance(550);
      }
      const perMinute = await call(minute.app, "GET", `/api/v1/workspaces/${workspaceId}`, other, ip);
      expect(perMinute.status).toBe(429);
      // The first hit (t = 0) leaves the minute at t = 60 s; it is now t = 55 s.
      expect(perMinute.headers).toMatchObject({ "ratelimit-limit": "100", "ratelimit-remaining": "0", "retry-after": "5" });
      minuteClock.advance(5_000);
      expect((await call(minute.app, "GET", `/api/v1/workspaces/${workspaceId}`, other, ip)).status).toBe(200);
      await minute.app.close();
    } finally {
      await app.close();
    }
  });

  it("a signed-in user has the dashboard's budget: 20 per second across workspace and account routes, then 429", async () => {
    const clock = createClock();
    const { app } = await startApp({ coordination: createMemoryCoordination({ now: clock.now }) });
    const { workspaceId, owner } = await createWorkspaceWithOwner(base);
    const ip = nextAddress();
    const auth = bearer(await login(app, owner, { ip }));
    try {
      for (let index = 0; index < 10; index += 1)
        expect((await call(app, "GET", `/api/v1/workspaces/${workspaceId}/members`, auth, ip)).status).toBe(200);
      // The account's own routes (`self`) draw on the same per-user budget.
      for (let index = 0; index < 10; index += 1) expect((await call(app, "GET", "/api/v1/me", auth, ip)).status).toBe(200);
      const refused = await call(app, "GET", `/api/v1/workspaces/${workspaceId}`, auth, ip);
      expect(refused.status).toBe(429);
      expect(refused.headers).toMatchObject({ "ratelimit-limit": "20", "retry-after": "1" });
      clock.advance(1_000);
      expect((await call(app, "GET", `/api/v1/workspaces/${workspaceId}`, auth, ip)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("a workspace on a plan gets the plan's windows; others keep the defaults", async () => {
    const clock = createClock();
    const planned = await createWorkspaceWithOwner(base);
    const standard = await createWorkspaceWithOwner(base);
    const { app } = await startApp({
      coordination: createMemoryCoordination({ now: clock.now }),
      env: {
        PARLEY_RATE_LIMIT_PLANS: JSON.stringify({ pro: { apiKey: "6/1s,60/10s" } }),
        PARLEY_WORKSPACE_PLANS: `${planned.workspaceId}=pro`,
      },
    });
    const ip = nextAddress();
    try {
      const proKey = await apiKeyFor(planned.workspaceId, planned.owner.userId);
      for (let index = 0; index < 6; index += 1)
        expect((await call(app, "GET", `/api/v1/workspaces/${planned.workspaceId}`, proKey, ip)).status).toBe(200);
      const proRefused = await call(app, "GET", `/api/v1/workspaces/${planned.workspaceId}`, proKey, ip);
      expect(proRefused.status).toBe(429);
      expect(proRefused.headers).toMatchObject({ "ratelimit-limit": "6" });
      const standardKey = await apiKeyFor(standard.workspaceId, standard.owner.userId);
      for (let index = 0; index < 3; index += 1)
        expect((await call(app, "GET", `/api/v1/workspaces/${standard.workspaceId}`, standardKey, ip)).status).toBe(200);
      expect((await call(app, "GET", `/api/v1/workspaces/${standard.workspaceId}`, standardKey, ip)).status).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe("blocking addresses that keep failing", () => {
  it("10 strikes (401) in 10 minutes block for 1 min, then 2, 4 … doubling up to 24 h; 403 ADDRESS_BLOCKED with Retry-After", async () => {
    const clock = createClock();
    const { app, services } = await startApp({ coordination: createMemoryCoordination({ now: clock.now }) });
    const { workspaceId } = await createWorkspaceWithOwner(base);
    const ip = nextAddress();
    const probe = () => call(app, "GET", `/api/v1/workspaces/${workspaceId}`, { "x-api-key": "pk_not_a_key" }, ip);
    try {
      const expected = [60, 120, 240, 480, 960, 1_920, 3_840, 7_680, 15_360, 30_720, 61_440, 86_400, 86_400];
      // After each block, the probe proving it ended was the next round's first strike.
      for (const [round, seconds] of expected.entries()) {
        for (let strike = round === 0 ? 0 : 1; strike < 10; strike += 1) expect((await probe()).status).toBe(401);
        const blocked = await probe();
        expect(blocked.status).toBe(403);
        expect(blocked.code).toBe("ADDRESS_BLOCKED");
        expect(Number(blocked.headers["retry-after"])).toBeGreaterThanOrEqual(seconds - 1);
        expect(Number(blocked.headers["retry-after"])).toBeLessThanOrEqual(seconds);
        // Blocked everywhere the address is checked, signed-in routes and sign-in alike.
        expect((await call(app, "GET", "/api/v1/me", {}, ip)).code).toBe("ADDRESS_BLOCKED");
        const signIn = await app.inject({
          method: "POST",
          url: "/api/v1/auth/login",
          payload: { email: "x@example.test", password: "wrong" },
          remoteAddress: ip,
        });
        expect(signIn.statusCode).toBe(403);
        clock.advance(seconds * 1_000);
        expect((await probe()).status).toBe(401);
        clock.advance(1_000);
      }
      // Another address is never affected, and the block never names the address in the logs.
      expect((await call(app, "GET", `/api/v1/workspaces/${workspaceId}`, { "x-api-key": "pk_not_a_key" }, nextAddress())).status).toBe(
        401,
      );
      expect(logs.text()).not.toContain(ip);
      expect(logs.text()).toContain("address blocked after repeated 401/429 answers");
      expect((await services.coordination.ephemeral.list("abuse:blocks")).size).toBe(0);
    } finally {
      await app.close();
    }
  });

  it("strikes older than the window do not add up, and 429s count like 401s", async () => {
    const clock = createClock();
    const { app } = await startApp({ coordination: createMemoryCoordination({ now: clock.now }) });
    const { workspaceId, owner } = await createWorkspaceWithOwner(base);
    const ip = nextAddress();
    try {
      for (let strike = 0; strike < 9; strike += 1) expect((await call(app, "GET", "/api/v1/me", {}, ip)).status).toBe(401);
      clock.advance(600_000);
      for (let strike = 0; strike < 9; strike += 1) expect((await call(app, "GET", "/api/v1/me", {}, ip)).status).toBe(401);
      expect((await call(app, "GET", "/api/v1/me", {}, ip)).status).toBe(401);
      // Now ten within the window: blocked.
      expect((await call(app, "GET", "/api/v1/me", {}, ip)).code).toBe("ADDRESS_BLOCKED");

      const other = nextAddress();
      const key = await apiKeyFor(workspaceId, owner.userId);
      let limited = 0;
      for (let index = 0; index < 13; index += 1)
        if ((await call(app, "GET", `/api/v1/workspaces/${workspaceId}`, key, other)).status === 429) limited += 1;
      expect(limited).toBe(10);
      expect((await call(app, "GET", `/api/v1/workspaces/${workspaceId}`, key, other)).code).toBe("ADDRESS_BLOCKED");
    } finally {
      await app.close();
    }
  });

  it("Owners see the blocks of their workspace's routes and lift them (audited); Admins cannot; shared blocks are the operator's", async () => {
    const clock = createClock();
    const { app, services } = await startApp({ coordination: createMemoryCoordination({ now: clock.now }) });
    const mine = await createWorkspaceWithOwner(base);
    const theirs = await createWorkspaceWithOwner(base);
    const admin = await addMember(base, mine.workspaceId, "admin");
    const ownerIp = nextAddress();
    const ownerAuth = bearer(await login(app, mine.owner, { ip: ownerIp }));
    const adminAuth = bearer(await login(app, admin, { ip: ownerIp }));
    const theirAuth = bearer(await login(app, theirs.owner, { ip: ownerIp }));
    const list = (auth: Record<string, string>, workspaceId: string) =>
      call(app, "GET", `/api/v1/workspaces/${workspaceId}/settings/blocked-addresses`, auth, ownerIp);
    const lift = (auth: Record<string, string>, workspaceId: string, address: string) =>
      call(app, "DELETE", `/api/v1/workspaces/${workspaceId}/settings/blocked-addresses/${address}`, auth, ownerIp);
    try {
      expect((await list(ownerAuth, mine.workspaceId)).json).toEqual({ items: [] });

      const attacker = nextAddress();
      for (let strike = 0; strike < 10; strike += 1)
        await call(app, "GET", `/api/v1/workspaces/${mine.workspaceId}/members`, { "x-api-key": "pk_bad" }, attacker);
      const listed = await list(ownerAuth, mine.workspaceId);
      expect(listed.status).toBe(200);
      expect(listed.json.items).toEqual([
        { address: attacker, blockedAt: expect.any(String), until: expect.any(String), level: 1, isShared: false },
      ]);
      // Another workspace's Owner does not see it; an Admin may not look.
      expect((await list(theirAuth, theirs.workspaceId)).json).toEqual({ items: [] });
      expect((await list(adminAuth, mine.workspaceId)).code).toBe("FORBIDDEN");
      expect((await lift(adminAuth, mine.workspaceId, attacker)).code).toBe("FORBIDDEN");
      expect((await lift(theirAuth, theirs.workspaceId, attacker)).status).toBe(404);

      expect((await lift(ownerAuth, mine.workspaceId, attacker)).status).toBe(204);
      expect((await call(app, "GET", "/api/v1/me", {}, attacker)).status).toBe(401);
      expect((await list(ownerAuth, mine.workspaceId)).json).toEqual({ items: [] });
      const audited = await db.owner
        .selectFrom("audit_entries")
        .select(["action", "target_id", "actor_id"])
        .where("workspace_id", "=", mine.workspaceId)
        .where("action", "=", "address.unblocked")
        .execute();
      expect(audited).toEqual([{ action: "address.unblocked", target_id: attacker, actor_id: mine.owner.userId }]);

      // Strikes on two workspaces' routes: each Owner sees the block, neither can lift it alone.
      const wide = nextAddress();
      for (let strike = 0; strike < 5; strike += 1)
        await call(app, "GET", `/api/v1/workspaces/${mine.workspaceId}`, { "x-api-key": "pk_bad" }, wide);
      for (let strike = 0; strike < 5; strike += 1)
        await call(app, "GET", `/api/v1/workspaces/${theirs.workspaceId}`, { "x-api-key": "pk_bad" }, wide);
      expect((await list(theirAuth, theirs.workspaceId)).json.items).toEqual([expect.objectContaining({ address: wide, isShared: true })]);
      const shared = await lift(ownerAuth, mine.workspaceId, wide);
      expect(shared.status).toBe(409);
      expect(shared.code).toBe("CONFLICT");

      // The operator sees every block and lifts any (audited in the platform log).
      const out: string[] = [];
      const sink = { write: (text: string) => void out.push(text) };
      await runBlocksList({ coordination: services.coordination, out: sink, json: true });
      expect((JSON.parse(out.join("")) as { blocks: Array<{ address: string; workspaceIds: string[] }> }).blocks).toEqual([
        expect.objectContaining({ address: wide, workspaceIds: expect.arrayContaining([mine.workspaceId, theirs.workspaceId]) as unknown }),
      ]);
      expect(await runBlocksUnblock({ coordination: services.coordination, db, out: sink, err: sink, json: false, address: wide })).toBe(0);
      expect(await runBlocksUnblock({ coordination: services.coordination, db, out: sink, err: sink, json: false, address: wide })).toBe(1);
      expect((await list(theirAuth, theirs.workspaceId)).json).toEqual({ items: [] });
      expect((await call(app, "GET", "/api/v1/me", {}, wide)).status).toBe(401);
      const platform = await db.owner
        .selectFrom("audit_entries")
        .select(["action", "target_id", "actor_type"])
        .where("action", "=", "address.unblocked")
        .where("target_id", "=", wide)
        .execute();
      expect(platform).toEqual([{ action: "address.unblocked", target_id: wide, actor_type: "system" }]);
    } finally {
      await app.close();
    }
  });
});

describe("the webhook receiver's address allow-list", () => {
  const ranges = "173.252.64.0/18,2a03:2880::/32";
  const post = (app: FastifyInstance, remoteAddress: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: "POST",
      url: "/webhooks/whatsapp/unknown-key",
      headers: { "content-type": "application/json", ...headers },
      payload: "{}",
      remoteAddress,
    });

  it("refuses other addresses before the signature or the endpoint is looked at; listed ones go on (here: to 404 for an unknown key)", async () => {
    const { app } = await startApp({ coordination: createMemoryCoordination(), env: { PARLEY_WEBHOOK_ALLOWED_CIDRS: ranges } });
    try {
      const refused = await post(app, "10.1.2.3");
      expect(refused.statusCode).toBe(403);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe("ADDRESS_NOT_ALLOWED");
      expect((await post(app, "173.252.88.1")).statusCode).toBe(404);
      expect((await post(app, "2a03:2880:f0ff::1")).statusCode).toBe(404);
      expect((await post(app, "::ffff:173.252.88.1")).statusCode).toBe(404);
      const handshake = await app.inject({
        method: "GET",
        url: "/webhooks/whatsapp/unknown-key?hub.mode=subscribe",
        remoteAddress: "10.1.2.3",
      });
      expect(handshake.statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });

  it("reads the client address through the trusted proxy (X-Forwarded-For), never from an untrusted one", async () => {
    const { app } = await startApp({
      coordination: createMemoryCoordination(),
      env: { PARLEY_WEBHOOK_ALLOWED_CIDRS: ranges, PARLEY_TRUST_PROXY: "127.0.0.1" },
    });
    try {
      expect((await post(app, "127.0.0.1", { "x-forwarded-for": "173.252.88.1" })).statusCode).toBe(404);
      expect((await post(app, "127.0.0.1", { "x-forwarded-for": "10.1.2.3" })).statusCode).toBe(403);
      // A client that is not the proxy cannot claim a listed address.
      expect((await post(app, "10.9.9.9", { "x-forwarded-for": "173.252.88.1" })).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });

  it("holds on the lean lane too (a real socket): refused unless the peer is listed", async () => {
    for (const [allowed, status] of [
      ["173.252.64.0/18", 403],
      ["127.0.0.1/32", 404],
    ] as const) {
      const { app } = await startApp({ coordination: createMemoryCoordination(), env: { PARLEY_WEBHOOK_ALLOWED_CIDRS: allowed } });
      try {
        await app.listen({ host: "127.0.0.1", port: 0 });
        const address = app.server.address() as { port: number };
        const response = await fetch(`http://127.0.0.1:${address.port}/webhooks/whatsapp/unknown-key`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        });
        expect(response.status).toBe(status);
      } finally {
        await app.close();
      }
    }
  });
});

describe("without the coordination store", () => {
  it("fails closed: authenticated and limited routes answer 503, never let through; sign-in and health go on", async () => {
    const dead = createRedisCoordination("redis://127.0.0.1:1", { logger: base.logger });
    const { app } = await startApp({ coordination: dead });
    const { workspaceId, owner } = await createWorkspaceWithOwner(base);
    const key = await apiKeyFor(workspaceId, owner.userId);
    try {
      const limited = await call(app, "GET", `/api/v1/workspaces/${workspaceId}`, key, nextAddress());
      expect(limited.status).toBe(503);
      expect(limited.code).toBe("COORDINATION_UNAVAILABLE");
      expect((await call(app, "GET", "/api/v1/me", {}, nextAddress())).code).toBe("COORDINATION_UNAVAILABLE");
      // Sign-in keeps its lock-out in the database and the probes need no store: they go on unchecked.
      const signIn = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: owner.email, password: owner.password },
        remoteAddress: nextAddress(),
      });
      expect(signIn.json<{ error: { code: string } }>().error.code).toBe("MFA_CODE_REQUIRED");
      expect((await app.inject({ method: "GET", url: "/healthz", remoteAddress: nextAddress() })).statusCode).toBe(200);
    } finally {
      await app.close();
      await dead.close();
    }
  });
});

describe("across instances", () => {
  // The PostgreSQL pass: two connections to Redis in one namespace, as two servers would have.
  // The PGlite pass: two apps over one in-process store (the single-instance deployment).
  it("two app instances share one caller budget and one address's strikes and block", async () => {
    const shared = createMemoryCoordination();
    const first = await startApp({ coordination: useRedis ? createTestRedisCoordination(base.logger) : shared });
    const second = await startApp({ coordination: useRedis ? createTestRedisCoordination(base.logger) : shared });
    const { workspaceId, owner } = await createWorkspaceWithOwner(base);
    const key = await apiKeyFor(workspaceId, owner.userId);
    const ip = nextAddress();
    try {
      const statuses: number[] = [];
      for (const app of [first.app, second.app, first.app, second.app])
        statuses.push((await call(app, "GET", `/api/v1/workspaces/${workspaceId}`, key, ip)).status);
      // Within one second (Redis's clock): the fourth is refused whichever instance takes it.
      expect(statuses).toEqual([200, 200, 200, 429]);

      const attacker = nextAddress();
      for (let strike = 0; strike < 10; strike += 1)
        await call(strike % 2 === 0 ? first.app : second.app, "GET", "/api/v1/me", {}, attacker);
      // A strike is counted after its answer has left (onResponse): the block lands a moment later.
      await poll(
        () => findBlock(second.services.coordination, attacker),
        (block) => block !== undefined,
      );
      expect((await call(first.app, "GET", "/api/v1/me", {}, attacker)).code).toBe("ADDRESS_BLOCKED");
      expect((await call(second.app, "GET", "/api/v1/me", {}, attacker)).code).toBe("ADDRESS_BLOCKED");
      const ownerAuth = bearer(await login(second.app, owner, { ip: nextAddress() }));
      expect(
        (
          await call(
            first.app,
            "DELETE",
            `/api/v1/workspaces/${workspaceId}/settings/blocked-addresses/${attacker}`,
            ownerAuth,
            nextAddress(),
          )
        ).status,
      ).toBe(404);
      // Lifted on one instance (the operator's CLI here), lifted on both.
      const sink = { write: () => undefined };
      expect(
        await runBlocksUnblock({ coordination: first.services.coordination, db, out: sink, err: sink, json: false, address: attacker }),
      ).toBe(0);
      expect((await call(second.app, "GET", "/api/v1/me", {}, attacker)).status).toBe(401);
    } finally {
      await first.app.close();
      await second.app.close();
      if (useRedis) {
        await first.services.coordination.close();
        await second.services.coordination.close();
      }
      await shared.close();
    }
  });
});
