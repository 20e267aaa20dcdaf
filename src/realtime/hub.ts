import type { Unsubscribe } from "../coordination/types.ts";
import type { Services } from "../services.ts";
import { eventTime, realtimeChannel, type RealtimeEvent } from "./events.ts";

// The per-process fan-out point. Each instance subscribes once per workspace that has (or had) a
// connected client, keeps a bounded buffer of recent events for resumption, and hands each event to
// the local clients allowed to see it. Redis (or the in-process pub/sub) brings every instance the
// events published anywhere.

/** Events kept per workspace for Last-Event-ID resumption, and for how long. */
export const BUFFER_LIMIT = 1_000;
export const BUFFER_MAX_AGE_MS = 10 * 60_000;
/**
 * Events from several instances can reach two instances in different orders; a client resuming on
 * another instance also gets buffered events this much older than its last id (it drops the ids it
 * has already seen), so an event reordered around that id is not lost.
 */
export const REORDER_MARGIN_MS = 5_000;

export type RealtimeRecipient = {
  userId: string;
  readsAll: boolean;
  /** Holds broadcasts.manage: gets broadcast.progress (absent: does not). */
  managesBroadcasts?: boolean;
};

export type RealtimeListener = {
  recipient: RealtimeRecipient;
  deliver(event: RealtimeEvent): void;
  /** Ends the client's stream (server shutdown). */
  end?(): void;
};

/** What a (re)connecting client gets first: the missed events, or `resync` when they cannot be known. */
export type Resumption = { kind: "events"; events: RealtimeEvent[] } | { kind: "resync" };

type WorkspaceFeed = {
  ready: Promise<void>;
  unsubscribe: Unsubscribe | null;
  buffer: RealtimeEvent[];
  /** Every event published since then is in the buffer (subscription time, raised on eviction). */
  coveredFrom: number;
  listeners: Set<RealtimeListener>;
};

export type RealtimeHub = {
  /** Registers a listener and answers what it missed since `lastEventId` (nothing when absent). */
  attach(workspaceId: string, listener: RealtimeListener, lastEventId: string | null): Promise<Resumption>;
  detach(workspaceId: string, listener: RealtimeListener): void;
  /** Ends every stream and drops the subscriptions (server shutdown: open streams would hold it up). */
  close(): Promise<void>;
};

/** Whether a recipient may receive an event: every event for those who read all conversations, else only their own conversations'. */
export function isVisibleTo(recipient: RealtimeRecipient, event: RealtimeEvent): boolean {
  // One's own presence is no news to oneself.
  if (event.type === "presence" && event.data.userId === recipient.userId) return false;
  // Broadcasts are no conversation's: only those who manage them hear of them, whatever they read.
  if (event.type === "broadcast.progress") return recipient.managesBroadcasts === true;
  if (recipient.readsAll) return true;
  if (event.audience.assignedUserId === recipient.userId) return true;
  // A conversation taken away from an Agent: they learn that it left their list, nothing more.
  return event.type === "conversation.updated" && event.audience.previousAssignedUserId === recipient.userId;
}

const hubs = new WeakMap<Services, RealtimeHub>();

export function realtimeHub(services: Services): RealtimeHub {
  let hub = hubs.get(services);
  if (!hub) {
    hub = createRealtimeHub(services);
    hubs.set(services, hub);
  }
  return hub;
}

export function createRealtimeHub(services: Services, options: { now?: () => number } = {}): RealtimeHub {
  const now = options.now ?? Date.now;
  const feeds = new Map<string, WorkspaceFeed>();

  const receive = (feed: WorkspaceFeed, message: string): void => {
    let event: RealtimeEvent;
    try {
      event = JSON.parse(message) as RealtimeEvent;
    } catch {
      return;
    }
    if (typeof event?.id !== "string" || feed.buffer.some((known) => known.id === event.id)) return;
    feed.buffer.push(event);
    const oldest = now() - BUFFER_MAX_AGE_MS;
    while (feed.buffer.length > BUFFER_LIMIT || (feed.buffer.length > 0 && feed.buffer[0]!.at < oldest)) {
      const evicted = feed.buffer.shift()!;
      feed.coveredFrom = Math.max(feed.coveredFrom, evicted.at + 1);
    }
    for (const listener of feed.listeners) {
      if (isVisibleTo(listener.recipient, event)) listener.deliver(event);
    }
  };

  const feedFor = (workspaceId: string): WorkspaceFeed => {
    let feed = feeds.get(workspaceId);
    if (feed) return feed;
    const created: WorkspaceFeed = {
      ready: Promise.resolve(),
      unsubscribe: null,
      buffer: [],
      coveredFrom: Number.POSITIVE_INFINITY,
      listeners: new Set(),
    };
    // The subscription stays for the life of the process (bounded by the number of workspaces), so
    // the buffer keeps covering a workspace between a client's disconnect and its reconnect.
    created.ready = services.coordination.pubsub
      .subscribe(realtimeChannel(workspaceId), (message) => receive(created, message))
      .then((unsubscribe) => {
        created.unsubscribe = unsubscribe;
        created.coveredFrom = now();
      })
      .catch((error: unknown) => {
        feeds.delete(workspaceId);
        throw error;
      });
    feeds.set(workspaceId, created);
    feed = created;
    return feed;
  };

  return {
    async attach(workspaceId, listener, lastEventId) {
      const feed = feedFor(workspaceId);
      await feed.ready;
      feed.listeners.add(listener);
      if (lastEventId === null) return { kind: "events", events: [] };
      const since = eventTime(lastEventId);
      // The last id predates what this instance has seen: the missed events cannot be listed.
      if (!Number.isFinite(since) || since < feed.coveredFrom) return { kind: "resync" };
      const events = feed.buffer.filter(
        (event) => event.id !== lastEventId && event.at >= since - REORDER_MARGIN_MS && isVisibleTo(listener.recipient, event),
      );
      return { kind: "events", events };
    },
    detach(workspaceId, listener) {
      feeds.get(workspaceId)?.listeners.delete(listener);
    },
    async close() {
      const all = [...feeds.values()];
      feeds.clear();
      for (const feed of all) for (const listener of [...feed.listeners]) listener.end?.();
      await Promise.all(all.map(async (feed) => feed.unsubscribe?.().catch(() => undefined)));
    },
  };
}
