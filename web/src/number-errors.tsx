import { api } from "./api.ts";
import { formatDateTime, useResource } from "./settings-common.tsx";
import { ErrorText } from "./ui.tsx";

// What Meta reported about a number that is not a message (GET …/numbers/:numberId/events): errors
// in webhooks, failed deliveries' errors, errors on inbound messages, and changes Parley kept
// without applying them. Codes, titles and Meta's explanations only; mount it under a number.

export type NumberEventKind = "webhook_error" | "status_error" | "message_error" | "unsupported_field" | "unparsed_item";

export type NumberEvent = {
  id: string;
  kind: NumberEventKind;
  code: number | null;
  title: string | null;
  detail: string | null;
  field: string | null;
  wamid: string | null;
  occurredAt: string;
};

export type NumberEvents = { errorCount: number; unsupportedCount: number; events: NumberEvent[] };

const KIND_LABELS: Record<NumberEventKind, string> = {
  webhook_error: "Webhook error",
  status_error: "Delivery failed",
  message_error: "Inbound message error",
  unsupported_field: "Kept, not applied",
  unparsed_item: "Kept, not readable",
};

/** The number's error count and its latest events from Meta. */
export function NumberErrors({ workspaceId, numberId, limit = 20 }: { workspaceId: string; numberId: string; limit?: number }) {
  const events = useResource(() => api<NumberEvents>("GET", `/api/v1/workspaces/${workspaceId}/numbers/${numberId}/events?limit=${limit}`), [workspaceId, numberId, limit]);
  const headingId = `number-errors-${numberId}`;
  return (
    <section aria-labelledby={headingId} className="number-errors">
      <h3 id={headingId}>Reports from WhatsApp</h3>
      <ErrorText message={events.error} />
      {events.data === null ? (
        events.error ? null : <p className="muted" role="status">Loading…</p>
      ) : (
        <>
          <p data-testid="number-error-count">
            {events.data.errorCount === 0 ? "No errors reported." : `${events.data.errorCount} ${events.data.errorCount === 1 ? "error" : "errors"} reported.`}
            {events.data.unsupportedCount > 0 ? ` ${events.data.unsupportedCount} kept without being applied.` : ""}
          </p>
          {events.data.events.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Code</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {events.data.events.map((event) => (
                  <tr key={event.id} data-kind={event.kind}>
                    <td>{formatDateTime(event.occurredAt)}</td>
                    <td>
                      {KIND_LABELS[event.kind]}
                      {event.field ? ` (${event.field})` : ""}
                    </td>
                    <td>{event.code ?? "—"}</td>
                    <td>
                      {event.title ?? ""}
                      {event.detail && event.detail !== event.title ? ` — ${event.detail}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      )}
    </section>
  );
}
