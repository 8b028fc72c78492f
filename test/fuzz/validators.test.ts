/**
 * Property-based tests of the structural validators (fast-check): the identifier checks against
 * reference implementations written here from the standards' text, the money and ratio grammars
 * against hand-written parsers, and the custom scalars against arbitrary JavaScript values.
 */
import fc from "fast-check";
import { GraphQLError, Kind, type ValueNode } from "graphql";
import { describe, expect, it } from "vitest";
import { checks, Problems } from "../../src/graphql/validation.js";
import { DateTimeScalar, DecimalScalar, LocalDateScalar, MoneyScalar } from "../../src/graphql/scalars.js";
import { idNumberProblem, usccProblem } from "../../src/rules/identifiers.js";

const RUNS = { numRuns: 200 };

// ---------------------------------------------------------------------------------------------
// Reference implementations, from GB 32100-2015 and GB 11643-1999 as summarised in DOMAIN.md.
// Deliberately written differently from src/rules/identifiers.ts (lookup tables, no Date, no regex).
// ---------------------------------------------------------------------------------------------

const REF_USCC_CHARS = "0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K L M N P Q R T U W X Y".split(" ");
const REF_USCC_VALUE = new Map(REF_USCC_CHARS.map((c, i) => [c, i]));
const REF_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function refUsccCheck(first17: string[]): string {
  const sum = first17.reduce((acc, c, i) => acc + REF_USCC_VALUE.get(c)! * REF_USCC_WEIGHTS[i], 0);
  const c = 31 - (sum % 31);
  return REF_USCC_CHARS[c === 31 ? 0 : c];
}

/** Length in UTF-16 code units (what the hub's message calls "characters"), then charset, then check. */
function refUsccProblem(code: string): string | null {
  if (code.length !== 18) return "length";
  const units: string[] = [];
  for (let i = 0; i < code.length; i++) units.push(code.charAt(i));
  if (units.some((c) => !REF_USCC_VALUE.has(c))) return "charset";
  return refUsccCheck(units.slice(0, 17)) === units[17] ? null : "check_digit";
}

const REF_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const REF_ID_CHECK = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"];
const DIGITS = "0123456789";

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
function daysIn(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Today's calendar date in China Standard Time, through ICU rather than an offset. */
function cstKey(today: Date): number {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(today);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return get("year") * 10000 + get("month") * 100 + get("day");
}

function refIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += DIGITS.indexOf(first17.charAt(i)) * REF_ID_WEIGHTS[i];
  return REF_ID_CHECK[sum % 11];
}

function refIdProblem(id: string, today: Date): string | null {
  if (id.length !== 18) return "length";
  for (let i = 0; i < 17; i++) if (!DIGITS.includes(id.charAt(i))) return "charset";
  const last = id.charAt(17);
  if (!(DIGITS.includes(last) || last === "X")) return "charset";
  const y = Number(id.slice(6, 10)), m = Number(id.slice(10, 12)), d = Number(id.slice(12, 14));
  const real = m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
  if (!real || y < 1900 || y * 10000 + m * 100 + d > cstKey(today)) return "birth_date";
  return refIdCheck(id.slice(0, 17)) === last ? null : "check_digit";
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** Odd characters an attacker or a broken encoder sends: NUL, controls, lone surrogates, full-width, lower case. */
const junkChar = fc.constantFrom("\u0000", "\u0001", "\n", " ", "\u3000", "\ud800", "\udc00", "😀", "Ｏ", "o", "i", "I", "Z", "S", "V", "-", "０", "é", "\u202e");

const usccChar = fc.constantFrom(...REF_USCC_CHARS);
const validUscc = fc.array(usccChar, { minLength: 17, maxLength: 17 }).map((cs) => cs.join("") + refUsccCheck(cs));

/** Strings near the USCC shape (mostly the right alphabet and length) plus anything at all. */
const usccLike = fc.oneof(
  validUscc,
  fc.array(fc.oneof({ weight: 9, arbitrary: usccChar }, { weight: 1, arbitrary: junkChar }), { minLength: 16, maxLength: 19 }).map((cs) => cs.join("")),
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.string({ unit: "grapheme", minLength: 18, maxLength: 18 }),
);

const FIXED_TODAY = new Date("2025-06-15T17:30:00Z"); // 2025-06-16 01:30 in China: CST decides "today"
const TODAY_CASES = [FIXED_TODAY, new Date("2025-06-15T15:59:59.999Z"), new Date("2025-06-15T16:00:00Z"), new Date("2024-02-28T16:00:00Z")];

const digits = (n: number) => fc.array(fc.constantFrom(...DIGITS.split("")), { minLength: n, maxLength: n }).map((a) => a.join(""));
const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** A real birth date from 1900-01-01 to the reference "today" (CST), as YYYYMMDD. */
const realBirth = (today: Date) => {
  const max = cstKey(today);
  return fc
    .record({ y: fc.integer({ min: 1900, max: Math.floor(max / 10000) }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
    .filter(({ y, m, d }) => d <= daysIn(y, m) && y * 10000 + m * 100 + d <= max)
    .map(({ y, m, d }) => `${y}${pad(m, 2)}${pad(d, 2)}`);
};

const validId = (today: Date) =>
  fc.tuple(digits(6), realBirth(today), digits(3)).map(([region, birth, seq]) => {
    const first17 = region + birth + seq;
    return first17 + refIdCheck(first17);
  });

/** ID-shaped strings: random but plausible dates (month 00–19, day 00–39, years 1850–2099), random check chars. */
const idLike = (today: Date) =>
  fc.oneof(
    validId(today),
    fc
      .tuple(digits(6), fc.integer({ min: 1850, max: 2099 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }), digits(3), fc.constantFrom(...DIGITS.split(""), "X", "x"))
      .map(([r, y, m, d, s, c]) => `${r}${y}${pad(m, 2)}${pad(d, 2)}${s}${c}`),
    fc.array(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...DIGITS.split(""), "X") }, { weight: 1, arbitrary: junkChar }), { minLength: 17, maxLength: 19 }).map((a) => a.join("")),
    fc.string({ unit: "binary", maxLength: 24 }),
  );

// ---------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------

describe("usccProblem (GB 32100-2015)", () => {
  it("agrees with the reference implementation on random and near-valid strings", () => {
    fc.assert(
      fc.property(usccLike, (code) => {
        expect(usccProblem(code)).toBe(refUsccProblem(code));
      }),
      RUNS,
    );
  });

  it("accepts every code whose check character is computed by the reference", () => {
    fc.assert(
      fc.property(validUscc, (code) => {
        expect(usccProblem(code)).toBeNull();
      }),
      RUNS,
    );
  });

  it("a valid code with one character replaced is never valid, unless the character is the same", () => {
    const replacement = fc.oneof({ weight: 4, arbitrary: usccChar }, { weight: 1, arbitrary: junkChar }, { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) });
    fc.assert(
      fc.property(validUscc, fc.integer({ min: 0, max: 17 }), replacement, (code, at, ch) => {
        const mutated = code.slice(0, at) + ch + code.slice(at + 1);
        if (ch === code[at]) expect(usccProblem(mutated)).toBeNull();
        else expect(usccProblem(mutated)).not.toBeNull();
      }),
      RUNS,
    );
  });

  it("checks.uscc reports the same rule through Problems, at the given field", () => {
    fc.assert(
      fc.property(usccLike, (code) => {
        const p = new Problems();
        const ok = checks.uscc(p, "insuredEnterprises[0].uscc", code);
        const ref = refUsccProblem(code);
        expect(ok).toBe(ref === null);
        expect(p.list).toEqual(ref === null ? [] : [expect.objectContaining({ field: "input.insuredEnterprises[0].uscc", rule: `uscc:${ref}` })]);
      }),
      RUNS,
    );
  });
});

describe("idNumberProblem (GB 11643-1999)", () => {
  it("agrees with the reference implementation on random and near-valid strings, for several 'today's", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TODAY_CASES).chain((today) => fc.tuple(fc.constant(today), idLike(today))), ([today, id]) => {
        expect(idNumberProblem(id, today)).toBe(refIdProblem(id, today));
      }),
      RUNS,
    );
  });

  it("birth dates around 'today' in China Standard Time: today is valid, tomorrow is not", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TODAY_CASES), digits(6), digits(3), fc.integer({ min: -3, max: 3 }), (today, region, seq, shift) => {
        const key = cstKey(today);
        const base = new Date(Date.UTC(Math.floor(key / 10000), Math.floor(key / 100) % 100 - 1, key % 100 + shift));
        const birth = `${base.getUTCFullYear()}${pad(base.getUTCMonth() + 1, 2)}${pad(base.getUTCDate(), 2)}`;
        const first17 = region + birth + seq;
        const id = first17 + refIdCheck(first17);
        expect(idNumberProblem(id, today)).toBe(shift > 0 ? "birth_date" : null);
      }),
      RUNS,
    );
  });

  it("a valid number with one character replaced is never valid, unless the character is the same", () => {
    const replacement = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...DIGITS.split(""), "X") }, { weight: 1, arbitrary: junkChar });
    fc.assert(
      fc.property(validId(FIXED_TODAY), fc.integer({ min: 0, max: 17 }), replacement, (id, at, ch) => {
        const mutated = id.slice(0, at) + ch + id.slice(at + 1);
        if (ch === id[at]) expect(idNumberProblem(mutated, FIXED_TODAY)).toBeNull();
        else expect(idNumberProblem(mutated, FIXED_TODAY)).not.toBeNull();
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Money and ratios: each check accepts exactly its grammar
// ---------------------------------------------------------------------------------------------

/** Reference parser: [-]digits[.digits] without a regex; null when the string is not of that shape. */
function parseDec(s: string): { neg: boolean; int: string; frac: string | null } | null {
  let i = 0;
  const neg = s.charAt(0) === "-";
  if (neg) i++;
  let int = "";
  while (i < s.length && DIGITS.includes(s.charAt(i))) int += s.charAt(i++);
  let frac: string | null = null;
  if (i < s.length && s.charAt(i) === ".") {
    i++;
    frac = "";
    while (i < s.length && DIGITS.includes(s.charAt(i))) frac += s.charAt(i++);
    if (frac === "") return null;
  }
  if (int === "" || i !== s.length) return null;
  return { neg, int, frac };
}

/** Money: yuan ≥ 0, 1–14 integer digits (numeric(16,2)), at most 2 decimals. */
const refMoneyOk = (s: string) => {
  const d = parseDec(s);
  return !!d && !d.neg && d.int.length <= 14 && (d.frac === null || d.frac.length <= 2);
};
/** Ratio: 0 ≤ x ≤ 1 written as 0, 0.d{1,4}, 1 or 1.0{1,4} (no leading zeros, at most 4 decimals). */
const refRatioOk = (s: string) => {
  const d = parseDec(s);
  if (!d || d.neg || (d.int !== "0" && d.int !== "1")) return false;
  if (d.frac === null) return true;
  return d.frac.length <= 4 && (d.int === "0" || [...d.frac].every((c) => c === "0"));
};

const decChar = fc.constantFrom(..."0123456789".split(""), "0", "1", ".", "-", "+", "e", " ", "\u0000", "١", "٫");
const decimalLike = fc.oneof(
  fc.array(decChar, { maxLength: 22 }).map((a) => a.join("")),
  fc.tuple(fc.boolean(), digits(1).chain((d) => fc.constantFrom(d, "0", "1")), fc.option(fc.integer({ min: 0, max: 6 }).chain(digits)))
    .map(([neg, i, f]) => `${neg ? "-" : ""}${i}${f === null ? "" : "." + f}`),
  fc.tuple(fc.integer({ min: 1, max: 18 }).chain(digits), fc.option(fc.integer({ min: 0, max: 4 }).chain(digits))).map(([i, f]) => (f === null ? i : `${i}.${f}`)),
  fc.string({ unit: "binary", maxLength: 12 }),
);

describe("checks.money and checks.ratio", () => {
  it("money accepts exactly the yuan grammar, and names negative amounts apart", () => {
    fc.assert(
      fc.property(decimalLike, (s) => {
        const p = new Problems();
        checks.money(p, "premium", s);
        if (refMoneyOk(s)) expect(p.list).toEqual([]);
        else {
          expect(p.list).toHaveLength(1);
          expect(p.list[0]).toMatchObject({ field: "input.premium", rule: s.startsWith("-") ? "money:nonnegative" : "money:2dp" });
        }
      }),
      RUNS,
    );
  });

  it("money: null is 'required' when required and nothing otherwise", () => {
    for (const v of [null, undefined]) {
      const p = new Problems();
      checks.money(p, "premium", v);
      checks.money(p, "thirdPartyLimit", v, false);
      expect(p.list.map((x) => `${x.field} ${x.rule}`)).toEqual(["input.premium required"]);
    }
  });

  it("ratio accepts exactly 0–1 with at most 4 decimals", () => {
    fc.assert(
      fc.property(decimalLike, (s) => {
        const p = new Problems();
        checks.ratio(p, "commissionRatio", s);
        expect(p.list.length === 0).toBe(refRatioOk(s));
        if (p.list.length) expect(p.list[0]).toMatchObject({ field: "input.commissionRatio", rule: "ratio:0-1" });
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Scalars: parseValue / parseLiteral never throw anything but BAD_USER_INPUT
// ---------------------------------------------------------------------------------------------

const SCALARS = [MoneyScalar, DecimalScalar, DateTimeScalar, LocalDateScalar];

const nearScalar = fc.oneof(
  decimalLike,
  fc
    .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }), fc.integer({ min: 0, max: 29 }), fc.integer({ min: 0, max: 69 }), fc.constantFrom("Z", "+08:00", "-23:59", "+99:99", "", "+0800", "z"))
    .map(([y, mo, d, h, mi, off]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:00${off}`),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  fc.date().map((d) => (Number.isNaN(d.getTime()) ? "Invalid" : d.toISOString())),
);

const anyValue = fc.oneof(
  nearScalar,
  fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true }),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e21, Number.MAX_SAFE_INTEGER + 2, Symbol("x"), () => 1),
);

function expectBadUserInput(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    expect((e as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    return undefined;
  }
}

/** A literal AST node as a client would write it, from a JSON-ish value. */
function literal(v: unknown): ValueNode {
  if (v === null || v === undefined) return { kind: Kind.NULL };
  if (typeof v === "boolean") return { kind: Kind.BOOLEAN, value: v };
  if (typeof v === "number") return Number.isInteger(v) ? { kind: Kind.INT, value: String(v) } : { kind: Kind.FLOAT, value: String(v) };
  if (typeof v === "string") return { kind: Kind.STRING, value: v };
  if (Array.isArray(v)) return { kind: Kind.LIST, values: v.map(literal) };
  return {
    kind: Kind.OBJECT,
    fields: Object.entries(v as object).map(([k, x]) => ({ kind: Kind.OBJECT_FIELD, name: { kind: Kind.NAME, value: k }, value: literal(x) })),
  };
}

describe("scalars", () => {
  it("parseValue returns a well-formed value or throws a BAD_USER_INPUT GraphQLError, whatever it is given", () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        for (const scalar of SCALARS) {
          const out = expectBadUserInput(() => scalar.parseValue(v));
          if (out === undefined) continue;
          if (scalar === MoneyScalar || scalar === DecimalScalar) expect(out).toMatch(/^-?\d+(\.\d+)?$/);
          if (scalar === DateTimeScalar) expect(Number.isNaN((out as Date).getTime())).toBe(false);
          if (scalar === LocalDateScalar) {
            const [y, m, d] = (out as string).split("-").map(Number);
            expect(m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("parseLiteral behaves the same on any literal node (strings, numbers, lists, objects, enums, variables)", () => {
    const node = fc.oneof(
      fc.jsonValue().map(literal),
      nearScalar.map(literal),
      fc.string().map((s): ValueNode => ({ kind: Kind.ENUM, value: s || "X" })),
      fc.constant<ValueNode>({ kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: "v" } }),
    );
    fc.assert(
      fc.property(node, (ast) => {
        for (const scalar of SCALARS) expectBadUserInput(() => scalar.parseLiteral(ast, {}));
      }),
      RUNS,
    );
  });

  it("LocalDate accepts exactly the real calendar dates written YYYY-MM-DD", () => {
    fc.assert(
      fc.property(nearScalar, (s) => {
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
        const real = !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= daysIn(Number(m[1]), Number(m[2]));
        const out = expectBadUserInput(() => LocalDateScalar.parseValue(s));
        expect(out === s).toBe(real);
      }),
      RUNS,
    );
  });

  it("Money and Decimal round-trip the decimal they were given, trimmed", () => {
    fc.assert(
      fc.property(decimalLike, (s) => {
        const out = expectBadUserInput(() => MoneyScalar.parseValue(s));
        const t = s.trim();
        const shape = parseDec(t) !== null;
        expect(out === undefined ? null : out).toBe(shape ? t : null);
      }),
      RUNS,
    );
  });
});
