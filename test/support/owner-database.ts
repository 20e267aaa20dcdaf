import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { expect } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { testPostgresUrl } from "./engine.ts";

// Production-shaped PostgreSQL: there, the role that owns the schema and runs the migrations is
// usually not a superuser, so forced RLS applies to it, and so to every SECURITY DEFINER function
// it owns. The suite's own owner is a superuser (and PGlite's always is), which hides a function
// that reads nothing under forced RLS; tests of such functions run them in a database made here.
// PostgreSQL only: call it from a `describe.runIf(testEngine === "postgres")` block.

/**
 * Runs `fn` on a fresh database owned and migrated by a new role that is neither a superuser nor
 * BYPASSRLS (asserted), reached by the runtime role parley_app as usual. The database and the role
 * are dropped afterwards, whether `fn` passed or not.
 */
export async function withNonSuperuserOwner<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const name = `parley_o_${randomBytes(6).toString("hex")}`;
  await admin(async (client) => {
    await client.query(`create role ${name} login nosuperuser nobypassrls createdb`);
    await client.query(`create database ${name} owner ${name}`);
  });
  try {
    const ownerUrl = new URL(testPostgresUrl);
    ownerUrl.pathname = `/${name}`;
    ownerUrl.username = name;
    const appUrl = new URL(ownerUrl);
    appUrl.username = "parley_app";
    const db = await openDatabase({ engine: "postgres", ownerUrl: ownerUrl.toString(), appUrl: appUrl.toString(), appPassword: undefined, poolSize: 2 });
    try {
      await migrate(db);
      const facts = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`select rolsuper, rolbypassrls from pg_roles where rolname = ${name}`.execute(db.owner);
      expect(facts.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
      return await fn(db);
    } finally {
      await db.close();
    }
  } finally {
    await admin(async (client) => {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.query(`drop role if exists ${name}`);
    });
  }
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
