// The dashboard's copy of the role × permission matrix (src/identity/permissions.ts), so screens
// hide what the API would refuse. The API stays the authority: it refuses anyway. A test
// (test/web/permissions-mirror.test.ts) fails when this copy and the server's disagree.

export const PERMISSION_DESCRIPTIONS = {
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
  "contacts.write": "Create, edit and delete contacts.",
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
} as const;

export type Permission = keyof typeof PERMISSION_DESCRIPTIONS;

/** Same as api.ts `Role`; spelled here so this module imports nothing (the server's tests load it). */
export type Role = "owner" | "admin" | "agent" | "analyst";

export const PERMISSIONS = Object.keys(PERMISSION_DESCRIPTIONS) as Permission[];

/** Highest first, as on the server: nobody grants a role above their own. */
export const ROLES: readonly Role[] = ["owner", "admin", "agent", "analyst"];

export const ROLE_LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", agent: "Agent", analyst: "Analyst" };

const STAFF: readonly Permission[] = ["workspace.read", "members.read", "contacts.read", "contacts.write", "conversations.read_assigned", "messages.send"];

const ADMIN: readonly Permission[] = [
  ...STAFF,
  "workspace.manage",
  "members.manage",
  "invitations.manage",
  "api_keys.manage",
  "audit.read",
  "audit.export",
  "settings.manage",
  "contacts.export",
  "contacts.import",
  "quick_replies.manage",
  "templates.manage",
  "conversations.read_all",
  "conversations.assign",
  "analytics.read",
  "numbers.manage",
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: ADMIN,
  agent: STAFF,
  analyst: ["workspace.read", "analytics.read"],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Whether `actor` may hand out `target`, or act on a member holding it: never above one's own role. */
export function canGrantRole(actor: Role, target: Role): boolean {
  return ROLES.indexOf(target) >= ROLES.indexOf(actor);
}
