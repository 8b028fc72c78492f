import { sql, type SQL } from "drizzle-orm";

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters; the 18th is a check character over the first 17.
 * Characters 3–8 are the registering authority's region code.
 */
export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters, or null if one of them is outside the alphabet. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export type UsccProblem = "length" | "charset" | "check_digit";

/** null when valid; otherwise which rule the code breaks. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return "length";
  for (const ch of code) if (!USCC_ALPHABET.includes(ch)) return "charset";
  return usccCheckChar(code.slice(0, 17)) === code[17] ? null : "check_digit";
}

export const isValidUscc = (code: string) => usccProblem(code) === null;

/**
 * 居民身份证号码 (GB 11643-1999): 17 digits (6 region + 8 birth date YYYYMMDD + 3 sequence) and a
 * check character. Only uppercase "X" is accepted so stored numbers stay canonical; callers that
 * take user input should upper-case first.
 */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = "10X98765432";
const CST_OFFSET_MS = 8 * 3600_000;

/** The check character for 17 digits, or null if they are not 17 ASCII digits. */
export function idCheckChar(first17: string): string | null {
  if (!/^[0-9]{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

export type IdNumberProblem = "length" | "charset" | "birth_date" | "check_digit";

/**
 * null when valid. The birth date must be a real calendar date, not before 1900-01-01 and not after
 * `today` (compared as China Standard Time dates; `today` is a parameter so tests are deterministic).
 */
export function idNumberProblem(id: string, today: Date = new Date()): IdNumberProblem | null {
  if (id.length !== 18) return "length";
  if (!/^[0-9]{17}[0-9X]$/.test(id)) return "charset";
  const y = Number(id.slice(6, 10)), m = Number(id.slice(10, 12)), d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC rolls 02-30 into March: a real date survives the round trip unchanged
  const real = birth.getUTCFullYear() === y && birth.getUTCMonth() === m - 1 && birth.getUTCDate() === d;
  const todayCst = new Date(today.getTime() + CST_OFFSET_MS);
  const todayKey = todayCst.getUTCFullYear() * 10000 + (todayCst.getUTCMonth() + 1) * 100 + todayCst.getUTCDate();
  if (!real || y < 1900 || y * 10000 + m * 100 + d > todayKey) return "birth_date";
  return idCheckChar(id.slice(0, 17)) === id[17] ? null : "check_digit";
}

export const isValidIdNumber = (id: string, today?: Date) => idNumberProblem(id, today) === null;

/** Personal data shown to roles without the right to see it: keep the surname character only. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim()); // Array.from keeps CJK extension characters (surrogate pairs) whole
  if (chars.length === 0) return "";
  if (chars.length === 1) return "*";
  return chars[0] + "*".repeat(chars.length - 1);
}

/** Keep the first 3 (province + prefecture digit) and last 4 characters; anything too short is fully masked. */
export function maskIdNumber(id: string): string {
  if (id.length <= 7) return "*".repeat(id.length);
  return id.slice(0, 3) + "*".repeat(id.length - 7) + id.slice(-4);
}

/** What String.prototype.trim removes: ECMAScript WhiteSpace and LineTerminator. */
const JS_TRIM_CLASS = "[\\u0009\\u000A\\u000B\\u000C\\u000D\\u0020\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]";

/**
 * maskName in SQL (the read planner computes masks in the statement): the same trim, and the same
 * count of characters; PostgreSQL counts code points as Array.from does.
 */
export function maskNameSql(name: SQL): SQL {
  const t = sql`regexp_replace(${name}, ${`^${JS_TRIM_CLASS}+|${JS_TRIM_CLASS}+$`}, '', 'g')`;
  return sql`(select case when char_length(t) = 0 then '' when char_length(t) = 1 then '*' else left(t, 1) || repeat('*', char_length(t) - 1) end from (select ${t} as t) m)`;
}

/**
 * maskIdNumber in SQL. JavaScript counts UTF-16 code units and PostgreSQL code points: the two agree
 * on every stored ID number (reportClaim admits only GB 11643 numbers, 18 ASCII characters).
 */
export function maskIdNumberSql(id: SQL): SQL {
  return sql`(case when char_length(${id}) <= 7 then repeat('*', char_length(${id})) else left(${id}, 3) || repeat('*', char_length(${id}) - 7) || right(${id}, 4) end)`;
}
