import { useState } from "react";
import { api, ApiError } from "../../lib/api.ts";
import { queryKeys, useApiPages } from "../../lib/queries.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { daysLeft, describeProblem, displayName, plural, type ContactDetail, type TrashedContact } from "./contacts-model.ts";

// The trash (/w/<ws>/contacts/trash, Owners and Admins): deleted contacts, soonest purge first, with
// the days left before the purge erases each one and a Restore button. Names are rendered as text.

type Props = { workspaceId: string; onRestored(contact: ContactDetail): void; onBack(): void };

export function TrashPanel({ workspaceId, onRestored, onBack }: Props) {
  const pages = useApiPages(
    queryKeys.contactTrash(workspaceId),
    async (cursor) => {
      const page = await api("GET", "/api/v1/workspaces/{workspaceId}/contacts/trash", {
        path: { workspaceId },
        query: cursor ? { limit: 50, cursor } : { limit: 50 },
      });
      return { items: page.data, nextCursor: page.nextCursor };
    },
    describeProblem,
  );
  const [restoring, setRestoring] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [restoredName, setRestoredName] = useState<string | null>(null);

  const restore = async (contact: TrashedContact) => {
    setRestoring(contact.id);
    setProblem(null);
    setRestoredName(null);
    try {
      const restored = await api("POST", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/restore", {
        path: { workspaceId, contactId: contact.id },
      });
      pages.update((current) => current.filter((item) => item.id !== contact.id));
      setRestoredName(displayName(restored));
      onRestored(restored);
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.code === "NOT_FOUND" ? "This contact is no longer in the trash." : describeProblem(error),
      );
    } finally {
      setRestoring(null);
    }
  };

  const items = pages.items;
  return (
    <section className="contact-detail" aria-labelledby="trash-title">
      <header className="contact-header">
        <div>
          <h2 id="trash-title">Trash</h2>
          <p className="muted">Deleted contacts stay here for 30 days, hidden and never messaged; then they are erased for good.</p>
        </div>
        <button type="button" className="link contact-back" onClick={onBack}>
          Back to contacts
        </button>
      </header>
      {restoredName ? (
        <p role="status" className="muted">
          {restoredName} is back in the contacts.
        </p>
      ) : null}
      <ErrorText message={problem ?? pages.error} />
      {items === null ? (
        pages.error ? (
          <button type="button" onClick={() => void pages.reload()}>
            Try again
          </button>
        ) : (
          <p className="muted" role="status">
            Loading the trash…
          </p>
        )
      ) : items.length === 0 ? (
        <p className="muted">The trash is empty.</p>
      ) : (
        <ul className="trash-list" aria-label="Contacts in the trash">
          {items.map((contact) => {
            const left = daysLeft(contact.purgeAfter);
            return (
              <li key={contact.id} className="contact-card trash-row">
                <div>
                  <strong>{displayName(contact)}</strong>
                  <span className="phone"> {contact.phone}</span>
                  <p className="muted">{left === 0 ? "Erased within a day" : `${plural(left, "day", "days")} left`}</p>
                </div>
                <button
                  type="button"
                  disabled={restoring !== null}
                  onClick={() => void restore(contact)}
                  aria-label={`Restore ${displayName(contact)}`}
                >
                  {restoring === contact.id ? "Restoring…" : "Restore"}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {pages.hasMore ? (
        <button type="button" disabled={pages.loadingMore} onClick={() => void pages.loadMore()}>
          {pages.loadingMore ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}
