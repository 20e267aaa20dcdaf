import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { CSRF_COOKIE } from "../../src/identity/csrf.ts";
import { REFRESH_COOKIE, REFRESH_IDLE_MS, SESSION_ABSOLUTE_MS } from "../../src/identity/sessions.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, testEngine, type TestDatabase } from "../support/engine.ts";
import {
  bearer,
  cookieHeaders,
  createIdentityApp,
  createWorkspaceWithOwner,
  currentTotp,
  login,
  type SignedInSession,
  type TestUser,
} from "../support/identity.ts";
import { captureLogs, createTestServices } from "../support/services.ts";

// Sessions: cookie attributes, refresh rotation with reuse detection, idle and absolute expiry on
// an injected clock, CSRF on cookie-authenticated requests (the session-bound header; the readable
// CSRF cookie only delivers it), and revocation on the next request.

let db: TestDatabase;
let services: Services;
let app: FastifyInstance;
let clock = Date.now();
const now = () => new Date(clock);
let workspaceId: string;
let owner: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  app = await createIdentityApp(services, { now });
  ({ workspaceId, owner } = await createWorkspaceWithOwner(services));
});
afterAll(async () => {
  await app.close();
  await services.coordination.close();
  await db.drop();
});

function refresh(session: Pick<SignedInSession, "refreshCookie" | "csrfToken">, headers: Record<string, string | undefined> = {}) {
  const all = { ...cookieHeaders(services, session), ...headers };
  for (const key of Object.keys(all)) if (all[key] === undefined) delete all[key];
  return app.inject({ method: "POST", url: "/api/v1/auth/refresh", headers: all as Record<string, string> });
}

function me(session: Pick<SignedInSession, "accessToken">) {
  return app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(session) });
}

/** The answer's Set-Cookie lines, by cookie name. */
function setCookies(response: { headers: Record<string, unknown> }): Map<string, string> {
  const lines = [response.headers["set-cookie"] ?? []].flat() as string[];
  return new Map(lines.map((line) => [line.slice(0, line.indexOf("=")), line]));
}

function fromRefresh(response: { json: () => unknown; headers: Record<string, unknown> }): SignedInSession {
  const json = response.json() as { accessToken: string; csrfToken: string };
  const setCookie = setCookies(response).get(REFRESH_COOKIE) ?? "";
  return { accessToken: json.accessToken, csrfToken: json.csrfToken, refreshCookie: setCookie.split(";")[0]!, setCookie };
}

/** A cookie-authenticated POST as a browser tab sends it: both session cookies, the header, our Origin; `undefined` drops a header. */
function withCookies(url: string, cookies: string[], headers: Record<string, string | undefined> = {}) {
  const all: Record<string, string | undefined> = {
    cookie: cookies.join("; "),
    origin: new URL(services.config.http.publicUrl).origin,
    ...headers,
  };
  for (const key of Object.keys(all)) if (all[key] === undefined) delete all[key];
  return app.inject({ method: "POST", url, headers: all as Record<string, string> });
}

describe("login", () => {
  it("sets the refresh cookie with exactly the __Host- attributes", async () => {
    const session = await login(app, owner, { now: now() });
    const parts = session.setCookie.split("; ");
    expect(parts[0]).toMatch(new RegExp(`^${REFRESH_COOKIE}=[A-Za-z0-9_-]{43}$`));
    expect(parts.slice(1).sort()).toEqual(["HttpOnly", `Max-Age=${REFRESH_IDLE_MS / 1000}`, "Path=/", "SameSite=Strict", "Secure"].sort());
    expect(session.setCookie).not.toMatch(/Domain=/i);
    const answer = await me(session);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ user: { id: owner.userId, mfaEnrolled: true }, memberships: [{ workspaceId, role: "owner" }] });
  });
});

describe("refresh rotation", () => {
  it("rotates on every use; a rotated token used again revokes the whole family", async () => {
    const first = await login(app, owner, { now: now() });
    const response = await refresh(first);
    expect(response.statusCode).toBe(200);
    const second = fromRefresh(response);
    expect(second.refreshCookie).not.toBe(first.refreshCookie);
    expect((await me(second)).statusCode).toBe(200);

    const third = fromRefresh(await refresh(second));
    // The attacker (or the user) presents the rotated `first` token again: the family dies.
    const reuse = await refresh(first);
    expect(reuse.statusCode).toBe(401);
    expect((await refresh(third)).statusCode).toBe(401);
    expect((await me(third)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(401);
  });

  it("expires after 1 h idle and 24 h absolute (injected clock)", async () => {
    const start = clock;
    try {
      const session = await login(app, owner, { now: now() });
      clock += REFRESH_IDLE_MS + 1000;
      expect((await refresh(session)).statusCode).toBe(401);

      clock = start;
      let current = await login(app, owner, { now: now() });
      // Active use keeps it alive (a refresh every 50 minutes) until the absolute limit.
      for (let elapsed = 0; elapsed + 50 * 60_000 < SESSION_ABSOLUTE_MS; elapsed += 50 * 60_000) {
        clock += 50 * 60_000;
        const response = await refresh(current);
        expect(response.statusCode).toBe(200);
        current = fromRefresh(response);
      }
      clock = start + SESSION_ABSOLUTE_MS + 1000;
      expect((await refresh(current)).statusCode).toBe(401);
    } finally {
      clock = start;
    }
  });
});

describe("CSRF on cookie-authenticated requests", () => {
  it("refuses a missing token, a wrong token, another session's token, a cross-origin Origin and Sec-Fetch-Site cross-site", async () => {
    const session = await login(app, owner, { now: now() });
    const other = await login(app, owner, { now: now() });
    const cases: Array<Record<string, string | undefined>> = [
      { "x-csrf-token": undefined },
      { "x-csrf-token": "A".repeat(43) },
      { "x-csrf-token": other.csrfToken },
      { origin: "https://evil.example" },
      { origin: undefined, "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: undefined },
    ];
    for (const headers of cases) {
      const response = await refresh(session, headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json().error.code).toBe("CSRF_REFUSED");
    }
    // None of the refusals consumed the token: the genuine request still works.
    expect((await refresh(session, { origin: undefined, "sec-fetch-site": "same-origin" })).statusCode).toBe(200);
  });
});

describe("the CSRF cookie", () => {
  it("is set with the refresh cookie at login and at every rotation, readable by the page (not HttpOnly), __Host-, and cleared at logout", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: owner.email, password: owner.password, totp: await currentTotp(owner, now()) },
    });
    expect(response.statusCode).toBe(200);
    const { csrfToken } = response.json<{ csrfToken: string }>();
    const cookies = setCookies(response);
    expect([...cookies.keys()].sort()).toEqual([CSRF_COOKIE, REFRESH_COOKIE].sort());
    const parts = cookies.get(CSRF_COOKIE)!.split("; ");
    expect(parts[0]).toBe(`${CSRF_COOKIE}=${csrfToken}`);
    expect(parts.slice(1).sort()).toEqual([`Max-Age=${REFRESH_IDLE_MS / 1000}`, "Path=/", "SameSite=Strict", "Secure"].sort());
    expect(cookies.get(CSRF_COOKIE)).not.toMatch(/HttpOnly|Domain=/i);

    // A rotation sets both again: the same session-bound token, expiring with the new refresh token.
    const refreshCookie = cookies.get(REFRESH_COOKIE)!.split(";")[0]!;
    const rotated = await withCookies("/api/v1/auth/refresh", [refreshCookie, `${CSRF_COOKIE}=${csrfToken}`], {
      "x-csrf-token": csrfToken,
    });
    expect(rotated.statusCode).toBe(200);
    const again = setCookies(rotated);
    expect(again.get(CSRF_COOKIE)).toBe(`${CSRF_COOKIE}=${csrfToken}; Path=/; Max-Age=${REFRESH_IDLE_MS / 1000}; Secure; SameSite=Strict`);
    expect(again.get(REFRESH_COOKIE)).toMatch(
      new RegExp(`^${REFRESH_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; Max-Age=${REFRESH_IDLE_MS / 1000}; HttpOnly; Secure; SameSite=Strict$`),
    );

    // Logout clears both.
    const current = again.get(REFRESH_COOKIE)!.split(";")[0]!;
    const logout = await withCookies("/api/v1/auth/logout", [current, `${CSRF_COOKIE}=${csrfToken}`], { "x-csrf-token": csrfToken });
    expect(logout.statusCode).toBe(204);
    expect(Object.fromEntries(setCookies(logout))).toEqual({
      [REFRESH_COOKIE]: `${REFRESH_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`,
      [CSRF_COOKIE]: `${CSRF_COOKIE}=; Path=/; Max-Age=0; Secure; SameSite=Strict`,
    });
    // The ended session's cookies mint nothing, and a refused refresh clears them too.
    const dead = await withCookies("/api/v1/auth/refresh", [current, `${CSRF_COOKIE}=${csrfToken}`], { "x-csrf-token": csrfToken });
    expect(dead.statusCode).toBe(401);
    expect([...setCookies(dead).values()].every((line) => line.includes("Max-Age=0"))).toBe(true);
    expect([...setCookies(dead).keys()].sort()).toEqual([CSRF_COOKIE, REFRESH_COOKIE].sort());
  });

  it("is not enough on its own: the cookie without the header, a header that is not the session's (even with a matching cookie) and a cross-site request carrying both are refused", async () => {
    const session = await login(app, owner, { now: now() });
    const other = await login(app, owner, { now: now() });
    const own = `${CSRF_COOKIE}=${session.csrfToken}`;
    const cases: Array<{ name: string; cookies: string[]; headers: Record<string, string | undefined> }> = [
      { name: "cookie, no header", cookies: [session.refreshCookie, own], headers: {} },
      {
        name: "another session's token in both cookie and header",
        cookies: [session.refreshCookie, `${CSRF_COOKIE}=${other.csrfToken}`],
        headers: { "x-csrf-token": other.csrfToken },
      },
      {
        name: "a made-up token in both cookie and header",
        cookies: [session.refreshCookie, `${CSRF_COOKIE}=${"A".repeat(43)}`],
        headers: { "x-csrf-token": "A".repeat(43) },
      },
      {
        name: "the session's cookie, another session's header",
        cookies: [session.refreshCookie, own],
        headers: { "x-csrf-token": other.csrfToken },
      },
      {
        name: "cross-site Origin",
        cookies: [session.refreshCookie, own],
        headers: { "x-csrf-token": session.csrfToken, origin: "https://evil.example" },
      },
      {
        name: "Sec-Fetch-Site cross-site",
        cookies: [session.refreshCookie, own],
        headers: { "x-csrf-token": session.csrfToken, origin: undefined, "sec-fetch-site": "cross-site" },
      },
    ];
    for (const url of ["/api/v1/auth/refresh", "/api/v1/auth/logout"]) {
      for (const { name, cookies, headers } of cases) {
        const response = await withCookies(url, cookies, headers);
        expect(response.statusCode, `${url}: ${name}`).toBe(403);
        expect(response.json().error.code, `${url}: ${name}`).toBe("CSRF_REFUSED");
        expect(response.headers["set-cookie"], `${url}: ${name}`).toBeUndefined();
      }
    }
    // None of the refusals consumed the token or ended the session: the genuine request still works.
    expect((await me(session)).statusCode).toBe(200);
    expect(
      (await withCookies("/api/v1/auth/refresh", [session.refreshCookie, own], { "x-csrf-token": session.csrfToken })).statusCode,
    ).toBe(200);
  });
});

describe("revocation takes effect on the next request", () => {
  it("logout (cookie + CSRF) ends the session", async () => {
    const session = await login(app, owner, { now: now() });
    expect((await me(session)).statusCode).toBe(200);
    const response = await app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: cookieHeaders(services, session) });
    expect(response.statusCode).toBe(204);
    expect(String(response.headers["set-cookie"])).toContain("Max-Age=0");
    expect((await me(session)).statusCode).toBe(401);
    expect((await refresh(session)).statusCode).toBe(401);
  });

  it("logout with a bearer token ends that session", async () => {
    const session = await login(app, owner, { now: now() });
    expect((await app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: bearer(session) })).statusCode).toBe(204);
    expect((await me(session)).statusCode).toBe(401);
  });
});

describe("across instances", () => {
  it("a logout on one instance binds another instance that had the session cached", async () => {
    const keys = services.config.keys;
    const sameCoordination = testEngine === "pglite" ? { coordination: services.coordination } : {};
    const otherServices = createTestServices({
      db,
      logs: captureLogs(),
      env: { PARLEY_MASTER_KEY: keys.kind === "env" ? keys.value : "" },
      ...sameCoordination,
    });
    const other = await createIdentityApp(otherServices, { now });
    try {
      const session = await login(app, owner, { now: now() });
      // Warm the other instance's cache, then log out through the first instance.
      expect((await other.inject({ method: "GET", url: "/api/v1/me", headers: bearer(session) })).statusCode).toBe(200);
      expect((await app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: bearer(session) })).statusCode).toBe(204);
      // Redis delivers the invalidation asynchronously (milliseconds); allow it a moment to arrive.
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 401; attempt += 1) {
        status = (await other.inject({ method: "GET", url: "/api/v1/me", headers: bearer(session) })).statusCode;
        if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe(401);
    } finally {
      await other.close();
      if (testEngine !== "pglite") await otherServices.coordination.close();
    }
  });
});
