import type { z } from "zod";
import { GraphError } from "./errors.ts";

// Meta names parameters as text['body'], action['buttons'][0] … in its error details.
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

// Parses with a zod schema and turns the first issue into Meta's code-100 error.
// `prefix` names the object being parsed when it is nested in the request (e.g. "text").
export function parseGraphParams<T extends z.ZodType>(schema: T, input: unknown, prefix?: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new GraphError(100);
  const name = formatParamPath(prefix === undefined ? issue.path : [prefix, ...issue.path]);
  if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) {
    throw new GraphError(100, `The parameter ${name} is required.`);
  }
  if (issue.code === "too_big" && typeof issue.maximum === "number") {
    throw new GraphError(100, `Param ${name} must be at most ${issue.maximum} ${issue.origin === "array" ? "items" : "characters long"}.`);
  }
  if (issue.code === "too_small" && typeof issue.minimum === "number") {
    throw new GraphError(100, `Param ${name} must be at least ${issue.minimum} ${issue.origin === "array" ? "items" : "characters long"}.`);
  }
  throw new GraphError(100, `Param ${name || "body"} is invalid: ${issue.message}`);
}
