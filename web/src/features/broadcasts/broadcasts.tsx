import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useEffect } from "react";
import { Shell, type Membership } from "../../app/shell.tsx";
import { api, type Me } from "../../lib/api.ts";
import { onBroadcastProgress, openLiveFeed } from "../../lib/events.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { formatDateTime } from "../settings/settings-common.tsx";
import { isLocked, PlanLock, usePlan } from "../plans/plan-lock.tsx";
import { BroadcastDetail } from "./broadcast-detail.tsx";
import { BroadcastWizard } from "./broadcast-wizard.tsx";
import { isActive, plural, statusWords } from "./broadcast-model.ts";
import { POLL_MS, ProgressBar, StateBadge } from "./broadcast-parts.tsx";

// The Broadcasts section (Owners and Admins, plan feature `broadcasts`): the list, the
// new-broadcast wizard (/new) and a broadcast's live progress and report (/<id>). The live event
// broadcast.progress reloads what is shown; a slow poll covers a stream that is down.

type Props = { me: Me; membership: Membership; subpath: string; onSignOut(): void };

export function BroadcastsScreen({ me, membership, subpath, onSignOut }: Props) {
  const workspaceId = membership.workspaceId;
  useLiveBroadcasts(workspaceId);
  const locked = isLocked(usePlan(workspaceId).data, "broadcasts");
  return (
    <Shell me={me} membership={membership} section="broadcasts" onSignOut={onSignOut}>
      <main className="page broadcasts-page" aria-labelledby="broadcasts-title">
        {locked ? <h1 id="broadcasts-title">Broadcasts</h1> : null}
        <PlanLock workspaceId={workspaceId} feature="broadcasts">
          {subpath === "new" ? (
            <BroadcastWizard workspaceId={workspaceId} />
          ) : subpath ? (
            <BroadcastDetail me={me} membership={membership} broadcastId={subpath} />
          ) : (
            <BroadcastList workspaceId={workspaceId} />
          )}
        </PlanLock>
      </main>
    </Shell>
  );
}

/** broadcast.progress reloads the broadcasts shown (list, detail and report share the key's prefix). */
function useLiveBroadcasts(workspaceId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const reload = () => void queryClient.invalidateQueries({ queryKey: queryKeys.broadcasts(workspaceId) });
    const stopListening = onBroadcastProgress(reload);
    const stopFeed = openLiveFeed(workspaceId, { onEvent: () => undefined, onResync: reload, onStatus: () => undefined });
    return () => {
      stopListening();
      stopFeed();
    };
  }, [queryClient, workspaceId]);
}

function BroadcastList({ workspaceId }: { workspaceId: string }) {
  const navigate = useNavigate();
  const list = useApiQuery(queryKeys.broadcasts(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/broadcasts", { path: { workspaceId } }).then((answer) => answer.data),
  );
  const active = list.data?.some(isActive) ?? false;
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => void list.reload(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [active, list]);
  const open = (broadcastId: string) =>
    void navigate({ to: "/w/$workspaceId/broadcasts/$broadcastId", params: { workspaceId, broadcastId } });

  return (
    <>
      <div className="broadcasts-header">
        <h1 id="broadcasts-title">Broadcasts</h1>
        <button type="button" className="primary" onClick={() => open("new")}>
          New broadcast
        </button>
      </div>
      {list.error ? (
        <div>
          <ErrorText message={`The broadcasts could not be loaded: ${list.error}`} />
          <button type="button" onClick={() => void list.reload()}>
            Try again
          </button>
        </div>
      ) : list.data === null ? (
        <p className="muted" role="status">
          Loading broadcasts…
        </p>
      ) : list.data.length === 0 ? (
        <div className="broadcasts-empty">
          <p>No broadcasts yet.</p>
          <p className="muted">A broadcast sends one approved template to the contacts who agreed to marketing messages.</p>
        </div>
      ) : (
        <ul className="broadcast-list" aria-label="Broadcasts">
          {list.data.map((broadcast) => {
            const words = statusWords(broadcast);
            const { counts } = broadcast;
            return (
              <li key={broadcast.id} className="broadcast-row">
                <div className="broadcast-row-title">
                  <button type="button" className="link" onClick={() => open(broadcast.id)}>
                    {broadcast.name}
                  </button>
                  <StateBadge broadcast={broadcast} />
                </div>
                {words ? <p className="broadcast-status-text">{words}</p> : null}
                <ProgressBar broadcast={broadcast} label={`Progress of ${broadcast.name}`} />
                <p className="muted broadcast-row-counts">
                  {plural(counts.total, "recipient", "recipients")} · {counts.sent + counts.delivered + counts.read} sent ·{" "}
                  {counts.delivered + counts.read} delivered · {counts.failed} failed · {counts.skipped} skipped
                </p>
                <p className="muted broadcast-row-times">
                  Created {formatDateTime(broadcast.createdAt)}
                  {broadcast.scheduledAt ? ` · scheduled for ${formatDateTime(broadcast.scheduledAt)} (${broadcast.timeZone})` : ""}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
