import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { expect } from "vitest";
import { openDatabase, type Database, type Tx } from "../../src/db/database.ts";
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
    const db = await openDatabase({
      engine: "postgres",
      ownerUrl: ownerUrl.toString(),
      appUrl: appUrl.toString(),
      appPassword: undefined,
      poolSize: 2,
    });
    try {
      await migrate(db);
      const facts = await sql<{
        rolsuper: boolean;
        rolbypassrls: boolean;
      }>`select rolsuper, rolbypassrls from pg_roles where rolname = ${name}`.execute(db.owner);
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

export type SeededConversation = { dataKeyId: string; contactId: string; numberId: string; conversationId: string };

/**
 * A workspace with one contact, number and conversation as bare rows (placeholder ciphertexts, no
 * real keys), in the caller's transaction: enough for tests of SQL functions that never decrypt.
 */
export async function seedConversationRows(trx: Tx, workspaceId: string): Promise<SeededConversation> {
  const [dataKeyId, contactId, numberId, conversationId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  await sql`insert into workspaces (id, name, region) values (${workspaceId}, 'W', 'local')`.execute(trx);
  await sql`insert into workspace_keys (workspace_id, version, kek_version, wrapped_key) values (${workspaceId}, 1, 1, 'w')`.execute(trx);
  await sql`insert into data_keys (workspace_id, id, subject, workspace_key_version, wrapped_key) values (${workspaceId}, ${dataKeyId}, 'contact', 1, 'w')`.execute(
    trx,
  );
  await sql`insert into contacts (workspace_id, id, data_key_id, phone_ciphertext, phone_index) values (${workspaceId}, ${contactId}, ${dataKeyId}, 'c', 'i')`.execute(
    trx,
  );
  await sql`insert into numbers (workspace_id, id, mode, waba_id, phone_number_id, access_token_ciphertext, access_token_last4, app_secret_ciphertext, app_secret_last4, verify_token_ciphertext, verify_token_last4, webhook_key)
            values (${workspaceId}, ${numberId}, 'sandbox', '1', '2', 'x', 'x', 'x', 'x', 'x', 'x', ${randomBytes(24).toString("hex")})`.execute(
    trx,
  );
  await sql`insert into conversations (workspace_id, id, contact_id, number_id) values (${workspaceId}, ${conversationId}, ${contactId}, ${numberId})`.execute(
    trx,
  );
  return { dataKeyId, contactId, numberId, conversationId };
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
