import { describe, expect, it } from "vitest";
import { calendarDay, daysLeft, dueDateOf, parseCalendarDay } from "./service.ts";

// The legal deadline of a data subject's request: the received day + 30 days, counted in UTC days.

describe("request deadlines", () => {
  it("is the received day plus 30 days, across month and year ends and leap days", () => {
    expect(calendarDay(dueDateOf(parseCalendarDay("2026-01-15")!))).toBe("2026-02-14");
    expect(calendarDay(dueDateOf(parseCalendarDay("2026-12-10")!))).toBe("2027-01-09");
    expect(calendarDay(dueDateOf(parseCalendarDay("2028-02-10")!))).toBe("2028-03-11");
  });

  it("counts whole days left from today (UTC), zero on the day, negative once passed", () => {
    const due = dueDateOf(parseCalendarDay("2026-11-01")!); // 2026-12-01
    expect(daysLeft(due, new Date("2026-11-01T23:59:59Z"))).toBe(30);
    expect(daysLeft(due, new Date("2026-12-01T00:00:00Z"))).toBe(0);
    expect(daysLeft(due, new Date("2026-12-01T23:59:59Z"))).toBe(0);
    expect(daysLeft(due, new Date("2026-12-11T08:00:00Z"))).toBe(-10);
  });

  it("reads calendar days only", () => {
    for (const day of ["2026-02-29", "2026-13-01", "26-01-01", "2026-1-1", "today"]) expect(parseCalendarDay(day), day).toBeUndefined();
    expect(parseCalendarDay("2028-02-29")?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });
});
