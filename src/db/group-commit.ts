// Group commit: callers that need the same kind of small write at about the same time share one
// transaction. The first caller of a key runs at once (no added latency when traffic is light);
// callers arriving while that key's batch is in flight wait for the next batch, which takes them
// all (up to `maxBatch`). Each caller's promise settles only after its own batch did, so "resolved"
// still means "committed" — and a failed batch fails exactly the callers in it.
//
// Why: on this workload the cost of a write is mostly round trips and commits (each a syscall and
// an fsync), not rows. Twenty rows in one statement cost about what one row costs.

export type GroupCommit<Item, Result> = {
  /** Queues `item` under `key`; resolves with its result once the batch holding it committed. */
  submit(key: string, item: Item): Promise<Result>;
};

type Pending<Item, Result> = { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void };

/**
 * `run(key, items)` does one batch's work (usually one transaction) and returns one result per
 * item, in order. Batches of different keys run concurrently; of one key, up to `parallel` at a
 * time (default 1) — more keeps a slow batch from holding up the next when `run` allows it (e.g.
 * disjoint rows locked in a fixed order). With `parallelFrom`, a further batch of a key starts
 * only while at least that many items wait: light traffic then keeps one batch at a time (fewer,
 * fuller transactions), and the extra batches join only when a slow one lets a queue build up.
 */
export function createGroupCommit<Item, Result>(
  run: (key: string, items: Item[]) => Promise<Result[]>,
  options: { maxBatch: number; parallel?: number; parallelFrom?: number },
): GroupCommit<Item, Result> {
  if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new RangeError("maxBatch must be a positive integer");
  const parallel = options.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel < 1) throw new RangeError("parallel must be a positive integer");
  const parallelFrom = options.parallelFrom ?? 1;
  if (!Number.isInteger(parallelFrom) || parallelFrom < 1) throw new RangeError("parallelFrom must be a positive integer");
  const queues = new Map<string, Pending<Item, Result>[]>();
  /** Flush loops running per key. */
  const flushing = new Map<string, number>();

  async function flush(key: string): Promise<void> {
    flushing.set(key, (flushing.get(key) ?? 0) + 1);
    try {
      for (;;) {
        const queue = queues.get(key);
        if (!queue || queue.length === 0) break;
        // An extra loop (another is running) stops once the queue is short again.
        if (queue.length < parallelFrom && (flushing.get(key) ?? 0) > 1) break;
        const batch = queue.splice(0, options.maxBatch);
        try {
          const results = await run(
            key,
            batch.map((pending) => pending.item),
          );
          if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
          batch.forEach((pending, index) => pending.resolve(results[index]!));
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      const loops = (flushing.get(key) ?? 1) - 1;
      if (loops === 0) {
        flushing.delete(key);
        if (queues.get(key)?.length === 0) queues.delete(key);
      } else {
        flushing.set(key, loops);
      }
    }
  }

  return {
    submit(key, item) {
      return new Promise<Result>((resolve, reject) => {
        const queue = queues.get(key);
        if (queue) queue.push({ item, resolve, reject });
        else queues.set(key, [{ item, resolve, reject }]);
        const loops = flushing.get(key) ?? 0;
        if (loops === 0 || (loops < parallel && queues.get(key)!.length >= parallelFrom)) void flush(key);
      });
    },
  };
}
