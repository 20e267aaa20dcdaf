import { useState, type FormEvent, type KeyboardEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, ApiError } from "../../lib/api.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import {
  KEY_RULE,
  MAX_FIELDS,
  MAX_TAGS,
  TAG_RULE,
  describeProblem,
  displayName,
  formatDateTime,
  isValidKey,
  isValidTag,
  normalizeTag,
  plural,
  type ContactDetail,
} from "./contacts-model.ts";
import { Modal, ReauthCancelled } from "../../ui/dialogs.tsx";
import { ContactConsent } from "./contacts-consent.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { BackIcon, CloseIcon } from "../../ui/icons.tsx";

// One contact: who it is, its profile (name, tags, custom fields) in an edit form, its consent
// (./contacts-consent.tsx: state per scope, the ledger, recording a decision) and erasure. Everything is rendered as text nodes, never as HTML.

type Props = {
  workspaceId: string;
  contactId: string;
  canWrite: boolean;
  canDelete: boolean;
  canErase: boolean;
  withReauth<T>(action: () => Promise<T>): Promise<T>;
  onChanged(contact: ContactDetail): void;
  /** The contact left the list: moved to the trash or erased. */
  onErased(contactId: string): void;
  onBack(): void;
};

/** Which contact a write names. */
type ContactAt = { workspaceId: string; contactId: string };

export function ContactDetailPanel({
  workspaceId,
  contactId,
  canWrite,
  canDelete,
  canErase,
  withReauth,
  onChanged,
  onErased,
  onBack,
}: Props) {
  const queryClient = useQueryClient();
  const at = { workspaceId, contactId };
  const contactKey = queryKeys.contact(workspaceId, contactId);
  const detail = useApiQuery(contactKey, () => api("GET", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}", { path: at }), {
    describe: describeProblem,
  });
  const contact = detail.data;
  const error = detail.error;
  const load = detail.reload;
  const setContact = (next: ContactDetail) => queryClient.setQueryData(contactKey, next);

  const changed = (next: ContactDetail) => {
    setContact(next);
    onChanged(next);
  };

  if (error) {
    return (
      <section className="contact-detail" aria-label="Contact">
        <ErrorText message={error} />
        <div className="actions">
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
          <button type="button" onClick={onBack}>
            Back to contacts
          </button>
        </div>
      </section>
    );
  }
  if (!contact) {
    return (
      <p className="muted contact-detail" role="status">
        Loading contact…
      </p>
    );
  }

  return (
    <section className="contact-detail" aria-labelledby="contact-title">
      <header className="contact-header">
        <div>
          <h2 id="contact-title">{displayName(contact)}</h2>
          <dl className="contact-facts">
            <dt>Phone</dt>
            <dd>{contact.phone}</dd>
            {contact.whatsappName ? (
              <>
                <dt>WhatsApp name</dt>
                <dd>{contact.whatsappName}</dd>
              </>
            ) : null}
            <dt>Conversations</dt>
            <dd>{contact.conversationCount.toLocaleString()}</dd>
            <dt>Added</dt>
            <dd>{formatDateTime(contact.createdAt)}</dd>
          </dl>
        </div>
        <button type="button" className="link contact-back" onClick={onBack}>
          <BackIcon className="inline-icon" /> Back to contacts
        </button>
      </header>
      <ProfileForm key={contact.id} at={at} contact={contact} canWrite={canWrite} onSaved={changed} />
      <ContactConsent
        workspaceId={workspaceId}
        contactId={contactId}
        canWrite={canWrite}
        onRecorded={() =>
          void api("GET", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}", { path: at })
            .then(changed)
            .catch(() => undefined)
        }
      />
      {canDelete ? <TrashSection at={at} contact={contact} onTrashed={onErased} /> : null}
      {canErase ? <EraseSection at={at} contact={contact} withReauth={withReauth} onErased={onErased} /> : null}
    </section>
  );
}

type FieldRow = { id: number; key: string; value: string };
let nextRowId = 1;
const rowsOf = (fields: Record<string, string>): FieldRow[] =>
  Object.entries(fields).map(([key, value]) => ({ id: nextRowId++, key, value }));

function ProfileForm({
  at,
  contact,
  canWrite,
  onSaved,
}: {
  at: ContactAt;
  contact: ContactDetail;
  canWrite: boolean;
  onSaved(contact: ContactDetail): void;
}) {
  const [name, setName] = useState(contact.name ?? "");
  const [tags, setTags] = useState<string[]>(contact.tags);
  const [tagDraft, setTagDraft] = useState("");
  const [fields, setFields] = useState<FieldRow[]>(() => rowsOf(contact.customFields));
  const { busy, error, setError, run } = useAction(describeProblem);
  const [saved, setSaved] = useState(false);

  const addTags = (text: string): boolean => {
    const candidates = text
      .split(/[,;|]/)
      .map(normalizeTag)
      .filter((tag) => tag !== "");
    const bad = candidates.find((tag) => !isValidTag(tag));
    if (bad !== undefined) {
      setError(TAG_RULE);
      return false;
    }
    const next = [...new Set([...tags, ...candidates])].sort();
    if (next.length > MAX_TAGS) {
      setError(`A contact has at most ${MAX_TAGS} tags.`);
      return false;
    }
    setTags(next);
    setError(null);
    return true;
  };

  const onTagKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      if (tagDraft.trim() !== "" && addTags(tagDraft)) setTagDraft("");
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    let allTags = tags;
    if (tagDraft.trim() !== "") {
      const candidates = tagDraft
        .split(/[,;|]/)
        .map(normalizeTag)
        .filter((tag) => tag !== "");
      if (candidates.some((tag) => !isValidTag(tag))) {
        setError(TAG_RULE);
        return;
      }
      allTags = [...new Set([...tags, ...candidates])].sort();
    }
    const entries = fields.filter((row) => row.key.trim() !== "" || row.value !== "");
    const keys = entries.map((row) => row.key.trim());
    if (keys.some((key) => !isValidKey(key))) return setError(KEY_RULE);
    if (new Set(keys).size !== keys.length) return setError("Each custom field name may be used once.");
    if (entries.some((row) => row.value.trim() === "")) return setError("Give every custom field a value, or remove it.");
    if (entries.some((row) => row.value.length > 1000)) return setError("A custom field value is at most 1,000 characters.");
    if (entries.length > MAX_FIELDS) return setError(`A contact has at most ${MAX_FIELDS} custom fields.`);
    void run(async () => {
      const updated = await api("PATCH", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}", {
        path: at,
        body: {
          name: name.trim() === "" ? null : name.trim(),
          tags: allTags,
          customFields: Object.fromEntries(entries.map((row) => [row.key.trim(), row.value])),
        },
      });
      setTagDraft("");
      setName(updated.name ?? "");
      setTags(updated.tags);
      setFields(rowsOf(updated.customFields));
      setSaved(true);
      onSaved(updated);
    });
  };

  return (
    <form className="contact-card" onSubmit={save} aria-labelledby="profile-title">
      <h3 id="profile-title">Profile</h3>
      <fieldset disabled={!canWrite || busy}>
        <label className="field">
          <span>Name</span>
          <input value={name} maxLength={200} onChange={(event) => setName(event.target.value)} placeholder={contact.whatsappName ?? ""} />
        </label>
        <div className="field">
          <span id="tags-label">Tags</span>
          {tags.length > 0 ? (
            <ul className="contact-tags" aria-labelledby="tags-label">
              {tags.map((tag) => (
                <li key={tag} className="contact-tag">
                  {tag}
                  {canWrite ? (
                    <button
                      type="button"
                      className="contact-tag-remove"
                      aria-label={`Remove tag ${tag}`}
                      onClick={() => setTags(tags.filter((candidate) => candidate !== tag))}
                    >
                      <CloseIcon />
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No tags.</p>
          )}
          {canWrite ? (
            <input
              aria-label="Add tags"
              value={tagDraft}
              placeholder="Add a tag and press Enter"
              onChange={(event) => setTagDraft(event.target.value)}
              onKeyDown={onTagKey}
            />
          ) : null}
        </div>
        <fieldset className="contact-fields">
          <legend>Custom fields</legend>
          {fields.length === 0 ? <p className="muted">No custom fields.</p> : null}
          {fields.map((row, index) => (
            <div key={row.id} className="contact-field-row">
              <label>
                <span className="visually-hidden">Field name {index + 1}</span>
                <input
                  value={row.key}
                  placeholder="field_name"
                  maxLength={64}
                  onChange={(event) =>
                    setFields(fields.map((other) => (other.id === row.id ? { ...other, key: event.target.value } : other)))
                  }
                />
              </label>
              <label>
                <span className="visually-hidden">Value of field {index + 1}</span>
                <input
                  value={row.value}
                  placeholder="Value"
                  maxLength={1000}
                  onChange={(event) =>
                    setFields(fields.map((other) => (other.id === row.id ? { ...other, value: event.target.value } : other)))
                  }
                />
              </label>
              {canWrite ? (
                <button
                  type="button"
                  aria-label={`Remove field ${row.key || index + 1}`}
                  onClick={() => {
                    setFields(fields.filter((other) => other.id !== row.id));
                    setError(null);
                  }}
                >
                  Remove
                </button>
              ) : null}
            </div>
          ))}
          {canWrite && fields.length < MAX_FIELDS ? (
            <button type="button" onClick={() => setFields([...fields, { id: nextRowId++, key: "", value: "" }])}>
              Add a field
            </button>
          ) : null}
        </fieldset>
        {canWrite ? (
          <div className="contacts-form-actions">
            <button type="submit">{busy ? "Saving…" : "Save changes"}</button>
            {saved ? (
              <span role="status" className="contacts-saved">
                Saved.
              </span>
            ) : null}
          </div>
        ) : null}
      </fieldset>
      <ErrorText message={error} />
    </form>
  );
}

function TrashSection({ at, contact, onTrashed }: { at: ContactAt; contact: ContactDetail; onTrashed(contactId: string): void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction((caught) =>
    caught instanceof ApiError && caught.code === "NOT_FOUND" ? "This contact is already in the trash or erased." : describeProblem(caught),
  );

  const moveToTrash = () =>
    run(async () => {
      await api("POST", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/trash", { path: at });
      setConfirming(false);
      onTrashed(contact.id);
    });

  return (
    <section className="contact-card" aria-labelledby="trash-title">
      <h3 id="trash-title">Delete contact</h3>
      <p className="muted">
        Moves the contact to the trash: hidden from lists and the inbox, and never messaged. You can restore it for 30 days; then it is
        erased for good.
      </p>
      <button type="button" onClick={() => setConfirming(true)}>
        Delete contact…
      </button>
      <ErrorText message={confirming ? null : error} />
      {confirming ? (
        <Modal title="Move this contact to the trash?" onClose={() => setConfirming(false)}>
          <p>
            <strong>{displayName(contact)}</strong> and its conversations leave the lists and the inbox. Messages to it are refused. A
            message from it brings it back. After 30 days in the trash it is erased for good.
          </p>
          <ErrorText message={error} />
          <div className="modal-actions">
            <button type="button" onClick={() => setConfirming(false)} autoFocus>
              Keep the contact
            </button>
            <button type="button" className="contacts-danger-button" disabled={busy} onClick={() => void moveToTrash()}>
              {busy ? "Deleting…" : "Move to trash"}
            </button>
          </div>
        </Modal>
      ) : null}
    </section>
  );
}

function EraseSection({
  at,
  contact,
  withReauth,
  onErased,
}: {
  at: ContactAt;
  contact: ContactDetail;
  withReauth<T>(action: () => Promise<T>): Promise<T>;
  onErased(contactId: string): void;
}) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction((caught) =>
    caught instanceof ReauthCancelled
      ? null
      : caught instanceof ApiError && caught.code === "NOT_FOUND"
        ? "This contact was already erased."
        : describeProblem(caught),
  );

  const erase = () =>
    run(async () => {
      await withReauth(() => api("DELETE", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}", { path: at }));
      setConfirming(false);
      onErased(contact.id);
    });

  return (
    <section className="contact-card contact-danger" aria-labelledby="erase-title">
      <h3 id="erase-title">Erase now</h3>
      <p className="muted">
        For a request to be forgotten: skips the trash. Deletes the contact with{" "}
        {plural(contact.conversationCount, "conversation", "conversations")} and every message, and destroys its encryption key. This cannot
        be undone.
      </p>
      <button type="button" className="contacts-danger-button" onClick={() => setConfirming(true)}>
        Erase contact…
      </button>
      <ErrorText message={confirming ? null : error} />
      {confirming ? (
        <Modal title="Erase this contact?" onClose={() => setConfirming(false)}>
          <p>
            <strong>{displayName(contact)}</strong> ({contact.phone}), its conversations and messages will be deleted for good, including
            from backups. This cannot be undone.
          </p>
          <ErrorText message={error} />
          <div className="modal-actions">
            <button type="button" onClick={() => setConfirming(false)} autoFocus>
              Keep the contact
            </button>
            <button type="button" className="contacts-danger-button" disabled={busy} onClick={() => void erase()}>
              {busy ? "Erasing…" : "Erase for good"}
            </button>
          </div>
        </Modal>
      ) : null}
    </section>
  );
}
