import { noteRealtimeEvent, withRealtime } from "../../realtime/events.ts";
import type { Services } from "../../services.ts";
import { decodeCursor, encodeCursor, withVisibleConversation, type Page } from "../conversations/service.ts";
import { recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { insertNote, listNotes, type Note } from "./repository.ts";

// Internal notes: the team's own remarks in a conversation, never sent to the customer. Who may
// read and write them is exactly who may read the conversation (withVisibleConversation: Agents
// only their assigned ones). Adding one is audited (ids only) and announced to the other viewers
// by a realtime event carrying ids only; the text stays behind the API.

export async function listNotesFor(
  services: Services,
  caller: Caller,
  conversationId: string,
  query: { cursor?: string; limit: number },
): Promise<Page<Note>> {
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  return withVisibleConversation(services, caller, conversationId, async (trx) => {
    const rows = await listNotes(trx, services.keyring, caller.workspaceId, conversationId, {
      ...(before ? { before } : {}),
      limit: query.limit + 1,
    });
    const data = rows.slice(0, query.limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
  });
}

export async function addNoteFor(services: Services, caller: Caller, conversationId: string, text: string): Promise<Note> {
  return withRealtime(services, caller.workspaceId, () =>
    withVisibleConversation(services, caller, conversationId, async (trx, conversation) => {
      const note = await insertNote(trx, services.keyring, {
        workspaceId: caller.workspaceId,
        conversationId,
        contactId: conversation.contactId,
        dataKeyId: conversation.contactDataKeyId,
        authorUserId: caller.audit.type === "user" ? caller.userId : null,
        text,
      });
      await recordCallerAudit(trx, caller, {
        action: "note.created",
        target: { type: "conversation", id: conversationId },
        metadata: { noteId: note.id },
      });
      noteRealtimeEvent({ type: "note.created", data: { conversationId, noteId: note.id } });
      return note;
    }),
  );
}
