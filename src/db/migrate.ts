import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { ensureAppRole, type Database } from "./database.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
// Any number fits; it only has to be the same for every instance so two starts cannot race.
const MIGRATION_LOCK = 7_253_001;

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationResult = { applied: string[]; alreadyApplied: number };

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (name) => {
      const text = await readFile(`${dir}${name}`, "utf8");
      return { name, sql: text, checksum: createHash("sha256").update(text).digest("hex") };
    }),
  );
}

/**
 * Applies pending migrations as the owner role, each in its own transaction, under an advisory lock
 * so that several instances starting together apply each migration once. A migration whose file
 * changed after it was applied stops the process: history is append-only.
 */
export async function migrate(db: Database, options: { appPassword?: string | undefined } = {}): Promise<MigrationResult> {
  await ensureAppRole(db, options.appPassword);
  const migrations = await readMigrations();
  return db.owner.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql`create table if not exists parley_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const done = await sql<{ name: string; checksum: string }>`select name, checksum from parley_migrations`.execute(conn);
      const appliedChecksums = new Map(done.rows.map((row) => [row.name, row.checksum]));
      const applied: string[] = [];
      for (const migration of migrations) {
        const previous = appliedChecksums.get(migration.name);
        if (previous !== undefined) {
          if (previous !== migration.checksum) {
            throw new Error(`migration ${migration.name} was changed after it was applied; add a new migration instead`);
          }
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(migration.sql).execute(trx);
          await sql`insert into parley_migrations (name, checksum) values (${migration.name}, ${migration.checksum})`.execute(trx);
        });
        applied.push(migration.name);
      }
      return { applied, alreadyApplied: migrations.length - applied.length };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}
