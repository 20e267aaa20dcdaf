import { randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import { CoordinationUnavailableError } from "../../coordination/types.ts";

// The proxy answers errors the way Graph does (reference/cloud-api.md §2 error body, §6 codes), not
// in Parley's catalogue shape: SDKs branch on `error.code` (pywa requires `code` and `message`),
// so a Parley refusal is translated into the Graph code Meta would have given for the same cause.
// These are the proxy's own, documented answers (docs/graph-proxy.md); Meta's errors for a send it
// refused pass through with Meta's code.

export const graphErrorBody = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    error_data: z.object({ messaging_product: z.literal("whatsapp"), details: z.string() }).optional(),
    is_transient: z.boolean().optional(),
    fbtrace_id: z.string(),
  }),
});
export type GraphErrorBody = z.input<typeof graphErrorBody>;

/** Titles and HTTP statuses of the codes the proxy gives itself (§6). */
const TITLES: Record<number, { title: string; http: number }> = {
  2: { title: "Service temporarily unavailable", http: 503 },
  4: { title: "Application request limit reached", http: 429 },
  10: { title: "Application does not have permission for this action", http: 403 },
  100: { title: "Invalid parameter", http: 400 },
  190: { title: "Invalid OAuth access token", http: 401 },
  131000: { title: "Something went wrong", http: 500 },
  131005: { title: "Access denied", http: 403 },
  131009: { title: "Parameter value is not valid", http: 400 },
  131047: { title: "Re-engagement message", http: 400 },
  131050: { title: "User stopped marketing messages", http: 400 },
  131051: { title: "Unsupported message type", http: 400 },
  132000: { title: "Number of parameters does not match the expected number of params", http: 400 },
  132001: { title: "Template name does not exist in the translation", http: 404 },
  133010: { title: "Phone number Not Registered", http: 400 },
};

/** HTTP status Meta lists for a WhatsApp code (§6); 400 for the many not listed here. */
const META_HTTP: Record<number, number> = {
  0: 401,
  3: 500,
  10: 403,
  190: 401,
  368: 403,
  130497: 403,
  131000: 500,
  131005: 403,
  131016: 500,
  131031: 403,
  131045: 500,
  131057: 500,
  132001: 404,
  133000: 500,
  133004: 503,
};

export function httpStatusOfGraphCode(code: number): number {
  return META_HTTP[code] ?? (code >= 200 && code <= 299 ? 403 : 400);
}

export class GraphProxyError extends Error {
  readonly code: number;
  readonly status: number;
  readonly subcode: number | undefined;
  readonly details: string | undefined;
  readonly isTransient: boolean | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: number,
    options: {
      message?: string;
      status?: number;
      subcode?: number;
      details?: string;
      isTransient?: boolean;
      headers?: Record<string, string>;
    } = {},
  ) {
    const known = TITLES[code];
    super(options.message ?? `(#${code}) ${known?.title ?? "Error"}`);
    this.name = "GraphProxyError";
    this.code = code;
    this.status = options.status ?? known?.http ?? httpStatusOfGraphCode(code);
    this.subcode = options.subcode;
    this.details = options.details;
    this.isTransient = options.isTransient;
    this.headers = options.headers ?? {};
  }
}

/** Graph's answer for an object the caller may not address: it does not exist for them (100/33). */
export function unknownObject(): GraphProxyError {
  return new GraphProxyError(100, {
    subcode: 33,
    message:
      "Unsupported request - method type: post. Object with this ID does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
  });
}

/**
 * error_data.details for refused input: the schema's paths and messages, never the input itself
 * (an unknown field is named as such, not by the name the client sent).
 */
export function describeIssues(
  issues: readonly { code: string; path: readonly PropertyKey[]; message: string }[],
  rename: (path: readonly PropertyKey[]) => string = defaultPath,
): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${rename(issue.path)}: ${issue.code === "unrecognized_keys" ? "has a field Graph does not take here" : issue.message}`)
    .join("; ");
}

function defaultPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".") || "body";
}

export function invalidParameter(details: string): GraphProxyError {
  return new GraphProxyError(100, { details });
}

/** Graph's fbtrace_id: an opaque id to quote to support; ours is the request id, so logs find it. */
function fbtraceOf(requestId: string): string {
  return requestId || randomBytes(9).toString("base64url");
}

export function renderGraphError(error: GraphProxyError, requestId: string): GraphErrorBody {
  return {
    error: {
      message: error.message,
      type: "OAuthException",
      code: error.code,
      ...(error.subcode !== undefined ? { error_subcode: error.subcode } : {}),
      ...(error.details !== undefined ? { error_data: { messaging_product: "whatsapp" as const, details: error.details } } : {}),
      ...(error.isTransient !== undefined ? { is_transient: error.isTransient } : {}),
      fbtrace_id: fbtraceOf(requestId),
    },
  };
}

/** Reasons of Parley's UNPROCESSABLE refusals that Meta has a code for. */
const REFUSAL_CODES: Record<string, number> = {
  service_window_closed: 131047,
  template_unknown: 132001,
  template_not_approved: 132001,
  template_parameters_mismatch: 132000,
  number_disconnected: 133010,
  number_credentials_invalid: 131005,
  reaction_target_unknown: 100,
};

/**
 * A failure of Parley's own send path or lookups, in Graph's form. Unexpected failures become 131000
 * (Meta's "something went wrong"), and are still logged as errors by the route.
 */
export function toGraphProxyError(error: unknown): GraphProxyError {
  if (error instanceof GraphProxyError) return error;
  if (error instanceof CoordinationUnavailableError) return new GraphProxyError(2, { isTransient: true });
  if (!(error instanceof AppError)) return new GraphProxyError(131000, { isTransient: true });
  switch (error.code) {
    case "UNAUTHENTICATED":
      return new GraphProxyError(190, { message: "Invalid OAuth access token - Cannot parse access token" });
    case "FORBIDDEN":
    case "REAUTHENTICATION_REQUIRED":
    case "PLAN_REQUIRED":
    case "PLAN_QUOTA_EXCEEDED":
      return new GraphProxyError(10, { details: error.message });
    case "NOT_FOUND":
      return unknownObject();
    case "VALIDATION_FAILED":
    case "MALFORMED_BODY":
    case "BAD_REQUEST":
      return invalidParameter(error.message);
    case "PAYLOAD_TOO_LARGE":
    case "UNSUPPORTED_MEDIA_TYPE":
      return new GraphProxyError(131053, { status: 400, message: "(#131053) Media upload error", details: error.message });
    case "RATE_LIMITED":
      return new GraphProxyError(4, { isTransient: true, headers: error.headers });
    case "CONFLICT":
    case "REPLY_COLLISION":
      return new GraphProxyError(131009, { details: error.message });
    case "UNPROCESSABLE": {
      const reason = (error.details as { reason?: unknown } | undefined)?.reason;
      const code = typeof reason === "string" ? (REFUSAL_CODES[reason] ?? 131009) : 131009;
      return new GraphProxyError(code, { details: error.message });
    }
    case "CONSENT_REQUIRED":
      // The code Meta gives a marketing template to a user who stopped marketing messages (§6);
      // Parley refuses it before sending, also when the contact never opted in.
      return new GraphProxyError(131050, { details: error.message });
    case "COORDINATION_UNAVAILABLE":
    case "NOT_READY":
      return new GraphProxyError(2, { isTransient: true });
    default:
      return new GraphProxyError(131000, { isTransient: true });
  }
}
