import { keepPreviousData, useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { api, describeError, type Me, type Member, type NumberView, type Role } from "../../lib/api.ts";
import { ConversationPane } from "../conversation/conversation.tsx";
import { openLiveFeed } from "../../lib/events.ts";
import {
  classifySearch,
  EMPTY_FILTERS,
  filtersToSearch,
  hasActiveFilters,
  listPath,
  listQuery,
  type InboxFilters,
  type InboxSearch,
  type StatusFilter,
  type View,
} from "./inbox-filters.ts";
import { can } from "../../lib/permissions.ts";
import { isValidTag, normalizeTag, TAG_RULE } from "../contacts/contacts-model.ts";
import { queryKeys } from "../../lib/queries.ts";
import { Shell, type Membership } from "../../app/shell.tsx";
import { formatTime, StatusTick } from "../../ui/ui.tsx";
import { CloseIcon } from "../../ui/icons.tsx";

// The inbox: the conversation list (Mine / Unassigned / All as the role allows) with its filter bar
// (number, status, tag, one search box for a name or an exact phone number), paging and keyboard
// use; the open conversation with its messages and actions; and the live feed that keeps both
// current. Filters live in the address bar (the route's search params), so a reload keeps them and
// a filtered inbox is a link to share. Message text is rendered as
// React text nodes only — never as HTML.

const VIEW_LABELS: Record<View, string> = { mine: "Mine", unassigned: "Unassigned", all: "All" };
const SEARCH_DELAY_MS = 300;

function viewsFor(role: Role): View[] {
  return can(role, "conversations.read_all") ? ["mine", "unassigned", "all"] : can(role, "conversations.read_assigned") ? ["mine"] : [];
}

function numberLabel(number: NumberView): string {
  if (number.mode === "sandbox") return "Sandbox number";
  return number.displayPhoneLast4 ? `Number ending ${number.displayPhoneLast4}` : "WhatsApp number";
}

/** Typing in a field: single-key shortcuts stay out of the way. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT";
}

/** `filters`: what the address bar holds; `onSearch` puts new ones there (replacing the entry). */
type Props = {
  me: Me;
  membership: Membership;
  conversationId: string | null;
  filters: InboxFilters;
  onSearch(search: InboxSearch): void;
  onSignOut(): void;
};

export function InboxScreen({ me, membership, conversationId, filters, onSearch, onSignOut }: Props) {
  const { workspaceId, role } = membership;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const views = viewsFor(role);
  const view: View = filters.view && views.includes(filters.view) ? filters.view : views.includes("all") ? "all" : "mine";
  const [searchText, setSearchText] = useState(filters.search);
  const [tagText, setTagText] = useState(filters.tag);
  // The search and tag boxes follow the address when it changes under them (back, forward, a
  // link); not when it only says what the boxes themselves sent, which typing may have passed by.
  const [sent, setSent] = useState({ search: filters.search, tag: filters.tag });
  const [shown, setShown] = useState({ search: filters.search, tag: filters.tag });
  if (shown.search !== filters.search || shown.tag !== filters.tag) {
    setShown({ search: filters.search, tag: filters.tag });
    if (filters.search !== shown.search && filters.search !== sent.search.trim()) setSearchText(filters.search);
    if (filters.tag !== shown.tag && filters.tag !== sent.tag.trim()) setTagText(filters.tag);
  }
  /** Puts the filters `update` makes of the current ones into the address bar. */
  const setFilters = (update: (current: InboxFilters) => InboxFilters) => {
    const next = update(filters);
    setSent({ search: next.search, tag: next.tag });
    onSearch(filtersToSearch(next));
  };
  const [sandboxProblem, setSandboxProblem] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [liveProblem, setLiveProblem] = useState<string | null>(null);
  const [lookupProblem, setLookupProblem] = useState<string | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [numbers, setNumbers] = useState<NumberView[] | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const canManageNumbers = can(role, "numbers.manage");
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const intent = classifySearch(filters.search);
  const tagValid = filters.tag.trim() === "" || isValidTag(normalizeTag(filters.tag));
  const canQuery = intent.kind !== "incomplete-phone" && tagValid;

  // The list is a query per filter set: an answer for filters no longer shown lands in its own
  // cache entry, never on screen. The rows shown stay while new filters load.
  const listKey = queryKeys.conversationList(workspaceId, listPath(workspaceId, filters, view, null));
  const listPages = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) =>
      api("GET", "/api/v1/workspaces/{workspaceId}/conversations", { path: { workspaceId }, query: listQuery(filters, view, pageParam) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: canQuery,
    placeholderData: keepPreviousData,
  });
  const list = useMemo(() => {
    const pages = canQuery ? (listPages.data?.pages ?? null) : [];
    const seen = new Set<string>();
    const rows = pages?.flatMap((page) => page.data).filter((row) => !seen.has(row.id) && seen.add(row.id)) ?? null;
    return {
      rows,
      nextCursor: canQuery && listPages.hasNextPage,
      nameScan: pages?.at(-1)?.nameScan ?? null,
      error: sandboxProblem ?? (canQuery && listPages.error ? describeError(listPages.error) : null),
      updating: canQuery && listPages.isPlaceholderData,
      loadingMore: listPages.isFetchingNextPage,
    };
  }, [
    canQuery,
    listPages.data,
    listPages.hasNextPage,
    listPages.error,
    listPages.isPlaceholderData,
    listPages.isFetchingNextPage,
    sandboxProblem,
  ]);

  const loadMore = async () => {
    if (!list.nextCursor || list.loadingMore) return;
    await listPages.fetchNextPage();
  };

  // Typing settles before it becomes a filter (and a request).
  const { view: chosenView, numberId, status, search: settledSearch, tag: settledTag } = filters;
  useEffect(() => {
    if (searchText.trim() === settledSearch && tagText.trim() === settledTag) return;
    const timer = window.setTimeout(() => {
      setSent({ search: searchText, tag: tagText });
      onSearch(filtersToSearch({ view: chosenView, numberId, status, search: searchText, tag: tagText }));
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [searchText, tagText, settledSearch, settledTag, chosenView, numberId, status, onSearch]);

  useEffect(() => {
    api("GET", "/api/v1/workspaces/{workspaceId}/members", { path: { workspaceId } })
      .then((answer) => setMembers(answer.members))
      .catch((error: unknown) => {
        setMembers([]);
        setLookupProblem(`The member list could not be loaded: ${describeError(error)}`);
      });
    if (canManageNumbers) {
      api("GET", "/api/v1/workspaces/{workspaceId}/numbers", { path: { workspaceId } })
        .then((answer) => setNumbers(answer.numbers))
        .catch((error: unknown) => {
          // Unknown, not "none": the sandbox offer stays hidden rather than offered on a guess.
          setLookupProblem(`The WhatsApp numbers could not be loaded: ${describeError(error)}`);
        });
    }
  }, [workspaceId, canManageNumbers]);

  // Live updates: any event refreshes the list and the open conversation (events carry ids only).
  // The feed stays open across filter changes; it always refreshes with the current filters.
  const refreshTimer = useRef<number | undefined>(undefined);
  useEffect(() => {
    const refresh = () => {
      window.clearTimeout(refreshTimer.current);
      refreshTimer.current = window.setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: queryKeys.conversations(workspaceId) });
      }, 100);
    };
    const stop = openLiveFeed(workspaceId, {
      onEvent: refresh,
      onResync: refresh,
      onStatus: (connected, problem) => {
        setLive(connected);
        setLiveProblem(connected ? null : (problem ?? null));
      },
    });
    return () => {
      stop();
      window.clearTimeout(refreshTimer.current);
    };
  }, [workspaceId, queryClient]);

  // Opening a conversation (a new address) keeps the filters.
  const open = (id: string) =>
    void navigate({ to: "/w/$workspaceId/c/$conversationId", params: { workspaceId, conversationId: id }, search: true });
  // On a phone the thread replaces the list; leaving it (the back control or the browser's back)
  // shows the list again with the focus on the conversation that was open.
  const backToList = () => void navigate({ to: "/w/$workspaceId", params: { workspaceId }, search: true });
  const lastOpen = useRef<string | null>(null);
  useEffect(() => {
    if (conversationId) {
      lastOpen.current = conversationId;
      return;
    }
    if (lastOpen.current) document.getElementById(`conversation-${lastOpen.current}`)?.focus();
    lastOpen.current = null;
  }, [conversationId]);
  const rows = list.rows ?? [];
  const focusedId =
    activeId && rows.some((row) => row.id === activeId)
      ? activeId
      : conversationId && rows.some((row) => row.id === conversationId)
        ? conversationId
        : (rows[0]?.id ?? null);

  /** Moves the keyboard focus one row up or down (Enter then opens it). */
  const listRows = list.rows;
  const move = useCallback(
    (delta: 1 | -1) => {
      const current = listRows ?? [];
      if (current.length === 0) return;
      const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.conversationId : undefined;
      const from = current.findIndex((row) => row.id === (focused ?? conversationId));
      const next = from === -1 ? (delta === 1 ? 0 : current.length - 1) : Math.min(current.length - 1, Math.max(0, from + delta));
      const target = current[next]!;
      setActiveId(target.id);
      document.getElementById(`conversation-${target.id}`)?.focus();
    },
    [listRows, conversationId, setActiveId],
  );

  // `/` focuses the search; j and k move through the list — unless the person is typing somewhere.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isEditable(event.target)) return;
      if (event.key === "/") {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (event.key === "j" || event.key === "k") {
        event.preventDefault();
        move(event.key === "j" ? 1 : -1);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [move]);

  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    move(event.key === "ArrowDown" ? 1 : -1);
  };

  const applySearch = (value: string) => {
    setSearchText(value);
    setFilters((current) => ({ ...current, search: value }));
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      if (searchText !== "") applySearch("");
      else event.currentTarget.blur();
    } else if (event.key === "Enter") {
      // Search now rather than after the pause.
      setFilters((current) => ({ ...current, search: searchText }));
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      move(1);
    }
  };

  const clearFilters = () => {
    setSearchText("");
    setTagText("");
    setFilters((current) => ({ ...EMPTY_FILTERS, view: current.view }));
    searchRef.current?.focus();
  };

  const connectSandbox = async () => {
    setSandboxProblem(null);
    try {
      await api("POST", "/api/v1/workspaces/{workspaceId}/numbers/sandbox", { path: { workspaceId }, body: {} });
      const answer = await api("GET", "/api/v1/workspaces/{workspaceId}/numbers", { path: { workspaceId } });
      setNumbers(answer.numbers);
    } catch (error) {
      setSandboxProblem(describeError(error));
    }
  };

  const typed = classifySearch(searchText);
  const searchHint =
    typed.kind === "incomplete-phone"
      ? "Type the whole phone number with its country code, like +49 151 23456789."
      : typed.kind === "phone"
        ? "Exact phone number search."
        : typed.kind === "name"
          ? list.nameScan?.capped
            ? `Searched names in the ${list.nameScan.scanned.toLocaleString()} most recent conversations so far.`
            : "Searching names."
          : "";
  const tagTyped = normalizeTag(tagText);
  const tagError = tagTyped !== "" && !isValidTag(tagTyped) ? TAG_RULE : null;
  const filtered = hasActiveFilters(filters);

  return (
    <Shell
      me={me}
      membership={membership}
      section="inbox"
      onSignOut={onSignOut}
      status={
        <span className={live ? "live on" : "live off"} role="status" aria-live="polite">
          {live ? "Live" : liveProblem ? `Not live: ${liveProblem} Trying again…` : "Connecting…"}
        </span>
      }
    >
      <div className={conversationId ? "layout detail-open" : "layout"}>
        <nav className="sidebar" aria-label="Conversations">
          {views.length > 1 ? (
            <div className="tabs" role="tablist" aria-label="Inbox views">
              {views.map((candidate) => (
                <button
                  key={candidate}
                  type="button"
                  role="tab"
                  aria-selected={view === candidate}
                  className={view === candidate ? "tab active" : "tab"}
                  onClick={() => setFilters((current) => ({ ...current, view: candidate }))}
                >
                  {VIEW_LABELS[candidate]}
                </button>
              ))}
            </div>
          ) : null}
          <div className="inbox-filters" role="search" aria-label="Filter conversations">
            <div className="inbox-search">
              <label htmlFor="inbox-search" className="visually-hidden">
                Search by name or phone number
              </label>
              <input
                id="inbox-search"
                ref={searchRef}
                type="search"
                value={searchText}
                placeholder="Name or phone number  ( / )"
                autoComplete="off"
                spellCheck={false}
                maxLength={100}
                aria-keyshortcuts="/"
                aria-describedby="inbox-search-hint"
                onChange={(event) => setSearchText(event.target.value)}
                onKeyDown={onSearchKey}
              />
              {searchText !== "" ? (
                <button type="button" className="clear-search" aria-label="Clear search" onClick={() => applySearch("")}>
                  <CloseIcon />
                </button>
              ) : null}
            </div>
            <p id="inbox-search-hint" className="search-hint muted" aria-live="polite">
              {searchHint}
            </p>
            <div className="filter-row">
              {numbers !== null && numbers.length > 1 ? (
                <label>
                  <span>Number</span>
                  <select
                    value={filters.numberId}
                    onChange={(event) => setFilters((current) => ({ ...current, numberId: event.target.value }))}
                  >
                    <option value="">All numbers</option>
                    {numbers.map((number) => (
                      <option key={number.id} value={number.id}>
                        {numberLabel(number)}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              <label>
                <span>Status</span>
                <select
                  value={filters.status}
                  onChange={(event) => setFilters((current) => ({ ...current, status: event.target.value as StatusFilter }))}
                >
                  <option value="all">All</option>
                  <option value="open">Open</option>
                  <option value="closed">Closed</option>
                </select>
              </label>
              <label>
                <span>Tag</span>
                <input
                  type="text"
                  value={tagText}
                  placeholder="e.g. vip"
                  maxLength={64}
                  autoComplete="off"
                  aria-invalid={tagError ? true : undefined}
                  aria-describedby={tagError ? "inbox-tag-error" : undefined}
                  onChange={(event) => setTagText(event.target.value)}
                  onKeyDown={(event) => {
                    if (event.key === "Escape" && tagText !== "") {
                      event.preventDefault();
                      setTagText("");
                    }
                  }}
                />
              </label>
            </div>
            {tagError ? (
              <p id="inbox-tag-error" className="form-error filter-error">
                {tagError}
              </p>
            ) : null}
          </div>
          {canManageNumbers && numbers !== null && numbers.length === 0 ? (
            <div className="notice">
              <p>No WhatsApp number is connected yet.</p>
              <button type="button" onClick={() => void connectSandbox()}>
                Connect the sandbox number
              </button>
            </div>
          ) : null}
          {list.error ? (
            <p className="form-error list-error" role="alert">
              {list.error}
            </p>
          ) : null}
          {lookupProblem ? (
            <p className="form-error list-error" role="alert">
              {lookupProblem}
            </p>
          ) : null}
          {list.updating && list.rows !== null ? (
            <p className="visually-hidden" role="status">
              Updating the list…
            </p>
          ) : null}
          {list.rows === null ? (
            <p className="muted list-status" role="status">
              Loading conversations…
            </p>
          ) : rows.length === 0 ? (
            filtered ? (
              <div className="list-empty" role="status">
                <p>
                  {list.nameScan?.capped
                    ? `No conversations match among the ${list.nameScan.scanned.toLocaleString()} most recent.`
                    : "No conversations match."}
                </p>
                <div className="list-empty-actions">
                  {list.nextCursor ? (
                    <button type="button" disabled={list.loadingMore} onClick={() => void loadMore()}>
                      {list.loadingMore ? "Searching…" : "Search older conversations"}
                    </button>
                  ) : null}
                  <button type="button" onClick={clearFilters}>
                    Clear filters
                  </button>
                </div>
              </div>
            ) : (
              <>
                <p className="muted list-status">
                  {view === "mine"
                    ? "No conversations are assigned to you."
                    : "No conversations yet. New messages from customers appear here."}
                </p>
                {canManageNumbers && numbers?.some((number) => number.mode === "sandbox" && number.status === "active") ? (
                  <p className="list-status">
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        // The fragment asks the numbers page to open the sandbox customer at once.
                        void navigate({
                          to: "/w/$workspaceId/settings/$section",
                          params: { workspaceId, section: "numbers" },
                          hash: "sandbox-customer",
                        });
                      }}
                    >
                      Write as a sandbox customer
                    </button>
                  </p>
                ) : null}
              </>
            )
          ) : (
            <>
              <ul
                ref={listRef}
                className={list.updating ? "conversation-list updating" : "conversation-list"}
                aria-label="Conversation list"
                aria-busy={list.updating}
                aria-keyshortcuts="ArrowUp ArrowDown j k"
                onKeyDown={onListKey}
              >
                {rows.map((conversation) => (
                  <li key={conversation.id}>
                    <button
                      id={`conversation-${conversation.id}`}
                      type="button"
                      className={conversation.id === conversationId ? "conversation selected" : "conversation"}
                      aria-current={conversation.id === conversationId ? "true" : undefined}
                      tabIndex={conversation.id === focusedId ? 0 : -1}
                      onFocus={() => setActiveId(conversation.id)}
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
              {list.nextCursor ? (
                <div className="load-more">
                  <button type="button" disabled={list.loadingMore} onClick={() => void loadMore()}>
                    {list.loadingMore ? "Loading…" : list.nameScan?.capped ? "Search older conversations" : "Load more"}
                  </button>
                </div>
              ) : null}
              <p className="muted keyboard-hint">↑ ↓ or j k to move, Enter to open, / to search</p>
            </>
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
              onChanged={() => void queryClient.invalidateQueries({ queryKey: queryKeys.conversations(workspaceId) })}
              onBack={backToList}
            />
          ) : (
            <p className="muted empty-main">Select a conversation.</p>
          )}
        </main>
      </div>
    </Shell>
  );
}
