import { z } from "zod";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { defineRoute } from "../../http/define-route.ts";
import { safeString } from "../../http/safe-string.ts";
import { requireRecentReauth } from "../../identity/authenticator.ts";
import type { Caller } from "../../identity/caller.ts";
import { completeEmbeddedSignup, signupLaunch, startSandboxSignup } from "./embedded-signup.ts";
import { refreshNumberHealth } from "./health.ts";
import {
  deregisterNumber,
  disconnectNumber,
  getBusinessProfile,
  PROFILE_VERTICALS,
  reconnectNumber,
  registerNumber,
  setTwoStepPin,
  updateBusinessProfile,
} from "./manage.ts";
import { listNumbers, type NumberView } from "./repository.ts";
import type { RequestMeta } from "./service.ts";
import { graphFailureToAppError } from "./graph-words.ts";

// Managing numbers: health (every member sees it), two-step PIN, register/deregister, business
// profile, disconnect/reconnect and Embedded Signup (numbers.manage). Changing the PIN, registering
// and deregistering need a recent re-authentication, like other actions that can take a number
// off the air. The PIN is validated (6 digits), sent to Meta and dropped.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const numberParams = z.strictObject({ workspaceId: z.uuid(), numberId: z.uuid() });
const graphId = safeString(32).regex(/^\d{1,32}$/, "must be a numeric Meta id");
const pinBody = z.strictObject({ pin: safeString(6).regex(/^\d{6}$/, "must be 6 digits") });

/** A number's health, as every member may see it: no secrets, no phone number beyond its last four digits. */
export const healthResponse = z.object({
  id: z.uuid(),
  mode: z.enum(["sandbox", "live"]),
  displayPhoneLast4: z.string().nullable(),
  status: z.enum(["active", "credentials_invalid", "disconnected"]),
  qualityRating: z.enum(["GREEN", "YELLOW", "RED", "UNKNOWN"]),
  messagingLimit: z.enum(["TIER_250", "TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED"]).nullable(),
  metaStatus: z.string().nullable().describe("Meta's status of the number (e.g. CONNECTED)."),
  throughputLevel: z.string().nullable().describe("STANDARD (80 messages/s), HIGH (1,000) or NOT_APPLICABLE."),
  nameStatus: z.string().nullable().describe("The display name's review: APPROVED, PENDING_REVIEW, DECLINED, …"),
  accountEvent: z.string().nullable().describe("The last account_update event about the number's account."),
  healthCheckedAt: z.iso.datetime().nullable(),
  healthError: z.string().nullable().describe("Why the last read from Meta failed, in words."),
  pinSetAt: z.iso.datetime().nullable(),
  registeredAt: z.iso.datetime().nullable(),
  disconnectedAt: z.iso.datetime().nullable(),
  accessTokenStoredAt: z.iso.datetime(),
  accessTokenOld: z.boolean().describe("The access token was stored more than 90 days ago: rotate it."),
});

const TOKEN_OLD_MS = 90 * 24 * 60 * 60_000;

export function presentHealth(view: NumberView, now = new Date()): z.input<typeof healthResponse> {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: view.id,
    mode: view.mode,
    displayPhoneLast4: view.displayPhoneLast4,
    status: view.status,
    qualityRating: view.qualityRating,
    messagingLimit: view.messagingLimit,
    metaStatus: view.metaStatus,
    throughputLevel: view.throughputLevel,
    nameStatus: view.nameStatus,
    accountEvent: view.accountEvent,
    healthCheckedAt: iso(view.healthCheckedAt),
    healthError: view.healthError,
    pinSetAt: iso(view.pinSetAt),
    registeredAt: iso(view.registeredAt),
    disconnectedAt: iso(view.disconnectedAt),
    accessTokenStoredAt: view.accessTokenStoredAt.toISOString(),
    accessTokenOld: now.getTime() - view.accessTokenStoredAt.getTime() > TOKEN_OLD_MS,
  };
}

const profileResponse = z.object({
  about: z.string().nullable(),
  address: z.string().nullable(),
  description: z.string().nullable(),
  email: z.string().nullable(),
  websites: z.array(z.string()),
  vertical: z.string().nullable(),
  profilePictureUrl: z.string().nullable(),
});

const profileBody = z
  .strictObject({
    about: safeString(139).min(1).optional(),
    address: safeString(256).optional(),
    description: safeString(512).optional(),
    email: z.union([z.literal(""), z.email().max(128)]).optional(),
    websites: z
      .array(safeString(256).regex(/^https?:\/\/\S+$/, "must start with http:// or https://"))
      .max(2)
      .optional(),
    vertical: z.enum(PROFILE_VERTICALS).optional(),
    profilePictureHandle: safeString(1024)
      .min(1)
      .regex(/^[\x21-\x7e]+$/, "must be a Resumable Upload handle")
      .optional()
      .describe("The handle (`h`) of a picture uploaded with Meta's Resumable Upload API."),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), "name at least one field to change");

const signupBody = z.strictObject({
  code: safeString(1024)
    .min(8)
    .regex(/^[\x21-\x7e]+$/, "must be the code Meta's popup returned"),
  wabaId: graphId,
  phoneNumberId: graphId,
  pin: safeString(6).regex(/^\d{6}$/, "must be 6 digits"),
});

function requestMeta(caller: Caller): RequestMeta {
  return { actor: caller.audit, ip: caller.ip, userAgent: caller.userAgent };
}

const ok = z.object({ ok: z.literal(true) });

export const numberManagementRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/numbers/health",
    summary: "Every number's health (status, quality rating, messaging limit, throughput, display-name review), for every member.",
    tags: ["numbers"],
    permission: "workspace.read",
    caller: true,
    schema: { params: workspaceParams, response: { 200: z.object({ numbers: z.array(healthResponse) }) } },
    handler: async ({ services, caller, params }) => {
      const numbers = await withWorkspace(
        services.db,
        { workspaceId: params.workspaceId, userId: caller.userId, role: caller.role },
        (trx) => listNumbers(trx, params.workspaceId),
      );
      return { numbers: numbers.map((view) => presentHealth(view)) };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/health/refresh",
    summary: "Reads the number's health from Meta now (the schedule does it hourly).",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 60, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: numberParams, body: z.strictObject({}).optional(), response: { 200: healthResponse } },
    handler: async ({ services, params }) => {
      const view = await refreshNumberHealth(services, params.workspaceId, params.numberId).catch((error: unknown) =>
        graphFailureToAppError(error, "Reading the number's health from Meta"),
      );
      if (!view) throw new AppError("NOT_FOUND", "The number does not exist.");
      return presentHealth(view);
    },
  }),
  defineRoute({
    method: "PUT",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/two-step-pin",
    summary:
      "Sets or changes the number's two-step verification PIN with Meta. The PIN is never stored or logged; audited without it. Needs a recent re-authentication.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 10, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE", "REAUTHENTICATION_REQUIRED"],
    schema: { params: numberParams, body: pinBody, response: { 200: ok } },
    handler: async ({ services, caller, auth, params, body }) => {
      requireRecentReauth(auth);
      await setTwoStepPin(services, params.workspaceId, params.numberId, body.pin, requestMeta(caller));
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/register",
    summary:
      "Registers the number with the Cloud API using its two-step PIN (Meta allows 10 calls per 72 hours). Needs a recent re-authentication.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 10, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE", "REAUTHENTICATION_REQUIRED"],
    schema: { params: numberParams, body: pinBody, response: { 200: ok } },
    handler: async ({ services, caller, auth, params, body }) => {
      requireRecentReauth(auth);
      await registerNumber(services, params.workspaceId, params.numberId, body.pin, requestMeta(caller));
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/deregister",
    summary:
      "Deregisters the number from the Cloud API: it stops sending and receiving until registered again. Needs a recent re-authentication.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 10, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE", "REAUTHENTICATION_REQUIRED"],
    schema: { params: numberParams, body: z.strictObject({}).optional(), response: { 200: ok } },
    handler: async ({ services, caller, auth, params }) => {
      requireRecentReauth(auth);
      await deregisterNumber(services, params.workspaceId, params.numberId, requestMeta(caller));
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/profile",
    summary: "The number's WhatsApp business profile, as Meta holds it.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: numberParams, response: { 200: profileResponse } },
    handler: async ({ services, params }) => getBusinessProfile(services, params.workspaceId, params.numberId),
  }),
  defineRoute({
    method: "PUT",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/profile",
    summary:
      "Updates the business profile (about ≤ 139, description ≤ 512, address, email, up to 2 websites, vertical, picture by upload handle).",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 60, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: numberParams, body: profileBody, response: { 200: profileResponse } },
    handler: async ({ services, caller, params, body }) =>
      updateBusinessProfile(services, params.workspaceId, params.numberId, body, requestMeta(caller)),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/disconnect",
    summary: "Disconnects the number: sends are refused, queued ones fail, its webhooks are refused (404); its history stays.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    errors: ["CONFLICT"],
    schema: { params: numberParams, body: z.strictObject({}).optional(), response: { 200: healthResponse } },
    handler: async ({ services, caller, params }) =>
      presentHealth(await disconnectNumber(services, params.workspaceId, params.numberId, requestMeta(caller))),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/reconnect",
    summary: "Reconnects a disconnected number once Meta accepts its stored credentials again.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    errors: ["NOT_FOUND", "CONFLICT", "UNPROCESSABLE"],
    schema: { params: numberParams, body: z.strictObject({}).optional(), response: { 200: healthResponse } },
    handler: async ({ services, caller, params }) =>
      presentHealth(await reconnectNumber(services, params.workspaceId, params.numberId, requestMeta(caller))),
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/numbers/embedded-signup",
    summary: "How the dashboard opens Embedded Signup: Meta's popup (app and configuration ids), the simulator (sandbox mode), or off.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    schema: {
      params: workspaceParams,
      response: {
        200: z.object({
          mode: z.enum(["facebook", "simulator", "off"]),
          appId: z.string().optional(),
          configId: z.string().optional(),
          graphApiVersion: z.string().optional(),
        }),
      },
    },
    handler: async ({ services }) => signupLaunch(services),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers/embedded-signup/simulator",
    summary: "Sandbox mode: the simulator plays Meta's popup and answers what it would (code, WABA and phone number ids).",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 20, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["UNPROCESSABLE"],
    schema: {
      params: workspaceParams,
      body: z.strictObject({}).optional(),
      response: { 200: z.object({ code: z.string(), wabaId: z.string(), phoneNumberId: z.string() }) },
    },
    handler: async ({ services }) => startSandboxSignup(services),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers/embedded-signup",
    summary:
      "Finishes Embedded Signup: exchanges the popup's code, stores the number, subscribes the app to its webhooks and registers it with the PIN.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    rateLimit: { limit: 20, windowMs: 60 * 60_000, key: "workspace" },
    errors: ["CONFLICT", "UNPROCESSABLE"],
    schema: {
      params: workspaceParams,
      body: signupBody,
      response: {
        201: z.object({
          number: healthResponse,
          subscribed: z.boolean(),
          registered: z.boolean(),
          problem: z.string().nullable().describe("What is left to do, in words, when a step after storing the number failed."),
        }),
      },
    },
    handler: async ({ services, caller, params, body, reply }) => {
      const result = await completeEmbeddedSignup(services, params.workspaceId, body, requestMeta(caller));
      reply.code(201);
      return { ...result, number: presentHealth(result.number) };
    },
  }),
];
