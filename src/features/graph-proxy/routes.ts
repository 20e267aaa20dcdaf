import type { FastifyReply } from "fastify";
import { z } from "zod";
import { defineRoute, type RouteDefinition } from "../../http/define-route.ts";
import { decodeUtf8 } from "../../http/raw-input.ts";
import { safeString } from "../../http/safe-string.ts";
import { buildSecurityHeaders } from "../../http/security-headers.ts";
import type { Services } from "../../services.ts";
import { MAX_UPLOAD_BYTES } from "../messages/media/upload.ts";
import { GraphProxyError, graphErrorBody, invalidParameter, renderGraphError, toGraphProxyError, unknownObject } from "./graph-errors.ts";
import { verifyMediaLinkToken } from "./media-link.ts";
import {
  authenticateProxyCaller,
  DEFAULT_OUTCOME_WAIT_MS,
  deleteMedia,
  describeMedia,
  downloadLinkedMedia,
  handleMessagesPost,
  listGraphTemplates,
  resolveNumber,
  uploadMedia,
  type GraphProxyOptions,
} from "./service.ts";

// Graph's own paths under /graph/{version}/… (and at /{version}/… too, for SDKs that let only the
// host change: see graphPathRewrite). These routes are outside Parley's JSON-API conventions on
// purpose: they take what Graph takes and answer what Graph answers, errors included, so the API
// key is checked by the handler (answering Graph's 190, not Parley's 401) and bodies are parsed
// there (answering Graph's 100). Requests malformed at the HTTP level (an over-long path segment,
// a content type Graph would not take) still get Parley's error shape. docs/graph-proxy.md.

const TAG = "graph-proxy";
const VERSION = /^v\d{1,2}\.\d$/;
const PUBLIC_REASON =
  "a Cloud API client's Parley API key (Authorization: Bearer) is checked by the handler, so that failures answer in Graph's error shape (code 190)";

const errorStatuses = [400, 401, 403, 404, 429, 500, 503, 504] as const;
const errorResponses = Object.fromEntries(errorStatuses.map((status) => [status, graphErrorBody])) as Record<
  (typeof errorStatuses)[number],
  typeof graphErrorBody
>;

const version = safeString(64).describe("The Graph version, e.g. v25.0 (any vNN.N is accepted).");
const objectId = (description: string) => safeString(64).describe(description);
// Graph ignores query parameters it does not use (SDKs add their own); they are bounded and dropped.
const otherParameters = z.union([safeString(1024), z.array(safeString(1024)).max(20)]);
const mediaQuery = z
  .object({ phone_number_id: safeString(32).optional().describe("The number the media id belongs to (needed when Parley cannot tell).") })
  .catchall(otherParameters);
const templatesQuery = z
  .object({
    status: safeString(32).optional(),
    name: safeString(512).optional(),
    fields: safeString(512).optional(),
    limit: safeString(8).optional(),
    after: safeString(256).optional(),
    before: safeString(256).optional(),
  })
  .catchall(otherParameters);

const sentResponse = z.union([
  z.object({
    messaging_product: z.literal("whatsapp"),
    contacts: z.array(z.object({ input: z.string(), wa_id: z.string() })),
    messages: z.array(z.object({ id: z.string(), message_status: z.string().optional() })),
  }),
  z.object({ success: z.literal(true) }),
]);
const mediaInfoResponse = z.object({
  messaging_product: z.literal("whatsapp"),
  url: z.string().describe("A short-lived (5 minutes) download URL on Parley's own host; send no credentials to it."),
  mime_type: z.string(),
  sha256: z.string().optional(),
  file_size: z.number().int().optional(),
  id: z.string(),
});
const templatesResponse = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      language: z.string(),
      status: z.string(),
      category: z.string().nullable(),
      parameter_format: z.string(),
      components: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
  paging: z.object({ cursors: z.object({ before: z.string(), after: z.string() }) }),
});

type GraphErrorAnswer = z.input<typeof graphErrorBody>;

/** Runs a proxy handler; any failure leaves as Graph's error body with Graph's status. */
async function answerGraph<T>(
  services: Services,
  reply: FastifyReply,
  requestId: string,
  work: () => Promise<T>,
): Promise<T | GraphErrorAnswer> {
  try {
    return await work();
  } catch (error) {
    const graphError = toGraphProxyError(error);
    if (!(error instanceof GraphProxyError) && graphError.code === 131000) {
      services.logger.error(
        { requestId, component: "graph-proxy", error: error instanceof Error ? error.name : "unknown" },
        "graph proxy request failed unexpectedly",
      );
    }
    reply.code(graphError.status);
    for (const [name, value] of Object.entries(graphError.headers)) reply.header(name, value);
    return renderGraphError(graphError, requestId);
  }
}

/** The five Graph operations under one prefix: `/graph/:version` (Graph's versioned paths) or `/graph` (unversioned, which Graph serves with its default version). */
function graphOperations(prefix: "/graph/:version" | "/graph", settings: GraphProxyOptions): RouteDefinition[] {
  // Unversioned paths have no version parameter (Graph's default version); versioned ones name it.
  type Params<S extends z.ZodRawShape> = z.ZodType<z.output<z.ZodObject<S>> & { version?: string }>;
  const paramsOf = <S extends z.ZodRawShape>(shape: S): Params<S> => {
    if (prefix === "/graph") return z.strictObject(shape);
    // zod cannot name "S plus version" for a generic S; the object holds exactly that.
    const versioned: unknown = z.strictObject({ ...shape, version });
    return versioned as Params<S>;
  };
  return [
    defineRoute({
      method: "POST",
      url: `${prefix}/:phoneNumberId/messages`,
      summary:
        "Graph-compatible send (POST /{phone-number-id}/messages): text, media by id or link, template, interactive, reaction, sticker, or a read receipt ({status: read, message_id}). Queued through Parley's send path, then answered with Meta's wamid (or Meta's error) once the send worker has Meta's answer, at most 30 s later; past that, error code 2 with HTTP 504 says the message is still queued (do not resend). Also served at /{version}/… without the /graph prefix. Errors in Graph's shape.",
      tags: [TAG],
      public: PUBLIC_REASON,
      feature: "graph_proxy",
      rawBody: true,
      bodyLimit: 64 * 1024,
      schema: {
        params: paramsOf({ phoneNumberId: objectId("The number's Meta phone-number id.") }),
        response: { 200: sentResponse, ...errorResponses },
      },
      handler: async ({ services, params, rawBody, request, reply, requestId }) =>
        answerGraph(services, reply, requestId, async () => {
          const caller = await authenticateProxyCaller(services, request);
          checkVersion(params);
          const number = await resolveNumber(services, caller, params.phoneNumberId);
          const decoded = decodeUtf8(rawBody ?? Buffer.alloc(0));
          let json: unknown;
          try {
            json = decoded.wellFormed ? JSON.parse(decoded.text) : undefined;
          } catch {
            json = undefined;
          }
          if (json === undefined) throw invalidParameter("The body must be a JSON object.");
          const answer = await handleMessagesPost(services, caller, number, json, settings);
          return answer.body;
        }),
    }),

    defineRoute({
      method: "POST",
      url: `${prefix}/:phoneNumberId/media`,
      summary:
        "Graph-compatible media upload (POST /{phone-number-id}/media, multipart/form-data with file, type and messaging_product): the file is uploaded to Meta for the number and Meta's media id is answered, to send by id. Errors in Graph's shape.",
      tags: [TAG],
      public: PUBLIC_REASON,
      feature: "graph_proxy",
      binaryBody: ["multipart/form-data"],
      bodyLimit: MAX_UPLOAD_BYTES + 64 * 1024,
      schema: {
        params: paramsOf({ phoneNumberId: objectId("The number's Meta phone-number id.") }),
        query: z.object({ messaging_product: safeString(16).optional() }).catchall(otherParameters),
        response: { 200: z.object({ id: z.string() }), ...errorResponses },
      },
      handler: async ({ services, params, rawBody, request, reply, requestId }) =>
        answerGraph(services, reply, requestId, async () => {
          const caller = await authenticateProxyCaller(services, request);
          checkVersion(params);
          const number = await resolveNumber(services, caller, params.phoneNumberId);
          return uploadMedia(services, caller, number, request.headers["content-type"] ?? "", rawBody);
        }),
    }),

    defineRoute({
      method: "GET",
      url: `${prefix}/:mediaId`,
      summary:
        "Graph-compatible media lookup (GET /{media-id}): type, size, sha256 and a download URL on Parley's own host, valid 5 minutes (never Meta's URL, so the client's key is never sent to Meta). Errors in Graph's shape.",
      tags: [TAG],
      public: PUBLIC_REASON,
      feature: "graph_proxy",
      schema: {
        params: paramsOf({ mediaId: objectId("Meta's media id.") }),
        query: mediaQuery,
        response: { 200: mediaInfoResponse, ...errorResponses },
      },
      handler: async ({ services, params, query, request, reply, requestId }) =>
        answerGraph(services, reply, requestId, async () => {
          const caller = await authenticateProxyCaller(services, request);
          checkVersion(params);
          return describeMedia(
            services,
            caller,
            params.mediaId,
            typeof query.phone_number_id === "string" ? query.phone_number_id : undefined,
          );
        }),
    }),

    defineRoute({
      method: "DELETE",
      url: `${prefix}/:mediaId`,
      summary: "Graph-compatible media deletion (DELETE /{media-id}), at Meta through the number's token. Errors in Graph's shape.",
      tags: [TAG],
      public: PUBLIC_REASON,
      feature: "graph_proxy",
      schema: {
        params: paramsOf({ mediaId: objectId("Meta's media id.") }),
        query: mediaQuery,
        response: { 200: z.object({ success: z.literal(true) }), ...errorResponses },
      },
      handler: async ({ services, params, query, request, reply, requestId }) =>
        answerGraph(services, reply, requestId, async () => {
          const caller = await authenticateProxyCaller(services, request);
          checkVersion(params);
          return deleteMedia(
            services,
            caller,
            params.mediaId,
            typeof query.phone_number_id === "string" ? query.phone_number_id : undefined,
          );
        }),
    }),

    defineRoute({
      method: "GET",
      url: `${prefix}/:wabaId/message_templates`,
      summary:
        "Graph-compatible template list (GET /{waba-id}/message_templates; a phone-number id is accepted too): the templates of the number's WABA from Parley's catalogue, filtered by status and name. Errors in Graph's shape.",
      tags: [TAG],
      public: PUBLIC_REASON,
      feature: "graph_proxy",
      schema: {
        params: paramsOf({ wabaId: objectId("The WABA id (or a phone-number id) of a number of the key's workspace.") }),
        query: templatesQuery,
        response: { 200: templatesResponse, ...errorResponses },
      },
      handler: async ({ services, params, query, request, reply, requestId }) =>
        answerGraph(services, reply, requestId, async () => {
          const caller = await authenticateProxyCaller(services, request);
          checkVersion(params);
          return listGraphTemplates(services, caller, params.wabaId, {
            status: typeof query.status === "string" ? query.status : undefined,
            name: typeof query.name === "string" ? query.name : undefined,
          });
        }),
    }),
  ];
}

/** Graph's refusal of a version it does not know; checked after the key, so strangers learn nothing. */
function checkVersion(params: { version?: string | undefined }): void {
  if (params.version !== undefined && !VERSION.test(params.version))
    throw new GraphProxyError(100, { message: "Unknown path components: the version must look like v25.0." });
}

export function createGraphProxyRoutes(options: Partial<GraphProxyOptions> = {}): RouteDefinition[] {
  const settings: GraphProxyOptions = { outcomeWaitMs: options.outcomeWaitMs ?? DEFAULT_OUTCOME_WAIT_MS };
  return [
    ...graphOperations("/graph/:version", settings),
    ...graphOperations("/graph", settings),
    defineRoute({
      method: "GET",
      url: "/graph/media/:token",
      summary:
        "Download media through a proxy link from GET /{media-id} (binary bytes with their Content-Type; fetched from Meta with the number's token). Errors in Graph's shape.",
      tags: [TAG],
      public: "the signed, short-lived token is the credential",
      rateLimit: { limit: 600, windowMs: 60_000, key: "ip" },
      schema: {
        params: z.strictObject({ token: safeString(256).min(1) }),
        response: { 200: z.string().describe("The media bytes (binary, not JSON)."), ...errorResponses },
      },
      handler: async ({ services, params, reply, requestId }) =>
        answerGraph(services, reply, requestId, async () => {
          const grant = await verifyMediaLinkToken(services, params.token);
          // An expired or forged link addresses nothing: Graph's answer for an unknown object.
          if (!grant) throw unknownObject();
          const media = await downloadLinkedMedia(services, grant);
          // Bytes from customers: never sniffed, never run as a page, never cached.
          reply.hijack();
          reply.raw.writeHead(200, {
            ...buildSecurityHeaders({ hsts: services.config.http.tls !== undefined || services.config.http.trustProxy !== false }),
            "content-security-policy": "default-src 'none'; sandbox",
            "x-content-type-options": "nosniff",
            "cache-control": "private, no-store",
            "content-type": media.mimeType,
            "content-length": String(media.bytes.length),
            "x-request-id": requestId,
          });
          reply.raw.end(media.bytes);
          return "";
        }),
    }),
  ];
}

/**
 * Fastify's rewriteUrl for Graph's unprefixed paths: `/v25.0/…` is served by `/graph/v25.0/…`, so an
 * SDK whose host alone can change (Meta's own) reaches the proxy. Nothing else of Parley's lives
 * under /vNN.N.
 */
export function graphPathRewrite(url: string): string {
  return /^\/v\d{1,2}\.\d(?:[/?]|$)/.test(url) ? `/graph${url}` : url;
}
