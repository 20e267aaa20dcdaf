import { randomBytes } from "node:crypto";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";

// The whole suite runs twice: on PGlite (default) and on PostgreSQL + Redis
// (PARLEY_TEST_ENGINE=postgres). Tests ask this module for their engine and never branch on it
// unless the behaviour itself differs between engines (then they say why).

export const testEngine: "pglite" | "postgres" = process.env.PARLEY_TEST_ENGINE === "postgres" ? "postgres" : "pglite";
export const testPostgresUrl = process.env.PARLEY_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const testRedisUrl = process.env.PARLEY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
/** Redis is used by the postgres run (the production-shaped one). */
export const useRedis = testEngine === "postgres";

export type TestDatabase = Database & { config: DatabaseConfig; drop(): Promise<void> };

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new PostgreSQL database
 * in the test cluster (dropped by `drop()`), reached by the runtime role parley_app.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const config = await createTestDatabaseConfig();
  const db = await openDatabase(config);
  await migrate(db);
  return Object.assign(db, {
    config,
    drop: async () => {
      await db.close();
      if (config.engine === "postgres") await dropPostgresDatabase(config.ownerUrl);
    },
  });
}

export async function createTestDatabaseConfig(): Promise<DatabaseConfig> {
  if (testEngine === "pglite") return { engine: "pglite", dataDir: "memory://" };
  const name = `parley_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const ownerUrl = new URL(testPostgresUrl);
  ownerUrl.pathname = `/${name}`;
  const appUrl = new URL(ownerUrl);
  appUrl.username = "parley_app";
  appUrl.password = "";
  return { engine: "postgres", ownerUrl: ownerUrl.toString(), appUrl: appUrl.toString(), appPassword: undefined, poolSize: 5 };
}

/** Drops a database made by createTestDatabaseConfig (no-op for PGlite). */
export async function dropTestDatabaseConfig(config: DatabaseConfig): Promise<void> {
  if (config.engine === "postgres") await dropPostgresDatabase(config.ownerUrl);
}

async function dropPostgresDatabase(ownerUrl: string): Promise<void> {
  const name = new URL(ownerUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/** The minimal environment for a child `parley` process: nothing of the test runner's leaks in. */
export const childProcessEnv: Record<string, string> = {
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
};

/**
 * Tests drive the API far harder than any person or integration from one user and one address:
 * the suite raises the default limits and the strike threshold so that only the tests about them
 * meet them (test/http/limits.test.ts proves the real defaults, with createTestServices' `realLimits`).
 */
export const relaxedLimitsEnv: Record<string, string> = {
  PARLEY_RATE_LIMIT_API_KEY: "1000000/1s",
  PARLEY_RATE_LIMIT_SESSION: "1000000/1s",
  PARLEY_ABUSE_STRIKES: "1000000",
};
