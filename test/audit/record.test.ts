import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_WORKSPACE_ID } from "../../src/audit/leaf.ts";
import { recordAudit } from "../../src/audit/record.ts";
import { withAuditLog } from "../../src/audit/scope.ts";
import { verifyAuditLog } from "../../src/audit/verify.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { createTestDatabase, testEngine, type TestDatabase } from "../support/engine.ts";
import { createTestKeyring } from "./helpers.ts";

// recordAudit writes in the caller's transaction, numbers each workspace's entries 1..n without
// gaps under concurrency, and the runtime role can append but never rewrite (DESIGN §7).

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function seqsOf(workspaceId: string): Promise<number[]> {
  const rows = await withWorkspace(db, { workspaceId }, (trx) => trx.selectFrom("audit_entries").select("seq").orderBy("seq").execute());
  return rows.map((row) => row.seq);
}

describe("recordAudit", () => {
  it("appends entries with consecutive sequence numbers and the stored fields", async () => {
    const workspaceId = randomUUID();
    const userId = randomUUID();
    await withWorkspace(db, { workspaceId }, async (trx) => {
      await recordAudit(trx, {
        workspaceId,
        actor: { type: "user", id: userId },
        action: "member.role_changed",
        target: { type: "member", id: "m-1" },
        ip: "203.0.113.9",
        userAgent: `Mozilla/5.0 ${"x".repeat(400)}`,
        metadata: { from: "agent", to: "admin", count: 3, mfa: true, note: null },
      });
      await recordAudit(trx, { workspaceId, actor: { type: "system", id: null }, action: "keys.rotated" });
    });
    const rows = await withWorkspace(db, { workspaceId }, (trx) => trx.selectFrom("audit_entries").selectAll().orderBy("seq").execute());
    expect(rows.map((row) => [row.seq, row.action])).toEqual([
      [1, "member.role_changed"],
      [2, "keys.rotated"],
    ]);
    expect(rows[0]).toMatchObject({ actor_type: "user", actor_id: userId, target_type: "member", target_id: "m-1", ip: "203.0.113.9" });
    // The client is kept as its family, never the full string.
    expect(rows[0]!.user_agent).toBe("other");
    expect(rows[0]!.metadata).toEqual({ from: "agent", to: "admin", count: 3, mfa: true, note: null });
    expect(rows[0]!.leaf_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is part of the caller's transaction: a rollback leaves no entry and consumes no sequence number", async () => {
    const workspaceId = randomUUID();
    await withWorkspace(db, { workspaceId }, (trx) =>
      recordAudit(trx, { workspaceId, actor: { type: "system", id: null }, action: "settings.changed" }),
    );
    await expect(
      withWorkspace(db, { workspaceId }, async (trx) => {
        await recordAudit(trx, { workspaceId, actor: { type: "system", id: null }, action: "member.removed" });
        throw new Error("the action failed");
      }),
    ).rejects.toThrow("the action failed");
    await withWorkspace(db, { workspaceId }, (trx) =>
      recordAudit(trx, { workspaceId, actor: { type: "system", id: null }, action: "member.removed" }),
    );
    expect(await seqsOf(workspaceId)).toEqual([1, 2]);
  });

  it("gives concurrent writers of one workspace 1..n without gaps or duplicates (several connection pools)", async () => {
    const workspaceId = randomUUID();
    const other = randomUUID();
    // On PostgreSQL each "instance" has its own pool, as separate processes would; PGlite has one connection.
    const instances: Database[] =
      testEngine === "postgres" ? await Promise.all([0, 1, 2].map(() => openDatabase(db.config))) : [db, db, db];
    try {
      const writes = Array.from({ length: 30 }, (_, index) => {
        const instance = instances[index % instances.length]!;
        const target = index % 5 === 0 ? other : workspaceId;
        return withWorkspace(instance, { workspaceId: target }, async (trx) => {
          await recordAudit(trx, {
            workspaceId: target,
            actor: { type: "system", id: null },
            action: "settings.changed",
            metadata: { index },
          });
          // Some writers roll back after taking their number: the number must be reused, not lost.
          if (index % 7 === 3) throw new Error("rolled back");
        }).catch((error: unknown) => {
          if (!(error instanceof Error && error.message === "rolled back")) throw error;
        });
      });
      await Promise.all(writes);
    } finally {
      if (testEngine === "postgres") await Promise.all(instances.map((instance) => instance.close()));
    }
    const committed = Array.from({ length: 30 }, (_, index) => index).filter((index) => index % 7 !== 3);
    const inMain = committed.filter((index) => index % 5 !== 0).length;
    const inOther = committed.length - inMain;
    expect(await seqsOf(workspaceId)).toEqual(Array.from({ length: inMain }, (_, index) => index + 1));
    expect(await seqsOf(other)).toEqual(Array.from({ length: inOther }, (_, index) => index + 1));
    const keyring = createTestKeyring();
    expect((await verifyAuditLog(db, { workspaceId, provider: keyring.provider })).ok).toBe(true);
  });

  it("refuses metadata that could hold free text or hash differently later", async () => {
    const workspaceId = randomUUID();
    const attempt = (metadata: Record<string, string | number | boolean | null>) =>
      withWorkspace(db, { workspaceId }, (trx) =>
        recordAudit(trx, { workspaceId, actor: { type: "system", id: null }, action: "settings.changed", metadata }),
      );
    await expect(attempt({ ratio: 0.5 })).rejects.toThrow(RangeError);
    await expect(attempt({ "bad key": 1 })).rejects.toThrow(RangeError);
    await expect(attempt({ text: "x".repeat(300) })).rejects.toThrow(RangeError);
    await expect(
      withWorkspace(db, { workspaceId }, (trx) =>
        recordAudit(trx, { workspaceId, actor: { type: "user", id: "someone@example.com" }, action: "auth.login.failed" }),
      ),
    ).rejects.toThrow(RangeError);
    expect(await seqsOf(workspaceId)).toEqual([]);
  });

  it("cannot write into another workspace's log from a workspace context", async () => {
    const mine = randomUUID();
    const theirs = randomUUID();
    await expect(
      withWorkspace(db, { workspaceId: mine }, (trx) =>
        recordAudit(trx, { workspaceId: theirs, actor: { type: "system", id: null }, action: "settings.changed" }),
      ),
    ).rejects.toThrow();
    expect(await seqsOf(theirs)).toEqual([]);
  });
});

describe("the runtime role", () => {
  const workspaceId = randomUUID();

  beforeAll(async () => {
    await withWorkspace(db, { workspaceId }, (trx) =>
      recordAudit(trx, { workspaceId, actor: { type: "system", id: null }, action: "workspace.created" }),
    );
  });

  for (const [name, statement] of [
    ["UPDATE audit entries", sql`update audit_entries set action = 'settings.changed'`],
    ["DELETE audit entries", sql`delete from audit_entries`],
    ["TRUNCATE audit entries", sql`truncate audit_entries`],
    ["UPDATE checkpoints", sql`update audit_checkpoints set root_hash = root_hash`],
    ["DELETE checkpoints", sql`delete from audit_checkpoints`],
  ] as const) {
    it(`cannot ${name} (permission denied)`, async () => {
      await expect(withWorkspace(db, { workspaceId }, (trx) => statement.execute(trx))).rejects.toThrow(/permission denied/);
    });
  }

  it("can move a log head forward by one entry only", async () => {
    await expect(withWorkspace(db, { workspaceId }, (trx) => sql`update audit_heads set tree_size = 0`.execute(trx))).rejects.toThrow(
      /one entry at a time|violates check/,
    );
    await expect(withWorkspace(db, { workspaceId }, (trx) => sql`delete from audit_heads`.execute(trx))).rejects.toThrow(
      /permission denied/,
    );
    expect(await seqsOf(workspaceId)).toEqual([1]);
  });
});

describe("the platform log", () => {
  it("takes events without a workspace, from any context, and no workspace can read them", async () => {
    const workspaceId = randomUUID();
    await withoutWorkspace(db, (trx) =>
      recordAudit(trx, { workspaceId: null, actor: { type: "system", id: null }, action: "auth.login.failed", ip: "192.0.2.1" }),
    );
    await withWorkspace(db, { workspaceId }, (trx) =>
      recordAudit(trx, { workspaceId: null, actor: { type: "system", id: null }, action: "auth.lockout" }),
    );

    const fromWorkspace = await withWorkspace(db, { workspaceId }, (trx) =>
      trx.selectFrom("audit_entries").select("seq").where("workspace_id", "=", PLATFORM_WORKSPACE_ID).execute(),
    );
    expect(fromWorkspace).toEqual([]);
    const fromNowhere = await withoutWorkspace(db, (trx) => trx.selectFrom("audit_entries").select("seq").execute());
    expect(fromNowhere).toEqual([]);
    await expect(withWorkspace(db, { workspaceId: PLATFORM_WORKSPACE_ID }, async () => {})).rejects.toThrow();

    const platform = await withAuditLog(db, null, (trx) =>
      trx.selectFrom("audit_entries").select(["seq", "action"]).orderBy("seq").execute(),
    );
    expect(platform).toEqual([
      { seq: 1, action: "auth.login.failed" },
      { seq: 2, action: "auth.lockout" },
    ]);
  });
});
