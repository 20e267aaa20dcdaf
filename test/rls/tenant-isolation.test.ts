import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../src/db/database.ts";
import {
  NON_TENANT_TABLES,
  assertSafeRuntimeRole,
  readRuntimeRoleFacts,
  readTableFacts,
  runtimeRoleProblems,
  tableProblems,
} from "../../src/db/posture.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { createTestDatabase, testEngine, type TestDatabase } from "../support/engine.ts";

// Tenant isolation is enforced by PostgreSQL row-level security, proved here on both engines
// (DESIGN §4). These tests act as the runtime role parley_app, exactly as requests do.

let db: TestDatabase;
const workspaceA = randomUUID();
const workspaceB = randomUUID();

async function seedWorkspace(workspaceId: string): Promise<void> {
  await withWorkspace(db, { workspaceId }, async (trx) => {
    await trx
      .insertInto("workspaces")
      .values({ id: workspaceId, name: `ws ${workspaceId.slice(0, 4)}`, region: "local" })
      .execute();
    await trx
      .insertInto("workspace_keys")
      .values({ workspace_id: workspaceId, version: 1, kek_version: 1, wrapped_key: "test-wrapped" })
      .execute();
    await insertContact(trx, workspaceId);
  });
}

async function insertContact(trx: Tx, workspaceId: string, id = randomUUID()): Promise<string> {
  const dataKeyId = randomUUID();
  await trx
    .insertInto("data_keys")
    .values({ workspace_id: workspaceId, id: dataKeyId, subject: "contact", workspace_key_version: 1, wrapped_key: "test-wrapped" })
    .execute();
  await trx
    .insertInto("contacts")
    .values({
      workspace_id: workspaceId,
      id,
      data_key_id: dataKeyId,
      phone_ciphertext: "ct",
      phone_index: randomUUID(),
      name_ciphertext: null,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedWorkspace(workspaceA);
  await seedWorkspace(workspaceB);
});
afterAll(async () => {
  await db.drop();
});

describe("schema posture", () => {
  it("every table is a forced-RLS tenant table with workspace_id in every unique constraint, or declared non-tenant", async () => {
    const facts = await readTableFacts(db);
    expect(tableProblems(facts)).toEqual([]);
    const tenantTables = facts.filter((table) => !(table.table in NON_TENANT_TABLES)).map((table) => table.table);
    expect(tenantTables).toEqual(expect.arrayContaining(["workspaces", "workspace_keys", "data_keys", "contacts"]));
  });

  it("the check catches a table without forced RLS, policies or a tenant-scoped unique constraint", async () => {
    await sql`create table careless (workspace_id uuid not null, email text unique)`.execute(db.owner);
    try {
      const problems = tableProblems(await readTableFacts(db));
      expect(problems).toEqual(
        expect.arrayContaining([
          "careless: row-level security is not enabled",
          "careless: row-level security is not forced",
          "careless: has no policies",
          expect.stringMatching(/^careless: unique constraints without workspace_id/),
        ]),
      );
      await sql`create table untracked (id int primary key)`.execute(db.owner);
      expect(tableProblems(await readTableFacts(db))).toContain("untracked has no workspace_id and is not declared non-tenant");
    } finally {
      await sql`drop table if exists careless`.execute(db.owner);
      await sql`drop table if exists untracked`.execute(db.owner);
    }
  });

  it("the runtime role is not superuser, has no BYPASSRLS and owns nothing", async () => {
    const facts = await assertSafeRuntimeRole(db);
    expect(facts.role).toBe("parley_app");
    expect(runtimeRoleProblems({ ...facts, isSuperuser: true })).toEqual([expect.stringMatching(/superuser/)]);
    expect(runtimeRoleProblems({ ...facts, bypassesRls: true })).toEqual([expect.stringMatching(/BYPASSRLS/)]);
  });

  it("start-up refuses a runtime role that owns a table", async () => {
    await sql`alter table setup_tokens owner to parley_app`.execute(db.owner);
    try {
      await expect(assertSafeRuntimeRole(db)).rejects.toThrow(/owns tables: setup_tokens/);
    } finally {
      await sql`alter table setup_tokens owner to current_user`.execute(db.owner);
    }
  });
});

describe("as the runtime role", () => {
  it("sees no tenant rows when no workspace is set", async () => {
    await withoutWorkspace(db, async (trx) => {
      expect(await trx.selectFrom("contacts").selectAll().execute()).toEqual([]);
      expect(await trx.selectFrom("workspaces").selectAll().execute()).toEqual([]);
      expect(await trx.selectFrom("workspace_keys").selectAll().execute()).toEqual([]);
      expect(await trx.selectFrom("data_keys").selectAll().execute()).toEqual([]);
    });
  });

  it("workspace A reads only its own rows", async () => {
    await withWorkspace(db, { workspaceId: workspaceA }, async (trx) => {
      const contacts = await trx.selectFrom("contacts").select("workspace_id").execute();
      expect(contacts.length).toBeGreaterThan(0);
      expect(new Set(contacts.map((row) => row.workspace_id))).toEqual(new Set([workspaceA]));
      const workspaces = await trx.selectFrom("workspaces").select("id").execute();
      expect(workspaces).toEqual([{ id: workspaceA }]);
      expect(await trx.selectFrom("contacts").selectAll().where("workspace_id", "=", workspaceB).execute()).toEqual([]);
    });
  });

  it("workspace A cannot update or delete rows of B", async () => {
    await withWorkspace(db, { workspaceId: workspaceA }, async (trx) => {
      const updated = await trx
        .updateTable("contacts")
        .set({ phone_ciphertext: "stolen" })
        .where("workspace_id", "=", workspaceB)
        .executeTakeFirst();
      expect(Number(updated.numUpdatedRows)).toBe(0);
      const deleted = await trx.deleteFrom("contacts").where("workspace_id", "=", workspaceB).executeTakeFirst();
      expect(Number(deleted.numDeletedRows)).toBe(0);
      const renamed = await trx.updateTable("workspaces").set({ name: "taken over" }).where("id", "=", workspaceB).executeTakeFirst();
      expect(Number(renamed.numUpdatedRows)).toBe(0);
    });
    await withWorkspace(db, { workspaceId: workspaceB }, async (trx) => {
      const rows = await trx.selectFrom("contacts").select("phone_ciphertext").execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.phone_ciphertext === "ct")).toBe(true);
      const workspace = await trx.selectFrom("workspaces").select("name").executeTakeFirstOrThrow();
      expect(workspace.name).not.toBe("taken over");
    });
  });

  it("inserting a row for B while acting as A fails", async () => {
    await expect(
      withWorkspace(db, { workspaceId: workspaceA }, (trx) =>
        trx
          .insertInto("workspace_keys")
          .values({ workspace_id: workspaceB, version: 2, kek_version: 1, wrapped_key: "x", is_primary: false })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("moving a row of A into B fails", async () => {
    await expect(
      withWorkspace(db, { workspaceId: workspaceA }, (trx) =>
        trx.updateTable("workspace_keys").set({ workspace_id: workspaceB }).where("workspace_id", "=", workspaceA).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("the tenant context does not outlive its transaction", async () => {
    await withWorkspace(db, { workspaceId: workspaceA }, async (trx) => {
      expect((await trx.selectFrom("contacts").select("id").execute()).length).toBeGreaterThan(0);
    });
    for (let i = 0; i < 3; i += 1) {
      await withoutWorkspace(db, async (trx) => {
        expect(await trx.selectFrom("contacts").select("id").execute()).toEqual([]);
        const setting = await sql<{
          value: string | null;
        }>`select nullif(current_setting('parley.workspace_id', true), '') as value`.execute(trx);
        expect(setting.rows[0]?.value ?? null).toBeNull();
      });
    }
  });

  it("the webhook ingest function writes as the runtime role for its own workspace only, and restores the caller's context", async () => {
    // ingest_inbound_events (migrations 0014, 0017) sets the tenant context itself; it must not become a
    // way to write into another workspace, nor leave a caller's transaction acting for one.
    const numberOf = async (workspaceId: string) => {
      const id = randomUUID();
      await withWorkspace(db, { workspaceId }, (trx) =>
        trx
          .insertInto("numbers")
          .values({
            workspace_id: workspaceId,
            id,
            mode: "sandbox",
            waba_id: "1",
            phone_number_id: String(Date.now() % 1e9),
            access_token_ciphertext: "ct",
            access_token_last4: "ab12",
            app_secret_ciphertext: "ct",
            app_secret_last4: "cd34",
            verify_token_ciphertext: "ct",
            verify_token_last4: "ef56",
            webhook_key: randomUUID().replaceAll("-", ""),
          })
          .execute(),
      );
      return id;
    };
    const numberOfA = await numberOf(workspaceA);
    const numberOfB = await numberOf(workspaceB);
    const ingest = (trx: Tx, workspaceId: string, numberId: string) =>
      sql`select ingest_inbound_events(${workspaceId}::uuid, ${[randomUUID()]}::uuid[], ${[numberId]}::uuid[], ${["ct"]}::text[], ${[2]}::integer[], ${"rls-test"}::text, ${1}::integer)`.execute(
        trx,
      );

    // Acting as A, ingesting for B with B's number: B gets the row, and the transaction is still A's.
    await withWorkspace(db, { workspaceId: workspaceA }, async (trx) => {
      await ingest(trx, workspaceB, numberOfB);
      const after = await sql<{
        workspace: string;
        role: string;
      }>`select current_setting('parley.workspace_id') as workspace, current_user as role`.execute(trx);
      expect(after.rows[0]).toEqual({ workspace: workspaceA, role: "parley_app" });
      expect(await trx.selectFrom("inbound_events").select("workspace_id").execute()).toEqual([]);
    });
    const inB = await withWorkspace(db, { workspaceId: workspaceB }, (trx) =>
      trx.selectFrom("inbound_events").select("number_id").execute(),
    );
    expect(inB).toEqual([{ number_id: numberOfB }]);
    // A workspace's batch naming another workspace's number is refused (the composite key to numbers).
    await expect(withoutWorkspace(db, (trx) => ingest(trx, workspaceA, numberOfB))).rejects.toThrow(/foreign key|violates/);
    await withoutWorkspace(db, (trx) => ingest(trx, workspaceA, numberOfA));
    await withWorkspace(db, { workspaceId: workspaceB }, async (trx) => {
      await sql`delete from jobs where queue = 'rls-test'`.execute(trx);
      expect(await trx.selectFrom("inbound_events").select("number_id").execute()).toEqual([{ number_id: numberOfB }]);
    });
  });

  it("a malformed workspace id is refused before reaching SQL", async () => {
    await expect(withWorkspace(db, { workspaceId: "' or 1=1 --" }, async () => 1)).rejects.toThrow(/does not exist/);
  });
});

describe("escaping the runtime role", () => {
  // The one behaviour that differs between engines, asserted on each: PostgreSQL is the boundary,
  // PGlite (whose session user is always a superuser) gives defense in depth only (SECURITY.md).
  it("PostgreSQL refuses it; on PGlite SQL that resets the role sees every tenant", async () => {
    if (testEngine === "postgres") {
      await expect(
        withWorkspace(db, { workspaceId: workspaceA }, async (trx) => {
          await sql`set local role postgres`.execute(trx);
        }),
      ).rejects.toThrow(/permission denied/);
      // RESET ROLE goes back to the session user, which is parley_app itself: still filtered.
      await withWorkspace(db, { workspaceId: workspaceA }, async (trx) => {
        await sql`reset role`.execute(trx);
        const user = await sql<{ user: string }>`select current_user as user`.execute(trx);
        expect(user.rows[0]?.user).toBe("parley_app");
        const rows = await trx.selectFrom("contacts").select("workspace_id").execute();
        expect(new Set(rows.map((row) => row.workspace_id))).toEqual(new Set([workspaceA]));
      });
      expect((await readRuntimeRoleFacts(db)).sessionUserIsSuperuser).toBe(false);
      return;
    }
    expect((await readRuntimeRoleFacts(db)).sessionUserIsSuperuser).toBe(true);
    await withWorkspace(db, { workspaceId: workspaceA }, async (trx) => {
      await sql`reset role`.execute(trx);
      const rows = await trx.selectFrom("contacts").select("workspace_id").execute();
      expect(new Set(rows.map((row) => row.workspace_id))).toEqual(new Set([workspaceA, workspaceB]));
    });
  });
});
