import { Shell, type Membership } from "../../app/shell.tsx";
import type { Me } from "../../lib/api.ts";
import { PlanLock } from "../plans/plan-lock.tsx";

type Props = { me: Me; membership: Membership; subpath: string; onSignOut(): void };

export function TemplatesScreen({ me, membership, onSignOut }: Props) {
  return (
    <Shell me={me} membership={membership} section="templates" onSignOut={onSignOut}>
      <main className="page" aria-labelledby="templates-title">
        <h1 id="templates-title">Templates</h1>
        <PlanLock workspaceId={membership.workspaceId} feature="templates">
          <p className="muted">Loading…</p>
        </PlanLock>
      </main>
    </Shell>
  );
}
