import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngine, type TestDatabase } from "../../test/support/engine.ts";
import { openDatabase } from "./database.ts";
import { migrate, readMigrations } from "./migrate.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("migrations", () => {
  it("apply once: a second run changes nothing", async () => {
    const again = await migrate(db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe((await readMigrations()).length);
  });

  it("refuse a migration whose file changed after it was applied", async () => {
    await sql`update parley_migrations set checksum = 'edited' where name = '0001_foundation.sql'`.execute(db.owner);
    try {
      await expect(migrate(db)).rejects.toThrow(/0001_foundation\.sql was changed after it was applied/);
    } finally {
      const [first] = await readMigrations();
      await sql`update parley_migrations set checksum = ${first!.checksum} where name = '0001_foundation.sql'`.execute(db.owner);
    }
  });

  it("accept only well-named SQL files, in order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "parley-migrations-"));
    try {
      await writeFile(join(dir, "0002_second.sql"), "select 2;");
      await writeFile(join(dir, "0001_first.sql"), "select 1;");
      await writeFile(join(dir, "notes.txt"), "not a migration");
      await writeFile(join(dir, "3_bad.sql"), "select 3;");
      expect((await readMigrations(`${dir}/`)).map((migration) => migration.name)).toEqual(["0001_first.sql", "0002_second.sql"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("apply each migration once when several instances start together", async () => {
    // On PostgreSQL: three pools racing for the advisory lock. PGlite is one connection, so its
    // "instances" share it and the driver serializes them; the outcome must be the same.
    const fresh = await createTestDatabase();
    const instances =
      testEngine === "postgres" ? await Promise.all([0, 1, 2].map(() => openDatabase(fresh.config))) : [fresh, fresh, fresh];
    try {
      await sql`drop schema public cascade`.execute(fresh.owner);
      await sql`create schema public`.execute(fresh.owner);
      const results = await Promise.all(instances.map((instance) => migrate(instance)));
      const all = (await readMigrations()).length;
      expect(results.map((result) => result.applied.length).sort((a, b) => a - b)).toEqual([0, 0, all]);
    } finally {
      if (testEngine === "postgres") await Promise.all(instances.map((instance) => instance.close()));
      await fresh.drop();
    }
  });
});
