import type { IncomingHttpHeaders } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Config } from "../config.ts";
import { errorCatalogue, type ErrorCode } from "../errors.ts";
import type { AuthContext, SessionContext } from "../identity/auth-context.ts";
import type { Caller } from "../identity/caller.ts";
import { isPlanFeature, type PlanFeature } from "../identity/plan-features.ts";
import { permissions, type Permission } from "../identity/permissions.ts";
import type { Services } from "../services.ts";
import { findUncheckedStrings } from "./safe-string.ts";

// A route is a contract (DESIGN §6, STYLE 2): method, URL, access, schemas, limits in one object;
// the handler only does the work. Everything that can be checked without a request is checked
// here, when the module defining the route is loaded, so a bad contract never starts.

export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof httpMethods)[number];

export type RateLimitKey = "ip" | "user" | "workspace";
export type RouteRateLimit = { limit: number; windowMs: number; key: RateLimitKey };

export type RouteSchemas = {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** One schema per status the handler may answer with; the reply is serialized through it. */
  response: Record<number, z.ZodType>;
};

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What a handler may return: the input of any of its response schemas (extra fields are dropped). */
export type RouteResponse<R> = { [K in keyof R]: R[K] extends z.ZodType ? z.input<R[K]> : never }[keyof R];

/** What a `lean` route's handler gets: the request's data, no Fastify objects (src/http/lean-lane.ts). */
export type LeanRouteContext<S extends RouteSchemas = RouteSchemas> = {
  services: Services;
  params: Parsed<S["params"]>;
  query: Parsed<S["query"]>;
  body: Parsed<S["body"]>;
  /** The exact request bytes, unparsed, only on routes declared with `rawBody: true` (signature checks). */
  rawBody: Buffer | undefined;
  headers: IncomingHttpHeaders;
  requestId: string;
};

export type RouteContext<S extends RouteSchemas = RouteSchemas> = LeanRouteContext<S> & {
  auth: AuthContext | null;
  /** The member acting in the route's `:workspaceId`, on routes declared with `caller: true`; null elsewhere. */
  caller: Caller | null;
  /** The signed-in session on `permission: "self"` routes; null elsewhere. */
  session: SessionContext | null;
  ip: string;
  request: FastifyRequest;
  reply: FastifyReply;
};

/**
 * `self`: any signed-in session, no workspace (the caller's own account: GET /api/v1/me, MFA, password).
 * It is not a workspace permission: no role grants it and API keys never reach it.
 */
export const SELF = "self";
export type RoutePermission = Permission | typeof SELF;

export type RouteAccess = { kind: "permission"; permission: RoutePermission } | { kind: "public"; reason: string };

type AccessOptions =
  | { permission: RoutePermission; public?: never }
  | { /** Why this route needs no credentials (shown in the OpenAPI document as x-public). */ public: string; permission?: never };

/** What a `caller: true` route's handler gets: its caller, resolved before the handler runs. */
export type CallerRouteContext<S extends RouteSchemas = RouteSchemas> = RouteContext<S> & { caller: Caller };

type HandlerOptions<S extends RouteSchemas> =
  | { lean?: false; caller?: false; handler: (ctx: RouteContext<S>) => Promise<RouteResponse<S["response"]>> }
  | {
      lean?: false;
      /**
       * The one way a workspace route learns who acts: the handler gets `caller`, the authenticated
       * member of the workspace named by `:workspaceId` (a context for another workspace answers
       * 404), to open its transaction with (asCaller) and audit with (recordCallerAudit).
       */
      caller: true;
      handler: (ctx: CallerRouteContext<S>) => Promise<RouteResponse<S["response"]>>;
    }
  | {
      /**
       * Served straight from the HTTP server, around Fastify's request pipeline, when a request has
       * the plain shape it expects (src/http/lean-lane.ts); any other request still goes through
       * Fastify to the same handler. For a public, signature-checked hot path (Meta's webhooks).
       */
      lean: true;
      caller?: false;
      handler: (ctx: LeanRouteContext<S>) => Promise<RouteResponse<S["response"]>>;
    };

export type RouteOptions<S extends RouteSchemas> = AccessOptions &
  HandlerOptions<S> & {
    method: HttpMethod;
    url: string;
    summary: string;
    tags?: string[];
    schema: S;
    /** Bytes; 64 KB when absent. */
    bodyLimit?: number;
    rateLimit?: RouteRateLimit;
    /**
     * The address ranges this route accepts, read from config once at start (undefined or empty:
     * any address). Others are refused (ADDRESS_NOT_ALLOWED) before anything else, the body included.
     */
    sourceAllowList?: (config: Config) => readonly string[] | undefined;
    rawBody?: boolean;
    /**
     * Content types this route takes as raw bytes (in `rawBody`, never parsed), besides JSON — media
     * uploads. Every other route keeps answering 415 to them.
     */
    binaryBody?: readonly string[];
    /** `self` routes only: answer sessions whose required MFA is not enrolled yet (MFA enrollment itself). */
    allowMfaPending?: boolean;
    /** Catalogue errors the handler throws on purpose, for the OpenAPI document. */
    errors?: readonly ErrorCode[];
    /**
     * The plan feature the route needs (src/identity/plan-features.ts): a workspace whose plan does not
     * include it is refused with PLAN_REQUIRED before the handler runs. Shown in the OpenAPI document
     * as `x-parley-feature`. A public route that authenticates in its handler (the Graph proxy)
     * enforces it there.
     */
    feature?: PlanFeature;
    /**
     * Called when the request's input is refused (VALIDATION_FAILED, MALFORMED_BODY) before the
     * answer: sign-in counts such an attempt toward its lock-out. What it throws is answered instead.
     */
    onInputRefused?: InputRefusedHook;
  };

export type InputRefusedHook = (ctx: { services: Services; body: unknown; request: FastifyRequest; requestId: string }) => Promise<void>;

export type RouteHandler = (ctx: RouteContext) => Promise<unknown>;

export type RouteDefinition = {
  method: HttpMethod;
  url: string;
  summary: string;
  tags: readonly string[];
  access: RouteAccess;
  schema: RouteSchemas;
  bodyLimit: number | undefined;
  rateLimit: RouteRateLimit | undefined;
  sourceAllowList?: (config: Config) => readonly string[] | undefined;
  rawBody: boolean;
  binaryBody?: readonly string[];
  allowMfaPending: boolean;
  errors: readonly ErrorCode[];
  /** The plan feature the route needs, if any. */
  feature?: PlanFeature;
  /** The handler reads only a LeanRouteContext and may be served by the lean lane. */
  lean: boolean;
  /** The handler gets the workspace caller (`caller: true`). */
  caller: boolean;
  onInputRefused?: InputRefusedHook;
  handler: RouteHandler;
};

/** A lean route's URL: static segments, then one parameter as the last segment. */
const LEAN_URL = /^(?:\/[A-Za-z0-9._~-]+)+\/:[A-Za-z][A-Za-z0-9]*$/;

export class RouteDefinitionError extends Error {
  constructor(route: { method?: unknown; url?: unknown }, problem: string) {
    super(`route ${String(route.method)} ${String(route.url)}: ${problem}`);
    this.name = "RouteDefinitionError";
  }
}

export function defineRoute<S extends RouteSchemas>(options: RouteOptions<S>): RouteDefinition {
  const hasPermission = options.permission !== undefined;
  const hasPublic = options.public !== undefined;
  if (hasPermission === hasPublic) {
    throw new RouteDefinitionError(options, "declare exactly one of `permission` or `public` (with the reason it is public)");
  }
  const access: RouteAccess = hasPermission
    ? { kind: "permission", permission: options.permission }
    : { kind: "public", reason: String(options.public) };
  const route: RouteDefinition = {
    method: options.method,
    url: options.url,
    summary: options.summary,
    tags: options.tags ?? [],
    access,
    schema: options.schema,
    bodyLimit: options.bodyLimit,
    rateLimit: options.rateLimit,
    ...(options.sourceAllowList ? { sourceAllowList: options.sourceAllowList } : {}),
    rawBody: options.rawBody ?? false,
    ...(options.binaryBody ? { binaryBody: options.binaryBody } : {}),
    allowMfaPending: options.allowMfaPending ?? false,
    errors: options.errors ?? [],
    ...(options.feature ? { feature: options.feature } : {}),
    lean: options.lean ?? false,
    caller: options.caller ?? false,
    ...(options.onInputRefused ? { onInputRefused: options.onInputRefused } : {}),
    // The typed handler only ever receives a context built from its own schemas (src/http/app.ts).
    handler: options.handler as unknown as RouteHandler,
  };
  assertRouteDefinition(route);
  return route;
}

/**
 * Checks a route contract. createHttpApp runs it again on every registered route, so a route
 * assembled by hand (not through defineRoute) cannot slip past it.
 */
export function assertRouteDefinition(route: RouteDefinition): void {
  const fail = (problem: string): never => {
    throw new RouteDefinitionError(route, problem);
  };
  if (!httpMethods.includes(route.method)) fail(`method must be one of ${httpMethods.join(", ")}`);
  if (typeof route.url !== "string" || !route.url.startsWith("/")) fail("url must start with /");
  if (typeof route.summary !== "string" || route.summary.trim() === "") fail("summary is required");
  const access = route.access as RouteAccess | undefined;
  if (access?.kind === "permission") {
    if (access.permission !== SELF && !permissions.includes(access.permission)) fail(`unknown permission ${String(access.permission)}`);
  } else if (access?.kind === "public") {
    if (typeof access.reason !== "string" || access.reason.trim().length < 3) fail("`public` must state why the route is public");
  } else {
    fail("declare exactly one of `permission` or `public` (with the reason it is public)");
  }
  if (route.rateLimit) {
    const { limit, windowMs, key } = route.rateLimit;
    if (!Number.isInteger(limit) || limit < 1) fail("rateLimit.limit must be a positive integer");
    if (!Number.isInteger(windowMs) || windowMs < 1) fail("rateLimit.windowMs must be a positive integer");
    if (!["ip", "user", "workspace"].includes(key)) fail("rateLimit.key must be ip, user or workspace");
    if (key !== "ip" && access?.kind !== "permission") fail(`rateLimit.key ${key} needs an authenticated route`);
  }
  if (route.bodyLimit !== undefined && (!Number.isInteger(route.bodyLimit) || route.bodyLimit < 1)) {
    fail("bodyLimit must be a positive integer (bytes)");
  }
  if (route.method === "GET" && route.schema.body) fail("GET routes take no body");
  if (route.rawBody && route.method === "GET") fail("rawBody needs a method with a body");
  if (route.rawBody && route.schema.body)
    fail("a rawBody route gets its body unparsed: it parses what it has verified itself, not through a body schema");
  if (route.binaryBody !== undefined) {
    if (route.method === "GET") fail("binaryBody needs a method with a body");
    if (
      route.binaryBody.length === 0 ||
      route.binaryBody.some((type) => !/^[a-z]+\/[a-z0-9.+-]+$/.test(type) || type === "application/json")
    ) {
      fail("binaryBody lists lower-case MIME types (not application/json)");
    }
  }
  if (route.lean) {
    // What the lane skips must be nothing this route needs: no credentials, limits or query to check.
    if (route.method === "GET") fail("a lean route takes a body");
    if (access?.kind !== "public") fail("a lean route is public (the lane authenticates nobody)");
    if (route.rateLimit) fail("a lean route has no rate limit (the lane enforces none)");
    if (!route.rawBody || route.binaryBody) fail("a lean route takes its JSON body raw (`rawBody: true`)");
    if (route.schema.query) fail("a lean route takes no query");
    if (route.onInputRefused) fail("a lean route has no onInputRefused (the lane does not call it)");
    if (!LEAN_URL.test(route.url)) fail("a lean route's URL is a static path ending in one parameter, e.g. /hooks/:key");
  }
  if (route.caller) {
    if (!(access?.kind === "permission" && access.permission !== SELF)) fail("a `caller` route needs a workspace permission");
    if (!/\/:workspaceId(?:\/|$)/.test(route.url)) fail("a `caller` route names its workspace in the URL (:workspaceId)");
  }
  if (route.allowMfaPending && !(access?.kind === "permission" && access.permission === SELF))
    fail("allowMfaPending applies to `self` routes only");
  if (route.feature !== undefined) {
    if (!isPlanFeature(route.feature)) fail(`unknown plan feature ${String(route.feature)}`);
    if (route.lean) fail("a lean route cannot need a plan feature (the lane reads no plan)");
    if (access?.kind === "permission" && access.permission === SELF) fail("a `self` route has no workspace whose plan could gate it");
  }
  for (const code of route.errors ?? []) {
    if (!(code in errorCatalogue)) fail(`unknown error code ${String(code)}`);
  }
  const statuses = Object.keys(route.schema.response ?? {});
  if (statuses.length === 0) fail("declare at least one response schema");
  for (const status of statuses) {
    if (!/^[1-5]\d\d$/.test(status)) fail(`response status ${status} is not an HTTP status`);
  }
  for (const part of ["params", "query", "body"] as const) {
    const schema = route.schema[part];
    if (!schema) continue;
    const loose = findStripObjects(schema);
    if (loose.length > 0) {
      fail(
        `${part} schema must reject unknown fields: use z.strictObject (or z.looseObject when extra fields are really wanted) at ${loose.map((path) => path || "(root)").join(", ")}`,
      );
    }
    const unchecked = findUncheckedStrings(schema);
    if (unchecked.length > 0) {
      fail(
        `${part} schema takes strings that may hold NUL or unpaired surrogates: build them with safeString() from src/http/safe-string.ts at ${unchecked.join(", ")}`,
      );
    }
  }
}

/**
 * Paths of objects in an input schema that silently strip unknown keys (plain z.object). Strict
 * objects reject them (what routes want), loose objects keep them on purpose; stripping hides
 * client mistakes, so it is refused. Read from the JSON Schema, which sees through wrappers.
 */
function findStripObjects(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  const found: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}[${index}]`));
      return;
    }
    const record = node as Record<string, unknown>;
    if (record.type === "object" && record.properties !== undefined && record.additionalProperties === undefined) {
      found.push(path);
    }
    for (const [key, value] of Object.entries(record)) {
      if (key === "properties" && value && typeof value === "object") {
        for (const [name, child] of Object.entries(value)) visit(child, path ? `${path}.${name}` : name);
      } else {
        visit(value, path);
      }
    }
  };
  visit(json, "");
  return found;
}
