import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraphFetch } from "./graph-fetch.ts";
import { isNeverSentError } from "./send/outcomes.ts";

// The send path's transport against a real HTTP server: fetch's contract where the Graph client
// and the send worker rely on it.

let server: http.Server;
let base: string;
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
const graphFetch = createGraphFetch({ maxSockets: 4 });

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      if (request.url === "/redirect") {
        response.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
      } else if (request.url === "/slow") {
        setTimeout(() => response.end("{}"), 2_000).unref();
      } else if (request.url === "/huge") {
        response.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        for (let i = 0; i < 6; i += 1) response.write(chunk);
        response.end();
      } else if (request.url === "/empty") {
        response.writeHead(204).end();
      } else {
        response.writeHead(request.url === "/refused" ? 400 : 200, { "content-type": "application/json", "x-fb-trace-id": "abc" });
        response.end(JSON.stringify({ echo: Buffer.concat(chunks).toString("utf8"), caf: "café" }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  graphFetch.close();
  await new Promise((resolve) => server.close(resolve));
});

describe("createGraphFetch", () => {
  it("POSTs the exact body with its headers and answers a Response with status, headers and UTF-8 body", async () => {
    const body = JSON.stringify({ messaging_product: "whatsapp", text: { body: "grüße" } });
    const response = await graphFetch(`${base}/v25.0/123/messages?x=1`, {
      method: "POST",
      headers: { authorization: "Bearer t0ken", "content-type": "application/json" },
      body,
      redirect: "error",
    });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get("x-fb-trace-id")).toBe("abc");
    expect(await response.json()).toEqual({ echo: body, caf: "café" });
    const request = seen.at(-1)!;
    expect(request).toMatchObject({ method: "POST", url: "/v25.0/123/messages?x=1", body });
    expect(request.headers.authorization).toBe("Bearer t0ken");
    expect(request.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
  });

  it("keeps connections alive: many sends reuse a few sockets", async () => {
    const before = new Set<string>();
    server.on("connection", (socket) => before.add(`${socket.remotePort}`));
    await Promise.all(Array.from({ length: 40 }, () => graphFetch(`${base}/ok`, { method: "POST", body: "{}" }).then((r) => r.text())));
    expect(before.size).toBeLessThanOrEqual(4);
  });

  it("answers refusals as responses (the client reads Meta's error body), and 204 with no body", async () => {
    const refused = await graphFetch(`${base}/refused`, { method: "POST", body: "{}" });
    expect(refused.status).toBe(400);
    expect(refused.ok).toBe(false);
    const empty = await graphFetch(`${base}/empty`, { method: "POST", body: "{}" });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
  });

  it("refuses redirects, as fetch with redirect: error does", async () => {
    await expect(graphFetch(`${base}/redirect`, { method: "POST", body: "{}", redirect: "error" })).rejects.toThrow(/redirect/);
  });

  it("cancels the request when the signal fires (the client's timeout)", async () => {
    const started = Date.now();
    await expect(graphFetch(`${base}/slow`, { method: "POST", body: "{}", signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("stops reading an answer over 5 MB", async () => {
    await expect(graphFetch(`${base}/huge`, { method: "POST", body: "{}" })).rejects.toThrow(/exceeds/);
  });

  it("fails a connection that could not be made with the system's code, which proves the send never left", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await graphFetch(`http://127.0.0.1:${port}/v25.0/1/messages`, { method: "POST", body: "{}" }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "ECONNREFUSED" });
    expect(isNeverSentError(error)).toBe(true);
  });

  it("hands anything but a POST with a string body to the global fetch", async () => {
    const response = await graphFetch(`${base}/get-me`, { method: "GET" });
    expect(response.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/get-me" });
  });
});
