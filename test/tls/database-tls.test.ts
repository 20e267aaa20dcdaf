import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { loadConfig, type Config } from "../../src/config.ts";
import { createMemoryCoordination } from "../../src/coordination/memory.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { runDoctor } from "../../src/doctor/doctor.ts";
import { testPostgresUrl } from "../support/engine.ts";
import { describeWithTlsServices, withHost } from "../support/tls-services.ts";

// Parley's connections to PostgreSQL, against a cluster that accepts TLS only
// (scripts/tls-services.sh): verify-full succeeds and the server says the session is encrypted;
// a certificate from another CA, or for another host name, is refused before any query.

const opened: Database[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

async function open(config: Config): Promise<Database> {
  if (config.database.engine !== "postgres") throw new Error("expected PostgreSQL");
  const db = await openDatabase(config.database);
  opened.push(db);
  return db;
}

async function sessionSsl(db: Database["owner"]): Promise<{ ssl: boolean; version: string | null }> {
  const result = await sql<{
    ssl: boolean;
    version: string | null;
  }>`select ssl, version from pg_stat_ssl where pid = pg_backend_pid()`.execute(db);
  return result.rows[0]!;
}

/** The owner and the runtime role's URL both point at the TLS cluster (its superuser: only the transport is under test). */
function tlsConfig(url: string, extra: Record<string, string> = {}): Config {
  return loadConfig({ DATABASE_URL: url, DATABASE_APP_URL: url, ...extra });
}

describeWithTlsServices("PostgreSQL over TLS", (services) => {
  it("connects with sslmode=verify-full and the CA setting; pg_stat_ssl says both pools are encrypted", async () => {
    const db = await open(tlsConfig(`${services.pgUrl}?sslmode=verify-full`, { PARLEY_DB_CA_FILE: services.ca }));
    for (const pool of [db.owner, db.app]) {
      expect(await sessionSsl(pool)).toEqual({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
    }
  });

  it("takes the CA from the URL's sslrootcert like libpq, and a CA setting alone means verify-full", async () => {
    const fromUrl = await open(tlsConfig(`${services.pgUrl}?sslmode=verify-full&sslrootcert=${encodeURIComponent(services.ca)}`));
    expect((await sessionSsl(fromUrl.owner)).ssl).toBe(true);
    const config = tlsConfig(services.pgUrl, { PARLEY_DB_CA_FILE: services.ca });
    expect(config.database).toMatchObject({ ownerTls: { verify: "full" } });
    expect((await sessionSsl((await open(config)).app)).ssl).toBe(true);
  });

  it("refuses a server whose certificate another CA signed", async () => {
    const db = await open(tlsConfig(`${services.pgUrl}?sslmode=verify-full`, { PARLEY_DB_CA_FILE: services.wrongCa }));
    await expect(sql`select 1`.execute(db.owner)).rejects.toThrow(/self[- ]signed|unable to (verify|get)|certificate/i);
  });

  it("refuses a certificate that does not name the host connected to (127.0.0.2 is not in its SAN)", async () => {
    const db = await open(tlsConfig(`${withHost(services.pgUrl, "127.0.0.2")}?sslmode=verify-full`, { PARLEY_DB_CA_FILE: services.ca }));
    await expect(sql`select 1`.execute(db.owner)).rejects.toThrow(/does not match|altnames/i);
  });

  it("is refused by the server in plaintext: the TLS cluster is a real TLS-only server", async () => {
    const db = await open(tlsConfig(withHost(services.pgUrl, "127.0.0.1")));
    await expect(sql`select 1`.execute(db.owner)).rejects.toThrow(/no encryption|pg_hba/);
  });

  it("parley doctor reports the live TLS state, and fails production on plaintext that was not allowed", async () => {
    const keyless = { PARLEY_ALLOW_KEY_FILE: "true", PARLEY_TRUST_PROXY: "1", PARLEY_ENV: "production" };
    const secure = tlsConfig(`${services.pgUrl}?sslmode=verify-full`, { ...keyless, PARLEY_DB_CA_FILE: services.ca });
    const checks = await runDoctor({
      config: secure,
      db: await open(secure),
      provider: undefined,
      coordination: createMemoryCoordination(),
    });
    expect(checks.find((item) => item.id === "database-tls")).toMatchObject({
      status: "pass",
      detail: expect.stringMatching(/^TLSv1\.[23], certificate and host name verified$/),
    });

    // The suite's own PostgreSQL is plaintext over loopback: production accepts it only with the flag.
    const plaintext = tlsConfig(testPostgresUrl, { ...keyless, PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK: "true" });
    const db = await open(plaintext);
    const allowed = await runDoctor({ config: plaintext, db, provider: undefined, coordination: createMemoryCoordination() });
    expect(allowed.find((item) => item.id === "database-tls")).toMatchObject({
      status: "pass",
      detail: expect.stringMatching(/plaintext over loopback .*allowed by PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK/),
    });
    const notAllowed = await runDoctor({
      config: { ...plaintext, database: { ...plaintext.database, allowPlaintextLoopback: false } as Config["database"] },
      db,
      provider: undefined,
      coordination: createMemoryCoordination(),
    });
    expect(notAllowed.find((item) => item.id === "database-tls")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK=true/),
    });
  });
});
