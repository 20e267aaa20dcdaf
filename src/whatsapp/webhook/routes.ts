import { z } from "zod";
import type { Config } from "../../config.ts";
import { AppError } from "../../errors.ts";
import { defineRoute } from "../../http/define-route.ts";
import type { InboundPort } from "../inbound/port.ts";
import type { Services } from "../../services.ts";
import type { WebhookOutcome } from "../../observability/metrics.ts";
import { countWebhook } from "./metrics.ts";
import { constantTimeEquals, isValidWebhookSignature } from "./signature.ts";
import { findVerifiedEndpoint, ingestDelivery } from "./ingest.ts";
import { resolveWebhookEndpoint } from "./store.ts";
import { safeString } from "../../http/safe-string.ts";

// The receiver for Meta's webhooks (DESIGN §2): fail closed. Nothing is parsed or stored before the
// signature over the exact raw bytes checks out with that number's app secret; a verified delivery
// is stored durably (encrypted) with its processing job before the 200 (group commit: ingest.ts).

export const WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;

const keyParams = z.strictObject({ webhookKey: safeString(128) });
const handshakeQuery = z.strictObject({
  "hub.mode": safeString(64).optional(),
  "hub.challenge": safeString(256).optional(),
  "hub.verify_token": safeString(512).optional(),
});

/** Counts an outcome in the process counters (tests) and in the metrics, when served. */
function count(services: Services, outcome: WebhookOutcome): void {
  countWebhook(outcome);
  services.metrics?.countWebhook(outcome);
}
/**
 * Meta's published webhook ranges (PARLEY_WEBHOOK_ALLOWED_CIDRS), when the operator lists them:
 * anyone else is refused before the signature is even looked at. Unset: any address (the signature decides).
 */
const metaWebhookRanges = (config: Config): readonly string[] | undefined => config.webhooks.allowedCidrs;

/** The webhook routes, reading each number's secrets through the product's inbound port. */
export function createWebhookRoutes(port: InboundPort) {
  return [
    defineRoute({
      method: "GET",
      url: "/webhooks/whatsapp/:webhookKey",
      summary: "Meta's webhook verification handshake: echoes hub.challenge when the verify token matches.",
      tags: ["webhooks"],
      public: "called by Meta when the callback URL is configured; answers only to the number's verify token",
      rateLimit: { limit: 60, windowMs: 60_000, key: "ip" },
      sourceAllowList: metaWebhookRanges,
      errors: ["FORBIDDEN", "NOT_FOUND", "ADDRESS_NOT_ALLOWED"],
      schema: { params: keyParams, query: handshakeQuery, response: { 200: z.string() } },
      handler: async ({ services, params, query, reply }) => {
        const endpoint = await resolveWebhookEndpoint(services.db, params.webhookKey);
        if (!endpoint) {
          count(services, "unknown_endpoint");
          throw new AppError("NOT_FOUND");
        }
        const credentials = await port.webhookSecrets(services, endpoint);
        const challenge = query["hub.challenge"];
        const ok =
          credentials !== undefined &&
          constantTimeEquals(query["hub.verify_token"] ?? "", credentials.verifyToken) &&
          query["hub.mode"] === "subscribe" &&
          challenge !== undefined &&
          /^[\x21-\x7e]{1,256}$/.test(challenge);
        if (!ok) {
          count(services, "verify_refused");
          services.logger.warn(
            { component: "webhook", workspaceId: endpoint.workspaceId, numberId: endpoint.numberId },
            "webhook verification refused",
          );
          throw new AppError("FORBIDDEN");
        }
        count(services, "verify_ok");
        // Meta compares the body byte for byte with its challenge: it must leave as plain text, not JSON.
        reply.hijack();
        reply.raw.writeHead(200, {
          "content-type": "text/plain; charset=utf-8",
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
          "content-length": String(Buffer.byteLength(challenge)),
        });
        reply.raw.end(challenge);
        return challenge;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/webhooks/whatsapp/:webhookKey",
      summary: "Receives Meta's signed webhooks (X-Hub-Signature-256) and stores them for processing.",
      tags: ["webhooks"],
      public: "called by Meta; authenticated by the HMAC signature over the raw body with the number's app secret",
      rawBody: true,
      // Served around Fastify's pipeline when the request has the plain shape Meta sends (src/http/lean-lane.ts).
      lean: true,
      bodyLimit: WEBHOOK_BODY_LIMIT,
      sourceAllowList: metaWebhookRanges,
      errors: ["FORBIDDEN", "NOT_FOUND", "ADDRESS_NOT_ALLOWED"],
      schema: { params: keyParams, response: { 200: z.object({ received: z.literal(true) }) } },
      handler: async ({ services, params, rawBody, headers, requestId }) => {
        const endpoint = await findVerifiedEndpoint(services, port, params.webhookKey);
        if (!endpoint) {
          count(services, "unknown_endpoint");
          throw new AppError("NOT_FOUND");
        }
        const header = headers["x-hub-signature-256"];
        const signature = typeof header === "string" ? header : undefined;
        const body = rawBody ?? Buffer.alloc(0);
        if (!isValidWebhookSignature(endpoint.appSecret, body, signature)) {
          count(services, signature === undefined ? "signature_missing" : "signature_invalid");
          // Never the payload or the header: only that it happened, and where.
          services.logger.warn(
            {
              component: "webhook",
              requestId,
              workspaceId: endpoint.workspaceId,
              numberId: endpoint.numberId,
              reason: signature === undefined ? "missing" : "invalid",
              bytes: body.length,
            },
            "webhook signature refused",
          );
          throw new AppError("FORBIDDEN");
        }
        await ingestDelivery(services, { workspaceId: endpoint.workspaceId, numberId: endpoint.numberId, rawBody: body });
        count(services, "accepted");
        return { received: true as const };
      },
    }),
  ];
}
