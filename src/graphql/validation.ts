import { GraphQLError } from "graphql";
import type { Db, Tx } from "../db/client.js";
import { idNumberProblem, usccProblem } from "../rules/identifiers.js";

/** One broken rule of one input field: `field` is the input path, e.g. "input.coinsurers[1].share". */
export interface Problem {
  field: string;
  rule: string;
  message: string;
}

/**
 * Collects every structural problem of an input before anything is written, so a caller fixes a
 * batch in one round trip. `toError()` gives the BAD_USER_INPUT of CONTRACT.md: the first problem's
 * field and rule in extensions, all of them in extensions.problems.
 */
export class Problems {
  readonly list: Problem[] = [];
  constructor(readonly prefix = "input") {}

  add(field: string, rule: string, message: string): void {
    const path = !field ? this.prefix : !this.prefix ? field : field.startsWith("[") ? this.prefix + field : `${this.prefix}.${field}`;
    this.list.push({ field: path, rule, message });
  }
  check(ok: boolean, field: string, rule: string, message: string): boolean {
    if (!ok) this.add(field, rule, message);
    return ok;
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
  toError(): GraphQLError {
    const [first] = this.list;
    return new GraphQLError(`${first.message}（${first.field}）`, {
      extensions: { code: "BAD_USER_INPUT", field: first.field, rule: first.rule, problems: this.list },
    });
  }
  throwIfAny(): void {
    if (!this.empty) throw this.toError();
  }
}

/** Thrown inside a transaction to roll it back with a client-facing error. */
export class InputError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems[0]?.message ?? "invalid input");
  }
}

/**
 * Text PostgreSQL can store as sent: no NUL (text and jsonb refuse U+0000) and no unpaired UTF-16
 * surrogate (UTF-8 cannot carry one: the driver would store U+FFFD instead, and jsonb refuses it).
 */
// a leading U+FEFF (byte-order mark) is dropped when embedded PGlite decodes the text again, so it
// could not be read back as sent: refused like NUL and unpaired surrogates
export const storableText = (v: string): boolean => !/\u0000|^\ufeff|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v);

/** Instants the hub accepts: years 1900–9999 in China Standard Time (timestamptz and ISO strings both hold them). */
const MIN_INSTANT = Date.parse("1900-01-01T00:00:00+08:00");
const MAX_INSTANT = Date.parse("9999-12-31T23:59:59.999+08:00");

const MONEY = /^\d{1,14}(\.\d{1,2})?$/;
const RATIO = /^(0(\.\d{1,4})?|1(\.0{1,4})?)$/;

/** Field checks shared by every push; each adds a problem naming the field and the rule. */
export const checks = {
  money(p: Problems, field: string, v: string | null | undefined, required = true): void {
    if (v == null) {
      if (required) p.add(field, "required", "必填 / required");
      return;
    }
    if (v.startsWith("-")) p.add(field, "money:nonnegative", "金额不能为负 / money must be ≥ 0");
    else p.check(MONEY.test(v), field, "money:2dp", "金额最多两位小数 / money in yuan with at most 2 decimals");
  },
  ratio(p: Problems, field: string, v: string): void {
    p.check(RATIO.test(v), field, "ratio:0-1", "比例须在 0–1 之间且最多四位小数 / ratio must be within 0–1 with at most 4 decimals");
  },
  uscc(p: Problems, field: string, v: string): boolean {
    const problem = usccProblem(v);
    const zh = { length: "应为18位", charset: "含非法字符", check_digit: "校验位错误" } as const;
    const en = { length: "must be 18 characters", charset: "has a character outside the alphabet", check_digit: "check digit mismatch" } as const;
    return p.check(problem === null, field, `uscc:${problem}`, problem ? `统一社会信用代码${zh[problem]} / USCC ${en[problem]}` : "");
  },
  idNumber(p: Problems, field: string, v: string): boolean {
    const problem = idNumberProblem(v);
    const zh = { length: "应为18位", charset: "含非法字符", birth_date: "出生日期无效", check_digit: "校验位错误" } as const;
    const en = { length: "must be 18 characters", charset: "has an invalid character", birth_date: "birth date invalid", check_digit: "check digit mismatch" } as const;
    return p.check(problem === null, field, `id-number:${problem}`, problem ? `身份证号${zh[problem]} / ID number ${en[problem]}` : "");
  },
  positiveInt(p: Problems, field: string, v: number): void {
    p.check(Number.isInteger(v) && v > 0, field, "positive", "须为正整数 / must be a positive integer");
  },
  nonNegativeInt(p: Problems, field: string, v: number): void {
    p.check(Number.isInteger(v) && v >= 0, field, "nonnegative", "须为非负整数 / must be a non-negative integer");
  },
  text(p: Problems, field: string, v: string | null | undefined, max = 200): void {
    if (!v || !v.trim()) p.add(field, "required", "必填 / required");
    else if (p.check(v.length <= max, field, `max-length:${max}`, `长度不超过 ${max} / at most ${max} characters`)) {
      p.check(storableText(v), field, "text:characters", "含无法保存的字符（NUL、不成对的代理项或开头的 BOM）/ contains a character that cannot be stored (NUL, an unpaired surrogate or a leading byte-order mark)");
    }
  },
  instant(p: Problems, field: string, v: Date): boolean {
    return p.check(v.getTime() >= MIN_INSTANT && v.getTime() <= MAX_INSTANT, field, "date-range", "时间须在1900年至9999年之间（北京时间）/ instant must fall within the years 1900–9999, China Standard Time");
  },
  order(p: Problems, field: string, earlier: Date, later: Date, message: string): void {
    p.check(earlier.getTime() < later.getTime(), field, "date-order", message);
  },
};

/** Runs one push in its own transaction; an InputError thrown inside rolls it back as a BAD_USER_INPUT. */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (e) {
    if (e instanceof InputError) {
      const p = new Problems();
      p.list.push(...e.problems);
      throw p.toError();
    }
    throw e;
  }
}

/** The idempotency key every push carries: 1–128 characters PostgreSQL can store as sent. */
export function requireIdempotencyKey(key: string | null | undefined): void {
  if (!key?.trim() || key.length > 128) {
    throw new InputError([{ field: "idempotencyKey", rule: "required", message: "幂等键必填且不超过128字符 / idempotencyKey is required, at most 128 characters" }]);
  }
  if (!storableText(key)) {
    throw new InputError([{ field: "idempotencyKey", rule: "text:characters", message: "幂等键含无法保存的字符 / idempotencyKey contains a character that cannot be stored" }]);
  }
}
