import type { PubSub } from "../../coordination/types.ts";

// "This send has Meta's answer": the send worker says so once the answer is committed, so that a
// caller waiting for it synchronously (the Graph-compatible proxy answers with the wamid, as Graph
// does) reads it at once instead of at its next poll. Only a latency gain: the waiter polls anyway,
// and a lost announcement costs one poll interval. Messages are message ids (never content),
// comma-separated, one announcement per committed batch.

export const SENDS_SETTLED_CHANNEL = "parley:sends:settled";

export function announceSendsSettled(pubsub: PubSub, messageIds: readonly string[]): void {
  if (messageIds.length === 0) return;
  pubsub.publish(SENDS_SETTLED_CHANNEL, messageIds.join(",")).catch(() => undefined);
}

type Waiters = Map<string, Set<() => void>>;

/** One subscription per process (per PubSub), shared by every waiter; made on first use. */
const subscriptions = new WeakMap<PubSub, { waiters: Waiters; ready: Promise<unknown> }>();

function waitersOf(pubsub: PubSub): Waiters {
  let entry = subscriptions.get(pubsub);
  if (!entry) {
    const waiters: Waiters = new Map();
    const ready = pubsub
      .subscribe(SENDS_SETTLED_CHANNEL, (message) => {
        for (const messageId of message.split(",")) {
          const wake = waiters.get(messageId);
          if (!wake) continue;
          waiters.delete(messageId);
          for (const resolve of wake) resolve();
        }
      })
      .catch(() => {
        // Without the channel, waiters fall back to their polls; try again on a later use.
        subscriptions.delete(pubsub);
      });
    entry = { waiters, ready };
    subscriptions.set(pubsub, entry);
  }
  return entry.waiters;
}

/** Resolves when `messageId` is announced as settled, or after `ms`, whichever comes first. */
export function settledOrAfter(pubsub: PubSub, messageId: string, ms: number): Promise<void> {
  const waiters = waitersOf(pubsub);
  return new Promise((resolve) => {
    let set = waiters.get(messageId);
    if (!set) {
      set = new Set();
      waiters.set(messageId, set);
    }
    const waiter = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      const current = waiters.get(messageId);
      current?.delete(waiter);
      if (current?.size === 0) waiters.delete(messageId);
      resolve();
    }, ms);
    set.add(waiter);
  });
}

/** Subscribes ahead of the first wait, so that the first announcement is not missed. */
export function listenForSettledSends(pubsub: PubSub): Promise<unknown> {
  waitersOf(pubsub);
  return subscriptions.get(pubsub)?.ready ?? Promise.resolve();
}
