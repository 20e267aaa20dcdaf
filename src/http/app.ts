import { readFile } from "node:fs/promises";
import { METHODS, STATUS_CODES } from "node:http";
import { fastify, LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from "fastify";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { authenticateNobody, type AuthContext, type Authenticator, type SessionContext } from "../identity/auth-context.ts";
import { resolveCaller } from "../identity/caller.ts";
import type { PlanFeature } from "../identity/plan-features.ts";
import { requirePlanFeature } from "../identity/plans.ts";
import { withWorkspace } from "../db/with-workspace.ts";
import type { Services } from "../services.ts";
import { assertRouteDefinition, SELF, type RouteDefinition } from "./define-route.ts";
import { classifyError, renderErrorBody } from "./errors.ts";
import { logFailure, logRequest, parseInput, serializeResponse } from "./exchange.ts";
import { MAX_PARAM_LENGTH, refusalForPath } from "./framework-errors.ts";
import { attachLeanLane } from "./lean-lane.ts";
import { buildOpenApiDocument, renderOpenApiJson, type WebhookDoc } from "./openapi.ts";
import { API_DOCS_CSS, API_DOCS_PATH, API_DOCS_STYLESHEET_PATH, renderApiDocsHtml } from "./api-docs.ts";
import { decodeUtf8, parseQueryString } from "./raw-input.ts";
import { isSafeText } from "./safe-string.ts";
import { resolveRequestId } from "./request-id.ts";
import { buildSecurityHeaders } from "./security-headers.ts";
import { nameRequestSpan } from "../observability/trace-context.ts";
import { findBlock, recordStrike } from "./abuse.ts";
import { callerLimit, createAddressAllowList, type LimitedCaller } from "./limits.ts";
import type { MultiWindowDecision, RateLimitDecision } from "../coordination/types.ts";

export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const OPENAPI_PATH = "/openapi.json";

export type CreateHttpAppOptions = {
  services: Services;
  routes: readonly RouteDefinition[];
  /** The outbound webhook events the OpenAPI document describes (src/http/routes.ts webhookDocs). */
  webhooks?: readonly WebhookDoc[];
  /** Resolves the caller; until identity exists nobody is authenticated (every permissioned route: 401). */
  authenticate?: Authenticator;
  /**
   * Maps a request's URL before routing (Fastify's rewriteUrl): the Graph proxy serves Meta's
   * unprefixed `/vNN.N/…` paths from its `/graph/…` routes (src/features/graph-proxy/routes.ts).
   */
  rewriteUrl?: (url: string) => string;
};

/**
 * What a Fastify route must carry in `config.access` to be registered at all. Routes from
 * defineRoute carry their permission or public reason; anything registered on the instance later
 * (a plugin, a static handler) must declare one too, or the app refuses to start.
 */
export type RouteAccessConfig =
  { kind: "permission"; permission: string } | { kind: "public"; reason: string } | { kind: "method-not-allowed" };

type RouteConfig = {
  access?: RouteAccessConfig;
  rawBody?: boolean;
  binaryBody?: readonly string[];
  isContract?: boolean;
  definition?: RouteDefinition;
};

const emptyInput = z.strictObject({});
const noBodyMessage = "This route takes no body.";
const invalidUtf8Message = "The body is not valid UTF-8.";
/** Refusals of a request's input: what a route's `onInputRefused` hears about. */
const inputRefusals = new Set(["VALIDATION_FAILED", "MALFORMED_BODY"]);

export async function createHttpApp(options: CreateHttpAppOptions): Promise<FastifyInstance> {
  const { services, routes, webhooks = [] } = options;
  const authenticate = options.authenticate ?? authenticateNobody;
  const { config, logger } = services;

  for (const route of routes) assertRouteDefinition(route);
  assertUniqueRoutes(routes);

  const tls = config.http.tls
    ? { key: await readFile(config.http.tls.keyFile), cert: await readFile(config.http.tls.certFile), minVersion: "TLSv1.2" as const }
    : null;

  const securityHeaders = buildSecurityHeaders({ hsts: config.http.tls !== undefined || config.http.trustProxy !== false });

  const app = fastify({
    loggerInstance: logger,
    // Fastify's own request lines log the raw URL and headers; ours (onResponse below) are allow-listed.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    // Our log lines name the request id themselves; a pino child per request (bindings serialized
    // through the redaction) was a measurable share of every request's cost and never used.
    childLoggerFactory: (parent) => parent,
    genReqId: (raw) => resolveRequestId(raw.headers["x-request-id"]),
    trustProxy: toTrustProxy(config.http.trustProxy),
    bodyLimit: DEFAULT_BODY_LIMIT,
    routerOptions: {
      // Long enough for any parameter a route takes: its schema bounds it and names it when too long.
      maxParamLength: MAX_PARAM_LENGTH,
      // Invalid UTF-8 in a query reaches the query schema (as unpaired surrogates), which names the field.
      querystringParser: parseQueryString,
    },
    // The router's own refusals (bad percent-encoding, an over-long parameter) in the one error shape.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const refusal =
        error.code === "FST_ERR_BAD_URL" || error.code === "FST_ERR_MAX_PARAM_LENGTH"
          ? refusalForPath(routes, error.code, request.method, request.url)
          : error;
      const appError = logFailure(logger, refusal, request.id, null);
      void reply
        .code(appError.status)
        .headers({ ...securityHeaders, ...appError.headers, "x-request-id": request.id, "cache-control": "no-store" })
        .type("application/json; charset=utf-8")
        .send(JSON.stringify(renderErrorBody(appError, request.id)));
    },
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    return503OnClosing: true,
    // Bounds slow clients (slowloris): a request must arrive completely within 30 s.
    requestTimeout: 30_000,
    https: tls,
    ...(options.rewriteUrl ? { rewriteUrl: (raw: { url?: string }) => options.rewriteUrl!(raw.url ?? "/") } : {}),
    clientErrorHandler: (error, socket) => {
      // Malformed HTTP never reaches a route; answer in the same shape, without echoing anything.
      if (error.code === "ECONNRESET" || error.code === "EPIPE" || !socket.writable) return;
      const requestId = resolveRequestId(undefined);
      const appError = new AppError(error.code === "HPE_HEADER_OVERFLOW" ? "HEADERS_TOO_LARGE" : "BAD_REQUEST");
      const body = JSON.stringify(renderErrorBody(appError, requestId));
      const headers = {
        ...securityHeaders,
        "content-type": "application/json; charset=utf-8",
        "content-length": String(Buffer.byteLength(body)),
        "x-request-id": requestId,
        "cache-control": "no-store",
        connection: "close",
      };
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("");
      socket.end(`HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status]}\r\n${head}\r\n${body}`);
    },
  }) as unknown as FastifyInstance;

  const authByRequest = new WeakMap<FastifyRequest, AuthContext>();
  const sessionByRequest = new WeakMap<FastifyRequest, SessionContext>();
  const rawBodyByRequest = new WeakMap<FastifyRequest, Buffer>();
  // Bodies whose bytes were not UTF-8: refused even if no string of the schema held the bad bytes.
  const invalidUtf8Bodies = new WeakSet<FastifyRequest>();
  // Replies that went through a response schema or the error handler. A contract route's handler
  // that calls reply.send itself would bypass its schema; onSend turns that into a 500.
  const vettedReplies = new WeakSet<FastifyRequest>();

  // Every method Node's parser accepts is routed (bodiless unless Fastify knows it takes a body),
  // so PROPFIND or PURGE on a served URL answers 405 like PUT does. CONNECT never reaches routes.
  for (const method of METHODS) {
    if (method !== "CONNECT" && !app.supportedMethods.includes(method)) app.addHttpMethod(method);
  }

  // Closing waits for in-flight requests first, then for their access log entries to be committed:
  // a clean shutdown keeps the record of every read it answered (src/audit/access.ts).
  const accessLog = services.accessLog;
  if (accessLog) app.addHook("onClose", async () => accessLog.drain());

  // Only paths (and absolute URLs, which carry one) address a resource; `*` or `x` do not.
  app.addHook("onRequest", async (request) => {
    const target = request.raw.url ?? "";
    if (!target.startsWith("/") && !/^https?:\/\//i.test(target)) throw new AppError("BAD_REQUEST");
    // A path parameter that is not safe text is refused before anything reads it (the
    // authenticator resolves the workspace from the path), as one whose bytes are not UTF-8 is.
    const definition = (request.routeOptions.config as RouteConfig | undefined)?.definition;
    const params = request.params as Record<string, unknown> | undefined;
    if (definition?.schema.params && params && Object.values(params).some((value) => typeof value === "string" && !isSafeText(value))) {
      parseInput("params", definition.schema.params, params);
    }
  });

  // The request's span (src/observability/tracing.ts) is named after its route template once routed.
  if (services.tracing) {
    app.addHook("onRequest", async (request) => {
      nameRequestSpan(request.method, request.routeOptions.url);
    });
  }

  app.addHook("onRoute", (route) => {
    const config: RouteConfig | undefined = route.config;
    const access = config?.access;
    if (!access) {
      throw new Error(
        `route ${String(route.method)} ${route.url} declares no access (a permission or the reason it is public); refusing to start`,
      );
    }
  });

  // JSON only: every other content type is refused with 415 by Fastify's missing-parser path.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, payload, done) => {
    const bytes = payload as Buffer;
    // Routes that check a signature over the exact bytes get them unparsed: nothing an unverified
    // sender wrote is parsed, and the handler parses only what it has verified.
    if ((request.routeOptions.config as RouteConfig).rawBody) {
      rawBodyByRequest.set(request, bytes);
      done(null, undefined);
      return;
    }
    if (bytes.length === 0) {
      done(null, undefined);
      return;
    }
    // Invalid UTF-8 is kept as unpaired surrogates (not U+FFFD), so the schema names the field
    // holding it; the parser's own error would carry a snippet of the input, so it is replaced.
    const decoded = decodeUtf8(bytes);
    if (!decoded.wellFormed) invalidUtf8Bodies.add(request);
    void parseJson(request, decoded.text, (error, value) => {
      if (error) done(new AppError("MALFORMED_BODY"), undefined);
      else done(null, value);
    });
  });

  // Raw bytes (media uploads) only for the routes that list the content type (`binaryBody`): the
  // body is kept as is, never parsed; any other route answers 415 to it, as to every non-JSON type.
  const binaryTypes = [...new Set(routes.flatMap((route) => route.binaryBody ?? []))];
  if (binaryTypes.length > 0) {
    app.addContentTypeParser(binaryTypes, { parseAs: "buffer" }, (request, payload, done) => {
      const accepted = (request.routeOptions.config as RouteConfig).binaryBody ?? [];
      const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (!accepted.includes(type)) {
        done(new AppError("UNSUPPORTED_MEDIA_TYPE"), undefined);
        return;
      }
      rawBodyByRequest.set(request, payload as Buffer);
      done(null, undefined);
    });
  }

  app.addHook("onSend", async (request, reply, payload) => {
    if ((request.routeOptions.config as RouteConfig | undefined)?.isContract && !vettedReplies.has(request)) {
      logger.error({ requestId: request.id, route: request.routeOptions.url ?? null }, "handler sent a reply around its response schema");
      reply.code(500).type("application/json; charset=utf-8");
      payload = JSON.stringify(renderErrorBody(new AppError("INTERNAL"), request.id));
    }
    reply.headers(securityHeaders);
    reply.header("x-request-id", request.id);
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    reply.removeHeader("x-powered-by");
    return payload;
  });

  const { metrics } = services;
  app.addHook("onResponse", async (request, reply) => {
    // The route template, never the URL: a request no route matched is counted as `unmatched`.
    metrics?.observeHttp(request.routeOptions.url, request.method, reply.statusCode, reply.elapsedTime / 1000);
    // 401 and 429 are strikes against the address: enough of them block it (src/http/abuse.ts).
    if (reply.statusCode === 401 || reply.statusCode === 429) await countStrike(services, request);
    const auth = authByRequest.get(request);
    logRequest(logger, {
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      durationMs: reply.elapsedTime,
      ...(auth ? { workspaceId: auth.workspaceId } : {}),
    });
  });

  app.setErrorHandler(async (error, request, reply) => {
    let failure: unknown = error;
    const definition = (request.routeOptions.config as RouteConfig | undefined)?.definition;
    const { appError: refused } = classifyError(error);
    if (definition?.onInputRefused && inputRefusals.has(refused.code)) {
      // The route counts a refused input as an attempt (sign-in: toward the lock-out); it may answer otherwise.
      try {
        await definition.onInputRefused({ services, body: request.body, request, requestId: request.id });
      } catch (outcome) {
        failure = outcome;
      }
    }
    const appError = logFailure(logger, failure, request.id, request.routeOptions.url ?? null);
    reply.code(appError.status).headers(appError.headers);
    vettedReplies.add(request);
    return reply.type("application/json; charset=utf-8").send(JSON.stringify(renderErrorBody(appError, request.id)));
  });

  app.setNotFoundHandler(async () => {
    throw new AppError("NOT_FOUND");
  });

  // Routes that accept listed address ranges only (Meta's webhooks): settled once, from config.
  const allowLists = new Map<RouteDefinition, (address: string) => boolean>();
  for (const route of routes) {
    const ranges = route.sourceAllowList?.(config);
    if (ranges && ranges.length > 0) allowLists.set(route, createAddressAllowList(ranges));
  }

  for (const route of routes) {
    const routeConfig: RouteConfig = {
      access: route.access,
      rawBody: route.rawBody,
      ...(route.binaryBody ? { binaryBody: route.binaryBody } : {}),
      isContract: true,
      definition: route,
    };
    // Before the body is read: callers that are limited or not allowed never get it parsed.
    const isAllowedSource = allowLists.get(route);
    // Public routes with no limit of their own (sign-in, with its lock-out in the database; the
    // health probes) do not depend on the coordination store: a lost store must not take them down.
    const isUnlimited = route.access.kind === "public" && route.rateLimit === undefined;
    const checkAccess = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (isAllowedSource && !isAllowedSource(request.ip)) throw new AppError("ADDRESS_NOT_ALLOWED");
      await refuseBlockedAddress(services, request.ip, { failOpen: isUnlimited });
      if (route.rateLimit?.key === "ip") await enforceRateLimit(services, route, reply, request.ip);
      if (route.access.kind === "public") return;
      if (route.access.permission === SELF) {
        // The caller's own account: a signed-in session, no workspace, no role.
        const session = authenticate.session ? await authenticate.session(request, { allowMfaPending: route.allowMfaPending }) : null;
        if (!session) throw new AppError("UNAUTHENTICATED");
        sessionByRequest.set(request, session);
        await enforceCallerLimit(services, reply, { kind: "session", userId: session.userId, workspaceId: undefined });
        if (route.rateLimit?.key === "user") await enforceRateLimit(services, route, reply, session.userId);
        return;
      }
      const auth = await authenticate(request);
      if (!auth) throw new AppError("UNAUTHENTICATED");
      authByRequest.set(request, auth);
      // Every authenticated request counts, refused ones included: probing permissions costs budget too.
      await enforceCallerLimit(
        services,
        reply,
        auth.kind === "api_key" && auth.apiKeyId
          ? { kind: "api_key", apiKeyId: auth.apiKeyId, workspaceId: auth.workspaceId }
          : { kind: "session", userId: auth.userId, workspaceId: auth.workspaceId },
      );
      if (!auth.permissions.has(route.access.permission)) throw new AppError("FORBIDDEN");
      if (route.feature) await enforcePlanFeature(services, auth.workspaceId, route.feature, request.params);
      if (route.rateLimit?.key === "user") await enforceRateLimit(services, route, reply, auth.userId);
      if (route.rateLimit?.key === "workspace") await enforceRateLimit(services, route, reply, auth.workspaceId);
    };
    const options: RouteOptions = {
      method: route.method,
      url: route.url,
      bodyLimit: route.bodyLimit ?? DEFAULT_BODY_LIMIT,
      config: routeConfig,
      // Lean routes (Meta's webhooks) are the lane's, which checks no blocks: neither does their Fastify path,
      // unless they take listed addresses only. Every other route refuses blocked addresses before the body.
      ...(route.lean && !isAllowedSource ? {} : { onRequest: checkAccess }),
      handler: async (request, reply) => {
        const params = parseInput("params", route.schema.params ?? emptyInput, request.params);
        const query = parseInput("query", route.schema.query ?? emptyInput, request.query);
        let body: unknown;
        if (route.schema.body) body = parseInput("body", route.schema.body, request.body);
        else if (request.body !== undefined && !route.rawBody) {
          throw new AppError("VALIDATION_FAILED", undefined, { details: [{ path: ["body"], message: noBodyMessage }] });
        }
        if (invalidUtf8Bodies.has(request))
          throw new AppError("VALIDATION_FAILED", undefined, { details: [{ path: ["body"], message: invalidUtf8Message }] });
        const auth = authByRequest.get(request) ?? null;
        const result = await route.handler({
          services,
          params,
          query,
          body,
          rawBody: rawBodyByRequest.get(request),
          headers: request.headers,
          auth,
          caller: route.caller ? resolveCaller(auth, (params as { workspaceId: string }).workspaceId, request) : null,
          session: sessionByRequest.get(request) ?? null,
          requestId: request.id,
          ip: request.ip,
          request,
          reply,
        });
        // Hijacked replies (streams such as SSE) are the handler's own; anything else leaves through the schema.
        if (reply.sent) return reply;
        vettedReplies.add(request);
        return sendThroughSchema(route, reply, result);
      },
    };
    app.route(options);
  }

  // The API's description, as docs/openapi.json holds it: generated from the routes served.
  const openApiDocument = buildOpenApiDocument(routes, webhooks);
  const openApiJson = renderOpenApiJson(openApiDocument);
  app.route({
    method: "GET",
    url: OPENAPI_PATH,
    config: {
      access: { kind: "public", reason: "the API's description: the same document as docs/openapi.json, no data" },
    } satisfies RouteConfig,
    handler: async (_request, reply) => reply.type("application/json; charset=utf-8").send(openApiJson),
  });

  // The same document as a page people read (/docs), and its stylesheet: no script, so the CSP holds.
  const apiDocsHtml = renderApiDocsHtml(openApiDocument);
  const publicDocs = {
    access: { kind: "public", reason: "the API's documentation: the same content as docs/openapi.json, no data" },
  } satisfies RouteConfig;
  app.route({
    method: "GET",
    url: API_DOCS_PATH,
    config: publicDocs,
    handler: async (_request, reply) => reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(apiDocsHtml),
  });
  app.route({
    method: "GET",
    url: API_DOCS_STYLESHEET_PATH,
    config: publicDocs,
    handler: async (_request, reply) => reply.type("text/css; charset=utf-8").header("cache-control", "no-cache").send(API_DOCS_CSS),
  });

  registerMethodNotAllowed(app, [
    ...routes,
    { method: "GET", url: OPENAPI_PATH },
    { method: "GET", url: API_DOCS_PATH },
    { method: "GET", url: API_DOCS_STYLESHEET_PATH },
  ]);
  attachLeanLane(app, { services, routes, securityHeaders, defaultBodyLimit: DEFAULT_BODY_LIMIT, allowLists });
  return app;
}

/** A hop count means: trust that many proxies in front of us (Fastify's types only take a function). */
function toTrustProxy(setting: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== "number") return setting;
  return (_address, hop) => hop < setting;
}

/** A handler's value leaves only through the response schema of the status it set: extra fields are dropped. */
function sendThroughSchema(route: RouteDefinition, reply: FastifyReply, value: unknown): FastifyReply {
  const json = serializeResponse(route, reply.statusCode, value);
  if (json === undefined) return reply.send();
  return reply.type("application/json; charset=utf-8").send(json);
}

async function enforceRateLimit(services: Services, route: RouteDefinition, reply: FastifyReply, subject: string): Promise<void> {
  const rule = route.rateLimit!;
  // Throws CoordinationUnavailableError when the store is gone: mapped to 503, never let through.
  const decision = await services.coordination.rateLimiter.hit(`http:${route.method}:${route.url}:${rule.key}:${subject}`, {
    limit: rule.limit,
    windowMs: rule.windowMs,
  });
  answerLimit(reply, decision, decision.allowed ? rule.windowMs : decision.retryAfterMs);
}

/** The default multi-window limit of every authenticated route (src/http/limits.ts). */
/**
 * PLAN_REQUIRED unless the caller's workspace's plan includes the route's feature. A caller aimed at
 * another workspace's URL is left to the handler (404): its own plan says nothing about that one.
 */
async function enforcePlanFeature(services: Services, workspaceId: string, feature: PlanFeature, params: unknown): Promise<void> {
  const named = (params as { workspaceId?: unknown } | undefined)?.workspaceId;
  if (typeof named === "string" && named !== workspaceId) return;
  await withWorkspace(services.db, { workspaceId }, (trx) => requirePlanFeature(trx, workspaceId, feature));
}

async function enforceCallerLimit(services: Services, reply: FastifyReply, caller: LimitedCaller): Promise<void> {
  const { key, rules } = callerLimit(services.config, caller);
  // Fail closed like every limit: no store, no answer but 503.
  const decision: MultiWindowDecision = await services.coordination.rateLimiter.hitWindows(key, rules);
  answerLimit(reply, decision, decision.resetMs);
}

/**
 * RateLimit-Limit, -Remaining and -Reset (seconds) of the tightest limit the request met — a
 * route's own limit and the caller's both apply, and a client should pace itself by the one with
 * the fewest requests left — and the refusal with Retry-After when it is used up.
 */
function answerLimit(reply: FastifyReply, decision: RateLimitDecision, resetMs: number): void {
  const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  const shown = reply.getHeader("ratelimit-remaining");
  if (!decision.allowed || shown === undefined || Number(shown) > decision.remaining) {
    reply.header("ratelimit-limit", String(decision.limit));
    reply.header("ratelimit-remaining", String(decision.remaining));
    reply.header("ratelimit-reset", String(Math.max(1, Math.ceil(resetMs / 1000))));
  }
  if (!decision.allowed) throw new AppError("RATE_LIMITED", undefined, { headers: { "retry-after": String(retryAfterSeconds) } });
}

/**
 * A blocked address is refused on arrival, before credentials or body are read. Without the store
 * the request is refused (503), except on `failOpen` routes, which go on unchecked.
 */
async function refuseBlockedAddress(services: Services, address: string, options: { failOpen: boolean }): Promise<void> {
  let block: Awaited<ReturnType<typeof findBlock>>;
  try {
    block = await findBlock(services.coordination, address);
  } catch (error) {
    if (!options.failOpen) throw error;
    return;
  }
  if (!block) return;
  const seconds = Math.max(1, Math.ceil((Date.parse(block.until) - Date.now()) / 1000));
  throw new AppError("ADDRESS_BLOCKED", undefined, { headers: { "retry-after": String(seconds) } });
}

const WORKSPACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Counts a 401/429 against the request's address, noting the workspace whose route it hit. */
async function countStrike(services: Services, request: FastifyRequest): Promise<void> {
  const param = (request.params as Record<string, unknown> | undefined)?.workspaceId;
  const workspaceId = typeof param === "string" && WORKSPACE_ID.test(param) ? param.toLowerCase() : undefined;
  try {
    const block = await recordStrike(services.coordination, services.config.abuse, request.ip, workspaceId);
    // Never the address (personal data): how long, and how many workspaces' Owners will see it.
    if (block)
      services.logger.warn(
        { component: "abuse", requestId: request.id, level: block.level, until: block.until, workspaces: block.workspaceIds.length },
        "address blocked after repeated 401/429 answers",
      );
  } catch (error) {
    // The answer is already sent; the limits themselves fail closed while the store is away.
    services.logger.warn({ component: "abuse", requestId: request.id, err: error }, "strike not counted: coordination store unavailable");
  }
}

function assertUniqueRoutes(routes: readonly RouteDefinition[]): void {
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.url.replace(/:[^/]+/g, ":")}`;
    if (seen.has(key)) throw new Error(`route ${route.method} ${route.url} is defined twice`);
    seen.add(key);
  }
}

const answeredMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/**
 * Fastify answers a known URL with an unknown method as 404; clients deserve 405 with `Allow`.
 * Each URL gets a route for the methods it lacks that only says so — every method the router
 * knows (TRACE, PROPFIND … included), while `Allow` names the ones served.
 */
function registerMethodNotAllowed(app: FastifyInstance, routes: ReadonlyArray<Pick<RouteDefinition, "method" | "url">>): void {
  const byShape = new Map<string, { url: string; methods: Set<string> }>();
  for (const route of routes) {
    const shape = route.url.replace(/:[^/]+/g, ":");
    const entry = byShape.get(shape) ?? { url: route.url, methods: new Set<string>() };
    entry.methods.add(route.method);
    if (route.method === "GET") entry.methods.add("HEAD");
    byShape.set(shape, entry);
  }
  for (const { url, methods } of byShape.values()) {
    const missing = app.supportedMethods.filter((method) => !methods.has(method));
    if (missing.length === 0) continue;
    const allow = answeredMethods.filter((method) => methods.has(method)).join(", ");
    const refuse = async (): Promise<never> => {
      throw new AppError("METHOD_NOT_ALLOWED", undefined, { headers: { allow } });
    };
    // Refused on arrival: a body (of a QUERY, say) is never read, so it cannot turn the 405 into a 413 or 415.
    app.route({
      method: missing,
      url,
      config: { access: { kind: "method-not-allowed" } } satisfies RouteConfig,
      onRequest: refuse,
      handler: refuse,
    });
  }
}
