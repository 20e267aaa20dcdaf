import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";

// Role-level row security on top of tenant isolation: Analysts never see personal data rows.

const PERSONAL_TABLES = [
  "contacts",
  "contact_tags",
  "contact_consent_events",
  "data_keys",
  "messages",
  "inbound_events",
  "conversation_notes",
  "media_uploads",
  "reaction_events",
  "broadcast_recipients",
  "broadcast_audience_rows",
];

let db: TestDatabase;
const workspaceId = randomUUID();
const userId = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase();
  await withWorkspace(db, { workspaceId }, async (trx) => {
    await trx.insertInto("workspaces").values({ id: workspaceId, name: "Acme", region: "local" }).execute();
    await trx.insertInto("workspace_keys").values({ workspace_id: workspaceId, version: 1, kek_version: 1, wrapped_key: "w" }).execute();
    const dataKeyId = randomUUID();
    await trx
      .insertInto("data_keys")
      .values({ workspace_id: workspaceId, id: dataKeyId, subject: "contact", workspace_key_version: 1, wrapped_key: "w" })
      .execute();
    await trx
      .insertInto("contacts")
      .values({
        workspace_id: workspaceId,
        id: randomUUID(),
        data_key_id: dataKeyId,
        phone_ciphertext: "ct",
        phone_index: "idx",
        name_ciphertext: null,
      })
      .execute();
  });
});
afterAll(async () => {
  await db.drop();
});

describe("analysts", () => {
  it("see no contact or key rows, while an owner of the same workspace does", async () => {
    const asAnalyst = await withWorkspace(db, { workspaceId, userId, role: "analyst" }, async (trx) => ({
      contacts: await trx.selectFrom("contacts").select("id").execute(),
      dataKeys: await trx.selectFrom("data_keys").select("id").execute(),
      updated: Number((await trx.updateTable("contacts").set({ phone_ciphertext: "x" }).executeTakeFirst()).numUpdatedRows),
    }));
    expect(asAnalyst).toEqual({ contacts: [], dataKeys: [], updated: 0 });
    const asOwner = await withWorkspace(db, { workspaceId, userId, role: "owner" }, (trx) =>
      trx.selectFrom("contacts").select("id").execute(),
    );
    expect(asOwner).toHaveLength(1);
  });

  it("are refused by a restrictive policy on every table holding personal data", async () => {
    const policies = await sql<{ table: string }>`
      select c.relname as table from pg_policy p join pg_class c on c.oid = p.polrelid
      where not p.polpermissive and pg_get_expr(p.polqual, p.polrelid) like '%analyst%'`.execute(db.owner);
    expect(new Set(policies.rows.map((row) => row.table))).toEqual(new Set(PERSONAL_TABLES));
  });
});
