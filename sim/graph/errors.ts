import { createFbtraceId } from "../random.ts";
import type { WebhookError } from "../state.ts";

// Error codes from reference/cloud-api.md §6, with the HTTP status Meta lists and whether the
// error is reported in the API response (sync) or as a `failed` status webhook (async).
export const graphErrorCatalogue = {
  0: { title: "AuthException", http: 401, channel: "sync", details: "We were unable to authenticate the app user." },
  4: { title: "Application request limit reached", http: 400, channel: "sync", details: "The app has reached its API call rate limit." },
  10: { title: "Permission denied", http: 403, channel: "sync", details: "Permission is either not granted or has been removed." },
  100: { title: "Invalid parameter", http: 400, channel: "sync", details: "Invalid parameter" },
  190: { title: "Access token has expired", http: 401, channel: "sync", details: "Error validating access token." },
  200: { title: "Permission error", http: 403, channel: "sync", details: "The access token does not have permission for this object." },
  368: {
    title: "Temporarily blocked for policies violations",
    http: 403,
    channel: "sync",
    details: "The WhatsApp Business Account is restricted.",
  },
  80007: { title: "Rate limit issues", http: 400, channel: "sync", details: "The WhatsApp Business Account has reached its rate limit." },
  130429: { title: "Rate limit hit", http: 400, channel: "sync", details: "Cloud API message throughput has been reached." },
  130472: {
    title: "User's number is part of an experiment",
    http: 400,
    channel: "async",
    details: "Failed to send message because this user's phone number is part of an experiment.",
  },
  131000: { title: "Something went wrong", http: 500, channel: "sync", details: "Message failed to send due to an unknown error." },
  131005: { title: "Access denied", http: 403, channel: "sync", details: "Permission is either not granted or has been removed." },
  131008: { title: "Required parameter is missing", http: 400, channel: "sync", details: "The request is missing a required parameter." },
  131009: { title: "Parameter value is not valid", http: 400, channel: "sync", details: "One or more parameter values are invalid." },
  131016: { title: "Service unavailable", http: 500, channel: "sync", details: "A service is temporarily unavailable." },
  131021: { title: "Recipient cannot be sender", http: 400, channel: "sync", details: "Sender and recipient phone number is the same." },
  131026: { title: "Message undeliverable", http: 400, channel: "async", details: "Message Undeliverable." },
  131030: {
    title: "Recipient phone number not in allowed list",
    http: 400,
    channel: "sync",
    details: "Recipient phone number not in allowed list.",
  },
  131031: { title: "Account has been locked", http: 403, channel: "sync", details: "The business account has been locked." },
  131047: {
    title: "Re-engagement message",
    http: 400,
    channel: "sync",
    details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  },
  131048: {
    title: "Spam rate limit hit",
    http: 400,
    channel: "sync",
    details: "Message failed to send because there are restrictions on how many messages can be sent from this phone number.",
  },
  131049: {
    title: "Meta chose not to deliver.",
    http: 400,
    channel: "async",
    details: "This message was not delivered to maintain healthy ecosystem engagement.",
  },
  131050: {
    title: "User has stopped marketing messages",
    http: 400,
    channel: "async",
    details: "Unable to deliver the marketing message because the user has stopped marketing messages.",
  },
  131051: { title: "Unsupported message type", http: 400, channel: "sync", details: "Message type is not currently supported." },
  131052: { title: "Media download error", http: 400, channel: "async", details: "Unable to download the media sent by the user." },
  131053: { title: "Media upload error", http: 400, channel: "sync", details: "Unable to upload the media used in the message." },
  131056: {
    title: "(Business Account, Consumer Account) pair rate limit hit",
    http: 400,
    channel: "sync",
    details: "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
  },
  131057: { title: "Account in maintenance mode", http: 500, channel: "sync", details: "Business Account is in maintenance mode." },
  132000: {
    title: "Number of parameters does not match the expected number of params",
    http: 400,
    channel: "sync",
    details: "The number of parameters provided does not match the expected number of parameters.",
  },
  132001: {
    title: "Template name does not exist in the translation",
    http: 404,
    channel: "sync",
    details: "The template does not exist in the specified language or has not been approved.",
  },
  132005: { title: "Translated text too long", http: 400, channel: "sync", details: "Translated text is too long." },
  132015: {
    title: "Template is Paused",
    http: 400,
    channel: "sync",
    details: "Template is paused due to low quality so it cannot be sent in a template message.",
  },
  132016: {
    title: "Template is Disabled",
    http: 400,
    channel: "sync",
    details: "Template has been paused too many times due to low quality and is now permanently disabled.",
  },
  133004: { title: "Server Temporarily Unavailable", http: 503, channel: "sync", details: "Server is temporarily unavailable." },
  133005: { title: "Two step verification PIN Mismatch", http: 400, channel: "sync", details: "Two-step verification PIN incorrect." },
  133010: {
    title: "Phone number Not Registered",
    http: 400,
    channel: "sync",
    details: "Phone number is not registered on the WhatsApp Business Platform.",
  },
  133016: {
    title: "Account register deregister rate limit exceeded",
    http: 400,
    channel: "sync",
    details: "Registration or Deregistration failed because there were too many attempts for this phone number in a short period of time.",
  },
  135000: {
    title: "Generic user error",
    http: 400,
    channel: "sync",
    details: "Message failed to send because of an unknown error with your request parameters.",
  },
} as const satisfies Record<number, { title: string; http: number; channel: "sync" | "async"; details: string }>;

export type GraphErrorCode = keyof typeof graphErrorCatalogue;

// error_subcodes of template-management refusals. The reference's §6 table lists 2388019 ("template
// creation: WABA template limit exceeded") without an HTTP status or a parent code; like 2388024
// (same name and language already exists) it is sent as the subcode of code 100, hence HTTP 400.
export const templateErrorSubcodes = {
  contentExists: 2388024,
  templateLimitReached: 2388019,
} as const;

export type GraphErrorType = "OAuthException" | "GraphMethodException";

// Two shapes reach a client. WhatsApp's errors carry "(#CODE) Title" and the specifics in
// error_data.details; Graph's own refusals (parameters, tokens, objects, paths) say everything in
// `message` and have no error_data, e.g. {"message":"(#100) The parameter messaging_product is
// required.","type":"OAuthException","code":100,"fbtrace_id":"…"}.
export type GraphErrorBody = {
  error: {
    message: string;
    type: GraphErrorType;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: "whatsapp"; details: string };
    fbtrace_id: string;
  };
};

export type GraphResponse = { status: number; body: unknown };

export function isKnownErrorCode(code: number): code is GraphErrorCode {
  return Object.hasOwn(graphErrorCatalogue, code);
}

export function buildGraphError(code: number, details?: string, subcode?: number): GraphResponse {
  const entry = isKnownErrorCode(code) ? graphErrorCatalogue[code] : undefined;
  const body: GraphErrorBody = {
    error: {
      message: `(#${code}) ${entry?.title ?? "Unknown error"}`,
      type: "OAuthException",
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      error_data: { messaging_product: "whatsapp", details: details ?? entry?.details ?? "Unknown error" },
      fbtrace_id: createFbtraceId(),
    },
  };
  return { status: entry?.http ?? 400, body };
}

// The `errors[]` element of a failed status or a `value.errors` webhook.
export function buildWebhookError(code: number, details?: string): WebhookError {
  const entry = isKnownErrorCode(code) ? graphErrorCatalogue[code] : undefined;
  const title = entry?.title ?? "Unknown error";
  return {
    code,
    title,
    message: title,
    error_data: { details: details ?? entry?.details ?? "Unknown error" },
    href: "/documentation/business-messaging/whatsapp/support/error-codes",
  };
}

export function isAsyncErrorCode(code: number): boolean {
  return isKnownErrorCode(code) && graphErrorCatalogue[code].channel === "async";
}

/** One of Graph's own errors: the message is the whole explanation, there is no error_data. */
export function buildPlatformError(fields: {
  status?: number;
  code: number;
  message: string;
  type?: GraphErrorType;
  subcode?: number;
}): GraphResponse {
  const body: GraphErrorBody = {
    error: {
      message: fields.message,
      type: fields.type ?? "OAuthException",
      code: fields.code,
      ...(fields.subcode === undefined ? {} : { error_subcode: fields.subcode }),
      fbtrace_id: createFbtraceId(),
    },
  };
  return { status: fields.status ?? 400, body };
}

// Thrown inside handlers and turned into a Graph error response at the route boundary. A code
// builds WhatsApp's shape from the catalogue; a ready response carries one of Graph's own errors.
export class GraphError extends Error {
  readonly response: GraphResponse;
  constructor(code: number | GraphResponse, details?: string, subcode?: number) {
    super(typeof code === "number" ? `graph error ${code}` : "graph error");
    this.name = "GraphError";
    this.response = typeof code === "number" ? buildGraphError(code, details, subcode) : code;
  }
}

/** "(#100) The parameter to is required." */
export function missingParameter(name: string): GraphError {
  return new GraphError(buildPlatformError({ code: 100, message: `(#100) The parameter ${name} is required.` }));
}

/** "(#100) Param text['body'] must be at most 4096 characters long." — `text` is all after "(#100) ". */
export function invalidParameter(text: string): GraphError {
  return new GraphError(buildPlatformError({ code: 100, message: `(#100) ${text}` }));
}

/** Graph's answer for an object that does not exist, is not visible to the token, or lacks the operation. */
export function unsupportedRequest(method: string, id: string): GraphError {
  return new GraphError(
    buildPlatformError({
      code: 100,
      subcode: 33,
      type: "GraphMethodException",
      message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    }),
  );
}

/** A path Graph does not know. */
export function unknownPath(path: string): GraphResponse {
  return buildPlatformError({ code: 2500, message: path ? `Unknown path components: ${path}` : "Unknown path components" });
}
