import { z } from "zod";
import { CoordinationUnavailableError } from "../coordination/types.ts";
import { AppError, errorCatalogue, isAppError, type ErrorCode } from "../errors.ts";

// Every failure leaves the app in one shape, `{ error: { code, message, requestId, details? } }`,
// with a code from the catalogue (src/errors.ts). Never a stack trace, never an input value.

const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];

export const validationDetailSchema = z.object({
  /** Where the problem is: "params", "query" or "body", then the keys and indexes inside it. */
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    requestId: z.string(),
    /** VALIDATION_FAILED: a list of `{ path, message }`; other codes may carry their own details. */
    details: z.unknown().optional(),
  }),
});

export type ErrorBody = z.output<typeof errorBodySchema>;

export function renderErrorBody(error: AppError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

// Fastify's own failures (raised before a handler runs) mapped onto the catalogue.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_EMPTY_JSON_BODY: "MALFORMED_BODY",
  FST_ERR_CTP_INVALID_JSON_BODY: "MALFORMED_BODY",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "MALFORMED_BODY",
};

/**
 * The catalogue error a thrown value stands for, and whether it was expected: client errors (4xx)
 * are expected and log at warn; everything else is a failure of ours and logs at error.
 */
export function classifyError(error: unknown): { appError: AppError; expected: boolean } {
  if (isAppError(error)) return { appError: error, expected: error.status < 500 };
  if (error instanceof CoordinationUnavailableError) {
    return { appError: new AppError("COORDINATION_UNAVAILABLE", undefined, { cause: error }), expected: false };
  }
  const code = (error as { code?: unknown } | null)?.code;
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof code === "string" && code in fastifyCodes) {
    return { appError: new AppError(fastifyCodes[code]!), expected: true };
  }
  if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) {
    const byStatus = statusCode === 400 ? undefined : errorCodes.find((candidate) => errorCatalogue[candidate].status === statusCode);
    return { appError: new AppError(byStatus ?? "BAD_REQUEST"), expected: true };
  }
  return { appError: new AppError("INTERNAL"), expected: false };
}

/**
 * A VALIDATION_FAILED error for a zod failure. Messages are zod's (they name what was expected,
 * never the value received). A key the schema does not declare is input too (an unknown field, a
 * record's key), so its name is never repeated: the detail's path stops at the object holding it.
 */
export function toValidationError(part: "params" | "query" | "body", issues: readonly z.core.$ZodIssue[], schema?: z.ZodType): AppError {
  const details: Array<z.output<typeof validationDetailSchema>> = [];
  for (const issue of issues) {
    const path = [part, ...declaredPath(schema, issue.path)];
    if (issue.code === "unrecognized_keys") {
      details.push({ path, message: issue.keys.length === 1 ? "Unknown field." : `${issue.keys.length} unknown fields.` });
    } else {
      details.push({ path, message: issue.message });
    }
  }
  return new AppError("VALIDATION_FAILED", undefined, { details });
}

type SchemaDef = {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
  left?: z.core.$ZodType;
  right?: z.core.$ZodType;
  getter?: () => z.core.$ZodType;
};

/** The leading part of `path` the schema declares: indexes and declared keys, up to the first key that came from the input. */
function declaredPath(schema: z.core.$ZodType | undefined, path: readonly PropertyKey[]): Array<string | number> {
  const kept: Array<string | number> = [];
  let candidates: z.core.$ZodType[] = schema ? [schema] : [];
  for (const segment of path) {
    if (schema === undefined) {
      // No schema to consult (a caller without one): keep only what cannot be input-chosen text.
      if (typeof segment !== "number") break;
      kept.push(segment);
      continue;
    }
    const next = candidates.flatMap((candidate) => childOf(candidate, segment));
    if (next.length === 0) break;
    kept.push(typeof segment === "number" ? segment : String(segment));
    candidates = next;
  }
  return kept;
}

function childOf(schema: z.core.$ZodType, segment: PropertyKey, depth = 0): z.core.$ZodType[] {
  if (depth > 20) return [];
  const def = schema._zod.def as unknown as SchemaDef;
  const inner = (child: z.core.$ZodType | undefined) => (child ? childOf(child, segment, depth + 1) : []);
  switch (def.type) {
    case "object":
      return typeof segment === "string" && def.shape && Object.hasOwn(def.shape, segment) ? [def.shape[segment]!] : [];
    case "array":
      return typeof segment === "number" && def.element ? [def.element] : [];
    case "union":
      return (def.options ?? []).flatMap((option) => inner(option));
    case "intersection":
      return [...inner(def.left), ...inner(def.right)];
    case "pipe":
      return inner(def.in);
    case "lazy":
      return def.getter ? inner(def.getter()) : [];
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return inner(def.innerType);
    default:
      // A record (its keys are the input's), or anything whose children we cannot name.
      return [];
  }
}
