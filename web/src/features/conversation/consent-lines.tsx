import type { ApiAnswer } from "../../lib/api.ts";
import { formatTime } from "../../ui/ui.tsx";

// The contact's own consent changes, as system lines in the thread: "Dana opted out of marketing
// messages" when they wrote an opt-out keyword or stopped marketing messages in WhatsApp (Meta's
// marketing opt-out), and the opt-in back. They come from the contact's consent ledger
// (GET …/contacts/{id}/consent), read with the thread, so a live event that reloads the thread
// (the STOP message itself) brings the line with it. Entries a member recorded are not shown here.

type Entry = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/consent">["history"][number];

export type ConsentLine = { id: string; at: string; optedOut: boolean; inWhatsApp: boolean };

/** The contact's own marketing opt-outs and opt-ins from `since` on (the thread's first message), oldest first. */
export function consentLines(history: readonly Entry[], since: string | null): ConsentLine[] {
  const from = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
  return history
    .filter((entry) => entry.scope === "marketing" && (entry.method === "keyword" || entry.method === "meta_preference"))
    .filter((entry) => entry.status !== "unknown" && Date.parse(entry.occurredAt) >= from)
    .map((entry) => ({
      id: entry.id,
      at: entry.occurredAt,
      optedOut: entry.status === "opted_out",
      inWhatsApp: entry.method === "meta_preference",
    }))
    .reverse();
}

/** Merges the lines into a thread already in time order; a line follows what happened at the same instant. */
export function withConsentLines<T extends { at: string }>(items: readonly T[], lines: readonly ConsentLine[]): Array<T | ConsentLine> {
  const merged: Array<T | ConsentLine> = [];
  let next = 0;
  for (const item of items) {
    while (next < lines.length && Date.parse(lines[next]!.at) < Date.parse(item.at)) merged.push(lines[next++]!);
    merged.push(item);
  }
  return [...merged, ...lines.slice(next)];
}

export function isConsentLine(item: object): item is ConsentLine {
  return "optedOut" in item;
}

export function ConsentLineItem({ line, name }: { line: ConsentLine; name: string }) {
  const what = line.optedOut ? "opted out of marketing messages" : "opted back in to marketing messages";
  const how = line.inWhatsApp ? " in WhatsApp's settings" : "";
  return (
    <li className="system-line" data-consent-entry-id={line.id}>
      <p>
        {name} {what}
        {how} · <time dateTime={line.at}>{formatTime(line.at)}</time>
      </p>
    </li>
  );
}
