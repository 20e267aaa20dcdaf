import { EventEmitter } from "node:events";
import type { Coordination, MultiWindowDecision, RateLimitDecision, RateLimitRule } from "./types.ts";
import { assertRules, countWindows, decideWindows } from "./windows.ts";

/**
 * In-process coordination for a single instance: a sliding-window-log rate limiter, an
 * EventEmitter pub/sub and a map of expiring values. `now` is injectable so window arithmetic is testable without waiting.
 */
export function createMemoryCoordination(options: { now?: () => number } = {}): Coordination {
  const now = options.now ?? Date.now;
  const hits = new Map<string, number[]>();
  const groups = new Map<string, Map<string, { value: string; expiresAt: number }>>();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let sweepAt = now() + 60_000;

  function sweep(current: number): void {
    if (current < sweepAt) return;
    sweepAt = current + 60_000;
    for (const [key, times] of hits) {
      if (times.length === 0 || times[times.length - 1]! < current - 3_600_000) hits.delete(key);
    }
    for (const group of groups.keys()) liveMembers(group, current);
  }

  /** The group's unexpired members, dropping the expired ones (and the group once empty). */
  function liveMembers(group: string, current: number): Map<string, { value: string; expiresAt: number }> | undefined {
    const members = groups.get(group);
    if (!members) return undefined;
    for (const [member, entry] of members) if (entry.expiresAt <= current) members.delete(member);
    if (members.size === 0) {
      groups.delete(group);
      return undefined;
    }
    return members;
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
      async hitWindows(key: string, rules: readonly RateLimitRule[]): Promise<MultiWindowDecision> {
        assertRules(rules);
        const current = now();
        sweep(current);
        const longest = Math.max(...rules.map((rule) => rule.windowMs));
        const times = (hits.get(key) ?? []).filter((time) => time > current - longest);
        const decision = decideWindows(rules, countWindows(times, rules, current), current);
        if (decision.allowed) times.push(current);
        hits.set(key, times);
        return decision;
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
    ephemeral: {
      async put(group: string, member: string, value: string, ttlMs: number): Promise<void> {
        assertTtl(ttlMs);
        const current = now();
        sweep(current);
        let members = liveMembers(group, current);
        if (!members) {
          members = new Map();
          groups.set(group, members);
        }
        members.set(member, { value, expiresAt: current + ttlMs });
      },
      async remove(group: string, member: string): Promise<boolean> {
        return liveMembers(group, now())?.delete(member) ?? false;
      },
      async get(group: string, member: string): Promise<string | undefined> {
        return liveMembers(group, now())?.get(member)?.value;
      },
      async list(group: string): Promise<Map<string, string>> {
        const members = liveMembers(group, now());
        return new Map([...(members ?? [])].map(([member, entry]) => [member, entry.value]));
      },
    },
    ping: async () => {},
    close: async () => {
      emitter.removeAllListeners();
      hits.clear();
      groups.clear();
    },
  };
}

function assertTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new RangeError("ttlMs must be a positive integer");
}
