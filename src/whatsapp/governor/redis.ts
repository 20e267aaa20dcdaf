import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { redisTlsOptions } from "../../coordination/redis.ts";
import { CoordinationUnavailableError } from "../../coordination/types.ts";
import type { Logger } from "../../log/logger.ts";
import type { ConnectionTls } from "../../transport-security.ts";
import {
  assertPolicy,
  DEFAULT_GOVERNOR_POLICY,
  maxWaitOf,
  numberParameters,
  pairParameters,
  type Governor,
  type GovernorPolicy,
} from "./types.ts";

// The governor shared by every instance: both GCRA buckets live in Redis and one Lua script takes
// from both atomically, on Redis's own clock (instances with skewed clocks share one schedule).
// When Redis cannot answer, every call throws CoordinationUnavailableError at once: the sender
// does not send (fail closed) and retries later. Keys hold Meta ids and Parley contact ids only.

const PREFIX = "parley:gov:";

const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local ni = tonumber(ARGV[1])
local nt = tonumber(ARGV[2])
local pi = tonumber(ARGV[3])
local pt = tonumber(ARGV[4])
local maxwait = tonumber(ARGV[5])
local ptat = tonumber(redis.call('GET', KEYS[2]) or now)
if ptat < now then ptat = now end
local pwait = ptat - pt - now
if pwait > 0 then return {0, string.format('%.3f', pwait), 'pair'} end
local ntat = tonumber(redis.call('GET', KEYS[1]) or now)
if ntat < now then ntat = now end
local nwait = ntat - nt - now
if nwait < 0 then nwait = 0 end
if nwait > maxwait then return {0, string.format('%.3f', nwait), 'number'} end
ntat = ntat + ni
ptat = ptat + pi
redis.call('SET', KEYS[1], string.format('%.3f', ntat), 'PX', math.ceil(ntat - now + nt) + 1000)
redis.call('SET', KEYS[2], string.format('%.3f', ptat), 'PX', math.ceil(ptat - now) + 1000)
return {1, string.format('%.3f', nwait), ''}
`;

const HOLD_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local blocked = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or 0)
if current > blocked then blocked = current end
redis.call('SET', KEYS[1], string.format('%.3f', blocked), 'PX', math.ceil(blocked - now) + 1000)
return 1
`;

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const TAKE_SHA = sha1(TAKE_SCRIPT);
const HOLD_SHA = sha1(HOLD_SCRIPT);

export type RedisGovernorOptions = {
  logger: Logger;
  policy?: GovernorPolicy;
  /** Upper bound on one command (default 500 ms). */
  commandTimeoutMs?: number;
  /** TLS for a rediss:// URL, as the coordination store connects (src/transport-security.ts). */
  tls?: ConnectionTls | undefined;
};

export function createRedisGovernor(url: string, options: RedisGovernorOptions): Governor {
  const policy = options.policy ?? DEFAULT_GOVERNOR_POLICY;
  assertPolicy(policy);
  const pair = pairParameters(policy);
  const commandTimeoutMs = options.commandTimeoutMs ?? 500;
  const logger = options.logger.child({ component: "governor", store: "redis" });
  const client = new Redis(url, {
    // Fail fast: a command issued while disconnected is refused, not parked until Redis returns.
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(commandTimeoutMs * 4, 2_000),
    connectionName: "parley-governor",
    lazyConnect: false,
    ...redisTlsOptions(options.tls),
  });
  let lastState = "";
  client.on("error", (error: Error) => {
    // The URL may hold a password; the error message may quote it. Log the kind only.
    if (lastState !== "error") logger.warn({ errName: error.name }, "governor store unreachable; sends wait (fail closed)");
    lastState = "error";
  });
  client.on("ready", () => {
    if (lastState === "error") logger.info("governor store reachable again");
    lastState = "ready";
  });
  let isClosed = false;

  async function ready(): Promise<void> {
    if (isClosed) throw new CoordinationUnavailableError(new Error("governor closed"));
    if (client.status === "ready") return;
    if (client.status !== "wait" && client.status !== "connecting" && client.status !== "connect") {
      throw new CoordinationUnavailableError(new Error(`redis connection is ${client.status}`));
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error("redis connection not ready in time")), commandTimeoutMs);
      function done(error?: Error): void {
        clearTimeout(timer);
        client.off("ready", onReady);
        client.off("error", onError);
        if (error) reject(new CoordinationUnavailableError(error));
        else resolve();
      }
      function onReady(): void {
        done();
      }
      function onError(error: Error): void {
        done(error);
      }
      client.once("ready", onReady);
      client.once("error", onError);
    });
  }

  async function evaluate(script: string, sha: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    await ready();
    try {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
        return await client.eval(script, keys.length, ...keys, ...args);
      }
    } catch (error) {
      throw new CoordinationUnavailableError(error);
    }
  }

  // One hash tag per number: both keys of a take live in the same cluster slot.
  const numberKeyOf = (numberKey: string) => `${PREFIX}{${numberKey}}:n`;
  const pairKeyOf = (numberKey: string, recipientKey: string) => `${PREFIX}{${numberKey}}:p:${recipientKey}`;

  return {
    kind: "redis",
    async take(request) {
      const number = numberParameters(policy, request.tier);
      const result = (await evaluate(
        TAKE_SCRIPT,
        TAKE_SHA,
        [numberKeyOf(request.numberKey), pairKeyOf(request.numberKey, request.recipientKey)],
        [number.intervalMs, number.toleranceMs, pair.intervalMs, pair.toleranceMs, maxWaitOf(request)],
      )) as [number, string, string];
      if (result[0] === 1) return { granted: true, waitMs: Number(result[1]) };
      return {
        granted: false,
        retryAfterMs: Math.max(1, Math.ceil(Number(result[1]))),
        limitedBy: result[2] === "pair" ? "pair" : "number",
      };
    },
    async holdPair(request, delayMs) {
      await evaluate(HOLD_SCRIPT, HOLD_SHA, [pairKeyOf(request.numberKey, request.recipientKey)], [Math.max(0, delayMs), pair.toleranceMs]);
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      // A TLS socket closed mid-handshake draws the server's alert after ioredis stopped listening.
      client.stream?.on("error", () => {});
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
