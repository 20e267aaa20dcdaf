import { useState, type FormEvent } from "react";
// The access kinds, shared with the server (a plain module without imports).
import { accessActions } from "../../../../src/audit/actions.ts";
import { api, describeError, type ApiAnswer, type ApiOptions, type Me } from "../../lib/api.ts";
import { can } from "../../lib/permissions.ts";
import { formatDateTime, useReauth } from "./settings-common.tsx";
import type { Membership } from "../../app/shell.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { queryKeys, useApiPages, useApiQuery } from "../../lib/queries.ts";

// The access log: who read customer data. Two questions as filters — a contact (found by its
// phone number) for "who accessed this contact's data", a member for "what did this member open" —
// with the kind and a date range, paging, and the CSV export (itself recorded).

type AccessEntry = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/access-log">["entries"][number];
type AccessQuery = NonNullable<ApiOptions<"GET", "/api/v1/workspaces/{workspaceId}/access-log">["query"]>;
type AccessAction = (typeof accessActions)[number];
type PickedContact = { id: string; label: string };

type Filters = { action: AccessAction | ""; actorId: string; contact: PickedContact | null; from: string; to: string };

const PAGE_SIZE = 50;
const EMPTY_FILTERS: Filters = { action: "", actorId: "", contact: null, from: "", to: "" };

const KIND_LABELS: Record<AccessAction, string> = {
  "conversation.viewed": "Opened a conversation",
  "messages.viewed": "Read messages",
  "contact.viewed": "Viewed a contact",
  "media.viewed": "Opened media",
  "conversations.searched": "Searched by name or phone",
  "contacts.exported": "Exported contacts",
  "audit.exported": "Exported the audit log",
  "access_log.exported": "Exported the access log",
};

/** The API's filter fields: dates are whole local days, `to` inclusive (the API's bound is exclusive). */
function toQuery(filters: Filters): Omit<AccessQuery, "cursor" | "limit"> {
  const query: Omit<AccessQuery, "cursor" | "limit"> = {};
  if (filters.action) query.action = filters.action;
  if (filters.actorId) query.actorId = filters.actorId;
  if (filters.contact) query.contactId = filters.contact.id;
  if (filters.from) query.from = new Date(`${filters.from}T00:00:00`).toISOString();
  if (filters.to) {
    const end = new Date(`${filters.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    query.to = end.toISOString();
  }
  return query;
}

function filterKey(filters: Filters): Record<string, string> {
  return { action: filters.action, actorId: filters.actorId, contactId: filters.contact?.id ?? "", from: filters.from, to: filters.to };
}

const short = (id: string | null) => (id ? id.slice(0, 8) : "—");

export function AccessLogSection({ me, membership }: { me: Me; membership: Membership }) {
  const { workspaceId, role } = membership;
  const canExport = can(role, "audit.export");
  const members = useApiQuery(queryKeys.members(workspaceId), () =>
    can(role, "members.read")
      ? api("GET", "/api/v1/workspaces/{workspaceId}/members", { path: { workspaceId } }).then((answer) => answer.members)
      : Promise.resolve([]),
  );
  const emails = new Map((members.data ?? []).map((member) => [member.userId, member.email]));
  const [draft, setDraft] = useState<Filters>(EMPTY_FILTERS);
  const [filters, setFilters] = useState<Filters>(EMPTY_FILTERS);
  const [filterError, setFilterError] = useState<string | null>(null);
  const [phone, setPhone] = useState("");
  const finding = useAction(describeError);
  const [findMessage, setFindMessage] = useState<string | null>(null);
  const exporting = useAction(describeError);
  const [exportMessage, setExportMessage] = useState<string | null>(null);
  const reauth = useReauth(me);
  const pages = useApiPages(queryKeys.accessLog(workspaceId, filterKey(filters)), async (cursor) => {
    const page = await api("GET", "/api/v1/workspaces/{workspaceId}/access-log", {
      path: { workspaceId },
      query: { ...toQuery(filters), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
    });
    return { items: page.entries, nextCursor: page.nextCursor };
  });
  const entries = pages.items;
  const error = filterError ?? pages.error;

  const findContact = () => {
    setFindMessage(null);
    const wanted = phone.trim();
    if (wanted.length < 3) {
      setFindMessage("Type the contact's full phone number, like +14155550100.");
      return;
    }
    void finding.run(async () => {
      const found = await api("GET", "/api/v1/workspaces/{workspaceId}/contacts", {
        path: { workspaceId },
        query: { phone: wanted, limit: 1 },
      });
      const contact = found.data[0];
      if (!contact) {
        setFindMessage("No contact has this phone number.");
        return;
      }
      setDraft((current) => ({
        ...current,
        contact: { id: contact.id, label: contact.name ?? contact.whatsappName ?? contact.phone ?? short(contact.id) },
      }));
    });
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setFilterError("The start date must not be after the end date.");
      return;
    }
    setFilterError(null);
    setFilters({ ...draft });
  };

  const exportCsv = () => {
    setExportMessage(null);
    void exporting.run(async () => {
      const answer = await reauth.guard(() =>
        api("POST", "/api/v1/workspaces/{workspaceId}/access-log/export", { path: { workspaceId }, body: toQuery(filters) }),
      );
      if (!answer) return;
      const url = URL.createObjectURL(new Blob([answer.csv], { type: answer.contentType }));
      const link = document.createElement("a");
      link.href = url;
      link.download = answer.filename;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      const note = answer.truncated ? ` Only the first ${answer.rows} rows fit in one file: narrow the filters for the rest.` : "";
      setExportMessage(`Exported ${answer.rows} ${answer.rows === 1 ? "entry" : "entries"}.${note}`);
    });
  };

  const actorLabel = (actor: AccessEntry["actor"]) => {
    if (actor.type === "system") return "System";
    if (actor.type === "api_key") return `API key ${short(actor.id)}`;
    return (actor.id && emails.get(actor.id)) ?? `User ${short(actor.id)}`;
  };

  const kindLabel = (action: string) => KIND_LABELS[accessActions.find((known) => known === action) ?? "conversation.viewed"] ?? action;

  return (
    <>
      {reauth.prompt}
      <section aria-labelledby="access-entries-title" className="panel">
        <h2 id="access-entries-title">Who read customer data</h2>
        <p className="muted">
          Every opened conversation, viewed contact, opened media, search and export, with who, when and from which network. Never content,
          names or phone numbers.
        </p>
        <form className="inline-form filters" onSubmit={apply} aria-label="Filter the access log">
          <div className="field">
            <label htmlFor="access-contact-phone">Contact (phone number)</label>
            <div className="inline-form">
              <input
                id="access-contact-phone"
                type="tel"
                inputMode="tel"
                autoComplete="off"
                value={phone}
                maxLength={40}
                onChange={(event) => setPhone(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === "Enter") {
                    event.preventDefault();
                    findContact();
                  }
                }}
              />
              <button type="button" onClick={findContact} disabled={finding.busy}>
                {finding.busy ? "Finding…" : "Find contact"}
              </button>
            </div>
            {draft.contact ? (
              <p role="status">
                Contact: <strong>{draft.contact.label}</strong>{" "}
                <button type="button" className="link" onClick={() => setDraft({ ...draft, contact: null })}>
                  Any contact
                </button>
              </p>
            ) : null}
            {findMessage ? <p role="status">{findMessage}</p> : null}
            <ErrorText message={finding.error} />
          </div>
          <label className="field">
            <span>Member</span>
            <select value={draft.actorId} onChange={(event) => setDraft({ ...draft, actorId: event.target.value })}>
              <option value="">Anyone</option>
              {(members.data ?? []).map((member) => (
                <option key={member.userId} value={member.userId}>
                  {member.email}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Kind</span>
            <select
              value={draft.action}
              onChange={(event) => setDraft({ ...draft, action: accessActions.find((action) => action === event.target.value) ?? "" })}
            >
              <option value="">Any kind</option>
              {accessActions.map((action) => (
                <option key={action} value={action}>
                  {KIND_LABELS[action]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>From</span>
            <input type="date" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
          </label>
          <button type="submit">Apply filters</button>
          <button
            type="button"
            onClick={() => {
              setDraft(EMPTY_FILTERS);
              setFilters(EMPTY_FILTERS);
              setPhone("");
              setFindMessage(null);
            }}
          >
            Clear
          </button>
          {canExport ? (
            <button type="button" onClick={exportCsv} disabled={exporting.busy}>
              {exporting.busy ? "Exporting…" : "Export CSV"}
            </button>
          ) : null}
        </form>
        {exportMessage ? <p role="status">{exportMessage}</p> : null}
        <ErrorText message={error ?? exporting.error} />
        {entries === null && !error ? (
          <p className="muted" role="status">
            Loading the access log…
          </p>
        ) : entries && entries.length > 0 ? (
          <>
            <table className="data-table audit-table stack-narrow" aria-label="Access entries">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Contact</th>
                  <th scope="col">Conversation</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.seq}>
                    <td data-label="Time">{formatDateTime(entry.occurredAt)}</td>
                    <td data-label="Who">{actorLabel(entry.actor)}</td>
                    <td data-label="What">{kindLabel(entry.action)}</td>
                    <td data-label="Contact">
                      <code>{short(entry.contactId)}</code>
                    </td>
                    <td data-label="Conversation">
                      <code>{short(entry.conversationId)}</code>
                    </td>
                    <td data-label="From">{[entry.network, entry.userAgentFamily].filter(Boolean).join(", ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {pages.hasMore ? (
              <button type="button" onClick={() => void pages.loadMore()} disabled={pages.loadingMore}>
                {pages.loadingMore ? "Loading…" : "Show older entries"}
              </button>
            ) : (
              <p className="muted">End of the access log{filters === EMPTY_FILTERS ? "" : " for these filters"}.</p>
            )}
          </>
        ) : entries ? (
          <p className="muted">No one read customer data matching these filters.</p>
        ) : null}
      </section>
    </>
  );
}
