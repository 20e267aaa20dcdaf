import { useState, type FormEvent } from "react";
import { api, describeError, type Me } from "../../lib/api.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { useAction } from "../../lib/use-action.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { ConfirmButton, formatDateTime, useReauth } from "./settings-common.tsx";

// Privacy requests (Owners and Admins): data subjects' export and erasure requests with their legal
// deadline (received + 30 days). Open requests come first, overdue ones highlighted, with the days
// left. An export request builds the contact's bundle (a job) and offers a download through a
// 5-minute signed link; an erasure request erases the contact. Running either and downloading ask
// for the password again when the sign-in is older than 5 minutes.

type PrivacyRequest = {
  id: string;
  kind: "export" | "erasure";
  contactId: string;
  contactLabel: string | null;
  contactErased: boolean;
  receivedOn: string;
  dueOn: string;
  daysLeft: number;
  overdue: boolean;
  status: "received" | "in_progress" | "completed" | "rejected";
  notes: string | null;
  exports: Array<{ id: string; status: "pending" | "ready" | "failed" | "expired"; sizeBytes: number | null; expiresAt: string }>;
};

const STATUS_LABELS: Record<PrivacyRequest["status"], string> = {
  received: "Received",
  in_progress: "In progress",
  completed: "Completed",
  rejected: "Rejected",
};

const today = () => new Date().toISOString().slice(0, 10);

function deadlineText(request: PrivacyRequest): string {
  if (request.status === "completed" || request.status === "rejected") return `Due ${request.dueOn}`;
  if (request.daysLeft < 0) return `Overdue by ${-request.daysLeft} ${request.daysLeft === -1 ? "day" : "days"} (due ${request.dueOn})`;
  if (request.daysLeft === 0) return `Due today (${request.dueOn})`;
  return `${request.daysLeft} ${request.daysLeft === 1 ? "day" : "days"} left (due ${request.dueOn})`;
}

function formatSize(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function PrivacySection({ me, workspaceId }: { me: Me; workspaceId: string }) {
  const path = { workspaceId };
  const requests = useApiQuery(queryKeys.privacyRequests(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/privacy/requests", { path }),
  );
  const { guard, prompt } = useReauth(me);
  const list = (requests.data?.requests ?? []) as PrivacyRequest[];

  return (
    <>
      <section aria-labelledby="privacy-requests-title" className="panel">
        <h2 id="privacy-requests-title">Requests</h2>
        <p className="muted">
          Export and erasure requests from the people you talk to. The law gives 30 days from the day a request arrives; open requests are
          listed first, by deadline.
        </p>
        <ErrorText message={requests.error} />
        {requests.data === null && !requests.error ? (
          <p className="muted" role="status">
            Loading the requests…
          </p>
        ) : list.length === 0 && !requests.error ? (
          <p className="muted">No requests yet. Record one below when a person asks for their data or for its erasure.</p>
        ) : (
          <ul className="privacy-requests" aria-label="Privacy requests">
            {list.map((request) => (
              <RequestItem
                key={request.id}
                request={request}
                workspaceId={workspaceId}
                guard={guard}
                onChanged={() => void requests.reload()}
              />
            ))}
          </ul>
        )}
      </section>
      <NewRequest workspaceId={workspaceId} onCreated={() => void requests.reload()} />
      {prompt}
    </>
  );
}

type Guard = <T>(action: () => Promise<T>) => Promise<T | undefined>;

function RequestItem({
  request,
  workspaceId,
  guard,
  onChanged,
}: {
  request: PrivacyRequest;
  workspaceId: string;
  guard: Guard;
  onChanged(): void;
}) {
  const { busy, error, run } = useAction(describeError);
  const [message, setMessage] = useState<string | null>(null);
  const path = { workspaceId, requestId: request.id };
  const open = request.status === "received" || request.status === "in_progress";
  const who = request.contactErased ? "Erased contact" : request.contactLabel || "Contact without a name";
  const latest = request.exports[0];

  const startExport = () =>
    run(async () => {
      const answer = await guard(() => api("POST", "/api/v1/workspaces/{workspaceId}/privacy/requests/{requestId}/export", { path }));
      if (!answer) return;
      setMessage("The export is being prepared. Refresh in a moment to download it.");
      onChanged();
    });

  const download = (exportId: string) =>
    run(async () => {
      const link = await guard(() =>
        api("POST", "/api/v1/workspaces/{workspaceId}/privacy/exports/{exportId}/link", { path: { workspaceId, exportId } }),
      );
      if (!link) return;
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.download = `subject-export-${exportId}.zip`;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setMessage("The download has started. The link works for 5 minutes.");
    });

  const setStatus = (status: "in_progress" | "rejected" | "completed") =>
    run(async () => {
      await api("PATCH", "/api/v1/workspaces/{workspaceId}/privacy/requests/{requestId}", { path, body: { status } });
      onChanged();
    });

  return (
    <li className={request.overdue ? "privacy-request overdue" : "privacy-request"} aria-label={`${request.kind} request: ${who}`}>
      <div className="privacy-request-head">
        <strong>{request.kind === "export" ? "Export" : "Erasure"}</strong>
        <span>{who}</span>
        <span className={`pill privacy-status-${request.status}`}>{STATUS_LABELS[request.status]}</span>
      </div>
      <p className={request.overdue ? "privacy-deadline overdue-text" : "privacy-deadline muted"}>
        Received {request.receivedOn} · {deadlineText(request)}
      </p>
      {request.notes ? <p className="privacy-notes">{request.notes}</p> : null}
      {latest ? (
        <p className="muted">
          Latest export:{" "}
          {latest.status === "ready" ? `ready, ${formatSize(latest.sizeBytes)}, until ${formatDateTime(latest.expiresAt)}` : latest.status}
        </p>
      ) : null}
      <ErrorText message={error} />
      {message ? (
        <p role="status" className="muted">
          {message}
        </p>
      ) : null}
      <div className="actions">
        {request.kind === "export" && request.status !== "rejected" && !request.contactErased ? (
          <button type="button" onClick={() => void startExport()} disabled={busy}>
            {latest ? "Export again" : "Run export"}
          </button>
        ) : null}
        {latest?.status === "ready" ? (
          <button type="button" onClick={() => void download(latest.id)} disabled={busy}>
            Download
          </button>
        ) : null}
        {request.kind === "erasure" && open ? (
          <ConfirmButton
            label="Run erasure"
            ariaLabel={`Run erasure for ${who}`}
            title="Erase this contact?"
            message={
              <p>
                {who} is erased at once: conversations, messages, notes, media and export bundles go, and their data key is destroyed so no
                copy, backups included, can be read. This cannot be undone. The request keeps only its dates and state.
              </p>
            }
            confirmLabel="Erase now"
            onConfirm={async () => {
              const answer = await guard(() =>
                api("POST", "/api/v1/workspaces/{workspaceId}/privacy/requests/{requestId}/erase", { path }),
              );
              if (answer) onChanged();
            }}
          />
        ) : null}
        {open && request.status === "received" ? (
          <button type="button" onClick={() => void setStatus("in_progress")} disabled={busy}>
            Mark in progress
          </button>
        ) : null}
        {open ? (
          <button type="button" className="danger-outline" onClick={() => void setStatus("rejected")} disabled={busy}>
            Reject
          </button>
        ) : null}
      </div>
    </li>
  );
}

function NewRequest({ workspaceId, onCreated }: { workspaceId: string; onCreated(): void }) {
  const [kind, setKind] = useState<"export" | "erasure">("export");
  const [contactId, setContactId] = useState("");
  const [receivedOn, setReceivedOn] = useState(today());
  const [notes, setNotes] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction(describeError);
  const contacts = useApiQuery(queryKeys.privacyContacts(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/contacts", { path: { workspaceId }, query: { limit: 100 } }),
  );
  const options = contacts.data?.data ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    if (!contactId) {
      setError("Choose the contact who made the request.");
      return;
    }
    void run(async () => {
      await api("POST", "/api/v1/workspaces/{workspaceId}/privacy/requests", {
        path: { workspaceId },
        body: { kind, contactId, receivedOn, ...(notes.trim() ? { notes: notes.trim() } : {}) },
      });
      setNotes("");
      setContactId("");
      setCreated("Request recorded.");
      onCreated();
    });
  };

  return (
    <section aria-labelledby="privacy-new-title" className="panel">
      <h2 id="privacy-new-title">Record a request</h2>
      <form className="stacked-form" aria-label="Record a request" onSubmit={submit}>
        <label className="field">
          <span>Kind</span>
          <select value={kind} onChange={(event) => setKind(event.target.value as "export" | "erasure")} disabled={busy}>
            <option value="export">Export (a copy of their data)</option>
            <option value="erasure">Erasure (forget them)</option>
          </select>
        </label>
        <label className="field">
          <span>Contact</span>
          <select value={contactId} onChange={(event) => setContactId(event.target.value)} disabled={busy || contacts.data === null}>
            <option value="">
              {contacts.data === null ? "Loading contacts…" : options.length === 0 ? "No contacts" : "Choose a contact"}
            </option>
            {options.map((contact) => (
              <option key={contact.id} value={contact.id}>
                {[contact.name ?? contact.whatsappName, contact.phone].filter(Boolean).join(" · ") || contact.id}
              </option>
            ))}
          </select>
        </label>
        <ErrorText message={contacts.error} />
        <label className="field">
          <span>Received on</span>
          <input
            type="date"
            value={receivedOn}
            max={today()}
            required
            onChange={(event) => setReceivedOn(event.target.value)}
            disabled={busy}
          />
        </label>
        <label className="field">
          <span>Notes (optional)</span>
          <textarea
            value={notes}
            maxLength={2000}
            rows={3}
            onChange={(event) => setNotes(event.target.value)}
            disabled={busy}
            placeholder="How it arrived, how you checked who asked. Keep personal data to what is needed."
          />
        </label>
        <ErrorText message={error} />
        {created ? (
          <p role="status" className="muted">
            {created}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Working…" : "Record request"}
          </button>
        </div>
      </form>
    </section>
  );
}
