import { z } from "zod";
import { defineRoute, type RouteDefinition } from "../../http/define-route.ts";
import { requireRecentReauth } from "../../identity/authenticator.ts";
import { permissions } from "../../identity/permissions.ts";
import { asCaller } from "../../identity/caller.ts";
import { API_KEY_MAX_LIFETIME_DAYS, createApiKey, listApiKeys, revokeApiKey, type ApiKeySummary } from "./service.ts";
import { safeString } from "../../http/safe-string.ts";

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const apiKeyParams = z.strictObject({ workspaceId: z.uuid(), apiKeyId: z.uuid() });
const scope = z.enum(permissions);

const apiKeyBody = z.object({
  id: z.uuid(),
  name: z.string(),
  scopes: z.array(z.string()),
  lastFour: z.string().nullable(),
  createdBy: z.uuid(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  lastUsedIp: z.string().nullable().describe("The network (/24 for IPv4, /48 for IPv6) the key was last used from; never the address."),
  revokedAt: z.iso.datetime().nullable(),
  status: z.enum(["active", "expired", "revoked"]),
});

const iso = (date: Date | null) => date?.toISOString() ?? null;

function toApiKeyBody(key: ApiKeySummary) {
  return {
    ...key,
    createdAt: key.createdAt.toISOString(),
    expiresAt: iso(key.expiresAt),
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
  };
}

export const apiKeyRoutes: RouteDefinition[] = [
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/api-keys",
    summary: "Creates an API key (scopes within the caller's permissions). The key is in this response only.",
    tags: ["api-keys"],
    permission: "api_keys.manage",
    feature: "api",
    caller: true,
    errors: ["REAUTHENTICATION_REQUIRED"],
    schema: {
      params: workspaceParams,
      body: z.strictObject({
        name: safeString(100).trim().min(1),
        scopes: z.array(scope).min(1).max(permissions.length),
        expiresInDays: z.int().min(1).max(API_KEY_MAX_LIFETIME_DAYS).optional(),
      }),
      response: { 201: apiKeyBody.extend({ key: z.string() }) },
    },
    handler: async ({ services, caller, auth, body, reply }) => {
      // A sensitive action: a session that proved its password within 5 minutes, never an API key.
      requireRecentReauth(auth);
      const created = await asCaller(services, caller, (trx) => createApiKey(trx, caller, body));
      reply.code(201);
      return { ...toApiKeyBody(created), key: created.key };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/api-keys",
    summary: "Lists API keys: last four characters, scopes, expiry, last use; never the secret.",
    tags: ["api-keys"],
    permission: "api_keys.manage",
    feature: "api",
    caller: true,
    schema: { params: workspaceParams, response: { 200: z.object({ apiKeys: z.array(apiKeyBody) }) } },
    handler: async ({ services, caller }) => {
      const keys = await asCaller(services, caller, (trx) => listApiKeys(trx, caller.workspaceId));
      return { apiKeys: keys.map(toApiKeyBody) };
    },
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/v1/workspaces/:workspaceId/api-keys/:apiKeyId",
    summary: "Revokes an API key; its next request is refused.",
    tags: ["api-keys"],
    permission: "api_keys.manage",
    feature: "api",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: apiKeyParams, response: { 204: z.undefined() } },
    handler: async ({ services, caller, params, reply }) => {
      await asCaller(services, caller, (trx) => revokeApiKey(trx, caller, params.apiKeyId));
      reply.code(204);
      return undefined;
    },
  }),
];
