import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import {
  createQuickReply,
  deleteQuickReply,
  listQuickReplies,
  QUICK_REPLY_MAX_CHARS,
  SHORTCUT_PATTERN,
  updateQuickReply,
  type QuickReply,
} from "./service.ts";
import { safeString } from "../../http/safe-string.ts";

// Quick replies under /api/v1/workspaces/:workspaceId/quick-replies: everyone who may send lists
// them (messages.send); Owners and Admins manage them (quick_replies.manage).

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const itemParams = z.strictObject({ workspaceId: z.uuid(), quickReplyId: z.uuid() });

const shortcut = safeString(100)
  .trim()
  .toLowerCase()
  .regex(SHORTCUT_PATTERN, "1–32 lower-case letters, digits, - or _, starting with a letter or digit (typed after /)");
const text = safeString(QUICK_REPLY_MAX_CHARS)
  .min(1)
  .refine((value) => value.trim().length > 0, { message: "Write the reply's text." });

const quickReplyResponse = z.object({
  id: z.uuid(),
  shortcut: z.string(),
  text: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

function present(reply: QuickReply): z.input<typeof quickReplyResponse> {
  return { ...reply, createdAt: reply.createdAt.toISOString(), updatedAt: reply.updatedAt.toISOString() };
}

export const quickReplyRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/quick-replies",
    summary: "The workspace's quick replies (at most 200), by shortcut.",
    tags: ["quick-replies"],
    permission: "messages.send",
    caller: true,
    schema: { params: workspaceParams, response: { 200: z.object({ data: z.array(quickReplyResponse) }) } },
    handler: async ({ services, caller }) => {
      return { data: (await listQuickReplies(services, caller)).map(present) };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/quick-replies",
    summary: "Creates a quick reply (shortcut unique in the workspace; at most 200). Audited.",
    tags: ["quick-replies"],
    permission: "quick_replies.manage",
    caller: true,
    errors: ["CONFLICT", "UNPROCESSABLE"],
    schema: { params: workspaceParams, body: z.strictObject({ shortcut, text }), response: { 201: quickReplyResponse } },
    handler: async ({ services, caller, body, reply }) => {
      const created = await createQuickReply(services, caller, body);
      reply.code(201);
      return present(created);
    },
  }),
  defineRoute({
    method: "PATCH",
    url: "/api/v1/workspaces/:workspaceId/quick-replies/:quickReplyId",
    summary: "Changes a quick reply's shortcut or text. Audited.",
    tags: ["quick-replies"],
    permission: "quick_replies.manage",
    caller: true,
    errors: ["NOT_FOUND", "CONFLICT"],
    schema: {
      params: itemParams,
      body: z
        .strictObject({ shortcut: shortcut.optional(), text: text.optional() })
        .refine((value) => value.shortcut !== undefined || value.text !== undefined, { message: "Give a shortcut or a text to change." }),
      response: { 200: quickReplyResponse },
    },
    handler: async ({ services, caller, params, body }) => {
      return present(await updateQuickReply(services, caller, params.quickReplyId, body));
    },
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/v1/workspaces/:workspaceId/quick-replies/:quickReplyId",
    summary: "Deletes a quick reply. Audited.",
    tags: ["quick-replies"],
    permission: "quick_replies.manage",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: itemParams, response: { 204: z.undefined() } },
    handler: async ({ services, caller, params, reply }) => {
      await deleteQuickReply(services, caller, params.quickReplyId);
      reply.code(204);
      return undefined;
    },
  }),
];
