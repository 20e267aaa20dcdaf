import { useNavigate } from "@tanstack/react-router";
import { useState, type FormEvent, type KeyboardEvent } from "react";
import { api, apiDownload, fillRoute, type ApiOptions, type Me } from "../../lib/api.ts";
import { ContactDetailPanel } from "./contacts-detail.tsx";
import { ReauthCancelled, useReauth } from "../../ui/dialogs.tsx";
import { ImportDialog } from "./contacts-import.tsx";
import { TrashPanel } from "./contacts-trash.tsx";
import {
  CONSENT_LABELS,
  TAG_RULE,
  contactAbilities,
  describeProblem,
  displayName,
  isValidTag,
  normalizeTag,
  type ConsentStatus,
  type ContactDetail,
} from "./contacts-model.ts";
import { Shell, type Membership } from "../../app/shell.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { queryKeys, useApiPages } from "../../lib/queries.ts";

// Contacts: the list (search by exact phone number, filter by tag and consent, load more), one
// contact's details and edits (/w/<ws>/contacts/<id>), adding a contact (/contacts/new), CSV import
// (Owners and Admins) and CSV export (Owners and Admins, after confirming the password when the
// sign-in is older than 5 minutes), and the trash (/contacts/trash, Owners and Admins). Names and
// values are rendered as text, never as HTML.

/** `subpath`: what the address names after /contacts/ — a contact's id, "new", or nothing. */
type Props = { me: Me; membership: Membership; subpath: string; onSignOut(): void };

type Filters = { phone: string; tag: string; consent: ConsentStatus | "" };
const NO_FILTERS: Filters = { phone: "", tag: "", consent: "" };
const PAGE_SIZE = 50;

type ListQuery = NonNullable<ApiOptions<"GET", "/api/v1/workspaces/{workspaceId}/contacts">["query"]>;

/** The list request's query; the export takes the tag and consent filters only, without paging. */
function queryOf(filters: Filters, options: { cursor?: string | null; forExport?: boolean } = {}): ListQuery {
  const query: ListQuery = {};
  if (!options.forExport) query.limit = PAGE_SIZE;
  if (filters.phone.trim() && !options.forExport) query.phone = filters.phone.trim();
  if (filters.tag.trim()) query.tag = normalizeTag(filters.tag);
  if (filters.consent) query.consent = filters.consent;
  if (options.cursor) query.cursor = options.cursor;
  return query;
}

export function ContactsScreen({ me, membership, subpath, onSignOut }: Props) {
  const { workspaceId, role } = membership;
  const navigate = useNavigate();
  const abilities = contactAbilities(role);
  const selectedId = /^[0-9a-f-]{36}$/.test(subpath) ? subpath : null;
  const creating = subpath === "new";
  const showingTrash = subpath === "trash" && abilities.canDelete;

  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [filterError, setFilterError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const exporting = useAction((error) => (error instanceof ReauthCancelled ? null : describeProblem(error)));
  const [exportMessage, setExportMessage] = useState<string | null>(null);
  const { withReauth, dialog: reauthDialog } = useReauth(me.user.mfaEnrolled);
  const pages = useApiPages(
    queryKeys.contactList(workspaceId, filters),
    async (cursor) => {
      const page = await api("GET", "/api/v1/workspaces/{workspaceId}/contacts", {
        path: { workspaceId },
        query: queryOf(filters, { cursor }),
      });
      return { items: page.data, nextCursor: page.nextCursor };
    },
    describeProblem,
  );
  const contacts = pages.items;
  const listError = filterError ?? pages.error;
  const setContacts = pages.update;

  const applyFilters = (event: FormEvent) => {
    event.preventDefault();
    if (draft.tag.trim() && !isValidTag(normalizeTag(draft.tag))) {
      setFilterError(TAG_RULE);
      return;
    }
    setFilterError(null);
    setFilters({ ...draft });
  };

  const clearFilters = () => {
    setFilterError(null);
    setDraft(NO_FILTERS);
    setFilters(NO_FILTERS);
  };

  const open = (id: string) => void navigate({ to: "/w/$workspaceId/contacts/$contactId", params: { workspaceId, contactId: id } });
  const backToList = () => void navigate({ to: "/w/$workspaceId/contacts", params: { workspaceId } });

  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!contacts || contacts.length === 0 || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
    event.preventDefault();
    const index = contacts.findIndex((contact) => contact.id === selectedId);
    const next = event.key === "ArrowDown" ? Math.min(contacts.length - 1, index + 1) : Math.max(0, index - 1);
    const target = contacts[next]!;
    open(target.id);
    document.getElementById(`contact-${target.id}`)?.focus();
  };

  const updateInList = (contact: ContactDetail) =>
    setContacts((current) => current?.map((item) => (item.id === contact.id ? contact : item)) ?? current);

  const exportCsv = () => {
    setExportMessage(null);
    void exporting.run(async () => {
      const { blob, filename } = await withReauth(() =>
        apiDownload(
          fillRoute("/api/v1/workspaces/{workspaceId}/contacts/export.csv", { workspaceId }, queryOf(filters, { forExport: true })),
        ),
      );
      const href = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = href;
      link.download = filename ?? "contacts.csv";
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(href), 30_000);
      setExportMessage("The export is downloading.");
    });
  };

  const filtered = filters.phone.trim() !== "" || filters.tag.trim() !== "" || filters.consent !== "";

  return (
    <Shell me={me} membership={membership} section="contacts" onSignOut={onSignOut}>
      <div className={selectedId || creating || showingTrash ? "layout contacts-layout detail-open" : "layout contacts-layout"}>
        <section className="sidebar contacts-sidebar" aria-labelledby="contacts-title">
          <div className="contacts-toolbar">
            <h1 id="contacts-title">Contacts</h1>
            <div className="actions">
              {abilities.canWrite ? (
                <button
                  type="button"
                  onClick={() => void navigate({ to: "/w/$workspaceId/contacts/$contactId", params: { workspaceId, contactId: "new" } })}
                >
                  Add contact
                </button>
              ) : null}
              {abilities.canImport ? (
                <button type="button" onClick={() => setImporting(true)}>
                  Import CSV
                </button>
              ) : null}
              {abilities.canDelete ? (
                <button
                  type="button"
                  aria-current={showingTrash ? "page" : undefined}
                  onClick={() => void navigate({ to: "/w/$workspaceId/contacts/$contactId", params: { workspaceId, contactId: "trash" } })}
                >
                  Trash
                </button>
              ) : null}
              {abilities.canExport ? (
                <button
                  type="button"
                  onClick={exportCsv}
                  disabled={exporting.busy}
                  title="Exports the contacts matching the tag and consent filters"
                >
                  {exporting.busy ? "Exporting…" : "Export CSV"}
                </button>
              ) : null}
            </div>
            {exportMessage ? (
              <p role="status" className="muted">
                {exportMessage}
              </p>
            ) : null}
            <ErrorText message={exporting.error} />
          </div>
          <form role="search" aria-label="Find contacts" className="contact-filters" onSubmit={applyFilters}>
            <label className="field">
              <span>Phone number</span>
              <input
                type="search"
                value={draft.phone}
                placeholder="+14155550100"
                inputMode="tel"
                autoComplete="off"
                onChange={(event) => setDraft({ ...draft, phone: event.target.value })}
              />
            </label>
            <div className="contacts-filter-row">
              <label className="field">
                <span>Tag</span>
                <input value={draft.tag} autoComplete="off" onChange={(event) => setDraft({ ...draft, tag: event.target.value })} />
              </label>
              <label className="field">
                <span>Consent</span>
                <select
                  value={draft.consent}
                  onChange={(event) => setDraft({ ...draft, consent: event.target.value as Filters["consent"] })}
                >
                  <option value="">Any</option>
                  {(Object.keys(CONSENT_LABELS) as ConsentStatus[]).map((status) => (
                    <option key={status} value={status}>
                      {CONSENT_LABELS[status]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="actions">
              <button type="submit">Search</button>
              {filtered || draft.phone !== "" || draft.tag !== "" || draft.consent !== "" ? (
                <button type="button" onClick={clearFilters}>
                  Clear
                </button>
              ) : null}
            </div>
          </form>
          <ErrorText message={listError} />
          {listError && contacts === null ? (
            <button type="button" className="contacts-retry" onClick={() => void pages.reload()}>
              Try again
            </button>
          ) : null}
          {contacts === null ? (
            listError ? null : (
              <p className="muted contacts-list-status" role="status">
                Loading contacts…
              </p>
            )
          ) : contacts.length === 0 ? (
            <p className="muted contacts-list-status">
              {filtered
                ? "No contacts match these filters."
                : abilities.canImport
                  ? "No contacts yet. Add one, or import a CSV file."
                  : "No contacts yet."}
            </p>
          ) : (
            <>
              <ul className="contact-list" aria-label="Contact list" onKeyDown={onListKey}>
                {contacts.map((contact) => (
                  <li key={contact.id}>
                    <button
                      id={`contact-${contact.id}`}
                      type="button"
                      className={contact.id === selectedId ? "contact-row selected" : "contact-row"}
                      aria-current={contact.id === selectedId ? "true" : undefined}
                      onClick={() => open(contact.id)}
                    >
                      <span className="name">{displayName(contact)}</span>
                      <span className={`contact-consent contact-consent-${contact.consent.status}`}>
                        {CONSENT_LABELS[contact.consent.status]}
                      </span>
                      <span className="phone">{contact.phone}</span>
                      {contact.tags.length > 0 ? <span className="row-tags">{contact.tags.join(", ")}</span> : null}
                    </button>
                  </li>
                ))}
              </ul>
              {pages.hasMore ? (
                <button type="button" className="contacts-load-more" disabled={pages.loadingMore} onClick={() => void pages.loadMore()}>
                  {pages.loadingMore ? "Loading…" : "Load more contacts"}
                </button>
              ) : null}
            </>
          )}
        </section>
        <main className="main contacts-main">
          {showingTrash ? (
            <TrashPanel workspaceId={workspaceId} onRestored={() => void pages.reload()} onBack={backToList} />
          ) : creating && abilities.canWrite ? (
            <NewContactForm
              workspaceId={workspaceId}
              onCreated={(contact) => {
                setContacts((current) => (current ? [contact, ...current.filter((item) => item.id !== contact.id)] : current));
                open(contact.id);
              }}
              onCancel={backToList}
            />
          ) : selectedId ? (
            <ContactDetailPanel
              key={selectedId}
              workspaceId={workspaceId}
              contactId={selectedId}
              canWrite={abilities.canWrite}
              canDelete={abilities.canDelete}
              canErase={abilities.canErase}
              withReauth={withReauth}
              onChanged={updateInList}
              onErased={(id) => {
                setContacts((current) => current?.filter((item) => item.id !== id) ?? current);
                backToList();
              }}
              onBack={backToList}
            />
          ) : (
            <p className="muted empty-main">Select a contact to see and edit its details.</p>
          )}
        </main>
      </div>
      {importing ? (
        <ImportDialog workspaceId={workspaceId} onClose={() => setImporting(false)} onImported={() => void pages.reload()} />
      ) : null}
      {reauthDialog}
    </Shell>
  );
}

function NewContactForm({
  workspaceId,
  onCreated,
  onCancel,
}: {
  workspaceId: string;
  onCreated(contact: ContactDetail): void;
  onCancel(): void;
}) {
  const [phone, setPhone] = useState("");
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const { busy, error, setError, run } = useAction(describeProblem);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const tagList = [
      ...new Set(
        tags
          .split(/[,;|]/)
          .map(normalizeTag)
          .filter((tag) => tag !== ""),
      ),
    ];
    if (tagList.some((tag) => !isValidTag(tag))) {
      setError(TAG_RULE);
      return;
    }
    void run(async () => {
      onCreated(
        await api("POST", "/api/v1/workspaces/{workspaceId}/contacts", {
          path: { workspaceId },
          body: { phone: phone.trim(), ...(name.trim() ? { name: name.trim() } : {}), tags: tagList },
        }),
      );
    });
  };

  return (
    <section className="contact-detail" aria-labelledby="new-contact-title">
      <form className="contact-card" onSubmit={submit}>
        <h2 id="new-contact-title">Add a contact</h2>
        <fieldset disabled={busy}>
          <label className="field">
            <span>Phone number (with the country code)</span>
            <input
              value={phone}
              required
              inputMode="tel"
              autoComplete="off"
              placeholder="+14155550100"
              autoFocus
              onChange={(event) => setPhone(event.target.value)}
            />
          </label>
          <label className="field">
            <span>Name</span>
            <input value={name} maxLength={200} autoComplete="off" onChange={(event) => setName(event.target.value)} />
          </label>
          <label className="field">
            <span>Tags (separated by commas)</span>
            <input value={tags} autoComplete="off" onChange={(event) => setTags(event.target.value)} />
          </label>
          <div className="contacts-form-actions">
            <button type="submit">{busy ? "Adding…" : "Add contact"}</button>
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </fieldset>
        <ErrorText message={error} />
      </form>
    </section>
  );
}
