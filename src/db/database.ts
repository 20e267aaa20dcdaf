import { mkdir, open, readFile, unlink } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import pg from "pg";
import type { DatabaseConfig } from "../config.ts";
import { toTlsOptions, type ConnectionTls } from "../transport-security.ts";
import { FoldedBeginPostgresDialect } from "./folded-begin.ts";
import { createPgliteDialect } from "./pglite-dialect.ts";
import type { Schema } from "./schema.ts";

/** The runtime role every request acts as. It logs in, owns nothing and cannot bypass RLS. */
export const APP_ROLE = "parley_app";

export type Engine = "pglite" | "postgres";

export type Database = {
  engine: Engine;
  /** Connection of the runtime role (on PGlite: the one connection, with the role set per transaction). */
  app: Kysely<Schema>;
  /** Connection of the owner role: migrations and maintenance commands only. */
  owner: Kysely<Schema>;
  /**
   * The runtime role's connections now, for the metrics: PostgreSQL's pool as node-postgres counts
   * it; PGlite's one connection (held or idle) and the transactions waiting for it.
   */
  poolUsage(): PoolUsage;
  /** The embedded engine's client: `parley backup` dumps its data directory (PGlite only). */
  pglite?: PGlite;
  close(): Promise<void>;
};

export type PoolUsage = { max: number; total: number; idle: number; waiting: number };

export type Tx = Transaction<Schema>;

/** node-postgres returns int8 (counts, identities) as strings; PGlite returns numbers. Align on numbers. */
const pgTypes = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === 20 ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format) as (value: string) => unknown),
};

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.engine === "pglite") {
    const inMemory = config.dataDir.startsWith("memory://");
    const releaseLock = inMemory ? async () => {} : await lockDataDir(config.dataDir);
    try {
      const client = await PGlite.create(inMemory ? undefined : config.dataDir);
      const usage = { held: 0, waiting: 0 };
      const db = new Kysely<Schema>({ dialect: createPgliteDialect(client, usage) });
      return {
        engine: "pglite",
        app: db,
        owner: db,
        poolUsage: () => ({ max: 1, total: 1, idle: 1 - usage.held, waiting: usage.waiting }),
        pglite: client,
        close: async () => {
          await db.destroy();
          await client.close();
          await releaseLock();
        },
      };
    } catch (error) {
      await releaseLock();
      throw error;
    }
  }
  // The URLs carry no ssl* parameters (config took them): the TLS options below are the only ones.
  const ownerPool = new pg.Pool({ connectionString: config.ownerUrl, max: 2, types: pgTypes, ...sslOption(config.ownerTls) });
  const appPool = new pg.Pool({
    connectionString: config.appUrl,
    max: config.poolSize,
    types: pgTypes,
    application_name: "parley",
    ...sslOption(config.appTls),
  });
  // An idle client that loses its server must not crash the process; the next checkout reconnects.
  ownerPool.on("error", () => {});
  appPool.on("error", () => {});
  const owner = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  // The runtime role's transactions send BEGIN with their tenant context in one round trip.
  const app = new Kysely<Schema>({ dialect: new FoldedBeginPostgresDialect({ pool: appPool }) });
  return {
    engine: "postgres",
    app,
    owner,
    poolUsage: () => ({ max: config.poolSize, total: appPool.totalCount, idle: appPool.idleCount, waiting: appPool.waitingCount }),
    close: async () => {
      await Promise.all([app.destroy(), owner.destroy()]);
    },
  };
}

function sslOption(tls: ConnectionTls | undefined): { ssl?: ReturnType<typeof toTlsOptions> } {
  return tls ? { ssl: toTlsOptions(tls) } : {};
}

/** Creates the runtime role when it is missing (owner connection; needs CREATEROLE the first time). */
export async function ensureAppRole(db: Database, password: string | undefined): Promise<void> {
  const existing = await sql<{ exists: boolean }>`select exists (select 1 from pg_roles where rolname = ${APP_ROLE}) as exists`.execute(
    db.owner,
  );
  if (!existing.rows[0]?.exists) {
    await sql.raw(`create role ${APP_ROLE} login nosuperuser nobypassrls nocreatedb nocreaterole noinherit`).execute(db.owner);
  }
  if (password !== undefined) {
    // Role passwords cannot be bound as parameters; quote_literal makes the literal safe.
    const quoted = await sql<{ literal: string }>`select quote_literal(${password}) as literal`.execute(db.owner);
    await sql.raw(`alter role ${APP_ROLE} password ${quoted.rows[0]!.literal}`).execute(db.owner);
  }
}

/** The embedded database is held by another live process (its pid); PGlite allows one process. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database at ${dataDir} is in use by process ${pid}; stop it first (or use PostgreSQL via DATABASE_URL to run several processes)`,
    );
    this.name = "DataDirInUseError";
  }
}

/**
 * Where the process holding an embedded data directory answers maintenance commands (a Unix
 * socket next to the lock file), so the CLI can work beside it instead of opening the database twice.
 */
export function dataDirControlPath(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, "")}.sock`;
}

/**
 * PGlite is a single-process database: two processes opening one data directory would corrupt it.
 * A lock file next to it holds the owner's pid; a lock whose process is gone is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = `${dataDir.replace(/[\\/]+$/, "")}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, "wx", 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(lockPath).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || isAlive(pid))) {
        throw new DataDirInUseError(dataDir, pid);
      }
      await unlink(lockPath).catch(() => {});
    }
  }
  throw new Error(`could not lock the embedded database at ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
