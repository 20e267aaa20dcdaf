import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  canGrantRole,
  hasPermission,
  permissions,
  permissionsOf,
  renderPermissionsMarkdown,
  rolePermissions,
  roles,
} from "../../src/identity/permissions.ts";

describe("permission matrix", () => {
  it("docs/permissions.md matches the matrix", async () => {
    const committed = await readFile(resolve("docs/permissions.md"), "utf8").catch(() => "(missing)");
    expect(
      committed === renderPermissionsMarkdown(),
      "docs/permissions.md is out of date: run `node bin/tsx.mjs scripts/write-permissions-doc.ts` and commit the result",
    ).toBe(true);
  });

  it("gives the Owner every permission and the Admin a superset of Agent and Analyst", () => {
    expect([...permissionsOf("owner")].sort()).toEqual([...permissions].sort());
    for (const role of ["agent", "analyst"] as const) {
      for (const permission of rolePermissions[role]) expect(hasPermission("admin", permission), permission).toBe(true);
    }
  });

  it("lets Analysts reach aggregates only, never content or phone numbers", () => {
    expect([...permissionsOf("analyst")].sort()).toEqual(["analytics.read", "workspace.read"]);
    for (const permission of ["contacts.read", "conversations.read_assigned", "conversations.read_all", "messages.send"] as const) {
      expect(hasPermission("analyst", permission)).toBe(false);
    }
  });

  it("lets Agents read their assigned conversations but not all of them, and manage nothing", () => {
    expect(hasPermission("agent", "conversations.read_assigned")).toBe(true);
    expect(hasPermission("agent", "conversations.read_all")).toBe(false);
    for (const permission of permissions.filter((name) => name.endsWith(".manage") || name.endsWith(".export"))) {
      expect(hasPermission("agent", permission), permission).toBe(false);
    }
  });

  it("keeps key rotation with the Owner", () => {
    expect(roles.filter((role) => hasPermission(role, "keys.manage"))).toEqual(["owner"]);
  });

  it("never lets a role grant one above itself", () => {
    expect(canGrantRole("admin", "owner")).toBe(false);
    expect(canGrantRole("admin", "admin")).toBe(true);
    expect(canGrantRole("owner", "owner")).toBe(true);
    expect(canGrantRole("agent", "admin")).toBe(false);
    expect(canGrantRole("analyst", "agent")).toBe(false);
  });
});
