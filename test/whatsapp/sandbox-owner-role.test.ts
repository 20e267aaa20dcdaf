import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { withoutWorkspace, withWorkspace } from "../../src/db/with-workspace.ts";
import { listSandboxNumberIds } from "../../src/features/numbers/repository.ts";
import { testEngine } from "../support/engine.ts";
import { withNonSuperuserOwner } from "../support/owner-database.ts";

// Production-shaped PostgreSQL: the owner is not a superuser, so forced RLS applies to it and to
// sandbox_numbers (SECURITY DEFINER, migration 0019), which start-up calls as the runtime role to
// find every connected sandbox number across workspaces. If it found none there, sandbox numbers
// would silently stop receiving after a restart. PostgreSQL pass only (PGlite's owner is a superuser).

async function connect(db: Database, mode: "sandbox" | "live", status: "active" | "disconnected" = "active") {
  const [workspaceId, numberId] = [randomUUID(), randomUUID()];
  await withWorkspace(db, { workspaceId }, async (trx) => {
    await sql`insert into workspaces (id, name, region) values (${workspaceId}, 'W', 'local')`.execute(trx);
    await sql`insert into numbers (workspace_id, id, mode, waba_id, phone_number_id, access_token_ciphertext, access_token_last4, app_secret_ciphertext, app_secret_last4, verify_token_ciphertext, verify_token_last4, webhook_key, status)
              values (${workspaceId}, ${numberId}, ${mode}, '1', '2', 'x', 'x', 'x', 'x', 'x', 'x', ${randomBytes(32).toString("base64url")}, ${status})`.execute(
      trx,
    );
  });
  return { workspaceId, numberId };
}

describe.runIf(testEngine === "postgres")("sandbox restore with an owner that is not a superuser", () => {
  it("finds every connected sandbox number of every workspace, and no live or disconnected one", { timeout: 60_000 }, async () => {
    await withNonSuperuserOwner(async (db) => {
      const first = await connect(db, "sandbox");
      const second = await connect(db, "sandbox");
      await connect(db, "live");
      await connect(db, "sandbox", "disconnected");
      const found = await withoutWorkspace(db, (trx) => listSandboxNumberIds(trx));
      expect(found).toHaveLength(2);
      expect(found).toEqual(expect.arrayContaining([first, second]));
    });
  });
});
