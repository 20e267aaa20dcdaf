import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION, isoWeekOf, selectBackupsToPrune, type RetentionPolicy } from "./retention.ts";

// The retention arithmetic as a table: which of a set of backups a policy keeps.

/** One backup a day at 03:00 UTC for `days` days ending on `last` (newest first in the ids). */
function daily(last: string, days: number): Array<{ id: string; createdAt: Date }> {
  const end = Date.parse(`${last}T03:00:00Z`);
  return Array.from({ length: days }, (_, index) => {
    const createdAt = new Date(end - index * 86_400_000);
    return { id: createdAt.toISOString().slice(0, 10), createdAt };
  });
}

const cases: Array<{ name: string; backups: Array<{ id: string; createdAt: Date }>; policy: RetentionPolicy; keep: string[] }> = [
  { name: "nothing to keep from nothing", backups: [], policy: DEFAULT_RETENTION, keep: [] },
  {
    name: "the newest always stays, even with an all-zero policy",
    backups: daily("2026-12-07", 3),
    policy: { daily: 0, weekly: 0, monthly: 0 },
    keep: ["2026-12-07"],
  },
  {
    name: "daily 3 keeps the last three days",
    backups: daily("2026-12-07", 10),
    policy: { daily: 3, weekly: 0, monthly: 0 },
    keep: ["2026-12-07", "2026-12-06", "2026-12-05"],
  },
  {
    // 2026-12-07 is a Monday: weeks are Mon 12-07, Mon 11-30..Sun 12-06, Mon 11-23..Sun 11-29; the newest of each is kept.
    name: "weekly 3 keeps the newest backup of each of the last three ISO weeks",
    backups: daily("2026-12-07", 20),
    policy: { daily: 0, weekly: 3, monthly: 0 },
    keep: ["2026-12-07", "2026-12-06", "2026-11-29"],
  },
  {
    name: "monthly 2 keeps the newest of each of the last two months",
    backups: daily("2026-12-07", 40),
    policy: { daily: 0, weekly: 0, monthly: 2 },
    keep: ["2026-12-07", "2026-11-30"],
  },
  {
    name: "the rules overlap: a backup kept by two rules is kept once",
    backups: daily("2026-12-07", 40),
    policy: { daily: 2, weekly: 2, monthly: 2 },
    keep: ["2026-12-07", "2026-12-06", "2026-11-30"],
  },
  {
    name: "the default (7 daily, 4 weekly, 12 monthly) over a year of dailies keeps 7 days, 2 older weeks and 11 older months",
    backups: daily("2026-12-07", 365),
    policy: DEFAULT_RETENTION,
    keep: [
      ...daily("2026-12-07", 7).map((backup) => backup.id),
      "2026-11-30", // November's newest
      "2026-11-29", // the weeks W48 and W47 (W50 and W49 are already kept as days)
      "2026-11-22",
      // Twelve months are December back to January: 2025's December is past the twelfth.
      ...["10-31", "09-30", "08-31", "07-31", "06-30", "05-31", "04-30", "03-31", "02-28", "01-31"].map((day) => `2026-${day}`),
    ],
  },
  {
    name: "several backups in a day: the newest of the day is the one kept",
    backups: [
      { id: "b", createdAt: new Date("2026-12-07T18:00:00Z") },
      { id: "a", createdAt: new Date("2026-12-07T06:00:00Z") },
      { id: "c", createdAt: new Date("2026-12-06T06:00:00Z") },
    ],
    policy: { daily: 2, weekly: 0, monthly: 0 },
    keep: ["b", "c"],
  },
  {
    name: "gaps do not count: daily 2 keeps the two newest days that have a backup",
    backups: [
      { id: "new", createdAt: new Date("2026-12-07T03:00:00Z") },
      { id: "old", createdAt: new Date("2026-11-01T03:00:00Z") },
      { id: "older", createdAt: new Date("2026-10-01T03:00:00Z") },
    ],
    policy: { daily: 2, weekly: 0, monthly: 0 },
    keep: ["new", "old"],
  },
];

describe("backup retention", () => {
  it.each(cases)("$name", ({ backups, policy, keep }) => {
    const result = selectBackupsToPrune(backups, policy);
    expect(result.keep.map((backup) => backup.id)).toEqual(keep);
    expect(new Set([...result.keep, ...result.prune].map((backup) => backup.id)).size).toBe(backups.length);
  });

  it("numbers ISO weeks across a year boundary", () => {
    expect(isoWeekOf(new Date("2026-12-07T00:00:00Z"))).toBe("2026-W50");
    expect(isoWeekOf(new Date("2027-01-01T00:00:00Z"))).toBe("2026-W53");
    expect(isoWeekOf(new Date("2024-12-30T00:00:00Z"))).toBe("2025-W01");
  });
});
