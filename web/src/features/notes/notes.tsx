import { useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { api, describeError, type Member, type Message } from "../../lib/api.ts";
import type { Note } from "../conversation/conversation-types.ts";
import { ErrorText, formatTime } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";

// Internal notes: the team's own remarks in a conversation, shown in the thread between the
// messages (marked as internal, never sent to the customer) and written from the "Internal note"
// tab of the reply area. Text is rendered as React text nodes only — never as HTML.

/** A conversation's latest notes (oldest first); live events invalidate them with the conversation. */
export function useNotes(workspaceId: string, conversationId: string) {
  const notes = useApiQuery(queryKeys.notes(workspaceId, conversationId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/notes", {
      path: { workspaceId, conversationId },
      query: { limit: 100 },
    }).then((page) => [...page.data].reverse()),
  );
  return { notes: notes.data ?? [], error: notes.error, reload: notes.reload };
}

export type TimelineItem = { kind: "message"; at: string; message: Message } | { kind: "note"; at: string; note: Note };

/** Messages and notes in one thread, by time (messages first at the same instant). */
export function timeline(messages: readonly Message[], notes: readonly Note[]): TimelineItem[] {
  const items: TimelineItem[] = [
    ...messages.map((message): TimelineItem => ({ kind: "message", at: message.occurredAt, message })),
    ...notes.map((note): TimelineItem => ({ kind: "note", at: note.createdAt, note })),
  ];
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.kind === b.kind ? 0 : a.kind === "message" ? -1 : 1));
}

export function NoteItem({ note, members }: { note: Note; members: readonly Member[] }) {
  const author =
    note.authorUserId === null ? "An API key" : (members.find((member) => member.userId === note.authorUserId)?.email ?? "A former member");
  return (
    <li className="note" data-note-id={note.id} aria-label={`Internal note by ${author}`}>
      <p className="note-label">
        <span className="note-badge">Internal note</span> <span className="muted">only your team sees this</span>
      </p>
      <p className="text">{note.text ?? "This note was erased with the contact."}</p>
      <p className="meta">
        <span>{author}</span>
        <time dateTime={note.createdAt}>{formatTime(note.createdAt)}</time>
      </p>
    </li>
  );
}

/** The "Internal note" tab: writes a note (Ctrl/Cmd+Enter or the button adds it). */
export function NoteComposer({ workspaceId, conversationId, onAdded }: { workspaceId: string; conversationId: string; onAdded(): void }) {
  const [text, setText] = useState("");
  const { busy, error, run } = useAction(describeError);

  const add = (event?: FormEvent) => {
    event?.preventDefault();
    if (text.trim() === "" || busy) return;
    void run(async () => {
      await api("POST", "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/notes", {
        path: { workspaceId, conversationId },
        body: { text },
      });
      setText("");
      onAdded();
    });
  };

  return (
    <form className="composer note-composer" onSubmit={add} aria-label="Add an internal note">
      <label className="visually-hidden" htmlFor="note-text">
        Internal note
      </label>
      <textarea
        id="note-text"
        value={text}
        maxLength={4096}
        placeholder="Write a note for your team — the customer never sees it. (Ctrl+Enter to add)"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            add();
          }
        }}
      />
      <ErrorText message={error} />
      <button type="submit" disabled={busy || text.trim() === ""}>
        {busy ? "Adding…" : "Add note"}
      </button>
    </form>
  );
}

type Tab = "reply" | "note";

/** The reply area: a "Reply" tab (to the customer) and an "Internal note" tab (to the team). Arrow keys move between tabs. */
export function ComposerTabs({ reply, note }: { reply: ReactNode; note: ReactNode }) {
  const [tab, setTab] = useState<Tab>("reply");
  const refs = { reply: useRef<HTMLButtonElement>(null), note: useRef<HTMLButtonElement>(null) };
  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight" && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const next: Tab = event.key === "Home" ? "reply" : event.key === "End" ? "note" : tab === "reply" ? "note" : "reply";
    setTab(next);
    refs[next].current?.focus();
  };
  const tabButton = (id: Tab, label: string) => (
    <button
      ref={refs[id]}
      type="button"
      role="tab"
      id={`composer-tab-${id}`}
      aria-selected={tab === id}
      aria-controls={`composer-panel-${id}`}
      tabIndex={tab === id ? 0 : -1}
      className={`composer-tab${tab === id ? " active" : ""}${id === "note" ? " note-tab" : ""}`}
      onClick={() => setTab(id)}
    >
      {label}
    </button>
  );
  return (
    <div className={`reply-area${tab === "note" ? " noting" : ""}`}>
      <div role="tablist" aria-label="Write" className="composer-tabs" onKeyDown={onKey}>
        {tabButton("reply", "Reply")}
        {tabButton("note", "Internal note")}
      </div>
      <div role="tabpanel" id={`composer-panel-${tab}`} aria-labelledby={`composer-tab-${tab}`}>
        {tab === "reply" ? reply : note}
      </div>
    </div>
  );
}
