import { createHmac, timingSafeEqual } from "node:crypto";
import { serverSecret } from "../crypto/server-secrets.ts";
import type { FastifyRequest } from "fastify";
import { AppError } from "../errors.ts";
import type { Services } from "../services.ts";

// CSRF for cookie-authenticated unsafe requests (security.md §9): a token bound to the session —
// HMAC-SHA256 of the session id under a server secret — sent in `x-csrf-token`, plus proof the
// request comes from our own origin (Origin equal to the public URL's origin, or Sec-Fetch-Site:
// same-origin). Bearer and API-key requests carry no cookie, so they are not exposed to CSRF.
//
// The same token is also delivered in a cookie the page's script can read (double submit), so a
// tab opened after sign-in finds it and refreshes the session without asking for the password
// again. The cookie is only a way to hand the token to our own pages: the server never reads it.
// What it checks is the header against the session's token, so a cookie planted by a sibling host
// or over plain HTTP proves nothing (and `__Host-` stops both from setting it).

export const CSRF_HEADER = "x-csrf-token";
export const CSRF_COOKIE = "__Host-parley_csrf";

function csrfSecret(services: Services): Promise<Buffer> {
  return serverSecret(services, "csrf_hmac_key");
}

export async function csrfTokenFor(services: Services, sessionId: string): Promise<string> {
  const mac = createHmac("sha256", await csrfSecret(services))
    .update(`csrf.v1|${sessionId.length}|${sessionId}`, "utf8")
    .digest();
  return mac.toString("base64url");
}

/** Readable by the page's script on purpose (not HttpOnly); `__Host-`: Secure, no Domain, Path=/. */
export function serializeCsrfCookie(token: string, { maxAgeSeconds }: { maxAgeSeconds: number }): string {
  return `${CSRF_COOKIE}=${token}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; Secure; SameSite=Strict`;
}

export function clearCsrfCookie(): string {
  return `${CSRF_COOKIE}=; Path=/; Max-Age=0; Secure; SameSite=Strict`;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * Throws CSRF_REFUSED unless the request is same-origin and carries the token of `sessionId`.
 * Fetch Metadata first (cross-site is refused outright); Origin must match when it is sent; one of
 * the two must positively say "same origin".
 */
export async function assertCsrf(services: Services, request: FastifyRequest, sessionId: string): Promise<void> {
  const expectedOrigin = new URL(services.config.http.publicUrl).origin;
  const fetchSite = header(request, "sec-fetch-site");
  const origin = header(request, "origin");
  if (fetchSite !== undefined && fetchSite !== "same-origin") throw new AppError("CSRF_REFUSED");
  if (origin !== undefined && origin !== expectedOrigin) throw new AppError("CSRF_REFUSED");
  if (fetchSite !== "same-origin" && origin !== expectedOrigin) throw new AppError("CSRF_REFUSED");
  const presented = header(request, CSRF_HEADER);
  if (!presented || presented.length > 128) throw new AppError("CSRF_REFUSED");
  const expected = Buffer.from(await csrfTokenFor(services, sessionId));
  const actual = Buffer.from(presented);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new AppError("CSRF_REFUSED");
}
