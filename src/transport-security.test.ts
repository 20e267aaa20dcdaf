import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

// Which connections to PostgreSQL and Redis each environment accepts (the live TLS handshakes are
// proved in test/tls/). Config only reads the files here; their PEM framing is what it checks.

const dir = mkdtempSync(join(tmpdir(), "parley-transport-"));
const caFile = join(dir, "ca.crt");
const certFile = join(dir, "client.crt");
const keyFile = join(dir, "client.key");
const notPem = join(dir, "not.pem");
writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
writeFileSync(certFile, "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
writeFileSync(keyFile, "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
writeFileSync(notPem, "hello\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const production = { PARLEY_ENV: "production", PARLEY_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"), PARLEY_TRUST_PROXY: "1" };
/** A complete production database configuration, but for the transport under test. */
const productionDb = (url: string, extra: Record<string, string> = {}) => ({
  ...production,
  DATABASE_URL: url,
  PARLEY_DB_APP_PASSWORD: "app-secret",
  ...extra,
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("production refuses plaintext connections to PostgreSQL and Redis", () => {
  it("refuses a plaintext PostgreSQL URL to another host, naming the setting and the ways out", () => {
    expect(problemsOf(productionDb("postgres://parley:owner-secret@db.internal:5432/parley"))).toEqual([
      expect.stringMatching(
        /^DATABASE_URL: production needs TLS .* plaintext to host db\.internal.*sslmode=verify-full.*PARLEY_DB_CA_FILE.*Unix socket.*PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK=true/,
      ),
    ]);
    // The flag is for loopback only.
    expect(problemsOf(productionDb("postgres://parley@db.internal/parley", { PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK: "true" }))).toHaveLength(
      1,
    );
  });

  it("refuses a plaintext DATABASE_APP_URL of its own", () => {
    expect(
      problemsOf({
        ...production,
        DATABASE_URL: "postgres://parley@db/parley?sslmode=verify-full",
        DATABASE_APP_URL: "postgres://parley_app:x@db/parley",
      }),
    ).toEqual([expect.stringMatching(/^DATABASE_APP_URL: production needs TLS/)]);
  });

  it("refuses TLS without the full verification: sslmode=require and verify-ca", () => {
    expect(problemsOf(productionDb("postgres://parley@db/parley?sslmode=require"))).toEqual([
      expect.stringMatching(/^DATABASE_URL: .*TLS \(no certificate verification\)/),
    ]);
    expect(problemsOf(productionDb("postgres://parley@db/parley?sslmode=verify-ca"))).toEqual([
      expect.stringMatching(/^DATABASE_URL: .*TLS \(no host name check\)/),
    ]);
  });

  it("accepts verify-full, a Unix socket, and loopback only with PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK", () => {
    expect(problemsOf(productionDb("postgres://parley@db/parley?sslmode=verify-full"))).toEqual([]);
    expect(problemsOf(productionDb("postgres://parley@db/parley", { PARLEY_DB_CA_FILE: caFile }))).toEqual([]);
    const socket = "postgres:///parley?host=/var/run/postgresql&user=parley";
    expect(problemsOf({ ...production, DATABASE_URL: socket, DATABASE_APP_URL: socket.replace("user=parley", "user=parley_app") })).toEqual(
      [],
    );
    expect(problemsOf(productionDb("postgres://parley@%2Fvar%2Frun%2Fpostgresql/parley"))).toEqual([]);
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
      expect(problemsOf(productionDb(`postgres://parley@${host}:5432/parley`))).toEqual([
        expect.stringMatching(/^DATABASE_URL: .*PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK=true/),
      ]);
      expect(problemsOf(productionDb(`postgres://parley@${host}:5432/parley`, { PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK: "true" }))).toEqual([]);
    }
  });

  it("refuses redis:// to another host, and to loopback without PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK", () => {
    expect(problemsOf({ ...production, REDIS_URL: "redis://:redis-secret@cache.internal:6379" })).toEqual([
      expect.stringMatching(
        /^REDIS_URL: production needs TLS .* plaintext to host cache\.internal.*rediss:\/\/.*PARLEY_REDIS_CA_FILE.*PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK=true/,
      ),
    ]);
    expect(
      problemsOf({ ...production, REDIS_URL: "redis://cache.internal:6379", PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK: "true" }),
    ).toHaveLength(1);
    expect(problemsOf({ ...production, REDIS_URL: "redis://127.0.0.1:6379" })).toEqual([expect.stringMatching(/^REDIS_URL: /)]);
    expect(problemsOf({ ...production, REDIS_URL: "redis://127.0.0.1:6379", PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK: "true" })).toEqual([]);
    expect(problemsOf({ ...production, REDIS_URL: "rediss://cache.internal:6379", PARLEY_REDIS_CA_FILE: caFile })).toEqual([]);
  });

  it("never quotes a password in its messages", () => {
    const problems = [
      ...problemsOf(productionDb("postgres://parley:owner-secret@db.internal/parley")),
      ...problemsOf({ ...production, REDIS_URL: "redis://:redis-secret@cache.internal:6379" }),
    ];
    expect(problems).toHaveLength(2);
    expect(problems.join("\n")).not.toMatch(/secret/);
  });
});

describe("TLS settings", () => {
  it("outside production, uses TLS when the URL asks for it and accepts plaintext otherwise", () => {
    const plain = loadConfig({ DATABASE_URL: "postgres://parley@db/parley", REDIS_URL: "redis://cache:6379" });
    expect(plain.database).toMatchObject({ ownerTls: undefined, appTls: undefined });
    expect(plain.redis).toMatchObject({ tls: undefined, route: { kind: "tcp", host: "cache", isLoopback: false } });

    const tls = loadConfig({
      DATABASE_URL: `postgres://parley@db/parley?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}&application_name=x`,
      REDIS_URL: "rediss://cache:6379",
      PARLEY_REDIS_CA_FILE: caFile,
    });
    if (tls.database.engine !== "postgres") throw new Error("expected PostgreSQL");
    // The ssl* parameters become TLS options; node-postgres never sees them.
    expect(tls.database.ownerUrl).toBe("postgres://parley@db/parley?application_name=x");
    expect(new URL(tls.database.appUrl).searchParams.has("sslmode")).toBe(false);
    expect(tls.database.ownerTls).toMatchObject({ verify: "full", ca: expect.stringContaining("BEGIN CERTIFICATE") });
    expect(tls.database.appTls).toMatchObject({ verify: "full" });
    expect(tls.redis?.tls).toMatchObject({ verify: "full", ca: expect.stringContaining("BEGIN CERTIFICATE") });
  });

  it("reads a client certificate and key, together only", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://parley@db/parley",
      PARLEY_DB_CA_FILE: caFile,
      PARLEY_DB_CERT_FILE: certFile,
      PARLEY_DB_KEY_FILE: keyFile,
    });
    expect(config.database).toMatchObject({
      ownerTls: { verify: "full", cert: expect.stringContaining("CERTIFICATE"), key: expect.stringContaining("PRIVATE KEY") },
    });
    expect(problemsOf({ DATABASE_URL: "postgres://parley@db/parley", PARLEY_DB_CERT_FILE: certFile })).toEqual([
      expect.stringMatching(/PARLEY_DB_CERT_FILE and PARLEY_DB_KEY_FILE/),
      expect.anything(),
    ]);
    expect(problemsOf({ REDIS_URL: "rediss://cache", PARLEY_REDIS_CERT_FILE: certFile })).toEqual([
      expect.stringMatching(/^PARLEY_REDIS_CERT_FILE: /),
    ]);
  });

  it("names the setting of a missing or non-PEM file, and refuses contradictions", () => {
    expect(problemsOf({ DATABASE_URL: "postgres://parley@db/parley", PARLEY_DB_CA_FILE: join(dir, "missing.crt") })).toEqual([
      expect.stringMatching(/^PARLEY_DB_CA_FILE: cannot read .*ENOENT/),
    ]);
    expect(problemsOf({ REDIS_URL: "rediss://cache", PARLEY_REDIS_CA_FILE: notPem })).toEqual([
      expect.stringMatching(/^PARLEY_REDIS_CA_FILE: .* is not a PEM certificate file/),
    ]);
    expect(problemsOf({ DATABASE_URL: "postgres://parley@db/parley?sslmode=disable", PARLEY_DB_CA_FILE: caFile })).toEqual([
      expect.stringMatching(/^DATABASE_URL: sslmode=disable contradicts/),
      expect.anything(),
    ]);
    expect(
      problemsOf({ DATABASE_URL: `postgres://parley@db/parley?sslrootcert=${encodeURIComponent(caFile)}`, PARLEY_DB_CA_FILE: caFile }),
    ).toContainEqual(expect.stringMatching(/sslrootcert in the URL and PARLEY_DB_CA_FILE/));
    expect(problemsOf({ REDIS_URL: "redis://cache", PARLEY_REDIS_CA_FILE: caFile })).toEqual([
      expect.stringMatching(/^REDIS_URL: .*need a rediss:\/\/ URL/),
    ]);
    expect(problemsOf({ PARLEY_DB_CA_FILE: caFile })).toEqual([expect.stringMatching(/^PARLEY_DB_CA_FILE: applies to DATABASE_URL/)]);
  });

  it("refuses sslmode values that fall back to plaintext, and ssl parameters it does not apply", () => {
    expect(problemsOf({ DATABASE_URL: "postgres://parley@db/parley?sslmode=prefer" })).toEqual([
      expect.stringMatching(/^DATABASE_URL: sslmode must be one of/),
      expect.anything(),
    ]);
    expect(problemsOf({ DATABASE_URL: "postgres://parley@db/parley?ssl=true" })).toContainEqual(
      expect.stringMatching(/^DATABASE_URL: the URL parameter ssl is not supported/),
    );
  });
});
