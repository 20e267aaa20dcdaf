// A bounded LRU with a time-to-live for unwrapped keys. Bounded so a process serving many
// workspaces does not hold every key it ever touched; time-limited so a shredded or rotated key
// leaves memory soon even on other instances. Values are never logged or enumerated.

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
  // Map iteration order is insertion order: re-inserting on read makes the first entry the least recent.
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value) {
      if (options.maxEntries === 0) return;
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + options.ttlMs });
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    deletePrefix(prefix) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
