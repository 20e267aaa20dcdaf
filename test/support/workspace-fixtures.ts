import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { MemberRole } from "../../src/db/with-workspace.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { assignConversation, upsertOpenConversation } from "../../src/features/conversations/repository.ts";
import { insertInboundMessage } from "../../src/features/messages/repository.ts";
import { upsertWhatsAppContact, type ContactRef } from "../../src/features/contacts/whatsapp-repository.ts";
import { insertNumber } from "../../src/features/numbers/repository.ts";
import { withoutRealtime } from "../../src/realtime/events.ts";
import type { RouteDefinition } from "../../src/http/define-route.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "./engine.ts";
import { addMember, bearer, createIdentityApp, createWorkspaceWithOwner, login, type TestUser } from "./identity.ts";
import { captureLogs, createTestServices, type LogCapture } from "./services.ts";

// Fixtures of the route tests: a workspace with a member of each role the test names and another
// workspace whose Owner must never see it, all signed in; a connected number; customers'
// conversations with their messages; and calling routes with a member's bearer token.

export type Json = Record<string, unknown>;
export type ApiAnswer = { status: number; json: Json; text: string; headers: Record<string, string | string[] | number | undefined> };
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Calls a route through `app.inject` as `user` (null: anonymous) with their bearer token; a body is
 * sent as JSON. `options.headers` are added to the request; `options.app` calls another app on the
 * same services (its tokens are valid there too).
 */
export type CallApi = (
  user: TestUser | null,
  method: HttpMethod,
  url: string,
  body?: unknown,
  options?: { headers?: Record<string, string>; app?: FastifyInstance },
) => Promise<ApiAnswer>;

export type ApiWorld<Members extends Record<string, MemberRole>> = {
  db: TestDatabase;
  services: Services;
  logs: LogCapture;
  app: FastifyInstance;
  workspaceId: string;
  owner: TestUser;
  /** The members the test asked for, by the names it gave them. */
  members: { [Name in keyof Members]: TestUser };
  /** Another workspace and its Owner, signed in too. */
  outsiderWorkspaceId: string;
  outsider: TestUser;
  call: CallApi;
  /** Signs in one more user (say a member added by the test) for `call`. */
  signIn(user: TestUser): Promise<void>;
  close(): Promise<void>;
};

/**
 * A fresh database and services, an app with the identity routes and `routes`, a workspace with its
 * Owner and `members` (created in the order given), another workspace with its Owner, and every one
 * of them signed in for `call`.
 */
export async function createApiWorld<Members extends Record<string, MemberRole>>(options: {
  routes: RouteDefinition[];
  members: Members;
  workspaceName?: string;
  outsiderWorkspaceName?: string;
  /** Extra environment for the services' config (e.g. PARLEY_WEBHOOKS_ALLOW_PRIVATE). */
  env?: Record<string, string>;
}): Promise<ApiWorld<Members>> {
  const db = await createTestDatabase();
  const logs = captureLogs();
  const services = createTestServices({ db, logs, ...(options.env ? { env: options.env } : {}) });
  const app = await createIdentityApp(services, { routes: options.routes });
  const { workspaceId, owner } = await createWorkspaceWithOwner(services, { name: options.workspaceName });
  const members = {} as { [Name in keyof Members]: TestUser };
  for (const [name, role] of Object.entries(options.members) as Array<[keyof Members, MemberRole]>)
    members[name] = await addMember(services, workspaceId, role);
  const outsider = await createWorkspaceWithOwner(services, { name: options.outsiderWorkspaceName });
  const { call, signIn } = await signedInCaller(app, [owner, ...Object.values<TestUser>(members), outsider.owner]);
  return {
    db,
    services,
    logs,
    app,
    workspaceId,
    owner,
    members,
    outsiderWorkspaceId: outsider.workspaceId,
    outsider: outsider.owner,
    call,
    signIn,
    close: async () => {
      await app.close();
      await services.coordination.close();
      await db.drop();
    },
  };
}

/** Signs `users` in through the login route of `app`: a caller that sends their bearer tokens, and a way to sign in more. */
export async function signedInCaller(
  app: FastifyInstance,
  users: TestUser[],
): Promise<{ call: CallApi; signIn(user: TestUser): Promise<void> }> {
  const headers = new Map<TestUser, Record<string, string>>();
  const signIn = async (user: TestUser) => void headers.set(user, bearer(await login(app, user)));
  for (const user of users) await signIn(user);
  const call: CallApi = async (user, method, url, body, options = {}) => {
    if (user && !headers.has(user)) throw new Error(`${user.email} is not signed in for this caller`);
    const response = await (options.app ?? app).inject({
      method,
      url,
      headers: {
        ...(user ? headers.get(user) : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...options.headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    let json: Json = {};
    try {
      json = response.body ? (JSON.parse(response.body) as Json) : {};
    } catch {
      // Not JSON (a CSV download): the text is in `text`.
    }
    return { status: response.statusCode, json, text: response.body, headers: response.headers };
  };
  return { call, signIn };
}

export const errorCode = (json: Json) => (json.error as { code?: string } | undefined)?.code;

/** A connected sandbox number with test credentials in the workspace; returns its id. */
export async function seedNumber(
  services: Pick<Services, "db" | "keyring">,
  workspaceId: string,
  options: { phoneNumberId?: string } = {},
): Promise<string> {
  const id = randomUUID();
  await withWorkspace(services.db, { workspaceId }, (trx) =>
    insertNumber(trx, services.keyring, {
      workspaceId,
      id,
      mode: "sandbox",
      wabaId: "1",
      phoneNumberId: options.phoneNumberId ?? "100",
      appId: null,
      displayPhoneNumber: null,
      accessToken: "token-for-tests",
      accessTokenExpiresAt: null,
      appSecret: "secret-for-tests",
      verifyToken: "verify-for-tests",
      tier: 80,
      webhookKey: randomUUID().replaceAll("-", ""),
    }),
  );
  return id;
}

export type SeededConversation = { conversationId: string; contactId: string; contact: ContactRef; messageIds: string[] };

/**
 * A customer (`waId`, with a WhatsApp profile name) who wrote on `numberId` at `at`: the contact,
 * the open conversation (assigned when `assignee` is given) and `texts` as inbound text messages
 * one millisecond apart. `phoneNumberId` is the number's (default "100", as seedNumber's).
 */
export async function seedConversation(
  services: Pick<Services, "db" | "keyring">,
  input: {
    workspaceId: string;
    numberId: string;
    waId: string;
    profileName?: string | null;
    assignee?: string | null;
    at?: Date;
    texts?: string[];
    phoneNumberId?: string;
  },
): Promise<SeededConversation> {
  const { workspaceId, numberId, waId } = input;
  const at = input.at ?? new Date();
  return withoutRealtime(() =>
    withWorkspace(services.db, { workspaceId }, async (trx) => {
      const contact = await upsertWhatsAppContact(trx, services.keyring, {
        workspaceId,
        waId,
        profileName: input.profileName ?? null,
        userId: null,
        at,
      });
      const conversationId = await upsertOpenConversation(trx, { workspaceId, contactId: contact.id, numberId, inboundAt: at });
      if (input.assignee) await assignConversation(trx, workspaceId, conversationId, input.assignee);
      const messageIds: string[] = [];
      for (const [index, body] of (input.texts ?? []).entries()) {
        const messageId = await insertInboundMessage(trx, services.keyring, {
          workspaceId,
          conversationId,
          contact,
          numberId,
          phoneNumberId: input.phoneNumberId ?? "100",
          wamid: `wamid.test.${randomUUID()}`,
          type: "text",
          content: { body },
          occurredAt: new Date(at.getTime() + index),
          contextWamid: null,
          reactionToWamid: null,
          media: null,
        });
        if (!messageId) throw new Error("the seeded message was not stored");
        messageIds.push(messageId);
      }
      return { conversationId, contactId: contact.id, contact, messageIds };
    }),
  );
}
