import type { Config } from "../config.ts";
import type { Logger } from "../log/logger.ts";
import { createMemoryCoordination } from "./memory.ts";
import { createRedisCoordination } from "./redis.ts";
import type { Coordination } from "./types.ts";

export { CoordinationUnavailableError } from "./types.ts";
export type { ConnectionSecurity, Coordination, PubSub, RateLimitDecision, RateLimiter, RateLimitRule, Unsubscribe } from "./types.ts";

/**
 * Chooses the coordination adapter once, at start-up: Redis when `REDIS_URL` is set (many
 * instances share limits and events), otherwise in-process (one instance).
 */
export function createCoordination(config: Config, logger: Logger): Coordination {
  if (config.redis) return createRedisCoordination(config.redis.url, { logger, tls: config.redis.tls });
  logger.info({ component: "coordination", store: "memory" }, "in-process coordination (single instance)");
  return createMemoryCoordination();
}
