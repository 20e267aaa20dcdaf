import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../../src/errors.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { defineRoute, RouteDefinitionError, type RouteDefinition } from "../../src/http/define-route.ts";
import { safeString } from "../../src/http/safe-string.ts";
import type { Services } from "../../src/services.ts";
import { startTestHttpApp, type TestHttpApp } from "../support/http-app.ts";
import type { LogCapture } from "../support/services.ts";

// The lean lane (src/http/lean-lane.ts) serves `lean` routes around Fastify's pipeline. These tests
// hold it to two promises: a request it serves is answered exactly as Fastify answers the same
// request to the same route (compared with app.inject, which always takes Fastify's path), and
// every request outside its plain shape is left to Fastify. A Fastify onRequest hook counts the
// requests Fastify saw, so each test knows which path answered.

const lean: RouteDefinition[] = [
  defineRoute({
    method: "POST",
    url: "/test/hooks/:hookKey",
    summary: "A lean signed-hook route (test)",
    public: "test route",
    rawBody: true,
    lean: true,
    bodyLimit: 1024,
    errors: ["FORBIDDEN"],
    schema: {
      params: z.strictObject({ hookKey: safeString(16) }),
      response: { 200: z.object({ received: z.literal(true), bytes: z.number() }) },
    },
    handler: async ({ params, rawBody, headers }) => {
      if (params.hookKey === "explode") throw new Error("storage exploded");
      if (params.hookKey === "contract") return { received: true, bytes: "many" } as unknown as { received: true; bytes: number };
      if (headers["x-test-signature"] !== "good") throw new AppError("FORBIDDEN");
      // Extra fields never leave: the response schema drops them on both paths.
      return { received: true as const, bytes: rawBody!.length, secret: "never-serialized" };
    },
  }),
];

let http: TestHttpApp | undefined;
let logs: LogCapture;
let services: Services;
let app: FastifyInstance;
let port: number;
let seenByFastify = 0;

beforeAll(async () => {
  http = await startTestHttpApp({ routes: lean, authenticate: false });
  ({ logs, services, app } = http);
  app.addHook("onRequest", async () => {
    seenByFastify += 1;
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await http?.close();
});

type Answer = { status: number; headers: Record<string, string>; body: string; viaFastify: boolean };

/** Over the network: the lane's chance to serve it. `body: null` sends it chunked (no Content-Length). */
function send(path: string, options: { body?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const before = seenByFastify;
  const body = options.body === undefined ? '{"hello":"caf\\u00e9"}' : options.body;
  const headers: Record<string, string> = { "content-type": "application/json", "x-test-signature": "good", ...options.headers };
  if (body !== null) headers["content-length"] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port, path, method: "POST", headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString("utf8"),
          viaFastify: seenByFastify > before,
        }),
      );
    });
    request.on("error", reject);
    if (body === null) {
      request.write('{"hello":');
      request.end('"chunked"}');
    } else {
      request.end(body);
    }
  });
}

/** The same request through Fastify's pipeline only. */
async function inject(path: string, headers: Record<string, string> = {}): Promise<Omit<Answer, "viaFastify">> {
  const response = await app.inject({
    method: "POST",
    url: path,
    headers: { "content-type": "application/json", "x-test-signature": "good", ...headers },
    payload: '{"hello":"caf\\u00e9"}',
  });
  return { status: response.statusCode, headers: response.headers as Record<string, string>, body: response.body };
}

/** What must match between the two paths: everything but what differs per request or per connection. */
function comparable(answer: Omit<Answer, "viaFastify">) {
  const { date: _date, connection: _connection, "keep-alive": _keepAlive, "x-request-id": requestId, ...headers } = answer.headers;
  let body: unknown = answer.body;
  try {
    body = JSON.parse(answer.body);
    const error = (body as { error?: { requestId?: string } }).error;
    if (error) {
      // Each answer names its own request id, in the body and in the header alike.
      expect(error.requestId).toBe(requestId);
      error.requestId = "(request id)";
    }
  } catch {
    // not JSON: compared as text
  }
  return { status: answer.status, headers, body };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("the lean lane serves its routes as Fastify would", () => {
  it("answers a plain request itself, with the same status, headers and body as Fastify's path", async () => {
    logs.lines.length = 0;
    const served = await send("/test/hooks/abc");
    await settle();
    const servedLogs = logs.records().map(({ time: _time, requestId: _id, durationMs: _ms, ...rest }) => rest);
    expect(served.viaFastify).toBe(false);
    expect(served.status).toBe(200);
    expect(JSON.parse(served.body)).toEqual({ received: true, bytes: 21 });
    expect(served.body).not.toContain("never-serialized");
    expect(served.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(served.headers["cache-control"]).toBe("no-store");
    logs.lines.length = 0;
    expect(comparable(served)).toEqual(comparable(await inject("/test/hooks/abc")));
    await settle();
    // The request line, written through the lane's own child logger, is the one Fastify's path writes.
    expect(servedLogs).toEqual(logs.records().map(({ time: _time, requestId: _id, durationMs: _ms, ...rest }) => rest));
    expect(servedLogs).toHaveLength(1);
  });

  it("answers the handler's refusals, its failures and broken contracts in the same error shape, and logs them alike", async () => {
    for (const [path, headers, status, code] of [
      ["/test/hooks/abc", { "x-test-signature": "bad" }, 403, "FORBIDDEN"],
      ["/test/hooks/explode", {}, 500, "INTERNAL"],
      ["/test/hooks/contract", {}, 500, "INTERNAL"],
    ] as const) {
      logs.lines.length = 0;
      const served = await send(path, { headers });
      await settle();
      const servedLogs = logs
        .records()
        .map(({ time: _time, requestId: _id, durationMs: _ms, pid: _pid, hostname: _host, ...rest }) => rest);
      expect(served.viaFastify).toBe(false);
      expect(served.status).toBe(status);
      expect(JSON.parse(served.body).error.code).toBe(code);
      logs.lines.length = 0;
      expect(comparable(served)).toEqual(comparable(await inject(path, headers)));
      await settle();
      const injectedLogs = logs
        .records()
        .map(({ time: _time, requestId: _id, durationMs: _ms, pid: _pid, hostname: _host, ...rest }) => rest);
      // The refusal or failure line, then the request line: the same fields, the route pattern only.
      expect(servedLogs.map((line) => line.msg)).toEqual(injectedLogs.map((line) => line.msg));
      expect(servedLogs.map((line) => ({ ...line, err: undefined }))).toEqual(injectedLogs.map((line) => ({ ...line, err: undefined })));
      expect(JSON.stringify(servedLogs)).not.toContain(path);
    }
  });

  it("validates the parameter with the route's schema", async () => {
    const served = await send(`/test/hooks/${"k".repeat(17)}`);
    expect(served.viaFastify).toBe(false);
    expect(served.status).toBe(400);
    expect(JSON.parse(served.body).error).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: ["params", "hookKey"] }] });
    expect(comparable(served)).toEqual(comparable(await inject(`/test/hooks/${"k".repeat(17)}`)));
  });

  it("keeps a safe incoming x-request-id and replaces an unsafe one, as Fastify does", async () => {
    expect((await send("/test/hooks/abc", { headers: { "x-request-id": "req-12345678" } })).headers["x-request-id"]).toBe("req-12345678");
    const replaced = await send("/test/hooks/abc", { headers: { "x-request-id": "+4915112345678" } });
    expect(replaced.viaFastify).toBe(false);
    expect(replaced.headers["x-request-id"]).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("survives a client that leaves in the middle of a body", async () => {
    await new Promise<void>((resolve) => {
      const request = httpRequest({
        host: "127.0.0.1",
        port,
        path: "/test/hooks/abc",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": "100" },
      });
      request.on("error", () => resolve());
      request.write('{"half":', () => {
        request.destroy();
        setTimeout(resolve, 20);
      });
    });
    expect((await send("/test/hooks/abc")).status).toBe(200);
  });
});

describe("the lean lane leaves every other request to Fastify", () => {
  it("a query string, an unknown path shape, another method: Fastify answers", async () => {
    const withQuery = await send("/test/hooks/abc?x=1");
    expect(withQuery).toMatchObject({ viaFastify: true, status: 400 });
    expect(JSON.parse(withQuery.body).error.code).toBe("VALIDATION_FAILED");
    expect(await send("/test/hooks/abc/more")).toMatchObject({ viaFastify: true, status: 404 });
    expect(await send("/test/hooks/a%62c")).toMatchObject({ viaFastify: true, status: 200 });
    const put = await new Promise<{ status: number }>((resolve) => {
      const request = httpRequest({ host: "127.0.0.1", port, path: "/test/hooks/abc", method: "PUT" }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0 });
      });
      request.end();
    });
    expect(put.status).toBe(405);
  });

  it("another content type, a body over the limit, a chunked body: Fastify answers (415, 413, and the same handler)", async () => {
    const text = await send("/test/hooks/abc", { headers: { "content-type": "text/plain" } });
    expect(text).toMatchObject({ viaFastify: true, status: 415 });
    const large = await send("/test/hooks/abc", { body: JSON.stringify({ pad: "x".repeat(2000) }) });
    expect(large).toMatchObject({ viaFastify: true, status: 413 });
    const chunked = await send("/test/hooks/abc", { body: null });
    expect(chunked).toMatchObject({ viaFastify: true, status: 200 });
    expect(JSON.parse(chunked.body)).toEqual({ received: true, bytes: 19 });
  });
});

describe("lean route contracts", () => {
  const base = {
    method: "POST" as const,
    url: "/test/hooks/:hookKey",
    summary: "test",
    rawBody: true,
    lean: true as const,
    schema: { response: { 200: z.object({ ok: z.boolean() }) } },
    handler: async () => ({ ok: true }),
  };
  it("refuses a lean route that needs anything the lane does not do", () => {
    expect(() => defineRoute({ ...base, permission: "contacts.read" })).toThrow(RouteDefinitionError);
    expect(() => defineRoute({ ...base, public: "test route", rateLimit: { limit: 1, windowMs: 1000, key: "ip" } })).toThrow(/rate limit/);
    expect(() => defineRoute({ ...base, public: "test route", rawBody: false })).toThrow(/rawBody/);
    expect(() => defineRoute({ ...base, public: "test route", url: "/test/hooks" })).toThrow(/one parameter/);
    expect(() => defineRoute({ ...base, public: "test route", url: "/test/:hookKey/more" })).toThrow(/one parameter/);
    expect(() => defineRoute({ ...base, public: "test route", schema: { ...base.schema, query: z.strictObject({}) } })).toThrow(/query/);
    expect(() => defineRoute({ ...base, public: "test route" })).not.toThrow();
  });

  it("refuses to start when a lean route would shadow another route under its prefix", async () => {
    const other = defineRoute({
      method: "POST",
      url: "/test/hooks/status",
      summary: "test",
      public: "test route",
      schema: { response: { 200: z.object({ ok: z.boolean() }) } },
      handler: async () => ({ ok: true }),
    });
    await expect(createHttpApp({ services, routes: [...lean, other] })).rejects.toThrow(/would shadow POST \/test\/hooks\/status/);
  });
});
