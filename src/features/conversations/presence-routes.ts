import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { listPresence, PRESENCE_STATES, reportPresence, type PresenceEntry } from "./presence.ts";

// Presence in a conversation (collision detection in the team inbox): who else is viewing it or
// typing a reply. Identifiers and states only; the dashboard names members from the member list.

const conversationParams = z.strictObject({ workspaceId: z.uuid(), conversationId: z.uuid() });

const presenceResponse = z.object({
  data: z.array(z.object({ userId: z.uuid(), state: z.enum(["viewing", "typing"]), expiresAt: z.iso.datetime() })),
});

function present(entries: PresenceEntry[]): z.input<typeof presenceResponse> {
  return { data: entries.map((entry) => ({ userId: entry.userId, state: entry.state, expiresAt: entry.expiresAt.toISOString() })) };
}

export const presenceRoutes = [
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/conversations/:conversationId/presence",
    summary:
      "Reports the caller's presence in a conversation they may read and answers who else is there. `viewing` is a heartbeat (lapses after 30 s), `typing` lasts 6 s unless renewed, `idle` ends typing, `left` ends presence. Others get a `presence` event (ids and state only), at most one per member every 3 s.",
    tags: ["conversations"],
    permission: "conversations.read_assigned",
    caller: true,
    // The dashboard posts a heartbeat every 15 s and typing at most every 3 s; this bounds a client that does not.
    rateLimit: { limit: 120, windowMs: 60_000, key: "user" },
    errors: ["NOT_FOUND", "RATE_LIMITED", "COORDINATION_UNAVAILABLE"],
    schema: { params: conversationParams, body: z.strictObject({ state: z.enum(PRESENCE_STATES) }), response: { 200: presenceResponse } },
    handler: async ({ services, caller, params, body }) => {
      return present(await reportPresence(services, caller, params.conversationId, body.state));
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/conversations/:conversationId/presence",
    summary: "Who else is viewing the conversation or typing in it now (ids and states only).",
    tags: ["conversations"],
    permission: "conversations.read_assigned",
    caller: true,
    rateLimit: { limit: 120, windowMs: 60_000, key: "user" },
    errors: ["NOT_FOUND", "RATE_LIMITED", "COORDINATION_UNAVAILABLE"],
    schema: { params: conversationParams, response: { 200: presenceResponse } },
    handler: async ({ services, caller, params }) => {
      return present(await listPresence(services, caller, params.conversationId));
    },
  }),
];
