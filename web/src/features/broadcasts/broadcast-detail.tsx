import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import type { Membership } from "../../app/shell.tsx";
import { api, apiDownload, describeError, type Me } from "../../lib/api.ts";
import { can } from "../../lib/permissions.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { useAction } from "../../lib/use-action.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { ConfirmButton, formatDateTime, useReauth } from "../settings/settings-common.tsx";
import { POLL_MS, ProgressBar, StateBadge, STATUS_POLL_MS } from "./broadcast-parts.tsx";
import { FUNNEL, isActive, isAwaitingStatuses, statusWords, type Broadcast } from "./broadcast-model.ts";

// One broadcast: its live progress (the live event reloads it; a slow poll while it runs covers a
// stream that is down), the actions its state allows, and the report: the funnel, failures by
// error code in words, skips by reason, replies; retrying what may pass; the outcomes as CSV.

export function BroadcastDetail({ me, membership, broadcastId }: { me: Me; membership: Membership; broadcastId: string }) {
  const workspaceId = membership.workspaceId;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const path = { workspaceId, broadcastId };
  const broadcast = useQuery({
    queryKey: queryKeys.broadcast(workspaceId, broadcastId),
    queryFn: () => api("GET", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}", { path }),
    refetchInterval: (query) => {
      const shown = query.state.data;
      if (!shown) return false;
      return isActive(shown) ? POLL_MS : isAwaitingStatuses(shown) ? STATUS_POLL_MS : false;
    },
  });
  const shownState = broadcast.data?.state;
  const shownCounts = broadcast.data ? JSON.stringify(broadcast.data.counts) : "";
  // The report follows the broadcast: when its state or counts change, the report is read again.
  useEffect(() => {
    if (shownState !== undefined) void queryClient.invalidateQueries({ queryKey: queryKeys.broadcastReport(workspaceId, broadcastId) });
  }, [shownState, shownCounts, queryClient, workspaceId, broadcastId]);
  const report = useApiQuery(queryKeys.broadcastReport(workspaceId, broadcastId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/report", { path }),
  );
  const acting = useAction(describeError);
  const exporting = useAction(describeError);
  const [exported, setExported] = useState<string | null>(null);
  const reauth = useReauth(me);

  const settle = async (answer: Broadcast) => {
    queryClient.setQueryData(queryKeys.broadcast(workspaceId, broadcastId), answer);
    await queryClient.invalidateQueries({ queryKey: queryKeys.broadcasts(workspaceId) });
  };
  const start = () =>
    acting.run(async () =>
      settle(await api("POST", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/start", { path, body: {} })),
    );
  const pause = () =>
    acting.run(async () =>
      settle(await api("POST", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/pause", { path, body: {} })),
    );
  const resume = () =>
    acting.run(async () =>
      settle(await api("POST", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/resume", { path, body: {} })),
    );
  const retry = () =>
    acting.run(async () =>
      settle(await api("POST", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/retry", { path, body: {} })),
    );
  const cancel = async () =>
    settle(await api("POST", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/cancel", { path, body: {} }));

  const exportCsv = () => {
    setExported(null);
    void exporting.run(async () => {
      const file = await reauth.guard(() => apiDownload(`/api/v1/workspaces/${workspaceId}/broadcasts/${broadcastId}/outcomes.csv`));
      if (!file) return;
      const url = URL.createObjectURL(file.blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = file.filename ?? `broadcast-${broadcastId}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported("The outcomes were exported.");
    });
  };

  const back = (
    <button type="button" className="link" onClick={() => void navigate({ to: "/w/$workspaceId/broadcasts", params: { workspaceId } })}>
      Back to broadcasts
    </button>
  );
  if (broadcast.error) {
    return (
      <>
        <h1 id="broadcasts-title">Broadcast</h1>
        <ErrorText message={`The broadcast could not be loaded: ${describeError(broadcast.error)}`} />
        {back}
      </>
    );
  }
  const data = broadcast.data;
  if (!data) {
    return (
      <>
        <h1 id="broadcasts-title">Broadcast</h1>
        <p className="muted" role="status">
          Loading the broadcast…
        </p>
      </>
    );
  }
  const words = statusWords(data);
  const retryable = report.data?.failures.filter((failure) => failure.retryable).reduce((sum, failure) => sum + failure.count, 0) ?? 0;
  const canRetry = retryable > 0 && (data.state === "running" || data.state === "paused" || data.state === "completed");

  return (
    <article className="broadcast-detail" aria-labelledby="broadcasts-title">
      {reauth.prompt}
      <div className="broadcasts-header">
        <h1 id="broadcasts-title">{data.name}</h1>
        {back}
      </div>
      <p className="broadcast-detail-state">
        <StateBadge broadcast={data} />
        <span className="muted">
          {data.template.name} ({data.template.language}) · created {formatDateTime(data.createdAt)}
          {data.scheduledAt ? ` · scheduled for ${formatDateTime(data.scheduledAt)} (${data.timeZone})` : ""}
        </span>
      </p>
      {words ? (
        <p className={data.state === "paused" ? "broadcast-status-text warning" : "broadcast-status-text"} role="status">
          {words}
        </p>
      ) : null}
      <section aria-labelledby="broadcast-progress-title" className="broadcast-section">
        <h2 id="broadcast-progress-title">Progress</h2>
        <ProgressBar broadcast={data} label="Broadcast progress" />
        {!data.audienceResolved && data.state === "running" ? <p className="muted">Finding the audience…</p> : null}
        <dl className="broadcast-funnel" aria-label="Recipients by state">
          <div>
            <dt>Recipients</dt>
            <dd>{data.counts.total}</dd>
          </div>
          {FUNNEL.map(({ key, label }) => (
            <div key={key} className={`funnel-${key}`}>
              <dt>{label}</dt>
              <dd>{data.counts[key]}</dd>
            </div>
          ))}
        </dl>
      </section>
      <div className="actions broadcast-actions">
        {data.state === "draft" ? (
          <button type="button" className="primary" onClick={() => void start()} disabled={acting.busy}>
            {data.scheduledAt ? "Schedule" : "Start sending"}
          </button>
        ) : null}
        {data.state === "running" || data.state === "scheduled" ? (
          <button type="button" onClick={() => void pause()} disabled={acting.busy}>
            Pause
          </button>
        ) : null}
        {data.state === "paused" ? (
          <button type="button" className="primary" onClick={() => void resume()} disabled={acting.busy}>
            Resume
          </button>
        ) : null}
        {canRetry ? (
          <button type="button" onClick={() => void retry()} disabled={acting.busy}>
            Retry failed ({retryable})
          </button>
        ) : null}
        {data.state !== "completed" && data.state !== "cancelled" ? (
          <ConfirmButton
            label="Cancel broadcast"
            title="Cancel this broadcast?"
            message={
              <p>Recipients not yet sent to are skipped. Messages already handed to WhatsApp still arrive. This cannot be undone.</p>
            }
            confirmLabel="Cancel broadcast"
            onConfirm={cancel}
          />
        ) : null}
      </div>
      <ErrorText message={acting.error} />

      <section aria-labelledby="broadcast-report-title" className="broadcast-section">
        <h2 id="broadcast-report-title">Report</h2>
        {report.error ? (
          <ErrorText message={`The report could not be loaded: ${report.error}`} />
        ) : !report.data ? (
          <p className="muted">Loading the report…</p>
        ) : (
          <>
            <dl className="broadcast-funnel" aria-label="Funnel">
              {(
                [
                  ["Targeted", report.data.funnel.targeted],
                  ["Handed to WhatsApp", report.data.funnel.handedOver],
                  ["Sent", report.data.funnel.sent],
                  ["Delivered", report.data.funnel.delivered],
                  ["Read", report.data.funnel.read],
                  ["Replied", report.data.funnel.replied],
                ] as const
              ).map(([label, count]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{count}</dd>
                </div>
              ))}
            </dl>
            <h3>Failures</h3>
            {report.data.failures.length === 0 ? (
              <p className="muted">No failures.</p>
            ) : (
              <ul className="broadcast-reasons" aria-label="Failures by error">
                {report.data.failures.map((failure) => (
                  <li key={String(failure.code)}>
                    <strong>{failure.count}</strong> {failure.code === null ? "" : `(${failure.code}) `}
                    {failure.description}
                    {failure.retryable ? " — may pass on a retry." : ""}
                  </li>
                ))}
              </ul>
            )}
            <h3>Skipped</h3>
            {report.data.skips.length === 0 ? (
              <p className="muted">No one was skipped.</p>
            ) : (
              <ul className="broadcast-reasons" aria-label="Skipped by reason">
                {report.data.skips.map((skip) => (
                  <li key={String(skip.reason)}>
                    <strong>{skip.count}</strong> {skip.description}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>
      {can(membership.role, "broadcasts.manage") && data.state !== "draft" ? (
        <section aria-labelledby="broadcast-export-title" className="broadcast-section">
          <h2 id="broadcast-export-title">Outcomes</h2>
          <p className="muted">Each recipient's phone, state, reason and times, as a CSV file. You confirm your password first.</p>
          <button type="button" onClick={exportCsv} disabled={exporting.busy}>
            {exporting.busy ? "Exporting…" : "Export outcomes (CSV)"}
          </button>
          {exported ? <p role="status">{exported}</p> : null}
          <ErrorText message={exporting.error} />
        </section>
      ) : null}
    </article>
  );
}
