import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { safeString } from "../../http/safe-string.ts";
import { subscribableEventTypes, type WebhookEventType } from "./catalogue.ts";
import {
  DEFAULT_ROTATION_OVERLAP_SECONDS,
  createEndpointFor,
  deleteEndpointFor,
  getEndpointFor,
  listDeliveriesFor,
  listEndpointsFor,
  replayFor,
  rotateSecretFor,
  sendTestFor,
  updateEndpointFor,
  type Endpoint,
} from "./service.ts";
import type { DeliveryLogEntry } from "./repository.ts";
import { MAX_DELIVERY_ATTEMPTS } from "./worker.ts";

// Outbound webhooks under /api/v1/workspaces/:workspaceId/webhooks (webhooks.manage: Owners and
// Admins). The signing secret is in the answers of creation and rotation only.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const endpointParams = z.strictObject({ workspaceId: z.uuid(), endpointId: z.uuid() });
const deliveryParams = z.strictObject({ workspaceId: z.uuid(), endpointId: z.uuid(), deliveryId: z.uuid() });

const url = safeString(2048)
  .min(8)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), { message: "An http:// or https:// URL." });
const description = safeString(500);
const eventTypes = z
  .array(z.enum(subscribableEventTypes as [WebhookEventType, ...WebhookEventType[]]))
  .min(1)
  .max(50)
  .describe("The event types to receive (see the document's `webhooks` section).");

const endpointResponse = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  format: z.enum(["standard", "meta"]),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  includePersonalData: z
    .boolean()
    .describe("Whether deliveries carry personal data (message text, contact phone and name) besides identifiers."),
  disabledReason: z
    .enum(["manual", "failing", "gone"])
    .nullable()
    .describe(
      "manual: by a member; failing: all deliveries failed for 5 days or 5 deliveries in a row were dead-lettered; gone: the receiver answered 410.",
    ),
  disabledAt: z.iso.datetime().nullable(),
  failingSince: z.iso.datetime().nullable(),
  previousSecretExpiresAt: z.iso
    .datetime()
    .nullable()
    .describe("Until then deliveries are also signed with the previous secret (rotation overlap)."),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
const withSecret = z.object({
  endpoint: endpointResponse,
  secret: z.string().describe("whsec_ + base64 of 32 random bytes. Shown once: store it now."),
});

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function present(endpoint: Endpoint): z.input<typeof endpointResponse> {
  return {
    ...endpoint,
    disabledAt: iso(endpoint.disabledAt),
    failingSince: iso(endpoint.failingSince),
    previousSecretExpiresAt: iso(endpoint.previousSecretExpiresAt),
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

const deliveryResponse = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  eventType: z.string().describe("A catalogue type, or whatsapp.messages for a Meta-format endpoint's re-emitted inbound value."),
  status: z
    .enum(["pending", "succeeded", "failed"])
    .describe("failed: dead letter, after the last attempt (or a 410); replay starts a new series."),
  attempts: z.number().int().describe(`Attempts made in the current series (at most ${MAX_DELIVERY_ATTEMPTS}).`),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastAttemptAt: z.iso.datetime().nullable(),
  lastResponseCode: z.number().int().nullable(),
  lastResponseExcerpt: z.string().nullable().describe("The first 1 KB of the receiver's last answer."),
  lastError: z.string().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
});

function presentDelivery(row: DeliveryLogEntry): z.input<typeof deliveryResponse> {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: iso(row.next_attempt_at),
    lastAttemptAt: iso(row.last_attempt_at),
    lastResponseCode: row.last_response_code,
    lastResponseExcerpt: row.last_response_excerpt,
    lastError: row.last_error,
    lastLatencyMs: row.last_latency_ms,
    createdAt: row.created_at.toISOString(),
  };
}

const cursorPattern = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[0-9a-f-]{36}$/;
const encodeCursor = (row: DeliveryLogEntry) => `${row.created_at.toISOString()}_${row.id}`;
function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const [createdAt, id] = cursor.split("_") as [string, string];
  return { createdAt: new Date(createdAt), id };
}

export const webhookRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/webhooks",
    summary: "The workspace's outbound webhook endpoints (never their secrets).",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    schema: { params: workspaceParams, response: { 200: z.object({ data: z.array(endpointResponse) }) } },
    handler: async ({ services, caller }) => ({ data: (await listEndpointsFor(services, caller)).map(present) }),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/webhooks",
    summary:
      "Registers an endpoint (at most 20) and answers its signing secret, once. The URL is checked against the SSRF guard. Audited (a Meta-format endpoint's personal data on its own).",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    errors: ["UNPROCESSABLE", "WEBHOOK_URL_REFUSED"],
    schema: {
      params: workspaceParams,
      body: z.strictObject({
        url,
        description: description.default(""),
        format: z
          .enum(["standard", "meta"])
          .default("standard")
          .describe(
            'standard: the catalogue events, signed per Standard Webhooks. meta: inbound WhatsApp events re-emitted in Meta\'s own webhook envelope ({"object":"whatsapp_business_account","entry":[…]}) with Meta\'s values as received, signed with X-Hub-Signature-256 (sha256=hex HMAC-SHA256 of the raw body, keyed with the secret as answered); subscribes to message.received (values with messages) and message.status (values with statuses) only, and requires includePersonalData: true since the values carry phone numbers, names and texts.',
          ),
        eventTypes,
        enabled: z.boolean().default(true),
        includePersonalData: z.boolean().default(false),
      }),
      response: { 201: withSecret },
    },
    handler: async ({ services, caller, body, reply }) => {
      const created = await createEndpointFor(services, caller, body);
      reply.code(201);
      return { endpoint: present(created.endpoint), secret: created.secret };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/webhooks/:endpointId",
    summary: "One endpoint: its settings, and whether and why it is disabled.",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: endpointParams, response: { 200: endpointResponse } },
    handler: async ({ services, caller, params }) => present(await getEndpointFor(services, caller, params.endpointId)),
  }),
  defineRoute({
    method: "PATCH",
    url: "/api/v1/workspaces/:workspaceId/webhooks/:endpointId",
    summary:
      "Changes an endpoint's URL, description, events, enabled flag or personal-data option. Enabling clears an automatic disable. Audited (the personal-data option on its own).",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    errors: ["NOT_FOUND", "UNPROCESSABLE", "WEBHOOK_URL_REFUSED"],
    schema: {
      params: endpointParams,
      body: z
        .strictObject({
          url: url.optional(),
          description: description.optional(),
          eventTypes: eventTypes.optional(),
          enabled: z.boolean().optional(),
          includePersonalData: z.boolean().optional(),
        })
        .refine((value) => Object.values(value).some((field) => field !== undefined), { message: "Give at least one field to change." }),
      response: { 200: endpointResponse },
    },
    handler: async ({ services, caller, params, body }) => present(await updateEndpointFor(services, caller, params.endpointId, body)),
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/v1/workspaces/:workspaceId/webhooks/:endpointId",
    summary: "Deletes an endpoint with its delivery log. Audited.",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: endpointParams, response: { 204: z.undefined() } },
    handler: async ({ services, caller, params, reply }) => {
      await deleteEndpointFor(services, caller, params.endpointId);
      reply.code(204);
      return undefined;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/webhooks/:endpointId/rotate-secret",
    summary:
      "Replaces the signing secret and answers the new one, once. Until the overlap ends (default 24 h) deliveries carry both signatures. Audited.",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: {
      params: endpointParams,
      body: z
        .strictObject({
          overlapSeconds: z
            .number()
            .int()
            .min(0)
            .max(7 * 24 * 3_600)
            .default(DEFAULT_ROTATION_OVERLAP_SECONDS),
        })
        .default({ overlapSeconds: DEFAULT_ROTATION_OVERLAP_SECONDS }),
      response: { 200: withSecret },
    },
    handler: async ({ services, caller, params, body }) => {
      const rotated = await rotateSecretFor(services, caller, params.endpointId, body.overlapSeconds);
      return { endpoint: present(rotated.endpoint), secret: rotated.secret };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/webhooks/:endpointId/test",
    summary: "Queues a `webhook.test` ping to this endpoint; its delivery shows in the log.",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: endpointParams, response: { 202: z.object({ deliveryId: z.uuid() }) } },
    handler: async ({ services, caller, params, reply }) => {
      const deliveryId = await sendTestFor(services, caller, params.endpointId);
      reply.code(202);
      return { deliveryId };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/webhooks/:endpointId/deliveries",
    summary: "The endpoint's delivery log, newest first: status, attempts, latency, response code and the start of the answer.",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: {
      params: endpointParams,
      query: z.strictObject({
        status: z.enum(["pending", "succeeded", "failed"]).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: safeString(80).regex(cursorPattern).optional(),
      }),
      response: { 200: z.object({ data: z.array(deliveryResponse), nextCursor: z.string().nullable() }) },
    },
    handler: async ({ services, caller, params, query }) => {
      const rows = await listDeliveriesFor(services, caller, params.endpointId, {
        status: query.status,
        limit: query.limit + 1,
        before: decodeCursor(query.cursor),
      });
      const page = rows.slice(0, query.limit);
      return {
        data: page.map(presentDelivery),
        nextCursor: rows.length > query.limit && page.length > 0 ? encodeCursor(page.at(-1)!) : null,
      };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/webhooks/:endpointId/deliveries/:deliveryId/replay",
    summary: "Starts a new attempt series for one finished delivery (same webhook-id). The endpoint must be enabled. Audited.",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    errors: ["NOT_FOUND", "CONFLICT", "UNPROCESSABLE"],
    schema: { params: deliveryParams, response: { 202: z.object({ replayed: z.number().int() }) } },
    handler: async ({ services, caller, params, reply }) => {
      const replayed = await replayFor(services, caller, params.endpointId, { deliveryId: params.deliveryId });
      reply.code(202);
      return { replayed };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/webhooks/:endpointId/replay",
    summary:
      "Replays the endpoint's failed deliveries created in [since, until) (at most 1,000, oldest first). The endpoint must be enabled. Audited.",
    tags: ["webhooks"],
    permission: "webhooks.manage",
    feature: "webhooks",
    caller: true,
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: {
      params: endpointParams,
      body: z.strictObject({ since: z.iso.datetime(), until: z.iso.datetime().optional() }),
      response: { 202: z.object({ replayed: z.number().int() }) },
    },
    handler: async ({ services, caller, params, body, reply }) => {
      const replayed = await replayFor(services, caller, params.endpointId, {
        since: new Date(body.since),
        until: body.until ? new Date(body.until) : new Date(),
      });
      reply.code(202);
      return { replayed };
    },
  }),
];
