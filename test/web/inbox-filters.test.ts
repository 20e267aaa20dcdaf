import { describe, expect, it } from "vitest";
import {
  classifySearch,
  EMPTY_FILTERS,
  filtersFromQuery,
  filtersFromSearch,
  filtersToQuery,
  filtersToSearch,
  hasActiveFilters,
  listPath,
  validateInboxSearch,
} from "../../web/src/features/inbox/inbox-filters.ts";

// The inbox filter bar's pure parts: which search a typed text becomes, and the filters' round trip
// through the address bar and into the list request.

describe("the inbox search box", () => {
  it("searches by exact phone when the text is a phone number, by name otherwise", () => {
    expect(classifySearch("")).toEqual({ kind: "none" });
    expect(classifySearch("  ")).toEqual({ kind: "none" });
    expect(classifySearch("+49 151 2345-6789")).toEqual({ kind: "phone", phone: "+4915123456789" });
    expect(classifySearch("0049 (151) 23456789")).toEqual({ kind: "phone", phone: "+4915123456789" });
    expect(classifySearch("4915123456789")).toEqual({ kind: "phone", phone: "+4915123456789" });
    expect(classifySearch("+49 151")).toEqual({ kind: "incomplete-phone" });
    expect(classifySearch("Dana")).toEqual({ kind: "name", name: "Dana" });
    expect(classifySearch(" Chloé 2 ")).toEqual({ kind: "name", name: "Chloé 2" });
  });
});

describe("inbox filters in the address bar", () => {
  it("round-trip, ignore what is malformed, and build the list request", () => {
    const filters = {
      view: "unassigned" as const,
      numberId: "0b7a5a00-0000-4000-8000-000000000001",
      status: "closed" as const,
      tag: "VIP",
      search: "+49 151 23456789",
    };
    const query = filtersToQuery(filters);
    expect(filtersFromQuery(query)).toEqual({ ...filters, tag: "VIP" });
    expect(filtersToQuery(EMPTY_FILTERS)).toBe("");
    expect(filtersFromQuery("?view=everything&number=nope&status=pending&q=" + "x".repeat(200))).toEqual({
      ...EMPTY_FILTERS,
      search: "x".repeat(100),
    });
    expect(hasActiveFilters(EMPTY_FILTERS)).toBe(false);
    expect(hasActiveFilters({ ...EMPTY_FILTERS, status: "open" })).toBe(true);
    const path = new URL(listPath("ws", filters, "unassigned", "abc"), "http://x");
    expect(Object.fromEntries(path.searchParams)).toEqual({
      view: "unassigned",
      limit: "50",
      numberId: filters.numberId,
      status: "closed",
      tag: "vip",
      phone: "+4915123456789",
      cursor: "abc",
    });
    expect(new URL(listPath("ws", { ...EMPTY_FILTERS, search: "dana" }, "all", null), "http://x").searchParams.get("name")).toBe("dana");
  });
});

describe("the inbox route's search params", () => {
  it("keep what is well formed, drop the rest, and round-trip the filters", () => {
    const number = "0b7a5a00-0000-4000-8000-000000000001";
    expect(validateInboxSearch({ view: "mine", number, status: "closed", tag: "vip", q: "dana" })).toEqual({
      view: "mine",
      number,
      status: "closed",
      tag: "vip",
      q: "dana",
    });
    expect(validateInboxSearch({ view: "sideways", number: "nope", status: "all", tag: "", q: 4915112345678, utm_source: "mail" })).toEqual(
      {},
    );
    expect(validateInboxSearch({ tag: "t".repeat(80), q: "q".repeat(150) })).toEqual({ tag: "t".repeat(64), q: "q".repeat(100) });
    expect(filtersToSearch(EMPTY_FILTERS)).toEqual({});
    const filters = { view: "unassigned" as const, numberId: number, status: "open" as const, tag: "vip", search: "+49 151 23456789" };
    expect(filtersFromSearch(filtersToSearch(filters))).toEqual(filters);
    expect(filtersToSearch({ ...EMPTY_FILTERS, tag: "  vip ", search: " dana " })).toEqual({ tag: "vip", q: "dana" });
  });
});
