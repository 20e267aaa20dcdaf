import { z } from "zod";
import { recordAudit } from "../../audit/record.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { defineRoute, type RouteDefinition } from "../../http/define-route.ts";
import { assertAcceptablePassword, normalizeEmail } from "../accounts.ts";
import { csrfTokenFor } from "../csrf.ts";
import { hashPassword } from "../passwords.ts";
import { answerSignedIn, requestMeta, tokenResponse } from "../http.ts";
import { createSession } from "../sessions.ts";
import { enforceRegistrationLimit } from "../throttle.ts";
import { issueAccessToken } from "../tokens.ts";
import { insertOwnerMembership, insertUser, insertWorkspace } from "./repository.ts";
import { consumeSetupToken } from "./setup-token.ts";
import { randomUUID } from "node:crypto";
import { safeString } from "../../http/safe-string.ts";

// The one-time setup link (printed at first start) creates the first Owner, their workspace and
// its key, and signs them in. The Owner must then enroll TOTP before anything else answers them
// (MFA is required for Owners and Admins).

export function createSetupRoutes(options: { now?: () => Date } = {}): RouteDefinition[] {
  const now = options.now ?? (() => new Date());
  return [
    defineRoute({
      method: "POST",
      url: "/api/v1/setup",
      summary: "Creates the first Owner and workspace with the one-time setup token, and signs them in.",
      tags: ["setup"],
      public: "the one-time setup token printed at first start is the credential; 3 attempts per hour per address",
      errors: ["SETUP_TOKEN_INVALID", "PASSWORD_REJECTED", "RATE_LIMITED", "COORDINATION_UNAVAILABLE"],
      schema: {
        body: z.strictObject({
          token: safeString(128).min(1),
          email: z.email().max(254),
          password: safeString(1024).min(1),
          workspaceName: safeString(100).trim().min(1),
        }),
        response: { 201: tokenResponse.extend({ userId: z.string(), workspaceId: z.string() }) },
      },
      handler: async ({ services, body, request, reply }) => {
        const at = now();
        await enforceRegistrationLimit(services, request.ip);
        assertAcceptablePassword(body.password);
        const passwordHash = await hashPassword(body.password);
        const userId = randomUUID();
        const workspaceId = randomUUID();
        const meta = requestMeta(request);
        const session = await withWorkspace(services.db, { workspaceId, userId, role: "owner" }, async (trx) => {
          if (!(await consumeSetupToken(trx, body.token, at))) throw new AppError("SETUP_TOKEN_INVALID");
          await insertUser(trx, { id: userId, email: normalizeEmail(body.email), passwordHash, at });
          await insertWorkspace(trx, workspaceId, { name: body.workspaceName, region: services.config.region, at });
          await services.keyring.createWorkspaceKey(trx, workspaceId);
          await insertOwnerMembership(trx, workspaceId, userId, at);
          const actor = { type: "user" as const, id: userId };
          await recordAudit(
            trx,
            { workspaceId, actor, action: "setup.completed", target: { type: "user", id: userId }, ip: meta.ip, userAgent: meta.userAgent },
            { now: () => at },
          );
          await recordAudit(
            trx,
            {
              workspaceId,
              actor,
              action: "workspace.created",
              target: { type: "workspace", id: workspaceId },
              ip: meta.ip,
              userAgent: meta.userAgent,
            },
            { now: () => at },
          );
          return createSession(trx, userId, at);
        });
        const access = await issueAccessToken(services, { userId, sessionId: session.sessionId }, at);
        reply.code(201);
        return {
          ...answerSignedIn(
            reply,
            {
              accessToken: access.token,
              accessTokenExpiresAt: access.expiresAt,
              refresh: session.refresh,
              csrfToken: await csrfTokenFor(services, session.sessionId),
            },
            at,
          ),
          userId,
          workspaceId,
        };
      },
    }),
  ];
}
