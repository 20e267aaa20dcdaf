import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../src/audit/record.ts";
import type { Database } from "../../src/db/database.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { pruneInvitations } from "../../src/features/workspaces/invitation-pruning.ts";
import { createTestDatabase, testEngine, type TestDatabase } from "../support/engine.ts";
import { withNonSuperuserOwner } from "../support/owner-database.ts";

// Minimization (DESIGN §12, src/privacy/minimize.ts): what Parley keeps about where a request came
// from is reduced at the point of storage, and rows that hold an address nobody needs any more go.
// The data inventory test (src/privacy/data-inventory.test.ts) makes every free-text and in-clear
// personal column say why it is kept; these tests read the rows the product writes.

const DAY_MS = 24 * 60 * 60_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** A workspace and its owner, as bare rows. */
async function seedWorkspace(database: Database): Promise<{ workspaceId: string; userId: string }> {
  const workspaceId = randomUUID();
  const userId = randomUUID();
  await database.owner.transaction().execute(async (trx) => {
    await sql`insert into users (id, email, password_hash) values (${userId}, ${`owner-${randomBytes(4).toString("hex")}@example.test`}, 'x')`.execute(
      trx,
    );
  });
  await withWorkspace(database, { workspaceId }, async (trx) => {
    await sql`insert into workspaces (id, name, region) values (${workspaceId}, 'W', 'local')`.execute(trx);
  });
  return { workspaceId, userId };
}

/** Invitations ended at different times, and one still open; returns their ids by name. */
async function seedInvitations(database: Database, workspaceId: string, userId: string) {
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY_MS);
  const rows = {
    acceptedLongAgo: { accepted_at: ago(31), revoked_at: null, expires_at: ago(24) },
    revokedLongAgo: { accepted_at: null, revoked_at: ago(40), expires_at: ago(33) },
    expiredLongAgo: { accepted_at: null, revoked_at: null, expires_at: ago(31) },
    revokedRecently: { accepted_at: null, revoked_at: ago(29), expires_at: ago(22) },
    expiredRecently: { accepted_at: null, revoked_at: null, expires_at: ago(2) },
    open: { accepted_at: null, revoked_at: null, expires_at: new Date(now + 5 * DAY_MS) },
  };
  const ids: Record<string, string> = {};
  await withWorkspace(database, { workspaceId }, async (trx) => {
    for (const [name, times] of Object.entries(rows)) {
      ids[name] = randomUUID();
      await trx
        .insertInto("invitations")
        .values({
          workspace_id: workspaceId,
          id: ids[name],
          token_hash: randomBytes(32).toString("hex"),
          email: `${name.toLowerCase()}@example.test`,
          role: "agent",
          invited_by: userId,
          ...times,
        })
        .execute();
    }
  });
  return ids;
}

async function remainingInvitations(database: Database, workspaceId: string): Promise<string[]> {
  const rows = await withWorkspace(database, { workspaceId }, (trx) => trx.selectFrom("invitations").select("id").execute());
  return rows.map((row) => row.id).sort();
}

describe(`minimization (${testEngine})`, () => {
  it("deletes invitations 30 days after they ended, in every workspace, and keeps open and recent ones", async () => {
    const one = await seedWorkspace(db);
    const two = await seedWorkspace(db);
    const idsOne = await seedInvitations(db, one.workspaceId, one.userId);
    const idsTwo = await seedInvitations(db, two.workspaceId, two.userId);
    expect(await pruneInvitations(db)).toBe(6);
    for (const [workspaceId, ids] of [
      [one.workspaceId, idsOne],
      [two.workspaceId, idsTwo],
    ] as const) {
      expect(await remainingInvitations(db, workspaceId)).toEqual([ids.revokedRecently!, ids.expiredRecently!, ids.open!].sort());
    }
    expect(await pruneInvitations(db)).toBe(0);
  });

  it("refuses to store an API key's last-used address in full: only a /24 or /48 network", async () => {
    const { workspaceId, userId } = await seedWorkspace(db);
    const keyId = randomUUID();
    const store = (lastUsedIp: string) =>
      withWorkspace(db, { workspaceId }, (trx) =>
        trx.updateTable("api_keys").set({ last_used_ip: lastUsedIp }).where("id", "=", keyId).execute(),
      );
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx
        .insertInto("api_keys")
        .values({
          workspace_id: workspaceId,
          id: keyId,
          name: "integration",
          secret_hash: randomBytes(32).toString("hex"),
          secret_last_four: "abcd",
          scopes: ["members.read"],
          created_by: userId,
        })
        .execute(),
    );
    await expect(store("203.0.113.9")).rejects.toThrow(/api_keys_last_used_network/);
    await expect(store("2001:db8:abcd:12::1")).rejects.toThrow(/api_keys_last_used_network/);
    await store("203.0.113.0/24");
    await store("2001:db8:abcd::/48");
  });

  it("keeps an audit entry's client as its family, never the full user agent", async () => {
    const { workspaceId } = await seedWorkspace(db);
    const agents = [
      "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "curl/8.5.0",
      "SomeBot/1.0 (+https://bot.example)",
    ];
    await withWorkspace(db, { workspaceId }, async (trx) => {
      for (const userAgent of agents) {
        await recordAudit(trx, {
          workspaceId,
          actor: { type: "system", id: null },
          action: "settings.changed",
          ip: "203.0.113.9",
          userAgent,
        });
      }
    });
    const rows = await withWorkspace(db, { workspaceId }, (trx) =>
      trx.selectFrom("audit_entries").select("user_agent").where("workspace_id", "=", workspaceId).orderBy("seq").execute(),
    );
    expect(rows.map((row) => row.user_agent)).toEqual(["Firefox", "Chrome", "curl", "other"]);
  });
});

// In production the schema's owner is not a superuser, so forced RLS applies to the pruning
// function it owns: the owner's policies must open exactly the ended invitations.
describe.runIf(testEngine === "postgres")("minimization with a non-superuser owner", () => {
  it("prunes ended invitations across workspaces", async () => {
    await withNonSuperuserOwner(async (ownerDb) => {
      const { workspaceId, userId } = await seedWorkspace(ownerDb);
      const ids = await seedInvitations(ownerDb, workspaceId, userId);
      expect(await pruneInvitations(ownerDb)).toBe(3);
      expect(await remainingInvitations(ownerDb, workspaceId)).toEqual([ids.revokedRecently!, ids.expiredRecently!, ids.open!].sort());
    });
  }, 60_000);
});
