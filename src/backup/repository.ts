import { sql, type Kysely } from "kysely";
import type { Database } from "../db/database.ts";
import type { Schema } from "../db/schema.ts";

// The backup's SQL. Backups are platform maintenance: they run on the owner connection, read every
// workspace at once (deliberately unscoped: a backup is of the whole database), and never decrypt
// beyond one sample key that proves a restore can be read.

type Owner = Kysely<Schema>;

/** The application's tables (schema public), sorted. */
export async function listTables(owner: Owner): Promise<string[]> {
  const result = await sql<{
    name: string;
  }>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(owner);
  return result.rows.map((row) => row.name);
}

export async function countRows(owner: Owner, tables: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const result = await sql<{ count: number | string }>`select count(*) as count from ${sql.table(`public.${table}`)}`.execute(owner);
    counts[table] = Number(result.rows[0]!.count);
  }
  return counts;
}

/**
 * Runs `fn` while one snapshot of the database is held. On PostgreSQL: a read-only repeatable-read
 * transaction whose snapshot is exported (pg_dump joins it with --snapshot), with row security off
 * so that a role that RLS would filter fails loudly instead of dumping a part. On PGlite: its one
 * connection is held, so no other statement runs between the row counts and the dump.
 */
export async function withSnapshot<T>(
  db: Database,
  fn: (snapshot: { id: string | undefined; counts: Record<string, number> }) => Promise<T>,
): Promise<T> {
  return db.owner.connection().execute(async (conn) => {
    if (db.engine === "pglite") {
      const counts = await countRows(conn, await listTables(conn));
      return fn({ id: undefined, counts });
    }
    await sql`begin isolation level repeatable read read only`.execute(conn);
    try {
      await sql`set local row_security = off`.execute(conn);
      const exported = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(conn);
      const counts = await countRows(conn, await listTables(conn));
      const result = await fn({ id: exported.rows[0]!.id, counts });
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/** Counts as the owner with row security off (a restore check must see every workspace's rows). */
export async function countRowsUnfiltered(db: Database, tables: readonly string[]): Promise<Record<string, number>> {
  return db.owner.connection().execute(async (conn) => {
    if (db.engine === "pglite") return countRows(conn, tables);
    await sql`begin isolation level repeatable read read only`.execute(conn);
    try {
      await sql`set local row_security = off`.execute(conn);
      const counts = await countRows(conn, tables);
      await sql`commit`.execute(conn);
      return counts;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/** One wrapped workspace key, to prove the restored data opens with the key provider. */
export async function sampleWorkspaceKey(db: Database): Promise<{ workspaceId: string; version: number; wrappedKey: string } | undefined> {
  return db.owner.connection().execute(async (conn) => {
    if (db.engine === "postgres") await sql`set row_security = off`.execute(conn);
    try {
      const row = await conn
        .selectFrom("workspace_keys")
        .select(["workspace_id", "version", "wrapped_key"])
        .orderBy("workspace_id")
        .orderBy("version")
        .limit(1)
        .executeTakeFirst();
      return row ? { workspaceId: row.workspace_id, version: row.version, wrappedKey: row.wrapped_key } : undefined;
    } finally {
      if (db.engine === "postgres") await sql`reset row_security`.execute(conn);
    }
  });
}

/** Empties schema public (a forced restore over an existing database). */
export async function dropPublicSchema(owner: Owner): Promise<void> {
  await sql`drop schema public cascade`.execute(owner);
  await sql`create schema public`.execute(owner);
}
