import type { Tx } from "../../db/database.ts";
import type { Services } from "../../services.ts";
import type { NumberEventKind, DeliveryStatus } from "../schema.ts";
import type { NumberHealthChange } from "../number-health.ts";
import type { TemplateReport, TemplateUpdate } from "../templates/status.ts";
import type { WebhookEndpoint } from "../webhook/store.ts";
import type { InboundMessage } from "./payload.ts";

// The channel adapter verifies, stores and parses Meta's webhooks; what the events mean for
// conversations, contacts, templates and numbers is the product's business. The channel knows the
// product only through this port, implemented in src/features/messages/inbound.ts and handed to
// the webhook routes and the inbound job in the composition root (src/app.ts, src/http/routes.ts).

/** A number of the workspace as Meta names it. */
export type InboundNumber = { id: string; phoneNumberId: string; wabaId: string };

/** Who sent a message: a phone (wa_id) and/or a BSUID, already checked against their formats. */
export type InboundSender = { waId: string | null; userId: string | null; profileName: string | null };

export type InboundMessageEvent = {
  numberId: string;
  phoneNumberId: string;
  message: InboundMessage;
  sender: InboundSender;
};

/** `removed` and `stale`: a reaction that cleared an earlier one, or was older than the one applied. */
export type InboundMessageOutcome = "inserted" | "duplicate" | "removed" | "stale";

/** A user told WhatsApp they changed their phone number or their BSUID. */
export type IdentityChange =
  { kind: "number"; fromWaId: string; toWaId: string } | { kind: "user_id"; fromUserId: string; toUserId: string };

/**
 * A user stopped or resumed marketing messages in WhatsApp's settings (a `user_preferences` change,
 * or a `system` message of type user_preference_changed): Meta's marketing opt-out.
 */
export type MarketingPreferenceEvent = {
  numberId: string;
  /** The user's phone (wa_id), already checked against its format. */
  waId: string;
  value: "stop" | "resume";
  occurredAt: Date;
  /** Stable for the same report in a redelivery (hashed before it is stored). */
  dedupe: string;
};

/** One delivery report of an outbound message. */
export type StatusEvent = {
  phoneNumberId: string;
  wamid: string;
  status: DeliveryStatus;
  occurredAt: Date;
  sendId: string | null;
  errorCode: number | null;
  errorTitle: string | null;
  pricingCategory: string | null;
  pricingType: string | null;
};

/** What Meta reported about a number that is not a message: errors and what Parley does not apply yet. */
export type NumberEventInput = {
  numberId: string;
  kind: NumberEventKind;
  code: number | null;
  title: string | null;
  detail: string | null;
  field: string | null;
  wamid: string | null;
  /** Stable for the same report in a redelivery; hashed before it is stored. */
  dedupe: string;
  occurredAt: Date;
  /** An unsupported change's value, stored encrypted. */
  payload?: unknown;
};

/**
 * The product's side of one stored delivery, inside the transaction that marks it processed: every
 * effect is keyed by a unique constraint, so applying a delivery twice yields its rows once.
 */
export type InboundDelivery = {
  numbers(): Promise<InboundNumber[]>;
  /** Moves the contact to its new identifier (and audits it) before the message announcing it is filed. */
  contactChange(change: IdentityChange, wamid: string): Promise<void>;
  message(event: InboundMessageEvent): Promise<InboundMessageOutcome>;
  statuses(events: StatusEvent[]): Promise<void>;
  /** Applies Meta's marketing opt-outs and resumes; answers how many named a known contact. */
  marketingPreferences(events: readonly MarketingPreferenceEvent[]): Promise<number>;
  templates(reports: readonly TemplateReport[], updates: readonly TemplateUpdate[]): Promise<void>;
  /** Returns how many of the events were new. */
  numberEvents(events: readonly NumberEventInput[]): Promise<number>;
  /** Quality, messaging limit and account changes Meta reported for the numbers of a WABA, in order. */
  numberHealth(changes: readonly NumberHealthChange[]): Promise<void>;
  /**
   * Every change of the delivery as Meta sent it, once its effects are applied and before its raw
   * body is dropped: what the product re-emits in Meta's own format (Meta-format webhook endpoints).
   */
  received(changes: readonly ReceivedChange[]): Promise<void>;
};

/** One change of a delivery as Meta sent it: its WABA (entry.id), field and value, unparsed. */
export type ReceivedChange = { wabaId: string; field: string; value: unknown };

export type WebhookSecrets = { appSecret: string; verifyToken: string };

export type InboundPort = {
  /** The secrets a number's webhook is checked with, or undefined when the number has none. */
  webhookSecrets(services: Services, endpoint: WebhookEndpoint): Promise<WebhookSecrets | undefined>;
  openDelivery(services: Services, trx: Tx, workspaceId: string): InboundDelivery;
};
