import { Shell, type Membership } from "../../app/shell.tsx";
import type { Me } from "../../lib/api.ts";
import { PlanLock } from "../plans/plan-lock.tsx";

type Props = { me: Me; membership: Membership; subpath: string; onSignOut(): void };

export function BroadcastsScreen({ me, membership, onSignOut }: Props) {
  return (
    <Shell me={me} membership={membership} section="broadcasts" onSignOut={onSignOut}>
      <main className="page" aria-labelledby="broadcasts-title">
        <h1 id="broadcasts-title">Broadcasts</h1>
        <PlanLock workspaceId={membership.workspaceId} feature="broadcasts">
          <p className="muted">Loading…</p>
        </PlanLock>
      </main>
    </Shell>
  );
}
