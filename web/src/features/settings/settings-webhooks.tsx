import { useState, type FormEvent } from "react";
import { api, describeError, type ApiAnswer, type ApiOptions } from "../../lib/api.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { useAction } from "../../lib/use-action.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { ConfirmButton, CopyField, formatDateTime } from "./settings-common.tsx";

// Outbound webhooks (webhooks.manage): register an endpoint (its signing secret is in the creation
// or rotation answer only, kept in this component's state until "Done"), enable or disable it,
// rotate its secret, send a test ping, delete it, and read its delivery log with a replay button
// for dead letters. Types come from the generated API types.

type Endpoint = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}">;
type Delivery = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/deliveries">["data"][number];
type CreateBody = NonNullable<ApiOptions<"POST", "/api/v1/workspaces/{workspaceId}/webhooks">["body"]>;
type EventType = CreateBody["eventTypes"][number];
type Format = NonNullable<CreateBody["format"]>;

const EVENT_TYPES: readonly EventType[] = [
  "message.received",
  "message.status",
  "conversation.created",
  "conversation.assigned",
  "conversation.closed",
  "contact.created",
  "contact.updated",
  "contact.erased",
  "contact.consent_changed",
  "template.status",
  "number.quality",
];
/** What a Meta-format endpoint may subscribe to: inbound values with messages, or with statuses. */
const META_EVENT_TYPES: readonly EventType[] = ["message.received", "message.status"];
const DISABLED_REASONS: Record<string, string> = {
  manual: "Disabled",
  failing: "Disabled: kept failing",
  gone: "Disabled: the receiver answered 410 Gone",
};

const listEndpoints = (workspaceId: string) => api("GET", "/api/v1/workspaces/{workspaceId}/webhooks", { path: { workspaceId } });
const listDeliveries = (workspaceId: string, endpointId: string) =>
  api("GET", "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/deliveries", {
    path: { workspaceId, endpointId },
    query: { limit: 50 },
  });
const createEndpoint = (workspaceId: string, body: CreateBody) =>
  api("POST", "/api/v1/workspaces/{workspaceId}/webhooks", { path: { workspaceId }, body });

export function WebhooksSection({ workspaceId }: { workspaceId: string }) {
  const endpoints = useApiQuery(queryKeys.webhooks(workspaceId), () => listEndpoints(workspaceId).then((answer) => answer.data));
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  return (
    <>
      <section aria-labelledby="new-webhook-title" className="panel">
        <h2 id="new-webhook-title">New endpoint</h2>
        <p className="muted">
          Parley POSTs each event as JSON signed the Standard Webhooks way (<code>webhook-id</code>, <code>webhook-timestamp</code>,{" "}
          <code>webhook-signature</code>). Payloads hold identifiers unless you include personal data.
        </p>
        {secret ? (
          <div className="once" role="region" aria-label="Signing secret">
            <p>
              <strong>Copy the signing secret of {secret.label} now: it is shown only this once.</strong>
            </p>
            <CopyField label="Signing secret" value={secret.value} />
            <button type="button" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
        ) : (
          <CreateEndpointForm
            workspaceId={workspaceId}
            onCreated={(created) => {
              setSecret({ label: created.endpoint.url, value: created.secret });
              void endpoints.reload();
            }}
          />
        )}
      </section>
      <section aria-labelledby="webhooks-title" className="panel">
        <h2 id="webhooks-title">Endpoints</h2>
        <ErrorText message={endpoints.error} />
        {endpoints.data === null && !endpoints.error ? (
          <p className="muted" role="status">
            Loading endpoints…
          </p>
        ) : endpoints.data && endpoints.data.length > 0 ? (
          <table className="data-table stack-narrow" aria-label="Webhook endpoints">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.map((endpoint) => (
                <EndpointRow
                  key={endpoint.id}
                  workspaceId={workspaceId}
                  endpoint={endpoint}
                  isOpen={opened === endpoint.id}
                  onToggleLog={() => setOpened(opened === endpoint.id ? null : endpoint.id)}
                  onChanged={() => void endpoints.reload()}
                  onSecret={(value) => setSecret({ label: endpoint.url, value })}
                />
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No webhook endpoints yet.</p>
        )}
        {opened ? <DeliveryLog workspaceId={workspaceId} endpointId={opened} /> : null}
      </section>
    </>
  );
}

type RowProps = {
  workspaceId: string;
  endpoint: Endpoint;
  isOpen: boolean;
  onToggleLog(): void;
  onChanged(): void;
  onSecret(secret: string): void;
};

function EndpointRow({ workspaceId, endpoint, isOpen, onToggleLog, onChanged, onSecret }: RowProps) {
  const { busy, error, run } = useAction(describeError);
  const path = { workspaceId, endpointId: endpoint.id };
  const setEnabled = (enabled: boolean) =>
    run(async () => {
      await api("PATCH", "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}", { path, body: { enabled } });
      onChanged();
    });
  return (
    <tr>
      <td data-label="URL">
        <code>{endpoint.url}</code>
        {endpoint.description ? <div className="muted">{endpoint.description}</div> : null}
      </td>
      <td data-label="Events" title={endpoint.eventTypes.join(", ")}>
        {endpoint.eventTypes.length === 1 ? endpoint.eventTypes[0] : `${endpoint.eventTypes.length} events`}
        {endpoint.format === "meta" ? <div className="muted">Meta's format</div> : null}
        {endpoint.includePersonalData ? <div className="muted">with personal data</div> : null}
      </td>
      <td data-label="Status">{endpoint.enabled ? "Enabled" : (DISABLED_REASONS[endpoint.disabledReason ?? "manual"] ?? "Disabled")}</td>
      <td data-label="Actions">
        <div className="actions">
          <button
            type="button"
            disabled={busy}
            onClick={() => void setEnabled(!endpoint.enabled)}
            aria-label={`${endpoint.enabled ? "Disable" : "Enable"} ${endpoint.url}`}
          >
            {endpoint.enabled ? "Disable" : "Enable"}
          </button>
          <button
            type="button"
            disabled={busy || !endpoint.enabled}
            aria-label={`Send a test event to ${endpoint.url}`}
            onClick={() => void run(() => api("POST", "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/test", { path }))}
          >
            Send test
          </button>
          <button type="button" aria-expanded={isOpen} aria-label={`Deliveries of ${endpoint.url}`} onClick={onToggleLog}>
            Deliveries
          </button>
          <ConfirmButton
            label="Rotate secret"
            ariaLabel={`Rotate the secret of ${endpoint.url}`}
            title="Rotate the signing secret?"
            message={
              <p>
                A new secret is shown once. For 24 hours deliveries carry signatures with both the old and the new secret, so the receiver
                can switch without missing any.
              </p>
            }
            confirmLabel="Rotate secret"
            onConfirm={async () => {
              const rotated = await api("POST", "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/rotate-secret", { path, body: {} });
              onSecret(rotated.secret);
              onChanged();
            }}
          />
          <ConfirmButton
            label="Delete"
            ariaLabel={`Delete ${endpoint.url}`}
            title="Delete this endpoint?"
            message={<p>Deliveries to {endpoint.url} stop and its delivery log is deleted. This cannot be undone.</p>}
            confirmLabel="Delete endpoint"
            onConfirm={async () => {
              await api("DELETE", "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}", { path });
              onChanged();
            }}
          />
        </div>
        <ErrorText message={error} />
      </td>
    </tr>
  );
}

function CreateEndpointForm({
  workspaceId,
  onCreated,
}: {
  workspaceId: string;
  onCreated(created: { endpoint: Endpoint; secret: string }): void;
}) {
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<Set<EventType>>(new Set(["message.received"]));
  const [personal, setPersonal] = useState(false);
  const [format, setFormat] = useState<Format>("standard");
  const { busy, error, setError, run } = useAction(describeError);
  const isMeta = format === "meta";
  const offered = isMeta ? META_EVENT_TYPES : EVENT_TYPES;
  const chosen = offered.filter((type) => events.has(type));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.length === 0) {
      setError("Choose at least one event.");
      return;
    }
    void run(async () => {
      // A Meta-format endpoint carries personal data by construction: the option goes with the format.
      const created = await createEndpoint(workspaceId, {
        url: url.trim(),
        description: description.trim(),
        format,
        eventTypes: chosen,
        includePersonalData: isMeta || personal,
      });
      setUrl("");
      setDescription("");
      onCreated(created);
    });
  };

  return (
    <form className="stacked-form" onSubmit={submit} aria-label="Create a webhook endpoint">
      <label className="field">
        <span>URL</span>
        <input
          type="url"
          value={url}
          required
          maxLength={2048}
          autoComplete="off"
          placeholder="https://example.com/parley"
          onChange={(event) => setUrl(event.target.value)}
        />
      </label>
      <label className="field">
        <span>Description</span>
        <input value={description} maxLength={500} autoComplete="off" onChange={(event) => setDescription(event.target.value)} />
      </label>
      <fieldset className="scopes">
        <legend>Format</legend>
        <ul>
          <li>
            <label className="check">
              <input type="radio" name="webhook-format" value="standard" checked={!isMeta} onChange={() => setFormat("standard")} />
              <span>Parley events (Standard Webhooks signatures)</span>
            </label>
          </li>
          <li>
            <label className="check">
              <input type="radio" name="webhook-format" value="meta" checked={isMeta} onChange={() => setFormat("meta")} />
              <span>
                Meta&apos;s format: inbound WhatsApp messages and statuses as Meta sends them, signed with X-Hub-Signature-256, for a bot
                written against Meta&apos;s webhooks
              </span>
            </label>
          </li>
        </ul>
        {isMeta ? (
          <p className="muted">
            Meta&apos;s payloads carry your contacts&apos; phone numbers, names and message texts, so this endpoint always receives personal
            data. Creating it is recorded in the audit log.
          </p>
        ) : null}
      </fieldset>
      <fieldset className="scopes">
        <legend>Events</legend>
        <ul>
          {offered.map((type) => (
            <li key={type}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={events.has(type)}
                  onChange={(event) =>
                    setEvents((current) => {
                      const next = new Set(current);
                      if (event.target.checked) next.add(type);
                      else next.delete(type);
                      return next;
                    })
                  }
                />
                <code>{type}</code>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={isMeta || personal} disabled={isMeta} onChange={(event) => setPersonal(event.target.checked)} />
        <span>Include personal data (message text, contact phone and name). Recorded in the audit log.</span>
      </label>
      <ErrorText message={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create endpoint"}
        </button>
      </div>
    </form>
  );
}

function DeliveryLog({ workspaceId, endpointId }: { workspaceId: string; endpointId: string }) {
  const deliveries = useApiQuery(queryKeys.webhookDeliveries(workspaceId, endpointId), () =>
    listDeliveries(workspaceId, endpointId).then((answer) => answer.data),
  );
  const { error, run } = useAction(describeError);
  return (
    <div role="region" aria-label="Delivery log">
      <h3>Delivery log</h3>
      <div className="actions">
        <button type="button" onClick={() => void deliveries.reload()}>
          Refresh
        </button>
      </div>
      <ErrorText message={deliveries.error ?? error} />
      {deliveries.data && deliveries.data.length > 0 ? (
        <table className="data-table stack-narrow" aria-label="Deliveries">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Answer</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((delivery: Delivery) => (
              <tr key={delivery.id}>
                <td data-label="Created">{formatDateTime(delivery.createdAt)}</td>
                <td data-label="Event">{delivery.eventType}</td>
                <td data-label="Status">{delivery.status}</td>
                <td data-label="Attempts">{delivery.attempts}</td>
                <td data-label="Answer">
                  {delivery.lastResponseCode ?? "—"}
                  {delivery.lastLatencyMs !== null ? ` in ${delivery.lastLatencyMs} ms` : ""}
                  {delivery.lastError ? <div className="muted">{delivery.lastError}</div> : null}
                </td>
                <td data-label="Actions">
                  {delivery.status === "failed" ? (
                    <button
                      type="button"
                      onClick={() =>
                        void run(async () => {
                          await api("POST", "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/deliveries/{deliveryId}/replay", {
                            path: { workspaceId, endpointId, deliveryId: delivery.id },
                          });
                          await deliveries.reload();
                        })
                      }
                    >
                      Replay
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : deliveries.data ? (
        <p className="muted">No deliveries yet.</p>
      ) : null}
    </div>
  );
}
