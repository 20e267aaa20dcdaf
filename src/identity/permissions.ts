// Permissions a route may require. The role × permission matrix (issue: identity and access) is
// data in this module; routes name a permission, never a role.

export const permissions = [
  "workspace.read",
  "workspace.manage",
  "contacts.read",
  "contacts.write",
  "keys.manage",
  "audit.read",
] as const;

export type Permission = (typeof permissions)[number];
