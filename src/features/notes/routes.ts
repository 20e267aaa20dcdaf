import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import type { Note } from "./repository.ts";
import { addNoteFor, listNotesFor } from "./service.ts";
import { safeString } from "../../http/safe-string.ts";

// Internal notes under /api/v1/workspaces/:workspaceId/conversations/:conversationId/notes. The
// same permission as reading the conversation; Agents reach only their assigned conversations'
// notes (service and RLS); Analysts none.

const params = z.strictObject({ workspaceId: z.uuid(), conversationId: z.uuid() });

/** The text as written; the same bound as a WhatsApp text message. */
export const NOTE_MAX_CHARS = 4096;

const noteResponse = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  /** Null when the contact was erased (the note was shredded with them). */
  text: z.string().nullable(),
  authorUserId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});

function present(note: Note): z.input<typeof noteResponse> {
  return { ...note, createdAt: note.createdAt.toISOString() };
}

export const noteRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/conversations/:conversationId/notes",
    summary: "A conversation's internal notes, newest first, decrypted; `nextCursor` pages to older ones.",
    tags: ["conversations"],
    permission: "conversations.read_assigned",
    caller: true,
    errors: ["NOT_FOUND", "VALIDATION_FAILED"],
    schema: {
      params,
      query: z.strictObject({ cursor: safeString(200).min(1).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ data: z.array(noteResponse), nextCursor: z.string().nullable() }) },
    },
    handler: async ({ services, caller, params, query }) => {
      const page = await listNotesFor(services, caller, params.conversationId, query);
      return { data: page.data.map(present), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/conversations/:conversationId/notes",
    summary: "Adds an internal note (seen by the team only, never sent to the customer). Encrypted under the contact's key; audited.",
    tags: ["conversations"],
    permission: "conversations.read_assigned",
    caller: true,
    rateLimit: { limit: 120, windowMs: 60_000, key: "user" },
    errors: ["NOT_FOUND"],
    schema: {
      params,
      body: z.strictObject({ text: safeString(NOTE_MAX_CHARS).trim().min(1, "Write something first.") }),
      response: { 201: noteResponse },
    },
    handler: async ({ services, caller, params, body, reply }) => {
      const note = await addNoteFor(services, caller, params.conversationId, body.text);
      reply.code(201);
      return present(note);
    },
  }),
];
