import {
  canGrantRole,
  hasPermission,
  permissionDescriptions,
  permissions,
  rolePermissions,
  roles,
  type Permission,
} from "../../../src/identity/permissions.ts";

// The dashboard reads the server's role × permission matrix itself (src/identity/permissions.ts,
// which imports nothing at run time), so screens hide exactly what the API would refuse. The API
// stays the authority: it refuses anyway.

export type { Permission };
export type Role = (typeof roles)[number];

export const PERMISSION_DESCRIPTIONS = permissionDescriptions;
export const PERMISSIONS = permissions;
/** Highest first, as on the server: nobody grants a role above their own. */
export const ROLES = roles;
export const ROLE_PERMISSIONS = rolePermissions;
export const ROLE_LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", agent: "Agent", analyst: "Analyst" };

export function can(role: Role, permission: Permission): boolean {
  return hasPermission(role, permission);
}

export { canGrantRole };
