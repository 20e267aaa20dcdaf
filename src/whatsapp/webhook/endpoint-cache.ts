// The webhook receiver's cache of endpoints (webhook key → workspace, number and app secret). A
// read-through cache with a time-to-live, plus two things a plain TTL cache lacks on a path that
// takes thousands of deliveries a second:
//  - single flight: callers that miss the same key share one load. Without it, every delivery
//    arriving while an expired key is being looked up started a lookup of its own (two transactions
//    each): hundreds at once, queued on the connection pool ahead of the commits, and a stall of a
//    few hundred milliseconds for all deliveries, every time-to-live (bench/webhook-ingest.bench.ts);
//  - refresh ahead: a hit past `refreshAfterMs` still answers from memory at once and starts one
//    reload in the background, so under steady traffic no delivery ever waits for a lookup. An entry
//    is never served after `ttlMs`, so a change made on another instance is seen within that time.
// A failed load rejects the callers waiting for it and is not cached; a failed background reload
// leaves the entry as it was until it expires. `clear()` also detaches loads in flight: what they
// return is not stored, so a change made just before (a number disconnected, a secret replaced)
// is never overwritten by a lookup that read the old state.

export type EndpointCacheOptions = { ttlMs: number; refreshAfterMs: number; maxEntries: number; now?: () => number };

export type EndpointCache<V> = {
  get(key: string): Promise<V>;
  clear(): void;
};

export function createEndpointCache<V>(load: (key: string) => Promise<V>, options: EndpointCacheOptions): EndpointCache<V> {
  const { ttlMs, refreshAfterMs, maxEntries } = options;
  if (!(refreshAfterMs > 0 && refreshAfterMs <= ttlMs)) throw new RangeError("refreshAfterMs must be in (0, ttlMs]");
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError("maxEntries must be a positive integer");
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: V; refreshAt: number; expiresAt: number }>();
  const loading = new Map<string, Promise<V>>();
  let generation = 0;

  function start(key: string): Promise<V> {
    const startedIn = generation;
    const startedAt = now();
    const promise = load(key)
      .then((value) => {
        if (startedIn === generation) {
          // Oldest first (insertion order): a full cache forgets its oldest entry.
          entries.delete(key);
          if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
          entries.set(key, { value, refreshAt: startedAt + refreshAfterMs, expiresAt: startedAt + ttlMs });
        }
        return value;
      })
      .finally(() => {
        if (loading.get(key) === promise) loading.delete(key);
      });
    loading.set(key, promise);
    return promise;
  }

  return {
    get(key) {
      const entry = entries.get(key);
      const at = now();
      if (entry && entry.expiresAt > at) {
        if (entry.refreshAt <= at && !loading.has(key)) start(key).catch(() => undefined);
        return Promise.resolve(entry.value);
      }
      return loading.get(key) ?? start(key);
    },
    clear() {
      generation += 1;
      entries.clear();
      loading.clear();
    },
  };
}
