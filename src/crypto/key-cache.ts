import { LRUCache } from "lru-cache";

// A bounded LRU with a time-to-live for unwrapped keys. Bounded so a process serving many
// workspaces does not hold every key it ever touched; time-limited so a shredded or rotated key
// leaves memory soon even on other instances. Values are never logged or enumerated.
// Expiry is checked here rather than by lru-cache's `ttl`, which keeps an entry through its last
// millisecond and reads a clock at 0 as "no start time": a key must be gone at its expiry instant
// on any clock, including the tests' hand-set one.

export type KeyCacheOptions = { maxEntries: number; ttlMs: number; now?: () => number };

export type KeyCache<V> = {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  /** Drops every entry whose key starts with `prefix`. */
  deletePrefix(prefix: string): void;
  clear(): void;
  readonly size: number;
};

export function createKeyCache<V>(options: KeyCacheOptions): KeyCache<V> {
  if (!Number.isInteger(options.maxEntries) || options.maxEntries < 0) throw new Error("maxEntries must be a non-negative integer");
  const now = options.now ?? Date.now;
  // lru-cache needs a positive bound; a cache of size 0 simply never stores.
  const entries = options.maxEntries > 0 ? new LRUCache<string, { value: V; expiresAt: number }>({ max: options.maxEntries }) : undefined;
  return {
    get(key) {
      const entry = entries?.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries!.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value) {
      entries?.set(key, { value, expiresAt: now() + options.ttlMs });
    },
    delete(key) {
      entries?.delete(key);
    },
    deletePrefix(prefix) {
      if (!entries) return;
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    clear() {
      entries?.clear();
    },
    get size() {
      return entries?.size ?? 0;
    },
  };
}
