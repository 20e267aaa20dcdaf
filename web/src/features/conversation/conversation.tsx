import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError, describeError, type Conversation, type Member, type Role } from "../../lib/api.ts";
import { Composer } from "../composer/composer.tsx";
import { can } from "../../lib/permissions.ts";
import { queryKeys } from "../../lib/queries.ts";
import { BackIcon } from "../../ui/icons.tsx";
import { MessageBodyView, type ThreadMessage } from "./message-content.tsx";
import { ComposerTabs, NoteComposer, NoteItem, timeline, useNotes } from "../notes/notes.tsx";
import { PresenceBar } from "./presence.tsx";
import { ConsentLineItem, consentLines, isConsentLine, withConsentLines, type ConsentLine } from "./consent-lines.tsx";
import { formatTime, StatusTick } from "../../ui/ui.tsx";

// The open conversation: its messages, its actions (assign, close, reopen) and the composer.
// Message text is rendered as React text nodes only — never as HTML; each message by its content
// (./message-content.tsx: locations, shared contacts, replies, orders, unsupported types…).

type PaneProps = { workspaceId: string; conversationId: string; role: Role; members: Member[]; onChanged(): void; onBack(): void };
type Thread = { conversation: Conversation; messages: ThreadMessage[]; consent: ConsentLine[] };

export function ConversationPane({ workspaceId, conversationId, role, members, onChanged, onBack }: PaneProps) {
  const queryClient = useQueryClient();
  const [actionError, setActionError] = useState<string | null>(null);
  const canAssign = can(role, "conversations.assign");
  const endRef = useRef<HTMLLIElement>(null);
  // Internal notes live in the same thread, marked as internal (./notes.tsx).
  const notes = useNotes(workspaceId, conversationId);
  const threadKey = queryKeys.conversation(workspaceId, conversationId);
  const thread = useQuery({
    queryKey: threadKey,
    queryFn: async (): Promise<Thread> => {
      const [conversation, page] = await Promise.all([
        api("GET", "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}", { path: { workspaceId, conversationId } }),
        api("GET", "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/messages", {
          path: { workspaceId, conversationId },
          query: { limit: 100 },
        }),
      ]);
      const messages = [...page.data].reverse();
      // The contact's own opt-outs (./consent-lines.tsx); a thread without them still shows.
      const consent = can(role, "contacts.read")
        ? await api("GET", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/consent", {
            path: { workspaceId, contactId: conversation.contact.id },
          })
            .then((answer) => consentLines(answer.history, messages[0]?.occurredAt ?? null))
            .catch(() => [])
        : [];
      return { conversation, messages, consent };
    },
  });
  const conversation = thread.data?.conversation ?? null;
  const messages = thread.data?.messages ?? null;
  const error = thread.error
    ? thread.error instanceof ApiError && thread.error.status === 404
      ? "This conversation does not exist or is no longer assigned to you."
      : describeError(thread.error)
    : null;
  const reload = () => void queryClient.invalidateQueries({ queryKey: threadKey });

  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: "end" });
  }, [messages?.length, notes.notes.length]);

  const act = async (action: "assign" | "close" | "reopen", userId?: string | null) => {
    setActionError(null);
    const path = { workspaceId, conversationId };
    try {
      const updated: Conversation =
        action === "assign"
          ? await api("POST", "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/assign", {
              path,
              body: { userId: userId ?? null },
            })
          : await api(
              "POST",
              action === "close"
                ? "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/close"
                : "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/reopen",
              { path },
            );
      queryClient.setQueryData<Thread>(threadKey, (current) => (current ? { ...current, conversation: updated } : current));
      onChanged();
    } catch (caught) {
      setActionError(describeError(caught));
    }
  };

  // Only members who can read a conversation can take one on.
  const assignable = useMemo(() => members.filter((member) => can(member.role, "conversations.read_assigned")), [members]);

  // Shown at phone width only, where the thread replaces the conversation list.
  const back = (
    <button type="button" className="back-button" onClick={onBack}>
      <BackIcon /> Back to conversations
    </button>
  );

  if (error) {
    return (
      <div className="pane-status">
        {back}
        <p className="form-error" role="alert">
          {error}
        </p>
      </div>
    );
  }
  if (!conversation || !messages) {
    return (
      <div className="pane-status">
        {back}
        <p className="muted" role="status">
          Loading conversation…
        </p>
      </div>
    );
  }

  return (
    <section className="conversation-pane" aria-label={`Conversation with ${conversation.contact.name ?? "erased contact"}`}>
      <header className="pane-header">
        {back}
        <div className="pane-title">
          <h2>{conversation.contact.name ?? "Erased contact"}</h2>
          <p className="muted">{conversation.contact.phone ?? ""}</p>
          <PresenceBar workspaceId={workspaceId} conversationId={conversation.id} members={members} />
        </div>
        <div className="actions">
          {canAssign ? (
            <label>
              <span>Assignee</span>
              <select
                aria-label="Assignee"
                value={conversation.assignedUserId ?? ""}
                onChange={(event) => void act("assign", event.target.value === "" ? null : event.target.value)}
              >
                <option value="">Unassigned</option>
                {assignable.map((member) => (
                  <option key={member.userId} value={member.userId}>
                    {member.email}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {conversation.status === "open" ? (
            <button type="button" onClick={() => void act("close")}>
              Close
            </button>
          ) : (
            <button type="button" onClick={() => void act("reopen")}>
              Reopen
            </button>
          )}
        </div>
      </header>
      {actionError ? (
        <p className="form-error" role="alert">
          {actionError}
        </p>
      ) : null}
      <ol className="messages" aria-label="Messages" aria-live="polite">
        {messages.length === 0 && notes.notes.length === 0 ? <li className="muted">No messages yet.</li> : null}
        {notes.error ? (
          <li className="form-error" role="alert">
            Internal notes could not be loaded: {notes.error}
          </li>
        ) : null}
        {withConsentLines(timeline(messages, notes.notes), thread.data?.consent ?? []).map((item) =>
          isConsentLine(item) ? (
            <ConsentLineItem key={item.id} line={item} name={conversation.contact.name ?? "The contact"} />
          ) : item.kind === "note" ? (
            <NoteItem key={item.note.id} note={item.note} members={members} />
          ) : (
            <li key={item.message.id} className={`message ${item.message.direction}`} data-message-id={item.message.id}>
              <MessageBodyView workspaceId={workspaceId} message={item.message} />
              <p className="meta">
                <time dateTime={item.message.occurredAt}>{formatTime(item.message.occurredAt)}</time>
                {item.message.direction === "out" ? <StatusTick status={item.message.status} /> : null}
              </p>
            </li>
          ),
        )}
        <li ref={endRef} aria-hidden="true" className="end" />
      </ol>
      <ComposerTabs
        reply={<Composer workspaceId={workspaceId} conversation={conversation} members={members} role={role} onSent={reload} />}
        note={<NoteComposer workspaceId={workspaceId} conversationId={conversation.id} onAdded={() => void notes.reload()} />}
      />
    </section>
  );
}
