import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe } from "vitest";

// The TLS-only PostgreSQL and Redis that scripts/tls-services.sh starts (CI starts them in
// .ci/run). Their env file, or the same variables in the environment, say where they are.

export type TlsServices = {
  /** postgres://…@localhost:5433/postgres — TLS only; the certificate names localhost and 127.0.0.1. */
  pgUrl: string;
  /** rediss://localhost:6380 — TLS only, same certificate. */
  redisUrl: string;
  /** The CA that signed the servers' certificate. */
  ca: string;
  /** A CA that signed nothing here. */
  wrongCa: string;
};

const NAMES = {
  pgUrl: "PARLEY_TEST_TLS_PG_URL",
  redisUrl: "PARLEY_TEST_TLS_REDIS_URL",
  ca: "PARLEY_TEST_TLS_CA",
  wrongCa: "PARLEY_TEST_TLS_WRONG_CA",
} as const;

function readEnvFile(): Record<string, string> {
  const path = join(process.env.PARLEY_TLS_DIR ?? "/tmp/parley-tls", "env");
  if (!existsSync(path)) return {};
  const entries = readFileSync(path, "utf8")
    .split("\n")
    .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
    .filter((match) => match !== null);
  return Object.fromEntries(entries.map((match) => [match[1]!, match[2]!]));
}

function findServices(): TlsServices | undefined {
  const file = readEnvFile();
  const values = Object.fromEntries(Object.entries(NAMES).map(([key, name]) => [key, process.env[name] ?? file[name]]));
  return Object.values(values).every((value) => typeof value === "string" && value.length > 0) ? (values as TlsServices) : undefined;
}

export const tlsServices = findServices();

/**
 * Describes tests that need the TLS services. Without them a developer's run skips these tests;
 * CI's run fails instead, so the proof cannot quietly disappear.
 */
export function describeWithTlsServices(title: string, body: (services: TlsServices) => void): void {
  if (tlsServices) {
    describe(title, () => body(tlsServices));
    return;
  }
  if (process.env.CI === "true") {
    describe(title, () => {
      throw new Error(`the TLS services are missing (${Object.values(NAMES).join(", ")}): run scripts/tls-services.sh start`);
    });
    return;
  }
  describe.skip(title, () => body({ pgUrl: "", redisUrl: "", ca: "", wrongCa: "" }));
}

/** The same URL with another host (same port, credentials and path). */
export function withHost(url: string, host: string): string {
  const copy = new URL(url);
  copy.hostname = host;
  return copy.toString();
}
