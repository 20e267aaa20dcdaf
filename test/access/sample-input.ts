import { randomUUID } from "node:crypto";
import { z } from "zod";
import { roles } from "../../src/identity/permissions.ts";

// Minimal inputs built from a route's zod schemas (through their JSON Schema), so the route matrix
// can call every route without a hand-written request per route. The values only have to get past
// validation where they can; a route whose input cannot be built still answers, with 400, and the
// matrix accepts that for callers who are allowed in.

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

export type SampleOverrides = Record<string, unknown>;

const roleList: readonly string[] = roles;

/** A JSON Schema for the input side of a zod schema. */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

function sampleString(schema: JsonSchema): string {
  switch (schema.format) {
    case "uuid":
      return randomUUID();
    case "email":
      return `matrix-${randomUUID().slice(0, 8)}@example.test`;
    case "date-time":
      return new Date().toISOString();
    case "uri":
    case "url":
      return "https://example.test/";
    default:
      break;
  }
  const length = Math.max(schema.minLength ?? 1, Math.min(schema.maxLength ?? 8, 8));
  return "a".repeat(length);
}

/**
 * One value valid for `schema` where simple rules can find one. Enums take their first value, but
 * an enum of roles takes the least privileged one, so no caller is refused for granting above
 * their own role. Booleans are false (a flag left off changes the least).
 */
export function sampleValue(schema: JsonSchema, overrides: SampleOverrides = {}, name = ""): unknown {
  if (name in overrides) return overrides[name];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) {
    const values = schema.enum;
    const isRoleEnum = values.every((value) => typeof value === "string" && roleList.includes(value));
    return isRoleEnum ? values.at(-1) : values[0];
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) {
    const nonNull = alternatives.find((option) => option.type !== "null") ?? alternatives[0]!;
    return sampleValue(nonNull, overrides, name);
  }
  if (schema.allOf && schema.allOf.length > 0) return sampleValue(Object.assign({}, ...schema.allOf) as JsonSchema, overrides, name);
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== "null") : schema.type;
  switch (type) {
    case "object": {
      const value: Record<string, unknown> = {};
      for (const key of schema.required ?? []) value[key] = sampleValue(schema.properties?.[key] ?? {}, overrides, key);
      return value;
    }
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleValue(schema.items ?? {}, overrides, name));
    case "string":
      return sampleString(schema);
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return schema.default ?? "a";
  }
}

/** A sample for a zod schema; `overrides` pins values by property name (e.g. workspaceId). */
export function sampleFor(schema: z.ZodType | undefined, overrides: SampleOverrides = {}): unknown {
  if (!schema) return undefined;
  return sampleValue(inputJsonSchema(schema), overrides);
}
