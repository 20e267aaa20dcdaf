import { accessLogRoutes } from "../audit/access-routes.ts";
import { auditRoutes } from "../audit/routes.ts";
import type { RouteDefinition } from "./define-route.ts";
import { accessRoutes } from "../features/workspaces/routes.ts";
import { numbersRoutes } from "../features/numbers/routes.ts";
import { sandboxRoutes } from "../features/sandbox/routes.ts";
import { identityRoutes } from "../identity/routes.ts";
import { healthRoutes } from "./routes/health.ts";
import { createWebhookRoutes } from "../whatsapp/webhook/routes.ts";
import { inboundPort } from "../features/messages/inbound.ts";
import { sendRoutes } from "../features/messages/routes.ts";
import { mediaRoutes } from "../features/messages/media/routes.ts";
import { conversationRoutes } from "../features/conversations/routes.ts";
import { contactRoutes } from "../features/contacts/routes.ts";
import { realtimeRoutes } from "../realtime/routes.ts";
import { presenceRoutes } from "../features/conversations/presence-routes.ts";
import { analyticsRoutes } from "../features/analytics/routes.ts";
import { noteRoutes } from "../features/notes/routes.ts";
import { quickReplyRoutes } from "../features/quick-replies/routes.ts";
import { broadcastRoutes } from "../features/broadcasts/routes.ts";
import { templateRoutes } from "../features/templates/routes.ts";
import { mediaUploadRoutes } from "../features/messages/media/upload-routes.ts";
import { blockedAddressRoutes } from "../features/blocked-addresses/routes.ts";
import { createGraphProxyRoutes } from "../features/graph-proxy/routes.ts";
import { webhookRoutes } from "../features/webhooks/routes.ts";
import { envelopeSchema, webhookEventCatalogue, webhookEventTypes } from "../features/webhooks/catalogue.ts";
import type { WebhookDoc } from "./openapi.ts";
import { retentionRoutes } from "../features/retention/routes.ts";
import { planRoutes } from "../features/plans/routes.ts";
import { consentRoutes } from "../features/consent/routes.ts";
import { subjectRequestRoutes } from "../features/subject-requests/routes.ts";

/** Every HTTP route of the app. The OpenAPI document (docs/openapi.json) is generated from this list. */
export const routes: RouteDefinition[] = [
  ...healthRoutes,
  ...identityRoutes,
  ...accessRoutes,
  ...auditRoutes,
  ...accessLogRoutes,
  ...numbersRoutes,
  ...sandboxRoutes,
  ...createWebhookRoutes(inboundPort),
  ...sendRoutes,
  ...mediaRoutes,
  ...conversationRoutes,
  ...presenceRoutes,
  ...realtimeRoutes,
  ...analyticsRoutes,
  ...contactRoutes,
  ...noteRoutes,
  ...quickReplyRoutes,
  ...templateRoutes,
  ...planRoutes,
  ...mediaUploadRoutes,
  ...blockedAddressRoutes,
  ...webhookRoutes,
  ...broadcastRoutes,
  ...createGraphProxyRoutes(),
  ...retentionRoutes,
  ...consentRoutes,
  ...subjectRequestRoutes,
];

/** The outbound webhook events, for the OpenAPI document's `webhooks` section. */
export const webhookDocs: readonly WebhookDoc[] = webhookEventTypes.map((type) => ({
  name: type,
  summary: webhookEventCatalogue[type].summary,
  body: envelopeSchema(type),
}));
