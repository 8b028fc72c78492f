import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JurisdictionCache } from "../../src/auth/jurisdiction.js";
import type { Database } from "../../src/db/client.js";
import { changeToken } from "../../src/modules/reporting/cache.js";
import { quarterlyReport } from "../../src/modules/reporting/service.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture } from "../support/fixture.js";
import { ids, loadReportingFixture, R } from "../support/fixture-reporting.js";

/**
 * The live-report cache (src/modules/reporting/cache.ts) and the change log behind it
 * (migrations/0003): a report is computed again exactly when a write can have changed its quarter.
 * Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL set.
 */

let database: Database;
let cache: JurisdictionCache;
const committee = () => cache.viewerFor({ sub: "test", role: "COMMITTEE_OFFICE", org: "500000-COMMITTEE_OFFICE", purpose: null });

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  await loadReportingFixture(database.db);
  cache = new JurisdictionCache(database.db);
});
afterAll(() => database?.close());

const exec = (q: ReturnType<typeof sql>) => database.db.execute(q);
const token = (year: number, quarter: number) => changeToken(database.db, year, quarter);

/** The tokens of 2025 Q1 … 2031 Q4 as one map. */
async function tokens(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let y = 2025; y <= 2031; y++) for (let q = 1; q <= 4; q++) out.set(`${y}Q${q}`, await token(y, q));
  return out;
}

/** Runs the write and returns the quarters whose token it changed. */
async function changedBy(write: ReturnType<typeof sql>): Promise<string[]> {
  const before = await tokens();
  await exec(write);
  const after = await tokens();
  return [...before.keys()].filter((k) => before.get(k) !== after.get(k));
}

const ALL = (() => {
  const out: string[] = [];
  for (let y = 2025; y <= 2031; y++) for (let q = 1; q <= 4; q++) out.push(`${y}Q${q}`);
  return out;
})();

/** Report reads and the statements they sent. */
async function read(agencyId: string, year: number, quarter: number) {
  const before = database.stats.statements;
  const report = await quarterlyReport(database.db, await committee(), agencyId, year, quarter, new Date("2026-05-01T00:00:00+08:00"));
  return { report: report!, statements: database.stats.statements - before };
}

describe("live-report cache", () => {
  it("an unchanged quarter is served again without its SQL; a write to the quarter shows at once", async () => {
    const first = await read("500000-EMERGENCY", 2026, 1);
    const again = await read("500000-EMERGENCY", 2026, 1);
    expect(again.report).toEqual(first.report);
    // the agency, the transaction, the child regions and the token: none of the figures' statements
    const hit = again.statements;
    expect(hit).toBeLessThanOrEqual(5);
    expect(first.statements).toBeGreaterThanOrEqual(hit + 6);

    // a service in 2026 Q3 leaves Q1 cached and unchanged
    await exec(sql`insert into prevention_services (insurer_uscc, service_ref, policy_id, enterprise_uscc, kind, performed_at)
      values (${F.insurerA}, 'CACHE-Q3', ${ids.policy.P1}, ${F.chemicals}, 'TRAINING', '2026-08-01T10:00:00+08:00')`);
    const untouched = await read("500000-EMERGENCY", 2026, 1);
    expect(untouched.report).toEqual(first.report);
    expect(untouched.statements).toBe(hit);

    // one in Q1 is in the very next read
    await exec(sql`insert into prevention_services (insurer_uscc, service_ref, policy_id, enterprise_uscc, kind, performed_at)
      values (${F.insurerA}, 'CACHE-Q1', ${ids.policy.P1}, ${F.chemicals}, 'TRAINING', '2026-02-01T10:00:00+08:00')`);
    const changed = await read("500000-EMERGENCY", 2026, 1);
    expect(changed.report.overall.services.services).toBe(first.report.overall.services.services + 1);
    expect(changed.statements).toBeGreaterThanOrEqual(hit + 6);

    // so is an enterprise's change (every quarter), and a reader's copy never leaks into the cache
    changed.report.overall.services.services = -1;
    await exec(sql`update enterprises set employee_count = employee_count + 1 where uscc = ${F.chemicals}`);
    const moved = await read("500000-EMERGENCY", 2026, 1);
    expect(moved.report.overall.insurance.employees).toBe(first.report.overall.insurance.employees + 1);
    expect(moved.report.overall.services.services).toBe(first.report.overall.services.services + 1);
  });

  it("every write to what the figures read changes the token of exactly the quarters it can affect", async () => {
    // by date: one quarter each (old and new row)
    expect(await changedBy(sql`insert into prevention_services (insurer_uscc, service_ref, policy_id, enterprise_uscc, kind, performed_at)
      values (${F.insurerA}, 'TOKEN-Q3', ${ids.policy.P1}, ${F.chemicals}, 'TRAINING', '2026-08-01T10:00:00+08:00')`)).toEqual(["2026Q3"]);
    expect(await changedBy(sql`update prevention_services set kind = kind where service_ref = 'TOKEN-Q3'`)).toEqual(["2026Q3"]);
    expect(await changedBy(sql`update prevention_services set performed_at = '2027-01-05T00:00:00+08:00' where service_ref = 'TOKEN-Q3'`)).toEqual(["2026Q3", "2027Q1"]);
    expect(await changedBy(sql`delete from prevention_services where service_ref = 'TOKEN-Q3'`)).toEqual(["2027Q1"]);
    expect(await changedBy(sql`update hazards set rectified_at = rectified_at where notice_date = (select min(notice_date) from hazards where notice_date >= '2026-01-01')`)).toEqual(["2026Q1"]);
    expect(await changedBy(sql`update accidents set deaths = deaths where occurred_at >= '2026-01-01T00:00:00+08:00' and occurred_at < '2026-04-01T00:00:00+08:00'`)).toEqual(["2026Q1"]);
    expect(await changedBy(sql`update claim_payments set amount = amount where paid_at >= '2026-01-01T00:00:00+08:00' and paid_at < '2026-04-01T00:00:00+08:00'`)).toEqual(["2026Q1"]);
    expect(await changedBy(sql`update fund_entries set amount = amount where booked_at >= '2026-01-01T00:00:00+08:00' and booked_at < '2026-04-01T00:00:00+08:00'`)).toEqual(["2026Q1"]);
    // a claim: its reported and settled quarters, and those of its payments
    const [c] = ((await exec(sql`select c.id, report_quarter_key(c.reported_at) as r, report_quarter_key(c.settled_at) as s,
        array(select distinct report_quarter_key(cp.paid_at) from claim_payments cp where cp.claim_id = c.id) as p
      from claims c where c.settled_at is not null order by c.id limit 1`)) as any).rows;
    const q = (k: number) => `${Math.floor(k / 4)}Q${(k % 4) + 1}`;
    const expected = [...new Set([c.r, c.s, ...c.p].map(Number))].sort((a, b) => a - b).map(q);
    expect(await changedBy(sql`update claims set reserve = reserve where id = ${c.id}`)).toEqual(expected);
    // a policy: every quarter from its start to its end (P1: 2025-07-01 → 2026-07-01)
    expect(await changedBy(sql`update policies set premium = premium where id = ${ids.policy.P1}`)).toEqual(["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]);
    // its links: the same, and the quarters of its fund entries
    const fundQuarters = ((await exec(sql`select distinct report_quarter_key(booked_at) as k from fund_entries where policy_id = ${ids.policy.P1}`)) as any).rows.map((r: any) => q(Number(r.k)));
    const linkExpected = [...new Set(["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", ...fundQuarters])].sort();
    expect(await changedBy(sql`update policy_enterprises set insured_headcount = insured_headcount where policy_id = ${ids.policy.P1}`)).toEqual(linkExpected);
    // an enterprise: every quarter, unless nothing the figures read of it changed
    expect(await changedBy(sql`update enterprises set contact_phone = '13900000000' where uscc = ${R.chem2}`)).toEqual([]);
    expect(await changedBy(sql`update enterprises set status = 'SUSPENDED' where uscc = ${R.chem2}`)).toEqual(ALL);
    expect(await changedBy(sql`update enterprises set status = 'OPERATING' where uscc = ${R.chem2}`)).toEqual(ALL);
    // a rolled-back write changes nothing
    const before = await tokens();
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`update accidents set deaths = deaths`);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await tokens()).toEqual(before);
  });

  it("quarter keys follow China Standard Time", async () => {
    const rows = ((await exec(sql`select report_quarter_key('2026-03-31T23:59:59.999+08:00'::timestamptz) as a, report_quarter_key('2026-04-01T00:00:00+08:00'::timestamptz) as b,
      report_quarter_key_of_date('2026-03-31') as c, report_quarter_key_of_date('2026-04-01') as d`)) as any).rows[0];
    expect([rows.a, rows.b, rows.c, rows.d].map(Number)).toEqual([2026 * 4, 2026 * 4 + 1, 2026 * 4, 2026 * 4 + 1]);
  });
});
