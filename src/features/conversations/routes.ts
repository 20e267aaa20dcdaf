import { z } from "zod";
import { defineRoute, type RouteDefinition } from "../../http/define-route.ts";
import { messageContentSchema } from "./content.ts";
import type { InboxConversation } from "./repository.ts";
import type { InboxMessage } from "../messages/repository.ts";
import {
  assignConversationFor,
  getConversationFor,
  listConversationsFor,
  listMessagesFor,
  NAME_SCAN_CAP,
  setConversationStatusFor,
} from "./service.ts";
import { safeString } from "../../http/safe-string.ts";

// The inbox API under /api/v1/workspaces/:workspaceId. Reading needs conversations.read_assigned
// (Agents: their own conversations, through this API and through RLS); the `all` and `unassigned`
// views need conversations.read_all; assignment needs conversations.assign. Analysts reach none of it.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const conversationParams = z.strictObject({ workspaceId: z.uuid(), conversationId: z.uuid() });
const limit = z.coerce.number().int().min(1).max(100).default(50);
// A thread reads in pages of up to 500 messages: one request opens a long conversation.
const messageLimit = z.coerce.number().int().min(1).max(500).default(50);
const cursor = safeString(200).min(1);

const messagePreview = z.object({
  id: z.uuid(),
  direction: z.enum(["in", "out"]),
  type: z.string(),
  text: z.string().nullable(),
  status: z.string(),
  occurredAt: z.iso.datetime(),
});

const conversationResponse = z.object({
  id: z.uuid(),
  contact: z.object({ id: z.uuid(), name: z.string().nullable(), phone: z.string().nullable() }),
  numberId: z.uuid(),
  status: z.enum(["open", "closed"]),
  assignedUserId: z.uuid().nullable(),
  window: z.object({ open: z.boolean(), expiresAt: z.iso.datetime().nullable() }),
  lastActivityAt: z.iso.datetime(),
  lastMessage: messagePreview.nullable(),
  createdAt: z.iso.datetime(),
});

const messageResponse = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  direction: z.enum(["in", "out"]),
  type: z.string(),
  text: z.string().nullable(),
  content: messageContentSchema,
  media: z
    .object({
      mimeType: z.string().nullable(),
      available: z.boolean(),
      status: z.enum(["pending", "stored", "refused", "failed"]).nullable(),
      error: z.string().nullable(),
      sizeBytes: z.number().int().nullable(),
      filename: z.string().nullable(),
    })
    .nullable(),
  status: z.string(),
  errorCode: z.number().int().nullable(),
  sentByUserId: z.uuid().nullable(),
  occurredAt: z.iso.datetime(),
});

function presentConversation(view: InboxConversation, now = new Date()): z.input<typeof conversationResponse> {
  return {
    id: view.id,
    contact: { id: view.contactId, name: view.contactName, phone: view.contactPhone },
    numberId: view.numberId,
    status: view.status,
    assignedUserId: view.assignedUserId,
    window: {
      open: view.windowExpiresAt !== null && view.windowExpiresAt.getTime() > now.getTime(),
      expiresAt: view.windowExpiresAt?.toISOString() ?? null,
    },
    lastActivityAt: view.lastActivityAt.toISOString(),
    lastMessage: view.lastMessage ? { ...view.lastMessage, occurredAt: view.lastMessage.occurredAt.toISOString() } : null,
    createdAt: view.createdAt.toISOString(),
  };
}

function presentMessage(message: InboxMessage): z.input<typeof messageResponse> {
  return { ...message, occurredAt: message.occurredAt.toISOString() };
}

export type ListRouteOptions = {
  /** How many conversations one name search decrypts at most (tests lower it to see the cap work). */
  nameScanCap?: number;
};

/** GET …/conversations, the inbox list. A function so tests can lower the name scan cap. */
export function createListConversationsRoute(options: ListRouteOptions = {}): RouteDefinition {
  const nameScanCap = options.nameScanCap ?? NAME_SCAN_CAP;
  return defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/conversations",
    summary:
      "Lists conversations, newest activity first: mine, unassigned or all (as permissions allow), filtered by number, status, contact tag, exact phone (blind index) or part of the contact's name (a bounded scan of encrypted names: see `name`).",
    tags: ["conversations"],
    permission: "conversations.read_assigned",
    caller: true,
    errors: ["FORBIDDEN", "VALIDATION_FAILED"],
    schema: {
      params: workspaceParams,
      query: z.strictObject({
        view: z.enum(["mine", "unassigned", "all"]).optional(),
        status: z.enum(["open", "closed"]).optional(),
        numberId: z.uuid().optional(),
        phone: safeString(40)
          .min(3)
          .optional()
          .describe("An exact phone number in international format; matched through the contacts' blind index, never by reading numbers."),
        tag: safeString(64).min(1).optional().describe("Only contacts carrying this tag (compared in lower case)."),
        name: safeString(100)
          .min(1)
          .optional()
          .describe(
            `Part of the contact's name or WhatsApp profile name, ignoring case and accents. Names are encrypted per contact, so there is no index to search: the server decrypts the names of the conversations matching the other filters, newest first, until the page is full or it has looked at ${nameScanCap.toLocaleString("en-US")} conversations. Then it answers what it found, \`nameScan.capped\` = true and a \`nextCursor\` that continues the scan where it stopped. Narrow with the other filters (or search by exact phone) to reach older conversations sooner.`,
          ),
        cursor: cursor.optional(),
        limit,
      }),
      response: {
        200: z.object({
          data: z.array(conversationResponse),
          nextCursor: z.string().nullable(),
          nameScan: z
            .object({ scanned: z.number().int(), capped: z.boolean() })
            .nullable()
            .describe(
              "For a name search: how many conversations were looked at, and whether the scan cap stopped the search before the page was full (null without `name`).",
            ),
        }),
      },
    },
    handler: async ({ services, caller, query }) => {
      const page = await listConversationsFor(services, caller, query, { nameScanCap });
      const now = new Date();
      return { data: page.data.map((view) => presentConversation(view, now)), nextCursor: page.nextCursor, nameScan: page.nameScan };
    },
  });
}

export const conversationRoutes = [
  createListConversationsRoute(),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/conversations/:conversationId",
    summary: "One conversation (not found when it is not visible to the caller).",
    tags: ["conversations"],
    permission: "conversations.read_assigned",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: conversationParams, response: { 200: conversationResponse } },
    handler: async ({ services, caller, params }) => {
      return presentConversation(await getConversationFor(services, caller, params.conversationId));
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/conversations/:conversationId/messages",
    summary: "A conversation's messages, newest first, decrypted, up to 500 per page; `nextCursor` pages to older ones.",
    tags: ["conversations"],
    permission: "conversations.read_assigned",
    caller: true,
    errors: ["NOT_FOUND", "VALIDATION_FAILED"],
    schema: {
      params: conversationParams,
      query: z.strictObject({ cursor: cursor.optional(), limit: messageLimit }),
      response: { 200: z.object({ data: z.array(messageResponse), nextCursor: z.string().nullable() }) },
    },
    handler: async ({ services, caller, params, query }) => {
      const page = await listMessagesFor(services, caller, params.conversationId, query);
      return { data: page.data.map(presentMessage), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/conversations/:conversationId/assign",
    summary: "Assigns the conversation to a member (null unassigns). Audited.",
    tags: ["conversations"],
    permission: "conversations.assign",
    caller: true,
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: conversationParams, body: z.strictObject({ userId: z.uuid().nullable() }), response: { 200: conversationResponse } },
    handler: async ({ services, caller, params, body }) => {
      return presentConversation(await assignConversationFor(services, caller, params.conversationId, body.userId));
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/conversations/:conversationId/close",
    summary: "Closes the conversation. Audited.",
    tags: ["conversations"],
    permission: "conversations.read_assigned",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: conversationParams, response: { 200: conversationResponse } },
    handler: async ({ services, caller, params }) => {
      return presentConversation(await setConversationStatusFor(services, caller, params.conversationId, "closed"));
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/conversations/:conversationId/reopen",
    summary: "Reopens a closed conversation (refused while the contact has another open one on that number). Audited.",
    tags: ["conversations"],
    permission: "conversations.read_assigned",
    caller: true,
    errors: ["NOT_FOUND", "CONFLICT"],
    schema: { params: conversationParams, response: { 200: conversationResponse } },
    handler: async ({ services, caller, params }) => {
      return presentConversation(await setConversationStatusFor(services, caller, params.conversationId, "open"));
    },
  }),
];
