// The endpoint cache as it was written by hand before lru-cache (a Map-based LRU with a TTL, single
// flight and refresh ahead), kept only as the same-run baseline of bench/endpoint-cache.bench.ts.

type Entry<V> = { value: V; expiresAt: number };

function createMapLru<V>(maxEntries: number, ttlMs: number, now: () => number) {
  const entries = new Map<string, Entry<V>>();
  return {
    get(key: string): V | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key: string, value: V): void {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    clear(): void {
      entries.clear();
    },
  };
}

export function createHandWrittenEndpointCache<V>(
  load: (key: string) => Promise<V>,
  options: { ttlMs: number; refreshAfterMs: number; maxEntries: number; now?: () => number },
) {
  const { ttlMs, refreshAfterMs, maxEntries } = options;
  const now = options.now ?? Date.now;
  const entries = createMapLru<{ value: V; refreshAt: number }>(maxEntries, ttlMs, now);
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
    get(key: string): Promise<V> {
      const entry = entries.get(key);
      if (entry) {
        if (entry.refreshAt <= now() && !loading.has(key)) start(key).catch(() => undefined);
        return Promise.resolve(entry.value);
      }
      return loading.get(key) ?? start(key);
    },
    clear(): void {
      generation += 1;
      entries.clear();
      loading.clear();
    },
  };
}
