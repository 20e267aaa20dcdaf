import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db.drop(); });
it("migrates", async () => {
  const r = await sql<{ n: number }>`select count(*)::int as n from parley_migrations`.execute(db.owner);
  expect(r.rows[0]?.n).toBe(1);
});
