import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SimContext } from "../context.ts";
import { serializeWireJson } from "../wire-json.ts";
import { authenticate, readBearerToken } from "./auth.ts";
import { spendBusinessManagementRequest } from "./business-management-limits.ts";
import { handleDebugToken } from "./debug-token.ts";
import { GraphError, unknownPath, unsupportedRequest } from "./errors.ts";
import type { GraphResponse } from "./errors.ts";
import {
  findLiveMedia,
  handleDeleteMedia,
  handleDownloadMedia,
  handleGetMedia,
  handleUploadMedia,
  MEDIA_UPLOAD_BODY_LIMIT,
} from "./media.ts";
import { findPhoneNumber, handleSendMessage } from "./messages.ts";
import {
  handleDeregister,
  handleGetBusinessProfile,
  handleGetPhoneNumber,
  handleRegister,
  handleSetTwoStepPin,
  handleUpdateBusinessProfile,
} from "./phone-numbers.ts";
import { handleListSubscribedApps, handleOAuthAccessToken, handleSubscribeApp, handleUnsubscribeApp } from "./embedded-signup.ts";
import {
  findWaba,
  handleCreateTemplate,
  handleDeleteTemplates,
  handleEditTemplate,
  handleGetTemplate,
  handleListTemplates,
} from "./templates.ts";
import { handleStartUpload, handleUploadBytes, handleUploadStatus, UPLOAD_MAX_BYTES } from "./uploads.ts";

type Query = Record<string, string | undefined>;
type Params = { version: string; id: string };

const VERSION = /^v\d{1,2}\.0$/;

export function sendGraph(reply: FastifyReply, response: GraphResponse): FastifyReply {
  return reply
    .code(response.status)
    .header("content-type", "application/json; charset=UTF-8")
    .header("x-fb-trace-id", Math.random().toString(36).slice(2, 13))
    .send(serializeWireJson(response.body));
}

// JSON bodies arrive as raw text so that malformed JSON becomes a Graph error, not Fastify's.
function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new GraphError(100, "The request body could not be parsed as JSON.");
  }
}

// A query-string or form field may carry an object as JSON text (text={"body":"hi"}).
function decodeFieldValue(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

// Graph reads a call's parameters from the query string and from the body alike, the body as JSON
// or as a form; a body parameter wins over the same one in the query string. The access token is
// not a parameter of the call.
function readGraphParams(request: FastifyRequest): unknown {
  const params: Record<string, unknown> = {};
  const addFields = (fields: Iterable<[string, unknown]>) => {
    for (const [key, value] of fields) if (key !== "access_token" && typeof value === "string") params[key] = decodeFieldValue(value);
  };
  addFields(Object.entries(request.query as Query));
  const body = request.body;
  if (typeof body !== "string" || body.length === 0) return params;
  if (
    String(request.headers["content-type"] ?? "")
      .toLowerCase()
      .startsWith("application/x-www-form-urlencoded")
  ) {
    addFields(new URLSearchParams(body));
    return params;
  }
  const json = parseJsonBody(body);
  // Anything but an object is refused by the handler's schema, as it stands.
  if (json === null || typeof json !== "object" || Array.isArray(json)) return json;
  return { ...params, ...(json as Record<string, unknown>) };
}

function checkVersion(request: FastifyRequest, version: string): void {
  if (!VERSION.test(version)) throw new GraphError(unknownPath(request.url.split("?")[0] ?? ""));
}

export function registerGraphRoutes(app: FastifyInstance, ctx: SimContext): void {
  // Every Graph route: check the version, authenticate, then run the handler; GraphErrors become
  // Meta-shaped bodies.
  function graphRoute(handler: (request: FastifyRequest, params: Params, query: Query) => GraphResponse) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const params = request.params as Params;
      const query = request.query as Query;
      try {
        checkVersion(request, params.version);
        authenticate(ctx, readBearerToken(request.headers.authorization, query.access_token));
        return sendGraph(reply, handler(request, params, query));
      } catch (error) {
        if (error instanceof GraphError) return sendGraph(reply, error.response);
        throw error;
      }
    };
  }

  app.post("/:version/:id/messages", async (request, reply) => {
    const params = request.params as Params;
    const query = request.query as Query;
    try {
      checkVersion(request, params.version);
      authenticate(ctx, readBearerToken(request.headers.authorization, query.access_token));
      const outcome = handleSendMessage(ctx, params.id, readGraphParams(request));
      if (outcome.dropResponse) {
        // The send was accepted; the client never learns it (to prove it reconciles from webhooks).
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      return sendGraph(reply, { status: outcome.status, body: outcome.body });
    } catch (error) {
      if (error instanceof GraphError) return sendGraph(reply, error.response);
      throw error;
    }
  });

  app.post(
    "/:version/:id/media",
    { bodyLimit: MEDIA_UPLOAD_BODY_LIMIT },
    graphRoute((request, params, query) =>
      handleUploadMedia(ctx, params.id, {
        contentType: request.headers["content-type"],
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        query,
      }),
    ),
  );

  app.post(
    "/:version/:id/register",
    graphRoute((request, params) => handleRegister(ctx, findPhoneNumber(ctx, params.id), readGraphParams(request))),
  );
  app.post(
    "/:version/:id/deregister",
    graphRoute((request, params) => handleDeregister(ctx, findPhoneNumber(ctx, params.id), readGraphParams(request))),
  );

  app.get(
    "/:version/:id/whatsapp_business_profile",
    graphRoute((_request, params, query) => handleGetBusinessProfile(findPhoneNumber(ctx, params.id), query.fields)),
  );
  app.post(
    "/:version/:id/whatsapp_business_profile",
    graphRoute((request, params) => handleUpdateBusinessProfile(ctx, findPhoneNumber(ctx, params.id), readGraphParams(request))),
  );

  // Business Management API endpoints on /{waba-id}/…: after authentication, the WABA must exist and
  // the request is counted against its hourly budget (./business-management-limits.ts).
  function businessManagementRoute(handler: (request: FastifyRequest, params: Params, query: Query) => GraphResponse) {
    return graphRoute((request, params, query) => {
      findWaba(ctx, params.id, request.method);
      spendBusinessManagementRequest(ctx, params.id);
      return handler(request, params, query);
    });
  }

  app.post(
    "/:version/:id/message_templates",
    businessManagementRoute((request, params) => handleCreateTemplate(ctx, params.id, readGraphParams(request))),
  );
  app.get(
    "/:version/:id/message_templates",
    businessManagementRoute((_request, params, query) => handleListTemplates(ctx, params.id, query)),
  );
  app.delete(
    "/:version/:id/message_templates",
    businessManagementRoute((_request, params, query) => handleDeleteTemplates(ctx, params.id, query)),
  );

  app.post(
    "/:version/:id/subscribed_apps",
    businessManagementRoute((request, params) => handleSubscribeApp(ctx, params.id, readGraphParams(request))),
  );
  app.get(
    "/:version/:id/subscribed_apps",
    businessManagementRoute((_request, params) => handleListSubscribedApps(ctx, params.id)),
  );
  app.delete(
    "/:version/:id/subscribed_apps",
    businessManagementRoute((_request, params) => handleUnsubscribeApp(ctx, params.id)),
  );

  // The Embedded Signup code exchange: the app authenticates with its id and secret, not a token.
  app.get("/:version/oauth/access_token", async (request, reply) => {
    const params = request.params as { version: string };
    try {
      checkVersion(request, params.version);
      return sendGraph(reply, handleOAuthAccessToken(ctx, request.query as Query));
    } catch (error) {
      if (error instanceof GraphError) return sendGraph(reply, error.response);
      throw error;
    }
  });

  // The Resumable Upload API (./uploads.ts): a session on the app, then the bytes on upload:<id>.
  app.post(
    "/:version/:id/uploads",
    graphRoute((_request, params, query) => handleStartUpload(ctx, params.id, query)),
  );

  app.get("/:version/debug_token", async (request, reply) => {
    const query = request.query as Query;
    try {
      const token = readBearerToken(request.headers.authorization, query.access_token);
      return sendGraph(reply, handleDebugToken(ctx, query.input_token, token));
    } catch (error) {
      if (error instanceof GraphError) return sendGraph(reply, error.response);
      throw error;
    }
  });

  // GET/POST/DELETE /{object-id}: the object may be a media item, a phone number or a template.
  app.get(
    "/:version/:id",
    graphRoute((request, params, query) => {
      if (params.id.startsWith("upload:")) return handleUploadStatus(ctx, params.id);
      const media = findLiveMedia(ctx, params.id);
      if (media) return handleGetMedia(ctx, media);
      const phone = ctx.state.phoneNumbers.get(params.id);
      if (phone) return handleGetPhoneNumber(ctx, phone, query.fields);
      const template = ctx.state.templates.get(params.id);
      if (template) return handleGetTemplate(template, query);
      throw unsupportedRequest(request.method, params.id);
    }),
  );
  app.post(
    "/:version/:id",
    { bodyLimit: UPLOAD_MAX_BYTES + 1024 },
    graphRoute((request, params) => {
      if (params.id.startsWith("upload:")) {
        const offset = request.headers.file_offset;
        return handleUploadBytes(
          ctx,
          params.id,
          Array.isArray(offset) ? offset[0] : offset,
          Buffer.isBuffer(request.body) ? request.body : Buffer.from(typeof request.body === "string" ? request.body : ""),
        );
      }
      const phone = ctx.state.phoneNumbers.get(params.id);
      if (phone) return handleSetTwoStepPin(phone, readGraphParams(request));
      const template = ctx.state.templates.get(params.id);
      if (template) return handleEditTemplate(ctx, template, readGraphParams(request));
      throw unsupportedRequest(request.method, params.id);
    }),
  );
  app.delete(
    "/:version/:id",
    graphRoute((request, params) => {
      const media = findLiveMedia(ctx, params.id);
      if (media) return handleDeleteMedia(ctx, media);
      throw unsupportedRequest(request.method, params.id);
    }),
  );

  // The lookaside download URL handed out by GET /{media-id}.
  app.get("/whatsapp_business/attachments/", async (request, reply) => {
    const query = request.query as Query;
    const token = readBearerToken(request.headers.authorization, undefined);
    const result = handleDownloadMedia(ctx, query, token);
    if (result.ok) return reply.code(200).header("content-type", result.mimeType).send(result.bytes);
    if (typeof result.body === "string") return reply.code(result.status).header("content-type", "text/plain").send(result.body);
    return sendGraph(reply, { status: result.status, body: result.body });
  });
}

export function graphNotFound(path?: string): GraphResponse {
  return unknownPath(path ?? "");
}
