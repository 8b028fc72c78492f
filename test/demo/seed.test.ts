import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/client.js";
import { isEmpty, seedDemo, type SeedSummary } from "../../src/demo/generate.js";
import { DEMO, DEMO_TODAY } from "../../src/demo/ids.js";
import { usccProblem } from "../../src/rules/identifiers.js";

async function fresh(): Promise<Database> {
  const database = await openDatabase({ dataDir: "memory://" });
  await database.migrate();
  return database;
}

const rows = async <T = any>(db: Database, q: ReturnType<typeof sql>): Promise<T[]> => ((await db.db.execute(q)) as any).rows;
const one = async (db: Database, q: ReturnType<typeof sql>) => Number(Object.values((await rows(db, q))[0])[0]);

/** GB 11643, written here independently of the generator so a shared mistake cannot hide. */
function idNumberValid(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((s, k, i) => s + k * Number(id[i]), 0);
  if ("10X98765432"[sum % 11] !== id[17]) return false;
  const [y, m, d] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)].map(Number);
  const born = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && born.getUTCFullYear() === y && born.getUTCMonth() === m - 1 && born.getUTCDate() === d;
}

const TABLES = [
  "regions", "agencies", "agency_sectors", "insurers", "brokers", "service_orgs", "qualifications", "enterprises", "policies",
  "policy_enterprises", "policy_coinsurers", "policy_service_plans", "policy_service_orgs", "policy_versions", "accidents",
  "claims", "claimants", "claim_payments", "prevention_services", "hazards", "fund_entries",
];

/** A digest of every row of every table the seed writes. */
async function fingerprint(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) out[t] = String(await rows(db, sql.raw(`select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) h from ${t} x`)).then((r) => r[0].h));
  return out;
}

describe("demo seed is deterministic", () => {
  it("the same seed gives the same rows in two fresh databases; another seed does not", async () => {
    const [a, b, c] = await Promise.all([fresh(), fresh(), fresh()]);
    try {
      const [sa, sb, sc] = await Promise.all([seedDemo(a.db, { scale: 0.05, seed: 7 }), seedDemo(b.db, { scale: 0.05, seed: 7 }), seedDemo(c.db, { scale: 0.05, seed: 8 })]);
      expect(sb).toEqual(sa);
      const [fa, fb, fc] = [await fingerprint(a), await fingerprint(b), await fingerprint(c)];
      expect(fb).toEqual(fa);
      expect(fc.enterprises).not.toBe(fa.enterprises);
      expect(fc.policies).not.toBe(fa.policies);
      // scale multiplies the scaled tables only
      expect(sa.enterprises).toBe(Math.round(2000 * 0.05) + 9);
      expect(sc.insurers).toBe(12);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
    // three seeds at once: minutes on a loaded 2-core machine, never a reason to fail
  }, 600_000);
});

describe("demo seed at scale 1", () => {
  let db: Database;
  let summary: SeedSummary;

  beforeAll(async () => {
    db = await fresh();
    expect(await isEmpty(db.db)).toBe(true);
    summary = await seedDemo(db.db, { scale: 1 });
  });
  afterAll(() => db?.close());

  it("reports what it wrote, refuses a second run, and leaves the derived tables to later code", async () => {
    for (const t of TABLES) expect(summary[t], t).toBe(await one(db, sql.raw(`select count(*) from ${t}`)));
    expect(summary.enterprises).toBe(2009);
    expect(await isEmpty(db.db)).toBe(false);
    await expect(seedDemo(db.db)).rejects.toThrow(/empty/);
    for (const t of ["quarterly_report_submissions", "compliance_findings", "audit_log", "idempotency_keys"]) {
      expect(await one(db, sql.raw(`select count(*) from ${t}`)), t).toBe(0);
    }
  });

  it("writes only valid identifiers: USCCs (GB 32100) and ID numbers (GB 11643)", async () => {
    const usccs = await rows<{ u: string }>(db, sql`select uscc u from enterprises union all select uscc from insurers
      union all select uscc from service_orgs union all select uscc from brokers`);
    expect(usccs.length).toBe(2009 + 12 + 3 + 1);
    expect(usccs.filter((r) => usccProblem(r.u) !== null)).toEqual([]);
    // chars 3–8 are the enterprise's county
    expect(await one(db, sql`select count(*) from enterprises where substr(uscc, 3, 6) <> left(region_code, 6)`)).toBe(0);
    const ids = await rows<{ id: string }>(db, sql`select id_number id from claimants`);
    expect(ids.length).toBeGreaterThan(400);
    expect(ids.filter((r) => !idNumberValid(r.id))).toEqual([]);
    expect(idNumberValid("11010519491231002X")).toBe(true);
    expect(idNumberValid("110105194912310021")).toBe(false);
  });

  const CASES: [string, string][] = [
    ["a region at each level 1–4", "select count(distinct level) = 4 from regions"],
    ["township agencies", "select count(*) from agencies where kind = 'TOWNSHIP'"],
    ["no sectors for committee offices and regulators", "select count(*) = 0 from agency_sectors s join agencies a on a.id = s.agency_id where a.kind in ('COMMITTEE_OFFICE','FINANCIAL_REGULATOR')"],
    ["every sector", "select count(distinct sector) = 14 from enterprises"],
    ["suspended and closed enterprises", "select count(distinct status) = 3 from enterprises"],
    ["blacklisted enterprises", "select count(*) from enterprises where blacklisted"],
    ["个体工商户 (92)", "select count(*) from enterprises where uscc like '92%'"],
    ["risk tags of Yueqing's key units", "select count(distinct t) >= 9 from enterprises, unnest(risk_tags) t"],
    ["an insurer suspended in Chongqing still writing there", "select count(*) from policies p join qualifications q on q.org_uscc = p.insurer_uscc and q.region_code = '500000' and q.status = 'SUSPENDED' join policy_enterprises pe on pe.policy_id = p.id where pe.enterprise_uscc like '__50%' and p.start_at >= q.since::date"],
    ["an insurer disqualified in Xiamen still writing there", "select count(*) from policies p join qualifications q on q.org_uscc = p.insurer_uscc and q.region_code = '350200' and q.status = 'DISQUALIFIED' join policy_enterprises pe on pe.policy_id = p.id join enterprises e on e.uscc = pe.enterprise_uscc where e.region_code like '3502%' and p.start_at >= q.since::date"],
    ["policies in 2025 and 2026", "select count(distinct extract(year from start_at at time zone 'Asia/Shanghai')) = 2 from policies"],
    ["pending policies (start after today)", "select count(*) from policies where start_at > '2026-11-23T00:00+08:00' and created_at <= '2026-11-21T00:00+08:00'"],
    ["surrendered while the enterprise operates", "select count(*) from policies p join policy_enterprises pe on pe.policy_id = p.id join enterprises e on e.uscc = pe.enterprise_uscc where p.cancelled_at is not null and e.status = 'OPERATING'"],
    ["cancelled on closure", "select count(*) from policies p join policy_enterprises pe on pe.policy_id = p.id join enterprises e on e.uscc = pe.enterprise_uscc where p.cancelled_at is not null and e.status = 'CLOSED'"],
    ["lapsed: a 2025 cover ended, nothing after", "select count(*) from policy_enterprises pe join policies p on p.id = pe.policy_id join enterprises e on e.uscc = pe.enterprise_uscc where e.status = 'OPERATING' and p.end_at < '2026-11-20' and not exists (select 1 from policy_enterprises pe2 join policies p2 on p2.id = pe2.policy_id where pe2.enterprise_uscc = pe.enterprise_uscc and p2.start_at >= p.end_at)"],
    ["late renewals", "select count(*) from policy_enterprises pe join policies p on p.id = pe.policy_id join policy_enterprises pe2 on pe2.enterprise_uscc = pe.enterprise_uscc join policies p2 on p2.id = pe2.policy_id where p2.start_at > p.end_at and p2.start_at < p.end_at + interval '90 days'"],
    ["never-insured operating enterprises", "select count(*) from enterprises e where status = 'OPERATING' and not exists (select 1 from policy_enterprises pe where pe.enterprise_uscc = e.uscc)"],
    ["co-insurance by 2 and by 3", "select count(distinct n) = 2 from (select count(*) n from policy_coinsurers group by policy_id having count(*) > 1) x"],
    ["a group policy of about 8 enterprises", "select count(*) from policies p where is_group_policy and (select count(*) from policy_enterprises where policy_id = p.id) = 8"],
    ["part of the workforce left uninsured", "select count(*) from policy_enterprises pe join enterprises e on e.uscc = pe.enterprise_uscc where pe.insured_headcount < e.employee_count"],
    ["project terms other than a year", "select count(*) from policies where end_at <> start_at + interval '1 year'"],
    ["death limit below 400,000", "select count(*) from policies where death_limit_per_person < 400000"],
    ["rate float beyond ±40% with no serious accident", "select count(*) from policies p where rate_float > 0.4 and not exists (select 1 from policy_enterprises pe join accidents a on a.enterprise_uscc = pe.enterprise_uscc where pe.policy_id = p.id and a.grade <> 'GENERAL')"],
    ["rate float raised after a 较大 accident", "select count(*) from policies p join policy_enterprises pe on pe.policy_id = p.id join accidents a on a.enterprise_uscc = pe.enterprise_uscc where a.grade <> 'GENERAL' and p.start_at > a.occurred_at and p.rate_float > 0.4"],
    ["commission above 5%", "select count(*) from policies where commission_ratio > 0.05"],
    ["prevention-fund ratios 5% and 25%", "select count(distinct prevention_fund_ratio) = 2 from policies where prevention_fund_ratio in (0.05, 0.25)"],
    ["brokers", "select count(*) from policies where broker_uscc is not null"],
    ["named service orgs", "select count(distinct service_org_uscc) = 3 from policy_service_orgs"],
    ["amended policies with two versions", "select count(*) from policies p where version = 2 and (select count(*) from policy_versions v where v.policy_id = p.id) = 2"],
    ["accidents of every grade", "select count(distinct grade) = 4 from accidents"],
    ["accidents recorded by a department", "select count(*) from accidents a join agency_sectors s on s.agency_id = a.recorded_by join enterprises e on e.uscc = a.enterprise_uscc and e.sector = s.sector"],
    ["claims in every status", "select count(distinct status) = 5 from claims"],
    ["claims from accidents", "select count(*) from claims where accident_id is not null"],
    ["employee and third-party claimants", "select count(distinct kind) = 2 from claimants"],
    ["payments of every kind", "select count(distinct kind) = 4 from claim_payments"],
    ["services of every kind", "select count(distinct kind) = 6 from prevention_services"],
    ["services by service orgs", "select count(*) from prevention_services where service_org_uscc is not null"],
    ["services not confirmed by the enterprise", "select count(*) from prevention_services where not confirmed_by_enterprise"],
    ["policies behind their plan", "select count(*) from policies p where end_at < '2026-11-20' and cancelled_at is null and (select count(*) from prevention_services s where s.policy_id = p.id and s.kind = 'HAZARD_INVESTIGATION') < (select yearly_frequency from policy_service_plans sp where sp.policy_id = p.id and sp.kind = 'HAZARD_INVESTIGATION')"],
    ["overdue major hazards", "select count(*) from hazards where severity = 'MAJOR' and status = 'OPEN' and deadline < '2026-11-23'"],
    ["hazards not yet due", "select count(*) from hazards where status = 'OPEN' and deadline >= '2026-11-23'"],
    ["rectified and refused hazards", "select count(distinct status) = 3 from hazards"],
    ["quarterly extractions", "select count(*) from (select policy_id from fund_entries where kind = 'EXTRACTION' group by 1 having count(*) > 1) x"],
    ["every use category", "select count(distinct category) >= 7 from fund_entries where kind = 'USE'"],
    ["policies spending over the 21% cap", "select count(*) from (select f.policy_id from fund_entries f join policies p on p.id = f.policy_id where kind = 'USE' group by f.policy_id, p.premium having sum(amount) > p.premium * 0.21) x"],
  ];

  it.each(CASES)("has %s", async (_label, query) => {
    const v = (await rows(db, sql.raw(query)))[0];
    const x = Object.values(v)[0];
    expect(x === true || Number(x) > 0).toBe(true);
  });

  const BROKEN: [string, string][] = [
    ["co-insurance shares not summing to exactly 1, or not one lead = the policy's insurer", `select count(*) from policies p where
      (select sum(share) from policy_coinsurers c where c.policy_id = p.id) is distinct from 1.0000
      or (select count(*) from policy_coinsurers c where c.policy_id = p.id and c.is_lead and c.insurer_uscc = p.insurer_uscc) <> 1
      or (select count(*) from policy_coinsurers c where c.policy_id = p.id and c.is_lead) <> 1`],
    ["headcount ≠ sum of insured enterprises, or above the workforce", `select count(*) from policies p where insured_headcount <> (select sum(insured_headcount) from policy_enterprises where policy_id = p.id)
      or exists (select 1 from policy_enterprises pe join enterprises e on e.uscc = pe.enterprise_uscc where pe.policy_id = p.id and pe.insured_headcount > e.employee_count)`],
    ["policies without a version 1 or whose version is not the latest", "select count(*) from policies p where not exists (select 1 from policy_versions v where v.policy_id = p.id and v.version = 1) or version <> (select max(version) from policy_versions v where v.policy_id = p.id)"],
    ["claims not on the claimed enterprise's policy, or not by its lead", "select count(*) from claims c join policies p on p.id = c.policy_id where c.insurer_uscc <> p.insurer_uscc or not exists (select 1 from policy_enterprises pe where pe.policy_id = c.policy_id and pe.enterprise_uscc = c.enterprise_uscc)"],
    ["claims reported outside the cover", "select count(*) from claims c join policies p on p.id = c.policy_id where c.reported_at < p.start_at or c.reported_at >= least(p.end_at, coalesce(p.cancelled_at, p.end_at))"],
    ["claims with out-of-order timestamps", "select count(*) from claims where assessed_at <= reported_at or settled_at < assessed_at or rejected_at < reported_at or (status in ('ASSESSED','ADVANCE_PAID','SETTLED') and assessed_at is null)"],
    ["claims settled without an amount, or paid more than settled", "select count(*) from claims c where (status = 'SETTLED') <> (settled_amount is not null) or coalesce((select sum(amount) from claim_payments where claim_id = c.id), 0) > coalesce(settled_amount, (select sum(amount) from claim_payments where claim_id = c.id))"],
    ["payments on claims that are not paying, or outside the claim's life", `select count(*) from claim_payments x join claims c on c.id = x.claim_id where c.status not in ('ADVANCE_PAID','SETTLED')
      or x.paid_at < c.reported_at or x.paid_at > coalesce(c.settled_at, '2026-11-21') or x.insurer_uscc <> c.insurer_uscc
      or (x.kind = 'SETTLEMENT' and c.status <> 'SETTLED')`],
    ["ADVANCE_PAID claims without an advance", "select count(*) from claims c where status = 'ADVANCE_PAID' and not exists (select 1 from claim_payments x where x.claim_id = c.id and x.kind in ('ADVANCE','EMERGENCY_ADVANCE'))"],
    ["accident grades that disagree with 条例 第三条", `select count(*) from accidents where grade <> case
      when deaths >= 30 or serious_injuries >= 100 or direct_loss >= 100000000 then 'EXTRAORDINARY'
      when deaths >= 10 or serious_injuries >= 50 or direct_loss >= 50000000 then 'MAJOR'
      when deaths >= 3 or serious_injuries >= 10 or direct_loss >= 10000000 then 'LARGER' else 'GENERAL' end`],
    ["services outside the cover or for an enterprise the policy does not insure", `select count(*) from prevention_services s join policies p on p.id = s.policy_id where s.performed_at < p.start_at
      or s.performed_at >= least(p.end_at, coalesce(p.cancelled_at, p.end_at)) or s.insurer_uscc <> p.insurer_uscc
      or not exists (select 1 from policy_enterprises pe where pe.policy_id = s.policy_id and pe.enterprise_uscc = s.enterprise_uscc)`],
    ["hazards not matching their service, or seq not 1..n", `select count(*) from hazards h join prevention_services s on s.id = h.service_id where h.policy_id <> s.policy_id or h.enterprise_uscc <> s.enterprise_uscc
      or h.seq > (select count(*) from hazards h2 where h2.service_id = h.service_id) or h.deadline - h.notice_date not between 15 and 60
      or h.notice_date <> (s.performed_at at time zone 'Asia/Shanghai')::date or h.rectified_at < s.performed_at`],
    ["single extractions ≠ premium × fund ratio to the fen", `select count(*) from policies p join (select policy_id, sum(amount) a, count(*) n from fund_entries where kind = 'EXTRACTION' group by 1) f on f.policy_id = p.id
      join insurers i on i.uscc = p.insurer_uscc where i.short_name not in ('平安产险','大地保险','阳光财险') and f.a <> round(p.premium * p.prevention_fund_ratio, 2)`],
    ["ledger entries not by the policy's insurer", "select count(*) from fund_entries f join policies p on p.id = f.policy_id where f.insurer_uscc <> p.insurer_uscc"],
    ["activity after the data cut-off (2026-11-20)", `select count(*) from (select reported_at t from claims union all select settled_at from claims union all select paid_at from claim_payments
      union all select performed_at from prevention_services union all select rectified_at from hazards union all select booked_at from fund_entries
      union all select occurred_at from accidents union all select created_at from policies) x where t >= '2026-11-21T00:00+08:00' or t < '2024-12-01T00:00+08:00'`],
  ];

  it.each(BROKEN)("has no %s", async (_label, query) => {
    expect(await one(db, sql.raw(query))).toBe(0);
  });

  it("gives the DEMO identities the data the banner and tests promise", async () => {
    const today = `${DEMO_TODAY}T00:00:00+08:00`;
    expect(await one(db, sql`select count(*) from agencies where id in (${DEMO.committeeOffice}, ${DEMO.department}, ${DEMO.financialRegulator}, ${DEMO.township})`)).toBe(4);
    expect(await one(db, sql`select count(*) from insurers where uscc = ${DEMO.insurer} and name = '中国人民财产保险股份有限公司'`)).toBe(1);
    const e = (await rows(db, sql`select * from enterprises where uscc = ${DEMO.enterprise}`))[0];
    expect(e).toMatchObject({ sector: "HAZARDOUS_CHEMICALS", status: "OPERATING", region_code: "500112" });
    const active = await rows(db, sql`select p.id from policies p join policy_enterprises pe on pe.policy_id = p.id
      join policy_service_orgs so on so.policy_id = p.id and so.service_org_uscc = ${DEMO.serviceOrg}
      where pe.enterprise_uscc = ${DEMO.enterprise} and p.insurer_uscc = ${DEMO.insurer} and p.cancelled_at is null and p.start_at <= ${today} and p.end_at > ${today}`);
    expect(active.length).toBe(1);
    expect(await one(db, sql`select count(distinct c.status) from claims c join claimants k on k.claim_id = c.id where c.enterprise_uscc = ${DEMO.enterprise}`)).toBeGreaterThanOrEqual(3);
    expect(await one(db, sql`select count(*) from prevention_services where enterprise_uscc = ${DEMO.enterprise} and service_org_uscc = ${DEMO.serviceOrg}`)).toBeGreaterThan(0);
    expect(await one(db, sql`select count(*) from hazards where enterprise_uscc = ${DEMO.enterprise} and severity = 'MAJOR' and status = 'OPEN' and deadline < ${DEMO_TODAY}`)).toBeGreaterThan(0);
    expect(await one(db, sql`select count(*) from policies where broker_uscc = ${DEMO.broker}`)).toBeGreaterThan(0);
  });
});
