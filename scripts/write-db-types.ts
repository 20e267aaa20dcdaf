// Writes src/db/generated/database.ts from a freshly migrated database: an in-memory PGlite by
// default, or with `--postgres` a temporary database on the PostgreSQL at PARLEY_TEST_DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards. Both give the same
// file. `--check` only compares and exits 1 on drift.
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import pg from "pg";
import type { DatabaseConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { GENERATED_PATH, readCatalogColumns, renderSchemaTypes } from "../src/db/generate-types.ts";
import { migrate } from "../src/db/migrate.ts";

const isCheck = process.argv.includes("--check");
const adminUrl = process.env.PARLEY_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function withAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

let config: DatabaseConfig = { engine: "pglite", dataDir: "memory://" };
let temporary: string | undefined;
if (process.argv.includes("--postgres")) {
  temporary = `parley_types_${randomBytes(6).toString("hex")}`;
  await withAdmin(`create database ${temporary}`);
  const ownerUrl = new URL(adminUrl);
  ownerUrl.pathname = `/${temporary}`;
  const appUrl = new URL(ownerUrl);
  appUrl.username = "parley_app";
  appUrl.password = "";
  config = { engine: "postgres", ownerUrl: ownerUrl.toString(), appUrl: appUrl.toString(), appPassword: undefined, poolSize: 1 };
}

let text: string;
try {
  const db = await openDatabase(config);
  try {
    await migrate(db);
    text = renderSchemaTypes(await readCatalogColumns(db.owner));
  } finally {
    await db.close();
  }
} finally {
  if (temporary !== undefined) await withAdmin(`drop database if exists ${temporary} with (force)`);
}

const path = resolve(GENERATED_PATH);
const current = await readFile(path, "utf8").catch(() => undefined);
if (current !== text) {
  if (isCheck) {
    console.error(`${GENERATED_PATH} is out of date; run \`npm run db:types\``);
    process.exit(1);
  }
  await writeFile(path, text);
  console.log(`wrote ${GENERATED_PATH}`);
}
