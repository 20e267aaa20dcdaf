import { describe, expect, it } from "vitest";
import { canGrantRole as serverCanGrant, permissionDescriptions, rolePermissions, roles } from "../../src/identity/permissions.ts";
import { canGrantRole, PERMISSION_DESCRIPTIONS, PERMISSIONS, ROLE_PERMISSIONS, ROLES } from "../../web/src/permissions.ts";

// The dashboard hides what the API refuses, from its own copy of the matrix. The copy must be the
// server's: same permissions and words, same roles in the same order, same grants.

describe("the dashboard's copy of the permission matrix", () => {
  it("has the server's permissions, descriptions, roles and grants", () => {
    expect(PERMISSION_DESCRIPTIONS).toEqual(permissionDescriptions);
    expect(PERMISSIONS).toEqual(Object.keys(permissionDescriptions));
    expect(ROLES).toEqual(roles);
    for (const role of roles) expect([...ROLE_PERMISSIONS[role]].sort()).toEqual([...rolePermissions[role]].sort());
    for (const actor of roles) for (const target of roles) expect(canGrantRole(actor, target)).toBe(serverCanGrant(actor, target));
  });
});
