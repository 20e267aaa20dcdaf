import { z } from "zod";
import { defineRoute, type RouteDefinition } from "../../http/define-route.ts";
import { invalidateMembership, invalidateWorkspacePolicy, publishInvalidation } from "../../identity/cache.ts";
import { enforceRegistrationLimit } from "../../identity/throttle.ts";
import { roles } from "../../identity/permissions.ts";
import { apiKeyRoutes } from "../api-keys/routes.ts";
import { asCaller } from "../../identity/caller.ts";
import { acceptInvitation, createInvitation, listInvitations, revokeInvitation } from "./invitations.ts";
import { changeMemberRole, listMembers, removeMember } from "./members.ts";
import { readWorkspaceSecurityPolicy, updateWorkspaceSecurityPolicy } from "../../identity/security-policy.ts";
import { createWorkspace, getWorkspace, renameWorkspace, type Workspace } from "./workspaces.ts";
import { safeString } from "../../http/safe-string.ts";

// Workspaces, members, invitations and the security policy. Every workspace route lives under
// /api/v1/workspaces/:workspaceId, where the authenticator resolves the caller's membership and
// role from the database; handlers then work in a transaction scoped to that workspace by RLS.

const HOUR_MS = 60 * 60 * 1000;

export const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const memberParams = z.strictObject({ workspaceId: z.uuid(), userId: z.uuid() });
const invitationParams = z.strictObject({ workspaceId: z.uuid(), invitationId: z.uuid() });

const workspaceName = safeString(100).trim().min(1);
const role = z.enum(roles);

const workspaceBody = z.object({ id: z.uuid(), name: z.string(), region: z.string(), createdAt: z.iso.datetime() });
const memberBody = z.object({ userId: z.uuid(), email: z.string(), role, joinedAt: z.iso.datetime() });
const invitationBody = z.object({
  id: z.uuid(),
  email: z.string(),
  role,
  invitedBy: z.uuid(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  status: z.enum(["pending", "accepted", "revoked", "expired"]),
});
const securityPolicyBody = z.object({ requireMfaForAll: z.boolean(), updatedAt: z.iso.datetime().nullable() });

const toWorkspaceBody = (workspace: Workspace) => ({ ...workspace, createdAt: workspace.createdAt.toISOString() });

function userAgentOf(headers: Record<string, string | string[] | undefined>): string | null {
  const value = headers["user-agent"];
  return typeof value === "string" ? value : null;
}

export const workspaceRoutes: RouteDefinition[] = [
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces",
    summary: "Creates a workspace; the caller becomes its Owner.",
    tags: ["workspaces"],
    permission: "self",
    rateLimit: { limit: 10, windowMs: HOUR_MS, key: "user" },
    schema: { body: z.strictObject({ name: workspaceName }), response: { 201: workspaceBody } },
    handler: async ({ services, session, body, ip, request, reply }) => {
      const workspace = await createWorkspace(services, {
        userId: session!.userId,
        name: body.name,
        ip,
        userAgent: userAgentOf(request.headers),
      });
      reply.code(201);
      return toWorkspaceBody(workspace);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId",
    summary: "Reads the workspace.",
    tags: ["workspaces"],
    permission: "workspace.read",
    caller: true,
    schema: { params: workspaceParams, response: { 200: workspaceBody } },
    handler: async ({ services, caller }) => {
      return toWorkspaceBody(await asCaller(services, caller, (trx) => getWorkspace(trx, caller.workspaceId)));
    },
  }),
  defineRoute({
    method: "PATCH",
    url: "/api/v1/workspaces/:workspaceId",
    summary: "Renames the workspace.",
    tags: ["workspaces"],
    permission: "workspace.manage",
    caller: true,
    schema: { params: workspaceParams, body: z.strictObject({ name: workspaceName }), response: { 200: workspaceBody } },
    handler: async ({ services, caller, body }) => {
      return toWorkspaceBody(await asCaller(services, caller, (trx) => renameWorkspace(trx, caller, body.name)));
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/members",
    summary: "Lists the workspace's members and their roles.",
    tags: ["members"],
    permission: "members.read",
    caller: true,
    schema: { params: workspaceParams, response: { 200: z.object({ members: z.array(memberBody) }) } },
    handler: async ({ services, caller }) => {
      const members = await asCaller(services, caller, (trx) => listMembers(trx, caller.workspaceId));
      return { members: members.map((member) => ({ ...member, joinedAt: member.joinedAt.toISOString() })) };
    },
  }),
  defineRoute({
    method: "PATCH",
    url: "/api/v1/workspaces/:workspaceId/members/:userId",
    summary: "Changes a member's role (never above the caller's own; the last Owner stays). Binds on the member's next request.",
    tags: ["members"],
    permission: "members.manage",
    caller: true,
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: memberParams, body: z.strictObject({ role }), response: { 200: z.object({ userId: z.uuid(), role }) } },
    handler: async ({ services, caller, params, body }) => {
      const change = await asCaller(services, caller, (trx) => changeMemberRole(trx, caller, params.userId, body.role));
      await invalidateMembership(services, caller.workspaceId, params.userId);
      return { userId: change.userId, role: change.to };
    },
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/v1/workspaces/:workspaceId/members/:userId",
    summary: "Removes a member (never one above the caller; the last Owner stays) and revokes their API keys here.",
    tags: ["members"],
    permission: "members.manage",
    caller: true,
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: memberParams, response: { 204: z.undefined() } },
    handler: async ({ services, caller, params, reply }) => {
      await asCaller(services, caller, (trx) => removeMember(trx, caller, params.userId));
      await invalidateMembership(services, caller.workspaceId, params.userId);
      await publishInvalidation(services, { type: "user", userId: params.userId });
      reply.code(204);
      return undefined;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/invitations",
    summary: "Invites someone by link (single use, 7 days). The link is in this response only.",
    tags: ["invitations"],
    permission: "invitations.manage",
    caller: true,
    rateLimit: { limit: 50, windowMs: HOUR_MS, key: "workspace" },
    errors: ["CONFLICT"],
    schema: {
      params: workspaceParams,
      body: z.strictObject({ email: z.email().max(254), role }),
      response: { 201: invitationBody.extend({ link: z.url() }) },
    },
    handler: async ({ services, caller, body, reply }) => {
      const issued = await asCaller(services, caller, (trx) =>
        createInvitation(trx, caller, { email: body.email, role: body.role, publicUrl: services.config.http.publicUrl }),
      );
      reply.code(201);
      return { ...issued, createdAt: issued.createdAt.toISOString(), expiresAt: issued.expiresAt.toISOString() };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/invitations",
    summary: "Lists invitations with their status (never their links).",
    tags: ["invitations"],
    permission: "invitations.manage",
    caller: true,
    schema: { params: workspaceParams, response: { 200: z.object({ invitations: z.array(invitationBody) }) } },
    handler: async ({ services, caller }) => {
      const invitations = await asCaller(services, caller, (trx) => listInvitations(trx, caller.workspaceId));
      return {
        invitations: invitations.map((item) => ({
          ...item,
          createdAt: item.createdAt.toISOString(),
          expiresAt: item.expiresAt.toISOString(),
        })),
      };
    },
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/v1/workspaces/:workspaceId/invitations/:invitationId",
    summary: "Revokes a pending invitation.",
    tags: ["invitations"],
    permission: "invitations.manage",
    caller: true,
    errors: ["NOT_FOUND", "CONFLICT"],
    schema: { params: invitationParams, response: { 204: z.undefined() } },
    handler: async ({ services, caller, params, reply }) => {
      await asCaller(services, caller, (trx) => revokeInvitation(trx, caller, params.invitationId));
      reply.code(204);
      return undefined;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/invitations/accept",
    summary:
      "Accepts an invitation: an existing account confirms its password, a new one chooses it. Answers the account's e-mail to sign in with.",
    tags: ["invitations"],
    public: "the invitee may have no account yet; the single-use, expiring invitation token is the credential",
    errors: ["RATE_LIMITED", "NOT_FOUND", "INVALID_CREDENTIALS", "PASSWORD_REJECTED", "CONFLICT"],
    schema: {
      body: z.strictObject({ token: safeString(200).min(1), password: safeString(1024).min(1) }),
      response: { 200: z.object({ workspaceId: z.uuid(), email: z.string(), role, newAccount: z.boolean() }) },
    },
    handler: async ({ services, body, ip, request }) => {
      // One budget with registrations: 3 per hour per address, shared across instances.
      await enforceRegistrationLimit(services, ip);
      const accepted = await acceptInvitation(services.db, {
        token: body.token,
        password: body.password,
        ip,
        userAgent: userAgentOf(request.headers),
      });
      return { workspaceId: accepted.workspaceId, email: accepted.email, role: accepted.role, newAccount: accepted.newAccount };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/settings/security",
    summary: "Reads the workspace's security policy.",
    tags: ["settings"],
    permission: "settings.manage",
    caller: true,
    schema: { params: workspaceParams, response: { 200: securityPolicyBody } },
    handler: async ({ services, caller }) => {
      const policy = await asCaller(services, caller, (trx) => readWorkspaceSecurityPolicy(trx, caller.workspaceId));
      return { requireMfaForAll: policy.requireMfaForAll, updatedAt: policy.updatedAt?.toISOString() ?? null };
    },
  }),
  defineRoute({
    method: "PATCH",
    url: "/api/v1/workspaces/:workspaceId/settings/security",
    summary: "Changes the workspace's security policy (e.g. MFA for every member); audited.",
    tags: ["settings"],
    permission: "settings.manage",
    caller: true,
    schema: { params: workspaceParams, body: z.strictObject({ requireMfaForAll: z.boolean() }), response: { 200: securityPolicyBody } },
    handler: async ({ services, caller, body }) => {
      const policy = await asCaller(services, caller, (trx) => updateWorkspaceSecurityPolicy(trx, caller, body));
      await invalidateWorkspacePolicy(services, caller.workspaceId);
      return { requireMfaForAll: policy.requireMfaForAll, updatedAt: policy.updatedAt?.toISOString() ?? null };
    },
  }),
];

/** Every route of the access capability (registered in src/http/routes.ts). */
export const accessRoutes: RouteDefinition[] = [...workspaceRoutes, ...apiKeyRoutes];
