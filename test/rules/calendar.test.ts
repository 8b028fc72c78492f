import { describe, expect, it } from "vitest";
import { daysLate, quarterOf, quarterRange, reportDueAt, reportingStatus, reportTimeliness } from "../../src/rules/calendar.js";

const cst = (s: string) => new Date(`${s}+08:00`);

describe("quarters in CST", () => {
  it("ranges are [00:00 first day, 00:00 next quarter)", () => {
    expect(quarterRange(2025, 1)).toEqual({ start: cst("2025-01-01T00:00:00"), end: cst("2025-04-01T00:00:00") });
    expect(quarterRange(2025, 4)).toEqual({ start: cst("2025-10-01T00:00:00"), end: cst("2026-01-01T00:00:00") });
    expect(quarterRange(2025, 1).start.toISOString()).toBe("2024-12-31T16:00:00.000Z");
    expect(() => quarterRange(2025, 5)).toThrow(RangeError);
  });
  it("places an instant by its CST date", () => {
    expect(quarterOf(new Date("2025-03-31T16:00:00Z"))).toEqual({ year: 2025, quarter: 2 });
    expect(quarterOf(new Date("2025-03-31T15:59:59.999Z"))).toEqual({ year: 2025, quarter: 1 });
  });
});

describe("15-day report deadline", () => {
  it("is the end of the 15th day after the quarter", () => {
    expect(reportDueAt(2025, 1)).toEqual(cst("2025-04-15T23:59:59.999"));
    expect(reportDueAt(2025, 2)).toEqual(cst("2025-07-15T23:59:59.999"));
    expect(reportDueAt(2025, 4)).toEqual(cst("2026-01-15T23:59:59.999"));
  });
  it("23:59:59 on the 15th is on time, 00:00:00 on the 16th is late", () => {
    expect(reportTimeliness(2025, 1, cst("2025-04-15T23:59:59"))).toBe("ON_TIME");
    expect(reportTimeliness(2025, 1, cst("2025-04-16T00:00:00"))).toBe("LATE");
    expect(reportTimeliness(2025, 4, cst("2026-01-15T23:59:59.999"))).toBe("ON_TIME");
    expect(reportTimeliness(2025, 4, cst("2026-01-16T00:00:00"))).toBe("LATE");
    // 16:00 UTC on the 15th is already the 16th in China
    expect(reportTimeliness(2025, 1, new Date("2025-04-15T16:00:00Z"))).toBe("LATE");
  });
  it("status: pending, missing, on time, late", () => {
    expect(reportingStatus(2025, 1, cst("2025-04-10T12:00:00"), null)).toBe("PENDING");
    expect(reportingStatus(2025, 1, cst("2025-04-15T23:59:59"), null)).toBe("PENDING");
    expect(reportingStatus(2025, 1, cst("2025-04-16T00:00:00"), null)).toBe("MISSING");
    expect(reportingStatus(2025, 1, cst("2025-05-01T00:00:00"), cst("2025-04-03T09:00:00"))).toBe("ON_TIME");
    expect(reportingStatus(2025, 1, cst("2025-05-01T00:00:00"), cst("2025-04-20T09:00:00"))).toBe("LATE");
  });
  it("counts CST calendar days late", () => {
    expect(daysLate(2025, 1, cst("2025-04-15T23:59:59"))).toBe(0);
    expect(daysLate(2025, 1, cst("2025-04-16T00:00:00"))).toBe(1);
    expect(daysLate(2025, 1, cst("2025-04-16T23:59:59.999"))).toBe(1);
    expect(daysLate(2025, 1, cst("2025-04-17T00:00:00"))).toBe(2);
  });
  it("takes the due days from the rules", () => {
    expect(reportDueAt(2025, 1, 10)).toEqual(cst("2025-04-10T23:59:59.999"));
  });
});
