import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { api, ApiError, describeError, type Conversation, type Me, type Member, type Message, type NumberView, type Page, type Role } from "./api.ts";
import type { Navigate } from "./app.tsx";
import { openLiveFeed } from "./events.ts";

// The inbox: the conversation list (Mine / Unassigned / All as the role allows), the open
// conversation with its messages and actions, and the live feed that keeps both current.
// Message text is rendered as React text nodes only — never as HTML.

type View = "mine" | "unassigned" | "all";
const VIEW_LABELS: Record<View, string> = { mine: "Mine", unassigned: "Unassigned", all: "All" };

function viewsFor(role: Role): View[] {
  return role === "owner" || role === "admin" ? ["mine", "unassigned", "all"] : role === "agent" ? ["mine"] : [];
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : date.toLocaleDateString([], { day: "numeric", month: "short" });
}

const TICKS: Record<string, { symbol: string; label: string }> = {
  queued: { symbol: "🕓", label: "Queued" },
  sending: { symbol: "🕓", label: "Sending" },
  accepted: { symbol: "✓", label: "Accepted by WhatsApp" },
  held: { symbol: "🕓", label: "Held by WhatsApp" },
  unknown: { symbol: "?", label: "Status unknown" },
  sent: { symbol: "✓", label: "Sent" },
  delivered: { symbol: "✓✓", label: "Delivered" },
  read: { symbol: "✓✓", label: "Read" },
  played: { symbol: "✓✓", label: "Played" },
  failed: { symbol: "!", label: "Not delivered" },
};

function StatusTick({ status }: { status: string }) {
  const tick = TICKS[status];
  if (!tick) return null;
  return (
    <span className={`tick tick-${status}`} title={tick.label} aria-label={tick.label} data-status={status}>
      {tick.symbol}
    </span>
  );
}

type Props = { me: Me; membership: Me["memberships"][number]; conversationId: string | null; navigate: Navigate; onSignOut(): void };

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
    <div className="layout">
      <header className="topbar">
        <span className="brand">Parley</span>
        <WorkspaceSwitcher me={me} workspaceId={workspaceId} navigate={navigate} />
        <span className={live ? "live on" : "live off"} role="status" aria-live="polite">
          {live ? "Live" : "Connecting…"}
        </span>
        <span className="who">{me.user.email}</span>
        <button type="button" className="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
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
  );
}

function WorkspaceSwitcher({ me, workspaceId, navigate }: { me: Me; workspaceId: string; navigate: Navigate }) {
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    for (const membership of me.memberships) {
      api<{ name: string }>("GET", `/api/v1/workspaces/${membership.workspaceId}`)
        .then((workspace) => setNames((current) => ({ ...current, [membership.workspaceId]: workspace.name })))
        .catch(() => undefined);
    }
  }, [me]);
  if (me.memberships.length < 2) return <span className="workspace-name">{names[workspaceId] ?? ""}</span>;
  return (
    <label className="switcher">
      <span className="visually-hidden">Workspace</span>
      <select value={workspaceId} onChange={(event) => navigate(`/w/${event.target.value}`)}>
        {me.memberships.map((membership) => (
          <option key={membership.workspaceId} value={membership.workspaceId}>
            {names[membership.workspaceId] ?? membership.workspaceId.slice(0, 8)}
          </option>
        ))}
      </select>
    </label>
  );
}

type PaneProps = { workspaceId: string; conversationId: string; role: Role; members: Member[]; revision: number; onChanged(): void };

function ConversationPane({ workspaceId, conversationId, role, members, revision, onChanged }: PaneProps) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const base = `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}`;
  const canAssign = role === "owner" || role === "admin";
  const endRef = useRef<HTMLLIElement>(null);

  const load = useCallback(async () => {
    try {
      const [view, page] = await Promise.all([api<Conversation>("GET", base), api<Page<Message>>("GET", `${base}/messages?limit=100`)]);
      setConversation(view);
      setMessages([...page.data].reverse());
      setError(null);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 404 ? "This conversation does not exist or is no longer assigned to you." : describeError(caught));
    }
  }, [base]);

  useEffect(() => {
    void load();
  }, [load, revision]);

  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: "end" });
  }, [messages?.length]);

  const act = async (path: string, body?: unknown) => {
    setActionError(null);
    try {
      setConversation(await api<Conversation>("POST", `${base}/${path}`, body === undefined ? {} : { body }));
      onChanged();
    } catch (caught) {
      setActionError(describeError(caught));
    }
  };

  const assignable = useMemo(() => members.filter((member) => member.role !== "analyst"), [members]);

  if (error) {
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    );
  }
  if (!conversation || !messages) return <p className="muted" role="status">Loading conversation…</p>;

  return (
    <section className="conversation-pane" aria-label={`Conversation with ${conversation.contact.name ?? "erased contact"}`}>
      <header className="pane-header">
        <div>
          <h2>{conversation.contact.name ?? "Erased contact"}</h2>
          <p className="muted">{conversation.contact.phone ?? ""}</p>
        </div>
        <div className="actions">
          {canAssign ? (
            <label>
              <span>Assignee</span>
              <select aria-label="Assignee" value={conversation.assignedUserId ?? ""} onChange={(event) => void act("assign", { userId: event.target.value === "" ? null : event.target.value })}>
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
        {messages.length === 0 ? <li className="muted">No messages yet.</li> : null}
        {messages.map((message) => (
          <li key={message.id} className={`message ${message.direction}`} data-message-id={message.id}>
            <p className="text">{message.text ?? (message.media ? `[${message.type}${message.media.mimeType ? `: ${message.media.mimeType}` : ""}]` : `[${message.type}]`)}</p>
            <p className="meta">
              <time dateTime={message.occurredAt}>{formatTime(message.occurredAt)}</time>
              {message.direction === "out" ? <StatusTick status={message.status} /> : null}
            </p>
          </li>
        ))}
        <li ref={endRef} aria-hidden="true" className="end" />
      </ol>
      <Composer workspaceId={workspaceId} conversation={conversation} onSent={() => void load()} />
    </section>
  );
}

function Composer({ workspaceId, conversation, onSent }: { workspaceId: string; conversation: Conversation; onSent(): void }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!conversation.window.open) {
    return (
      <div className="banner" role="note">
        The 24-hour customer service window is closed: only an approved template can be sent until the customer writes again.
      </div>
    );
  }

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if (!body) return;
    setBusy(true);
    setError(null);
    try {
      await api("POST", `/api/v1/workspaces/${workspaceId}/messages`, {
        body: { conversationId: conversation.id, type: "text", text: { body } },
        headers: { "idempotency-key": crypto.randomUUID() },
      });
      setText("");
      onSent();
    } catch (caught) {
      setError(describeError(caught));
    }
    setBusy(false);
  };

  return (
    <form className="composer" onSubmit={(event) => void send(event)} aria-label="Send a reply">
      <label className="visually-hidden" htmlFor="composer-text">
        Reply
      </label>
      <textarea
        id="composer-text"
        value={text}
        maxLength={4096}
        placeholder="Write a reply… (Enter to send, Shift+Enter for a new line)"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            void send();
          }
        }}
      />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy || text.trim() === ""}>
        {busy ? "Sending…" : "Send"}
      </button>
    </form>
  );
}
