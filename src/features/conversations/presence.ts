import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { findMemberRole } from "../../identity/authenticator.ts";
import { publishRealtimeEvents } from "../../realtime/events.ts";
import type { Services } from "../../services.ts";
import type { Caller } from "../../identity/caller.ts";
import { peekAssignee } from "./repository.ts";

// Presence in a conversation: who else has it open, and who is typing a reply, so two members do
// not answer the same customer at once. Presence is ephemeral and shared by every instance: it
// lives in the coordination store (Redis when configured) with a time to live, never in the
// database, and is announced as a `presence` realtime event carrying identifiers and states only.
// Only a member who may read the conversation may report or see its presence.

export const PRESENCE_STATES = ["viewing", "typing", "idle", "left"] as const;
export type ReportedState = (typeof PRESENCE_STATES)[number];
/** What others see: `idle` (stopped typing, pane still open) shows as viewing. */
export type ShownState = "viewing" | "typing";

/** A viewer who stops sending heartbeats (the dashboard sends one every 15 s) lapses after this. */
export const VIEWING_TTL_MS = 30_000;
/** Typing lapses after this unless renewed (the dashboard renews at most every 3 s while keys are pressed). */
export const TYPING_TTL_MS = 6_000;

export type PresenceEntry = { userId: string; state: ShownState; expiresAt: Date };

/** One member's presence as stored: when viewing and typing lapse, and what was last announced (to coalesce announcements). */
type Stored = { viewingUntil: number; typingUntil: number | null; announcedState: ShownState; announcedAt: number };

function groupOf(workspaceId: string, conversationId: string): string {
  return `presence:${workspaceId}:${conversationId}`;
}

function parse(value: string | undefined): Stored | undefined {
  if (value === undefined) return undefined;
  try {
    const stored = JSON.parse(value) as Stored;
    return typeof stored.viewingUntil === "number" ? stored : undefined;
  } catch {
    return undefined;
  }
}

function shown(stored: Stored, now: number): PresenceEntry["state"] {
  return stored.typingUntil !== null && stored.typingUntil > now ? "typing" : "viewing";
}

/**
 * The caller may read the conversation: the rule of the inbox service (./service.ts) — the query
 * runs as the caller, so the Agent row policy hides conversations assigned to others, and the API
 * checks the same rule itself. Without it, presence would reveal that a conversation exists and
 * who works on it. A light query: heartbeats come often.
 */
async function assertMayRead(services: Services, caller: Caller, conversationId: string): Promise<void> {
  const row = await withWorkspace(services.db, { workspaceId: caller.workspaceId, userId: caller.userId, role: caller.role }, (trx) =>
    peekAssignee(trx, caller.workspaceId, conversationId),
  );
  if (!row || (!caller.permissions.has("conversations.read_all") && row.assigned_user_id !== caller.userId)) {
    throw new AppError("NOT_FOUND", "The conversation does not exist.");
  }
}

async function announce(
  services: Services,
  caller: Caller,
  conversationId: string,
  state: ShownState | "left",
  expiresAt: number | null,
): Promise<void> {
  await publishRealtimeEvents(services, caller.workspaceId, [
    {
      type: "presence",
      data: { conversationId, userId: caller.userId, state, expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() },
    },
  ]).catch((error: unknown) =>
    // The state is stored; others see it at their next heartbeat.
    services.logger.warn({ err: error, component: "presence", workspaceId: caller.workspaceId }, "could not announce presence"),
  );
}

/** Everyone present but the caller, among current members only (a removed member's entry is ignored until it lapses). */
async function othersPresent(services: Services, caller: Caller, members: Map<string, string>, now: number): Promise<PresenceEntry[]> {
  const entries: PresenceEntry[] = [];
  for (const [userId, value] of members) {
    const stored = parse(value);
    if (userId === caller.userId || !stored || stored.viewingUntil <= now) continue;
    if (!(await findMemberRole(services, caller.workspaceId, userId))) continue;
    const state = shown(stored, now);
    entries.push({ userId, state, expiresAt: new Date(state === "typing" ? stored.typingUntil! : stored.viewingUntil) });
  }
  return entries.sort((a, b) => (a.userId < b.userId ? -1 : 1));
}

/**
 * Records the caller's presence in a conversation and answers who else is there. `viewing` is the
 * heartbeat (keeps typing as it is), `typing` renews typing, `idle` ends typing, `left` ends both.
 * An announcement goes out when what others see changes, or when the last one is half-way to
 * lapsing: however often a client posts, each member causes at most one event per 3 s.
 */
export async function reportPresence(
  services: Services,
  caller: Caller,
  conversationId: string,
  state: ReportedState,
  now = Date.now(),
): Promise<PresenceEntry[]> {
  await assertMayRead(services, caller, conversationId);
  const group = groupOf(caller.workspaceId, conversationId);
  const { ephemeral } = services.coordination;
  if (state === "left") {
    if (await ephemeral.remove(group, caller.userId)) await announce(services, caller, conversationId, "left", null);
  } else {
    const previous = parse((await ephemeral.list(group)).get(caller.userId));
    const keptTyping = previous !== undefined && previous.typingUntil !== null && previous.typingUntil > now ? previous.typingUntil : null;
    const typingUntil = state === "typing" ? now + TYPING_TTL_MS : state === "idle" ? null : keptTyping;
    const next: Stored = { viewingUntil: now + VIEWING_TTL_MS, typingUntil, announcedState: "viewing", announcedAt: now };
    next.announcedState = shown(next, now);
    const halfLife = (next.announcedState === "typing" ? TYPING_TTL_MS : VIEWING_TTL_MS) / 2;
    const isNews =
      !previous ||
      previous.viewingUntil <= now ||
      previous.announcedState !== next.announcedState ||
      now - previous.announcedAt >= halfLife;
    if (!isNews) next.announcedAt = previous.announcedAt;
    await ephemeral.put(group, caller.userId, JSON.stringify(next), VIEWING_TTL_MS);
    if (isNews)
      await announce(
        services,
        caller,
        conversationId,
        next.announcedState,
        next.announcedState === "typing" ? next.typingUntil : next.viewingUntil,
      );
  }
  return othersPresent(services, caller, await ephemeral.list(group), now);
}

/** Who else is viewing or typing in the conversation now. */
export async function listPresence(services: Services, caller: Caller, conversationId: string, now = Date.now()): Promise<PresenceEntry[]> {
  await assertMayRead(services, caller, conversationId);
  return othersPresent(services, caller, await services.coordination.ephemeral.list(groupOf(caller.workspaceId, conversationId)), now);
}
