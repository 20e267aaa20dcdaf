// The inbox list's filters: what the filter bar edits, how it is kept in the address bar (so a
// reload keeps it), and how one search box chooses between an exact phone search (the server's
// blind index) and a name search (the server's bounded scan of encrypted names). No imports: the
// server's test suite checks these functions too.

export type View = "mine" | "unassigned" | "all";
export type StatusFilter = "open" | "closed" | "all";

export type InboxFilters = {
  view: View | null;
  numberId: string;
  status: StatusFilter;
  tag: string;
  /** What the person typed in the search box (trimmed when used). */
  search: string;
};

/** What the list answers besides its rows: how far a name search looked (null without one). */
export type NameScan = { scanned: number; capped: boolean };

export const EMPTY_FILTERS: InboxFilters = { view: null, numberId: "", status: "all", tag: "", search: "" };

const VIEWS: readonly View[] = ["mine", "unassigned", "all"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Filters from `?view=…&number=…&status=…&tag=…&q=…`; anything unknown or malformed is ignored. */
export function filtersFromQuery(search: string): InboxFilters {
  const query = new URLSearchParams(search);
  const view = query.get("view");
  const number = query.get("number") ?? "";
  const status = query.get("status");
  return {
    view: VIEWS.includes(view as View) ? (view as View) : null,
    numberId: UUID.test(number) ? number : "",
    status: status === "open" || status === "closed" ? status : "all",
    tag: (query.get("tag") ?? "").slice(0, 64),
    search: (query.get("q") ?? "").slice(0, 100),
  };
}

/** The address-bar query for the filters ("" when none is set). */
export function filtersToQuery(filters: InboxFilters): string {
  const query = new URLSearchParams();
  if (filters.view) query.set("view", filters.view);
  if (filters.numberId) query.set("number", filters.numberId);
  if (filters.status !== "all") query.set("status", filters.status);
  if (filters.tag.trim()) query.set("tag", filters.tag.trim());
  if (filters.search.trim()) query.set("q", filters.search.trim());
  const text = query.toString();
  return text ? `?${text}` : "";
}

export type SearchIntent = { kind: "none" } | { kind: "phone"; phone: string } | { kind: "incomplete-phone" } | { kind: "name"; name: string };

/**
 * A search that looks like a phone number (digits with an optional + or 00 and the usual
 * separators) is an exact phone search; bare digits are taken as an international number without
 * its +. Anything with letters is a name search.
 */
export function classifySearch(input: string): SearchIntent {
  const text = input.trim();
  if (!text) return { kind: "none" };
  if (/^(\+|00)?[\d\s().-]+$/.test(text) && /\d/.test(text)) {
    const digits = text.replace(/[\s().-]/g, "").replace(/^(\+|00)/, "");
    if (/^[1-9]\d{7,14}$/.test(digits)) return { kind: "phone", phone: `+${digits}` };
    return { kind: "incomplete-phone" };
  }
  return { kind: "name", name: text };
}

export function hasActiveFilters(filters: InboxFilters): boolean {
  return filters.numberId !== "" || filters.status !== "all" || filters.tag.trim() !== "" || filters.search.trim() !== "";
}

/** The list request for these filters (view decided by the caller), `cursor` for the next page. */
export function listPath(workspaceId: string, filters: InboxFilters, view: View, cursor: string | null, limit = 50): string {
  const query = new URLSearchParams({ view, limit: String(limit) });
  if (filters.numberId) query.set("numberId", filters.numberId);
  if (filters.status !== "all") query.set("status", filters.status);
  if (filters.tag.trim()) query.set("tag", filters.tag.trim().toLowerCase());
  const intent = classifySearch(filters.search);
  if (intent.kind === "phone") query.set("phone", intent.phone);
  if (intent.kind === "name") query.set("name", intent.name);
  if (cursor) query.set("cursor", cursor);
  return `/api/v1/workspaces/${workspaceId}/conversations?${query.toString()}`;
}
