import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { get as httpsGet } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type SecureVersion } from "node:tls";
import { promisify } from "node:util";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createRedisCoordination } from "../../src/coordination/redis.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { defineRoute, type RouteDefinition } from "../../src/http/define-route.ts";
import { toValidationError } from "../../src/http/errors.ts";
import { routes } from "../../src/http/routes.ts";
import { safeString } from "../../src/http/safe-string.ts";
import type { AuthContext, Authenticator } from "../../src/identity/auth-context.ts";
import type { Permission } from "../../src/identity/permissions.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { captureLogs, createTestServices, type LogCapture } from "../support/services.ts";

const WORKSPACE_ID = "6f1c2b1e-8d3a-4c55-9b7e-0a1b2c3d4e5f";
const USER_ID = "0b7e9c1d-2f3a-4b5c-8d6e-7f8091a2b3c4";

// Test-only authenticator: the port implemented from a header, standing in for sessions/API keys.
const authenticateFromHeader: Authenticator = async (request) => {
  const who = request.headers["x-test-caller"];
  if (who !== "reader" && who !== "outsider") return null;
  const granted: Permission[] = who === "reader" ? ["contacts.read"] : [];
  const auth: AuthContext = { kind: "api_key", userId: USER_ID, workspaceId: WORKSPACE_ID, role: "agent", permissions: new Set(granted) };
  return auth;
};

const testRoutes: RouteDefinition[] = [
  defineRoute({
    method: "POST",
    url: "/test/contacts",
    summary: "Creates a contact (test)",
    public: "test route",
    schema: {
      body: z.strictObject({ name: safeString(100), address: z.strictObject({ city: safeString(100) }).optional() }),
      response: { 201: z.object({ id: z.string(), name: z.string() }) },
    },
    handler: async ({ body, reply }) => {
      reply.code(201);
      // A "row" with a column that must never leave the server.
      return { id: "c1", name: body.name, passwordHash: "never-serialized-hash", address: body.address };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/test/items/:id",
    summary: "Reads an item (test)",
    public: "test route",
    schema: {
      params: z.strictObject({ id: safeString(20).regex(/^\d+$/) }),
      query: z.strictObject({ limit: z.coerce.number().int().max(50).optional() }),
      response: { 200: z.object({ id: z.string(), limit: z.number().nullable() }) },
    },
    handler: async ({ params, query }) => ({ id: params.id, limit: query.limit ?? null }),
  }),
  defineRoute({
    method: "POST",
    url: "/test/small",
    summary: "Accepts at most 100 bytes (test)",
    public: "test route",
    bodyLimit: 100,
    schema: { body: z.strictObject({ note: safeString(1000) }), response: { 200: z.object({ ok: z.boolean() }) } },
    handler: async () => ({ ok: true }),
  }),
  defineRoute({
    method: "GET",
    url: "/test/protected",
    summary: "Needs contacts.read (test)",
    permission: "contacts.read",
    schema: { response: { 200: z.object({ workspaceId: z.string() }) } },
    handler: async ({ auth }) => ({ workspaceId: auth!.workspaceId }),
  }),
  defineRoute({
    method: "GET",
    url: "/test/limited",
    summary: "Two per minute per address (test)",
    public: "test route",
    rateLimit: { limit: 2, windowMs: 60_000, key: "ip" },
    schema: { response: { 200: z.object({ ok: z.boolean() }) } },
    handler: async () => ({ ok: true }),
  }),
  defineRoute({
    method: "GET",
    url: "/test/throws",
    summary: "Fails unexpectedly (test)",
    public: "test route",
    schema: { response: { 200: z.object({ ok: z.boolean() }) } },
    handler: async () => {
      throw new Error("database exploded");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/test/bad-response",
    summary: "Answers outside its contract (test)",
    public: "test route",
    schema: { response: { 200: z.object({ count: z.number() }) } },
    handler: async () => ({ count: "many" }) as unknown as { count: number },
  }),
  defineRoute({
    method: "GET",
    url: "/test/sends-itself",
    summary: "Sends a row around its schema (test)",
    public: "test route",
    schema: { response: { 200: z.object({ id: z.string() }) } },
    handler: async ({ reply }) => {
      await reply.send({ id: "1", passwordHash: "never-serialized-hash" });
      return { id: "1" };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/test/raw",
    summary: "Echoes the raw body (test)",
    public: "test route",
    rawBody: true,
    schema: { response: { 200: z.object({ raw: z.string(), parsed: z.boolean() }) } },
    handler: async ({ rawBody, body }) => ({ raw: rawBody!.toString("utf8"), parsed: body !== undefined }),
  }),
];

let db: TestDatabase;
let logs: LogCapture;
let services: Services;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  logs = captureLogs();
  services = createTestServices({ db, logs });
  app = await createHttpApp({ services, routes: [...routes, ...testRoutes], authenticate: authenticateFromHeader });
});

let isDatabaseClosed = false;

afterAll(async () => {
  await app?.close();
  // The last test closes the database on purpose; a closed PGlite is gone, a PostgreSQL one is dropped.
  if (isDatabaseClosed && db.engine === "pglite") return;
  await db?.drop();
});

/** onResponse hooks (the request log line) run just after the reply is flushed. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function errorOf(body: string): { code: string; message: string; requestId: string; details?: unknown } {
  return (JSON.parse(body) as { error: { code: string; message: string; requestId: string; details?: unknown } }).error;
}

describe("route contracts", () => {
  it("every registered route declares a permission or the reason it is public", () => {
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      if (route.access.kind === "public") expect(route.access.reason.trim().length).toBeGreaterThan(2);
      else expect(route.access.permission).toBeTruthy();
    }
  });

  it("defineRoute throws without access, with both, or with a body schema that strips unknown fields", () => {
    const base = {
      method: "GET" as const,
      url: "/x",
      summary: "x",
      schema: { response: { 200: z.object({}) } },
      handler: async () => ({}),
    };
    // @ts-expect-error the type requires one of permission / public
    expect(() => defineRoute(base)).toThrow(/exactly one of `permission` or `public`/);
    // @ts-expect-error the type forbids both
    expect(() => defineRoute({ ...base, permission: "contacts.read", public: "because" })).toThrow(/exactly one/);
    expect(() =>
      defineRoute({
        ...base,
        method: "POST",
        public: "because",
        schema: { body: z.object({ a: z.string() }), response: { 200: z.object({}) } },
      }),
    ).toThrow(/body schema must reject unknown fields/);
    expect(() =>
      defineRoute({
        ...base,
        method: "POST",
        public: "because",
        schema: { body: z.strictObject({ nested: z.object({ a: z.string() }) }), response: { 200: z.object({}) } },
      }),
    ).toThrow(/at nested/);
    expect(() => defineRoute({ ...base, public: "because", rateLimit: { limit: 1, windowMs: 1000, key: "user" } })).toThrow(
      /authenticated/,
    );
  });

  it("refuses to start with a route that lacks access, however it was added", async () => {
    const [health] = routes;
    const handMade = { ...health!, access: undefined } as unknown as RouteDefinition;
    await expect(createHttpApp({ services, routes: [handMade] })).rejects.toThrow(/exactly one of `permission` or `public`/);
    const other = await createHttpApp({ services, routes });
    expect(() => other.get("/sneaky", async () => "hi")).toThrow(/declares no access/);
    await other.close();
  });
});

describe("input validation", () => {
  it("answers an unknown body field with 400 and the path of the object holding it, without echoing its name or value", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/test/contacts",
      payload: { name: "Ann", "KEY-CANARY-1": "VALUE-CANARY-1", address: { city: "B", "KEY-CANARY-2": "VALUE-CANARY-2" } },
    });
    expect(response.statusCode).toBe(400);
    const error = errorOf(response.body);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: ["body"], message: "Unknown field." },
        { path: ["body", "address"], message: "Unknown field." },
      ]),
    );
    expect(response.body).not.toContain("VALUE-CANARY");
    expect(response.body).not.toContain("KEY-CANARY");
  });

  it("validates params and query strictly", async () => {
    const ok = await app.inject({ method: "GET", url: "/test/items/42?limit=5" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ id: "42", limit: 5 });
    const badParam = await app.inject({ method: "GET", url: "/test/items/abc" });
    expect(badParam.statusCode).toBe(400);
    expect(errorOf(badParam.body).details).toEqual([expect.objectContaining({ path: ["params", "id"] })]);
    const unknownQuery = await app.inject({ method: "GET", url: "/test/items/42?debug=1" });
    expect(unknownQuery.statusCode).toBe(400);
    expect(errorOf(unknownQuery.body).details).toEqual([{ path: ["query"], message: "Unknown field." }]);
    const unknownQueries = await app.inject({ method: "GET", url: "/test/items/42?debug=1&trace=1" });
    expect(errorOf(unknownQueries.body).details).toEqual([{ path: ["query"], message: "2 unknown fields." }]);
    expect(unknownQueries.body).not.toMatch(/debug|trace/);
    const noQueryDeclared = await app.inject({ method: "GET", url: "/healthz?x=1" });
    expect(noQueryDeclared.statusCode).toBe(400);
  });

  it("names a record's key, or a key of a union's option it does not declare, never: the path stops at the object holding it", () => {
    const schema = z.strictObject({
      fields: z.record(safeString(20), safeString(5)),
      items: z
        .array(z.union([z.strictObject({ kind: z.literal("a"), size: z.number() }), z.strictObject({ kind: z.literal("b") })]))
        .optional(),
      nested: z.strictObject({ tags: z.record(safeString(20), z.number()).optional() }).optional(),
    });
    const value = { fields: { "KEY-CANARY-1": 5 }, items: [{ kind: "a", size: "x" }], nested: { tags: { "KEY-CANARY-2": "x" } } };
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    const details = toValidationError("body", result.error!.issues, schema).details as Array<{ path: unknown[] }>;
    expect(details.map((detail) => detail.path)).toEqual(
      expect.arrayContaining([
        ["body", "fields"],
        ["body", "items", 0],
        ["body", "nested", "tags"],
      ]),
    );
    expect(JSON.stringify(details)).not.toContain("KEY-CANARY");
  });

  it("answers malformed JSON with 400 MALFORMED_BODY, prototype poisoning included", async () => {
    for (const payload of ['{"name": "Ann"', '{"__proto__": {"admin": true}, "name": "x"}']) {
      const response = await app.inject({
        method: "POST",
        url: "/test/contacts",
        headers: { "content-type": "application/json" },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(errorOf(response.body).code).toBe("MALFORMED_BODY");
      expect(response.body).not.toContain("Ann");
    }
  });

  it("accepts JSON only: other content types get 415", async () => {
    for (const headers of [{ "content-type": "text/plain" }, { "content-type": "application/x-www-form-urlencoded" }, {}]) {
      const response = await app.inject({ method: "POST", url: "/test/contacts", headers, payload: "name=Ann" });
      expect(response.statusCode).toBe(415);
      expect(errorOf(response.body).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
  });

  it("refuses a body over the limit with 413: the route's own, and 64 KB by default", async () => {
    const small = await app.inject({ method: "POST", url: "/test/small", payload: { note: "x".repeat(200) } });
    expect(small.statusCode).toBe(413);
    expect(errorOf(small.body).code).toBe("PAYLOAD_TOO_LARGE");
    const fits = await app.inject({ method: "POST", url: "/test/small", payload: { note: "x" } });
    expect(fits.statusCode).toBe(200);
    const large = await app.inject({ method: "POST", url: "/test/contacts", payload: { name: "x".repeat(70 * 1024) } });
    expect(large.statusCode).toBe(413);
  });

  it("keeps the exact request bytes for rawBody routes", async () => {
    const payload = '{ "a" :  1 }';
    const response = await app.inject({ method: "POST", url: "/test/raw", headers: { "content-type": "application/json" }, payload });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ raw: payload, parsed: false });
  });

  it("never parses a rawBody route's body: the handler gets even malformed JSON as bytes, to verify first", async () => {
    // The webhook receiver checks a signature over these bytes before anything reads them; a parse
    // error here would answer an unsigned sender with 400 instead of the receiver's 403.
    const payload = '{"a": 1, "__proto__": {"x": 1}, ';
    const response = await app.inject({ method: "POST", url: "/test/raw", headers: { "content-type": "application/json" }, payload });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ raw: payload, parsed: false });
  });

  it("refuses to define a rawBody route with a body schema (it parses what it verified itself)", () => {
    expect(() =>
      defineRoute({
        method: "POST",
        url: "/test/raw-with-schema",
        summary: "Both (test)",
        public: "test route",
        rawBody: true,
        schema: { body: z.strictObject({ a: z.number() }), response: { 200: z.object({}) } },
        handler: async () => ({}),
      }),
    ).toThrow(/rawBody/);
  });
});

describe("responses", () => {
  it("serializes through the response schema of the status set: undeclared fields are dropped", async () => {
    const response = await app.inject({ method: "POST", url: "/test/contacts", payload: { name: "Ann", address: { city: "B" } } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: "c1", name: "Ann" });
    expect(response.body).not.toContain("never-serialized-hash");
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("answers 500 when a handler breaks its response contract, and logs it at error", async () => {
    const response = await app.inject({ method: "GET", url: "/test/bad-response" });
    expect(response.statusCode).toBe(500);
    expect(errorOf(response.body).code).toBe("INTERNAL");
    expect(response.body).not.toContain("many");
    await settle();
    const logged = logs.records().find((record) => record.requestId === errorOf(response.body).requestId && record.level === 50);
    expect(logged).toMatchObject({ code: "INTERNAL", err: { type: "ResponseContractError" } });
  });

  it("refuses a reply a handler sends around its response schema", async () => {
    const response = await app.inject({ method: "GET", url: "/test/sends-itself" });
    expect(response.statusCode).toBe(500);
    expect(errorOf(response.body).code).toBe("INTERNAL");
    expect(response.body).not.toContain("never-serialized-hash");
  });

  it("shapes every error the same way: code, message, requestId, never a stack", async () => {
    const response = await app.inject({ method: "GET", url: "/test/throws" });
    expect(response.statusCode).toBe(500);
    const body = response.json<{ error: Record<string, unknown> }>();
    expect(Object.keys(body)).toEqual(["error"]);
    expect(Object.keys(body.error).sort()).toEqual(["code", "message", "requestId"]);
    expect(body.error).toMatchObject({ code: "INTERNAL", message: "Something went wrong on our side." });
    expect(body.error.requestId).toBe(response.headers["x-request-id"]);
    expect(response.body).not.toMatch(/exploded|stack|at .*\.ts/);
  });

  it("answers unknown routes with 404 and known routes with a wrong method with 405, in the same shape", async () => {
    const missing = await app.inject({ method: "GET", url: "/nothing/here" });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing.body)).toMatchObject({ code: "NOT_FOUND", requestId: missing.headers["x-request-id"] });
    const wrongMethod = await app.inject({ method: "DELETE", url: "/healthz" });
    expect(wrongMethod.statusCode).toBe(405);
    expect(errorOf(wrongMethod.body).code).toBe("METHOD_NOT_ALLOWED");
    expect(wrongMethod.headers.allow).toBe("GET, HEAD");
    const wrongOnParam = await app.inject({ method: "PUT", url: "/test/items/42" });
    expect(wrongOnParam.statusCode).toBe(405);
  });
});

describe("access", () => {
  it("answers a permissioned route without credentials with 401, without the permission with 403", async () => {
    const anonymous = await app.inject({ method: "GET", url: "/test/protected" });
    expect(anonymous.statusCode).toBe(401);
    expect(errorOf(anonymous.body).code).toBe("UNAUTHENTICATED");
    const outsider = await app.inject({ method: "GET", url: "/test/protected", headers: { "x-test-caller": "outsider" } });
    expect(outsider.statusCode).toBe(403);
    expect(errorOf(outsider.body).code).toBe("FORBIDDEN");
    const reader = await app.inject({ method: "GET", url: "/test/protected", headers: { "x-test-caller": "reader" } });
    expect(reader.statusCode).toBe(200);
    expect(reader.json()).toEqual({ workspaceId: WORKSPACE_ID });
  });

  it("denies by default: with the default authenticator every permissioned route is 401", async () => {
    const plain = await createHttpApp({ services, routes: testRoutes });
    const response = await plain.inject({ method: "GET", url: "/test/protected", headers: { "x-test-caller": "reader" } });
    expect(response.statusCode).toBe(401);
    await plain.close();
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After and RateLimit headers once the limit is used", async () => {
    const first = await app.inject({ method: "GET", url: "/test/limited" });
    expect(first.statusCode).toBe(200);
    expect(first.headers["ratelimit-limit"]).toBe("2");
    expect(first.headers["ratelimit-remaining"]).toBe("1");
    expect((await app.inject({ method: "GET", url: "/test/limited" })).statusCode).toBe(200);
    const third = await app.inject({ method: "GET", url: "/test/limited" });
    expect(third.statusCode).toBe(429);
    expect(errorOf(third.body).code).toBe("RATE_LIMITED");
    expect(Number(third.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(third.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(third.headers["ratelimit-remaining"]).toBe("0");
  });

  it("fails closed with 503 when the rate-limit store is unreachable", async () => {
    const unreachable = createRedisCoordination("redis://127.0.0.1:1", { logger: services.logger, commandTimeoutMs: 200 });
    const closed = await createHttpApp({ services: { ...services, coordination: unreachable }, routes: testRoutes });
    const response = await closed.inject({ method: "GET", url: "/test/limited" });
    expect(response.statusCode).toBe(503);
    expect(errorOf(response.body).code).toBe("COORDINATION_UNAVAILABLE");
    await closed.close();
    await unreachable.close();
  });
});

describe("headers and request ids", () => {
  it("sets the security headers on every response, errors included, and no X-Powered-By", async () => {
    for (const url of ["/healthz", "/nothing", "/test/throws"]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.headers["content-security-policy"]).toContain("default-src 'self'; script-src 'self'");
      expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(response.headers["content-security-policy"]).not.toContain("unsafe-inline");
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
      expect(response.headers["cross-origin-opener-policy"]).toBe("same-origin");
      expect(response.headers["cross-origin-resource-policy"]).toBe("same-origin");
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.headers["x-powered-by"]).toBeUndefined();
      // Plain HTTP without a declared proxy: HSTS would be meaningless.
      expect(response.headers["strict-transport-security"]).toBeUndefined();
    }
  });

  it("sends HSTS behind a declared TLS-terminating proxy, and takes the client address from it", async () => {
    const proxied = createTestServices({ db, logs, env: { PARLEY_TRUST_PROXY: "1" } });
    const behindProxy = await createHttpApp({ services: proxied, routes: testRoutes });
    const response = await behindProxy.inject({ method: "GET", url: "/test/limited", headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(response.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    // The limiter keyed on the forwarded address: this client has its own budget.
    expect(response.headers["ratelimit-remaining"]).toBe("1");
    await behindProxy.close();
  });

  it("keeps a safe incoming x-request-id and replaces an unsafe one", async () => {
    const kept = await app.inject({ method: "GET", url: "/healthz", headers: { "x-request-id": "proxy-id.0001" } });
    expect(kept.headers["x-request-id"]).toBe("proxy-id.0001");
    for (const unsafe of ["bad id with spaces", "tab\tid-000001", "4915112345678", "x".repeat(65)]) {
      const replaced = await app.inject({ method: "GET", url: "/healthz", headers: { "x-request-id": unsafe } });
      expect(replaced.headers["x-request-id"]).toMatch(/^[A-Za-z0-9_-]{16}$/);
    }
  });

  it("logs one allow-listed line per request: pattern, not URL; no headers, no body", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/test/protected?x=1",
      headers: { "x-test-caller": "reader", "user-agent": "UA-CANARY" },
    });
    await settle();
    const requestId = response.headers["x-request-id"];
    const lines = logs.records().filter((record) => record.requestId === requestId && record.msg === "request");
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(Object.keys(line).sort()).toEqual([
      "durationMs",
      "level",
      "method",
      "msg",
      "requestId",
      "route",
      "service",
      "status",
      "time",
      "workspaceId",
    ]);
    expect(line).toMatchObject({ method: "GET", route: "/test/protected", status: 400 });
    expect(typeof line.durationMs).toBe("number");
    expect(logs.text()).not.toContain("UA-CANARY");
  });
});

describe("TLS", () => {
  let directory: string;
  let tlsApp: FastifyInstance;
  let port: number;
  let certificate: Buffer;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "parley-tls-"));
    const keyFile = join(directory, "key.pem");
    const certFile = join(directory, "cert.pem");
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost",
    ]);
    certificate = await readFile(certFile);
    const tlsServices = createTestServices({ db, logs, env: { PARLEY_TLS_CERT_FILE: certFile, PARLEY_TLS_KEY_FILE: keyFile } });
    tlsApp = await createHttpApp({ services: tlsServices, routes });
    await tlsApp.listen({ host: "127.0.0.1", port: 0 });
    port = (tlsApp.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await tlsApp?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  function handshake(version: SecureVersion): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: "127.0.0.1",
        port,
        servername: "localhost",
        ca: certificate,
        minVersion: version,
        maxVersion: version,
        // Lets the client offer legacy protocols at all, so a refusal comes from the server.
        ciphers: "DEFAULT@SECLEVEL=0",
      });
      socket.once("secureConnect", () => {
        const protocol = socket.getProtocol() ?? "unknown";
        socket.end();
        resolve(protocol);
      });
      socket.once("error", reject);
    });
  }

  it("serves HTTPS directly with HSTS", async () => {
    const response = await new Promise<{ status: number; hsts: string | undefined; body: string }>((resolve, reject) => {
      httpsGet({ host: "127.0.0.1", port, path: "/healthz", servername: "localhost", ca: certificate }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, hsts: res.headers["strict-transport-security"], body }));
      }).on("error", reject);
    });
    expect(response).toEqual({ status: 200, hsts: "max-age=31536000; includeSubDomains", body: '{"status":"ok"}' });
  });

  it("completes TLS 1.2 and TLS 1.3 handshakes", async () => {
    expect(await handshake("TLSv1.2")).toBe("TLSv1.2");
    expect(await handshake("TLSv1.3")).toBe("TLSv1.3");
  });

  it("answers malformed HTTP with 400 BAD_REQUEST in the error shape", async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port, servername: "localhost", ca: certificate }, () => {
        socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nBad Header With Spaces\r\n\r\n");
      });
      let data = "";
      socket.on("data", (chunk: Buffer) => (data += chunk.toString()));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain("x-content-type-options: nosniff");
    expect(raw).toContain('"code":"BAD_REQUEST"');
  });

  it("refuses TLS 1.1", async () => {
    await expect(handshake("TLSv1.1")).rejects.toMatchObject({ code: "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION" });
  });
});

describe("readiness", () => {
  it("answers /livez, /healthz and /readyz", async () => {
    expect((await app.inject({ method: "GET", url: "/livez" })).json()).toEqual({ status: "ok" });
    expect((await app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ready", checks: { database: "ok", coordination: "ok" } });
  });

  // A Redis outage must not take every instance out of rotation: limited routes refuse on their own.
  it("stays ready on /readyz when coordination is down, reporting it degraded", async () => {
    const unreachable = createRedisCoordination("redis://127.0.0.1:1", { logger: services.logger, commandTimeoutMs: 200 });
    const degraded = await createHttpApp({ services: { ...services, coordination: unreachable }, routes });
    const response = await degraded.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ready", checks: { database: "ok", coordination: "degraded" } });
    await degraded.close();
    await unreachable.close();
  });

  // Last: it closes the file's database.
  it("answers /readyz with 503 NOT_READY when the database is gone", async () => {
    await db.close();
    isDatabaseClosed = true;
    const response = await app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(errorOf(response.body)).toMatchObject({ code: "NOT_READY", details: { checks: { database: "failed", coordination: "ok" } } });
  });
});
