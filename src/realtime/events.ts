import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { withWorkspace } from "../db/with-workspace.ts";
import type { Logger } from "../log/logger.ts";
import type { Services } from "../services.ts";

// Domain events for dashboard clients (DESIGN §2, realtime). They carry identifiers and states only,
// never personal data or message content: they cross Redis, and a client that receives one reads the
// content through the API, where permissions and RLS apply again. Each conversation event names the
// conversation's assignee so that the hub can filter per recipient (Agents only get their own
// conversations); a broadcast event goes only to those who manage broadcasts.

export type RealtimeEventType =
  "message.created" | "message.status" | "conversation.updated" | "presence" | "note.created" | "message.updated" | "broadcast.progress";

/** A broadcast's recipients by state (counts only, never who). */
export type BroadcastProgressCounts = {
  total: number;
  pending: number;
  sending: number;
  accepted: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: number;
};

export type RealtimeEventData = {
  "message.created": { conversationId: string; messageId: string; direction: "in" | "out" };
  "message.status": { conversationId: string; messageId: string; status: string };
  "conversation.updated": {
    conversationId: string;
    status?: "open" | "closed";
    assignedUserId?: string | null;
    change: "created" | "activity" | "assigned" | "closed" | "reopened";
  };
  /** Who is viewing or typing in a conversation (./presence in features/conversations); `expiresAt` (ISO) is when that state lapses, null once left. */
  presence: { conversationId: string; userId: string; state: "viewing" | "typing" | "left"; expiresAt: string | null };
  /** An internal note was added (src/features/notes); its text is read through the API. */
  "note.created": { conversationId: string; noteId: string };
  /** Something about a message other than its delivery status changed: its media was stored, refused or failed, or (a reaction) it was removed. */
  "message.updated": { conversationId: string; messageId: string; change: "media" | "removed" };
  /** A broadcast's state or counts changed (src/features/broadcasts/runner.ts, throttled there); the screen reloads it through the API. */
  "broadcast.progress": {
    broadcastId: string;
    state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
    pauseReason: string | null;
    counts: BroadcastProgressCounts;
  };
};

/** The conversation an event is about; broadcast events are about none. */
function conversationOf(event: PendingEvent): string | null {
  return "conversationId" in event.data ? event.data.conversationId : null;
}

/** What code inside a transaction notes; the assignee is looked up after commit. */
export type PendingEvent = { [T in RealtimeEventType]: { type: T; data: RealtimeEventData[T] } }[RealtimeEventType];

export type RealtimeEvent = PendingEvent & {
  /** `<ms since epoch, 13 digits>-<random>`: unique, roughly ordered across instances. */
  id: string;
  workspaceId: string;
  /** Who may see it besides those who read every conversation: the assignee now, and the one before. */
  audience: { assignedUserId: string | null; previousAssignedUserId: string | null };
  at: number;
};

export function realtimeChannel(workspaceId: string): string {
  return `parley:realtime:${workspaceId}`;
}

export function newEventId(now = Date.now()): string {
  return `${String(now).padStart(13, "0")}-${randomBytes(6).toString("hex")}`;
}

export function eventTime(id: string): number {
  return Number(id.slice(0, 13));
}

type Collector = { events: PendingEvent[]; previousAssignees: Map<string, string | null> };
const pending = new AsyncLocalStorage<Collector>();

/**
 * Runs `fn` (which commits a transaction) and publishes the events noted inside it once it has
 * resolved, that is after the commit: a rolled-back transaction publishes nothing. Publication
 * failures are logged, never thrown: the effects are committed and clients resync from the API.
 */
export async function withRealtime<T>(services: Services, workspaceId: string, fn: () => Promise<T>): Promise<T> {
  const collector: Collector = { events: [], previousAssignees: new Map() };
  const result = await pending.run(collector, fn);
  if (collector.events.length > 0) {
    await publishRealtimeEvents(services, workspaceId, collector.events, collector.previousAssignees).catch((error: unknown) =>
      services.logger.warn({ err: error, component: "realtime", workspaceId }, "could not publish realtime events"),
    );
  }
  return result;
}

/**
 * Runs `fn` with the events it notes discarded on purpose: for rows written where no dashboard is
 * told (seeded data). Saying so is what separates it from an event lost by mistake.
 */
export function withoutRealtime<T>(fn: () => Promise<T>): Promise<T> {
  return pending.run({ events: [], previousAssignees: new Map() }, fn);
}

/**
 * What becomes of an event noted outside withRealtime: it has no commit to follow, so it would never
 * be published. That is a caller's bug, so outside production it throws (the write rolls back and the
 * test or developer sees it); in production a dashboard missing one notification must not fail a
 * committed write, so it logs a warning naming the event type and the call site, never its data.
 */
export type LostEventPolicy = { kind: "throw" } | { kind: "warn"; logger: Logger };

let lostEventPolicy: LostEventPolicy = { kind: "throw" };

/** Chosen once by the composition root (startParley); until then an event noted outside withRealtime throws. */
export function setLostRealtimeEventPolicy(policy: LostEventPolicy): void {
  lostEventPolicy = policy;
}

export class RealtimeEventLostError extends Error {
  constructor(readonly eventType: RealtimeEventType) {
    super(
      `realtime event ${eventType} was noted outside withRealtime and would never be published; wrap the transaction that notes it in withRealtime`,
    );
    this.name = "RealtimeEventLostError";
  }
}

/** Notes an event for publication after the surrounding withRealtime commits; outside one, see LostEventPolicy. */
export function noteRealtimeEvent(event: PendingEvent, options: { previousAssignedUserId?: string | null } = {}): void {
  const collector = pending.getStore();
  if (!collector) {
    const lost = new RealtimeEventLostError(event.type);
    if (lostEventPolicy.kind === "throw") throw lost;
    lostEventPolicy.logger.warn(
      { component: "realtime", eventType: event.type, stack: lost.stack },
      "realtime event noted outside withRealtime was not published",
    );
    return;
  }
  collector.events.push(event);
  const conversationId = conversationOf(event);
  if (options.previousAssignedUserId !== undefined && conversationId && !collector.previousAssignees.has(conversationId)) {
    collector.previousAssignees.set(conversationId, options.previousAssignedUserId);
  }
}

/**
 * Publishes events through the coordination pub/sub (Redis across instances). The audience is read
 * from the database now, after the commit, so it is the committed assignee.
 */
export async function publishRealtimeEvents(
  services: Services,
  workspaceId: string,
  events: readonly PendingEvent[],
  previousAssignees: ReadonlyMap<string, string | null> = new Map(),
): Promise<RealtimeEvent[]> {
  if (events.length === 0) return [];
  const conversationIds = [...new Set(events.map(conversationOf).filter((id) => id !== null))];
  const rows =
    conversationIds.length === 0
      ? []
      : await withWorkspace(services.db, { workspaceId }, (trx) =>
          trx
            .selectFrom("conversations")
            .select(["id", "assigned_user_id"])
            .where("workspace_id", "=", workspaceId)
            .where("id", "in", conversationIds)
            .execute(),
        );
  const assignees = new Map(rows.map((row) => [row.id, row.assigned_user_id]));
  const published: RealtimeEvent[] = [];
  for (const event of events) {
    const conversationId = conversationOf(event);
    const full = {
      ...event,
      id: newEventId(),
      workspaceId,
      audience: {
        assignedUserId: (conversationId && assignees.get(conversationId)) ?? null,
        previousAssignedUserId: (conversationId && previousAssignees.get(conversationId)) ?? null,
      },
      at: Date.now(),
    };
    await services.coordination.pubsub.publish(realtimeChannel(workspaceId), JSON.stringify(full));
    published.push(full);
  }
  return published;
}
