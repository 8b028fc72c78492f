/**
 * filePolicies' batch path (bulk.ts) against its contract, the one-by-one path: the same batches,
 * in the same order, go through fileOneByOne on one database and fileBatchTx on another with the
 * same starting rows. Every item must get the same answer, and the two databases must hold the same
 * rows afterwards (ids included: both draw from the same sequences in the same order), timestamps aside.
 *
 * The batches are random (a seeded generator, the same on every run) over a small pool of keys,
 * policy numbers and enterprises, so that they keep colliding: replays within and across batches,
 * a key reused with other content, a policy number refiled under a new key with the same or other
 * content, a key whose first item fails and whose second succeeds, invalid items (structure and
 * registry), group and co-insured policies, overlapping periods of one enterprise with different
 * limits (PER_PERSON_AMOUNT_DIFFERS depends on which items came before), and keys that need quoting.
 *
 * Also: the fallback (a batch the database refuses in a way validation did not foresee is filed one
 * by one, with the same answers) and the batch-wide FORBIDDEN answers.
 */
import { sql } from "drizzle-orm";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "../../src/auth/viewer.js";
import type { Database } from "../../src/db/client.js";
import { InputError } from "../../src/graphql/validation.js";
import { fileBatchTx, fileOneByOne, filePolicies, type FilingItem, type ItemOutcome } from "../../src/modules/policies/bulk.js";
import { accidents, brokers } from "../../schema/index.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture, uscc } from "../support/fixture.js";

const insurer = (org: string): Viewer => ({ sub: "bulk-test", role: "INSURER", org, purpose: null, jurisdiction: null });
const BROKER = uscc("110000", 50);
const UNKNOWN = uscc("500112", 777);

async function prepared(): Promise<Database> {
  const d = await freshDatabase();
  await loadFixture(d.db);
  await d.db.insert(brokers).values({ uscc: BROKER, name: "丁保险经纪有限公司" });
  // a 较大 accident: the chemicals plant's float ceiling rises to +150 % for a year
  await d.db.insert(accidents).values({ enterpriseUscc: F.chemicals, occurredAt: new Date("2025-09-01T08:00:00+08:00"), deaths: 3, seriousInjuries: 0, grade: "LARGER" });
  return d;
}

/** mulberry32: the same batches on every run */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [...Array.from({ length: 40 }, (_, i) => `k${i}`), 'k"{a,b}\\', "键 1", " k9 "];
const NUMBERS = Array.from({ length: 40 }, (_, i) => `D-${i}`);
const ENTERPRISES = [F.chemicals, F.construction, F.xiamenChem, F.closed];

function generator(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chance = (p: number) => r() < p;
  const history: FilingItem[] = [];

  const filing = (): FilingItem["input"] => {
    const members = chance(0.2) ? [pick(ENTERPRISES), pick(ENTERPRISES)] : [pick(ENTERPRISES)];
    const start = pick(["2026-01-01T00:00:00+08:00", "2026-03-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00"]);
    const end = new Date(start);
    end.setUTCMonth(end.getUTCMonth() + (chance(0.8) ? 12 : 6));
    const input: Record<string, unknown> = {
      policyNo: pick(NUMBERS),
      insuredEnterprises: members.map((u, i) => ({ uscc: chance(0.03) ? UNKNOWN : u, insuredHeadcount: pick([10, 30, 40, 100, 5]) + i })),
      startAt: new Date(start),
      endAt: end,
      premium: chance(0.03) ? "-5" : pick(["12000.00", "8000", "007.5"]),
      baseRate: "0.003000",
      rateFloat: pick(["0.1000", "0.6", "-0.5", "1.2"]),
      commissionRatio: pick(["0.0400", "0.08"]),
      preventionFundRatio: pick(["0.2000", "0.05", "0.25"]),
      deathLimitPerPerson: pick(["500000.00", "300000", "400000.5", "600000"]),
      coverageItems: chance(0.9) ? ["EMPLOYEE_INJURY_DEATH", "RESCUE"] : [],
    };
    if (chance(0.5)) input.medicalLimitPerPerson = "50000.00";
    if (chance(0.3)) input.servicePlan = [{ kind: "RISK_ASSESSMENT", yearlyFrequency: 1 }, { kind: "TRAINING", yearlyFrequency: pick([1, 4]) }];
    if (chance(0.2)) input.coinsurers = pick([
      [{ insurerUscc: F.insurerA, share: "0.6" }, { insurerUscc: F.insurerB, share: "0.4000" }],
      [{ insurerUscc: F.insurerB, share: "0.6" }, { insurerUscc: F.insurerA, share: "0.4000" }],
      [{ insurerUscc: F.insurerA, share: "0.5" }, { insurerUscc: UNKNOWN, share: "0.5" }],
      [{ insurerUscc: F.insurerB, share: "1" }],
    ]);
    if (chance(0.15)) input.brokerUscc = pick([BROKER, BROKER, UNKNOWN]);
    if (chance(0.15)) input.serviceOrgUsccs = pick([[F.serviceOrg], [F.serviceOrg], [UNKNOWN]]);
    return input as unknown as FilingItem["input"];
  };

  const item = (): FilingItem => {
    const roll = r();
    let next: FilingItem;
    if (history.length && roll < 0.2) next = { ...pick(history) }; // a retry: same key, same content
    else if (history.length && roll < 0.3) next = { idempotencyKey: pick(KEYS), input: pick(history).input }; // same content, maybe a new key
    else if (roll < 0.33) next = { idempotencyKey: pick(["", "x".repeat(129), "nul\u0000key"]), input: filing() };
    else next = { idempotencyKey: pick(KEYS), input: filing() };
    history.push(next);
    return next;
  };
  return (size: number) => Array.from({ length: size }, item);
}

/** An outcome as a client would tell it apart. */
function told(o: ItemOutcome) {
  if (o.ok) return o;
  if (o.error instanceof InputError) return { problems: o.error.problems };
  if (o.error instanceof GraphQLError) return { code: o.error.extensions.code, message: o.error.message };
  return { unexpected: String(o.error) };
}

const TABLES: Record<string, string> = {
  policies: `select id, insurer_uscc, policy_no, broker_uscc, start_at, end_at, cancelled_at, premium, base_rate, rate_float, commission_ratio, prevention_fund_ratio,
    insured_headcount, death_limit_per_person, medical_limit_per_person, third_party_limit, coverage_items, is_group_policy, version, payload_hash from policies order by id`,
  policy_enterprises: "select * from policy_enterprises order by policy_id, enterprise_uscc",
  policy_coinsurers: "select * from policy_coinsurers order by policy_id, insurer_uscc",
  policy_service_plans: "select * from policy_service_plans order by policy_id, kind",
  policy_service_orgs: "select * from policy_service_orgs order by policy_id, service_org_uscc",
  policy_versions: "select id, policy_id, version, reason, snapshot::text, created_by from policy_versions order by id",
  compliance_findings: "select id, rule_code, severity, message, source, subject_kind, subject_key, enterprise_uscc, insurer_uscc, policy_id, status from compliance_findings order by id",
  idempotency_keys: "select org, key, operation, payload_hash, result::text from idempotency_keys order by org, key",
};

async function dump(d: Database) {
  const out: Record<string, unknown[]> = {};
  for (const [t, q] of Object.entries(TABLES)) out[t] = ((await d.db.execute(sql.raw(q))) as unknown as { rows: unknown[] }).rows.map((r) => JSON.parse(JSON.stringify(r)));
  return out;
}

let one: Database;
let batch: Database;
beforeAll(async () => {
  [one, batch] = await Promise.all([prepared(), prepared()]);
});
afterAll(async () => {
  await Promise.all([one?.close(), batch?.close()]);
});

describe("filePolicies, batch path = one-by-one path", () => {
  it("60 random batches of colliding filings: same answers, same rows", async () => {
    const next = generator(20261123);
    const r = rng(7);
    let accepted = 0;
    let replayed = 0;
    let conflicts = 0;
    let rejected = 0;
    for (let b = 0; b < 60; b++) {
      const items = next(1 + Math.floor(r() * 12));
      const viewer = insurer(b % 10 === 9 ? F.insurerB : b % 10 === 4 ? F.insurerSuspended : F.insurerA);
      const expected = await one.db.transaction((tx) => fileOneByOne(tx, viewer, items));
      const actual = await batch.db.transaction((tx) => fileBatchTx(tx, viewer, items));
      expect(actual.map(told), `batch ${b}`).toEqual(expected.map(told));
      expect(await dump(batch), `batch ${b}`).toEqual(await dump(one));
      for (const o of expected) {
        if (o.ok) o.replayed ? replayed++ : accepted++;
        else if (o.error instanceof GraphQLError && o.error.extensions.code === "CONFLICT") conflicts++;
        else rejected++;
      }
    }
    // the generator must keep exercising every kind of answer
    expect(Math.min(accepted, replayed, conflicts, rejected)).toBeGreaterThan(10);
    const findings = (await dump(one)).compliance_findings as { rule_code: string }[];
    expect(new Set(findings.map((f) => f.rule_code))).toEqual(
      new Set(["DEATH_LIMIT_BELOW_MIN", "HEADCOUNT_BELOW_EMPLOYEES", "PER_PERSON_AMOUNT_DIFFERS", "COMMISSION_ABOVE_MAX", "PREVENTION_RATIO_BELOW_FLOOR", "PREVENTION_RATIO_ABOVE_CAP", "RATE_FLOAT_OUT_OF_BAND", "TERM_NOT_ONE_YEAR", "INSURER_NOT_QUALIFIED"]),
    );
  });

  it("a role other than insurer, or an insurer the registry does not know, gets FORBIDDEN for every item", async () => {
    const items = generator(1)(3);
    const dept: Viewer = { sub: "d", role: "SECTOR_DEPARTMENT", org: "500000-EMERGENCY", purpose: null, jurisdiction: null };
    for (const viewer of [dept, insurer(uscc("110000", 99))]) {
      const expected = await one.db.transaction((tx) => fileOneByOne(tx, viewer, items));
      const actual = await batch.db.transaction((tx) => fileBatchTx(tx, viewer, items));
      expect(actual.map(told)).toEqual(expected.map(told));
      expect(actual.every((o) => !o.ok && (o.error as GraphQLError).extensions.code === "FORBIDDEN")).toBe(true);
    }
  });

  it("a batch the database refuses unforeseen is rolled back and filed one by one, with the same answers", async () => {
    // a refusal no validation foresees: one statement claiming several keys (refused before the
    // batch draws policy ids, so both databases keep drawing the same ones)
    const refuseMultiRow = async (d: Database) => {
      await d.db.execute(sql`create function refuse_multi() returns trigger language plpgsql as $$
        begin if (select count(*) from new_rows) > 1 then raise exception 'one key at a time'; end if; return null; end $$`);
      await d.db.execute(sql`create trigger refuse_multi after insert on idempotency_keys referencing new table as new_rows for each statement execute function refuse_multi()`);
    };
    await Promise.all([refuseMultiRow(one), refuseMultiRow(batch)]);
    try {
      const plan = [{ kind: "RISK_ASSESSMENT", yearlyFrequency: 1 }];
      const base = { insuredEnterprises: [{ uscc: F.construction, insuredHeadcount: 40 }], startAt: new Date("2028-01-01T00:00:00+08:00"), endAt: new Date("2029-01-01T00:00:00+08:00"),
        premium: "100.00", baseRate: "0.003", rateFloat: "0", commissionRatio: "0.04", preventionFundRatio: "0.2", deathLimitPerPerson: "500000", coverageItems: [], servicePlan: plan };
      const items = [
        { idempotencyKey: "fb-1", input: { ...base, policyNo: "FB-1" } },
        { idempotencyKey: "fb-2", input: { ...base, policyNo: "FB-2", premium: "-1" } },
        { idempotencyKey: "fb-3", input: { ...base, policyNo: "FB-3" } },
        { idempotencyKey: "fb-1", input: { ...base, policyNo: "FB-1" } },
      ] as unknown as FilingItem[];
      const viewer = insurer(F.insurerA);
      const expected = await one.db.transaction((tx) => fileOneByOne(tx, viewer, items));
      const fellBack: unknown[] = [];
      const actual = await filePolicies(batch.db, viewer, items, (e) => fellBack.push(e));
      expect(fellBack).toHaveLength(1);
      expect(actual.map(told)).toEqual(expected.map(told));
      expect(actual.map((o) => o.ok)).toEqual([true, false, true, true]);
      expect(await dump(batch)).toEqual(await dump(one));
    } finally {
      for (const d of [one, batch]) {
        await d.db.execute(sql`drop trigger refuse_multi on idempotency_keys`);
        await d.db.execute(sql`drop function refuse_multi()`);
      }
    }
  });
});
