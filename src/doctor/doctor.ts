import { sql } from "kysely";
import type { Config } from "../config.ts";
import type { Coordination } from "../coordination/types.ts";
import type { KeyProvider } from "../crypto/key-provider.ts";
import type { Database } from "../db/database.ts";
import { readMigrations } from "../db/migrate.ts";
import { readRuntimeRoleFacts, readTableFacts, runtimeRoleProblems, tableProblems } from "../db/posture.ts";
import { routeOfPostgresUrl, type ConnectionTls, type Route } from "../transport-security.ts";

// `parley doctor`: the deployment's security posture, checked against the live system. Any `fail`
// makes the command exit non-zero, so it can gate a deploy.

export type CheckStatus = "pass" | "warn" | "fail" | "skip";
export type DoctorCheck = { id: string; title: string; status: CheckStatus; detail: string };

export type DoctorInput = {
  config: Config;
  /** Undefined when there is no database to check; `missingDatabase` says why (a failed check). */
  db: Database | undefined;
  missingDatabase?: string;
  /** Undefined when the provider could not be opened; `providerError` says why. */
  provider: KeyProvider | undefined;
  providerError?: string;
  coordination: Coordination;
};

type CheckResult = { status: CheckStatus; detail: string };

async function check(id: string, title: string, run: () => Promise<CheckResult>): Promise<DoctorCheck> {
  try {
    return { id, title, ...(await run()) };
  } catch (error) {
    return { id, title, status: "fail", detail: error instanceof Error ? error.message : String(error) };
  }
}

const NEEDS_DATABASE: CheckResult = { status: "skip", detail: "not checked: there is no database" };

export async function runDoctor(input: DoctorInput): Promise<DoctorCheck[]> {
  const { config, provider, coordination } = input;
  const checks: DoctorCheck[] = [];
  /** A check that reads the database is skipped (not passed) when there is none. */
  const withDatabase = (run: (db: Database) => Promise<CheckResult>) => async (): Promise<CheckResult> =>
    input.db ? run(input.db) : NEEDS_DATABASE;

  checks.push(
    await check("database", "Database reachable", async () => {
      const { db } = input;
      if (!db) return { status: "fail", detail: input.missingDatabase ?? "there is no database" };
      await sql`select 1`.execute(db.owner);
      return {
        status: "pass",
        detail: db.engine === "postgres" ? "PostgreSQL" : `PGlite at ${config.database.engine === "pglite" ? config.database.dataDir : ""}`,
      };
    }),
  );

  checks.push(
    await check(
      "migrations",
      "Migrations applied",
      withDatabase(async (db) => {
        const known = await readMigrations();
        const applied = await sql<{ name: string }>`select name from parley_migrations`.execute(db.owner);
        const names = new Set(applied.rows.map((row) => row.name));
        const pending = known.filter((migration) => !names.has(migration.name)).map((migration) => migration.name);
        return pending.length === 0
          ? { status: "pass", detail: `${known.length} applied` }
          : { status: "fail", detail: `pending: ${pending.join(", ")} — run \`parley migrate\`` };
      }),
    ),
  );

  checks.push(
    await check(
      "runtime-role",
      "Runtime database role is safe",
      withDatabase(async (db) => {
        const facts = await readRuntimeRoleFacts(db);
        const problems = runtimeRoleProblems(facts);
        return problems.length === 0
          ? { status: "pass", detail: `${facts.role}: not superuser, no BYPASSRLS, owns no tables` }
          : { status: "fail", detail: problems.join("; ") };
      }),
    ),
  );

  checks.push(
    await check(
      "rls",
      "Row-level security forced on every tenant table",
      withDatabase(async (db) => {
        const facts = await readTableFacts(db);
        const problems = tableProblems(facts);
        const tenantTables = facts.filter((table) => table.rlsForced).length;
        return problems.length === 0
          ? {
              status: "pass",
              detail: `${tenantTables} tenant tables: RLS enabled and forced, policies present, unique keys scoped by workspace_id`,
            }
          : { status: "fail", detail: problems.join("; ") };
      }),
    ),
  );

  checks.push(
    await check("key-provider", "Key provider configured", async () => {
      if (!provider) return { status: "fail", detail: input.providerError ?? "the key provider could not be opened" };
      const description = provider.describe();
      const inUse = input.db
        ? await sql<{ kek_version: number }>`select distinct kek_version from workspace_keys`.execute(input.db.owner)
        : { rows: [] };
      const missing = inUse.rows.map((row) => row.kek_version).filter((version) => !description.versions.includes(version));
      if (missing.length > 0) {
        return { status: "fail", detail: `workspace keys are wrapped by KEK versions the provider lacks: ${missing.join(", ")}` };
      }
      const where = description.kind === "file" ? `key file ${description.location ?? ""} (mode 0600)` : "PARLEY_MASTER_KEY";
      const detail = `${where}; KEK versions ${description.versions.join(", ")}, primary ${description.primary}`;
      if (description.kind === "file" && config.isProduction) {
        return {
          status: "warn",
          detail: `${detail}; the local key file is allowed explicitly (PARLEY_ALLOW_KEY_FILE) — back it up separately from the data`,
        };
      }
      return { status: "pass", detail };
    }),
  );

  checks.push(
    await check("transport", "TLS or a declared TLS-terminating proxy", async () => {
      if (config.http.tls) return { status: "pass", detail: "HTTPS served directly (TLS ≥ 1.2)" };
      if (config.http.trustProxy !== false)
        return { status: "pass", detail: `behind a trusted proxy (${JSON.stringify(config.http.trustProxy)})` };
      return config.isProduction
        ? { status: "fail", detail: "plain HTTP in production: set PARLEY_TLS_CERT_FILE/PARLEY_TLS_KEY_FILE or PARLEY_TRUST_PROXY" }
        : { status: "warn", detail: "plain HTTP (acceptable for local development only)" };
    }),
  );

  checks.push(
    await check("observability", "Metrics endpoint and tracing", async () => {
      const tracing = config.tracing ? "traces exported over OTLP/HTTP" : "tracing off (set PARLEY_OTLP_ENDPOINT to export traces)";
      const { metrics } = config;
      if (!metrics)
        return {
          status: "pass",
          detail: `metrics off (set PARLEY_METRICS_PORT for /metrics, /livez and /readyz on a separate port); ${tracing}`,
        };
      const guard = metrics.token ? "bearer token required" : "no token (loopback only in production)";
      return { status: "pass", detail: `/metrics, /livez and /readyz on ${metrics.host}:${metrics.port}, ${guard}; ${tracing}` };
    }),
  );

  checks.push(
    await check("coordination", "Coordination store", async () => {
      if (coordination.kind === "memory") {
        return { status: "pass", detail: "in-process (single instance); set REDIS_URL to run several instances" };
      }
      await coordination.ping();
      return { status: "pass", detail: "Redis answers" };
    }),
  );

  // Only where there is a connection to check: the embedded engine and the in-process store have none.
  const { database } = config;
  if (input.db?.engine === "postgres" && database.engine === "postgres") {
    const { db } = input;
    checks.push(
      await check("database-tls", "Database connections encrypted and verified", async () => {
        const [owner, app] = await Promise.all([readPostgresSsl(db.owner), readPostgresSsl(db.app)]);
        const results = [
          {
            name: "owner",
            ...judgeConnection(config.isProduction, {
              encrypted: owner.ssl,
              protocol: owner.version,
              tls: database.ownerTls,
              route: routeOfPostgresUrl(database.ownerUrl),
              allowed: database.allowPlaintextLoopback ?? false,
              flag: "PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK",
            }),
          },
          {
            name: "runtime role",
            ...judgeConnection(config.isProduction, {
              encrypted: app.ssl,
              protocol: app.version,
              tls: database.appTls,
              route: routeOfPostgresUrl(database.appUrl),
              allowed: database.allowPlaintextLoopback ?? false,
              flag: "PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK",
            }),
          },
        ];
        return combine(results);
      }),
    );
  }
  if (coordination.kind === "redis" && coordination.connectionSecurity) {
    const readSecurity = coordination.connectionSecurity.bind(coordination);
    checks.push(
      await check("coordination-tls", "Redis connection encrypted and verified", async () => {
        const security = await readSecurity();
        const redis = config.redis;
        return judgeConnection(config.isProduction, {
          encrypted: security.isEncrypted,
          verified: security.isVerified,
          protocol: security.protocol ?? null,
          tls: redis?.tls,
          route: redis?.route ?? { kind: "tcp", host: "unknown", isLoopback: false },
          allowed: redis?.allowPlaintextLoopback ?? false,
          flag: "PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK",
        });
      }),
    );
  }

  checks.push(
    await check(
      "embedded",
      "Tenant isolation boundary",
      withDatabase(async (db) => {
        if (db.engine === "postgres") return { status: "pass", detail: "PostgreSQL enforces RLS against the runtime role" };
        const count = await sql<{ n: number }>`select count(*)::int as n from workspaces`.execute(db.owner);
        const workspaces = count.rows[0]?.n ?? 0;
        const caveat =
          "embedded PGlite: its session user is a superuser, so RLS is defense in depth, not a boundary; use PostgreSQL (DATABASE_URL) to host several tenants";
        return {
          status: workspaces > 1 || config.isProduction ? "warn" : "pass",
          detail: workspaces > 1 ? `${workspaces} workspaces on ${caveat}` : caveat,
        };
      }),
    ),
  );

  return checks;
}

/** The server's own account of this session (pg_stat_ssl): the client cannot fake being encrypted. */
async function readPostgresSsl(db: Database["owner"]): Promise<{ ssl: boolean; version: string | null }> {
  const result = await sql<{
    ssl: boolean;
    version: string | null;
  }>`select ssl, version from pg_stat_ssl where pid = pg_backend_pid()`.execute(db);
  return result.rows[0] ?? { ssl: false, version: null };
}

type ConnectionFacts = {
  encrypted: boolean;
  /** The live handshake's verdict where the client reports one (Redis); PostgreSQL's comes from the TLS options it connected with. */
  verified?: boolean;
  protocol: string | null;
  tls: ConnectionTls | undefined;
  route: Route;
  allowed: boolean;
  flag: string;
};

/**
 * Production accepts TLS with the certificate and host name verified, a Unix socket, or plaintext
 * over loopback allowed by its flag (the same rule config enforces at start); elsewhere anything
 * less is a warning, plaintext over loopback passes.
 */
function judgeConnection(isProduction: boolean, facts: ConnectionFacts): CheckResult {
  const notAccepted: CheckStatus = isProduction ? "fail" : "warn";
  if (facts.encrypted) {
    const isVerified = facts.tls?.verify === "full" && facts.verified !== false;
    return isVerified
      ? { status: "pass", detail: `${facts.protocol ?? "TLS"}, certificate and host name verified` }
      : {
          status: notAccepted,
          detail: `${facts.protocol ?? "TLS"} without ${facts.tls?.verify === "ca" ? "the host name check" : "certificate verification"}`,
        };
  }
  if (facts.route.kind === "unix-socket") return { status: "pass", detail: `Unix socket ${facts.route.path} (no network)` };
  if (facts.route.isLoopback && facts.allowed)
    return { status: "pass", detail: `plaintext over loopback (${facts.route.host}), allowed by ${facts.flag}` };
  if (facts.route.isLoopback) {
    return {
      status: isProduction ? "fail" : "pass",
      detail: `plaintext over loopback (${facts.route.host})${isProduction ? `: production needs TLS or ${facts.flag}=true` : ""}`,
    };
  }
  return { status: notAccepted, detail: `plaintext to ${facts.route.host}: anyone on the network path reads and alters it` };
}

function combine(results: Array<CheckResult & { name: string }>): CheckResult {
  const rank: Record<CheckStatus, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };
  const worst = results.reduce((current, result) => (rank[result.status] > rank[current] ? result.status : current), "skip" as CheckStatus);
  const details = new Set(results.map((result) => result.detail));
  return {
    status: worst,
    detail: details.size === 1 ? [...details][0]! : results.map((result) => `${result.name}: ${result.detail}`).join("; "),
  };
}

export function doctorExitCode(checks: DoctorCheck[]): number {
  return checks.some((item) => item.status === "fail") ? 1 : 0;
}

const SYMBOL: Record<CheckStatus, string> = { pass: "✔", warn: "!", fail: "✘", skip: "-" };

export function formatDoctorReport(checks: DoctorCheck[]): string {
  const lines = checks.map(
    (item) => `${SYMBOL[item.status]} ${item.status.toUpperCase().padEnd(4)}  ${item.title}\n         ${item.detail}`,
  );
  const failed = checks.filter((item) => item.status === "fail").length;
  const warned = checks.filter((item) => item.status === "warn").length;
  const skipped = checks.filter((item) => item.status === "skip").length;
  const summary = `${failed > 0 ? `${failed} check(s) failed, ${warned} warning(s)` : `all checks passed${warned > 0 ? `, ${warned} warning(s)` : ""}`}${skipped > 0 ? `, ${skipped} not checked` : ""}`;
  return `${lines.join("\n")}\n\n${summary}\n`;
}
