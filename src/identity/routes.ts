import { z } from "zod";
import { recordAudit } from "../audit/record.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { AppError } from "../errors.ts";
import { defineRoute, SELF, type RouteDefinition } from "../http/define-route.ts";
import { changePassword, normalizeEmail, reauthenticate, signIn } from "./accounts.ts";
import { answerSignedIn, noContent, requestMeta, tokenResponse } from "./http.ts";
import { isMfaRequired, requireRecentReauth, withUser } from "./authenticator.ts";
import { publishInvalidation } from "./cache.ts";
import { assertCsrf, csrfTokenFor } from "./csrf.ts";
import { beginTotpEnrollment, confirmTotpEnrollment, resetTotp } from "./mfa.ts";
import { findRefreshFamily } from "./refresh.ts";
import { findSessionOwner, findUserProfile, listUserMemberships } from "./repository.ts";
import { clearSessionCookies, readRefreshCookie, revokeSessionIn, rotateRefreshToken } from "./sessions.ts";
import { publishedJwks } from "./signing-keys.ts";
import { recordRefusedSignIn } from "./throttle.ts";
import { issueAccessToken, verifyAccessToken } from "./tokens.ts";
import { createSetupRoutes } from "./setup/routes.ts";
import { safeString } from "../http/safe-string.ts";

// The account routes: sign-in, refresh, logout, re-authentication, password, MFA, the caller's own
// profile, and the JWKS. Built by a factory so tests can inject the clock.

export type IdentityRouteOptions = { now?: () => Date };

const email = safeString(254).trim().min(3);
const password = safeString(1024).min(1);
const totp = safeString(6).regex(/^\d{6}$/);
const recoveryCode = safeString(64).min(8);

export function createIdentityRoutes(options: IdentityRouteOptions = {}): RouteDefinition[] {
  const now = options.now ?? (() => new Date());
  return [
    defineRoute({
      method: "GET",
      url: "/.well-known/jwks.json",
      summary: "The public keys that sign access tokens (JWKS).",
      tags: ["auth"],
      public: "public keys only; clients and other instances verify access tokens with them",
      schema: {
        response: {
          200: z.object({
            keys: z.array(
              z.object({
                kty: z.literal("RSA"),
                n: z.string(),
                e: z.string(),
                kid: z.string(),
                alg: z.literal("RS256"),
                use: z.literal("sig"),
              }),
            ),
          }),
        },
      },
      handler: async ({ services, reply }) => {
        reply.header("cache-control", "public, max-age=300");
        return publishedJwks(services, now());
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/auth/login",
      summary: "Signs in with e-mail and password (and a TOTP or recovery code when enrolled).",
      tags: ["auth"],
      public: "this is how a caller gets credentials; limited per account and address with lock-out",
      errors: ["INVALID_CREDENTIALS", "MFA_CODE_REQUIRED", "RATE_LIMITED"],
      schema: {
        body: z.strictObject({ email, password, totp: totp.optional(), recoveryCode: recoveryCode.optional() }),
        response: { 200: tokenResponse },
      },
      // A refused input (a NUL in the e-mail, bytes that are not UTF-8 …) counts toward the lock-out too.
      onInputRefused: async ({ services, body, request }) => {
        const claimed = (body as { email?: unknown } | undefined)?.email;
        const meta = requestMeta(request);
        await recordRefusedSignIn(
          services,
          { normalizedEmail: typeof claimed === "string" ? normalizeEmail(claimed) : null, ip: meta.ip, userAgent: meta.userAgent },
          now(),
        );
      },
      handler: async ({ services, body, request, reply }) => {
        const at = now();
        const signedIn = await signIn(services, body, requestMeta(request), at);
        return answerSignedIn(reply, signedIn, at);
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/auth/refresh",
      summary: "Exchanges the refresh cookie for a new access token and a new refresh cookie (rotation).",
      tags: ["auth"],
      public: "authenticated by the refresh cookie itself, with the CSRF header and a same-origin check",
      errors: ["UNAUTHENTICATED", "CSRF_REFUSED"],
      schema: { response: { 200: tokenResponse } },
      handler: async ({ services, request, reply }) => {
        const at = now();
        const token = readRefreshCookie(request.headers.cookie);
        if (!token) throw new AppError("UNAUTHENTICATED");
        const family = await findRefreshFamily(services, token);
        if (!family) {
          reply.header("set-cookie", clearSessionCookies());
          throw new AppError("UNAUTHENTICATED");
        }
        await assertCsrf(services, request, family);
        const outcome = await rotateRefreshToken(services, token, at);
        if (outcome.kind !== "rotated") {
          if (outcome.kind === "reused")
            services.logger.warn(
              { sessionId: outcome.sessionId, component: "identity" },
              "rotated refresh token presented again; session revoked",
            );
          reply.header("set-cookie", clearSessionCookies());
          throw new AppError("UNAUTHENTICATED");
        }
        const access = await issueAccessToken(services, { userId: outcome.userId, sessionId: outcome.sessionId }, at);
        return answerSignedIn(
          reply,
          {
            accessToken: access.token,
            accessTokenExpiresAt: access.expiresAt,
            refresh: outcome.refresh,
            csrfToken: await csrfTokenFor(services, outcome.sessionId),
          },
          at,
        );
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/auth/logout",
      summary: "Ends the session (refresh cookie with CSRF header, or bearer access token).",
      tags: ["auth"],
      public: "authenticated by the refresh cookie (with CSRF checks) or the bearer token it revokes",
      errors: ["UNAUTHENTICATED", "CSRF_REFUSED"],
      schema: { response: noContent },
      handler: async ({ services, request, reply }) => {
        const at = now();
        let sessionId: string | null = null;
        const cookie = readRefreshCookie(request.headers.cookie);
        if (cookie) {
          sessionId = await findRefreshFamily(services, cookie);
          if (sessionId) await assertCsrf(services, request, sessionId);
        } else {
          const match = /^Bearer +(\S+)\s*$/i.exec(request.headers.authorization ?? "");
          const claims = match ? await verifyAccessToken(services, match[1]!, at) : null;
          sessionId = claims?.sessionId ?? null;
        }
        reply.header("set-cookie", clearSessionCookies());
        if (!sessionId) throw new AppError("UNAUTHENTICATED");
        const revoked = sessionId;
        await withoutWorkspace(services.db, async (trx) => {
          const session = await findSessionOwner(trx, revoked);
          if (session.revoked_at !== null) return;
          await revokeSessionIn(trx, revoked, "logout", at);
          const meta = requestMeta(request);
          await recordAudit(
            trx,
            {
              workspaceId: null,
              actor: { type: "user", id: session.user_id },
              action: "auth.logout",
              target: { type: "session", id: revoked },
              ip: meta.ip,
              userAgent: meta.userAgent,
            },
            { now: () => at },
          );
        });
        await publishInvalidation(services, { type: "session", sessionId: revoked });
        reply.code(204);
        return undefined;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/auth/reauthenticate",
      summary: "Confirms the password (and TOTP when enrolled) for sensitive actions in the next 5 minutes.",
      tags: ["auth"],
      permission: SELF,
      allowMfaPending: true,
      errors: ["INVALID_CREDENTIALS", "MFA_CODE_REQUIRED", "RATE_LIMITED", "MFA_ENROLLMENT_REQUIRED"],
      schema: { body: z.strictObject({ password, totp: totp.optional(), recoveryCode: recoveryCode.optional() }), response: noContent },
      handler: async ({ services, session, body, request, reply }) => {
        await reauthenticate(services, session!, body, requestMeta(request), now());
        reply.code(204);
        return undefined;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/me",
      summary: "The signed-in user and their workspace memberships.",
      tags: ["auth"],
      permission: SELF,
      allowMfaPending: true,
      schema: {
        response: {
          200: z.object({
            user: z.object({ id: z.string(), email: z.string(), mfaEnrolled: z.boolean(), mfaRequired: z.boolean() }),
            memberships: z.array(
              z.object({
                workspaceId: z.string(),
                workspaceName: z.string().nullable(),
                role: z.enum(["owner", "admin", "agent", "analyst"]),
              }),
            ),
          }),
        },
      },
      handler: async ({ services, session }) => {
        const userId = session!.userId;
        const user = await withoutWorkspace(services.db, (trx) => findUserProfile(trx, userId));
        const memberships = await withUser(services, userId, (trx) => listUserMemberships(trx, userId));
        return {
          user: {
            id: user.id,
            email: user.email,
            mfaEnrolled: user.totp_secret_wrapped !== null,
            mfaRequired: await isMfaRequired(services, userId),
          },
          // Names live in each workspace's row (RLS per workspace); the dashboard reads them per workspace.
          memberships: memberships.map((membership) => ({
            workspaceId: membership.workspace_id,
            workspaceName: null,
            role: membership.role,
          })),
        };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/me/password",
      summary: "Changes the password (needs a re-authentication); every session is signed out.",
      tags: ["auth"],
      permission: SELF,
      errors: ["REAUTHENTICATION_REQUIRED", "PASSWORD_REJECTED", "MFA_ENROLLMENT_REQUIRED"],
      schema: { body: z.strictObject({ newPassword: password }), response: noContent },
      handler: async ({ services, session, body, request, reply }) => {
        const at = now();
        requireRecentReauth(session, at);
        await changePassword(services, session!.userId, body.newPassword, requestMeta(request), at);
        reply.header("set-cookie", clearSessionCookies());
        reply.code(204);
        return undefined;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/me/mfa/totp",
      summary: "Starts TOTP enrollment: an otpauth:// URI and its QR code (needs a re-authentication).",
      tags: ["auth"],
      permission: SELF,
      allowMfaPending: true,
      errors: ["REAUTHENTICATION_REQUIRED", "CONFLICT"],
      schema: { response: { 200: z.object({ otpauthUri: z.string(), qrCodeSvg: z.string(), secret: z.string() }) } },
      handler: async ({ services, session }) => {
        requireRecentReauth(session, now());
        const enrollment = await beginTotpEnrollment(services, session!.userId);
        return { otpauthUri: enrollment.otpauthUri, qrCodeSvg: enrollment.qrSvg, secret: enrollment.secret };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/me/mfa/totp/confirm",
      summary: "Confirms TOTP enrollment with a first code; answers the 10 recovery codes, shown only this once.",
      tags: ["auth"],
      permission: SELF,
      allowMfaPending: true,
      errors: ["INVALID_CREDENTIALS", "CONFLICT", "UNPROCESSABLE"],
      schema: { body: z.strictObject({ code: totp }), response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) } },
      handler: async ({ services, session, body, request }) => {
        const recoveryCodes = await confirmTotpEnrollment(services, session!.userId, body.code, requestMeta(request), now());
        return { recoveryCodes };
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/v1/me/mfa/totp",
      summary: "Removes TOTP and the recovery codes (needs a re-authentication); every session is signed out.",
      tags: ["auth"],
      permission: SELF,
      errors: ["REAUTHENTICATION_REQUIRED", "MFA_ENROLLMENT_REQUIRED"],
      schema: { response: noContent },
      handler: async ({ services, session, request, reply }) => {
        const at = now();
        requireRecentReauth(session, at);
        await resetTotp(services, session!.userId, requestMeta(request), at);
        reply.header("set-cookie", clearSessionCookies());
        reply.code(204);
        return undefined;
      },
    }),
    ...createSetupRoutes(options),
  ];
}

export const identityRoutes: RouteDefinition[] = createIdentityRoutes();
