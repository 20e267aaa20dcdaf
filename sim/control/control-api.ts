import { z } from "zod";
import type { SimContext } from "../context.ts";
import { findOrCreateByKey } from "../customers.ts";
import { isAsyncErrorCode } from "../graph/errors.ts";
import { changeTemplateCategory, setTemplateQuality } from "../graph/templates.ts";
import { advanceMessageStatus, releaseHeldMessages, settleAllStatuses } from "../outbound.ts";
import { createAccessToken } from "../random.ts";
import type { OutboundStatus, ThroughputTier, WebhookDeliveryRecord, WebhookError } from "../state.ts";
import { buildUserPreferencesChange, type TemplateReviewOutcome } from "../webhooks/payloads.ts";
import { addAccount, removeAccount, setAccountWebhook } from "./accounts.ts";
import { isAppSubscribed, issueSignupCode } from "../graph/embedded-signup.ts";
import type { AccountInput } from "./accounts.ts";
import { sendFromCustomer } from "./customer-messages.ts";
import type { CustomerMessageInput } from "./customer-messages.ts";

export const faultsSchema = z.object({
  duplicateProbability: z.number().min(0).max(1).optional(),
  reorderProbability: z.number().min(0).max(1).optional(),
  failNextSends: z
    .object({
      count: z.number().int().min(1).max(1_000_000),
      code: z.number().int().min(0),
      mode: z.enum(["sync", "async"]).optional(),
      details: z.string().max(1000).optional(),
    })
    .optional(),
  dropNextResponses: z.number().int().min(0).max(1_000_000).optional(),
});
export type FaultsInput = z.infer<typeof faultsSchema>;

export const tokenSchema = z.object({
  expiresInSeconds: z.number().int().min(-1_000_000_000).max(10_000_000_000).optional(),
  type: z.enum(["SYSTEM_USER", "USER"]).optional(),
  scopes: z.array(z.string().max(100)).max(20).optional(),
});
export type TokenInput = z.infer<typeof tokenSchema>;

export const customerSettingsSchema = z.object({
  name: z.string().min(1).max(200).optional(),
  onWhatsApp: z.boolean().optional(),
  readsMessages: z.boolean().optional(),
  // false: the phone is off or offline, messages wait for delivery up to their TTL; true: waiting ones are delivered.
  reachable: z.boolean().optional(),
});
export type CustomerSettings = z.infer<typeof customerSettingsSchema>;

export const marketingPreferenceSchema = z.object({ value: z.enum(["stop", "resume"]), phoneNumberId: z.string().max(40).optional() });
export type MarketingPreferenceInput = z.infer<typeof marketingPreferenceSchema>;

export const advanceSchema = z.object({ wamid: z.string().max(256).optional(), to: z.enum(["sent", "delivered", "read"]).optional() });

export type SentMessage = {
  wamid: string;
  phoneNumberId: string;
  type: string;
  message: Record<string, unknown>;
  receivedAt: number;
};

export type ReceivedMessage = {
  wamid: string;
  phoneNumberId: string;
  type: string;
  body: Record<string, unknown>;
  status: OutboundStatus;
  statusHistory: { status: OutboundStatus; at: number }[];
  bizOpaqueCallbackData: string | undefined;
  failure: WebhookError | undefined;
};

const DEFAULT_SCOPES = ["whatsapp_business_management", "whatsapp_business_messaging", "business_management"];

// The control surface used by tests and demos; the HTTP routes under /_sim call these.
export function createControlApi(ctx: SimContext, hooks: { reset(): void }) {
  return {
    sendFromCustomer: (input: CustomerMessageInput) => sendFromCustomer(ctx, input),

    // What a customer (by phone, or by BSUID for messages sent to a `recipient`) received, from
    // every number or from one (`phoneNumberId`).
    listReceived(waId: string, phoneNumberId?: string): ReceivedMessage[] {
      return [...ctx.state.outbound.values()]
        .filter((m) => (m.to === waId || m.recipientUserId === waId) && (phoneNumberId === undefined || m.phoneNumberId === phoneNumberId))
        .map((m) => ({
          wamid: m.wamid,
          phoneNumberId: m.phoneNumberId,
          type: m.type,
          body: m.body,
          status: m.status,
          statusHistory: [...m.statusHistory],
          bizOpaqueCallbackData: m.bizOpaqueCallbackData,
          failure: m.failure,
        }));
    },

    // What a customer (by phone or BSUID) wrote, to every number or to one.
    listSent(waId: string, phoneNumberId?: string): SentMessage[] {
      return [...ctx.state.inbound.values()]
        .filter((m) => (m.from === waId || m.fromUserId === waId) && (phoneNumberId === undefined || m.phoneNumberId === phoneNumberId))
        .map((m) => ({ wamid: m.wamid, phoneNumberId: m.phoneNumberId, type: m.type, message: m.message, receivedAt: m.receivedAt }));
    },

    addAccount: (input?: AccountInput) => addAccount(ctx, input),
    removeAccount: (wabaId: string) => removeAccount(ctx, wabaId),
    setAccountWebhook: (wabaId: string, url: string | undefined) => setAccountWebhook(ctx, wabaId, url),

    // Embedded Signup: the code Meta's popup would hand the page for the account, and whether an
    // app is subscribed to the account's webhooks.
    issueSignupCode: (wabaId: string) => issueSignupCode(ctx, wabaId),
    isAppSubscribed: (wabaId: string) => isAppSubscribed(ctx, wabaId),

    // Tells the simulator a customer wrote at `atMs` (e.g. before a restart of a platform that
    // keeps the truth), so their 24-hour service window is open as it would be on Meta's side.
    openServiceWindow(waId: string, atMs: number): void {
      const customer = findOrCreateByKey(ctx, waId);
      if (customer.lastInboundAt === undefined || customer.lastInboundAt < atMs) customer.lastInboundAt = atMs;
    },

    configureCustomer(waId: string, settings: CustomerSettings): void {
      const customer = findOrCreateByKey(ctx, waId, settings.name);
      if (settings.onWhatsApp !== undefined) customer.onWhatsApp = settings.onWhatsApp;
      if (settings.readsMessages !== undefined) customer.readsMessages = settings.readsMessages;
      if (settings.reachable !== undefined) {
        customer.reachable = settings.reachable;
        if (settings.reachable) releaseHeldMessages(ctx, customer);
      }
    },

    // The customer stops (or resumes) marketing messages in WhatsApp's settings: Meta reports it
    // with a `user_preferences` webhook to the number (§2.4), and marketing templates to a stopped
    // customer then fail with 131050.
    setMarketingPreference(waId: string, input: MarketingPreferenceInput): void {
      const { value, phoneNumberId } = marketingPreferenceSchema.parse(input);
      const customer = findOrCreateByKey(ctx, waId);
      if (customer.waId === undefined) throw new Error("a marketing preference is reported for a phone number");
      const phone = phoneNumberId ? ctx.state.phoneNumbers.get(phoneNumberId) : ctx.state.phoneNumbers.values().next().value;
      if (!phone) throw new Error("unknown phone number id");
      customer.marketingStopped = value === "stop";
      ctx.dispatcher.enqueue(buildUserPreferencesChange(phone, { ...customer, waId: customer.waId }, value, ctx.clock.now()));
    },

    // Emits the next planned statuses now (up to `to`), for one message or all of them.
    advanceStatuses(input: { wamid?: string | undefined; to?: "sent" | "delivered" | "read" | undefined } = {}): number {
      const messages = input.wamid
        ? [ctx.state.outbound.get(input.wamid)].filter((m) => m !== undefined)
        : [...ctx.state.outbound.values()];
      for (const message of messages) advanceMessageStatus(ctx, message, input.to);
      return messages.length;
    },

    settleStatuses(): void {
      settleAllStatuses(ctx);
    },

    advanceTime(ms: number): void {
      ctx.clock.advance(ms);
      ctx.scheduler.runDue();
    },

    flushWebhooks: () => ctx.dispatcher.flush(),

    listWebhookDeliveries(): WebhookDeliveryRecord[] {
      return ctx.state.deliveries.map((d) => ({ ...d, attempts: [...d.attempts] }));
    },

    configureFaults(input: FaultsInput): void {
      const faults = ctx.state.faults;
      if (input.duplicateProbability !== undefined) faults.duplicateProbability = input.duplicateProbability;
      if (input.reorderProbability !== undefined) faults.reorderProbability = input.reorderProbability;
      if (input.dropNextResponses !== undefined) faults.dropResponses = input.dropNextResponses;
      if (input.failNextSends) {
        const { count, code, mode, details } = input.failNextSends;
        faults.failSends = { remaining: count, code, mode: mode ?? (isAsyncErrorCode(code) ? "async" : "sync"), details };
      }
    },

    createToken(input: TokenInput = {}): { token: string; expiresAt: number | undefined } {
      const now = ctx.clock.now();
      const token = createAccessToken();
      const expiresAt = input.expiresInSeconds === undefined ? undefined : now + input.expiresInSeconds * 1000;
      ctx.state.tokens.set(token, {
        token,
        type: input.type ?? "SYSTEM_USER",
        issuedAt: now,
        expiresAt,
        scopes: input.scopes ?? DEFAULT_SCOPES,
        userId: "122100000000000001",
      });
      return { token, expiresAt };
    },

    revokeToken(token: string): boolean {
      return ctx.state.tokens.delete(token);
    },

    setThroughput(phoneNumberId: string, tier: ThroughputTier): void {
      const phone = ctx.state.phoneNumbers.get(phoneNumberId);
      if (!phone) throw new Error("unknown phone number id");
      phone.throughput = tier;
    },

    setTemplateReviewOutcome(name: string, outcome: TemplateReviewOutcome): void {
      ctx.templateOutcomes.set(name, outcome);
    },

    setTemplateQuality(templateId: string, score: "GREEN" | "YELLOW" | "RED" | "UNKNOWN"): void {
      const template = ctx.state.templates.get(templateId);
      if (!template) throw new Error("unknown template id");
      setTemplateQuality(ctx, template, score);
    },

    changeTemplateCategory(templateId: string, category: "AUTHENTICATION" | "MARKETING" | "UTILITY", effectiveAt?: number): void {
      const template = ctx.state.templates.get(templateId);
      if (!template) throw new Error("unknown template id");
      changeTemplateCategory(ctx, template, category, effectiveAt);
    },

    configureWebhooks(input: { url?: string | undefined; appSecret?: string | undefined }): void {
      if (input.url !== undefined) ctx.state.webhookUrl = input.url;
      if (input.appSecret !== undefined) ctx.state.appSecret = input.appSecret;
    },

    // Meta's verification handshake: GET the callback URL with hub.* parameters; the endpoint
    // is verified only if it answers 200 with the challenge echoed as the body.
    async verifyWebhookEndpoint(verifyToken: string): Promise<{ verified: boolean; status: number | undefined }> {
      if (!ctx.state.webhookUrl) return { verified: false, status: undefined };
      const challenge = String(Math.floor(ctx.rng.next() * 9e9) + 1e9);
      const url = new URL(ctx.state.webhookUrl);
      url.searchParams.set("hub.mode", "subscribe");
      url.searchParams.set("hub.challenge", challenge);
      url.searchParams.set("hub.verify_token", verifyToken);
      try {
        const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(ctx.options.webhooks.requestTimeoutMs) });
        const body = await response.text();
        return { verified: response.status === 200 && body === challenge, status: response.status };
      } catch {
        return { verified: false, status: undefined };
      }
    },

    reset(): void {
      hooks.reset();
    },
  };
}

export type ControlApi = ReturnType<typeof createControlApi>;
