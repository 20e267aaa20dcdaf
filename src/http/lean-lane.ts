import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { FastifyInstance } from "fastify";
import type { Services } from "../services.ts";
import type { RouteDefinition } from "./define-route.ts";
import { renderErrorBody } from "./errors.ts";
import { logFailure, logRequest, parseInput, serializeResponse } from "./exchange.ts";
import { resolveRequestId } from "./request-id.ts";
import { nameRequestSpan } from "../observability/trace-context.ts";

// The lean lane: routes defined `lean: true` (Meta's webhook POST) are served straight from Node's
// HTTP server, around Fastify's per-request pipeline (router, hooks, content-type parsers, request
// and reply objects). On the webhook path that pipeline cost about as much CPU as verifying and
// storing the delivery (bench/webhook-ingest.bench.ts), and Meta sends several webhooks per
// message sent.
//
// The lane takes a request only in the plain shape that route expects: the method, the URL's
// static prefix and one parameter (no further segment, no query, nothing percent-encoded), a JSON
// content type and a declared Content-Length within the route's body limit, while the app is not
// closing. Every other request goes on to Fastify, where the same route and handler answer it as
// any route does (400, 413, 415, 503 …). What Fastify adds to an answer, the lane adds too, from
// the same code (src/http/exchange.ts): the parameter schema, the response schema, the error body,
// the security headers, the request id, `cache-control: no-store`, and the log lines. The HTTP
// server's own limits (request timeout, keep-alive, header sizes) are the server's and apply alike.

const JSON_TYPE = /^application\/json(?:;|$)/;
/** One path segment, unencoded: a query, a further segment or a percent-escape goes to Fastify. */
const PARAM_VALUE = /^[A-Za-z0-9._~-]{1,512}$/;

type LaneRoute = {
  route: RouteDefinition;
  prefix: string;
  param: string;
  bodyLimit: number;
  isAllowedSource: ((address: string) => boolean) | undefined;
};

/**
 * Puts the lane in front of Fastify's request handler on the app's server. Does nothing when no
 * route is lean. `app.inject` bypasses the server, so injected requests always take Fastify's path.
 */
export function attachLeanLane(
  app: FastifyInstance,
  options: {
    services: Services;
    routes: readonly RouteDefinition[];
    securityHeaders: Record<string, string>;
    defaultBodyLimit: number;
    /** Routes that accept listed address ranges only, and each route's check. */
    allowLists?: ReadonlyMap<RouteDefinition, (address: string) => boolean>;
  },
): void {
  const lanes: LaneRoute[] = options.routes
    .filter((route) => route.lean)
    .map((route) => {
      const cut = route.url.lastIndexOf("/:") + 1;
      return {
        route,
        prefix: route.url.slice(0, cut),
        param: route.url.slice(cut + 1),
        bodyLimit: route.bodyLimit ?? options.defaultBodyLimit,
        isAllowedSource: options.allowLists?.get(route),
      };
    });
  // Behind a trusted proxy the client's address is Fastify's to work out (X-Forwarded-For and the
  // trust setting); the lane reads only the socket's, so it takes address-listed requests only without a proxy.
  const readsSocketAddress = options.services.config.http.trustProxy === false;
  if (lanes.length === 0) return;
  // Fastify's router would prefer a static route under the same prefix; the lane would not.
  for (const lane of lanes) {
    const shadowed = options.routes.find(
      (route) => route !== lane.route && route.method === lane.route.method && route.url.startsWith(lane.prefix),
    );
    if (shadowed)
      throw new Error(
        `lean route ${lane.route.method} ${lane.route.url} would shadow ${shadowed.method} ${shadowed.url}; refusing to start`,
      );
  }
  const { services, securityHeaders } = options;
  const { logger } = services;
  // The one line per request (logRequest) holds allow-listed scalar fields only, at the top level,
  // which none of the logger's redaction paths (nested keys such as `*.password`, `req.headers.…`)
  // can match: without them the line is the same, for about a third less CPU on a path that writes
  // one per webhook (the redaction pass was a tenth of the receiver's CPU time under load,
  // bench/webhook-ingest.bench.ts). Everything else the logger does (the scrubbing formatter, the
  // level, the destination) stays; failures are still logged through the logger itself.
  const requestLogger = logger.child({}, { redact: [] });
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });

  const laneFor = (request: IncomingMessage): { lane: LaneRoute; value: string } | undefined => {
    if (closing) return undefined;
    const url = request.url ?? "";
    for (const lane of lanes) {
      if (request.method !== lane.route.method || !url.startsWith(lane.prefix)) continue;
      const value = url.slice(lane.prefix.length);
      if (!PARAM_VALUE.test(value)) continue;
      // An address outside the route's list goes to Fastify, which refuses it before reading the body.
      if (lane.isAllowedSource && !(readsSocketAddress && lane.isAllowedSource(request.socket.remoteAddress ?? ""))) return undefined;
      const length = request.headers["content-length"];
      if (length === undefined || !/^\d{1,10}$/.test(length) || Number(length) > lane.bodyLimit) return undefined;
      if (request.headers["transfer-encoding"] !== undefined) return undefined;
      if (!JSON_TYPE.test(request.headers["content-type"] ?? "")) return undefined;
      return { lane, value };
    }
    return undefined;
  };

  const fixedHeaders: Record<string, string> = { ...securityHeaders, "cache-control": "no-store" };
  const answer = (
    response: ServerResponse,
    status: number,
    requestId: string,
    body: string | undefined,
    extra?: Record<string, string>,
  ): void => {
    const headers: Record<string, string> = { ...fixedHeaders, "x-request-id": requestId, ...extra };
    if (body !== undefined) {
      headers["content-type"] = "application/json; charset=utf-8";
      headers["content-length"] = String(Buffer.byteLength(body));
    } else {
      headers["content-length"] = "0";
    }
    response.writeHead(status, headers);
    response.end(body);
  };

  const serve = async (
    lane: LaneRoute,
    value: string,
    request: IncomingMessage,
    response: ServerResponse,
    rawBody: Buffer,
    startedAt: number,
  ): Promise<void> => {
    const { route } = lane;
    const requestId = resolveRequestId(request.headers["x-request-id"]);
    if (services.tracing) nameRequestSpan(route.method, route.url);
    let status = 200;
    try {
      const params = route.schema.params ? parseInput("params", route.schema.params, { [lane.param]: value }) : {};
      // A lean handler is typed to read this much only (LeanRouteContext; defineRoute enforces it).
      const context = { services, params, query: {}, body: undefined, rawBody, headers: request.headers, requestId };
      const result = await route.handler(context as Parameters<RouteDefinition["handler"]>[0]);
      answer(response, status, requestId, serializeResponse(route, status, result));
    } catch (error) {
      const appError = logFailure(logger, error, requestId, route.url);
      status = appError.status;
      answer(response, status, requestId, JSON.stringify(renderErrorBody(appError, requestId)), appError.headers);
    }
    const durationMs = performance.now() - startedAt;
    services.metrics?.observeHttp(route.url, route.method, status, durationMs / 1000);
    logRequest(requestLogger, { requestId, method: route.method, route: route.url, status, durationMs });
  };

  const server = app.server;
  const [fastifyHandler, ...others] = server.listeners("request") as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  if (!fastifyHandler || others.length > 0) throw new Error("lean lane: expected exactly one request listener (Fastify's) on the server");
  server.removeListener("request", fastifyHandler);
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const match = laneFor(request);
    if (!match) {
      fastifyHandler(request, response);
      return;
    }
    const startedAt = performance.now();
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    // An aborted request is answered by nobody: the client is gone, and nothing was acknowledged.
    request.once("error", () => undefined);
    request.once("end", () => {
      serve(match.lane, match.value, request, response, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), startedAt).catch(
        (error: unknown) => {
          logger.error({ route: match.lane.route.url, err: error }, "lean lane failed to answer");
          response.destroy();
        },
      );
    });
  });
}
