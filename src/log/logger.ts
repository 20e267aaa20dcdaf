import pino, { type DestinationStream, type Logger } from "pino";
import { activeTraceFields } from "../observability/trace-context.ts";
import { scrubDeep, scrubText } from "./scrub.ts";

export type { Logger } from "pino";

// Keys that never reach a log, wherever they appear. Paths are fixed strings, never user input.
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  "*.password",
  "*.newPassword",
  "*.token",
  "*.accessToken",
  "*.access_token",
  "*.refreshToken",
  "*.secret",
  "*.appSecret",
  "*.app_secret",
  "*.apiKey",
  "*.otp",
  "*.pin",
  "*.totp",
  "*.phone",
  "*.email",
  "*.name",
  "*.text",
  "*.body",
  "*.key",
  "*.masterKey",
];

/** An error as a log may hold it: type, code and scrubbed message and stack; never a payload. */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return scrubDeep(error);
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === "string" ? { code } : {}),
    message: scrubText(error.message),
    ...(error.stack ? { stack: scrubText(error.stack) } : {}),
  };
}

export type LoggerOptions = {
  level: string;
  destination?: DestinationStream;
  /**
   * Add the active span's trace and span ids to every line (when tracing is on). They are added
   * after the scrubbing, which would take 32 hex digits for a secret; they are random ids, no data.
   */
  traceIds?: boolean;
};

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "parley" },
      redact: { paths: REDACT_PATHS, censor: "[Redacted]" },
      serializers: { err: serializeError, error: serializeError },
      formatters: {
        log: options.traceIds
          ? (object) => ({ ...(scrubDeep(object) as Record<string, unknown>), ...activeTraceFields() })
          : (object) => scrubDeep(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === "string" ? scrubText(arg) : arg)) as Parameters<typeof method>;
          return method.apply(this, scrubbed);
        },
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
