import { TOKEN_ERROR_CODES } from "../graph-client.ts";

// How the sender treats each Graph error code (reference/cloud-api.md §6). Build on `code`, never
// on titles; the stored reason is our own text (Meta's details can quote request values).

export type ErrorPolicy =
  /** Meta answered no, for now: back off with jitter and send again. */
  | { kind: "retry"; pair: boolean }
  /** The number's token is unusable: stop sending from it. */
  | { kind: "token" }
  /** Final: the message fails with a clear reason, never retried. */
  | { kind: "fail" };

/** §6 "retryable": throughput, pair limit, unknown/temporary server errors, app and WABA rate limits. */
const RETRYABLE: ReadonlySet<number> = new Set([4, 2, 80007, 130429, 131000, 131016, 131057, 133004]);

/** 500s that retrying cannot fix: capability/permission (3), registration certificate (131045). */
const NEEDS_OPERATOR: ReadonlySet<number> = new Set([3, 131045]);

export function classifyGraphError(code: number, httpStatus: number): ErrorPolicy {
  if (code === 131056) return { kind: "retry", pair: true };
  if (TOKEN_ERROR_CODES.has(code)) return { kind: "token" };
  if (RETRYABLE.has(code)) return { kind: "retry", pair: false };
  // A 5xx answer is Meta's trouble, not the message's — except the two 500s that need a person.
  if (httpStatus >= 500 && !NEEDS_OPERATOR.has(code)) return { kind: "retry", pair: false };
  return { kind: "fail" };
}

const REASONS: Record<number, string> = {
  100: "Meta refused a parameter of the message (invalid parameter).",
  131008: "A required parameter of the message is missing.",
  131009: "A parameter value of the message is not valid (e.g. an unknown media id or reaction target).",
  131021: "The recipient is the sending number itself.",
  131026: "Message undeliverable: the recipient is not on WhatsApp, uses an outdated app, or has not accepted the current terms.",
  131030: "The recipient is not in the test number's allowed list.",
  131031: "The business account is locked.",
  131047: "More than 24 hours have passed since the customer last wrote: send an approved template instead.",
  131049: "Meta chose not to deliver this message (ecosystem engagement); wait at least 24 hours before resending this template.",
  131050: "The customer has stopped marketing messages.",
  131051: "This message type is not supported.",
  131053: "The media could not be uploaded (often a MIME type mismatch).",
  132000: "The template's parameter count does not match the approved template.",
  132001: "The template does not exist in this language or is not approved.",
  132005: "The template's hydrated text is too long.",
  132007: "The template's content breaks Meta's formatting policy.",
  132012: "The template's parameters do not match its format.",
  132015: "The template is paused for low quality.",
  132016: "The template is permanently disabled.",
  368: "The WhatsApp Business Account is temporarily blocked for policy violations.",
  130497: "The WhatsApp Business Account may not message users in this country.",
  190: "The number's access token is invalid or expired: update the token, then resend.",
  3: "The app lacks the capability or permission for this call.",
  131045: "The number's registration certificate is wrong: re-register the number.",
  0: "The number's access token is invalid or expired: update the token, then resend.",
};

/** Every code the sender knows by name: each gets its own series in the send metrics, any other counts as `other`. */
export const KNOWN_GRAPH_ERROR_CODES: readonly number[] = [
  ...new Set([131056, ...TOKEN_ERROR_CODES, ...RETRYABLE, ...NEEDS_OPERATOR, ...Object.keys(REASONS).map(Number)]),
].sort((a, b) => a - b);

/** A PII-free reason a person can act on, with Meta's code for reference. */
export function describeGraphError(code: number): string {
  const text = REASONS[code] ?? (code >= 132_000 && code < 133_000 ? "The template was refused." : "WhatsApp refused the message.");
  return `${text} (WhatsApp error ${code})`.slice(0, 500);
}

/** Errors on the connection that prove the request never left: nothing can have reached Meta. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export function isNeverSentError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth += 1) {
    const record = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof record.code === "string" && NOT_SENT_CODES.has(record.code)) return true;
    // Happy eyeballs: every address tried was refused.
    if (Array.isArray(record.errors) && record.errors.length > 0 && record.errors.every((item) => isNeverSentError(item))) return true;
    current = record.cause;
  }
  return false;
}

/** Delay before the next send attempt. Pair limit: 4^X seconds (X = 0, 1, 2, …, §7); else exponential. Both jittered. */
export function retryDelayMs(input: {
  pair: boolean;
  attempt: number;
  baseMs: number;
  pairBaseMs: number;
  maxMs: number;
  random: () => number;
}): number {
  const exponent = Math.min(Math.max(input.attempt - 1, 0), 20);
  if (input.pair) {
    const delay = Math.min(input.maxMs, input.pairBaseMs * 4 ** exponent);
    return Math.round(delay * (1 + 0.25 * input.random()));
  }
  const ceiling = Math.min(input.maxMs, input.baseMs * 2 ** exponent);
  // Equal jitter: spreads retries without ever retrying at once.
  return Math.round(ceiling / 2 + (ceiling / 2) * input.random());
}
