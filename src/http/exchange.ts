import type { Logger } from "../log/logger.ts";
import type { z } from "zod";
import type { AppError } from "../errors.ts";
import type { RouteDefinition } from "./define-route.ts";
import { classifyError, toValidationError } from "./errors.ts";

// What every request goes through on its way in and out, whichever path served it: Fastify's
// (src/http/app.ts) or the lean lane's (src/http/lean-lane.ts). One copy, so the two cannot drift.

export function parseInput(part: "params" | "query" | "body", schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (!result.success) throw toValidationError(part, result.error.issues, schema);
  return result.data;
}

/**
 * A handler's value as the JSON text of the response schema of its status (extra fields dropped),
 * or undefined for an empty body.
 */
export function serializeResponse(route: RouteDefinition, status: number, value: unknown): string | undefined {
  const schema = route.schema.response[status];
  if (!schema) throw new ResponseContractError(route, status, "no response schema for this status");
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.code}`).join(", ");
    throw new ResponseContractError(route, status, `response does not match its schema (${problems})`);
  }
  return result.data === undefined ? undefined : JSON.stringify(result.data);
}

/** A handler answered outside its contract: a bug of ours, answered 500 and logged at error. */
export class ResponseContractError extends Error {
  constructor(route: RouteDefinition, status: number, problem: string) {
    super(`${route.method} ${route.url} → ${status}: ${problem}`);
    this.name = "ResponseContractError";
  }
}

/** The catalogue error a failure is answered with, logged: refusals at warn, our failures at error. */
export function logFailure(logger: Logger, error: unknown, requestId: string, route: string | null): AppError {
  const { appError, expected } = classifyError(error);
  if (expected) {
    logger.warn({ requestId, route, status: appError.status, code: appError.code }, "request refused");
  } else {
    const cause = appError.cause ?? error;
    logger.error({ requestId, route, status: appError.status, code: appError.code, err: cause }, "request failed");
  }
  return appError;
}

/** The one log line per request: allow-listed fields only, the route pattern instead of the URL. */
export function logRequest(
  logger: Logger,
  line: { requestId: string; method: string; route: string | null; status: number; durationMs: number; workspaceId?: string },
): void {
  logger.info({ ...line, durationMs: Math.round(line.durationMs * 10) / 10 }, "request");
}
