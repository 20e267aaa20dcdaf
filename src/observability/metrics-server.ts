import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../log/logger.ts";
import type { Services } from "../services.ts";
import type { Metrics } from "./metrics.ts";
import { checkReadiness } from "./readiness.ts";

// The observability listener, one per process whatever its role (PARLEY_METRICS_PORT): Prometheus'
// GET /metrics and the probes GET /livez (/healthz) and GET /readyz. The worker-only role has no
// API port, so this is where its orchestrator and its scraper reach it.
//
// Why a listener of its own rather than routes of the API: the API is public, and metrics describe
// traffic, queues and failures of every tenant together; on a separate port bound to loopback by
// default (PARLEY_METRICS_HOST) they are reachable only from the host or the network an operator
// chooses, and never through the reverse proxy. The API's port answers /metrics with 404. A bearer
// token (PARLEY_METRICS_TOKEN) may be required on top, and is in production beyond loopback
// (src/config.ts). Four fixed paths, no input read but the method, path and Authorization header:
// a plain node:http server, not the API's Fastify pipeline.

export type MetricsServerOptions = {
  host: string;
  port: number;
  /** Required as `Authorization: Bearer <token>` for /metrics when set. */
  token: string | undefined;
  metrics: Metrics;
  services: Pick<Services, "db" | "coordination">;
  logger: Logger;
};

export type MetricsServer = {
  /** http://host:port of the listener (the port is the bound one when 0 was asked). */
  readonly address: string;
  close(): Promise<void>;
};

const JSON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { metrics, services, logger } = options;
  const expected = options.token === undefined ? undefined : digest(options.token);

  const answerJson = (response: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, { ...JSON_HEADERS, "content-length": String(Buffer.byteLength(text)), ...extra });
    response.end(text);
  };

  const isAuthorized = (request: IncomingMessage): boolean => {
    if (!expected) return true;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer ([\x21-\x7e]{1,256})$/.exec(header);
    // Compared as digests: equal length whatever was sent, in constant time.
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? "").split("?")[0];
    const known = path === "/metrics" || path === "/livez" || path === "/healthz" || path === "/readyz";
    if (!known) return answerJson(response, 404, { error: { code: "NOT_FOUND" } });
    if (request.method !== "GET" && request.method !== "HEAD")
      return answerJson(response, 405, { error: { code: "METHOD_NOT_ALLOWED" } }, { allow: "GET, HEAD" });
    if (path === "/livez" || path === "/healthz") return answerJson(response, 200, { status: "ok" });
    if (path === "/readyz") {
      const readiness = await checkReadiness(services);
      if (!readiness.isReady)
        logger.warn({ component: "metrics", checks: readiness.checks, err: readiness.error }, "readiness check failed");
      return answerJson(
        response,
        readiness.isReady ? 200 : 503,
        readiness.isReady
          ? { status: "ready", checks: readiness.checks }
          : { error: { code: "NOT_READY", details: { checks: readiness.checks } } },
      );
    }
    if (!isAuthorized(request))
      return answerJson(response, 401, { error: { code: "UNAUTHENTICATED" } }, { "www-authenticate": 'Bearer realm="metrics"' });
    const text = await metrics.render();
    response.writeHead(200, {
      "content-type": metrics.contentType,
      "cache-control": "no-store",
      "content-length": String(Buffer.byteLength(text)),
    });
    response.end(request.method === "HEAD" ? undefined : text);
  };

  const server: Server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (request, response) => {
    // The body of a GET is never read; drain it so the connection can be reused.
    request.resume();
    handle(request, response).catch((error: unknown) => {
      logger.error({ component: "metrics", err: error }, "metrics listener failed to answer");
      if (!response.headersSent) answerJson(response, 500, { error: { code: "INTERNAL" } });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = bound && typeof bound === "object" ? bound.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    address: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
