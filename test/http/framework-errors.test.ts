import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCatalogue } from "../../src/errors.ts";
import { buildSecurityHeaders } from "../../src/http/security-headers.ts";
import { registerDashboard } from "../../src/http/static.ts";
import type { Services } from "../../src/services.ts";
import { startTestHttpApp, type TestHttpApp } from "../support/http-app.ts";

// Requests the framework refuses before any route runs — by the HTTP parser, the router, the body
// parsers — are answered like every other error: `{ error: { code, message, requestId } }` with a
// catalogue code, the security headers, and nothing of the request echoed back. One test per class,
// over a real socket (the app as it runs, dashboard included), raw where fetch cannot send it.

let http: TestHttpApp | undefined;
let services: Services;
let app: FastifyInstance;
let port: number;
let dashboardDir: string;
const DASHBOARD_HTML = "<!doctype html><title>dashboard</title>";
const securityHeaders = buildSecurityHeaders({ hsts: false });

beforeAll(async () => {
  http = await startTestHttpApp();
  ({ services, app } = http);
  dashboardDir = await mkdtemp(join(tmpdir(), "parley-dashboard-"));
  await writeFile(join(dashboardDir, "index.html"), DASHBOARD_HTML);
  await registerDashboard(app, services, { dir: dashboardDir });
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await http?.close();
  if (dashboardDir) await rm(dashboardDir, { recursive: true, force: true });
});

type RawResponse = { status: number; headers: Record<string, string>; body: string };

/** Sends bytes as they are over a new connection and reads the first response. */
async function sendRaw(request: string | Buffer): Promise<RawResponse> {
  const socket = connect({ host: "127.0.0.1", port });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", resolve);
    socket.on("close", () => resolve());
    socket.on("error", reject);
  });
  socket.write(request);
  await done;
  const text = Buffer.concat(chunks).toString("latin1");
  const headEnd = text.indexOf("\r\n\r\n");
  const [statusLine, ...headerLines] = text.slice(0, headEnd).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = Buffer.from(text.slice(headEnd + 4), "latin1");
  const length = headers["content-length"];
  if (length !== undefined) body = body.subarray(0, Number(length));
  return { status: Number(statusLine!.split(" ")[1]), headers, body: body.toString("utf8") };
}

function rawRequest(method: string, target: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Buffer {
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
  const headers = {
    host: "localhost",
    connection: "close",
    ...(options.body === undefined ? {} : { "content-length": String(body.length) }),
    ...options.headers,
  };
  const head = `${method} ${target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}

async function sendFetch(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<RawResponse> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: init.headers, body: init.body });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

/** The one error shape, the catalogue's status for the code, the security headers, and no echo of `echoes`. */
function expectError(response: RawResponse, status: number, code: string, echoes: readonly string[] = []): void {
  expect({ status: response.status, type: response.headers["content-type"] }).toEqual({ status, type: "application/json; charset=utf-8" });
  const body = JSON.parse(response.body) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error).toMatchObject({ code, message: errorCatalogue[code as keyof typeof errorCatalogue].message });
  expect(body.error.requestId).toEqual(response.headers["x-request-id"]);
  expect(Object.keys(body.error).every((key) => ["code", "message", "requestId", "details"].includes(key))).toBe(true);
  expect(errorCatalogue[code as keyof typeof errorCatalogue].status).toBe(status);
  for (const [name, value] of Object.entries(securityHeaders)) expect(response.headers[name], name).toBe(value);
  for (const echo of echoes) {
    expect(response.body).not.toContain(echo);
    expect(JSON.stringify(response.headers)).not.toContain(echo);
  }
}

describe("errors the router raises before a route runs", () => {
  it("answers malformed percent-encoding in the path with 400 BAD_REQUEST, without echoing it", async () => {
    expectError(await sendFetch("GET", "/api/v1/auth/%ff"), 400, "BAD_REQUEST", ["%ff", "auth"]);
    expectError(await sendRaw(rawRequest("GET", "/api/v1/auth/%zz-marker")), 400, "BAD_REQUEST", ["%zz", "marker"]);
  });

  it("names the parameter when invalid percent-encoding sits in a route's path parameter", async () => {
    const response = await sendFetch("GET", "/media/%ed%a0%80-marker");
    expectError(response, 400, "VALIDATION_FAILED", ["marker", "%ed"]);
    expect(
      (JSON.parse(response.body) as { error: { details: Array<{ path: unknown[] }> } }).error.details.map((detail) => detail.path),
    ).toEqual([["params", "token"]]);
  });

  it("answers an over-long path parameter in the error shape (never 414 echoing the path)", async () => {
    const long = `marker${"a".repeat(5000)}`;
    const tokenRoute = await sendFetch("GET", `/media/${long}`);
    expectError(tokenRoute, 400, "VALIDATION_FAILED", [long.slice(0, 40)]);
    expect((JSON.parse(tokenRoute.body) as { error: { details: Array<{ path: unknown[] }> } }).error.details[0]!.path).toEqual([
      "params",
      "token",
    ]);
    expectError(await sendFetch("GET", `/api/v1/auth/${long}`), 404, "NOT_FOUND", [long.slice(0, 40)]);
    expectError(await sendFetch("POST", `/api/v1/workspaces/${long}/contacts`), 401, "UNAUTHENTICATED", [long.slice(0, 40)]);
  });

  it("answers an unknown path under /api/ with a JSON 404, whatever the method", async () => {
    for (const method of ["GET", "HEAD", "POST", "DELETE"]) {
      const response = await sendFetch(method, "/api/v1/no-such-thing");
      if (method === "HEAD") {
        expect(response.status).toBe(404);
        expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
        continue;
      }
      expectError(response, 404, "NOT_FOUND", ["no-such-thing"]);
    }
  });

  it("answers TRACE, PROPFIND and other methods the router knows with 405 and Allow on a served URL, 404 elsewhere", async () => {
    for (const method of ["TRACE", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT", "MKCALENDAR"]) {
      const response = await sendRaw(rawRequest(method, "/api/v1/auth/login"));
      expectError(response, 405, "METHOD_NOT_ALLOWED");
      expect(response.headers.allow, method).toBe("POST");
      expectError(await sendRaw(rawRequest(method, "/api/v1/nowhere-marker")), 404, "NOT_FOUND", ["nowhere-marker"]);
    }
  });

  it("answers OPTIONS with 405 where it is not served", async () => {
    const response = await sendFetch("OPTIONS", "/api/v1/auth/login");
    expectError(response, 405, "METHOD_NOT_ALLOWED");
    expect(response.headers.allow).toBe("POST");
  });

  it("answers methods the HTTP parser knows but the router does not (PURGE, LINK) in the error shape", async () => {
    for (const method of ["PURGE", "LINK", "UNLINK", "ACL", "BIND", "NOTIFY", "SUBSCRIBE"]) {
      const response = await sendRaw(rawRequest(method, "/api/v1/auth/login"));
      expect([404, 405], method).toContain(response.status);
      expectError(response, response.status, response.status === 404 ? "NOT_FOUND" : "METHOD_NOT_ALLOWED");
    }
  });

  it("answers a method the HTTP parser does not know with 400 BAD_REQUEST", async () => {
    expectError(await sendRaw(rawRequest("FROBNICATE", "/api/v1/auth/login")), 400, "BAD_REQUEST", ["FROBNICATE"]);
  });

  it("answers request targets that are not paths (asterisk form, no leading slash, a bad absolute URL) in the error shape", async () => {
    for (const target of ["*", "no-slash-marker", "http://[bad-marker/x", "/api/v1/%-marker"]) {
      const response = await sendRaw(rawRequest("GET", target));
      expect([400, 404], target).toContain(response.status);
      expectError(response, response.status, response.status === 400 ? "BAD_REQUEST" : "NOT_FOUND", ["marker"]);
    }
  });
});

describe("errors the body parsers raise", () => {
  const login = "/api/v1/auth/login";

  it("answers a body over the limit with 413 PAYLOAD_TOO_LARGE", async () => {
    const body = JSON.stringify({ email: `marker${"a".repeat(70_000)}@example.test`, password: "x" });
    expectError(await sendFetch("POST", login, { headers: { "content-type": "application/json" }, body }), 413, "PAYLOAD_TOO_LARGE", [
      "marker",
    ]);
  });

  it("answers a declared length over the limit with 413 before reading the body", async () => {
    const response = await sendRaw(
      Buffer.from(
        `POST ${login} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 10000000\r\n\r\n{`,
        "latin1",
      ),
    );
    expectError(response, 413, "PAYLOAD_TOO_LARGE");
  });

  it("answers an unsupported content type with 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    expectError(
      await sendFetch("POST", login, { headers: { "content-type": "text/plain-marker" }, body: "email=a" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      ["plain-marker"],
    );
    expectError(
      await sendFetch("POST", login, { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "email=a" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it("answers a body without a content type with 415", async () => {
    const response = await sendRaw(rawRequest("POST", login, { body: '{"email":"marker"}' }));
    expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE", ["marker"]);
  });

  it("answers malformed JSON with 400 MALFORMED_BODY, without the parser's snippet of it", async () => {
    expectError(
      await sendFetch("POST", login, { headers: { "content-type": "application/json" }, body: '{"email": marker' }),
      400,
      "MALFORMED_BODY",
      ["marker"],
    );
    expectError(
      await sendFetch("POST", login, { headers: { "content-type": "application/json" }, body: '{"__proto__": {"marker": 1}}' }),
      400,
      "MALFORMED_BODY",
      ["marker"],
    );
  });

  it("answers an empty JSON body on a route that needs one with 400 VALIDATION_FAILED naming the body", async () => {
    const response = await sendRaw(rawRequest("POST", login, { headers: { "content-type": "application/json" }, body: "" }));
    expectError(response, 400, "VALIDATION_FAILED");
    expect((JSON.parse(response.body) as { error: { details: Array<{ path: unknown[] }> } }).error.details[0]!.path).toEqual(["body"]);
  });

  it("answers a chunked body that never ends properly with 400 in the error shape", async () => {
    const response = await sendRaw(
      Buffer.from(
        `POST ${login} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz-marker\r\n`,
        "latin1",
      ),
    );
    expectError(response, 400, "BAD_REQUEST", ["marker"]);
  });

  it("answers conflicting Content-Length and Transfer-Encoding (request smuggling) with 400", async () => {
    const response = await sendRaw(
      Buffer.from(
        `POST ${login} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`,
        "latin1",
      ),
    );
    expectError(response, 400, "BAD_REQUEST");
  });
});

describe("errors of the HTTP parser", () => {
  it("answers headers over the server's limit with 431 HEADERS_TOO_LARGE", async () => {
    const response = await sendRaw(rawRequest("GET", "/healthz", { headers: { "x-marker": "m".repeat(20_000) } }));
    expectError(response, 431, "HEADERS_TOO_LARGE", ["mmmmmmmm"]);
  });

  it("answers a URL over the server's header limit with 431 in the error shape, without echoing it", async () => {
    const response = await sendRaw(rawRequest("GET", `/api/v1/${"u".repeat(20_000)}`));
    expectError(response, 431, "HEADERS_TOO_LARGE", ["uuuuuuuu"]);
  });

  it("answers a malformed header line with 400 BAD_REQUEST", async () => {
    const response = await sendRaw(Buffer.from("GET /healthz HTTP/1.1\r\nhost: localhost\r\nbad header marker\r\n\r\n", "latin1"));
    expectError(response, 400, "BAD_REQUEST", ["marker"]);
  });
});

describe("documents and the dashboard", () => {
  it("serves GET /openapi.json as the generated OpenAPI document (docs/openapi.json), not the dashboard", async () => {
    const response = await sendFetch("GET", "/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.body).toBe(await readFile(new URL("../../docs/openapi.json", import.meta.url), "utf8"));
    for (const [name, value] of Object.entries(securityHeaders)) expect(response.headers[name], name).toBe(value);
    expectError(await sendFetch("POST", "/openapi.json"), 405, "METHOD_NOT_ALLOWED");
  });

  it("still serves the dashboard's pages outside /api/", async () => {
    const response = await sendFetch("GET", "/login");
    expect(response.status).toBe(200);
    expect(response.body).toBe(DASHBOARD_HTML);
  });
});

describe("the lean lane", () => {
  it("answers in the same shape with the same headers as every other error", async () => {
    const response = await sendRaw(
      rawRequest("POST", "/webhooks/whatsapp/unknown-key-marker", { headers: { "content-type": "application/json" }, body: "{}" }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expectError(response, response.status, (JSON.parse(response.body) as { error: { code: string } }).error.code, ["unknown-key-marker"]);
  });

  it("leaves a webhook path with invalid percent-encoding to the router, which names the parameter", async () => {
    const response = await sendRaw(
      rawRequest("POST", "/webhooks/whatsapp/%ff%fe", { headers: { "content-type": "application/json" }, body: "{}" }),
    );
    expectError(response, 400, "VALIDATION_FAILED");
    expect((JSON.parse(response.body) as { error: { details: Array<{ path: unknown[] }> } }).error.details[0]!.path).toEqual([
      "params",
      "webhookKey",
    ]);
  });
});
