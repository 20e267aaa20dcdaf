import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { resolve } from "node:path";

// How Parley reaches PostgreSQL and Redis: which connections are encrypted, which are verified, and
// which production accepts (DESIGN §1: nothing sensitive crosses a network in the clear). Read once
// by src/config.ts; the adapters only apply the result.

/** PEM contents read from the CA / client certificate / client key settings. */
export type TlsMaterial = { ca: string | undefined; cert: string | undefined; key: string | undefined };

/**
 * `full`: CA verified and host name checked (libpq's verify-full); `ca`: CA verified only;
 * `none`: encrypted, anyone's certificate accepted.
 */
export type TlsVerification = "full" | "ca" | "none";

export type ConnectionTls = TlsMaterial & { verify: TlsVerification };

/**
 * Where a connection goes, as far as its URL says: what production decides on, and what
 * `parley doctor` reports next to the live state.
 */
export type Route = { kind: "unix-socket"; path: string } | { kind: "tcp"; host: string; isLoopback: boolean };

export type PostgresConnection = { url: string; tls: ConnectionTls | undefined; route: Route };
export type RedisConnection = { url: string; tls: ConnectionTls | undefined; route: Route };

export type TlsFileSettings = { caFile?: string | undefined; certFile?: string | undefined; keyFile?: string | undefined };

/** A setting problem, named by the setting it concerns (config turns these into a ConfigError). */
export class TransportProblem extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = "TransportProblem";
  }
}

const PG_TLS_PARAMS = new Set(["sslmode", "sslrootcert", "sslcert", "sslkey"]);
const PG_SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;

/**
 * Reads a PostgreSQL URL the way libpq does for TLS (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`)
 * and returns the URL without them: node-postgres would otherwise apply its own reading of those
 * parameters over the explicit TLS options. The CA / client files may come from the URL or from
 * the settings (`files`), not both. Setting a CA file without `sslmode` means verify-full.
 */
export function readPostgresConnection(
  setting: string,
  rawUrl: string,
  files: TlsMaterial,
  fileSettings: { ca: string; cert: string; key: string },
): PostgresConnection {
  const url = new URL(rawUrl);
  for (const name of url.searchParams.keys()) {
    if (name.startsWith("ssl") && !PG_TLS_PARAMS.has(name)) {
      throw new TransportProblem(setting, `the URL parameter ${name} is not supported; use sslmode=verify-full with ${fileSettings.ca}`);
    }
  }
  const mode = url.searchParams.get("sslmode");
  if (mode !== null && !(PG_SSL_MODES as readonly string[]).includes(mode)) {
    throw new TransportProblem(
      setting,
      `sslmode must be one of ${PG_SSL_MODES.join(", ")} (prefer and allow would fall back to plaintext)`,
    );
  }
  const fromUrl = {
    ca: readUrlFile(setting, url, "sslrootcert", fileSettings.ca, files.ca),
    cert: readUrlFile(setting, url, "sslcert", fileSettings.cert, files.cert),
    key: readUrlFile(setting, url, "sslkey", fileSettings.key, files.key),
  };
  const material: TlsMaterial = { ca: fromUrl.ca ?? files.ca, cert: fromUrl.cert ?? files.cert, key: fromUrl.key ?? files.key };
  if (Boolean(material.cert) !== Boolean(material.key)) {
    throw new TransportProblem(
      setting,
      `a client certificate needs its key (${fileSettings.cert} and ${fileSettings.key}, or sslcert and sslkey)`,
    );
  }
  const hasMaterial = Boolean(material.ca || material.cert);
  const effectiveMode = mode ?? (hasMaterial ? "verify-full" : "disable");
  if (effectiveMode === "disable" && hasMaterial) {
    throw new TransportProblem(setting, `sslmode=disable contradicts ${fileSettings.ca}/${fileSettings.cert}: remove one`);
  }
  const hadTlsParams = [...url.searchParams.keys()].some((name) => PG_TLS_PARAMS.has(name));
  for (const name of PG_TLS_PARAMS) url.searchParams.delete(name);
  return {
    // Untouched when there was nothing to remove: the URL is passed on exactly as written.
    url: hadTlsParams ? url.toString() : rawUrl,
    tls:
      effectiveMode === "disable"
        ? undefined
        : { ...material, verify: effectiveMode === "verify-full" ? "full" : effectiveMode === "verify-ca" ? "ca" : "none" },
    route: postgresRoute(url),
  };
}

/**
 * `rediss://` is TLS with the CA and host name verified (Node's defaults; the CA from
 * `files.ca` when set, otherwise the system's). TLS material with a `redis://` URL is a mistake,
 * not a request to downgrade.
 */
export function readRedisConnection(
  setting: string,
  rawUrl: string,
  files: TlsMaterial,
  fileSettings: { ca: string; cert: string },
): RedisConnection {
  const url = new URL(rawUrl);
  const isTls = url.protocol === "rediss:";
  if (!isTls && (files.ca || files.cert)) {
    throw new TransportProblem(setting, `${fileSettings.ca}/${fileSettings.cert} need a rediss:// URL (TLS)`);
  }
  if (Boolean(files.cert) !== Boolean(files.key)) {
    throw new TransportProblem(fileSettings.cert, "a client certificate needs its key");
  }
  const host = stripBrackets(url.hostname) || "localhost";
  return {
    url: rawUrl,
    tls: isTls ? { ...files, verify: "full" } : undefined,
    route: { kind: "tcp", host, isLoopback: isLoopbackHost(host) },
  };
}

export type ConnectionSettings = {
  DATABASE_URL?: string | undefined;
  DATABASE_APP_URL?: string | undefined;
  PARLEY_DB_CA_FILE?: string | undefined;
  PARLEY_DB_CERT_FILE?: string | undefined;
  PARLEY_DB_KEY_FILE?: string | undefined;
  PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK: boolean;
  REDIS_URL?: string | undefined;
  PARLEY_REDIS_CA_FILE?: string | undefined;
  PARLEY_REDIS_CERT_FILE?: string | undefined;
  PARLEY_REDIS_KEY_FILE?: string | undefined;
  PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK: boolean;
};

const DB_TLS_SETTINGS = { ca: "PARLEY_DB_CA_FILE", cert: "PARLEY_DB_CERT_FILE", key: "PARLEY_DB_KEY_FILE" };
const REDIS_TLS_SETTINGS = { ca: "PARLEY_REDIS_CA_FILE", cert: "PARLEY_REDIS_CERT_FILE", key: "PARLEY_REDIS_KEY_FILE" };

/**
 * The connections to PostgreSQL and Redis as configured, each problem pushed to `problems` under
 * the setting to change. Production accepts a connection only when it is TLS with verify-full
 * semantics, a Unix socket, or plaintext to this host's loopback that the operator allowed by name.
 */
export function readConnections(
  env: ConnectionSettings,
  { isProduction, isDatabaseSettled }: { isProduction: boolean; isDatabaseSettled: boolean },
  deriveAppUrl: (ownerUrl: string) => string,
  problems: string[],
): { database?: { owner: PostgresConnection; app: PostgresConnection }; redis?: RedisConnection } {
  const result: { database?: { owner: PostgresConnection; app: PostgresConnection }; redis?: RedisConnection } = {};
  const collect = <T>(setting: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (error instanceof TransportProblem) problems.push(error.message);
      else if (error instanceof TypeError) problems.push(`${setting}: is not a valid URL`);
      else throw error;
      return undefined;
    }
  };
  const dbFiles = collect(DB_TLS_SETTINGS.ca, () =>
    readTlsMaterial(DB_TLS_SETTINGS, { caFile: env.PARLEY_DB_CA_FILE, certFile: env.PARLEY_DB_CERT_FILE, keyFile: env.PARLEY_DB_KEY_FILE }),
  );
  const redisFiles = collect(REDIS_TLS_SETTINGS.ca, () =>
    readTlsMaterial(REDIS_TLS_SETTINGS, {
      caFile: env.PARLEY_REDIS_CA_FILE,
      certFile: env.PARLEY_REDIS_CERT_FILE,
      keyFile: env.PARLEY_REDIS_KEY_FILE,
    }),
  );
  if (!env.DATABASE_URL && (env.PARLEY_DB_CA_FILE || env.PARLEY_DB_CERT_FILE || env.PARLEY_DB_KEY_FILE))
    problems.push("PARLEY_DB_CA_FILE: applies to DATABASE_URL, which is not set");
  if (!env.REDIS_URL && (env.PARLEY_REDIS_CA_FILE || env.PARLEY_REDIS_CERT_FILE || env.PARLEY_REDIS_KEY_FILE))
    problems.push("PARLEY_REDIS_CA_FILE: applies to REDIS_URL, which is not set");

  const ownerUrl = env.DATABASE_URL;
  if (ownerUrl && dbFiles) {
    const appSetting = env.DATABASE_APP_URL ? "DATABASE_APP_URL" : "DATABASE_URL";
    const owner = collect("DATABASE_URL", () => readPostgresConnection("DATABASE_URL", ownerUrl, dbFiles, DB_TLS_SETTINGS));
    const app = collect(appSetting, () =>
      readPostgresConnection(appSetting, env.DATABASE_APP_URL ?? deriveAppUrl(ownerUrl), dbFiles, DB_TLS_SETTINGS),
    );
    if (owner && app) result.database = { owner, app };
    const checked = env.DATABASE_APP_URL
      ? ([
          ["DATABASE_URL", owner],
          ["DATABASE_APP_URL", app],
        ] as const)
      : ([["DATABASE_URL", owner]] as const);
    for (const [setting, connection] of checked) {
      if (!isProduction || !isDatabaseSettled || !connection || isAcceptedInProduction(connection, env.PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK))
        continue;
      problems.push(
        `${setting}: production needs TLS with certificate and host name verification to PostgreSQL (this URL is ${describeConnection(connection)}): add sslmode=verify-full to the URL (with PARLEY_DB_CA_FILE for a private CA), connect over a Unix socket, or, for a server on this host's loopback, set PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK=true`,
      );
    }
  }
  const redisUrl = env.REDIS_URL;
  if (redisUrl && redisFiles) {
    const redis = collect("REDIS_URL", () => readRedisConnection("REDIS_URL", redisUrl, redisFiles, REDIS_TLS_SETTINGS));
    if (redis) result.redis = redis;
    if (redis && isProduction && !isAcceptedInProduction(redis, env.PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK)) {
      problems.push(
        `REDIS_URL: production needs TLS with certificate and host name verification to Redis (this URL is ${describeConnection(redis)}): use a rediss:// URL (with PARLEY_REDIS_CA_FILE for a private CA), or, for a server on this host's loopback, set PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK=true`,
      );
    }
  }
  return result;
}

/** For messages: never the URL itself, which may hold a password. */
export function describeConnection(connection: { tls: ConnectionTls | undefined; route: Route }): string {
  const where = connection.route.kind === "unix-socket" ? `socket ${connection.route.path}` : `host ${connection.route.host}`;
  if (!connection.tls) return `plaintext to ${where}`;
  const verification =
    connection.tls.verify === "full"
      ? "certificate and host name verified"
      : connection.tls.verify === "ca"
        ? "no host name check"
        : "no certificate verification";
  return `TLS (${verification}) to ${where}`;
}

/** Whether production accepts the connection as it is configured. */
export function isAcceptedInProduction(
  connection: { tls: ConnectionTls | undefined; route: Route },
  allowPlaintextLoopback: boolean,
): boolean {
  if (connection.tls) return connection.tls.verify === "full";
  if (connection.route.kind === "unix-socket") return true;
  return connection.route.isLoopback && allowPlaintextLoopback;
}

/** Reads the TLS files a setting names: PEM only, so a wrong path fails here and not at connect. */
export function readTlsMaterial(settings: { ca: string; cert: string; key: string }, paths: TlsFileSettings): TlsMaterial {
  return {
    ca: paths.caFile ? readPem(settings.ca, paths.caFile, "CERTIFICATE") : undefined,
    cert: paths.certFile ? readPem(settings.cert, paths.certFile, "CERTIFICATE") : undefined,
    key: paths.keyFile ? readPem(settings.key, paths.keyFile, "PRIVATE KEY") : undefined,
  };
}

/** The options node-postgres and ioredis pass to `tls.connect`. */
export function toTlsOptions(tls: ConnectionTls): {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  minVersion: "TLSv1.2";
  checkServerIdentity?: () => undefined;
} {
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    rejectUnauthorized: tls.verify !== "none",
    minVersion: "TLSv1.2",
    ...(tls.verify === "ca" ? { checkServerIdentity: () => undefined } : {}),
  };
}

export function isLoopbackHost(host: string): boolean {
  const bare = stripBrackets(host).toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}

/** Where a PostgreSQL URL connects (a Unix socket directory, or a TCP host). */
export function routeOfPostgresUrl(url: string): Route {
  return postgresRoute(new URL(url));
}

function postgresRoute(url: URL): Route {
  // libpq: a host starting with "/" is a socket directory; `?host=` overrides the URL's host.
  const host = url.searchParams.get("host") ?? decodeURIComponent(url.hostname);
  if (host.startsWith("/")) return { kind: "unix-socket", path: host };
  const name = stripBrackets(host) || "localhost";
  return { kind: "tcp", host: name, isLoopback: isLoopbackHost(name) };
}

function readUrlFile(setting: string, url: URL, param: string, fileSetting: string, fromSetting: string | undefined): string | undefined {
  const path = url.searchParams.get(param);
  if (path === null) return undefined;
  if (fromSetting !== undefined) throw new TransportProblem(setting, `${param} in the URL and ${fileSetting} both name a file: keep one`);
  // libpq's sslrootcert=system: the platform's trusted CAs, which Node uses when no CA is given.
  if (param === "sslrootcert" && path === "system") return undefined;
  return readPem(`${setting} (${param})`, path, param === "sslkey" ? "PRIVATE KEY" : "CERTIFICATE");
}

function readPem(setting: string, path: string, label: "CERTIFICATE" | "PRIVATE KEY"): string {
  let text: string;
  try {
    text = readFileSync(resolve(path), "utf8");
  } catch (error) {
    throw new TransportProblem(setting, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  // Any PEM private key type (PKCS#8, RSA, EC) ends its label with PRIVATE KEY.
  const pattern = label === "CERTIFICATE" ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  if (text.length > 1_000_000 || !pattern.test(text))
    throw new TransportProblem(setting, `${path} is not a PEM ${label.toLowerCase()} file`);
  return text;
}

function stripBrackets(host: string): string {
  return host.replace(/^\[|\]$/g, "");
}
