import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryCoordination } from "../../src/coordination/memory.ts";
import { LOCKOUT_CAP_MS, LOGIN_FAILURE_LIMIT } from "../../src/identity/throttle.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { createIdentityApp, createUser, type TestUser } from "../support/identity.ts";
import { captureLogs, createTestServices } from "../support/services.ts";

// Brute-force limits on an injected clock: 5 failures / 15 min per account and per address, then
// 1, 2, 4 … minute lock-outs capped at 1 h, kept in the database (they survive a restart);
// 3 registrations per hour per address; the same answer whether or not the account exists.

let db: TestDatabase;
let services: Services;
let app: FastifyInstance;
let clock = Date.parse("2030-01-01T00:00:00Z");
const now = () => new Date(clock);
let ipCounter = 0;
const nextIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

beforeAll(async () => {
  db = await createTestDatabase();
  // The in-process limiter on the same injected clock (the Redis adapter uses Redis's clock).
  services = createTestServices({ db, logs: captureLogs(), coordination: createMemoryCoordination({ now: () => clock }) });
  app = await createIdentityApp(services, { now });
});
afterAll(async () => {
  await app.close();
  await services.coordination.close();
  await db.drop();
});

function attempt(email: string, password: string, ip: string) {
  return app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password }, remoteAddress: ip });
}

async function failTimes(count: number, email: string, ip: string | (() => string)): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const response = await attempt(email, "wrong password entirely", typeof ip === "string" ? ip : ip());
    // The failure that reaches the limit already answers 429 (the lock-out it caused).
    expect(response.statusCode).toBe(index === LOGIN_FAILURE_LIMIT - 1 ? 429 : 401);
  }
}

async function newUser(): Promise<TestUser> {
  return createUser(services, { mfa: false });
}

describe("per-account lock-out", () => {
  it("5 failures → 429 with Retry-After, even for the right password; open again after the lock", async () => {
    const user = await newUser();
    await failTimes(5, user.email, nextIp);
    const locked = await attempt(user.email, user.password, nextIp());
    expect(locked.statusCode).toBe(429);
    expect(locked.headers["retry-after"]).toBe("60");
    expect(locked.json().error.code).toBe("RATE_LIMITED");
    clock += 61_000;
    expect((await attempt(user.email, user.password, nextIp())).statusCode).toBe(200);
  });

  it("failures outside the 15-minute window do not add up", async () => {
    const user = await newUser();
    await failTimes(4, user.email, nextIp);
    clock += 15 * 60_000 + 1000;
    await failTimes(4, user.email, nextIp);
    expect((await attempt(user.email, user.password, nextIp())).statusCode).toBe(200);
  });

  it("grows exponentially (1, 2, 4 … min) and is capped at 1 h", async () => {
    const user = await newUser();
    const waits: number[] = [];
    for (let round = 0; round < 8; round += 1) {
      await failTimes(5, user.email, nextIp);
      const locked = await attempt(user.email, user.password, nextIp());
      expect(locked.statusCode).toBe(429);
      const retryAfter = Number(locked.headers["retry-after"]);
      waits.push(retryAfter);
      clock += retryAfter * 1000 + 1000;
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(LOCKOUT_CAP_MS).toBe(3_600_000);
  });

  it("locks an unknown e-mail exactly like a real one (no enumeration through lock-outs)", async () => {
    await failTimes(5, "nobody-here@example.test", nextIp);
    const locked = await attempt("nobody-here@example.test", "anything at all", nextIp());
    expect(locked.statusCode).toBe(429);
    expect(locked.headers["retry-after"]).toBe("60");
    clock += 61_000;
  });

  it("survives a restart: a new app instance on the same database still refuses", async () => {
    const user = await newUser();
    await failTimes(5, user.email, nextIp);
    const restarted = await createIdentityApp(
      createTestServices({ db, logs: captureLogs(), coordination: createMemoryCoordination({ now: () => clock }) }),
      { now },
    );
    try {
      const response = await restarted.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: user.email, password: user.password },
        remoteAddress: nextIp(),
      });
      expect(response.statusCode).toBe(429);
    } finally {
      await restarted.close();
    }
    clock += 61_000;
  });

  it("audits failures and the lock-out", async () => {
    const before = await countActions();
    const user = await newUser();
    await failTimes(5, user.email, nextIp);
    const after = await countActions();
    expect(after["auth.login.failed"]! - (before["auth.login.failed"] ?? 0)).toBe(5);
    expect(after["auth.lockout"]! - (before["auth.lockout"] ?? 0)).toBe(1);
    clock += 61_000;
  });
});

describe("per-address lock-out", () => {
  it("5 failures from one address over different accounts lock that address, not the accounts", async () => {
    const ip = nextIp();
    for (let index = 0; index < 5; index += 1) {
      expect((await attempt(`victim-${index}@example.test`, "wrong password entirely", ip)).statusCode).toBe(index === 4 ? 429 : 401);
    }
    const user = await newUser();
    const locked = await attempt(user.email, user.password, ip);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    expect((await attempt(user.email, user.password, nextIp())).statusCode).toBe(200);
    clock += 61_000;
  });
});

describe("enumeration-safe answers", () => {
  it("the same status and body for an unknown e-mail and a wrong password, with similar timing", async () => {
    const user = await newUser();
    const unknown = await attempt("no-such-account@example.test", "wrong password entirely", nextIp());
    const wrong = await attempt(user.email, "wrong password entirely", nextIp());
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(unknown.statusCode);
    const strip = (body: string) => ({ ...JSON.parse(body).error, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(Object.keys(wrong.headers).sort()).toEqual(Object.keys(unknown.headers).sort());

    const time = async (email: string) => {
      const start = performance.now();
      await attempt(email, "wrong password entirely", nextIp());
      return performance.now() - start;
    };
    const unknownTimes: number[] = [];
    const knownTimes: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      unknownTimes.push(await time(`ghost-${index}@example.test`));
      knownTimes.push(await time(user.email));
      clock += 16 * 60_000;
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    // Both run one argon2id verification; without it the unknown case would be ~10x faster. The
    // known case also records the failure, so the bound leaves room for that and for a busy machine.
    expect(median(unknownTimes)).toBeGreaterThan(median(knownTimes) * 0.3);
    expect(median(unknownTimes)).toBeLessThan(median(knownTimes) * 2 + 50);
  });
});

describe("registration limit", () => {
  it("3 setup attempts per hour per address, then 429 with Retry-After", async () => {
    const ip = nextIp();
    const setup = () =>
      app.inject({
        method: "POST",
        url: "/api/v1/setup",
        payload: { token: "A".repeat(43), email: "first@example.test", password: "a genuinely long passphrase", workspaceName: "Acme" },
        remoteAddress: ip,
      });
    for (let index = 0; index < 3; index += 1) expect((await setup()).statusCode).toBe(403);
    const limited = await setup();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(3500);
    clock += 60 * 60_000 + 1000;
    expect((await setup()).statusCode).toBe(403);
  });
});

async function countActions(): Promise<Record<string, number>> {
  const rows = await sql<{
    action: string;
    count: number;
  }>`select action, count(*)::int as count from audit_entries group by action`.execute(db.owner);
  return Object.fromEntries(rows.rows.map((row) => [row.action, Number(row.count)]));
}
