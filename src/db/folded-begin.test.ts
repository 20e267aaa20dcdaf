import { randomBytes } from "node:crypto";
import { Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngine, testPostgresUrl } from "../../test/support/engine.ts";
import { FoldedBeginPostgresDialect, TENANT_CONTEXT_MARKER } from "./folded-begin.ts";

// The folded BEGIN is a PostgreSQL driver (PGlite has no round trips to save): on the PostgreSQL
// pass, against the real server. What must hold: a transaction is still one transaction — atomic,
// rolled back on error, whatever its first statement — and the tenant context costs no round trip.

describe.runIf(testEngine === "postgres")("FoldedBeginPostgresDialect", () => {
  const table = `folded_${randomBytes(4).toString("hex")}`;
  const sent: string[] = [];
  let pool: pg.Pool;
  let db: Kysely<Record<string, { id: number; note: string }>>;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testPostgresUrl, max: 1 });
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const text = typeof args[0] === "string" ? args[0] : "";
        sent.push(text.replace(/\s+/g, " ").trim());
        return query(...args);
      };
    });
    db = new Kysely({ dialect: new FoldedBeginPostgresDialect({ pool }) });
    await sql.raw(`create table ${table} (id integer primary key, note text not null)`).execute(db);
  });
  afterAll(async () => {
    await sql.raw(`drop table if exists ${table}`).execute(db);
    await db.destroy();
  });

  const context = `${TENANT_CONTEXT_MARKER} select set_config('parley.workspace_id', '00000000-0000-4000-8000-000000000001', true)`;
  const inTransaction = async () =>
    (
      await sql<{ open: boolean }>`select now() <> statement_timestamp() or pg_current_xact_id_if_assigned() is not null as open`.execute(
        db,
      )
    ).rows[0]!.open;

  it("sends BEGIN with the tenant context in one message, and the rest as before", async () => {
    sent.length = 0;
    await db.transaction().execute(async (trx) => {
      await sql.raw(context).execute(trx);
      await trx.insertInto(table).values({ id: 1, note: "one" }).execute();
    });
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(/^begin; \/\* parley:tenant-context \*\/ select set_config/);
    expect(sent[2]).toBe("commit");
    expect(await db.selectFrom(table).selectAll().execute()).toEqual([{ id: 1, note: "one" }]);
  });

  it("the tenant context holds for the transaction's statements and ends with it", async () => {
    const seen = await db.transaction().execute(async (trx) => {
      await sql.raw(context).execute(trx);
      return (await sql<{ value: string }>`select current_setting('parley.workspace_id') as value`.execute(trx)).rows[0]!.value;
    });
    expect(seen).toBe("00000000-0000-4000-8000-000000000001");
    const after = await sql<{ value: string | null }>`select nullif(current_setting('parley.workspace_id', true), '') as value`.execute(db);
    expect(after.rows[0]!.value).toBeNull();
  });

  it("rolls back everything when the transaction fails, whether it began folded or not", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await sql.raw(context).execute(trx);
        await trx.insertInto(table).values({ id: 2, note: "folded" }).execute();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(
      db.transaction().execute(async (trx) => {
        // A parameterized first statement gets its own BEGIN first.
        await trx.insertInto(table).values({ id: 3, note: "plain" }).execute();
        await trx.insertInto(table).values({ id: 1, note: "duplicate key" }).execute();
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.selectFrom(table).select("id").orderBy("id").execute()).toEqual([{ id: 1 }]);
    expect(await inTransaction()).toBe(false);
  });

  it("a transaction that runs nothing sends nothing and leaves the connection clean", async () => {
    sent.length = 0;
    await db.transaction().execute(async () => undefined);
    await expect(db.transaction().execute(async () => Promise.reject(new Error("before any statement")))).rejects.toThrow(
      "before any statement",
    );
    expect(sent).toEqual([]);
    expect(await inTransaction()).toBe(false);
  });

  it("a transaction with an isolation level begins at once, with it", async () => {
    sent.length = 0;
    const level = await db
      .transaction()
      .setIsolationLevel("serializable")
      .execute(
        async (trx) => (await sql<{ level: string }>`select current_setting('transaction_isolation') as level`.execute(trx)).rows[0]!.level,
      );
    expect(level).toBe("serializable");
    expect(sent[0]).toMatch(/^start transaction isolation level serializable|^begin isolation level serializable/);
  });
});
