import { z } from "zod";

// The one string type for input from outside (route bodies, query and path parameters, CSV cells).
// A string reaching the database or an encrypted field must be text both engines keep exactly:
// PostgreSQL refuses NUL in text and JSON, and an unpaired UTF-16 surrogate has no UTF-8 form, so
// it would be stored as U+FFFD (a silent change of what the client sent). Both are refused at the
// boundary with VALIDATION_FAILED naming the field. Routes cannot forget it: assertRouteDefinition
// refuses an input schema holding a string without this check (findUncheckedStrings below).

/** Why a string was refused; never repeats the value. */
export const UNSAFE_TEXT_MESSAGE = "Must be text without NUL characters or unpaired surrogates.";

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `value` is well-formed UTF-16 (no unpaired surrogate) and holds no NUL. */
export function isSafeText(value: string): boolean {
  return !value.includes("\u0000") && !UNPAIRED_SURROGATE.test(value);
}

/**
 * The check every input string carries. One instance: zod keeps it when a schema is refined
 * further (`.min()`, `.trim()`, `.regex()` …), which is how the route check recognizes it.
 */
export const safeTextCheck = z.refine<string>((value) => typeof value !== "string" || isSafeText(value), { message: UNSAFE_TEXT_MESSAGE });

/** A string from outside: safe text, at most `max` characters (every outside string has a bound). */
export function safeString(max: number): z.ZodString {
  if (!Number.isInteger(max) || max < 1) throw new Error("safeString(max): max must be a positive integer");
  return z.string().check(safeTextCheck).max(max);
}

/** A string format schema (e.g. `z.url()`) made safe text as well. */
export function asSafeString<T extends z.ZodType<string>>(schema: T): T {
  return schema.check(safeTextCheck);
}

/**
 * String formats whose own pattern admits only printable ASCII: NUL and surrogates cannot pass
 * them, so they need no extra check. Anything else (plain strings, `regex`, `url` …) does.
 */
const CLOSED_FORMATS = new Set([
  "uuid",
  "guid",
  "email",
  "e164",
  "datetime",
  "date",
  "time",
  "duration",
  "ipv4",
  "ipv6",
  "cidrv4",
  "cidrv6",
  "cuid",
  "cuid2",
  "ulid",
  "xid",
  "ksuid",
  "nanoid",
  "base64",
  "base64url",
]);

type Def = {
  type: string;
  format?: string;
  checks?: readonly unknown[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  items?: readonly z.ZodType[];
  rest?: z.ZodType | null;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
};

/**
 * Paths (like `name`, `tags[]`, `fields{}`) of the strings in an input schema that do not carry
 * the safe-text check, and of values it would take unchecked (`unknown`, `any`, loose objects).
 * Empty for a schema built from `safeString()` throughout.
 */
export function findUncheckedStrings(schema: z.ZodType): string[] {
  const found: string[] = [];
  const seen = new Set<z.ZodType>();
  const visit = (node: z.ZodType | null | undefined, path: string): void => {
    if (!node || seen.has(node)) return;
    seen.add(node);
    const def = (node as unknown as { _zod: { def: Def } })._zod.def;
    const where = path || "(root)";
    switch (def.type) {
      case "string": {
        const closed = def.format !== undefined && CLOSED_FORMATS.has(def.format);
        if (!closed && !(def.checks ?? []).includes(safeTextCheck)) found.push(where);
        return;
      }
      case "any":
      case "unknown":
      case "custom":
      case "template_literal":
        found.push(where);
        return;
      case "object":
        for (const [key, child] of Object.entries(def.shape ?? {})) visit(child, path ? `${path}.${key}` : key);
        // z.looseObject's catchall is unknown: extra fields would pass unchecked.
        if (def.catchall && (def.catchall as unknown as { _zod: { def: Def } })._zod.def.type !== "never") visit(def.catchall, `${path}{}`);
        return;
      case "array":
        visit(def.element, `${path}[]`);
        return;
      case "set":
        visit((def as unknown as { valueType: z.ZodType }).valueType, `${path}[]`);
        return;
      case "tuple":
        (def.items ?? []).forEach((item, index) => visit(item, `${path}[${index}]`));
        visit(def.rest, `${path}[]`);
        return;
      case "record":
      case "map":
        visit(def.keyType, `${path}{key}`);
        visit(def.valueType, `${path}{}`);
        return;
      case "union":
        for (const option of def.options ?? []) visit(option, path);
        return;
      case "intersection":
        visit(def.left, path);
        visit(def.right, path);
        return;
      case "pipe":
        // Only the input side meets the client's value.
        visit(def.in, path);
        return;
      case "lazy":
        visit(def.getter?.(), path);
        return;
      default:
        // optional, nullable, default, prefault, readonly, catch, nonoptional …
        if (def.innerType) visit(def.innerType, path);
    }
  };
  visit(schema, "");
  return found;
}
