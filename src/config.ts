import { resolve } from "node:path";
import { z } from "zod";
import { readConnections, type ConnectionTls, type RedisConnection } from "./transport-security.ts";

// The one place that reads the environment. Everything else receives a parsed `Config`.

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

const port = z.coerce.number().int().min(0).max(65_535);

const databaseUrl = z
  .string()
  .max(2048)
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// or postgresql:// URL");

const redisUrl = z
  .string()
  .max(2048)
  .refine((value) => /^rediss?:\/\//.test(value), "must be a redis:// or rediss:// URL");

const masterKey = z
  .string()
  .max(4096)
  .refine(isValidMasterKey, "must be base64 of 32 bytes, or a comma-separated list of <version>:<base64 of 32 bytes>");

const trustProxy = z
  .string()
  .max(1024)
  .transform((value, ctx) => {
    if (["false", "0", "no", ""].includes(value)) return false as const;
    if (["true", "yes"].includes(value)) return true as const;
    if (/^\d+$/.test(value)) return Number(value);
    const parts = value.split(",").map((part) => part.trim()).filter(Boolean);
    if (parts.every((part) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(part))) return parts;
    ctx.addIssue({ code: "custom", message: "must be true, false, a hop count, or a comma-separated list of IPs/CIDRs" });
    return z.NEVER;
  });

const environmentSchema = z.object({
  PARLEY_ENV: z.enum(["development", "test", "production"]).default("development"),
  PARLEY_HOST: z.string().max(255).default("127.0.0.1"),
  PARLEY_PORT: port.default(3000),
  PARLEY_PUBLIC_URL: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  PARLEY_DATA_DIR: z.string().min(1).max(4096).default(".parley"),
  PARLEY_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, "must be 1–32 lowercase letters, digits or dashes")
    .default("local"),
  DATABASE_URL: databaseUrl.optional(),
  DATABASE_APP_URL: databaseUrl.optional(),
  PARLEY_DB_APP_PASSWORD: z.string().min(1).max(256).optional(),
  PARLEY_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: redisUrl.optional(),
  PARLEY_DB_CA_FILE: z.string().min(1).max(4096).optional(),
  PARLEY_DB_CERT_FILE: z.string().min(1).max(4096).optional(),
  PARLEY_DB_KEY_FILE: z.string().min(1).max(4096).optional(),
  PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK: booleanFlag.default(false),
  PARLEY_REDIS_CA_FILE: z.string().min(1).max(4096).optional(),
  PARLEY_REDIS_CERT_FILE: z.string().min(1).max(4096).optional(),
  PARLEY_REDIS_KEY_FILE: z.string().min(1).max(4096).optional(),
  PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK: booleanFlag.default(false),
  PARLEY_MASTER_KEY: masterKey.optional(),
  PARLEY_KEY_FILE: z.string().min(1).max(4096).optional(),
  PARLEY_ALLOW_KEY_FILE: booleanFlag.default(false),
  PARLEY_TLS_CERT_FILE: z.string().min(1).max(4096).optional(),
  PARLEY_TLS_KEY_FILE: z.string().min(1).max(4096).optional(),
  PARLEY_TRUST_PROXY: trustProxy.default(false),
  PARLEY_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PARLEY_ROLES: z.enum(["web", "worker", "all"]).default("all"),
  PARLEY_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(64),
  PARLEY_WORKER_POLL_MS: z.coerce.number().int().min(5).max(60_000).default(100),
  PARLEY_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  PARLEY_WHATSAPP_MODE: z.enum(["sandbox", "live"]).default("sandbox"),
  PARLEY_GRAPH_BASE_URL: z.url({ protocol: /^https?$/ }).max(2048).default("https://graph.facebook.com"),
  PARLEY_GRAPH_API_VERSION: z.string().regex(/^v\d{1,2}\.0$/, "must look like v25.0").default("v25.0"),
  PARLEY_UPLOAD_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  PARLEY_BACKUP_SCHEDULE: booleanFlag.default(false),
  PARLEY_BACKUP_EVERY_HOURS: z.coerce.number().int().min(1).max(744).default(24),
  PARLEY_BACKUP_KEEP_DAILY: z.coerce.number().int().min(0).max(1_000).default(7),
  PARLEY_BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(0).max(1_000).default(4),
  PARLEY_BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(0).max(1_000).default(12),
  PARLEY_PG_DUMP: z.string().min(1).max(4096).default("pg_dump"),
  PARLEY_PG_RESTORE: z.string().min(1).max(4096).default("pg_restore"),
});

export type Environment = z.infer<typeof environmentSchema>;

export type KeyProviderConfig =
  | { kind: "env"; value: string }
  | { kind: "file"; path: string; allowedInProduction: boolean };

export type DatabaseConfig =
  | { engine: "pglite"; dataDir: string }
  | {
      engine: "postgres";
      ownerUrl: string;
      appUrl: string;
      appPassword: string | undefined;
      poolSize: number;
      /** TLS of each connection (absent: plaintext); the URLs above no longer carry ssl* parameters. */
      ownerTls?: ConnectionTls | undefined;
      appTls?: ConnectionTls | undefined;
      allowPlaintextLoopback?: boolean;
    };

export type RedisConfig = RedisConnection & { allowPlaintextLoopback: boolean };

export type Config = {
  env: "development" | "test" | "production";
  isProduction: boolean;
  http: {
    host: string;
    port: number;
    publicUrl: string;
    tls: { certFile: string; keyFile: string } | undefined;
    trustProxy: boolean | number | string[];
  };
  dataDir: string;
  region: string;
  database: DatabaseConfig;
  redisUrl: string | undefined;
  /** REDIS_URL with its TLS material; undefined without REDIS_URL. */
  redis: RedisConfig | undefined;
  keys: KeyProviderConfig;
  logLevel: Environment["PARLEY_LOG_LEVEL"];
  roles: Environment["PARLEY_ROLES"];
  /** Jobs run at once by this instance's worker (sends are I/O-bound: the 1,000 msg/s tier needs dozens in flight), and the pause between claims when the queues are empty. */
  worker: { concurrency: number; pollIntervalMs: number };
  /** Succeeded jobs are deleted this many days after they finished; failed jobs stay until an operator acts. */
  jobs: { retentionDays: number };
  /** sandbox: numbers live on the built-in Cloud API simulator; live: Meta's Graph API. */
  whatsapp: { mode: "sandbox" | "live"; graphBaseUrl: string; graphApiVersion: string };
  /** Files uploaded to send and never sent are deleted (row and blob) this many days after the upload. */
  media: { uploadRetentionDays: number };
  /**
   * Encrypted backups (src/backup): taken by a schedule when `scheduled` (off by default), every
   * `everyHours`, each followed by a prune that keeps the newest of the last `retention.daily` days,
   * `weekly` ISO weeks and `monthly` months. PostgreSQL backups run `tools`.
   */
  backup: { scheduled: boolean; everyHours: number; retention: { daily: number; weekly: number; monthly: number }; tools: { pgDump: string; pgRestore: string } };
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Parses the environment once. Throws a ConfigError naming every bad variable, and refuses the
 * set-ups that are unsafe in production (DESIGN §1: fail closed).
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.entries(source).filter(
      ([name, value]) => name in environmentSchema.shape && value !== undefined && value !== "",
    ),
  );
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];
  const isProduction = env.PARLEY_ENV === "production";
  const dataDir = resolve(env.PARLEY_DATA_DIR);

  if (Boolean(env.PARLEY_TLS_CERT_FILE) !== Boolean(env.PARLEY_TLS_KEY_FILE)) {
    problems.push("PARLEY_TLS_CERT_FILE and PARLEY_TLS_KEY_FILE must be set together");
  }
  if (env.DATABASE_APP_URL && !env.DATABASE_URL) {
    problems.push("DATABASE_APP_URL: needs DATABASE_URL (the owner connection used for migrations)");
  }

  const keys: KeyProviderConfig = env.PARLEY_MASTER_KEY
    ? { kind: "env", value: env.PARLEY_MASTER_KEY }
    : {
        kind: "file",
        path: resolve(env.PARLEY_KEY_FILE ?? `${dataDir}/master.key`),
        allowedInProduction: env.PARLEY_ALLOW_KEY_FILE,
      };

  if (isProduction) {
    if (keys.kind === "file" && !keys.allowedInProduction) {
      problems.push(
        "PARLEY_MASTER_KEY: production needs a key provider; set PARLEY_MASTER_KEY, or accept the local key file explicitly with PARLEY_ALLOW_KEY_FILE=true",
      );
    }
    if (!env.PARLEY_TLS_CERT_FILE && env.PARLEY_TRUST_PROXY === false) {
      problems.push(
        "PARLEY_TLS_CERT_FILE: production refuses plain HTTP; configure a certificate (PARLEY_TLS_CERT_FILE, PARLEY_TLS_KEY_FILE) or declare the TLS-terminating proxy with PARLEY_TRUST_PROXY",
      );
    }
    if (env.PARLEY_TRUST_PROXY === true) {
      problems.push("PARLEY_TRUST_PROXY: production needs the proxy's addresses or hop count, not 'true' (that trusts any client's X-Forwarded-For)");
    }
    if (env.DATABASE_URL && !env.DATABASE_APP_URL && !env.PARLEY_DB_APP_PASSWORD) {
      problems.push("DATABASE_APP_URL: production needs the runtime role's own credentials (DATABASE_APP_URL or PARLEY_DB_APP_PASSWORD)");
    }
  }
  // Access tokens travel to this URL: in production it must be TLS.
  if (isProduction && env.PARLEY_WHATSAPP_MODE === "live" && !env.PARLEY_GRAPH_BASE_URL.startsWith("https://")) {
    problems.push("PARLEY_GRAPH_BASE_URL: production sends access tokens only over https");
  }
  // The runtime role's credentials are reported first: its URL, and so its route, is not settled without them.
  const isDatabaseSettled = !problems.some((problem) => problem.startsWith("DATABASE_APP_URL:"));
  const connections = readConnections(env, { isProduction, isDatabaseSettled }, (ownerUrl) => deriveAppUrl(ownerUrl, env.PARLEY_DB_APP_PASSWORD), problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const scheme = env.PARLEY_TLS_CERT_FILE ? "https" : "http";
  const publicHost = env.PARLEY_HOST === "0.0.0.0" || env.PARLEY_HOST === "::" ? "localhost" : env.PARLEY_HOST;
  const publicUrl = (env.PARLEY_PUBLIC_URL ?? `${scheme}://${publicHost}:${env.PARLEY_PORT}`).replace(/\/+$/, "");

  return {
    env: env.PARLEY_ENV,
    isProduction,
    http: {
      host: env.PARLEY_HOST,
      port: env.PARLEY_PORT,
      publicUrl,
      tls:
        env.PARLEY_TLS_CERT_FILE && env.PARLEY_TLS_KEY_FILE
          ? { certFile: resolve(env.PARLEY_TLS_CERT_FILE), keyFile: resolve(env.PARLEY_TLS_KEY_FILE) }
          : undefined,
      trustProxy: env.PARLEY_TRUST_PROXY,
    },
    dataDir,
    region: env.PARLEY_REGION,
    database: connections.database
      ? {
          engine: "postgres",
          ownerUrl: connections.database.owner.url,
          appUrl: connections.database.app.url,
          appPassword: env.PARLEY_DB_APP_PASSWORD,
          poolSize: env.PARLEY_DB_POOL_SIZE,
          ownerTls: connections.database.owner.tls,
          appTls: connections.database.app.tls,
          allowPlaintextLoopback: env.PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK,
        }
      : { engine: "pglite", dataDir: resolve(dataDir, "db") },
    redisUrl: env.REDIS_URL,
    redis: connections.redis ? { ...connections.redis, allowPlaintextLoopback: env.PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK } : undefined,
    keys,
    logLevel: env.PARLEY_LOG_LEVEL,
    roles: env.PARLEY_ROLES,
    worker: { concurrency: env.PARLEY_WORKER_CONCURRENCY, pollIntervalMs: env.PARLEY_WORKER_POLL_MS },
    jobs: { retentionDays: env.PARLEY_JOB_RETENTION_DAYS },
    whatsapp: {
      mode: env.PARLEY_WHATSAPP_MODE,
      graphBaseUrl: env.PARLEY_GRAPH_BASE_URL.replace(/\/+$/, ""),
      graphApiVersion: env.PARLEY_GRAPH_API_VERSION,
    },
    media: { uploadRetentionDays: env.PARLEY_UPLOAD_RETENTION_DAYS },
    backup: {
      scheduled: env.PARLEY_BACKUP_SCHEDULE,
      everyHours: env.PARLEY_BACKUP_EVERY_HOURS,
      retention: { daily: env.PARLEY_BACKUP_KEEP_DAILY, weekly: env.PARLEY_BACKUP_KEEP_WEEKLY, monthly: env.PARLEY_BACKUP_KEEP_MONTHLY },
      tools: { pgDump: env.PARLEY_PG_DUMP, pgRestore: env.PARLEY_PG_RESTORE },
    },
  };
}

/** The runtime role connects with its own credentials: the owner URL with user `parley_app`. */
function deriveAppUrl(ownerUrl: string, password: string | undefined): string {
  const url = new URL(ownerUrl);
  url.username = "parley_app";
  url.password = password ? encodeURIComponent(password) : "";
  return url.toString();
}

function isValidMasterKey(value: string): boolean {
  const entries = value.split(",").map((entry) => entry.trim());
  if (entries.length === 1 && !entries[0]!.includes(":")) return decodesTo32Bytes(entries[0]!);
  const versions = new Set<number>();
  for (const entry of entries) {
    const match = /^(\d{1,6}):(.+)$/.exec(entry);
    if (!match || !decodesTo32Bytes(match[2]!)) return false;
    const version = Number(match[1]);
    if (version < 1 || versions.has(version)) return false;
    versions.add(version);
  }
  return true;
}

function decodesTo32Bytes(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, "base64").length === 32;
}
