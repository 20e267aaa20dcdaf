import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { RequestMeta, SignedIn } from "./accounts.ts";
import { serializeSessionCookies } from "./sessions.ts";

// Shapes shared by the account routes and the setup route.

export const tokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresAt: z.iso.datetime(),
  csrfToken: z.string(),
});

export const noContent = { 204: z.undefined() };

export function requestMeta(request: FastifyRequest): RequestMeta {
  const userAgent = request.headers["user-agent"];
  return { ip: request.ip, userAgent: typeof userAgent === "string" ? userAgent : null };
}

/** Sets the session cookies (refresh token, CSRF token) and shapes the token answer. */
export function answerSignedIn(
  reply: FastifyReply,
  signedIn: Pick<SignedIn, "accessToken" | "accessTokenExpiresAt" | "refresh" | "csrfToken">,
  now: Date,
) {
  reply.header("set-cookie", serializeSessionCookies(signedIn.refresh, signedIn.csrfToken, now));
  return {
    accessToken: signedIn.accessToken,
    tokenType: "Bearer" as const,
    expiresAt: signedIn.accessTokenExpiresAt.toISOString(),
    csrfToken: signedIn.csrfToken,
  };
}
