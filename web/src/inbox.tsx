import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { api, describeError, type Conversation, type Me, type Member, type NumberView, type Page, type Role } from "./api.ts";
import type { Navigate } from "./app.tsx";
import { ConversationPane } from "./conversation.tsx";
import { openLiveFeed } from "./events.ts";
import { Shell, type Membership } from "./shell.tsx";
import { formatTime, StatusTick } from "./ui.tsx";

// The inbox: the conversation list (Mine / Unassigned / All as the role allows), the open
// conversation with its messages and actions, and the live feed that keeps both current.
// Message text is rendered as React text nodes only — never as HTML.

type View = "mine" | "unassigned" | "all";
const VIEW_LABELS: Record<View, string> = { mine: "Mine", unassigned: "Unassigned", all: "All" };

function viewsFor(role: Role): View[] {
  return role === "owner" || role === "admin" ? ["mine", "unassigned", "all"] : role === "agent" ? ["mine"] : [];
}

type Props = { me: Me; membership: Membership; conversationId: string | null; navigate: Navigate; onSignOut(): void };

export function InboxScreen({ me, membership, conversationId, navigate, onSignOut }: Props) {
  const { workspaceId, role } = membership;
  const views = viewsFor(role);
  const [view, setView] = useState<View>(views.includes("all") ? "all" : "mine");
  const [conversations, setConversations] = useState<Conversation[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [revision, setRevision] = useState(0);
  const [members, setMembers] = useState<Member[]>([]);
  const [numbers, setNumbers] = useState<NumberView[] | null>(null);
  const canManageNumbers = role === "owner" || role === "admin";

  const loadList = useCallback(async () => {
    try {
      const page = await api<Page<Conversation>>("GET", `/api/v1/workspaces/${workspaceId}/conversations?view=${view}&limit=100`);
      setConversations(page.data);
      setListError(null);
    } catch (error) {
      setListError(describeError(error));
    }
  }, [workspaceId, view]);

  useEffect(() => {
    setConversations(null);
    void loadList();
  }, [loadList]);

  useEffect(() => {
    api<{ members: Member[] }>("GET", `/api/v1/workspaces/${workspaceId}/members`)
      .then((answer) => setMembers(answer.members))
      .catch(() => setMembers([]));
    if (canManageNumbers) {
      api<{ numbers: NumberView[] }>("GET", `/api/v1/workspaces/${workspaceId}/numbers`)
        .then((answer) => setNumbers(answer.numbers))
        .catch(() => setNumbers([]));
    }
  }, [workspaceId, canManageNumbers]);

  // Live updates: any event refreshes the list and the open conversation (events carry ids only).
  const refreshTimer = useRef<number | undefined>(undefined);
  useEffect(() => {
    const refresh = () => {
      window.clearTimeout(refreshTimer.current);
      refreshTimer.current = window.setTimeout(() => {
        void loadList();
        setRevision((value) => value + 1);
      }, 100);
    };
    const stop = openLiveFeed(workspaceId, { onEvent: refresh, onResync: refresh, onStatus: setLive });
    return () => {
      stop();
      window.clearTimeout(refreshTimer.current);
    };
  }, [workspaceId, loadList]);

  const open = (id: string) => navigate(`/w/${workspaceId}/c/${id}`);

  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!conversations || conversations.length === 0) return;
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const index = conversations.findIndex((conversation) => conversation.id === conversationId);
    const next = event.key === "ArrowDown" ? Math.min(conversations.length - 1, index + 1) : Math.max(0, index - 1);
    const target = conversations[next]!;
    open(target.id);
    document.getElementById(`conversation-${target.id}`)?.focus();
  };

  const connectSandbox = async () => {
    try {
      await api("POST", `/api/v1/workspaces/${workspaceId}/numbers/sandbox`, { body: {} });
      const answer = await api<{ numbers: NumberView[] }>("GET", `/api/v1/workspaces/${workspaceId}/numbers`);
      setNumbers(answer.numbers);
    } catch (error) {
      setListError(describeError(error));
    }
  };

  return (
    <Shell
      me={me}
      membership={membership}
      section="inbox"
      navigate={navigate}
      onSignOut={onSignOut}
      status={
        <span className={live ? "live on" : "live off"} role="status" aria-live="polite">
          {live ? "Live" : "Connecting…"}
        </span>
      }
    >
      <div className="layout">
      <nav className="sidebar" aria-label="Conversations">
        {views.length > 1 ? (
          <div className="tabs" role="tablist" aria-label="Inbox views">
            {views.map((candidate) => (
              <button key={candidate} type="button" role="tab" aria-selected={view === candidate} className={view === candidate ? "tab active" : "tab"} onClick={() => setView(candidate)}>
                {VIEW_LABELS[candidate]}
              </button>
            ))}
          </div>
        ) : null}
        {canManageNumbers && numbers !== null && numbers.length === 0 ? (
          <div className="notice">
            <p>No WhatsApp number is connected yet.</p>
            <button type="button" onClick={() => void connectSandbox()}>
              Connect the sandbox number
            </button>
          </div>
        ) : null}
        {listError ? (
          <p className="form-error" role="alert">
            {listError}
          </p>
        ) : null}
        {conversations === null ? (
          <p className="muted" role="status">
            Loading conversations…
          </p>
        ) : conversations.length === 0 ? (
          <p className="muted">{view === "mine" ? "No conversations are assigned to you." : "No conversations yet. New messages from customers appear here."}</p>
        ) : (
          <ul className="conversation-list" aria-label="Conversation list" onKeyDown={onListKey}>
            {conversations.map((conversation) => (
              <li key={conversation.id}>
                <button
                  id={`conversation-${conversation.id}`}
                  type="button"
                  className={conversation.id === conversationId ? "conversation selected" : "conversation"}
                  aria-current={conversation.id === conversationId ? "true" : undefined}
                  onClick={() => open(conversation.id)}
                  data-conversation-id={conversation.id}
                >
                  <span className="name">{conversation.contact.name ?? "Erased contact"}</span>
                  <span className="time">{formatTime(conversation.lastActivityAt)}</span>
                  <span className="preview">
                    {conversation.lastMessage?.direction === "out" ? <StatusTick status={conversation.lastMessage.status} /> : null}
                    {conversation.lastMessage?.text ?? (conversation.lastMessage ? `[${conversation.lastMessage.type}]` : "")}
                  </span>
                  {conversation.status === "closed" ? <span className="badge">Closed</span> : null}
                </button>
              </li>
            ))}
          </ul>
        )}
      </nav>
      <main className="main">
        {conversationId ? (
          <ConversationPane
            key={conversationId}
            workspaceId={workspaceId}
            conversationId={conversationId}
            role={role}
            members={members}
            revision={revision}
            onChanged={() => void loadList()}
          />
        ) : (
          <p className="muted empty-main">Select a conversation.</p>
        )}
      </main>
      </div>
    </Shell>
  );
}
