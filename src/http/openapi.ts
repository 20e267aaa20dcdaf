import { STATUS_CODES } from "node:http";
import { z } from "zod";
import { errorCatalogue, type ErrorCode } from "../errors.ts";
import { httpMethods, type RouteDefinition } from "./define-route.ts";
import { errorBodySchema, validationDetailSchema } from "./errors.ts";

// The OpenAPI document is generated from the same zod schemas the app validates and serializes
// with, so it cannot describe a different API. It is committed (docs/openapi.json) and a test fails
// when it drifts; `npm run openapi` rewrites it.

export const API_VERSION = "0.1.0";

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
  webhooks?: Record<string, Record<string, Operation>>;
};

/** An outbound webhook event as the document describes it (OpenAPI 3.1 `webhooks`): a POST with this body. */
export type WebhookDoc = { name: string; summary: string; body: z.ZodType };

const WEBHOOK_HEADERS = [
  {
    name: "webhook-id",
    in: "header",
    required: true,
    description: "The event's id (msg_…): the same on every retry and replay; deduplicate on it.",
    schema: { type: "string" },
  },
  {
    name: "webhook-timestamp",
    in: "header",
    required: true,
    description: "Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off.",
    schema: { type: "string" },
  },
  {
    name: "webhook-signature",
    in: "header",
    required: true,
    description:
      "Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap.",
    schema: { type: "string" },
  },
];

const ERROR_REF = { $ref: "#/components/schemas/Error" };

export function buildOpenApiDocument(routes: readonly RouteDefinition[], webhooks: readonly WebhookDoc[] = []): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  const operationIds = new Set<string>();
  const sorted = [...routes].sort((a, b) => a.url.localeCompare(b.url) || httpMethods.indexOf(a.method) - httpMethods.indexOf(b.method));
  for (const route of sorted) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    const operationId = toOperationId(route);
    if (operationIds.has(operationId)) throw new Error(`OpenAPI: two routes map to operationId ${operationId}`);
    operationIds.add(operationId);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = buildOperation(route, operationId);
  }
  const webhookOperations: NonNullable<OpenApiDocument["webhooks"]> = {};
  for (const webhook of webhooks) {
    webhookOperations[webhook.name] = {
      post: {
        operationId: `webhook${webhook.name
          .split(/[^A-Za-z0-9]+/)
          .map((word) => word[0]!.toUpperCase() + word.slice(1))
          .join("")}`,
        summary: webhook.summary,
        tags: ["webhooks"],
        parameters: WEBHOOK_HEADERS,
        requestBody: {
          required: true,
          content: { "application/json": { schema: toJsonSchema(webhook.body, "output", `webhook ${webhook.name}`) } },
        },
        responses: {
          "2XX": {
            description: "Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint.",
          },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Parley API",
      version: API_VERSION,
      description:
        "Generated from the route contracts in src/http (npm run openapi). Every error answers with the Error schema; its codes are listed in docs/errors.md.",
    },
    paths,
    components: {
      schemas: { Error: toJsonSchema(errorBodySchema, "output"), ValidationDetail: toJsonSchema(validationDetailSchema, "output") },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A session access token (JWT) or an API key (pk_<id>_<secret>)." },
      },
    },
    ...(webhooks.length > 0 ? { webhooks: webhookOperations } : {}),
  };
}

/** The committed file's exact text: of the routes, or of a document already built from them. */
export function renderOpenApiJson(source: readonly RouteDefinition[] | OpenApiDocument, webhooks: readonly WebhookDoc[] = []): string {
  const document = Array.isArray(source)
    ? buildOpenApiDocument(source as readonly RouteDefinition[], webhooks)
    : (source as OpenApiDocument);
  return `${JSON.stringify(document, null, 2)}\n`;
}

function buildOperation(route: RouteDefinition, operationId: string): Operation {
  const where = `${route.method} ${route.url}`;
  const operation: Operation = { operationId, summary: route.summary };
  if (route.tags.length > 0) operation.tags = [...route.tags];
  const parameters = [...buildParameters(route, "path", where), ...buildParameters(route, "query", where)];
  if (parameters.length > 0) operation.parameters = parameters;
  if (route.binaryBody) {
    operation.requestBody = {
      required: true,
      content: Object.fromEntries(route.binaryBody.map((type) => [type, { schema: { type: "string", format: "binary" } }])),
    };
  }
  if (route.schema.body) {
    operation.requestBody = {
      required: !route.schema.body.safeParse(undefined).success,
      content: { "application/json": { schema: toJsonSchema(route.schema.body, "input", `${where} body`) } },
    };
  }
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(route.schema.response)) {
    // A schema that accepts undefined (z.undefined(), for 204) means: no body.
    const content = schema.safeParse(undefined).success
      ? {}
      : { content: { "application/json": { schema: toJsonSchema(schema, "output", `${where} response ${status}`) } } };
    responses[status] = { description: STATUS_CODES[Number(status)] ?? status, ...content };
  }
  for (const [status, codes] of errorResponsesOf(route)) {
    responses[status] = {
      description: codes.map((code) => `\`${code}\`: ${errorCatalogue[code].when}`).join("\n\n"),
      ...(status === "429"
        ? { headers: { "Retry-After": { description: "Seconds until the caller may retry.", schema: { type: "integer" } } } }
        : {}),
      content: { "application/json": { schema: ERROR_REF } },
    };
  }
  operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  if (route.access.kind === "permission") {
    operation.security = [{ bearer: [] }];
    operation["x-permission"] = route.access.permission;
  } else {
    operation.security = [];
    operation["x-public"] = route.access.reason;
  }
  if (route.feature) operation["x-parley-feature"] = route.feature;
  if (route.rateLimit) operation["x-rate-limit"] = { ...route.rateLimit };
  if (route.bodyLimit !== undefined) operation["x-body-limit"] = route.bodyLimit;
  return operation;
}

/** The catalogue errors a route can answer with, grouped by status. */
function errorResponsesOf(route: RouteDefinition): Map<string, ErrorCode[]> {
  const codes = new Set<ErrorCode>(["VALIDATION_FAILED", "BAD_REQUEST", "INTERNAL"]);
  if (route.method !== "GET")
    for (const code of ["MALFORMED_BODY", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"] as const) codes.add(code);
  if (route.access.kind === "permission") {
    codes.add("UNAUTHENTICATED");
    codes.add("FORBIDDEN");
  }
  if (route.rateLimit) {
    codes.add("RATE_LIMITED");
    codes.add("COORDINATION_UNAVAILABLE");
  }
  if (route.feature) codes.add("PLAN_REQUIRED");
  for (const code of route.errors) codes.add(code);
  const byStatus = new Map<string, ErrorCode[]>();
  for (const code of Object.keys(errorCatalogue) as ErrorCode[]) {
    if (!codes.has(code)) continue;
    const status = String(errorCatalogue[code].status);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

function buildParameters(route: RouteDefinition, location: "path" | "query", where: string): JsonSchema[] {
  const schema = location === "path" ? route.schema.params : route.schema.query;
  const declared = schema ? toJsonSchema(schema, "input", `${where} ${location === "path" ? "params" : "query"}`) : undefined;
  const properties = (declared?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((declared?.required ?? []) as string[]);
  const names = location === "path" ? [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]!) : Object.keys(properties);
  return names.map((name) => ({
    name,
    in: location,
    required: location === "path" || required.has(name),
    schema: properties[name] ?? { type: "string" },
  }));
}

function toJsonSchema(schema: z.ZodType, io: "input" | "output", where = "schema"): JsonSchema {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io, target: "draft-2020-12" });
  } catch (error) {
    throw new Error(
      `OpenAPI: ${where} cannot be expressed as JSON Schema (${(error as Error).message}); use JSON-shaped types (e.g. z.iso.datetime() for dates)`,
    );
  }
  delete json.$schema;
  return json;
}

function toOperationId(route: RouteDefinition): string {
  const words = route.url
    .split("/")
    .filter(Boolean)
    .map((segment) => (segment.startsWith(":") ? `by-${segment.slice(1)}` : segment))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [route.method.toLowerCase(), ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join("");
}
