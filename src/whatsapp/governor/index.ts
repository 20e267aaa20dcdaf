import type { Config } from "../../config.ts";
import type { Logger } from "../../log/logger.ts";
import { createMemoryGovernor } from "./memory.ts";
import { createRedisGovernor } from "./redis.ts";
import type { Governor, GovernorPolicy } from "./types.ts";

export { createMemoryGovernor } from "./memory.ts";
export { createRedisGovernor } from "./redis.ts";
export { DEFAULT_GOVERNOR_POLICY } from "./types.ts";
export type { Governor, GovernorDecision, GovernorPolicy, GovernorRequest } from "./types.ts";

/**
 * Chooses the governor once, at start-up, like the coordination port: Redis when `REDIS_URL` is set
 * (every instance shares one budget per number), otherwise in-process (one instance).
 */
export function createGovernor(config: Pick<Config, "redis">, logger: Logger, policy?: GovernorPolicy): Governor {
  // The same connection security as the coordination store: TLS verified against the configured CA.
  if (config.redis) return createRedisGovernor(config.redis.url, { logger, tls: config.redis.tls, ...(policy ? { policy } : {}) });
  logger.info({ component: "governor", store: "memory" }, "in-process send governor (single instance)");
  return createMemoryGovernor(policy ? { policy } : {});
}
