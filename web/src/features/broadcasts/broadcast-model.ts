import type { ApiAnswer } from "../../lib/api.ts";

// What the broadcast screens share: the API's shapes and the words for states, pause reasons,
// exclusions and recipient states.

export type Broadcast = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}">;
export type BroadcastReport = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/report">;
export type AudienceEstimate = ApiAnswer<"POST", "/api/v1/workspaces/{workspaceId}/broadcasts/estimate">;
export type BroadcastCounts = Broadcast["counts"];

export const STATE_LABELS: Record<Broadcast["state"], string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  running: "Sending",
  paused: "Paused",
  cancelled: "Cancelled",
  completed: "Completed",
};

export const PAUSE_WORDS: Record<NonNullable<Broadcast["pauseReason"]>, string> = {
  manual: "Paused by a member.",
  quality_red: "Paused automatically: a number's quality rating became RED (low).",
  error_burst: "Paused automatically: a burst of failures (such as 131049) means WhatsApp is limiting this business's marketing messages.",
  number_unavailable: "Paused automatically: a number is disconnected, removed or its access token is invalid.",
};

/** The pause reason or the wait, in words: the server's own text, else ours. */
export function statusWords(broadcast: Broadcast): string | null {
  if (broadcast.statusText) return broadcast.statusText;
  return broadcast.state === "paused" && broadcast.pauseReason ? PAUSE_WORDS[broadcast.pauseReason] : null;
}

export const EXCLUSION_WORDS: Record<keyof AudienceEstimate["excluded"], string> = {
  noConsent: "never opted in to marketing messages",
  optedOut: "opted out",
  invalidNumber: "without a valid phone number",
  duplicate: "duplicates",
  invalidRow: "rows of the uploaded file that could not be used (an invalid name or field, or a contact in the trash)",
  outsideMessagingLimit: "beyond the number's messaging limit for the next 24 hours",
};

/** The funnel in the order recipients move. */
export const FUNNEL: Array<{ key: keyof BroadcastCounts; label: string }> = [
  { key: "pending", label: "Waiting" },
  { key: "sending", label: "Sending" },
  { key: "accepted", label: "Accepted by WhatsApp" },
  { key: "sent", label: "Sent" },
  { key: "delivered", label: "Delivered" },
  { key: "read", label: "Read" },
  { key: "failed", label: "Failed" },
  { key: "skipped", label: "Skipped" },
];

/** Recipients no longer waiting or in flight. */
export function processedOf(counts: BroadcastCounts): number {
  return counts.total - counts.pending - counts.sending;
}

/** Whether the screen should keep asking (the live event is the fast path; this is the fallback). */
export function isActive(broadcast: Broadcast): boolean {
  return broadcast.state === "running" || broadcast.state === "scheduled";
}

/**
 * A finished broadcast whose messages still await WhatsApp's delivery and read statuses (within a
 * day of its end): those arrive with status webhooks, not with the runner's live event.
 */
export function isAwaitingStatuses(broadcast: Broadcast, now = Date.now()): boolean {
  const finished = broadcast.finishedAt ? Date.parse(broadcast.finishedAt) : null;
  return (
    broadcast.state === "completed" &&
    finished !== null &&
    now - finished < 24 * 60 * 60_000 &&
    broadcast.counts.accepted + broadcast.counts.sent + broadcast.counts.delivered > 0
  );
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
