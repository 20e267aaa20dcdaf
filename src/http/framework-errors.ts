import { AppError } from "../errors.ts";
import type { RouteDefinition } from "./define-route.ts";
import { toValidationError } from "./errors.ts";
import { decodeUrlComponent } from "./raw-input.ts";

// Requests the router refuses before any route runs (Fastify's `frameworkErrors`): a path whose
// percent-encoding is not valid UTF-8 (FST_ERR_BAD_URL) or a parameter longer than the router takes
// (FST_ERR_MAX_PARAM_LENGTH). When the path has the shape of a route, the refusal names the
// parameter, as the route's own parameter schema would (the segment is decoded with invalid bytes
// kept as unpaired surrogates, which the safe-string check refuses); otherwise the request is
// simply malformed (400) or addresses nothing (404). Never an echo of the path.

/**
 * The longest path parameter the router matches: as long as Node's whole header section (16 KB),
 * so every parameter reaches its route, whose schema bounds it and names it when too long.
 */
export const MAX_PARAM_LENGTH = 16 * 1024;

/**
 * The route whose URL pattern has the raw path's shape, and its raw parameter segments. Like the
 * router, a static segment wins over a parameter at the same place (`/graph/:wabaId/message_templates`
 * over `/graph/:version/:mediaId`), at the first place where two patterns differ; the request's
 * method first.
 */
function matchRoute(
  routes: readonly RouteDefinition[],
  method: string,
  path: string,
): { route: RouteDefinition; raw: Record<string, string> } | null {
  const segments = path.split("/");
  const wanted = method === "HEAD" ? "GET" : method;
  const candidates = [...routes.filter((route) => route.method === wanted), ...routes.filter((route) => route.method !== wanted)];
  let best: { route: RouteDefinition; raw: Record<string, string>; statics: boolean[] } | null = null;
  for (const route of candidates) {
    const pattern = route.url.split("/");
    if (pattern.length !== segments.length) continue;
    const raw: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      const segment = segments[index]!;
      if (part.startsWith(":")) {
        raw[part.slice(1)] = segment;
        return segment.length > 0;
      }
      return part === segment;
    });
    if (!matches) continue;
    const statics = pattern.map((part) => !part.startsWith(":"));
    if (best === null) {
      best = { route, raw, statics };
      continue;
    }
    if (best.route.method !== wanted && route.method === wanted) {
      best = { route, raw, statics };
      continue;
    }
    if (route.method !== best.route.method) continue;
    const differs = statics.findIndex((isStatic, index) => isStatic !== best!.statics[index]);
    if (differs !== -1 && statics[differs]) best = { route, raw, statics };
  }
  return best ? { route: best.route, raw: best.raw } : null;
}

/** The catalogue error for a router refusal of `url`. */
export function refusalForPath(routes: readonly RouteDefinition[], code: string, method: string, url: string): AppError {
  const path = url.split(/[?#]/, 1)[0] ?? "";
  const match = matchRoute(routes, method, path);
  if (match) {
    const params = Object.fromEntries(Object.entries(match.raw).map(([name, segment]) => [name, decodeUrlComponent(segment, false)]));
    const schema = match.route.schema.params;
    const result = schema?.safeParse(params);
    if (result && !result.success) return toValidationError("params", result.error.issues, schema);
    // The schema would take it: the refusal is the router's bound, or a malformed escape.
    const tooLong = Object.entries(params).find(([, value]) => value.length > MAX_PARAM_LENGTH);
    if (tooLong)
      return new AppError("VALIDATION_FAILED", undefined, {
        details: [{ path: ["params", tooLong[0]], message: `Too long: at most ${MAX_PARAM_LENGTH} characters.` }],
      });
    return new AppError("BAD_REQUEST");
  }
  return code === "FST_ERR_MAX_PARAM_LENGTH" ? new AppError("NOT_FOUND") : new AppError("BAD_REQUEST");
}
