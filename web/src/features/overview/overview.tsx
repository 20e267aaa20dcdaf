import { api, type Me } from "../../lib/api.ts";
import { Shell, type Membership } from "../../app/shell.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";

// The Overview: aggregates of the last 14 days for Analysts (and Owners and Admins). The API
// answers counts and rates only — never content, names or phone numbers — so neither can this
// screen show any. The chart is SVG drawn with attributes (the CSP forbids inline styles), with
// the same numbers in a table for screen readers and keyboard users.

type Props = { me: Me; membership: Membership; onSignOut(): void };

type Summary = {
  days: number;
  since: string;
  generatedAt: string;
  conversations: { open: number; closed: number; unassigned: number };
  messagesPerDay: Array<{ day: string; inbound: number; outbound: number }>;
  firstResponse: { medianSeconds: number | null; answered: number; waiting: number };
  outbound: { total: number; delivered: number; read: number; failed: number; deliveryRate: number | null; readRate: number | null };
};

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 1000) / 10} %`);

function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString([], { day: "numeric", month: "short", timeZone: "UTC" });
}

export function OverviewScreen({ me, membership, onSignOut }: Props) {
  const { workspaceId } = membership;
  const summary = useApiQuery(queryKeys.analytics(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/analytics/summary", { path: { workspaceId } }),
  );
  const data = summary.data;

  return (
    <Shell me={me} membership={membership} section="overview" onSignOut={onSignOut}>
      <main className="page overview" aria-labelledby="overview-title">
        <div className="overview-head">
          <h1 id="overview-title">Overview</h1>
          {data ? (
            <p className="muted">
              Last {data.days} days (UTC). Counts only: no message content, names or phone numbers.{" "}
              <button type="button" className="link" onClick={() => void summary.reload()}>
                Refresh
              </button>
            </p>
          ) : null}
        </div>
        <ErrorText message={summary.error} />
        {data === null && !summary.error ? (
          <p className="muted" role="status">
            Loading the numbers…
          </p>
        ) : data ? (
          <>
            <section aria-labelledby="conversations-title">
              <h2 id="conversations-title">Conversations now</h2>
              <dl className="stats">
                <Stat label="Open" value={String(data.conversations.open)} />
                <Stat label="Unassigned" value={String(data.conversations.unassigned)} hint="open, nobody assigned" />
                <Stat label="Closed" value={String(data.conversations.closed)} />
              </dl>
            </section>
            <section aria-labelledby="service-title">
              <h2 id="service-title">Service</h2>
              <dl className="stats">
                <Stat
                  label="Median first response"
                  value={formatDuration(data.firstResponse.medianSeconds)}
                  hint={`${data.firstResponse.answered} answered, ${data.firstResponse.waiting} waiting`}
                />
                <Stat
                  label="Delivered"
                  value={percent(data.outbound.deliveryRate)}
                  hint={`${data.outbound.delivered} of ${data.outbound.total} sent`}
                />
                <Stat label="Read" value={percent(data.outbound.readRate)} hint={`${data.outbound.read} of ${data.outbound.total} sent`} />
                <Stat label="Failed" value={String(data.outbound.failed)} hint="outbound messages not delivered" />
              </dl>
            </section>
            <section aria-labelledby="volume-title">
              <h2 id="volume-title">Messages per day</h2>
              <VolumeChart days={data.messagesPerDay} />
            </section>
          </>
        ) : null}
      </main>
    </Shell>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        <span className="stat-value">{value}</span>
        {hint ? <span className="stat-hint">{hint}</span> : null}
      </dd>
    </div>
  );
}

const CHART = { width: 700, height: 180, top: 10, bottom: 24, left: 32 };

function VolumeChart({ days }: { days: Summary["messagesPerDay"] }) {
  const max = Math.max(1, ...days.flatMap((day) => [day.inbound, day.outbound]));
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const slot = (CHART.width - CHART.left) / Math.max(1, days.length);
  const bar = Math.max(2, slot / 2 - 3);
  const y = (value: number) => CHART.top + plotHeight - (value / max) * plotHeight;
  const total = days.reduce((sum, day) => ({ inbound: sum.inbound + day.inbound, outbound: sum.outbound + day.outbound }), {
    inbound: 0,
    outbound: 0,
  });
  if (total.inbound + total.outbound === 0) return <p className="muted">No messages were received or sent in this period.</p>;
  return (
    <>
      <p className="legend">
        <span className="swatch swatch-in" aria-hidden="true" /> Received ({total.inbound}){" "}
        <span className="swatch swatch-out" aria-hidden="true" /> Sent ({total.outbound})
      </p>
      <svg
        className="chart"
        viewBox={`0 0 ${CHART.width} ${CHART.height}`}
        role="img"
        aria-label={`Messages per day: ${total.inbound} received and ${total.outbound} sent in ${days.length} days`}
      >
        <line className="axis" x1={CHART.left} x2={CHART.width} y1={CHART.top + plotHeight} y2={CHART.top + plotHeight} />
        <text className="tick-label" x={CHART.left - 6} y={CHART.top + 4} textAnchor="end">
          {max}
        </text>
        <text className="tick-label" x={CHART.left - 6} y={CHART.top + plotHeight} textAnchor="end">
          0
        </text>
        {days.map((day, index) => {
          const x = CHART.left + index * slot + 2;
          return (
            <g key={day.day}>
              <rect className="bar-in" x={x} y={y(day.inbound)} width={bar} height={CHART.top + plotHeight - y(day.inbound)}>
                <title>{`${dayLabel(day.day)}: ${day.inbound} received`}</title>
              </rect>
              <rect className="bar-out" x={x + bar + 1} y={y(day.outbound)} width={bar} height={CHART.top + plotHeight - y(day.outbound)}>
                <title>{`${dayLabel(day.day)}: ${day.outbound} sent`}</title>
              </rect>
              {index % 2 === days.length % 2 ? null : (
                <text className="tick-label" x={x + bar} y={CHART.height - 6} textAnchor="middle">
                  {dayLabel(day.day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <details>
        <summary>Show as a table</summary>
        <table className="data-table" aria-label="Messages per day">
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col">Received</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.day}>
                <td>{dayLabel(day.day)}</td>
                <td>{day.inbound}</td>
                <td>{day.outbound}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
