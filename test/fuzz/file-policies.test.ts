/**
 * Fuzzing `filePolicies` through GraphQL execution on a fixture database (fast-check).
 *
 * Each batch item is a valid filing with 1–3 fields corrupted. Two kinds of corruption:
 *  - typed: the value passes GraphQL coercion and must be caught by the hub's validators — every
 *    item comes back `accepted: false`, `errorCode: BAD_USER_INPUT`, every error's `field` under
 *    `inputs[<i>].`, never an error at the GraphQL level;
 *  - coercion: the value has the wrong GraphQL type (an Int as a string, a missing required field,
 *    an unknown enum …): graphql-js refuses the variables before any resolver runs, and Apollo (what
 *    the HTTP layer runs) codes every such error BAD_USER_INPUT.
 * Either way no row is written. A second property sends filings that may or may not be valid
 * (odd but storable text, extreme dates and headcounts): each is stored exactly as sent or rejected
 * as BAD_USER_INPUT, and never turns into an internal error.
 */
import { ApolloServer } from "@apollo/server";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { ExecutionResult } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "../../src/auth/viewer.js";
import type { Database } from "../../src/db/client.js";
import { COVERAGE_ITEMS } from "../../src/domain/vocabulary.js";
import { createContext, type Context } from "../../src/graphql/context.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { isValidUscc, USCC_ALPHABET, usccCheckChar } from "../../src/rules/identifiers.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture } from "../support/fixture.js";
import { asRole } from "../support/graphql.js";

let database: Database;
let run: ReturnType<typeof asRole>;
let apollo: ApolloServer<Context>;
const insurer: Viewer = { sub: "fuzz", role: "INSURER", org: F.insurerA, purpose: null, jurisdiction: null };

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  run = asRole(database);
  apollo = new ApolloServer<Context>({ schema: await buildHubSchema() });
  await apollo.start();
});
afterAll(async () => {
  await apollo?.stop();
  await database?.close();
});

const BULK = `mutation($inputs: [PolicyFilingInput!]!) {
  filePolicies(inputs: $inputs) { idempotencyKey accepted replayed errorCode errors { field rule message } policy { policyNo startAt endAt insuredHeadcount } }
}`;

const TABLES = ["policies", "policy_enterprises", "policy_coinsurers", "policy_versions", "policy_service_plans", "policy_service_orgs", "idempotency_keys", "compliance_findings"];
async function counts(): Promise<Record<string, number>> {
  const q = TABLES.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(", ");
  const res = (await database.db.execute(sql.raw(`select ${q}`))) as unknown as { rows: Record<string, number>[] };
  return Object.fromEntries(TABLES.map((t) => [t, Number(res.rows[0][t])]));
}

// ---------------------------------------------------------------------------------------------
// A valid filing
// ---------------------------------------------------------------------------------------------

type Filing = Record<string, any>;
interface Item {
  idempotencyKey: unknown;
  input: Filing;
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");
/** n / 10^places as a fixed decimal string, e.g. fixed(-4000, 4) = "-0.4000". */
const fixed = (n: number, places: number) => {
  const a = Math.abs(n), unit = 10 ** places;
  return `${n < 0 ? "-" : ""}${Math.floor(a / unit)}.${pad(a % unit, places)}`;
};
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3600_000;
/** The earliest instant a DateTime can carry with a four-digit year. */
const YEAR_0 = Date.parse("0000-01-01T00:00:00Z");

const KNOWN = [F.chemicals, F.construction, F.xiamenChem];
const money = fc.tuple(fc.integer({ min: 1, max: 9_999_999_999 }), fc.option(fc.integer({ min: 0, max: 99 }))).map(([i, c]) => (c === null ? String(i) : `${i}.${pad(c, 2)}`));

const validFiling: fc.Arbitrary<Filing> = fc
  .record({
    policyNo: fc.stringMatching(/^[A-Z]{2}-[0-9A-Z]{4,12}$/),
    enterprises: fc.shuffledSubarray(KNOWN, { minLength: 1, maxLength: 2 }),
    headcounts: fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 2, maxLength: 2 }),
    // whole seconds: DateTime is shown to the second (formatCst), so a round trip compares exactly
    start: fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 }).map((sec) => sec * 1000),
    days: fc.integer({ min: 1, max: 3 * 365 }),
    premium: money,
    deathLimit: money,
    medical: fc.option(money),
    thirdParty: fc.option(money),
    baseRate: fc.integer({ min: 0, max: 1_000_000 }).map((n) => fixed(n, 6)),
    rateFloat: fc.integer({ min: -9_999, max: 30_000 }).map((n) => fixed(n, 4)),
    commission: fc.integer({ min: 0, max: 10_000 }).map((n) => fixed(n, 4)),
    fund: fc.integer({ min: 0, max: 10_000 }).map((n) => fixed(n, 4)),
    coverage: fc.subarray([...COVERAGE_ITEMS]),
    leadShare: fc.option(fc.integer({ min: 1, max: 9_999 })),
    servicePlan: fc.option(fc.uniqueArray(fc.record({ kind: fc.constantFrom("RISK_ASSESSMENT", "HAZARD_INVESTIGATION", "TRAINING", "EMERGENCY_DRILL"), yearlyFrequency: fc.integer({ min: 1, max: 12 }) }), { selector: (s) => s.kind, maxLength: 3 })),
    serviceOrgs: fc.boolean(),
  })
  .map((r) => {
    const f: Filing = {
      policyNo: r.policyNo,
      insuredEnterprises: r.enterprises.map((uscc, i) => ({ uscc, insuredHeadcount: r.headcounts[i] })),
      startAt: iso(r.start),
      endAt: iso(r.start + r.days * 24 * HOUR),
      premium: r.premium,
      baseRate: r.baseRate,
      rateFloat: r.rateFloat,
      commissionRatio: r.commission,
      preventionFundRatio: r.fund,
      deathLimitPerPerson: r.deathLimit,
      coverageItems: r.coverage,
    };
    if (r.medical !== null) f.medicalLimitPerPerson = r.medical;
    if (r.thirdParty !== null) f.thirdPartyLimit = r.thirdParty;
    if (r.leadShare !== null) f.coinsurers = [{ insurerUscc: F.insurerA, share: fixed(r.leadShare, 4) }, { insurerUscc: F.insurerB, share: fixed(10_000 - r.leadShare, 4) }];
    if (r.servicePlan !== null) f.servicePlan = r.servicePlan;
    if (r.serviceOrgs) f.serviceOrgUsccs = [F.serviceOrg];
    return f;
  });

// ---------------------------------------------------------------------------------------------
// Corruptions
// ---------------------------------------------------------------------------------------------

interface Corruption {
  name: string;
  /** true: GraphQL itself refuses the variables (wrong type, missing field, unknown enum …) */
  coercion: boolean;
  /** for an item with this one corruption: an error field starts with inputs[i].<field> */
  field: string;
  apply(item: Item): void;
}
const typed = (name: string, field: string, apply: (item: Item) => void): Corruption => ({ name, coercion: false, field, apply });
const coerced = (name: string, apply: (item: Item) => void): Corruption => ({ name, coercion: true, field: "", apply });

/** NUL, controls, lone surrogates, bidi overrides, full-width and CJK characters, emoji. */
const junkChar = fc.constantFrom("\u0000", "\u0007", "\n", "\t", " ", "\u3000", "\u00a0", "\ud800", "\udfff", "\u202e", "\ufeff", "😀", "Ｏ", "企", "é", "'", '"', "\\", ";", "%", "$");
const junk = (min: number, max: number) =>
  fc.oneof(fc.string({ unit: "binary", minLength: min, maxLength: max }), fc.array(junkChar, { minLength: min, maxLength: max }).map((a) => a.join("")), fc.string({ unit: "grapheme", minLength: min, maxLength: max }));

const usccChar = fc.constantFrom(...USCC_ALPHABET.split(""));
const anyValidUscc = fc.array(usccChar, { minLength: 17, maxLength: 17 }).map((a) => a.join("") + usccCheckChar(a.join("")));
const unknownUscc = anyValidUscc.filter((u) => !Object.values(F).includes(u));
/** Not a USCC: empty, wrong length, junk characters, a valid code with a wrong check character, lower case, huge. */
const badUscc = fc
  .oneof(
    fc.constant(""),
    junk(0, 30),
    anyValidUscc.map((u) => u.slice(0, 17) + (u[17] === "0" ? "1" : "0")),
    anyValidUscc.map((u) => u.toLowerCase()),
    anyValidUscc.chain((u) => fc.tuple(fc.integer({ min: 0, max: 17 }), junkChar).map(([i, c]) => u.slice(0, i) + c + u.slice(i + 1))),
    fc.integer({ min: 19, max: 100_000 }).map((n) => "9".repeat(n)),
  )
  .filter((u) => !isValidUscc(u));

const digitsOf = (min: number, max: number) => fc.integer({ min, max }).chain((n) => fc.array(fc.constantFrom(..."0123456789".split("")), { minLength: n, maxLength: n })).map((a) => a.join(""));
const moneyField = fc.constantFrom("premium", "deathLimitPerPerson", "medicalLimitPerPerson", "thirdPartyLimit");
const ratioField = fc.constantFrom("commissionRatio", "preventionFundRatio");
const badShare = fc.oneof(fc.constantFrom("1.0001", "2", "1.5", "10", "0.00001", "0.33333", "-0.5", "0", "0.0000", "-0"), digitsOf(1, 4_000).map((d) => "1" + d), digitsOf(5, 12).map((d) => "0." + d));

/** The first insured enterprise, created when a corruption applied earlier emptied the list. */
function firstEnterprise(it: Item): Record<string, unknown> {
  if (!Array.isArray(it.input.insuredEnterprises) || !it.input.insuredEnterprises.length) it.input.insuredEnterprises = [{ uscc: F.chemicals, insuredHeadcount: 1 }];
  return it.input.insuredEnterprises[0];
}

const typedCorruption: fc.Arbitrary<Corruption> = fc.oneof(
  // identifiers
  badUscc.map((u) => typed("bad-enterprise-uscc", "input.insuredEnterprises[0].uscc", (it) => void (firstEnterprise(it).uscc = u))),
  badUscc.map((u) => typed("bad-coinsurer-uscc", "input.coinsurers[0].insurerUscc", (it) => void (it.input.coinsurers = [{ insurerUscc: u, share: "0.5" }, { insurerUscc: F.insurerA, share: "0.5" }]))),
  badUscc.map((u) => typed("bad-broker-uscc", "input.brokerUscc", (it) => void (it.input.brokerUscc = u))),
  badUscc.map((u) => typed("bad-service-org-uscc", "input.serviceOrgUsccs[0]", (it) => void (it.input.serviceOrgUsccs = [u]))),
  unknownUscc.map((u) => typed("unknown-enterprise", "input.insuredEnterprises[0].uscc", (it) => void (it.input.insuredEnterprises = [{ uscc: u, insuredHeadcount: 10 }]))),
  unknownUscc.map((u) => typed("unknown-coinsurer", "input.coinsurers[1].insurerUscc", (it) => void (it.input.coinsurers = [{ insurerUscc: F.insurerA, share: "0.5" }, { insurerUscc: u, share: "0.5" }]))),
  unknownUscc.map((u) => typed("unknown-service-org", "input.serviceOrgUsccs[0]", (it) => void (it.input.serviceOrgUsccs = [u]))),
  fc.constantFrom(...KNOWN).map((u) => typed("duplicate-enterprise", "input.insuredEnterprises[1].uscc", (it) => void (it.input.insuredEnterprises = [{ uscc: u, insuredHeadcount: 5 }, { uscc: u, insuredHeadcount: 7 }]))),
  // money and ratios
  fc.tuple(moneyField, money).map(([f, m]) => typed("negative-money", `input.${f}`, (it) => void (it.input[f] = "-" + m))),
  fc.tuple(moneyField, fc.oneof(digitsOf(1, 10).chain((i) => digitsOf(3, 8).map((d) => `${i}.${d}`)), digitsOf(15, 40), digitsOf(400, 5_000))).map(([f, m]) =>
    typed("money-precision-or-size", `input.${f}`, (it) => void (it.input[f] = m)),
  ),
  fc.tuple(ratioField, badShare).map(([f, v]) => typed("ratio-out-of-range", `input.${f}`, (it) => void (it.input[f] = v === "0" || v === "0.0000" ? "1.01" : v))),
  fc.constantFrom("1.000001", "2", "0.0000001", "-0.1", "10.5", "1" + "0".repeat(500)).map((v) => typed("base-rate-out-of-range", "input.baseRate", (it) => void (it.input.baseRate = v))),
  fc.constantFrom("-1", "-1.0000", "-1.5", "3.0001", "4", "0.12345", "-" + "9".repeat(300)).map((v) => typed("rate-float-out-of-range", "input.rateFloat", (it) => void (it.input.rateFloat = v))),
  // co-insurance
  fc.tuple(badShare, fc.integer({ min: 1, max: 9_999 })).map(([s, n]) =>
    typed("share-not-a-ratio", "input.coinsurers", (it) => void (it.input.coinsurers = [{ insurerUscc: F.insurerA, share: s }, { insurerUscc: F.insurerB, share: fixed(n, 4) }])),
  ),
  fc.tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 })).filter(([a, b]) => a + b !== 10_000).map(([a, b]) =>
    typed("shares-not-summing-to-1", "input.coinsurers", (it) => void (it.input.coinsurers = [{ insurerUscc: F.insurerA, share: fixed(a, 4) }, { insurerUscc: F.insurerB, share: fixed(b, 4) }])),
  ),
  fc.constant(typed("lead-without-share", "input.coinsurers", (it) => void (it.input.coinsurers = [{ insurerUscc: F.insurerB, share: "1" }]))),
  fc.constant(typed("duplicate-coinsurer", "input.coinsurers[1].insurerUscc", (it) => void (it.input.coinsurers = [{ insurerUscc: F.insurerA, share: "0.5" }, { insurerUscc: F.insurerA, share: "0.5" }]))),
  // period and headcount
  fc.integer({ min: 0, max: 5 * 365 * 24 }).map((h) =>
    typed("end-not-after-start", "input.endAt", (it) => void (it.input.endAt = iso(Math.max(Date.parse(it.input.startAt) - h * HOUR, YEAR_0)))),
  ),
  fc.tuple(fc.integer({ min: 0, max: 1899 }), fc.integer({ min: 1, max: 400 })).map(([y, d]) =>
    typed("start-before-1900", "input.startAt", (it) => {
      it.input.startAt = `${pad(y, 4)}-06-01T00:00:00+08:00`;
      it.input.endAt = iso(Date.parse(it.input.startAt) + d * 24 * HOUR);
    }),
  ),
  fc.integer({ min: -2_147_483_648, max: 0 }).map((n) => typed("headcount-not-positive", "input.insuredEnterprises[0].insuredHeadcount", (it) => void (firstEnterprise(it).insuredHeadcount = n))),
  fc.integer({ min: 1_073_741_825, max: 2_147_483_647 }).map((n) =>
    typed("headcount-total-overflow", "input.insuredEnterprises", (it) => void (it.input.insuredEnterprises = [{ uscc: F.chemicals, insuredHeadcount: n }, { uscc: F.construction, insuredHeadcount: n }])),
  ),
  // text, keys, arrays
  fc.integer({ min: 65, max: 200_000 }).chain((n) => junk(1, 3).filter((s) => s.length > 0).map((s) => s.repeat(Math.ceil(n / s.length)))).map((s) =>
    typed("huge-policy-no", "input.policyNo", (it) => void (it.input.policyNo = s)),
  ),
  fc.constantFrom("", " ", "\t\n", "\u3000\u3000", "\u00a0", "\ufeff").map((s) => typed("blank-policy-no", "input.policyNo", (it) => void (it.input.policyNo = s))),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom("\u0000", "\ud800", "\udc00"), fc.string({ maxLength: 10 })).map(([a, c, b]) =>
    typed("unstorable-policy-no", "input.policyNo", (it) => void (it.input.policyNo = `P${a}${c}${b}`)),
  ),
  fc.oneof(fc.constantFrom("", " ", "\u3000", "\u0000", "k\ud800"), fc.integer({ min: 129, max: 50_000 }).map((n) => "k".repeat(n))).map((k) =>
    typed("bad-idempotency-key", "idempotencyKey", (it) => void (it.idempotencyKey = k)),
  ),
  fc.constant(typed("no-enterprises", "input.insuredEnterprises", (it) => void (it.input.insuredEnterprises = []))),
  fc.constant(typed("no-coinsurers", "input.coinsurers", (it) => void (it.input.coinsurers = []))),
  junk(1, 20).filter((s) => !(COVERAGE_ITEMS as readonly string[]).includes(s)).map((s) =>
    typed("unknown-coverage-item", "input.coverageItems", (it) => void (it.input.coverageItems = [...(Array.isArray(it.input.coverageItems) ? it.input.coverageItems : []), s])),
  ),
  fc.constantFrom(0, -1, -2_147_483_648).map((n) => typed("service-frequency-not-positive", "input.servicePlan[0].yearlyFrequency", (it) => void (it.input.servicePlan = [{ kind: "TRAINING", yearlyFrequency: n }]))),
  fc.constant(typed("duplicate-service-kind", "input.servicePlan[1].kind", (it) => void (it.input.servicePlan = [{ kind: "TRAINING", yearlyFrequency: 1 }, { kind: "TRAINING", yearlyFrequency: 2 }]))),
);

/** Wrong GraphQL types: refused by variable coercion. */
const coercionCorruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.constantFrom<unknown>("100", 1.5, 2 ** 31, -(2 ** 31) - 1, true, null, [], {}).map((v) => coerced("headcount-wrong-type", (it) => void (it.input.insuredEnterprises = [{ uscc: F.chemicals, insuredHeadcount: v }]))),
  fc.tuple(moneyField, fc.oneof(fc.constantFrom<unknown>("", "abc", "1,000", "１２", "١٢", "1e5", "0x10", "+5", ".5", "5.", true, [], {}, [1]), junk(1, 10).filter((s) => !/^\s*-?\d+(\.\d+)?\s*$/.test(s)))).map(([f, v]) =>
    coerced("money-wrong-type", (it) => void (it.input[f] = v)),
  ),
  fc.tuple(fc.constantFrom("startAt", "endAt"), fc.constantFrom<unknown>("2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z", "2026-01-01T25:00:00Z", "yesterday", "", 1_700_000_000_000, null, {})).map(([f, v]) =>
    coerced("datetime-wrong-type", (it) => void (it.input[f] = v)),
  ),
  fc.constantFrom<unknown>(123, null, [], {}, true).map((v) => coerced("policy-no-wrong-type", (it) => void (it.input.policyNo = v))),
  fc.constantFrom<unknown>([1], [null], { a: 1 }, null).map((v) => coerced("coverage-items-wrong-type", (it) => void (it.input.coverageItems = v))),
  fc.constantFrom<unknown>("FOO", "risk_assessment", 1, "").map((v) => coerced("unknown-service-kind", (it) => void (it.input.servicePlan = [{ kind: v, yearlyFrequency: 1 }]))),
  fc.constantFrom("premium", "startAt", "insuredEnterprises", "coverageItems", "policyNo", "baseRate").map((f) => coerced("missing-required-field", (it) => void delete it.input[f])),
  fc.constantFrom("input", "enterprise").map((where) =>
    coerced("unknown-input-field", (it) => void (where === "input" ? (it.input.extra = 1) : (it.input.insuredEnterprises = [{ uscc: F.chemicals, insuredHeadcount: 1, extra: "x" }]))),
  ),
  fc.constantFrom<unknown>(null, 42, ["k"]).map((k) => coerced("idempotency-key-wrong-type", (it) => void (it.idempotencyKey = k))),
);

type Corrupted = { item: Item; corruptions: Corruption[] };
const corrupted = (cs: Corruption[]) => (input: Filing): Corrupted => ({ item: { idempotencyKey: "", input: structuredClone(input) }, corruptions: cs });
/** 1–3 well-typed corruptions: the item reaches the resolver. */
const typedItem = fc.tuple(validFiling, fc.uniqueArray(typedCorruption, { minLength: 1, maxLength: 3, selector: (c) => c.name })).map(([f, cs]) => corrupted(cs)(f));
/** 0–2 well-typed corruptions, then a wrong-typed one (applied last, so nothing overwrites it). */
const coercedItem = fc
  .tuple(validFiling, fc.uniqueArray(typedCorruption, { maxLength: 2, selector: (c) => c.name }), coercionCorruption)
  .map(([f, cs, c]) => corrupted([...cs, c])(f));
/**
 * One wrong-typed item fails the whole request at coercion, hiding what the others would do: so
 * three batches in four are well-typed only, and the rest mix in at least one wrong-typed item.
 */
const batchOf = fc.oneof(
  { weight: 3, arbitrary: fc.array(typedItem, { minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.tuple(fc.array(typedItem, { maxLength: 3 }), fc.array(coercedItem, { minLength: 1, maxLength: 3 })).chain(([a, b]) => fc.shuffledSubarray([...a, ...b], { minLength: a.length + b.length })) },
);

let serial = 0;
const nextKey = () => `fuzz-${process.pid}-${++serial}`;

// ---------------------------------------------------------------------------------------------

describe("filePolicies under fuzzing", () => {
  it("the uncorrupted filings are valid: each is accepted (so every rejection below comes from a corruption)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(validFiling, { minLength: 1, maxLength: 3 }), async (filings) => {
        const before = await counts();
        const inputs = filings.map((input) => ({ idempotencyKey: nextKey(), input: { ...input, policyNo: `${input.policyNo}-${serial}` } }));
        const r = await run("INSURER", F.insurerA, BULK, { inputs });
        expect(r.errors).toBeUndefined();
        expect(r.data.filePolicies.map((x: any) => [x.accepted, x.errorCode])).toEqual(inputs.map(() => [true, null]));
        expect((await counts()).policies).toBe(before.policies + inputs.length);
      }),
      { numRuns: 10 },
    );
  });

  it("every corrupted item is rejected as BAD_USER_INPUT at a path under inputs[i], and nothing is written", async () => {
    await fc.assert(
      fc.asyncProperty(batchOf, async (batch) => {
        const inputs = batch.map(({ item, corruptions }) => {
          item.idempotencyKey = nextKey();
          for (const c of corruptions) c.apply(item);
          return item;
        });
        const coercion = batch.some(({ corruptions }) => corruptions.some((c) => c.coercion));
        const before = await counts();
        const r: ExecutionResult<any> = await run("INSURER", F.insurerA, BULK, { inputs });

        if (coercion) {
          // refused before any resolver: only variable errors, no data …
          expect(r.data).toBeUndefined();
          expect(r.errors?.length).toBeGreaterThan(0);
          for (const e of r.errors!) expect(e.message).toMatch(/^Variable "\$inputs" got invalid value/);
          // … and what the HTTP layer (Apollo) sends for them is BAD_USER_INPUT, status 400
          const a = await apollo.executeOperation({ query: BULK, variables: { inputs } }, { contextValue: createContext(database.db, insurer) });
          expect(a.body.kind).toBe("single");
          if (a.body.kind !== "single") return;
          expect(a.body.singleResult.data).toBeUndefined();
          expect(a.body.singleResult.errors?.map((e) => e.extensions?.code)).toEqual(r.errors!.map(() => "BAD_USER_INPUT"));
          expect(a.http.status).toBe(400);
        } else {
          if (r.errors) throw new Error("GraphQL-level error: " + JSON.stringify(r.errors.map((e) => ({ message: e.message.slice(0, 300), code: e.extensions?.code }))));
          const results = r.data.filePolicies as any[];
          expect(results).toHaveLength(inputs.length);
          results.forEach((res, i) => {
            const what = `item ${i} (${batch[i].corruptions.map((c) => c.name).join(", ")})`;
            expect(res, what).toMatchObject({ accepted: false, replayed: false, policy: null, errorCode: "BAD_USER_INPUT" });
            expect(res.errors.length, what).toBeGreaterThan(0);
            for (const e of res.errors) {
              expect(e.field, what).toMatch(new RegExp(`^inputs\\[${i}\\]\\.`));
              expect(e.rule, what).toBeTruthy();
              expect(e.message, what).toBeTruthy();
            }
            const [only, ...more] = batch[i].corruptions;
            if (!more.length) expect(res.errors.map((e: any) => e.field).some((f: string) => f.startsWith(`inputs[${i}].${only.field}`)), `${what}: ${JSON.stringify(res.errors)}`).toBe(true);
          });
        }
        expect(await counts()).toEqual(before);
      }),
      { numRuns: 50 },
    );
  });

  it("odd but possibly valid filings are stored exactly as sent or rejected as BAD_USER_INPUT, never an internal error", async () => {
    type Odd = (input: Filing, item: { idempotencyKey: string }) => void;
    /** Each of these may leave the filing valid; an item gets 0–2 of them. */
    const oddity: fc.Arbitrary<[string, Odd]> = fc.oneof(
      junk(0, 30).map((s): [string, Odd] => ["policy-no", (f) => void (f.policyNo = s + f.policyNo)]),
      junk(0, 30).map((s): [string, Odd] => ["key", (_f, it) => void (it.idempotencyKey = s + it.idempotencyKey)]),
      fc.constantFrom("", "   ").map((s): [string, Odd] => ["broker", (f) => void (f.brokerUscc = s)]),
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.constantFrom("Z", "+08:00", "-12:00", "+14:00", "+23:59", "-23:59"), fc.integer({ min: 1, max: 4_000_000 }))
        .map(([y, m, d, off, days]): [string, Odd] => [
          "period",
          (f) => {
            f.startAt = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T00:00:00${off}`;
            f.endAt = iso(Math.min(Date.parse(f.startAt) + days * 24 * HOUR, Date.parse("9999-12-31T00:00:00Z")));
          },
        ]),
      fc.array(fc.integer({ min: 1, max: 2_147_483_647 }), { minLength: 2, maxLength: 2 }).map((h): [string, Odd] => [
        "headcounts",
        (f) => void f.insuredEnterprises.forEach((e: any, i: number) => (e.insuredHeadcount = h[i])),
      ]),
      fc.oneof(fc.integer({ min: 1, max: 9_999 }).map((n) => [fixed(n, 4), fixed(10_000 - n, 4)]), digitsOf(300, 400).map((d) => [d, "0.5"])).map((shares): [string, Odd] => [
        "shares",
        (f) => void (f.coinsurers = [{ insurerUscc: F.insurerA, share: shares[0] }, { insurerUscc: F.insurerB, share: shares[1] }]),
      ]),
    );
    const odd = fc.tuple(validFiling, fc.uniqueArray(oddity, { maxLength: 2, selector: ([name]) => name })).map(([filing, odds]) => {
      const n = ++serial;
      const item = { idempotencyKey: `odd-${n}`, input: { ...structuredClone(filing), policyNo: `${filing.policyNo}#${n}` } };
      for (const [, apply] of odds) apply(item.input, item);
      return item;
    });
    await fc.assert(
      fc.asyncProperty(fc.array(odd, { minLength: 1, maxLength: 4 }), async (inputs) => {
        const before = await counts();
        const r = await run("INSURER", F.insurerA, BULK, { inputs });
        if (r.errors) throw new Error("GraphQL-level error: " + JSON.stringify(r.errors.map((e) => ({ message: e.message.slice(0, 300), code: e.extensions?.code }))));
        const results = r.data.filePolicies as any[];
        let accepted = 0;
        results.forEach((res, i) => {
          if (res.accepted) {
            accepted++;
            expect(res.policy.policyNo).toBe(inputs[i].input.policyNo);
            expect(Date.parse(res.policy.startAt)).toBe(Date.parse(inputs[i].input.startAt));
            expect(Date.parse(res.policy.endAt)).toBe(Date.parse(inputs[i].input.endAt));
          } else {
            expect(res.errorCode).toBe("BAD_USER_INPUT");
            for (const e of res.errors) expect(e.field).toMatch(new RegExp(`^inputs\\[${i}\\]\\.`));
          }
        });
        expect((await counts()).policies).toBe(before.policies + accepted);
      }),
      { numRuns: 25 },
    );
  });
});
