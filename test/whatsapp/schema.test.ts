import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTableFacts, tableProblems } from "../../src/db/posture.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("migration 0005", () => {
  it("adds only correctly protected tenant tables", async () => {
    const facts = await readTableFacts(db);
    expect(tableProblems(facts)).toEqual([]);
    const names = facts.map((table) => table.table);
    expect(names).toEqual(expect.arrayContaining(["numbers", "inbound_events", "conversations", "messages", "message_statuses"]));
  });
});
