// One catalogue of error codes. Each code has a fixed HTTP status, a default message safe to show
// to any client, and a note on when it is thrown (rendered into docs/errors.md). Codes are stable:
// clients may branch on them, so a code is never renamed or reused.

export const errorCatalogue = {
  VALIDATION_FAILED: {
    status: 400,
    message: "The request is not valid.",
    when: "Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.",
  },
  MALFORMED_BODY: {
    status: 400,
    message: "The request body could not be parsed.",
    when: "The body is not valid JSON or does not match its Content-Type.",
  },
  UNAUTHENTICATED: {
    status: 401,
    message: "Authentication is required.",
    when: "No credentials, or credentials that are invalid, expired or revoked.",
  },
  FORBIDDEN: {
    status: 403,
    message: "You do not have permission to do this.",
    when: "The caller is authenticated but its role or scopes lack the route's permission.",
  },
  PLAN_REQUIRED: {
    status: 403,
    message: "The workspace's plan does not include this feature.",
    when: "The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.",
  },
  PLAN_QUOTA_EXCEEDED: {
    status: 403,
    message: "The workspace's plan allows no more of these.",
    when: "Creating a number, an invitation or a contact would exceed a quota of the workspace's plan; `details` names the quota, its limit and the usage.",
  },
  NOT_FOUND: {
    status: 404,
    message: "The resource does not exist.",
    when: "The route or the addressed object does not exist, or is not visible to the caller.",
  },
  METHOD_NOT_ALLOWED: { status: 405, message: "This method is not allowed here.", when: "The URL exists but not for this HTTP method." },
  CONFLICT: {
    status: 409,
    message: "The request conflicts with the current state.",
    when: "A unique value is taken, or a concurrent change won.",
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: "The request body is too large.",
    when: "The body exceeds the route's body limit (64 KB unless the route declares another).",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: "This content type is not supported.",
    when: "The body's Content-Type is not one the route accepts.",
  },
  UNPROCESSABLE: {
    status: 422,
    message: "The request cannot be processed.",
    when: "The request is well-formed but breaks a business rule.",
  },
  RATE_LIMITED: {
    status: 429,
    message: "Too many requests. Try again later.",
    when: "A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry.",
  },
  INTERNAL: {
    status: 500,
    message: "Something went wrong on our side.",
    when: "An unexpected failure; the request id lets operators find it in the logs.",
  },
  COORDINATION_UNAVAILABLE: {
    status: 503,
    message: "The service is temporarily unavailable.",
    when: "The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through.",
  },
  NOT_READY: {
    status: 503,
    message: "The service is not ready.",
    when: "The database, which /readyz checks, is not answering (a coordination outage only marks it degraded).",
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    message: "The request's headers are too large.",
    when: "The request line and headers together exceed the server's limit (16 KB), e.g. an over-long URL or cookie.",
  },
  BAD_REQUEST: {
    status: 400,
    message: "The request could not be understood.",
    when: "The HTTP request is malformed in a way no other code describes (headers, framing, encoding).",
  },
  INVALID_CREDENTIALS: {
    status: 401,
    message: "The e-mail, password or code is not correct.",
    when: "Sign-in or re-authentication failed; the same answer whether or not the account exists.",
  },
  MFA_CODE_REQUIRED: {
    status: 401,
    message: "A code from your authenticator app (or a recovery code) is required.",
    when: "The password was right and the account has two-factor authentication; send `totp` or `recoveryCode`.",
  },
  MFA_ENROLLMENT_REQUIRED: {
    status: 403,
    message: "Set up two-factor authentication to continue.",
    when: "The account's role (Owner, Admin) or the workspace policy requires MFA and none is enrolled; only MFA enrollment routes answer.",
  },
  REAUTHENTICATION_REQUIRED: {
    status: 403,
    message: "Confirm your password to continue.",
    when: "A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.",
  },
  CSRF_REFUSED: {
    status: 403,
    message: "The request was refused (cross-site request protection).",
    when: "A cookie-authenticated request lacks the session's `x-csrf-token` header or does not come from the app's own origin.",
  },
  PASSWORD_REJECTED: {
    status: 422,
    message: "This password cannot be used.",
    when: "A new password is shorter than 12 or longer than 128 characters, or is on the list of common passwords; `details.reason` says which.",
  },
  REPLY_COLLISION: {
    status: 409,
    message: "Someone else answered this conversation since you started your reply.",
    when: "A send with `ifLastMessageId` finds an outbound message sent by someone else after that message; `details` says who (`answeredByUserId`, null for an automated send) and when (`answeredAt`), never the text. Resending with `takeover: true` sends anyway (audited).",
  },
  CONTACT_IN_TRASH: {
    status: 422,
    message: "The contact is in the trash; restore it before messaging it.",
    when: "A send (API, composer, reply in an existing conversation) addresses a contact that was moved to the trash; nothing is queued.",
  },
  CONSENT_REQUIRED: {
    status: 422,
    message: "The contact has not opted in to marketing messages.",
    when: "A business-initiated marketing message (a template of category MARKETING, from the composer, the API or the Graph-compatible proxy, or a broadcast) addresses a contact whose current marketing consent is not `opted_in`; `details.reason` is `opted_out` or `no_consent`. Nothing is queued. Utility and authentication templates and replies inside the 24-hour window are not refused, also to an opted-out contact.",
  },
  ADDRESS_BLOCKED: {
    status: 403,
    message: "Requests from your address are blocked for a while.",
    when: "The client address collected too many 401 and 429 answers in a short time and is blocked for an escalating period (1 min doubling up to 24 h by default); `Retry-After` says when the block ends. Owners and the operator (`parley blocks`) can lift it.",
  },
  ADDRESS_NOT_ALLOWED: {
    status: 403,
    message: "Requests from your address are not accepted here.",
    when: "The route accepts only listed address ranges (Meta's webhook ranges, PARLEY_WEBHOOK_ALLOWED_CIDRS) and the client address is not in them; refused before anything else is checked.",
  },
  SETUP_TOKEN_INVALID: {
    status: 403,
    message: "The setup link is not valid.",
    when: "The one-time setup token is unknown, used, revoked or expired (setup may already be complete).",
  },
  WEBHOOK_URL_REFUSED: {
    status: 422,
    message: "This webhook URL cannot be used.",
    when: "A webhook endpoint's URL is not http(s) (https in production), holds credentials, does not resolve, or resolves to a private, loopback, link-local or otherwise reserved address (SSRF guard); `details.reason` says which.",
  },
} as const satisfies Record<string, { status: number; message: string; when: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message?: string, options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message ?? errorCatalogue[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
