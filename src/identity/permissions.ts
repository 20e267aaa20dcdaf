import type { MemberRole } from "../db/with-workspace.ts";

// Permissions a route may require. The role × permission matrix (issue: identity and access) is
// data in this module; routes name a permission, never a role. docs/permissions.md is rendered from
// it (scripts/write-permissions-doc.ts) and a test fails when the committed copy drifts.

export type { MemberRole };

/** Highest first: the order decides who may grant or change which role. */
export const roles = ["owner", "admin", "agent", "analyst"] as const satisfies readonly MemberRole[];

export const permissionDescriptions = {
  "workspace.read": "See the workspace's name, region and creation time.",
  "workspace.manage": "Rename the workspace.",
  "members.read": "List the workspace's members and their roles.",
  "members.manage": "Change a member's role (never above one's own) or remove a member.",
  "invitations.manage": "Invite people by link, list and revoke pending invitations.",
  "api_keys.manage": "Create (scopes limited to one's own permissions), list and revoke API keys.",
  "audit.read": "Read the workspace's audit log.",
  "audit.export": "Export the audit log (CSV) and its signed checkpoints.",
  "settings.manage": "Change the workspace's security policy (e.g. MFA for everyone).",
  "contacts.read": "Read contacts, including phone numbers and names.",
  "contacts.write": "Create and edit contacts (name, tags, custom fields, consent).",
  "contacts.erase": "Erase a contact with every conversation and message (crypto-shredding), e.g. on a data-subject request.",
  "contacts.delete": "Move a contact to the trash (hidden, never messaged, purged after 30 days), list the trash and restore from it.",
  "contacts.export": "Export contacts as CSV and a contact's data bundle (portability).",
  "contacts.import": "Import contacts from a CSV file.",
  "conversations.read_assigned": "Read conversations assigned to oneself, with message content.",
  "conversations.read_all": "Read every conversation of the workspace, with message content.",
  "conversations.assign": "Assign conversations to members.",
  "messages.send": "Send messages in conversations one may read, and use the quick replies and approved templates.",
  "quick_replies.manage": "Create, edit and delete the workspace's quick replies.",
  "templates.manage": "Create, sync and delete message templates.",
  "analytics.read": "Read aggregate statistics (counts, rates); never message content or phone numbers.",
  "numbers.manage": "Connect WhatsApp numbers and update their access tokens.",
  "keys.manage": "Rotate the workspace's encryption keys.",
  "retention.manage": "Set the workspace's data retention policies (messages, closed conversations, notes, uploads deleted after N days).",
  "blocked_addresses.manage": "See the addresses blocked after repeated 401/429 answers on the workspace's routes, and lift those blocks.",
  "broadcasts.manage":
    "Create, schedule, start, pause, resume, cancel and retry broadcasts (one template to many consenting contacts), see their reports and export their outcomes.",
  "privacy.manage":
    "Track data subjects' export and erasure requests, run them (an erasure erases the contact) and download export bundles after re-authentication.",
  "webhooks.manage":
    "Register outbound webhook endpoints (their secrets, events and personal-data option), see their delivery logs and replay deliveries.",
} as const satisfies Record<string, string>;

export type Permission = keyof typeof permissionDescriptions;

export const permissions: readonly Permission[] = Object.keys(permissionDescriptions) as Permission[];

const staffPermissions = [
  "workspace.read",
  "members.read",
  "contacts.read",
  "contacts.write",
  "conversations.read_assigned",
  "messages.send",
] as const satisfies readonly Permission[];

const adminPermissions = [
  ...staffPermissions,
  "workspace.manage",
  "members.manage",
  "invitations.manage",
  "api_keys.manage",
  "audit.read",
  "audit.export",
  "settings.manage",
  "contacts.export",
  "contacts.import",
  "contacts.erase",
  "contacts.delete",
  "quick_replies.manage",
  "templates.manage",
  "conversations.read_all",
  "conversations.assign",
  "analytics.read",
  "numbers.manage",
  "webhooks.manage",
  "broadcasts.manage",
  "privacy.manage",
] as const satisfies readonly Permission[];

/**
 * The matrix. Owner: everything. Admin: everything but key rotation (cryptographic material
 * stays with the Owner) and lifting address blocks (letting a suspected attacker back in is the Owner's call). Agent: their own conversations and contacts, never all conversations.
 * Analyst: aggregates only — no message content, no phone numbers.
 */
export const rolePermissions: Record<MemberRole, readonly Permission[]> = {
  owner: permissions,
  admin: adminPermissions,
  agent: staffPermissions,
  analyst: ["workspace.read", "analytics.read"],
};

const permissionSets: Record<MemberRole, ReadonlySet<Permission>> = {
  owner: new Set(rolePermissions.owner),
  admin: new Set(rolePermissions.admin),
  agent: new Set(rolePermissions.agent),
  analyst: new Set(rolePermissions.analyst),
};

export function hasPermission(role: MemberRole, permission: Permission): boolean {
  return permissionSets[role].has(permission);
}

export function permissionsOf(role: MemberRole): ReadonlySet<Permission> {
  return permissionSets[role];
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissionDescriptions, value);
}

export function isMemberRole(value: string): value is MemberRole {
  return (roles as readonly string[]).includes(value);
}

/** 0 for the Owner, growing downwards. */
export function rankOf(role: MemberRole): number {
  return roles.indexOf(role);
}

/** Whether someone with `actor` may hand out (or act on a holder of) `target`: never above their own role. */
export function canGrantRole(actor: MemberRole, target: MemberRole): boolean {
  return rankOf(target) >= rankOf(actor);
}

/** docs/permissions.md: the matrix as a table, then what each permission allows. */
export function renderPermissionsMarkdown(): string {
  const lines = [
    "# Permissions",
    "",
    "Generated from `src/identity/permissions.ts` by `node bin/tsx.mjs scripts/write-permissions-doc.ts`; do not edit.",
    "A test fails when this file and the module disagree.",
    "",
    "Routes name a permission, never a role. Membership and role are read from the database on every request.",
    "API keys get the intersection of their scopes and their creator's current permissions.",
    "",
    `| Permission | ${roles.map(capitalize).join(" | ")} | Allows |`,
    `| --- | ${roles.map(() => ":---:").join(" | ")} | --- |`,
    ...permissions.map(
      (permission) =>
        `| \`${permission}\` | ${roles.map((role) => (hasPermission(role, permission) ? "✓" : "—")).join(" | ")} | ${permissionDescriptions[permission]} |`,
    ),
    "",
    "## Roles",
    "",
    "- **Owner**: everything, including key rotation. A workspace always keeps at least one Owner.",
    "- **Admin**: everything except key rotation.",
    "- **Agent**: contacts and the conversations assigned to them (enforced by the API and by a row-level security policy on `parley.user_id` / `parley.role`).",
    "- **Analyst**: aggregates only; never message content or phone numbers.",
    "",
    "Nobody may grant a role above their own, or change or remove a member whose role is above their own.",
    "",
  ];
  return lines.join("\n");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
