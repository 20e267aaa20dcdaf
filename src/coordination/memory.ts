import { EventEmitter } from "node:events";
import type { Coordination, RateLimitDecision, RateLimitRule } from "./types.ts";

/**
 * In-process coordination for a single instance: a sliding-window-log rate limiter and an
 * EventEmitter pub/sub. `now` is injectable so window arithmetic is testable without waiting.
 */
export function createMemoryCoordination(options: { now?: () => number } = {}): Coordination {
  const now = options.now ?? Date.now;
  const hits = new Map<string, number[]>();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let sweepAt = now() + 60_000;

  function sweep(current: number): void {
    if (current < sweepAt) return;
    sweepAt = current + 60_000;
    for (const [key, times] of hits) {
      if (times.length === 0 || times[times.length - 1]! < current - 3_600_000) hits.delete(key);
    }
  }

  return {
    kind: "memory",
    rateLimiter: {
      async hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
        const current = now();
        sweep(current);
        const windowStart = current - rule.windowMs;
        const times = (hits.get(key) ?? []).filter((time) => time > windowStart);
        if (times.length >= rule.limit) {
          hits.set(key, times);
          return { allowed: false, limit: rule.limit, remaining: 0, retryAfterMs: Math.max(1, times[0]! + rule.windowMs - current) };
        }
        times.push(current);
        hits.set(key, times);
        return { allowed: true, limit: rule.limit, remaining: rule.limit - times.length, retryAfterMs: 0 };
      },
      async reset(key: string): Promise<void> {
        hits.delete(key);
      },
    },
    pubsub: {
      async publish(channel: string, message: string): Promise<void> {
        emitter.emit(channel, message);
      },
      async subscribe(channel: string, handler: (message: string) => void) {
        emitter.on(channel, handler);
        return async () => {
          emitter.off(channel, handler);
        };
      },
    },
    ping: async () => {},
    close: async () => {
      emitter.removeAllListeners();
      hits.clear();
    },
  };
}
