import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, type ApiAnswer } from "../../lib/api.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { useAction } from "../../lib/use-action.ts";
import { ErrorText } from "../../ui/ui.tsx";
import {
  CONSENT_LABELS,
  SOURCE_LABELS,
  describeProblem,
  formatDateTime,
  type ConsentSource,
  type ConsentStatus,
} from "./contacts-model.ts";

// A contact's consent (docs/consent.md): the current state per scope — marketing (what marketing
// templates and broadcasts need) and utility (evidence) — with its source and time, the ledger of
// every opt-in and opt-out, newest first, and a form to record a decision (contacts.write).

type Consent = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/consent">;
type Entry = Consent["history"][number];
type Scope = Entry["scope"];

const SCOPE_LABELS: Record<Scope, string> = { marketing: "Marketing", utility: "Utility" };

/** How an entry came, in words. */
export function describeMethod(entry: Pick<Entry, "method" | "status" | "recordedByUserId">): string {
  switch (entry.method) {
    case "recorded":
      return entry.recordedByUserId ? "recorded by a team member" : "recorded through the API";
    case "import":
      return "from a CSV import";
    case "keyword":
      return entry.status === "opted_out" ? "the contact wrote an opt-out keyword" : "the contact wrote an opt-in keyword";
    case "meta_preference":
      return entry.status === "opted_out"
        ? "the contact stopped marketing messages in WhatsApp"
        : "the contact resumed marketing messages in WhatsApp";
  }
}

type Props = { workspaceId: string; contactId: string; canWrite: boolean; onRecorded(): void };

export function ContactConsent({ workspaceId, contactId, canWrite, onRecorded }: Props) {
  const queryClient = useQueryClient();
  const key = queryKeys.contactConsent(workspaceId, contactId);
  const consent = useApiQuery(
    key,
    () => api("GET", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/consent", { path: { workspaceId, contactId } }),
    { describe: describeProblem },
  );
  const data = consent.data;

  return (
    <>
      <section className="contact-card" aria-labelledby="consent-title">
        <h3 id="consent-title">Consent to messages</h3>
        <ErrorText message={consent.error} />
        {data ? (
          <>
            <dl className="consent-states" aria-label="Current consent">
              {(["marketing", "utility"] as const).map((scope) => (
                <div key={scope} className="consent-state">
                  <dt>{SCOPE_LABELS[scope]}</dt>
                  <dd>
                    <span className={`contact-consent contact-consent-${data[scope].status}`}>{CONSENT_LABELS[data[scope].status]}</span>
                    {data[scope].updatedAt ? (
                      <span className="muted">
                        {" "}
                        — {data[scope].source ? SOURCE_LABELS[data[scope].source] : "source not recorded"},{" "}
                        {formatDateTime(data[scope].updatedAt)}
                      </span>
                    ) : (
                      <span className="muted"> — never recorded</span>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
            <p className="muted">
              Marketing templates and broadcasts need “Opted in” for marketing. Utility messages and replies are always allowed.
            </p>
          </>
        ) : consent.error ? null : (
          <p className="muted" role="status">
            Loading consent…
          </p>
        )}
        {canWrite && data ? (
          <RecordForm
            workspaceId={workspaceId}
            contactId={contactId}
            current={data.marketing.status}
            onRecorded={(next) => {
              queryClient.setQueryData(key, next);
              onRecorded();
            }}
          />
        ) : null}
      </section>
      {data ? <ConsentLedger history={data.history} /> : null}
    </>
  );
}

function RecordForm({
  workspaceId,
  contactId,
  current,
  onRecorded,
}: {
  workspaceId: string;
  contactId: string;
  current: ConsentStatus;
  onRecorded(consent: Consent): void;
}) {
  const [scope, setScope] = useState<Scope>("marketing");
  const [status, setStatus] = useState<ConsentStatus>(current === "opted_in" ? "opted_out" : "opted_in");
  const [source, setSource] = useState<ConsentSource>("agent");
  const { busy, error, onSubmit } = useAction(describeProblem);

  const record = onSubmit(async () =>
    onRecorded(
      await api("POST", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/consent/entries", {
        path: { workspaceId, contactId },
        body: { scope, status, source },
      }),
    ),
  );

  return (
    <form onSubmit={record} aria-label="Record consent">
      <fieldset disabled={busy} className="contact-consent-form">
        <label>
          <span>Scope</span>
          <select value={scope} onChange={(event) => setScope(event.target.value as Scope)}>
            {(Object.keys(SCOPE_LABELS) as Scope[]).map((value) => (
              <option key={value} value={value}>
                {SCOPE_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>New state</span>
          <select value={status} onChange={(event) => setStatus(event.target.value as ConsentStatus)}>
            {(Object.keys(CONSENT_LABELS) as ConsentStatus[]).map((value) => (
              <option key={value} value={value}>
                {CONSENT_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>How it was given</span>
          <select value={source} onChange={(event) => setSource(event.target.value as ConsentSource)}>
            {(Object.keys(SOURCE_LABELS) as ConsentSource[]).map((value) => (
              <option key={value} value={value}>
                {SOURCE_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{busy ? "Recording…" : "Record consent"}</button>
      </fieldset>
      <ErrorText message={error} />
    </form>
  );
}

function ConsentLedger({ history }: { history: readonly Entry[] }) {
  return (
    <section className="contact-card" aria-labelledby="ledger-title">
      <h3 id="ledger-title">Consent history</h3>
      {history.length === 0 ? (
        <p className="muted">No consent recorded yet.</p>
      ) : (
        <ol className="consent-ledger" aria-label="Consent history">
          {history.map((entry) => (
            <li key={entry.id} className="consent-entry">
              <span className={`contact-consent contact-consent-${entry.status}`}>
                {SCOPE_LABELS[entry.scope]}: {CONSENT_LABELS[entry.status]}
              </span>
              <span className="muted">
                {SOURCE_LABELS[entry.source]} · {describeMethod(entry)} ·{" "}
                <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
