import { api } from "../../lib/api.ts";
import { formatDateTime } from "./settings-common.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";

// What Meta reported about a number that is not a message (GET …/numbers/:numberId/events): errors
// in webhooks, failed deliveries' errors, errors on inbound messages, and changes Parley kept
// without applying them. Codes, titles and Meta's explanations only; shown under each number.

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

function describeCounts(data: NumberEvents): string {
  const errors = data.errorCount === 0 ? "No errors" : `${data.errorCount} ${data.errorCount === 1 ? "error" : "errors"}`;
  return data.unsupportedCount > 0 ? `${errors}, ${data.unsupportedCount} kept without being applied` : errors;
}

/**
 * The number's reports from Meta: a collapsed summary with the counts, which opens (click, Enter or
 * Space: a native disclosure) onto the latest events. It only reads.
 */
export function NumberErrors({ workspaceId, numberId, limit = 20 }: { workspaceId: string; numberId: string; limit?: number }) {
  const events = useApiQuery(queryKeys.numberEvents(workspaceId, numberId, limit), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/events", { path: { workspaceId, numberId }, query: { limit } }),
  );
  const headingId = `number-errors-${numberId}`;
  const data = events.data;
  const summary = data !== null ? describeCounts(data) : events.error ? "could not be loaded" : "loading…";
  return (
    <section aria-labelledby={headingId} className="number-errors">
      <details>
        <summary>
          <span id={headingId}>Reports from WhatsApp</span>: <span data-testid="number-error-count">{summary}</span>
        </summary>
        {data === null ? (
          events.error ? (
            <>
              <ErrorText message={events.error} />
              <button type="button" onClick={() => void events.reload()}>
                Try again
              </button>
            </>
          ) : (
            <p className="muted" role="status">
              Loading…
            </p>
          )
        ) : data.events.length === 0 ? (
          <p className="muted">WhatsApp has reported no errors and no unsupported changes for this number.</p>
        ) : (
          <ul className="number-events" aria-label="Latest reports from WhatsApp">
            {data.events.map((event) => (
              <li key={event.id} data-kind={event.kind}>
                <dl className="facts">
                  <dt>What</dt>
                  <dd>
                    {KIND_LABELS[event.kind]}
                    {event.field ? ` (${event.field})` : ""}
                  </dd>
                  <dt>When</dt>
                  <dd>{formatDateTime(event.occurredAt)}</dd>
                  <dt>Code</dt>
                  <dd>{event.code ?? "—"}</dd>
                  <dt>Details</dt>
                  <dd>
                    {event.title ?? "—"}
                    {event.detail && event.detail !== event.title ? ` — ${event.detail}` : ""}
                  </dd>
                </dl>
              </li>
            ))}
          </ul>
        )}
      </details>
    </section>
  );
}
