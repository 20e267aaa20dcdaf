import { api, describeError } from "./api.ts";

// The live feed: a ticket from the API (authenticated), then an EventSource on the same origin.
// When the stream breaks, a new ticket is fetched and the stream reopened with the last event id,
// so the server replays what was missed (or says `resync`, and the screen reloads its data). A
// stream opened with no event id yet also has the screen reload, for what came before it was open.

export type LiveEvent = { id: string; type: string; data: Record<string, unknown> };

/** Who is viewing or typing in a conversation (ids only; the screen names members from the member list). */
export type PresenceEvent = { conversationId: string; userId: string; state: "viewing" | "typing" | "left"; expiresAt: string | null };

// Presence events change nothing the screens load from the API, so they go to their own listeners
// (./presence.tsx) instead of the feed's `onEvent`, which reloads data.
const presenceListeners = new Set<(event: PresenceEvent) => void>();

export function onPresence(listener: (event: PresenceEvent) => void): () => void {
  presenceListeners.add(listener);
  return () => void presenceListeners.delete(listener);
}

// A broadcast's progress (ids and counts) concerns only the Broadcasts screens: its own listeners too.
const broadcastListeners = new Set<(broadcastId: string) => void>();

export function onBroadcastProgress(listener: (broadcastId: string) => void): () => void {
  broadcastListeners.add(listener);
  return () => void broadcastListeners.delete(listener);
}

const EVENT_TYPES = [
  "message.created",
  "message.status",
  "message.updated",
  "conversation.updated",
  "presence",
  "note.created",
  "broadcast.progress",
] as const;

export function openLiveFeed(
  workspaceId: string,
  handlers: { onEvent(event: LiveEvent): void; onResync(): void; onStatus(connected: boolean, problem?: string): void },
): () => void {
  let source: EventSource | null = null;
  let lastEventId: string | null = null;
  let stopped = false;
  let retryTimer: number | undefined;
  let attempt = 0;
  const seen = new Set<string>();

  const connect = async (): Promise<void> => {
    if (stopped) return;
    try {
      const { ticket } = await api("POST", "/api/v1/workspaces/{workspaceId}/events/tickets", { path: { workspaceId } });
      if (stopped) return;
      const query = new URLSearchParams({ ticket, ...(lastEventId ? { lastEventId } : {}) });
      source = new EventSource(`/api/v1/workspaces/${workspaceId}/events?${query.toString()}`);
      // A stream opened without a last event id replays nothing: whatever happened between the
      // screen's load (or the break) and this moment is read again, so nothing is missed.
      const resumed = lastEventId !== null;
      source.addEventListener("ready", () => {
        attempt = 0;
        handlers.onStatus(true);
        if (!resumed) handlers.onResync();
      });
      source.addEventListener("resync", () => handlers.onResync());
      for (const type of EVENT_TYPES) {
        source.addEventListener(type, (message: MessageEvent<string>) => {
          const event = JSON.parse(message.data) as LiveEvent;
          lastEventId = event.id;
          // A resumed stream may repeat an event it already sent: each is handled once.
          if (seen.has(event.id)) return;
          seen.add(event.id);
          if (seen.size > 1_000) seen.delete(seen.values().next().value!);
          if (event.type === "presence") for (const listener of presenceListeners) listener(event.data as PresenceEvent);
          else if (event.type === "broadcast.progress") for (const listener of broadcastListeners) listener(String(event.data.broadcastId));
          else handlers.onEvent(event);
        });
      }
      source.onerror = () => {
        // Tickets are single-use: EventSource's own retry would present a used one. Start over.
        source?.close();
        source = null;
        handlers.onStatus(false);
        schedule();
      };
    } catch (error) {
      // A refused ticket is said in words while the feed keeps trying.
      handlers.onStatus(false, describeError(error));
      schedule();
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    attempt += 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
    retryTimer = window.setTimeout(() => void connect(), delay);
  };

  void connect();
  return () => {
    stopped = true;
    window.clearTimeout(retryTimer);
    source?.close();
  };
}
