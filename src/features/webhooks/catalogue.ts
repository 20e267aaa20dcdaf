import { z } from "zod";

// The event catalogue of outbound webhooks: every type an endpoint may subscribe to, with the zod
// schema of its `data`. The OpenAPI document's `webhooks` section is generated from it
// (src/http/openapi.ts). Payloads are thin: identifiers, states and times. The `personal` schema of
// a type lists what an endpoint with `includePersonalData` also receives, read from the source
// rows at delivery time (never stored in the outbox).
//
// Every delivery's body is the envelope `{ type, timestamp, data }` (Standard Webhooks' payload
// guidance); `data.workspaceId` is always present.

const id = z.uuid();
const at = z.iso.datetime();
const workspace = { workspaceId: id };

export const webhookEventCatalogue = {
  "message.received": {
    summary: "A contact's message arrived (text, media, reaction, …).",
    data: z.object({
      ...workspace,
      conversationId: id,
      messageId: id,
      contactId: id,
      numberId: id,
      messageType: z.string().max(40),
      receivedAt: at,
    }),
    personal: z.object({ text: z.string().max(4096).nullable().describe("The message's text or caption, when it has one.") }),
  },
  "message.status": {
    summary: "An outbound message was sent, delivered, read or failed (as WhatsApp reported).",
    data: z.object({ ...workspace, conversationId: id, messageId: id, status: z.enum(["sent", "delivered", "read", "failed"]), at }),
    personal: undefined,
  },
  "conversation.created": {
    summary: "A new conversation was opened with a contact on a number.",
    data: z.object({ ...workspace, conversationId: id, contactId: id, numberId: id, createdAt: at }),
    personal: undefined,
  },
  "conversation.assigned": {
    summary: "A conversation was assigned to a member, or unassigned (assignedUserId null).",
    data: z.object({ ...workspace, conversationId: id, assignedUserId: id.nullable(), previousAssignedUserId: id.nullable(), at }),
    personal: undefined,
  },
  "conversation.closed": {
    summary: "A conversation was closed.",
    data: z.object({ ...workspace, conversationId: id, at }),
    personal: undefined,
  },
  "contact.created": {
    summary: "A contact was created (by its first inbound message or through the API; not yet by a CSV import).",
    data: z.object({ ...workspace, contactId: id, at }),
    personal: z.object({ phone: z.string().max(32).nullable(), name: z.string().max(256).nullable() }),
  },
  "contact.updated": {
    summary: "A contact's profile changed through the API; `changed` names the fields (name, tags, customFields).",
    data: z.object({ ...workspace, contactId: id, changed: z.array(z.string().max(40)).max(20), at }),
    personal: z.object({ phone: z.string().max(32).nullable(), name: z.string().max(256).nullable() }),
  },
  "contact.erased": {
    summary: "A contact was erased with every conversation and message (crypto-shredding).",
    data: z.object({ ...workspace, contactId: id, at }),
    personal: undefined,
  },
  "contact.consent_changed": {
    summary:
      "A contact's consent changed: recorded by a member or the API, imported, or the contact's own opt-out or opt-in (a keyword, Meta's marketing opt-out). `method` says which; ids and states only.",
    data: z.object({
      ...workspace,
      contactId: id,
      entryId: id.describe("The consent ledger entry."),
      scope: z.enum(["marketing", "utility"]),
      status: z.enum(["unknown", "opted_in", "opted_out"]),
      source: z.enum(["whatsapp", "web_form", "import", "api", "agent", "other"]),
      method: z.enum(["recorded", "import", "keyword", "meta_preference"]),
      at,
    }),
    personal: undefined,
  },
  "template.status": {
    summary:
      "A message template's review status, category or quality score changed (from Meta's template webhooks or a sync); the data holds the template's states after the change.",
    data: z.object({
      ...workspace,
      templateId: id,
      status: z.string().max(40),
      category: z.string().max(64).nullable(),
      quality: z.string().max(64).nullable().describe("Meta's quality score (GREEN, YELLOW, RED, UNKNOWN), when one was reported."),
      at,
    }),
    personal: undefined,
  },
  "number.quality": {
    summary:
      "Meta reported a change of a number's quality rating or messaging limit (phone_number_quality_update): `quality` is Meta's event (FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE…), `tier` its current limit (TIER_1K…).",
    data: z.object({ ...workspace, numberId: id, quality: z.string().max(40).nullable(), tier: z.string().max(40).nullable(), at }),
    personal: undefined,
  },
  "broadcast.progress": {
    summary:
      "A broadcast changed state (started, paused, resumed, cancelled, completed) or made progress while running (at most every 10 s): its state and recipient counts.",
    data: z.object({
      ...workspace,
      broadcastId: id,
      state: z.enum(["draft", "scheduled", "running", "paused", "cancelled", "completed"]),
      pauseReason: z.enum(["manual", "quality_red", "error_burst", "number_unavailable"]).nullable(),
      counts: z.object({
        total: z.number().int(),
        pending: z.number().int(),
        sending: z.number().int(),
        accepted: z.number().int(),
        sent: z.number().int(),
        delivered: z.number().int(),
        read: z.number().int(),
        failed: z.number().int(),
        skipped: z.number().int(),
      }),
      at,
    }),
    personal: undefined,
  },
  "webhook.test": {
    summary: "A ping sent on request (POST …/webhooks/{endpointId}/test) to check an endpoint; delivered to that endpoint only.",
    data: z.object({ ...workspace, endpointId: id, at }),
    personal: undefined,
  },
} as const satisfies Record<string, { summary: string; data: z.ZodObject; personal: z.ZodObject | undefined }>;

export type WebhookEventType = keyof typeof webhookEventCatalogue;

export const webhookEventTypes = Object.keys(webhookEventCatalogue) as [WebhookEventType, ...WebhookEventType[]];

/** Types an endpoint may subscribe to (the test ping goes to its one endpoint whatever it subscribed). */
export const subscribableEventTypes = webhookEventTypes.filter((type) => type !== "webhook.test");

export type WebhookEventData<T extends WebhookEventType> = z.input<(typeof webhookEventCatalogue)[T]["data"]>;

/** What a feature hands the outbox: one catalogue event. */
export type WebhookEvent = { [T in WebhookEventType]: { type: T; data: WebhookEventData<T> } }[WebhookEventType];

/** The delivered body's schema of one type (the OpenAPI `webhooks` entry). */
export function envelopeSchema(type: WebhookEventType): z.ZodType {
  const entry = webhookEventCatalogue[type];
  const data = entry.personal ? entry.data.extend(entry.personal.partial().shape) : entry.data;
  return z.object({ type: z.literal(type), timestamp: at.describe("When the event happened (ISO 8601)."), data });
}
