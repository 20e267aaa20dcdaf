// Everything the simulator knows, in plain records. Handlers mutate it; the control API reads it.

export type ThroughputTier = 80 | 1000;

export type PhoneNumberRecord = {
  id: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  throughput: ThroughputTier;
  registered: boolean;
  pin: string | undefined;
  registerCalls: number[];
  deregisterCalls: number[];
  // Send timestamps inside the last second, for the throughput limit.
  recentSends: number[];
  // Health as Meta reports it (GET /{PN}); defaults when unset: GREEN, TIER_250, CONNECTED, APPROVED.
  qualityRating?: "GREEN" | "YELLOW" | "RED" | "NA" | undefined;
  messagingLimit?: string | undefined;
  status?: string | undefined;
  nameStatus?: string | undefined;
  businessProfile?: BusinessProfileRecord | undefined;
};

export type BusinessProfileRecord = {
  about?: string | undefined;
  address?: string | undefined;
  description?: string | undefined;
  email?: string | undefined;
  websites?: string[] | undefined;
  vertical?: string | undefined;
  profile_picture_url?: string | undefined;
};

// Embedded Signup: a code Meta's popup hands the page, exchangeable once within 30 s for a business
// token of the account it onboarded (reference messaging-and-integrations §4.4).
export type SignupCodeRecord = { code: string; wabaId: string; issuedAt: number; used: boolean };

export type TokenRecord = {
  token: string;
  type: "SYSTEM_USER" | "USER";
  issuedAt: number;
  // undefined = never expires (system user token with "never").
  expiresAt: number | undefined;
  scopes: string[];
  userId: string;
  // Set for an account's token: the WABA it may reach (debug_token's target ids) and its app.
  wabaId?: string | undefined;
  appId?: string | undefined;
};

export type CustomerRecord = {
  // Undefined for a user known only by their business-scoped user id (a username, no phone shared).
  waId: string | undefined;
  name: string;
  // Business-scoped user id (BSUID), e.g. "US.13491208655302741918".
  userId: string;
  onWhatsApp: boolean;
  readsMessages: boolean;
  // Stopped marketing messages in WhatsApp ("Offers and announcements"): marketing templates fail with 131050.
  marketingStopped: boolean;
  // False while the customer's phone is off or offline: messages reach WhatsApp (`sent`) and wait
  // there for delivery, each up to its time-to-live, then are dropped without a webhook (§1.4).
  reachable: boolean;
  lastInboundAt: number | undefined;
  // Pair rate limit (GCRA): theoretical arrival time per business number.
  pairTat: Map<string, number>;
};

export type OutboundStatus = "accepted" | "sent" | "delivered" | "read" | "failed";

export type WebhookError = {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href: string;
};

export type OutboundMessageRecord = {
  wamid: string;
  phoneNumberId: string;
  // The phone the message was sent `to`, or undefined when it was sent to a `recipient` BSUID.
  to: string | undefined;
  recipientUserId: string | undefined;
  type: string;
  body: Record<string, unknown>;
  bizOpaqueCallbackData: string | undefined;
  acceptedAt: number;
  pricingCategory: string;
  pricingType: "regular" | "free_customer_service";
  status: OutboundStatus;
  statusHistory: { status: OutboundStatus; at: number }[];
  // Status steps still to happen, in order; the last one is final.
  plannedStatuses: ("sent" | "delivered" | "read")[];
  failure: WebhookError | undefined;
  // While the customer is unreachable: the steps that wait for them, and until when (acceptedAt
  // plus the delivery time-to-live). A message still waiting then is dropped (droppedAt).
  heldStatuses?: ("delivered" | "read")[] | undefined;
  deliverBy?: number | undefined;
  droppedAt?: number | undefined;
};

export type InboundMessageRecord = {
  wamid: string;
  phoneNumberId: string;
  // The sender's phone (undefined for a user known only by a BSUID) and BSUID.
  from: string | undefined;
  fromUserId: string;
  type: string;
  receivedAt: number;
  readByBusiness: boolean;
  message: Record<string, unknown>;
};

export type MediaRecord = {
  id: string;
  phoneNumberId: string;
  mimeType: string;
  bytes: Buffer;
  sha256: string;
  filename: string | undefined;
  uploadedAt: number;
  deleted: boolean;
};

export type TemplateStatus = "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED";

export type TemplateRecord = {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string;
  parameterFormat: "POSITIONAL" | "NAMED";
  components: Record<string, unknown>[];
  status: TemplateStatus;
  rejectedReason: string | undefined;
  createdAt: number;
  // Delivery time-to-live set at creation or by an edit (§1.4: authentication and utility templates).
  messageSendTtlSeconds?: number | undefined;
  // When the template was edited while APPROVED, for the 1-per-24-hours and 10-per-30-days limits.
  approvedEditTimes?: number[] | undefined;
  // Quality from user feedback (§1.6) and how often a RED score paused the template.
  qualityScore?: "GREEN" | "YELLOW" | "RED" | "UNKNOWN" | undefined;
  pauseCount?: number | undefined;
};

export type DeliveryAttempt = {
  at: number;
  statusCode: number | undefined;
  error: string | undefined;
  durationMs: number;
};

export type WebhookDeliveryRecord = {
  id: number;
  url: string;
  body: string;
  signature: string;
  fields: string[];
  createdAt: number;
  duplicateOf: number | undefined;
  state: "pending" | "delivered" | "dropped";
  attempts: DeliveryAttempt[];
};

// One business's own app, WABA and phone number on the shared simulator (a tenant): its webhooks are
// signed with its own app secret and go to its own callback URL, and nobody else's reach it.
export type AccountRecord = {
  appId: string;
  appSecret: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  accessToken: string;
  webhookUrl: string | undefined;
};

export type FailSendsFault = { remaining: number; code: number; mode: "sync" | "async"; details: string | undefined };

export type Faults = {
  duplicateProbability: number;
  reorderProbability: number;
  failSends: FailSendsFault | undefined;
  dropResponses: number;
};

export type SimState = {
  appId: string;
  appSecret: string;
  wabaId: string;
  webhookUrl: string | undefined;
  // Accounts added at run time, by WABA id; numbers outside them belong to the app above.
  accounts: Map<string, AccountRecord>;
  phoneNumbers: Map<string, PhoneNumberRecord>;
  tokens: Map<string, TokenRecord>;
  signupCodes?: Map<string, SignupCodeRecord>;
  // WABA id → the app ids subscribed to its webhooks (POST /{WABA}/subscribed_apps).
  subscribedApps?: Map<string, Set<string>>;
  // Customers by phone (wa_id), and every customer by business-scoped user id.
  customers: Map<string, CustomerRecord>;
  customersByUserId: Map<string, CustomerRecord>;
  outbound: Map<string, OutboundMessageRecord>;
  inbound: Map<string, InboundMessageRecord>;
  media: Map<string, MediaRecord>;
  templates: Map<string, TemplateRecord>;
  // When each template of the WABA was created, for the 100-per-hour creation limit.
  templateCreationTimes: number[];
  // When each Business Management API request to the WABA was counted, for its hourly budget.
  businessManagementRequestTimes: number[];
  deliveries: WebhookDeliveryRecord[];
  faults: Faults;
};

export function createDefaultFaults(): Faults {
  return { duplicateProbability: 0, reorderProbability: 0, failSends: undefined, dropResponses: 0 };
}
