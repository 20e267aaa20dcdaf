import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { createLocalBlobStore } from "../../src/blob/local.ts";
import type { MemberRole } from "../../src/db/with-workspace.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { conversationRoutes } from "../../src/features/conversations/routes.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { AuthContext, Authenticator } from "../../src/identity/auth-context.ts";
import { rolePermissions } from "../../src/identity/permissions.ts";
import { mediaRoutes } from "../../src/features/messages/media/routes.ts";
import { mediaUploadRoutes } from "../../src/features/messages/media/upload-routes.ts";
import { sendRoutes } from "../../src/features/messages/routes.ts";
import { templateRoutes } from "../../src/features/templates/routes.ts";
import { createUser } from "../support/identity.ts";
import { startSendHarness, type SendHarness } from "./send-support.ts";
import { createWorkspace } from "./support.ts";

// The send harness (Parley + the real simulator over HTTP + inbound and send workers) with the
// conversation view's API on top: templates, uploads, the send API, conversations and media URLs,
// called as real members of each role (accounts exist, so author and uploader ids are real), and a
// member of a second workspace. Uploads go to a real local blob store in a temporary directory.

export type ViewCaller = "owner" | "agent-a" | "agent-b" | "analyst" | "outsider";

export type ViewHarness = SendHarness & {
  viewApp: FastifyInstance;
  blobRoot: string;
  users: Record<ViewCaller, { userId: string; workspaceId: string; role: MemberRole }>;
  otherWorkspaceId: string;
  request(
    caller: ViewCaller | null,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    options?: { body?: unknown; raw?: { bytes: Buffer; contentType: string }; headers?: Record<string, string> },
  ): Promise<{ status: number; json: Record<string, unknown> }>;
};

export async function startViewHarness(): Promise<ViewHarness> {
  const h = await startSendHarness();
  const blobRoot = await mkdtemp(join(tmpdir(), "parley-view-"));
  h.services.blobs = createLocalBlobStore(join(blobRoot, "blobs"));
  const otherWorkspaceId = await createWorkspace(h.services);
  const member = async (role: MemberRole, workspaceId = h.workspaceId) => ({
    userId: (await createUser(h.services, { workspaceId, role, mfa: false })).userId,
    workspaceId,
    role,
  });
  const users: ViewHarness["users"] = {
    owner: await member("owner"),
    "agent-a": await member("agent"),
    "agent-b": await member("agent"),
    analyst: await member("analyst"),
    outsider: await member("owner", otherWorkspaceId),
  };
  const contexts = new Map<string, AuthContext>(
    Object.entries(users).map(([name, user]) => [
      name,
      {
        kind: "session",
        userId: user.userId,
        workspaceId: user.workspaceId,
        role: user.role,
        permissions: new Set(rolePermissions[user.role]),
      },
    ]),
  );
  const authenticate: Authenticator = async (request) => {
    const name = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    // A member of another workspace aimed at this one keeps their own workspace: handlers refuse them.
    return (name ? contexts.get(name) : undefined) ?? null;
  };
  const viewApp = await createHttpApp({
    services: h.services,
    routes: [...templateRoutes, ...mediaUploadRoutes, ...sendRoutes, ...conversationRoutes, ...mediaRoutes],
    authenticate,
  });

  const harness: ViewHarness = Object.assign(h, {
    viewApp,
    blobRoot,
    users,
    otherWorkspaceId,
    async request(
      caller: ViewCaller | null,
      method: "GET" | "POST" | "PATCH" | "DELETE",
      path: string,
      options: { body?: unknown; raw?: { bytes: Buffer; contentType: string }; headers?: Record<string, string> } = {},
    ) {
      const headers: Record<string, string> = { ...(caller ? { authorization: `Bearer ${caller}` } : {}), ...options.headers };
      let payload: string | Buffer | undefined;
      if (options.raw) {
        headers["content-type"] = options.raw.contentType;
        payload = options.raw.bytes;
      } else if (options.body !== undefined) {
        headers["content-type"] = "application/json";
        payload = JSON.stringify(options.body);
      }
      const response = await viewApp.inject({ method, url: path, headers, ...(payload !== undefined ? { payload } : {}) });
      return { status: response.statusCode, json: response.body ? response.json<Record<string, unknown>>() : {} };
    },
  });
  const close = h.close;
  harness.close = async () => {
    await viewApp.close();
    await close();
    await rm(blobRoot, { recursive: true, force: true });
  };
  return harness;
}

/** Assigns a conversation (as the workspace, no caller): Agents see only their assigned ones. */
export async function assignTo(h: ViewHarness, conversationId: string, userId: string | null): Promise<void> {
  await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx.updateTable("conversations").set({ assigned_user_id: userId }).where("id", "=", conversationId).execute(),
  );
}
