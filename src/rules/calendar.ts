/**
 * Quarter arithmetic in China Standard Time. China has kept a fixed UTC+8 with no daylight saving
 * since 1991, so a constant offset is exact and needs no time-zone database.
 */
export const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Days after the quarter ends within which the quarterly report is due (渝府办发〔2017〕182号 三(三)). */
export const DEFAULT_REPORT_DUE_DAYS = 15;

export type Quarter = 1 | 2 | 3 | 4;

function check(year: number, q: number): asserts q is Quarter {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw new RangeError(`bad year ${year}`);
  if (![1, 2, 3, 4].includes(q)) throw new RangeError(`bad quarter ${q}`);
}

/** 00:00 CST on the given calendar day (month is 0-based and may overflow into the next year). */
const cstMidnight = (year: number, month0: number, day: number) => new Date(Date.UTC(year, month0, day) - CST_OFFSET_MS);

/** The quarter as [start, end): 00:00 CST on its first day up to 00:00 CST on the next quarter's first day. */
export function quarterRange(year: number, q: number): { start: Date; end: Date } {
  check(year, q);
  return { start: cstMidnight(year, (q - 1) * 3, 1), end: cstMidnight(year, q * 3, 1) };
}

/** The quarter an instant falls in, by its CST calendar date. */
export function quarterOf(at: Date): { year: number; quarter: Quarter } {
  const cst = new Date(at.getTime() + CST_OFFSET_MS);
  return { year: cst.getUTCFullYear(), quarter: (Math.floor(cst.getUTCMonth() / 3) + 1) as Quarter };
}

/**
 * The last instant of the `dueDays`-th day after the quarter ends: Q1 → 15 Apr 23:59:59.999 +08:00,
 * Q4 → 15 Jan of the next year. A report is on time when submittedAt <= this instant, so anything
 * stamped on the 15th day counts and 00:00:00 of the 16th day is late.
 */
export function reportDueAt(year: number, q: number, dueDays: number = DEFAULT_REPORT_DUE_DAYS): Date {
  const { end } = quarterRange(year, q);
  return new Date(end.getTime() + dueDays * DAY_MS - 1);
}

export type Timeliness = "ON_TIME" | "LATE";
export type ReportingStatus = "PENDING" | Timeliness | "MISSING";

export function reportTimeliness(year: number, q: number, submittedAt: Date, dueDays?: number): Timeliness {
  return submittedAt.getTime() <= reportDueAt(year, q, dueDays).getTime() ? "ON_TIME" : "LATE";
}

/**
 * A submitted report is ON_TIME or LATE by its submission instant; without one, the quarter is
 * PENDING until the due instant has passed and MISSING after.
 */
export function reportingStatus(year: number, q: number, now: Date, submittedAt: Date | null, dueDays?: number): ReportingStatus {
  if (submittedAt) return reportTimeliness(year, q, submittedAt, dueDays);
  return now.getTime() <= reportDueAt(year, q, dueDays).getTime() ? "PENDING" : "MISSING";
}

/**
 * Calendar days late as of `at` (the submission, or now for a missing report): 0 when on time,
 * 1 for anything on the 16th day CST, 2 on the 17th, and so on.
 */
export function daysLate(year: number, q: number, at: Date, dueDays?: number): number {
  const over = at.getTime() - reportDueAt(year, q, dueDays).getTime();
  return over <= 0 ? 0 : Math.ceil(over / DAY_MS);
}
