import { z } from "zod";
import { AppError } from "../../errors.ts";
import { defineRoute } from "../../http/define-route.ts";
import type { Services } from "../../services.ts";
import type { Caller } from "../../identity/caller.ts";
import { syncTemplates } from "../templates/sync.ts";
import type { NumberView } from "./repository.ts";
import { numberEventsRoute } from "./events-routes.ts";
import { numberManagementRoutes } from "./manage-routes.ts";
import {
  connectNumber,
  connectSandboxNumber,
  getWorkspaceNumber,
  listWorkspaceNumbers,
  updateNumberToken,
  webhookUrlFor,
  type RequestMeta,
} from "./service.ts";
import { safeString } from "../../http/safe-string.ts";

// Numbers API. Secrets go in and never come out: responses carry only their last four characters.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const numberParams = z.strictObject({ workspaceId: z.uuid(), numberId: z.uuid() });

const graphId = safeString(32).regex(/^\d{1,32}$/, "must be a numeric Meta id");
// Tokens are opaque (reference §12): bounded, printable, no whitespace.
const secret = (max: number) =>
  safeString(max)
    .min(8)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

const connectBody = z.strictObject({
  wabaId: graphId,
  phoneNumberId: graphId,
  appId: graphId.optional(),
  accessToken: secret(4096),
  appSecret: secret(256),
  verifyToken: secret(256),
});

const tokenBody = z.strictObject({ accessToken: secret(4096) });

const numberResponse = z.object({
  id: z.uuid(),
  mode: z.enum(["sandbox", "live"]),
  wabaId: z.string(),
  phoneNumberId: z.string(),
  appId: z.string().nullable(),
  displayPhoneLast4: z.string().nullable(),
  accessTokenLast4: z.string(),
  accessTokenVersion: z.number().int(),
  appSecretLast4: z.string(),
  verifyTokenLast4: z.string(),
  status: z.enum(["active", "credentials_invalid", "disconnected"]),
  tier: z.union([z.literal(80), z.literal(1000)]),
  webhookUrl: z.string(),
  verifiedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** Who is acting, for the audit log. */
function requestMeta(caller: Caller): RequestMeta {
  return { actor: caller.audit, ip: caller.ip, userAgent: caller.userAgent };
}

function present(services: Services, view: NumberView): z.input<typeof numberResponse> {
  return {
    id: view.id,
    mode: view.mode,
    wabaId: view.wabaId,
    phoneNumberId: view.phoneNumberId,
    appId: view.appId,
    displayPhoneLast4: view.displayPhoneLast4,
    accessTokenLast4: view.accessTokenLast4,
    accessTokenVersion: view.accessTokenVersion,
    appSecretLast4: view.appSecretLast4,
    verifyTokenLast4: view.verifyTokenLast4,
    status: view.status,
    tier: view.tier,
    webhookUrl: webhookUrlFor(services, view.webhookKey),
    verifiedAt: view.verifiedAt?.toISOString() ?? null,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  };
}

export const numbersRoutes = [
  numberEventsRoute,
  ...numberManagementRoutes,
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/numbers",
    summary: "List the workspace's WhatsApp numbers (secrets shown by their last four characters only).",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    schema: { params: workspaceParams, response: { 200: z.object({ numbers: z.array(numberResponse) }) } },
    handler: async ({ services, params }) => {
      const numbers = await listWorkspaceNumbers(services, params.workspaceId);
      return { numbers: numbers.map((view) => present(services, view)) };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId",
    summary: "One WhatsApp number.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: numberParams, response: { 200: numberResponse } },
    handler: async ({ services, params }) => {
      return present(services, await getWorkspaceNumber(services, params.workspaceId, params.numberId));
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers",
    summary: "Connect a WhatsApp number: the credentials are verified with Meta, then stored encrypted.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 20, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["CONFLICT", "UNPROCESSABLE"],
    schema: { params: workspaceParams, body: connectBody, response: { 201: numberResponse } },
    handler: async ({ services, caller, params, body, reply }) => {
      const meta = requestMeta(caller);
      const view = await connectNumber(services, params.workspaceId, body, meta);
      reply.code(201);
      return present(services, view);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers/sandbox",
    summary: "Sandbox mode: connect the built-in simulator's number in one step (credentials verified and stored like a real one).",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 20, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["CONFLICT", "UNPROCESSABLE"],
    schema: { params: workspaceParams, body: z.strictObject({}).optional(), response: { 201: numberResponse } },
    handler: async ({ services, caller, params, reply }) => {
      const meta = requestMeta(caller);
      if (!services.sandbox)
        throw new AppError("UNPROCESSABLE", "Sandbox mode is off (PARLEY_WHATSAPP_MODE=live): connect a real number instead.");
      const view = await connectSandboxNumber(services, params.workspaceId, services.sandbox, meta);
      // The sandbox's approved templates, ready for the template picker (best effort: a sync can be run later).
      await syncTemplates(services, params.workspaceId, view.id).catch((error: unknown) =>
        services.logger.warn({ err: error, workspaceId: params.workspaceId }, "sandbox template sync failed"),
      );
      reply.code(201);
      return present(services, view);
    },
  }),
  defineRoute({
    method: "PUT",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/access-token",
    summary: "Replace a number's access token without downtime (verified with Meta first).",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 20, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: numberParams, body: tokenBody, response: { 200: numberResponse } },
    handler: async ({ services, caller, params, body }) => {
      const meta = requestMeta(caller);
      return present(services, await updateNumberToken(services, params.workspaceId, params.numberId, body.accessToken, meta));
    },
  }),
];
