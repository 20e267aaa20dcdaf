import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace, withoutWorkspace, type MemberRole } from "../../src/db/with-workspace.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../../src/features/api-keys/service.ts";
import { parseApiKey } from "../../src/features/api-keys/format.ts";
import type { Caller } from "../../src/identity/caller.ts";
import {
  acceptInvitation,
  createInvitation,
  INVITATION_TTL_MS,
  listInvitations,
  revokeInvitation,
} from "../../src/features/workspaces/invitations.ts";
import { changeMemberRole, listMembers, removeMember } from "../../src/features/workspaces/members.ts";
import { readWorkspaceSecurityPolicy, updateWorkspaceSecurityPolicy } from "../../src/identity/security-policy.ts";
import { createWorkspace, getWorkspace, renameWorkspace } from "../../src/features/workspaces/workspaces.ts";
import { AppError } from "../../src/errors.ts";
import { hashPassword } from "../../src/identity/passwords.ts";
import { permissions, permissionsOf } from "../../src/identity/permissions.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { captureLogs, createTestServices } from "../support/services.ts";

// The access services, called the way the routes call them: in a tenant transaction as the caller.

let db: TestDatabase;
let services: Services;
const PASSWORD = "correct horse battery staple 42";
let passwordHash: string;

async function createUser(email = `${randomUUID()}@example.test`): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  await withoutWorkspace(db, (trx) => trx.insertInto("users").values({ id, email, password_hash: passwordHash }).execute());
  return { id, email };
}

async function addMember(workspaceId: string, role: MemberRole, userId?: string): Promise<string> {
  const id = userId ?? (await createUser()).id;
  await withWorkspace(db, { workspaceId }, (trx) =>
    trx.insertInto("memberships").values({ workspace_id: workspaceId, user_id: id, role }).execute(),
  );
  return id;
}

function callerFor(workspaceId: string, userId: string, role: MemberRole): Caller {
  return {
    workspaceId,
    userId,
    role,
    permissions: permissionsOf(role),
    audit: { type: "user", id: userId },
    ip: "192.0.2.1",
    userAgent: "test",
  };
}

async function run<T>(caller: Caller, fn: Parameters<typeof withWorkspace<T>>[2]): Promise<T> {
  return withWorkspace(db, { workspaceId: caller.workspaceId, userId: caller.userId, role: caller.role }, fn);
}

async function auditActions(workspaceId: string): Promise<string[]> {
  const rows = await db.owner.selectFrom("audit_entries").select("action").where("workspace_id", "=", workspaceId).orderBy("seq").execute();
  return rows.map((row) => row.action);
}

async function expectAppError(promise: Promise<unknown>, code: AppError["code"]): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

/** A workspace made through the service, with its Owner. */
async function newWorkspace(): Promise<{ workspaceId: string; owner: Caller }> {
  const user = await createUser();
  const workspace = await createWorkspace(services, { userId: user.id, name: "Acme" });
  return { workspaceId: workspace.id, owner: callerFor(workspace.id, user.id, "owner") };
}

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(async () => {
  await services.coordination.close();
  await db.drop();
});

describe("workspaces", () => {
  it("a signed-in user creates a workspace, becomes its Owner, and the creation is audited", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const members = await run(owner, (trx) => listMembers(trx, workspaceId));
    expect(members).toEqual([expect.objectContaining({ userId: owner.userId, role: "owner" })]);
    const keys = await db.owner.selectFrom("workspace_keys").select("version").where("workspace_id", "=", workspaceId).execute();
    expect(keys).toHaveLength(1);
    expect(await auditActions(workspaceId)).toEqual(["workspace.created"]);
  });

  it("renames, audits the change without the name, and stays inside its own workspace", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const renamed = await run(owner, (trx) => renameWorkspace(trx, owner, "Acme Support"));
    expect(renamed.name).toBe("Acme Support");
    expect((await run(owner, (trx) => getWorkspace(trx, workspaceId))).name).toBe("Acme Support");
    const entry = await db.owner
      .selectFrom("audit_entries")
      .select(["action", "metadata"])
      .where("workspace_id", "=", workspaceId)
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({ action: "settings.changed", metadata: { setting: "name" } });
    const other = await newWorkspace();
    await expectAppError(
      run(owner, (trx) => getWorkspace(trx, other.workspaceId)),
      "NOT_FOUND",
    );
  });
});

describe("members", () => {
  it("nobody grants a role above their own or changes a member above them", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const adminId = await addMember(workspaceId, "admin");
    const agentId = await addMember(workspaceId, "agent");
    const admin = callerFor(workspaceId, adminId, "admin");
    await expectAppError(
      run(admin, (trx) => changeMemberRole(trx, admin, agentId, "owner")),
      "FORBIDDEN",
    );
    await expectAppError(
      run(admin, (trx) => changeMemberRole(trx, admin, owner.userId, "agent")),
      "FORBIDDEN",
    );
    await expectAppError(
      run(admin, (trx) => removeMember(trx, admin, owner.userId)),
      "FORBIDDEN",
    );
    expect(await run(admin, (trx) => changeMemberRole(trx, admin, agentId, "admin"))).toEqual({
      userId: agentId,
      from: "agent",
      to: "admin",
    });
    const agent = callerFor(workspaceId, await addMember(workspaceId, "agent"), "agent");
    await expectAppError(
      run(agent, (trx) => changeMemberRole(trx, agent, agent.userId, "admin")),
      "FORBIDDEN",
    );
    expect(await auditActions(workspaceId)).toEqual(["workspace.created", "member.role_changed"]);
  });

  it("the last Owner can be neither demoted nor removed; with two, one may go", async () => {
    const { workspaceId, owner } = await newWorkspace();
    await expectAppError(
      run(owner, (trx) => changeMemberRole(trx, owner, owner.userId, "admin")),
      "UNPROCESSABLE",
    );
    await expectAppError(
      run(owner, (trx) => removeMember(trx, owner, owner.userId)),
      "UNPROCESSABLE",
    );
    const secondId = await addMember(workspaceId, "owner");
    await run(owner, (trx) => changeMemberRole(trx, owner, owner.userId, "admin"));
    const second = callerFor(workspaceId, secondId, "owner");
    await expectAppError(
      run(second, (trx) => removeMember(trx, second, secondId)),
      "UNPROCESSABLE",
    );
    const roles = (await run(second, (trx) => listMembers(trx, workspaceId))).map((member) => member.role).sort();
    expect(roles).toEqual(["admin", "owner"]);
  });

  it("two Owners demoting each other at the same time leave one Owner (row locks, then a recount)", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const second = callerFor(workspaceId, await addMember(workspaceId, "owner"), "owner");
    const results = await Promise.allSettled([
      run(owner, (trx) => changeMemberRole(trx, owner, second.userId, "admin")),
      run(second, (trx) => changeMemberRole(trx, second, owner.userId, "admin")),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((result) => result.status === "rejected")!;
    expect((rejected.reason as AppError).code).toBe("UNPROCESSABLE");
    const roles = (await run(owner, (trx) => listMembers(trx, workspaceId))).map((member) => member.role).sort();
    expect(roles).toEqual(["admin", "owner"]);
  });

  it("removal deletes the membership, revokes the member's API keys and is audited", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const adminId = await addMember(workspaceId, "admin");
    const admin = callerFor(workspaceId, adminId, "admin");
    const key = await run(admin, (trx) => createApiKey(trx, admin, { name: "ci", scopes: ["contacts.read"] }));
    expect(await run(owner, (trx) => removeMember(trx, owner, adminId))).toEqual({ revokedApiKeys: 1 });
    expect((await run(owner, (trx) => listMembers(trx, workspaceId))).map((member) => member.userId)).toEqual([owner.userId]);
    const [listed] = await run(owner, (trx) => listApiKeys(trx, workspaceId));
    expect(listed).toMatchObject({ id: key.id, status: "revoked" });
    await expectAppError(
      run(owner, (trx) => removeMember(trx, owner, adminId)),
      "NOT_FOUND",
    );
    expect(await auditActions(workspaceId)).toEqual(["workspace.created", "api_key.created", "member.removed"]);
  });
});

describe("invitations", () => {
  it("issues a link once and stores only the token's SHA-256", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const issued = await run(owner, (trx) =>
      createInvitation(trx, owner, { email: "New.Agent@Example.test", role: "agent", publicUrl: "https://parley.example" }),
    );
    const token = new URL(issued.link).hash.replace(/^#token=/, "");
    expect(issued.link).toBe(`https://parley.example/invitation#token=${token}`);
    expect(issued.email).toBe("new.agent@example.test");
    const row = await db.owner.selectFrom("invitations").selectAll().where("id", "=", issued.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token.split(".")[2]);
    expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBe(INVITATION_TTL_MS);
    const listed = await run(owner, (trx) => listInvitations(trx, workspaceId));
    expect(listed).toEqual([expect.objectContaining({ id: issued.id, status: "pending" })]);
    expect(JSON.stringify(listed)).not.toContain(token);
    const audit = await db.owner
      .selectFrom("audit_entries")
      .select(["action", "metadata"])
      .where("workspace_id", "=", workspaceId)
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: "invitation.created", metadata: { role: "agent" } });
  });

  it("refuses inviting above one's own role and inviting a member", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const admin = callerFor(workspaceId, await addMember(workspaceId, "admin"), "admin");
    await expectAppError(
      run(admin, (trx) => createInvitation(trx, admin, { email: "x@example.test", role: "owner", publicUrl: "https://p" })),
      "FORBIDDEN",
    );
    const member = await createUser();
    await addMember(workspaceId, "agent", member.id);
    await expectAppError(
      run(owner, (trx) => createInvitation(trx, owner, { email: member.email, role: "agent", publicUrl: "https://p" })),
      "CONFLICT",
    );
  });

  it("a new user accepts once with a password that follows the rules; the link is then spent", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const issued = await run(owner, (trx) =>
      createInvitation(trx, owner, { email: `${randomUUID()}@example.test`, role: "agent", publicUrl: "https://p" }),
    );
    const token = issued.link.split("#token=")[1]!;
    await expectAppError(acceptInvitation(db, { token, password: "short" }), "PASSWORD_REJECTED");
    await expectAppError(acceptInvitation(db, { token, password: "password1234" }), "PASSWORD_REJECTED");
    const accepted = await acceptInvitation(db, { token, password: PASSWORD, ip: "192.0.2.7" });
    expect(accepted).toMatchObject({ workspaceId, role: "agent", newAccount: true });
    const members = await run(owner, (trx) => listMembers(trx, workspaceId));
    expect(members).toContainEqual(expect.objectContaining({ userId: accepted.userId, email: issued.email, role: "agent" }));
    await expectAppError(acceptInvitation(db, { token, password: PASSWORD }), "NOT_FOUND");
    expect((await run(owner, (trx) => listInvitations(trx, workspaceId)))[0]!.status).toBe("accepted");
    expect((await auditActions(workspaceId)).slice(-1)).toEqual(["invitation.accepted"]);
  });

  it("an existing user proves their password to join another workspace", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const existing = await createUser();
    const issued = await run(owner, (trx) =>
      createInvitation(trx, owner, { email: existing.email, role: "analyst", publicUrl: "https://p" }),
    );
    const token = issued.link.split("#token=")[1]!;
    await expectAppError(acceptInvitation(db, { token, password: "not the password at all" }), "INVALID_CREDENTIALS");
    expect(await acceptInvitation(db, { token, password: PASSWORD })).toEqual({
      workspaceId,
      userId: existing.id,
      email: existing.email,
      role: "analyst",
      newAccount: false,
    });
  });

  it("expired, revoked, tampered and malformed tokens are all refused alike", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const invite = async () =>
      await run(owner, (trx) =>
        createInvitation(trx, owner, { email: `${randomUUID()}@example.test`, role: "agent", publicUrl: "https://p" }),
      );
    const expired = await invite();
    const expiredToken = expired.link.split("#token=")[1]!;
    await expectAppError(
      acceptInvitation(db, { token: expiredToken, password: PASSWORD, now: new Date(Date.now() + INVITATION_TTL_MS + 1000) }),
      "NOT_FOUND",
    );
    const revoked = await invite();
    await run(owner, (trx) => revokeInvitation(trx, owner, revoked.id));
    await expectAppError(acceptInvitation(db, { token: revoked.link.split("#token=")[1]!, password: PASSWORD }), "NOT_FOUND");
    const tampered = expiredToken.slice(0, -1) + (expiredToken.endsWith("A") ? "B" : "A");
    await expectAppError(acceptInvitation(db, { token: tampered, password: PASSWORD }), "NOT_FOUND");
    await expectAppError(acceptInvitation(db, { token: "not-a-token", password: PASSWORD }), "NOT_FOUND");
    await expectAppError(
      acceptInvitation(db, { token: `${randomUUID()}.${expired.id}.${"A".repeat(43)}`, password: PASSWORD }),
      "NOT_FOUND",
    );
    const statuses = (await run(owner, (trx) => listInvitations(trx, workspaceId))).map((item) => item.status).sort();
    expect(statuses).toEqual(["pending", "revoked"]);
    await expectAppError(
      run(owner, (trx) => revokeInvitation(trx, owner, randomUUID())),
      "NOT_FOUND",
    );
  });
});

describe("tenant isolation of the access tables", () => {
  it("invitations and settings of one workspace are invisible and unwritable from another", async () => {
    const a = await newWorkspace();
    const b = await newWorkspace();
    await run(a.owner, (trx) => createInvitation(trx, a.owner, { email: "someone@example.test", role: "agent", publicUrl: "https://p" }));
    await run(a.owner, (trx) => updateWorkspaceSecurityPolicy(trx, a.owner, { requireMfaForAll: true }));
    await run(b.owner, async (trx) => {
      expect(await trx.selectFrom("invitations").selectAll().execute()).toEqual([]);
      expect(await trx.selectFrom("workspace_settings").selectAll().execute()).toEqual([]);
      expect((await readWorkspaceSecurityPolicy(trx, a.workspaceId)).requireMfaForAll).toBe(false);
    });
    const write = run(b.owner, (trx) =>
      trx.insertInto("workspace_settings").values({ workspace_id: a.workspaceId, require_mfa_for_all: false }).execute(),
    );
    await expect(write).rejects.toThrow(/row-level security/);
  });
});

describe("API keys", () => {
  it("shows the secret once, stores its SHA-256 and the last four characters, lists without either", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const created = await run(owner, (trx) =>
      createApiKey(trx, owner, { name: "crm sync", scopes: ["contacts.read", "contacts.write"], expiresInDays: 30 }),
    );
    const parsed = parseApiKey(created.key)!;
    expect(parsed.id).toBe(created.id);
    const row = await db.owner.selectFrom("api_keys").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(createHash("sha256").update(parsed.secret).digest("hex"));
    expect(row.secret_last_four).toBe(parsed.secret.slice(-4));
    expect(row.scopes).toEqual(["contacts.read", "contacts.write"]);
    expect(new Date(row.expires_at!).getTime() - new Date(row.created_at).getTime()).toBe(30 * 86_400_000);
    const listed = await run(owner, (trx) => listApiKeys(trx, workspaceId));
    expect(listed).toEqual([
      expect.objectContaining({ id: created.id, lastFour: parsed.secret.slice(-4), status: "active", lastUsedAt: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(parsed.secret);
    expect(JSON.stringify(listed)).not.toContain(row.secret_hash);
  });

  it("audits every scope of a key holding all of them", async () => {
    const { workspaceId, owner } = await newWorkspace();
    await run(owner, (trx) => createApiKey(trx, owner, { name: "all", scopes: permissions }));
    const entry = await db.owner
      .selectFrom("audit_entries")
      .select("metadata")
      .where("workspace_id", "=", workspaceId)
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    const recorded = Object.entries(entry.metadata)
      .filter(([key]) => key.startsWith("scopes."))
      .flatMap(([, value]) => String(value).split(" "));
    expect(recorded.sort()).toEqual([...permissions].sort());
  });

  it("refuses scopes beyond the creator's permissions", async () => {
    const { workspaceId } = await newWorkspace();
    const admin = callerFor(workspaceId, await addMember(workspaceId, "admin"), "admin");
    await expectAppError(
      run(admin, (trx) => createApiKey(trx, admin, { name: "k", scopes: ["keys.manage"] })),
      "FORBIDDEN",
    );
    expect(await run(admin, (trx) => listApiKeys(trx, workspaceId))).toEqual([]);
  });

  it("revokes (idempotently) and audits creation and revocation", async () => {
    const { workspaceId, owner } = await newWorkspace();
    const created = await run(owner, (trx) => createApiKey(trx, owner, { name: "k", scopes: ["analytics.read"] }));
    await run(owner, (trx) => revokeApiKey(trx, owner, created.id));
    await run(owner, (trx) => revokeApiKey(trx, owner, created.id));
    expect((await run(owner, (trx) => listApiKeys(trx, workspaceId)))[0]!.status).toBe("revoked");
    await expectAppError(
      run(owner, (trx) => revokeApiKey(trx, owner, randomUUID())),
      "NOT_FOUND",
    );
    expect(await auditActions(workspaceId)).toEqual(["workspace.created", "api_key.created", "api_key.revoked"]);
  });
});

describe("security settings", () => {
  it("defaults to MFA for Owners and Admins only; a change is stored and audited", async () => {
    const { workspaceId, owner } = await newWorkspace();
    expect(await run(owner, (trx) => readWorkspaceSecurityPolicy(trx, workspaceId))).toEqual({ requireMfaForAll: false, updatedAt: null });
    const updated = await run(owner, (trx) => updateWorkspaceSecurityPolicy(trx, owner, { requireMfaForAll: true }));
    expect(updated.requireMfaForAll).toBe(true);
    expect((await run(owner, (trx) => readWorkspaceSecurityPolicy(trx, workspaceId))).requireMfaForAll).toBe(true);
    await run(owner, (trx) => updateWorkspaceSecurityPolicy(trx, owner, { requireMfaForAll: true }));
    const entries = await db.owner
      .selectFrom("audit_entries")
      .select(["action", "metadata"])
      .where("workspace_id", "=", workspaceId)
      .orderBy("seq")
      .execute();
    expect(entries.slice(1)).toEqual([{ action: "settings.changed", metadata: { setting: "require_mfa_for_all", from: false, to: true } }]);
    const other = await newWorkspace();
    expect((await run(other.owner, (trx) => readWorkspaceSecurityPolicy(trx, other.workspaceId))).requireMfaForAll).toBe(false);
  });
});
