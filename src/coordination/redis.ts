import { createHash, randomBytes } from "node:crypto";
import { TLSSocket } from "node:tls";
import { Redis } from "ioredis";
import type { Logger } from "../log/logger.ts";
import { toTlsOptions, type ConnectionTls } from "../transport-security.ts";
import {
  CoordinationUnavailableError,
  type ConnectionSecurity,
  type Coordination,
  type MultiWindowDecision,
  type RateLimitDecision,
  type RateLimitRule,
} from "./types.ts";
import { assertRules, decideWindows, type WindowCount } from "./windows.ts";

// Coordination across instances through Redis. Redis holds no truth (DESIGN §1.2); when it cannot
// answer, every call throws CoordinationUnavailableError at once instead of queueing, so rate-limited
// routes refuse (fail closed) rather than hang or let traffic through.

/**
 * Sliding-log limiter, atomic in one script: drop hits older than the window, count, and record
 * this hit only when allowed (a refused hit does not extend the lock-out — same as the in-memory
 * adapter). Time is Redis's own clock, so instances with skewed clocks share one window.
 * Returns {allowed, remaining, retryAfterMs}.
 */
const SLIDING_WINDOW_SCRIPT = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  local retry = tonumber(oldest[2]) + window - now
  if retry < 1 then retry = 1 end
  return {0, 0, retry}
end
redis.call('ZADD', key, now, now .. ':' .. ARGV[3])
redis.call('PEXPIRE', key, window)
return {1, limit - count - 1, 0}
`;
const SLIDING_WINDOW_SHA = createHash("sha1").update(SLIDING_WINDOW_SCRIPT).digest("hex");

/**
 * Several windows over one log (a sorted set of hit times on Redis's clock), atomic: trim to the
 * longest window, count each window, and record the hit only when every window has room. Returns
 * {now, recorded, then per window: count, oldest time in it (-1: none), the hit whose ageing out
 * frees a slot (-1: not full)}; src/coordination/windows.ts turns that into the decision.
 * ARGV: member, then window and limit of each rule.
 */
const MULTI_WINDOW_SCRIPT = `
local key = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rules = (#ARGV - 1) / 2
local longest = 0
for i = 1, rules do
  local window = tonumber(ARGV[2 * i])
  if window > longest then longest = window end
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - longest)
local out = {now, 1}
for i = 1, rules do
  local window = tonumber(ARGV[2 * i])
  local limit = tonumber(ARGV[2 * i + 1])
  local from = '(' .. (now - window)
  local count = redis.call('ZCOUNT', key, from, '+inf')
  local oldest = -1
  local freeing = -1
  if count > 0 then
    oldest = tonumber(redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)[2])
  end
  if count >= limit then
    out[2] = 0
    freeing = tonumber(redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)[2])
  end
  table.insert(out, count)
  table.insert(out, oldest)
  table.insert(out, freeing)
end
if out[2] == 1 then
  redis.call('ZADD', key, now, now .. ':' .. ARGV[1])
  redis.call('PEXPIRE', key, longest)
end
return out
`;
const MULTI_WINDOW_SHA = createHash("sha1").update(MULTI_WINDOW_SCRIPT).digest("hex");

/**
 * Expiring members of a group: values in a hash (KEYS[1]), expiry times in a sorted set (KEYS[2]),
 * both on Redis's clock. Every call first drops the expired members; the two keys expire with the
 * group's last member. ARGV[1] is the operation: put (member, value, ttl), remove (member) or list.
 */
const EPHEMERAL_SCRIPT = `
local values = KEYS[1]
local expiries = KEYS[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', expiries, '-inf', now)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', expiries, '-inf', now)
  redis.call('HDEL', values, unpack(expired))
end
local op = ARGV[1]
if op == 'put' then
  local ttl = tonumber(ARGV[4])
  redis.call('HSET', values, ARGV[2], ARGV[3])
  redis.call('ZADD', expiries, now + ttl, ARGV[2])
  local last = redis.call('ZRANGE', expiries, -1, -1, 'WITHSCORES')
  local keep = tonumber(last[2]) - now
  redis.call('PEXPIRE', values, keep)
  redis.call('PEXPIRE', expiries, keep)
  return 1
elseif op == 'get' then
  return redis.call('HGET', values, ARGV[2])
elseif op == 'remove' then
  redis.call('ZREM', expiries, ARGV[2])
  return redis.call('HDEL', values, ARGV[2])
end
return redis.call('HGETALL', values)
`;
const EPHEMERAL_SHA = createHash("sha1").update(EPHEMERAL_SCRIPT).digest("hex");

export type RedisCoordinationOptions = {
  logger: Logger;
  /** Upper bound on any one command, and on waiting for a connection still being set up (default 500 ms). */
  commandTimeoutMs?: number;
  /**
   * Separates deployments (or test runs) sharing one Redis: keys become `parley:<namespace>:rl:…`.
   * Instances that must share limits and events use the same namespace (none by default).
   */
  namespace?: string;
  /** TLS for a rediss:// URL (config's REDIS_URL and PARLEY_REDIS_*_FILE); without it Node's defaults apply. */
  tls?: ConnectionTls | undefined;
};

/**
 * The ioredis options every Parley connection to Redis shares for TLS: the CA and client
 * certificate from config, certificate and host name verified, TLS 1.2 at least.
 */
export function redisTlsOptions(tls: ConnectionTls | undefined): { tls?: ReturnType<typeof toTlsOptions> } {
  return tls ? { tls: toTlsOptions(tls) } : {};
}

/** What a connected ioredis client's socket says about its TLS. */
export function readConnectionSecurity(connection: Redis): ConnectionSecurity {
  const stream: unknown = connection.stream;
  if (!(stream instanceof TLSSocket)) return { isEncrypted: false, isVerified: false, protocol: undefined };
  return { isEncrypted: true, isVerified: stream.authorized, protocol: stream.getProtocol() ?? undefined };
}

export function createRedisCoordination(url: string, options: RedisCoordinationOptions): Coordination {
  const commandTimeoutMs = options.commandTimeoutMs ?? 500;
  if (options.namespace !== undefined && !/^[a-z0-9-]{1,40}$/.test(options.namespace))
    throw new RangeError("namespace must be 1–40 lowercase letters, digits or dashes");
  const base = options.namespace ? `parley:${options.namespace}:` : "parley:";
  const RATE_LIMIT_PREFIX = `${base}rl:`;
  const CHANNEL_PREFIX = `${base}ps:`;
  const EPHEMERAL_PREFIX = `${base}eph:`;
  const logger = options.logger.child({ component: "coordination", store: "redis" });
  const connectionOptions = {
    // Fail fast: a command issued while disconnected is rejected, not parked until Redis returns.
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(commandTimeoutMs * 4, 2_000),
    ...redisTlsOptions(options.tls),
  };
  const client = new Redis(url, { ...connectionOptions, connectionName: "parley" });
  // Pub/sub needs a connection of its own: a subscribed connection can run nothing else.
  const subscriber = new Redis(url, { ...connectionOptions, connectionName: "parley-sub" });
  const memberSuffix = randomBytes(6).toString("hex");
  let sequence = 0;
  let isClosed = false;

  watchConnection(client, "command", logger);
  watchConnection(subscriber, "subscriber", logger);

  const handlers = new Map<string, Set<(message: string) => void>>();
  const subscriptions = new Map<string, Promise<void>>();
  subscriber.on("message", (channel: string, message: string) => {
    if (!channel.startsWith(CHANNEL_PREFIX)) return;
    for (const handler of handlers.get(channel.slice(CHANNEL_PREFIX.length)) ?? []) {
      try {
        handler(message);
      } catch (error) {
        // The channel name may carry identifiers; the message certainly may. Log neither.
        logger.error({ err: error }, "pub/sub handler threw");
      }
    }
  });

  /** Runs a command once the connection is usable, mapping every failure to CoordinationUnavailableError. */
  async function run<T>(connection: Redis, command: () => Promise<T>): Promise<T> {
    if (isClosed) throw new CoordinationUnavailableError(new Error("coordination closed"));
    try {
      await waitUntilReady(connection, commandTimeoutMs);
      return await command();
    } catch (error) {
      throw error instanceof CoordinationUnavailableError ? error : new CoordinationUnavailableError(error);
    }
  }

  async function evalSlidingWindow(key: string, rule: RateLimitRule): Promise<[number, number, number]> {
    sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER;
    const args = [RATE_LIMIT_PREFIX + key, rule.windowMs, rule.limit, `${memberSuffix}:${sequence}`] as const;
    try {
      return (await client.evalsha(SLIDING_WINDOW_SHA, 1, ...args)) as [number, number, number];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return (await client.eval(SLIDING_WINDOW_SCRIPT, 1, ...args)) as [number, number, number];
    }
  }

  async function evalMultiWindow(key: string, rules: readonly RateLimitRule[]): Promise<number[]> {
    sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER;
    const args = [RATE_LIMIT_PREFIX + key, `${memberSuffix}:${sequence}`, ...rules.flatMap((rule) => [rule.windowMs, rule.limit])] as const;
    try {
      return (await client.evalsha(MULTI_WINDOW_SHA, 1, ...args)) as number[];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return (await client.eval(MULTI_WINDOW_SCRIPT, 1, ...args)) as number[];
    }
  }

  async function evalEphemeral(group: string, args: Array<string | number>): Promise<unknown> {
    const keys = [`${EPHEMERAL_PREFIX}${group}:v`, `${EPHEMERAL_PREFIX}${group}:x`] as const;
    try {
      return await client.evalsha(EPHEMERAL_SHA, 2, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await client.eval(EPHEMERAL_SCRIPT, 2, ...keys, ...args);
    }
  }

  return {
    kind: "redis",
    rateLimiter: {
      async hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
        assertRule(rule);
        const [allowed, remaining, retryAfterMs] = await run(client, () => evalSlidingWindow(key, rule));
        return { allowed: allowed === 1, limit: rule.limit, remaining, retryAfterMs };
      },
      async hitWindows(key: string, rules: readonly RateLimitRule[]): Promise<MultiWindowDecision> {
        assertRules(rules);
        const [now, , ...flat] = await run(client, () => evalMultiWindow(key, rules));
        const counts: WindowCount[] = rules.map((_, index) => {
          const [count, oldest, freeing] = flat.slice(index * 3, index * 3 + 3) as [number, number, number];
          return { count, oldest: oldest < 0 ? undefined : oldest, freeingHit: freeing < 0 ? undefined : freeing };
        });
        // The script recorded the hit exactly when every window had room, which is what decides `allowed` here too.
        return decideWindows(rules, counts, now!);
      },
      async reset(key: string): Promise<void> {
        await run(client, () => client.del(RATE_LIMIT_PREFIX + key));
      },
    },
    pubsub: {
      async publish(channel: string, message: string): Promise<void> {
        await run(client, () => client.publish(CHANNEL_PREFIX + channel, message));
      },
      async subscribe(channel: string, handler: (message: string) => void) {
        // Concurrent first subscribers to a channel share one SUBSCRIBE and its outcome.
        let subscribed = subscriptions.get(channel);
        if (!subscribed) {
          subscribed = run(subscriber, () => subscriber.subscribe(CHANNEL_PREFIX + channel)).then(() => {});
          subscriptions.set(channel, subscribed);
          subscribed.catch(() => subscriptions.delete(channel));
        }
        await subscribed;
        let channelHandlers = handlers.get(channel);
        if (!channelHandlers) {
          channelHandlers = new Set();
          handlers.set(channel, channelHandlers);
        }
        channelHandlers.add(handler);
        return async () => {
          const current = handlers.get(channel);
          if (!current?.delete(handler) || current.size > 0) return;
          handlers.delete(channel);
          subscriptions.delete(channel);
          // Best effort: if Redis is away the subscription dies with the connection anyway.
          await run(subscriber, () => subscriber.unsubscribe(CHANNEL_PREFIX + channel)).catch(() => {});
        };
      },
    },
    ephemeral: {
      async put(group: string, member: string, value: string, ttlMs: number): Promise<void> {
        if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new RangeError("ttlMs must be a positive integer");
        await run(client, () => evalEphemeral(group, ["put", member, value, ttlMs]));
      },
      async remove(group: string, member: string): Promise<boolean> {
        return (await run(client, () => evalEphemeral(group, ["remove", member]))) === 1;
      },
      async get(group: string, member: string): Promise<string | undefined> {
        const value = (await run(client, () => evalEphemeral(group, ["get", member]))) as string | null;
        return value ?? undefined;
      },
      async list(group: string): Promise<Map<string, string>> {
        const flat = (await run(client, () => evalEphemeral(group, ["list"]))) as string[];
        const members = new Map<string, string>();
        for (let index = 0; index + 1 < flat.length; index += 2) members.set(flat[index]!, flat[index + 1]!);
        return members;
      },
    },
    async ping(): Promise<void> {
      await run(client, () => client.ping());
    },
    async connectionSecurity(): Promise<ConnectionSecurity> {
      await run(client, () => client.ping());
      const security = readConnectionSecurity(client);
      // `authorized` says the chain was verified; the host name is checked only with full verification.
      return { ...security, isVerified: security.isVerified && options.tls?.verify === "full" };
    },
    async close(): Promise<void> {
      if (isClosed) return;
      isClosed = true;
      handlers.clear();
      subscriptions.clear();
      await Promise.all([client, subscriber].map((connection) => closeConnection(connection)));
    },
  };
}

function assertRule(rule: RateLimitRule): void {
  if (!Number.isInteger(rule.limit) || rule.limit < 1 || !Number.isInteger(rule.windowMs) || rule.windowMs < 1) {
    throw new RangeError("rate limit rule needs a positive integer limit and windowMs");
  }
}

/**
 * Resolves when the connection is ready. A connection still being set up gets up to `timeoutMs`;
 * one that has lost its server fails at once — it reconnects in the background. Callers waiting
 * on the same connection attempt share one wait (a burst at start-up adds one set of listeners).
 */
const pendingReadiness = new WeakMap<Redis, Promise<void>>();

function waitUntilReady(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === "ready") return Promise.resolve();
  if (connection.status !== "wait" && connection.status !== "connecting" && connection.status !== "connect") {
    return Promise.reject(new CoordinationUnavailableError(new Error(`redis connection is ${connection.status}`)));
  }
  const pending = pendingReadiness.get(connection);
  if (pending) return pending;
  const readiness = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => settle(new Error("redis connection not ready in time")), timeoutMs);
    function settle(error?: Error): void {
      clearTimeout(timer);
      pendingReadiness.delete(connection);
      connection.off("ready", onReady);
      connection.off("error", onError);
      connection.off("end", onEnd);
      if (error) reject(new CoordinationUnavailableError(error));
      else resolve();
    }
    function onReady(): void {
      settle();
    }
    function onError(error: Error): void {
      settle(error);
    }
    function onEnd(): void {
      settle(new Error("redis connection ended"));
    }
    connection.once("ready", onReady);
    connection.once("error", onError);
    connection.once("end", onEnd);
  });
  pendingReadiness.set(connection, readiness);
  return readiness;
}

/** Logs transitions (lost, back), not every reconnect attempt; never the URL (it may hold a password). */
function watchConnection(connection: Redis, role: string, logger: Logger): void {
  let isDown = false;
  connection.on("error", (error: Error) => {
    if (isDown) return;
    isDown = true;
    logger.warn({ connection: role, err: error }, "redis unavailable; rate-limited calls will be refused until it returns");
  });
  connection.on("ready", () => {
    if (!isDown) return;
    isDown = false;
    logger.info({ connection: role }, "redis connection restored");
  });
}

async function closeConnection(connection: Redis): Promise<void> {
  // Closing a TLS socket mid-handshake draws the server's alert after ioredis has stopped
  // listening to that socket: unheard, the error would end the process.
  connection.stream?.on("error", () => {});
  if (connection.status === "ready") {
    try {
      await connection.quit();
      return;
    } catch {
      // Fall through to a hard disconnect.
    }
  }
  connection.disconnect();
}
