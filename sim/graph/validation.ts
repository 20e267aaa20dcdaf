import type { z } from "zod";
import { GraphError, invalidParameter, missingParameter } from "./errors.ts";

// Meta names parameters as text['body'], action['buttons'][0] … in its error messages.
export function formatParamPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      return index === 0 ? String(segment) : `['${String(segment)}']`;
    })
    .join("");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  array: "an array",
  object: "a JSON object",
};

function describeGot(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
}

/**
 * Meta's wording for the first problem zod found, as Graph says it
 * ("(#100) The parameter to is required.", "(#100) Param text['body'] must be a string.",
 * "(#100) Param text['body'] must be at most 4096 characters long.", "(#100) Param type must be one
 * of {TEXT, IMAGE} - got \"gif\"."). zod's own messages never reach the client: a problem without
 * a Graph wording is WhatsApp's generic "(#100) Invalid parameter", naming the parameter.
 */
function toGraphError(issue: z.core.$ZodIssue, input: unknown, name: string): GraphError {
  const value = valueAt(input, issue.path);
  // zod reports a missing literal, enum or union as a wrong value; Graph calls any of them missing.
  if (value === undefined && issue.code !== "custom") return missingParameter(name);
  if (issue.code === "invalid_type") {
    const expected = TYPE_NAMES[issue.expected];
    if (expected) return invalidParameter(`Param ${name} must be ${expected}.`);
  }
  if (issue.code === "too_big" && typeof issue.maximum === "number") {
    if (issue.origin === "string") return invalidParameter(`Param ${name} must be at most ${issue.maximum} characters long.`);
    if (issue.origin === "array") return invalidParameter(`Param ${name} must have at most ${issue.maximum} elements.`);
  }
  if (issue.code === "too_small" && typeof issue.minimum === "number") {
    if (issue.minimum === 1 && (issue.origin === "string" || issue.origin === "array"))
      return invalidParameter(`Param ${name} must be non-empty.`);
    if (issue.origin === "string") return invalidParameter(`Param ${name} must be at least ${issue.minimum} characters long.`);
    if (issue.origin === "array") return invalidParameter(`Param ${name} must have at least ${issue.minimum} elements.`);
  }
  if (issue.code === "invalid_value") {
    const options = issue.values.map((v) => String(v).toUpperCase()).join(", ");
    return invalidParameter(`Param ${name} must be one of {${options}} - got "${describeGot(value)}".`);
  }
  return new GraphError(100, `Param ${name} is not valid.`);
}

// Parses with a zod schema and turns the first issue into Meta's code-100 error.
// `prefix` names the object being parsed when it is nested in the request (e.g. "text").
export function parseGraphParams<T extends z.ZodType>(schema: T, input: unknown, prefix?: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new GraphError(100);
  const name = formatParamPath(prefix === undefined ? issue.path : [prefix, ...issue.path]);
  throw toGraphError(issue, input, name || prefix || "body");
}
