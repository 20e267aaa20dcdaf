import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../src/audit/record.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";

let db: TestDatabase;
const workspaceId = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("recordAudit", () => {
  it("appends entries with consecutive sequence numbers", async () => {
    await withWorkspace(db, { workspaceId }, async (trx) => {
      await recordAudit(trx, { workspaceId, actor: { type: "user", id: randomUUID() }, action: "auth.login.succeeded", ip: "203.0.113.9" });
      await recordAudit(trx, { workspaceId, actor: { type: "system", id: null }, action: "keys.rotated", metadata: { version: 2 } });
    });
    const rows = await withWorkspace(db, { workspaceId }, (trx) => trx.selectFrom("audit_entries").select(["seq", "action"]).orderBy("seq").execute());
    expect(rows).toEqual([
      { seq: 1, action: "auth.login.succeeded" },
      { seq: 2, action: "keys.rotated" },
    ]);
  });
});
