// The webhook receiver's cache of endpoints (webhook key → workspace, number and app secret). A
// read-through cache with a time-to-live, plus two things a plain TTL cache lacks on a path that
// takes thousands of deliveries a second:
//  - single flight: callers that miss the same key share one load. Without it, every delivery
//    arriving while an expired key is being looked up started a lookup of its own (two transactions
//    each): hundreds at once, queued on the connection pool ahead of the commits, and a stall of a
//    few hundred milliseconds for all deliveries, every time-to-live (bench/webhook-ingest.bench.ts);
//  - refresh ahead: a hit past `refreshAfterMs` still answers from memory at once and starts one
//    reload in the background, so under steady traffic no delivery ever waits for a lookup. An entry
//    is never served more than `ttlMs` after it was loaded, so a change made on another instance
//    is seen within that time.
// A failed load rejects the callers waiting for it and is not cached; a failed background reload
// leaves the entry as it was until it expires. `clear()` also detaches loads in flight: what they
// return is not stored, so a change made just before (a number disconnected, a secret replaced)
// is never overwritten by a lookup that read the old state. Entries live in the project's bounded
// LRU with a time-to-live (src/crypto/key-cache.ts), as unwrapped keys do: the values hold secrets.

import { createKeyCache } from "../../crypto/key-cache.ts";

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
  const entries = createKeyCache<{ value: V; refreshAt: number }>({ maxEntries, ttlMs, now });
  const loading = new Map<string, Promise<V>>();
  let generation = 0;

  function start(key: string): Promise<V> {
    const startedIn = generation;
    const refreshAt = now() + refreshAfterMs;
    const promise = load(key)
      .then((value) => {
        if (startedIn === generation) entries.set(key, { value, refreshAt });
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
      if (entry) {
        if (entry.refreshAt <= now() && !loading.has(key)) start(key).catch(() => undefined);
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
