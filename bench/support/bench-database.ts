import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";

// Scratch databases for benchmarks: PGlite in a temporary data directory, or a fresh database on a PostgreSQL server
// (dropped afterwards). The server is PARLEY_BENCH_DATABASE_URL, else the local test cluster if
// it answers.

export const DEFAULT_BENCH_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

export type BenchDatabase = {
  db: Database;
  engine: "pglite" | "postgres";
  /** On PostgreSQL: the database's name and its owner's URL. */
  name?: string;
  ownerUrl?: string;
  drop(): Promise<void>;
};

/** The PostgreSQL server to benchmark against, or undefined when none answers. */
export async function findBenchPostgres(): Promise<string | undefined> {
  // The one environment variable a benchmark reads: where to find a PostgreSQL server.
  const url = process.env.PARLEY_BENCH_DATABASE_URL ?? DEFAULT_BENCH_POSTGRES_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The engines to measure: PGlite, and PostgreSQL when a server answers; PARLEY_BENCH_ENGINES
 * (comma-separated, e.g. "postgres") narrows that list, e.g. while profiling one engine.
 */
export function benchEngines(serverUrl: string | undefined): Array<"pglite" | "postgres"> {
  const available: Array<"pglite" | "postgres"> = serverUrl ? ["pglite", "postgres"] : ["pglite"];
  const wanted = process.env.PARLEY_BENCH_ENGINES?.split(",").map((name) => name.trim());
  if (!wanted) return available;
  const unknown = wanted.filter((name) => name !== "pglite" && name !== "postgres");
  if (unknown.length > 0) throw new Error(`PARLEY_BENCH_ENGINES: unknown engine(s) ${unknown.join(", ")}; known: pglite, postgres`);
  return available.filter((engine) => wanted.includes(engine));
}

export async function openBenchDatabase(engine: "pglite" | "postgres", serverUrl?: string, poolSize = 10): Promise<BenchDatabase> {
  if (engine === "pglite") {
    // On disk, as `parley start` runs it: an in-memory database would not be durable storage.
    const dir = await mkdtemp(join(tmpdir(), "parley-bench-"));
    const db = await openDatabase({ engine: "pglite", dataDir: join(dir, "db") });
    const drop = async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await migrate(db);
    } catch (error) {
      await drop();
      throw error;
    }
    return { db, engine, drop };
  }
  if (!serverUrl) throw new Error("a PostgreSQL server URL is required");
  const name = `parley_bench_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${name}`;
  const appUrl = new URL(ownerUrl);
  appUrl.username = "parley_app";
  appUrl.password = "";
  const config: DatabaseConfig = {
    engine: "postgres",
    ownerUrl: ownerUrl.toString(),
    appUrl: appUrl.toString(),
    appPassword: undefined,
    poolSize,
  };
  const db = await openDatabase(config);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    throw error;
  }
  return {
    db,
    engine,
    name,
    ownerUrl: config.ownerUrl,
    drop: async () => {
      await db.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
