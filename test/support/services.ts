import { randomBytes } from "node:crypto";
import { loadConfig } from "../../src/config.ts";
import { createMemoryCoordination } from "../../src/coordination/memory.ts";
import { createRedisCoordination } from "../../src/coordination/redis.ts";
import type { Coordination } from "../../src/coordination/types.ts";
import { createEnvKeyProvider } from "../../src/crypto/key-provider.ts";
import { createKeyring } from "../../src/crypto/keyring.ts";
import type { Database } from "../../src/db/database.ts";
import { createLogger, type Logger } from "../../src/log/logger.ts";
import type { Services } from "../../src/services.ts";
import { relaxedLimitsEnv, testRedisUrl, useRedis } from "./engine.ts";

/** Every line the app's real logger writes, kept in memory. */
export type LogCapture = {
  lines: string[];
  destination: { write(line: string): void };
  text(): string;
  records(): Array<Record<string, unknown>>;
};

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  return {
    lines,
    destination: { write: (line: string) => void lines.push(line) },
    text: () => lines.join(""),
    records: () =>
      lines.flatMap((chunk) =>
        chunk
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      ),
  };
}

/**
 * Test files run in parallel against one Redis: each file's services get their own key namespace,
 * so rate limits and events of one file never reach another (instances within a file share it).
 */
const testNamespace = `t-${randomBytes(6).toString("hex")}`;

/** A Redis coordination in this test file's namespace: a second "instance" of the same deployment. */
export function createTestRedisCoordination(logger: Logger): Coordination {
  return createRedisCoordination(testRedisUrl, { logger, namespace: testNamespace });
}

/**
 * Real services around a test database: parsed config, real logger, and the pass's coordination
 * (in-process on the PGlite pass, Redis on the PostgreSQL pass; close it with `services.coordination.close()`).
 */
export function createTestServices(options: {
  db: Database;
  logs: LogCapture;
  env?: Record<string, string>;
  level?: "trace" | "debug" | "info";
  coordination?: Coordination;
  /** The real default limits and strike threshold instead of the suite's raised ones (test/http/limits.test.ts). */
  realLimits?: boolean;
}): Services {
  const config = loadConfig({
    PARLEY_ENV: "test",
    PARLEY_MASTER_KEY: randomBytes(32).toString("base64"),
    ...(options.realLimits ? {} : relaxedLimitsEnv),
    ...options.env,
  });
  const logger = createLogger({ level: options.level ?? "info", destination: options.logs.destination });
  const provider = createEnvKeyProvider(config.keys.kind === "env" ? config.keys.value : "");
  return {
    config,
    db: options.db,
    coordination: options.coordination ?? (useRedis ? createTestRedisCoordination(logger) : createMemoryCoordination()),
    logger,
    keyring: createKeyring({ provider }),
  };
}
