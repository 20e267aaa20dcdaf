import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { testEngine } from "../../../test/support/engine.ts";
import { withNonSuperuserOwner } from "../../../test/support/owner-database.ts";
import { claimIdempotencyKey, IDEMPOTENCY_TTL_MS, pruneIdempotencyKeys } from "./idempotency.ts";

// Production-shaped PostgreSQL: the owner that runs migrations is not a superuser, so forced RLS
// applies to it, and so to the SECURITY DEFINER function that prunes expired Idempotency-Key
// records of every workspace. It must still find and delete them, and only them. The test suite's
// own owner is a superuser, and PGlite's always is, so this runs on the PostgreSQL pass only.

async function createWorkspace(db: Database): Promise<string> {
  const workspaceId = randomUUID();
  await withWorkspace(db, { workspaceId }, (trx) =>
    sql`insert into workspaces (id, name, region) values (${workspaceId}, 'W', 'local')`.execute(trx),
  );
  return workspaceId;
}

/** Claims a key; `expired` claims it as if the request had come a day and a minute ago. */
async function claim(db: Database, workspaceId: string, expired: boolean): Promise<string> {
  const key = `k-${randomUUID()}`;
  const now = expired ? new Date(Date.now() - IDEMPOTENCY_TTL_MS - 60_000) : new Date();
  await claimIdempotencyKey(db, { workspaceId, principal: `user:${randomUUID()}`, key }, "0".repeat(64), now);
  return key;
}

async function keysOf(db: Database, workspaceId: string): Promise<string[]> {
  const rows = await withWorkspace(db, { workspaceId }, (trx) => trx.selectFrom("idempotency_keys").select("key").execute());
  return rows.map((row) => row.key).sort();
}

describe.runIf(testEngine === "postgres")("idempotency keys with an owner that is not a superuser", () => {
  it("prunes the expired keys of every workspace and keeps the others", { timeout: 60_000 }, async () => {
    await withNonSuperuserOwner(async (db) => {
      const [first, second] = [await createWorkspace(db), await createWorkspace(db)];
      for (const workspaceId of [first, first, second]) await claim(db, workspaceId, true);
      const liveFirst = [await claim(db, first, false)];
      const liveSecond = [await claim(db, second, false), await claim(db, second, false)];

      expect(await pruneIdempotencyKeys(db)).toBe(3);
      expect(await keysOf(db, first)).toEqual(liveFirst.sort());
      expect(await keysOf(db, second)).toEqual(liveSecond.sort());
      expect(await pruneIdempotencyKeys(db)).toBe(0);

      // The owner's own policies open expired records only: outside any workspace it sees the one
      // expired record left, not the live ones of either workspace.
      const late = await claim(db, first, true);
      const visible = await sql<{ key: string }>`select key from idempotency_keys`.execute(db.owner);
      expect(visible.rows.map((row) => row.key)).toEqual([late]);
    });
  });
});
