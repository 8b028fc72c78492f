/**
 * Demo time. Every instant is a fixed China Standard Time moment held as epoch milliseconds;
 * China has no daylight saving, so adding whole days to a CST midnight stays a CST midnight.
 */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const CST_OFFSET = 8 * HOUR;

export function cst(y: number, m: number, d: number, h = 0, min = 0): number {
  return Date.UTC(y, m - 1, d, h, min) - CST_OFFSET;
}

/** Fields of the CST calendar day containing `ms`. */
function parts(ms: number): { y: number; m: number; d: number } {
  const u = new Date(ms + CST_OFFSET);
  return { y: u.getUTCFullYear(), m: u.getUTCMonth() + 1, d: u.getUTCDate() };
}

export const addDays = (ms: number, n: number) => ms + n * DAY;

/** Calendar months; callers keep days ≤ 28 so that no month overflows. */
export function addMonths(ms: number, n: number): number {
  const { y, m, d } = parts(ms);
  const timeOfDay = ms - cst(y, m, d);
  return Date.UTC(y, m - 1 + n, d) - CST_OFFSET + timeOfDay;
}

export const midnight = (ms: number) => {
  const { y, m, d } = parts(ms);
  return cst(y, m, d);
};

export const cstYear = (ms: number) => parts(ms).y;

/** YYYY-MM-DD in CST (for date columns). */
export function cstDate(ms: number): string {
  return new Date(ms + CST_OFFSET).toISOString().slice(0, 10);
}

/** 2025-03-01T00:00:00+08:00, the form snapshots use so that readers see local time. */
export function cstIso(ms: number): string {
  return new Date(ms + CST_OFFSET).toISOString().slice(0, 19) + "+08:00";
}

/** Activity is recorded from DATA_START up to DATA_END; "today" (DEMO_TODAY) is a few days later. */
export const DATA_START = cst(2025, 1, 1);
export const DATA_END = cst(2026, 11, 20, 18);
export const TODAY = cst(2026, 11, 23);
