import { useCallback, useEffect, useRef, useState } from "react";
import { api, describeError, type Member } from "../../lib/api.ts";
import { onPresence, type PresenceEvent } from "../../lib/events.ts";

// Presence in the open conversation (collision detection): this pane tells the server that the
// member is viewing (a heartbeat every 15 s while the tab is visible), typing (at most every 3 s
// while keys are pressed) or gone (on close, on switching conversation, when the tab is hidden),
// and shows who else is there. Events carry ids only; names come from the member list.

/** The server forgets a viewer after 30 s without a heartbeat. */
const HEARTBEAT_MS = 15_000;
/** Typing is renewed at most this often (the server keeps it 6 s). */
const TYPING_EVERY_MS = 3_000;

type Shown = "viewing" | "typing";
type Entry = { state: Shown; expiresAt: number };
type PresenceAnswer = { data: Array<{ userId: string; state: Shown; expiresAt: string }> };
type ReportedState = "viewing" | "typing" | "idle" | "left";

// Presence is a courtesy: a failed report changes nothing else on the screen, but the presence bar
// says that colleagues cannot see this member (until a report goes through again).
const problemListeners = new Set<(problem: string | null) => void>();

function report(workspaceId: string, conversationId: string, state: ReportedState, keepalive = false): Promise<PresenceAnswer | null> {
  return api("POST", "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/presence", {
    path: { workspaceId, conversationId },
    body: { state },
    keepalive,
  }).then(
    (answer) => {
      for (const listener of problemListeners) listener(null);
      return answer;
    },
    (error: unknown) => {
      // "left" on a closing tab has nobody left to tell.
      for (const listener of problemListeners) listener(`Colleagues may not see that you are here: ${describeError(error)}`);
      return null;
    },
  );
}

function usePresenceProblem(): string | null {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    problemListeners.add(setProblem);
    return () => void problemListeners.delete(setProblem);
  }, []);
  return problem;
}

/** How a member is named on screen: their e-mail, as the member list shows it. */
export function memberName(members: readonly Member[], userId: string | null): string {
  if (userId === null) return "An automated sender";
  return members.find((member) => member.userId === userId)?.email ?? "A colleague";
}

/**
 * Reports viewing while the conversation is open and the tab visible, and answers who else is
 * there: from the answers to its own reports (every 15 s) and, in between, from live events.
 */
export function usePresence(workspaceId: string, conversationId: string): Map<string, Entry> {
  const [others, setOthers] = useState<Map<string, Entry>>(new Map());

  const adopt = useCallback((answer: PresenceAnswer | null) => {
    if (answer)
      setOthers(new Map(answer.data.map((entry) => [entry.userId, { state: entry.state, expiresAt: Date.parse(entry.expiresAt) }])));
  }, []);

  useEffect(() => {
    let present = false;
    const arrive = () => {
      present = true;
      void report(workspaceId, conversationId, "viewing").then(adopt);
    };
    const leave = (keepalive: boolean) => {
      if (!present) return;
      present = false;
      void report(workspaceId, conversationId, "left", keepalive);
    };
    const onVisibility = () => (document.visibilityState === "visible" ? arrive() : leave(false));
    const onPageHide = () => leave(true);
    if (document.visibilityState === "visible") arrive();
    const heartbeat = window.setInterval(() => {
      if (document.visibilityState === "visible") arrive();
    }, HEARTBEAT_MS);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", onPageHide);
    const stopListening = onPresence((event: PresenceEvent) => {
      if (event.conversationId !== conversationId) return;
      setOthers((current) => {
        const next = new Map(current);
        if (event.state === "left" || event.expiresAt === null) next.delete(event.userId);
        else next.set(event.userId, { state: event.state, expiresAt: Date.parse(event.expiresAt) });
        return next;
      });
    });
    return () => {
      window.clearInterval(heartbeat);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onPageHide);
      stopListening();
      leave(true);
    };
  }, [workspaceId, conversationId, adopt]);

  // Lapse entries on time: typing turns back into viewing (the next heartbeat's answer says more), viewing goes.
  useEffect(() => {
    const times = [...others.values()].map((entry) => entry.expiresAt);
    if (times.length === 0) return;
    const wait = Math.max(50, Math.min(...times) - Date.now());
    const timer = window.setTimeout(() => {
      const now = Date.now();
      setOthers((current) => {
        const next = new Map<string, Entry>();
        for (const [userId, entry] of current) {
          if (entry.expiresAt > now) next.set(userId, entry);
          else if (entry.state === "typing") next.set(userId, { state: "viewing", expiresAt: now + HEARTBEAT_MS });
        }
        return next;
      });
    }, wait);
    return () => window.clearTimeout(timer);
  }, [others]);

  return others;
}

/**
 * Follows the composer's draft: reports typing while it changes (at most one report per 3 s), and
 * that the member stopped once it is emptied (sent or cleared).
 */
export function useTypingNotifier(workspaceId: string, conversationId: string, draft: string): void {
  const lastTyping = useRef(0);
  useEffect(() => {
    if (draft.trim() === "") {
      if (lastTyping.current === 0) return;
      lastTyping.current = 0;
      void report(workspaceId, conversationId, "idle");
      return;
    }
    const now = Date.now();
    if (now - lastTyping.current < TYPING_EVERY_MS) return;
    lastTyping.current = now;
    void report(workspaceId, conversationId, "typing");
  }, [workspaceId, conversationId, draft]);
}

function describe(names: string[], verb: string): string {
  if (names.length === 1) return `${names[0]} is ${verb}`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are ${verb}`;
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)} are ${verb}`;
}

/** "Ana is viewing", "Bo is typing…" for the open conversation; a polite live region, empty when nobody else is there. */
export function PresenceBar({
  workspaceId,
  conversationId,
  members,
}: {
  workspaceId: string;
  conversationId: string;
  members: readonly Member[];
}) {
  const others = usePresence(workspaceId, conversationId);
  const problem = usePresenceProblem();
  const typing: string[] = [];
  const viewing: string[] = [];
  for (const [userId, entry] of others) (entry.state === "typing" ? typing : viewing).push(memberName(members, userId));
  typing.sort();
  viewing.sort();
  return (
    <p className="presence-bar" role="status" aria-live="polite">
      {typing.length > 0 ? <span className="presence-typing">{describe(typing, "typing…")}</span> : null}
      {viewing.length > 0 ? <span className="presence-viewing">{describe(viewing, "viewing")}</span> : null}
      {problem ? <span className="presence-problem">{problem}</span> : null}
    </p>
  );
}
