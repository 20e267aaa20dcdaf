import type { paths } from "../../lib/api-types.ts";
import { normalizeTag } from "../../../../src/features/contacts/tag-rule.ts";

// The inbox list's filters: what the filter bar edits, how they are kept in the address bar (the
// inbox route's typed search params, so a filtered inbox is a link to share and survives a reload),
// and how one search box chooses between an exact phone search (the server's blind index) and a
// name search (the server's bounded scan of encrypted names). Pure, importing only the generated API
// types and the import-free tag rule: the server's test suite checks these functions too.

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

/**
 * The inbox route's search params, `?view=…&number=…&status=…&tag=…&q=…`: each one absent when it
 * is not set, so an unfiltered inbox has a clean address.
 */
export type InboxSearch = { view?: View; number?: string; status?: "open" | "closed"; tag?: string; q?: string };

/** What the list answers besides its rows: how far a name search looked (null without one). */
export type NameScan = { scanned: number; capped: boolean };

export const EMPTY_FILTERS: InboxFilters = { view: null, numberId: "", status: "all", tag: "", search: "" };

const VIEWS: readonly View[] = ["mine", "unassigned", "all"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TAG = 64;
const MAX_SEARCH = 100;

/**
 * The inbox route's `validateSearch`: whatever the address bar holds, only well-formed filters come
 * out; anything unknown or malformed is dropped, never an error.
 */
export function validateInboxSearch(raw: Record<string, unknown>): InboxSearch {
  const text = (key: string): string => (typeof raw[key] === "string" ? raw[key] : "");
  const view = text("view");
  const number = text("number");
  const status = text("status");
  const tag = text("tag").slice(0, MAX_TAG);
  const q = text("q").slice(0, MAX_SEARCH);
  return {
    ...(VIEWS.includes(view as View) ? { view: view as View } : {}),
    ...(UUID.test(number) ? { number } : {}),
    ...(status === "open" || status === "closed" ? { status } : {}),
    ...(tag ? { tag } : {}),
    ...(q ? { q } : {}),
  };
}

export function filtersFromSearch(search: InboxSearch): InboxFilters {
  return {
    view: search.view ?? null,
    numberId: search.number ?? "",
    status: search.status ?? "all",
    tag: search.tag ?? "",
    search: search.q ?? "",
  };
}

/** The search params for the filters (an empty object when none is set). */
export function filtersToSearch(filters: InboxFilters): InboxSearch {
  return validateInboxSearch({
    view: filters.view ?? undefined,
    number: filters.numberId,
    status: filters.status === "all" ? undefined : filters.status,
    tag: filters.tag.trim(),
    q: filters.search.trim(),
  });
}

/** Filters from an address-bar query string; anything unknown or malformed is ignored. */
export function filtersFromQuery(search: string): InboxFilters {
  const query = new URLSearchParams(search);
  const raw: Record<string, string> = {};
  for (const [key, value] of query) raw[key] ??= value;
  return filtersFromSearch(validateInboxSearch(raw));
}

/** The address-bar query for the filters ("" when none is set). */
export function filtersToQuery(filters: InboxFilters): string {
  const text = new URLSearchParams(filtersToSearch(filters)).toString();
  return text ? `?${text}` : "";
}

export type SearchIntent =
  { kind: "none" } | { kind: "phone"; phone: string } | { kind: "incomplete-phone" } | { kind: "name"; name: string };

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

type ListQuery = NonNullable<paths["/api/v1/workspaces/{workspaceId}/conversations"]["get"]["parameters"]["query"]>;

/** The list request's query for these filters (view decided by the caller), `cursor` for the next page. */
export function listQuery(filters: InboxFilters, view: View, cursor: string | null, limit = 50): ListQuery {
  const query: ListQuery = { view, limit };
  if (filters.numberId) query.numberId = filters.numberId;
  if (filters.status !== "all") query.status = filters.status;
  if (filters.tag.trim()) query.tag = normalizeTag(filters.tag);
  const intent = classifySearch(filters.search);
  if (intent.kind === "phone") query.phone = intent.phone;
  if (intent.kind === "name") query.name = intent.name;
  if (cursor) query.cursor = cursor;
  return query;
}

/** The list request's address for these filters: also the list's cache key. */
export function listPath(workspaceId: string, filters: InboxFilters, view: View, cursor: string | null, limit = 50): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(listQuery(filters, view, cursor, limit))) query.set(key, String(value));
  return `/api/v1/workspaces/${workspaceId}/conversations?${query.toString()}`;
}
