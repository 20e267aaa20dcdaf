import type { Me } from "./api.ts";
import type { Navigate } from "./app.tsx";
import { Shell, type Membership } from "./shell.tsx";

// Scaffold: the overview screen is being built (issue 5); this keeps the router and the build whole.

type Props = { me: Me; membership: Membership; subpath: string; navigate: Navigate; onSignOut(): void };

export function OverviewScreen({ me, membership, navigate, onSignOut }: Props) {
  return (
    <Shell me={me} membership={membership} section="overview" navigate={navigate} onSignOut={onSignOut}>
      <main className="page">
        <p className="muted">This section is not available yet.</p>
      </main>
    </Shell>
  );
}
