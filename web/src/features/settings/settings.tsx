import { useNavigate } from "@tanstack/react-router";
import type { Me } from "../../lib/api.ts";
import { can, type Permission } from "../../lib/permissions.ts";
import { AccountPanel, WorkspaceSecurity } from "./settings-security.tsx";
import { ApiKeysSection } from "./settings-api-keys.tsx";
import { AccessLogSection } from "./settings-access-log.tsx";
import { AuditSection } from "./settings-audit.tsx";
import { BlockedAddressesSection } from "./settings-blocked-addresses.tsx";
import { MembersSection } from "./settings-members.tsx";
import { NumbersSection } from "./settings-numbers.tsx";
import { PrivacySection } from "./settings-privacy.tsx";
import { ConsentKeywordsSection } from "./settings-consent-keywords.tsx";
import { RetentionSection } from "./settings-retention.tsx";
import { WebhooksSection } from "./settings-webhooks.tsx";
import { Shell, type Membership } from "../../app/shell.tsx";

// Settings: /w/<workspace>/settings/<section>. The side menu lists only the sections the role may
// use (the permission matrix); the API refuses the others anyway. "Your account" is everyone's.

/** `subpath`: the section the address names (anything else shows the first the role may use). */
type Props = { me: Me; membership: Membership; subpath: string; onSignOut(): void };

type SectionId =
  | "members"
  | "numbers"
  | "api-keys"
  | "webhooks"
  | "audit"
  | "access-log"
  | "security"
  | "retention"
  | "privacy"
  | "consent-keywords"
  | "blocked-addresses"
  | "account";

const SECTIONS: Array<{ id: SectionId; label: string; allowed: readonly Permission[] | "everyone" }> = [
  { id: "members", label: "Members", allowed: ["members.read", "invitations.manage"] },
  { id: "numbers", label: "WhatsApp numbers", allowed: ["numbers.manage"] },
  { id: "api-keys", label: "API keys", allowed: ["api_keys.manage"] },
  { id: "webhooks", label: "Webhooks", allowed: ["webhooks.manage"] },
  { id: "audit", label: "Audit log", allowed: ["audit.read"] },
  { id: "access-log", label: "Access log", allowed: ["audit.read"] },
  { id: "security", label: "Workspace security", allowed: ["settings.manage"] },
  { id: "retention", label: "Data retention", allowed: ["retention.manage"] },
  { id: "privacy", label: "Privacy requests", allowed: ["privacy.manage"] },
  { id: "consent-keywords", label: "Opt-out keywords", allowed: ["settings.manage"] },
  { id: "blocked-addresses", label: "Blocked addresses", allowed: ["blocked_addresses.manage"] },
  { id: "account", label: "Your account", allowed: "everyone" },
];

export function settingsSectionsFor(role: Membership["role"]): SectionId[] {
  return SECTIONS.filter((section) => section.allowed === "everyone" || section.allowed.some((permission) => can(role, permission))).map(
    (section) => section.id,
  );
}

export function SettingsScreen({ me, membership, subpath, onSignOut }: Props) {
  const { workspaceId, role } = membership;
  const navigate = useNavigate();
  const available = settingsSectionsFor(role);
  const requested = subpath.split("/")[0] as SectionId;
  const current: SectionId = available.includes(requested) ? requested : available[0]!;
  const label = SECTIONS.find((section) => section.id === current)!.label;
  const base = `/w/${workspaceId}/settings`;

  let content;
  switch (current) {
    case "members":
      content = <MembersSection me={me} membership={membership} />;
      break;
    case "numbers":
      content = <NumbersSection me={me} workspaceId={workspaceId} />;
      break;
    case "api-keys":
      content = <ApiKeysSection me={me} membership={membership} />;
      break;
    case "webhooks":
      content = <WebhooksSection workspaceId={workspaceId} />;
      break;
    case "audit":
      content = <AuditSection me={me} membership={membership} />;
      break;
    case "access-log":
      content = <AccessLogSection me={me} membership={membership} />;
      break;
    case "security":
      content = <WorkspaceSecurity workspaceId={workspaceId} />;
      break;
    case "retention":
      content = <RetentionSection me={me} workspaceId={workspaceId} />;
      break;
    case "privacy":
      content = <PrivacySection me={me} workspaceId={workspaceId} />;
      break;
    case "consent-keywords":
      content = <ConsentKeywordsSection workspaceId={workspaceId} />;
      break;
    case "blocked-addresses":
      content = <BlockedAddressesSection workspaceId={workspaceId} />;
      break;
    case "account":
      content = <AccountPanel me={me} onSignOut={onSignOut} />;
      break;
  }

  return (
    <Shell me={me} membership={membership} section="settings" onSignOut={onSignOut}>
      <div className="settings">
        <nav className="settings-menu" aria-label="Settings">
          <ul>
            {SECTIONS.filter((section) => available.includes(section.id)).map((section) => (
              <li key={section.id}>
                <a
                  href={`${base}/${section.id}`}
                  className={section.id === current ? "settings-link active" : "settings-link"}
                  aria-current={section.id === current ? "page" : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    void navigate({ to: "/w/$workspaceId/settings/$section", params: { workspaceId, section: section.id } });
                  }}
                >
                  {section.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main className="page settings-content" aria-labelledby="settings-title">
          <h1 id="settings-title">{label}</h1>
          {content}
        </main>
      </div>
    </Shell>
  );
}
