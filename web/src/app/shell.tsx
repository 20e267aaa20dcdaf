import { useNavigate } from "@tanstack/react-router";
import { useEffect, useState, type ReactNode } from "react";
import { api, describeError, type Me } from "../lib/api.ts";
import { can, type Permission, type Role } from "../lib/permissions.ts";
import { ThemeToggle } from "../ui/theme-toggle.tsx";
import type { PlanFeature } from "../../../src/identity/plan-features.ts";
import { isLocked, usePlan } from "../features/plans/plan-lock.tsx";

// The frame around every signed-in screen: brand, workspace switcher, the sections the role may
// open, who is signed in. Sections hidden here are also refused by the API (the permission matrix).

export type Section = "inbox" | "contacts" | "templates" | "broadcasts" | "overview" | "settings";
export type Membership = Me["memberships"][number];

// Each section opens with the permission its first request needs, so a section is shown exactly
// when the API would answer it.
// A section that needs a plan feature says so: when the workspace's plan lacks it, the link carries a
// lock and the screen explains which plan unlocks it (features/plans/plan-lock.tsx).
const SECTIONS: Array<{
  id: Section;
  label: string;
  path: "" | "/contacts" | "/templates" | "/broadcasts" | "/overview" | "/settings";
  permission: Permission;
  feature?: PlanFeature;
}> = [
  { id: "inbox", label: "Inbox", path: "", permission: "conversations.read_assigned" },
  { id: "contacts", label: "Contacts", path: "/contacts", permission: "contacts.read" },
  { id: "templates", label: "Templates", path: "/templates", permission: "templates.manage", feature: "templates" },
  { id: "broadcasts", label: "Broadcasts", path: "/broadcasts", permission: "broadcasts.manage", feature: "broadcasts" },
  { id: "overview", label: "Overview", path: "/overview", permission: "analytics.read" },
  { id: "settings", label: "Settings", path: "/settings", permission: "workspace.read" },
];

export function sectionsFor(role: Role): Section[] {
  return SECTIONS.filter((section) => can(role, section.permission)).map((section) => section.id);
}

type Props = { me: Me; membership: Membership; section: Section; onSignOut(): void; status?: ReactNode; children: ReactNode };

export function Shell({ me, membership, section, onSignOut, status, children }: Props) {
  const { workspaceId, role } = membership;
  const navigate = useNavigate();
  const plan = usePlan(workspaceId).data;
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Parley</span>
        <WorkspaceSwitcher me={me} workspaceId={workspaceId} />
        <nav aria-label="Sections" className="sections">
          {SECTIONS.filter((candidate) => can(role, candidate.permission)).map((candidate) => (
            <a
              key={candidate.id}
              href={`/w/${workspaceId}${candidate.path}`}
              className={candidate.id === section ? "section active" : "section"}
              aria-current={candidate.id === section ? "page" : undefined}
              onClick={(event) => {
                event.preventDefault();
                // The inbox link from the inbox keeps its filters, as the list does when a conversation opens.
                void navigate({
                  to: `/w/$workspaceId${candidate.path}`,
                  params: { workspaceId },
                  search: candidate.id === "inbox" && section === "inbox" ? true : {},
                });
              }}
            >
              {candidate.label}
              {candidate.feature && isLocked(plan, candidate.feature) ? (
                <span className="section-lock" title="Not in this workspace's plan">
                  <span aria-hidden="true"> 🔒</span>
                  <span className="visually-hidden"> (not in this workspace's plan)</span>
                </span>
              ) : null}
            </a>
          ))}
        </nav>
        {status}
        <span className="who">{me.user.email}</span>
        <ThemeToggle />
        <button type="button" className="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {children}
    </div>
  );
}

function WorkspaceSwitcher({ me, workspaceId }: { me: Me; workspaceId: string }) {
  const navigate = useNavigate();
  const [names, setNames] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    for (const membership of me.memberships) {
      api("GET", "/api/v1/workspaces/{workspaceId}", { path: { workspaceId: membership.workspaceId } })
        .then((workspace) => setNames((current) => ({ ...current, [membership.workspaceId]: workspace.name })))
        .catch((error: unknown) => setProblem(`Workspace names could not be loaded: ${describeError(error)}`));
    }
  }, [me]);
  const notice = problem ? (
    <span className="form-error" role="alert">
      {problem}
    </span>
  ) : null;
  if (me.memberships.length < 2) {
    return (
      <>
        <span className="workspace-name">{names[workspaceId] ?? ""}</span>
        {notice}
      </>
    );
  }
  return (
    <>
      <label className="switcher">
        <span className="visually-hidden">Workspace</span>
        <select
          value={workspaceId}
          onChange={(event) => void navigate({ to: "/w/$workspaceId", params: { workspaceId: event.target.value } })}
        >
          {me.memberships.map((membership) => (
            <option key={membership.workspaceId} value={membership.workspaceId}>
              {names[membership.workspaceId] ?? membership.workspaceId.slice(0, 8)}
            </option>
          ))}
        </select>
      </label>
      {notice}
    </>
  );
}
