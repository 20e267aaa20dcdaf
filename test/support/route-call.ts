import { randomInt, randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { RouteDefinition } from "../../src/http/define-route.ts";
import { sampleFor } from "../access/sample-input.ts";

// Calling any registered route with a valid sample of its declared input, for the tests that walk
// the route registry and judge only who is let in.

export type RouteAnswer = { status: number; code: string | undefined };

/** The route's address with its `:name` placeholders filled from `params` (a fresh UUID for any missing). */
export function fillUrl(url: string, params: Record<string, unknown>): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
    encodeURIComponent(String((params[name] as string | number | undefined) ?? randomUUID())),
  );
}

/** Addresses from the benchmarking range, one per call, so per-address limits never mask an answer. */
export function randomAddress(): string {
  return `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/**
 * Calls `route` in `workspaceId` with sample params, query and body from its schema and the given
 * headers; answers with the status and the error code, if any.
 */
export async function callWithSampleInput(
  app: FastifyInstance,
  route: RouteDefinition,
  workspaceId: string,
  headers: Record<string, string>,
): Promise<RouteAnswer> {
  const params = (sampleFor(route.schema.params, { workspaceId }) ?? {}) as Record<string, unknown>;
  const query = (sampleFor(route.schema.query) ?? {}) as Record<string, unknown>;
  const body = route.schema.body ? sampleFor(route.schema.body) : undefined;
  const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)])).toString();
  const response = await app.inject({
    method: route.method,
    url: fillUrl(route.url, { workspaceId, ...params }) + (search ? `?${search}` : ""),
    remoteAddress: randomAddress(),
    headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  let code: string | undefined;
  try {
    code = (JSON.parse(response.body) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status: response.statusCode, code };
}
