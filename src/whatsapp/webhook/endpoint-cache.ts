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
// is never overwritten by a lookup that read the old state. lru-cache does the bounding, the single
// flight (`fetch`), the stale-while-reloading answer and the detaching; the two ages are checked
// here, on the injected clock, because lru-cache's own `ttl` cannot say "refresh after" apart from
// "never serve after". The values hold secrets: never logged or enumerated.

import { LRUCache } from "lru-cache";

export type EndpointCacheOptions = { ttlMs: number; refreshAfterMs: number; maxEntries: number; now?: () => number };

export type EndpointCache<V> = {
  get(key: string): Promise<V>;
  clear(): void;
};

type Entry<V> = { value: V; loadedAt: number };

export function createEndpointCache<V>(load: (key: string) => Promise<V>, options: EndpointCacheOptions): EndpointCache<V> {
  const { ttlMs, refreshAfterMs, maxEntries } = options;
  if (!(refreshAfterMs > 0 && refreshAfterMs <= ttlMs)) throw new RangeError("refreshAfterMs must be in (0, ttlMs]");
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError("maxEntries must be a positive integer");
  const now = options.now ?? Date.now;
  const entries = new LRUCache<string, Entry<V>>({
    max: maxEntries,
    fetchMethod: async (key) => {
      const loadedAt = now();
      return { value: await load(key), loadedAt };
    },
    // A failed reload keeps the entry it would have replaced; callers that waited for it get the error.
    noDeleteOnFetchRejection: true,
    // clear() aborts loads in flight: their callers still get the value, the cache does not keep it.
    ignoreFetchAbort: true,
  });

  function fetch(key: string, fetchOptions: LRUCache.FetchOptions<string, Entry<V>, unknown>): Promise<V> {
    return entries.fetch(key, fetchOptions).then((entry) => {
      if (entry === undefined) throw new Error("endpoint load returned nothing");
      return entry.value;
    });
  }

  return {
    get(key) {
      const entry = entries.get(key);
      if (entry) {
        const age = now() - entry.loadedAt;
        if (age < refreshAfterMs) return Promise.resolve(entry.value);
        // Past refreshAfterMs: answer from memory while one reload runs; past ttlMs: wait for it.
        if (age < ttlMs) return fetch(key, { forceRefresh: true, allowStale: true });
        return fetch(key, { forceRefresh: true, allowStale: false });
      }
      return fetch(key, {});
    },
    clear() {
      entries.clear();
    },
  };
}
