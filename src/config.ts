import { isIP } from "node:net";
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
    const parts = value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
    if (parts.every((part) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(part))) return parts;
    ctx.addIssue({ code: "custom", message: "must be true, false, a hop count, or a comma-separated list of IPs/CIDRs" });
    return z.NEVER;
  });

/** One window of a rate limit: `limit` requests per `windowMs`. */
export type RateWindow = { limit: number; windowMs: number };

/**
 * The default limits of every authenticated route, per caller (DESIGN: limits and abuse controls).
 * API keys (integrations): 3/s, 20/10 s, 100/min. Signed-in users: the dashboard asks for a list,
 * its counts, the members, an SSE ticket … at once on every screen, and people click quickly, so a
 * user gets a larger budget — still far below what a script would need to scrape or spray.
 */
export const DEFAULT_API_KEY_WINDOWS: readonly RateWindow[] = [
  { limit: 3, windowMs: 1_000 },
  { limit: 20, windowMs: 10_000 },
  { limit: 100, windowMs: 60_000 },
];
export const DEFAULT_SESSION_WINDOWS: readonly RateWindow[] = [
  { limit: 20, windowMs: 1_000 },
  { limit: 120, windowMs: 10_000 },
  { limit: 600, windowMs: 60_000 },
];

/** `<limit>/<n><s|m|h>` per window, comma-separated: `3/1s,20/10s,100/1m`. Windows up to an hour. */
const rateWindows = z
  .string()
  .max(256)
  .transform((value, ctx) => {
    const rules = parseRateWindows(value);
    if (typeof rules === "string") {
      ctx.addIssue({ code: "custom", message: rules });
      return z.NEVER;
    }
    return rules;
  });

const planName = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "a plan name is 1–32 lowercase letters, digits, - or _");

/** `{"pro":{"apiKey":"10/1s,60/10s,300/1m","session":"…"}}`: named plans, each overriding what it lists. */
const ratePlans = z
  .string()
  .max(4096)
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.record(planName, z.strictObject({ apiKey: rateWindows.optional(), session: rateWindows.optional() })));

/** `<workspace id>=<plan>,…`: the plan of each listed workspace (the others get the defaults). */
const workspacePlans = z
  .string()
  .max(65_536)
  .transform((value, ctx) => {
    const plans: Record<string, string> = {};
    for (const entry of value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})=([a-z][a-z0-9_-]{0,31})$/i.exec(entry);
      if (!match) {
        ctx.addIssue({ code: "custom", message: "must be a comma-separated list of <workspace id>=<plan>" });
        return z.NEVER;
      }
      plans[match[1]!.toLowerCase()] = match[2]!;
    }
    return plans;
  });

const cidrList = z
  .string()
  .max(16_384)
  .transform((value, ctx) => {
    const parts = value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
    if (parts.length === 0 || !parts.every(isCidr)) {
      ctx.addIssue({ code: "custom", message: "must be a comma-separated list of IPv4/IPv6 addresses or CIDR ranges" });
      return z.NEVER;
    }
    return parts;
  });

const environmentSchema = z.object({
  PARLEY_ENV: z.enum(["development", "test", "production"]).default("development"),
  PARLEY_HOST: z.string().max(255).default("127.0.0.1"),
  PARLEY_PORT: port.default(3000),
  PARLEY_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
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
  PARLEY_WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  PARLEY_WHATSAPP_MODE: z.enum(["sandbox", "live"]).default("sandbox"),
  PARLEY_GRAPH_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .default("https://graph.facebook.com"),
  PARLEY_GRAPH_API_VERSION: z
    .string()
    .regex(/^v\d{1,2}\.0$/, "must look like v25.0")
    .default("v25.0"),
  // Embedded Signup in live mode: the Meta app (a Tech Provider's) and its Login configuration.
  PARLEY_META_APP_ID: z
    .string()
    .regex(/^\d{1,32}$/, "must be a numeric Meta app id")
    .optional(),
  PARLEY_META_APP_SECRET: z
    .string()
    .min(16)
    .max(256)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
    .optional(),
  PARLEY_META_CONFIG_ID: z
    .string()
    .regex(/^\d{1,32}$/, "must be a numeric Login configuration id")
    .optional(),
  PARLEY_UPLOAD_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  PARLEY_METRICS_PORT: port.optional(),
  PARLEY_METRICS_HOST: z.string().max(255).default("127.0.0.1"),
  PARLEY_METRICS_TOKEN: z
    .string()
    .min(32, "must be at least 32 characters")
    .max(256)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
    .optional(),
  PARLEY_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  PARLEY_RATE_LIMIT_API_KEY: rateWindows.default(() => DEFAULT_API_KEY_WINDOWS.map((rule) => ({ ...rule }))),
  PARLEY_RATE_LIMIT_SESSION: rateWindows.default(() => DEFAULT_SESSION_WINDOWS.map((rule) => ({ ...rule }))),
  PARLEY_RATE_LIMIT_PLANS: ratePlans.optional(),
  PARLEY_WORKSPACE_PLANS: workspacePlans.optional(),
  PARLEY_ABUSE_STRIKES: z.coerce.number().int().min(1).max(1_000_000).default(10),
  PARLEY_ABUSE_STRIKE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(600),
  PARLEY_ABUSE_BLOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  PARLEY_ABUSE_MAX_BLOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(86_400),
  PARLEY_WEBHOOK_ALLOWED_CIDRS: cidrList.optional(),
  PARLEY_WEBHOOKS_ALLOW_PRIVATE: booleanFlag.default(false),
  PARLEY_BACKUP_SCHEDULE: booleanFlag.default(false),
  PARLEY_BACKUP_EVERY_HOURS: z.coerce.number().int().min(1).max(744).default(24),
  PARLEY_BACKUP_KEEP_DAILY: z.coerce.number().int().min(0).max(1_000).default(7),
  PARLEY_BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(0).max(1_000).default(4),
  PARLEY_BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(0).max(1_000).default(12),
  PARLEY_PG_DUMP: z.string().min(1).max(4096).default("pg_dump"),
  PARLEY_PG_RESTORE: z.string().min(1).max(4096).default("pg_restore"),
});

export type Environment = z.infer<typeof environmentSchema>;

export type RateLimitPlans = Record<string, { apiKey?: RateWindow[] | undefined; session?: RateWindow[] | undefined }>;

export type KeyProviderConfig = { kind: "env"; value: string } | { kind: "file"; path: string; allowedInProduction: boolean };

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
  whatsapp: {
    mode: "sandbox" | "live";
    graphBaseUrl: string;
    graphApiVersion: string;
    /** Embedded Signup in live mode; undefined when PARLEY_META_APP_ID, _APP_SECRET and _CONFIG_ID are not all set. */
    embeddedSignup?: { appId: string; appSecret: string; configId: string } | undefined;
  };
  /** Files uploaded to send and never sent are deleted (row and blob) this many days after the upload. */
  media: { uploadRetentionDays: number };
  /**
   * The observability listener (Prometheus /metrics, /livez, /readyz) of every role, apart from the
   * API's port; undefined when PARLEY_METRICS_PORT is unset. A bearer token, when set, is required.
   */
  metrics: { host: string; port: number; token: string | undefined } | undefined;
  /** OTLP/HTTP traces URL; undefined: tracing off. */
  tracing: { otlpEndpoint: string } | undefined;
  /**
   * The default multi-window limit of every authenticated route, per API key and per user; a
   * workspace listed in `workspacePlans` gets its plan's windows instead (what the plan lists).
   */
  rateLimits: { apiKey: RateWindow[]; session: RateWindow[]; plans: RateLimitPlans; workspacePlans: Record<string, string> };
  /**
   * Addresses collecting `strikes` answers 401/429 within `strikeWindowMs` are blocked for
   * `firstBlockMs`, doubling with each new block up to `maxBlockMs` (src/http/abuse.ts).
   */
  abuse: { strikes: number; strikeWindowMs: number; firstBlockMs: number; maxBlockMs: number };
  /** Meta's published webhook ranges: when set, the webhook receiver refuses every other address. */
  webhooks: { allowedCidrs: string[] | undefined };
  /** Outbound webhooks: allowPrivate lets endpoints reach loopback and private addresses (tests and local development only). */
  outboundWebhooks: { allowPrivate: boolean; retentionDays: number };
  /**
   * Encrypted backups (src/backup): taken by a schedule when `scheduled` (off by default), every
   * `everyHours`, each followed by a prune that keeps the newest of the last `retention.daily` days,
   * `weekly` ISO weeks and `monthly` months. PostgreSQL backups run `tools`.
   */
  backup: {
    scheduled: boolean;
    everyHours: number;
    retention: { daily: number; weekly: number; monthly: number };
    tools: { pgDump: string; pgRestore: string };
  };
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
    Object.entries(source).filter(([name, value]) => name in environmentSchema.shape && value !== undefined && value !== ""),
  );
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`));
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
      problems.push(
        "PARLEY_TRUST_PROXY: production needs the proxy's addresses or hop count, not 'true' (that trusts any client's X-Forwarded-For)",
      );
    }
    if (env.DATABASE_URL && !env.DATABASE_APP_URL && !env.PARLEY_DB_APP_PASSWORD) {
      problems.push("DATABASE_APP_URL: production needs the runtime role's own credentials (DATABASE_APP_URL or PARLEY_DB_APP_PASSWORD)");
    }
  }
  // Metrics reveal traffic and queue shapes: beyond loopback, only to a scraper holding the token.
  if (isProduction && env.PARLEY_METRICS_PORT !== undefined && !isLoopbackHost(env.PARLEY_METRICS_HOST) && !env.PARLEY_METRICS_TOKEN) {
    problems.push("PARLEY_METRICS_TOKEN: production serves metrics beyond loopback (PARLEY_METRICS_HOST) only with a bearer token");
  }
  // Access tokens travel to this URL: in production it must be TLS.
  if (isProduction && env.PARLEY_WHATSAPP_MODE === "live" && !env.PARLEY_GRAPH_BASE_URL.startsWith("https://")) {
    problems.push("PARLEY_GRAPH_BASE_URL: production sends access tokens only over https");
  }
  for (const [workspaceId, plan] of Object.entries(env.PARLEY_WORKSPACE_PLANS ?? {})) {
    if (!env.PARLEY_RATE_LIMIT_PLANS?.[plan])
      problems.push(`PARLEY_WORKSPACE_PLANS: workspace ${workspaceId} names plan ${plan}, which PARLEY_RATE_LIMIT_PLANS does not define`);
  }
  if (env.PARLEY_ABUSE_MAX_BLOCK_SECONDS < env.PARLEY_ABUSE_BLOCK_SECONDS) {
    problems.push("PARLEY_ABUSE_MAX_BLOCK_SECONDS: must be at least PARLEY_ABUSE_BLOCK_SECONDS");
  }
  // The SSRF guard of outbound webhooks is never switched off in production.
  if (isProduction && env.PARLEY_WEBHOOKS_ALLOW_PRIVATE) {
    problems.push("PARLEY_WEBHOOKS_ALLOW_PRIVATE: production never lets webhooks reach private or loopback addresses");
  }
  // The runtime role's credentials are reported first: its URL, and so its route, is not settled without them.
  const isDatabaseSettled = !problems.some((problem) => problem.startsWith("DATABASE_APP_URL:"));
  const connections = readConnections(
    env,
    { isProduction, isDatabaseSettled },
    (ownerUrl) => deriveAppUrl(ownerUrl, env.PARLEY_DB_APP_PASSWORD),
    problems,
  );
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
      embeddedSignup:
        env.PARLEY_META_APP_ID && env.PARLEY_META_APP_SECRET && env.PARLEY_META_CONFIG_ID
          ? { appId: env.PARLEY_META_APP_ID, appSecret: env.PARLEY_META_APP_SECRET, configId: env.PARLEY_META_CONFIG_ID }
          : undefined,
    },
    media: { uploadRetentionDays: env.PARLEY_UPLOAD_RETENTION_DAYS },
    metrics:
      env.PARLEY_METRICS_PORT === undefined
        ? undefined
        : { host: env.PARLEY_METRICS_HOST, port: env.PARLEY_METRICS_PORT, token: env.PARLEY_METRICS_TOKEN },
    tracing: env.PARLEY_OTLP_ENDPOINT ? { otlpEndpoint: env.PARLEY_OTLP_ENDPOINT } : undefined,
    rateLimits: {
      apiKey: env.PARLEY_RATE_LIMIT_API_KEY,
      session: env.PARLEY_RATE_LIMIT_SESSION,
      plans: env.PARLEY_RATE_LIMIT_PLANS ?? {},
      workspacePlans: env.PARLEY_WORKSPACE_PLANS ?? {},
    },
    abuse: {
      strikes: env.PARLEY_ABUSE_STRIKES,
      strikeWindowMs: env.PARLEY_ABUSE_STRIKE_WINDOW_SECONDS * 1000,
      firstBlockMs: env.PARLEY_ABUSE_BLOCK_SECONDS * 1000,
      maxBlockMs: env.PARLEY_ABUSE_MAX_BLOCK_SECONDS * 1000,
    },
    webhooks: { allowedCidrs: env.PARLEY_WEBHOOK_ALLOWED_CIDRS },
    outboundWebhooks: { allowPrivate: env.PARLEY_WEBHOOKS_ALLOW_PRIVATE, retentionDays: env.PARLEY_WEBHOOK_RETENTION_DAYS },
    backup: {
      scheduled: env.PARLEY_BACKUP_SCHEDULE,
      everyHours: env.PARLEY_BACKUP_EVERY_HOURS,
      retention: { daily: env.PARLEY_BACKUP_KEEP_DAILY, weekly: env.PARLEY_BACKUP_KEEP_WEEKLY, monthly: env.PARLEY_BACKUP_KEEP_MONTHLY },
      tools: { pgDump: env.PARLEY_PG_DUMP, pgRestore: env.PARLEY_PG_RESTORE },
    },
  };
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The runtime role connects with its own credentials: the owner URL with user `parley_app`. */
function deriveAppUrl(ownerUrl: string, password: string | undefined): string {
  const url = new URL(ownerUrl);
  url.username = "parley_app";
  url.password = password ? encodeURIComponent(password) : "";
  return url.toString();
}

const WINDOW_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses `3/1s,20/10s,100/1m`; a string says what is wrong. */
export function parseRateWindows(value: string): RateWindow[] | string {
  const rules: RateWindow[] = [];
  for (const part of value.split(",").map((entry) => entry.trim())) {
    const match = /^(\d{1,7})\/(\d{1,4})([smh])$/.exec(part);
    if (!match) return "must be a comma-separated list of <limit>/<n><s|m|h>, e.g. 3/1s,20/10s,100/1m";
    const rule = { limit: Number(match[1]), windowMs: Number(match[2]) * WINDOW_UNITS[match[3]!]! };
    if (rule.limit < 1 || rule.windowMs < 1 || rule.windowMs > 3_600_000)
      return "each window has a limit of at least 1 and lasts 1 s to 1 h";
    rules.push(rule);
  }
  if (rules.length > 8) return "at most 8 windows";
  return rules;
}

function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
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
