import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { regionLevel, regionPrefix } from "../../domain/regions.js";
import { PAYMENT_KINDS, SECTOR_CODES, SERVICE_KINDS, type Sector } from "../../domain/vocabulary.js";
import { quarterRange } from "../../rules/calendar.js";
import { mandatoryCondition } from "../../rules/mandatory-sql.js";
import type { CellBasis, DisclosureBasis, QuarterlyFigures } from "./types.js";

/**
 * The quarterly figures of DOMAIN.md, computed in SQL over one jurisdiction. Every family aggregates
 * with GROUPING SETS ((), (sector), (child region)), so the overall row and both breakdowns come from
 * the same rows; money is summed and rounded in numeric, rates are divided and rounded in numeric.
 * See types.ts for the exact definition of every figure.
 *
 * At province scale (200,000 enterprises, a million services) the cost is rows touched, so:
 * - a quarter's services, hazards and in-force policies are read from indexes on their date columns
 *   that hold every column the report needs (index-only scans, not the heap);
 * - coverage, services and hazards are summed per enterprise first and joined to the scoped
 *   enterprises once, instead of a correlated subquery per enterprise;
 * - a group policy's total headcount is a window over the quarter's rows, not a lookup per row;
 * - the mandatory-insurance test only carries the profiles that can apply inside the scope;
 * - JIT compilation is off for these statements: on this workload it cost more (up to 1.7 s per
 *   statement) than it ever saved.
 * A county's or township's enterprises are a small part of the data, so for those scopes (`narrow`)
 * every fact is looked up through its enterprise instead of aggregating the whole quarter.
 */

export interface ReportScope {
  regionCode: string;
  /** the supervised sectors, or "ALL" (committee office, financial regulator) */
  sectors: Sector[] | "ALL";
  /** direct children of regionCode in the regions table */
  children: { code: string; name: string }[];
}

interface GroupKey {
  g_sector: number;
  g_child: number;
  sector: string | null;
  child: string | null;
}

type Row = GroupKey & Record<string, unknown>;

/** work_mem for the report's transaction: a province's scoped enterprises hash in memory, not in batches on disk */
const REPORT_WORK_MEM = "64MB";

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const textArray = (xs: readonly string[]) => sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;
const num = (v: unknown) => Number(v ?? 0);
const str = (v: unknown, fallback: string) => (v == null ? fallback : String(v));
/** numerator ÷ denominator rounded to 4 places in numeric; null when the denominator is 0 */
const rate = (n: SQL, d: SQL) => sql`round((${n})::numeric / nullif(${d}, 0), 4)::text`;
const money = (sum: SQL) => sql`round(coalesce(${sum}, 0), 2)::text`;

/** CST calendar date of 00:00 CST on a quarter boundary (the instant is UTC 16:00 the day before). */
const cstDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Yuan with 2 places → integer fen, exactly. */
const fen = (yuan: string) => {
  const [i, d = ""] = yuan.split(".");
  return BigInt(i) * 100n + BigInt((d + "00").slice(0, 2));
};

/**
 * a ÷ b for two amounts as shown (2 places), rounded half away from zero to 4 places, in integer
 * arithmetic (never a float); null when b is 0.
 */
export function decimalRatio(a: string, b: string): string | null {
  const n = fen(a), d = fen(b);
  if (d === 0n) return null;
  const q = (2n * n * 10_000n + d) / (2n * d);
  const s = q.toString().padStart(5, "0");
  return `${s.slice(0, -4)}.${s.slice(-4)}`;
}

async function rows(db: Executor, q: SQL): Promise<Row[]> {
  return ((await db.execute(q)) as unknown as { rows: Row[] }).rows;
}

/** The enterprises in scope, with their breakdown keys: the "se" CTE every statement starts from. */
function scopedEnterprises(scope: ReportScope): SQL {
  const region = sql.raw(`"enterprises"."region_code"`);
  const sector = sql.raw(`"enterprises"."sector"`);
  const inRegion = sql`${region} like ${regionPrefix(scope.regionCode) + "%"}`;
  const inSector = scope.sectors === "ALL" ? sql`true` : scope.sectors.length ? sql`${sector} = any(${textArray(scope.sectors)})` : sql`false`;
  const child = scope.children.length
    ? sql`case ${sql.join(scope.children.map((c) => sql`when ${region} like ${regionPrefix(c.code) + "%"} then ${c.code}`), sql` `)} else null end`
    : sql`null::text`;
  return sql`se as (
    select "enterprises"."uscc" as uscc, ${sector} as sector, ${child} as child,
           "enterprises"."status" as status, "enterprises"."employee_count" as employee_count,
           ${mandatoryCondition(undefined, "enterprises", regionPrefix(scope.regionCode))} as mandatory
    from enterprises
    where ${inRegion} and ${inSector}
  )`;
}

const GROUP_KEYS = sql`grouping(se.sector)::int as g_sector, grouping(se.child)::int as g_child, se.sector as sector, se.child as child`;
const GROUPS = sql`grouping sets ((), (se.sector), (se.child))`;

function keyOf(r: GroupKey): string | null {
  const gs = num(r.g_sector), gc = num(r.g_child);
  if (gs === 1 && gc === 1) return "all";
  if (gs === 0 && gc === 1) return r.sector == null ? null : `s:${r.sector}`;
  if (gs === 1 && gc === 0) return r.child == null ? null : `r:${r.child}`;
  return null;
}

export function emptyFigures(key: { sector?: Sector | null; regionCode?: string | null; regionName?: string | null } = {}): QuarterlyFigures {
  return {
    sector: key.sector ?? null,
    regionCode: key.regionCode ?? null,
    regionName: key.regionName ?? null,
    insurance: {
      enterprisesInScope: 0, mandatoryEnterprises: 0, insuredEnterprises: 0, coverageRate: null,
      employees: 0, insuredEmployees: 0, employeeCoverageRate: null, policiesStarted: 0, premiumTotal: "0.00",
    },
    accidents: { accidents: 0, general: 0, larger: 0, major: 0, extraordinary: 0, deaths: 0, seriousInjuries: 0, directLoss: "0.00" },
    claims: {
      claimsReported: 0, claimsSettled: 0, averageDaysToSettle: null, paidTotal: "0.00", advancesPaid: "0.00", settlementsPaid: "0.00",
      paymentsByKind: PAYMENT_KINDS.map((kind) => ({ kind, payments: 0, amount: "0.00" })),
    },
    preventionFund: { extracted: "0.00", extractionEntries: 0, used: "0.00", useEntries: 0, useByCategory: [], usedToExtractedRatio: null },
    services: {
      services: 0, riskAssessments: 0, byKind: SERVICE_KINDS.map((kind) => ({ kind, services: 0 })),
      hazardsFound: 0, majorHazards: 0, hazardsRectified: 0, servicedEnterprises: 0, serviceRate: null,
    },
  };
}

/**
 * Computes overall, bySector and byRegion figures for one scope and quarter: seven statements (one
 * setting, six families), meant to run inside one REPEATABLE READ transaction so that all of them
 * read the same snapshot (the setting is local to that transaction).
 */
export async function computeFigures(
  db: Executor,
  scope: ReportScope,
  year: number,
  quarter: number,
): Promise<{ overall: QuarterlyFigures; bySector: QuarterlyFigures[]; byRegion: QuarterlyFigures[]; disclosure: DisclosureBasis }> {
  const { start, end } = quarterRange(year, quarter);
  const S = ts(start), E = ts(end);
  const inQ = (col: SQL) => sql`(${col} >= ${S} and ${col} < ${E})`;
  const se = scopedEnterprises(scope);

  const groups = new Map<string, QuarterlyFigures>();
  const at = (r: Row) => {
    const k = keyOf(r);
    if (!k) return null;
    let f = groups.get(k);
    if (!f) groups.set(k, (f = emptyFigures()));
    return f;
  };
  // the small-cell rule's counts (src/auth/small-cell.ts): policies and insurers behind each money cell
  const bases = new Map<string, CellBasis>();
  const basisAt = (r: Row) => {
    const k = keyOf(r);
    if (!k) return null;
    let b = bases.get(k);
    if (!b) bases.set(k, (b = emptyBasis()));
    return b;
  };

  // one statement, before any other of the transaction: plan without JIT, and give hashes and sorts
  // room (a province's 200,000 enterprises hash to ~15 MB), both for this transaction only
  await db.execute(sql`select set_config('jit', 'off', true), set_config('work_mem', ${REPORT_WORK_MEM}, true)`);

  // facts are looked up per enterprise for a small scope; for a province or city, the quarter's rows
  // are aggregated in one pass and then joined to the scope (a semi-join to 200,000 enterprises per
  // family would cost more than the rows it saves)
  const narrow = regionLevel(scope.regionCode) >= 3;
  const inScope = (col: SQL) => (narrow ? sql` and ${col} in (select se.uscc from se)` : sql``);

  // 投保 and 风险评估/服务, per enterprise: coverage at the quarter's last instant (its active policy
  // links: insured when it has one, insured headcount their sum), the services performed in the
  // quarter (by kind; serviced when it had one), the hazards whose notice date is in the quarter
  const serviceKinds = SERVICE_KINDS.map((k, i) => sql`count(*) filter (where s.kind = ${k}) as k${sql.raw(String(i))}`);
  const serviceSums = SERVICE_KINDS.map((_, i) => sql`coalesce(sum(k${sql.raw(String(i))}), 0)::int as k${sql.raw(String(i))}`);
  const coverage = await rows(db, sql`
    with ${se}, cov as (
      select pe.enterprise_uscc as uscc, sum(pe.insured_headcount) as headcount
      from policies p join policy_enterprises pe on pe.policy_id = p.id
      where p.start_at < ${E} and p.end_at >= ${E} and (p.cancelled_at is null or p.cancelled_at >= ${E})${inScope(sql`pe.enterprise_uscc`)}
      group by pe.enterprise_uscc
    ), sv as (
      select s.enterprise_uscc as uscc, count(*) as services, ${sql.join(serviceKinds, sql`, `)}
      from prevention_services s
      where ${inQ(sql`s.performed_at`)}${inScope(sql`s.enterprise_uscc`)}
      group by s.enterprise_uscc
    ), hz as (
      select h.enterprise_uscc as uscc, count(*) as found, count(*) filter (where h.severity = 'MAJOR') as major,
             count(*) filter (where h.rectified_at is not null and h.rectified_at < ${E}) as rectified
      from hazards h
      where h.notice_date >= ${cstDate(start)}::date and h.notice_date < ${cstDate(end)}::date${inScope(sql`h.enterprise_uscc`)}
      group by h.enterprise_uscc
    ), e as (
      select se.sector, se.child, se.employee_count, se.mandatory and se.status = 'OPERATING' as counted,
             cov.uscc is not null as insured, cov.headcount, sv.uscc is not null as serviced,
             sv.services, ${sql.join(SERVICE_KINDS.map((_, i) => sql.raw(`sv.k${i}`)), sql`, `)}, hz.found, hz.major, hz.rectified
      from se
      left join cov on cov.uscc = se.uscc
      left join sv on sv.uscc = se.uscc
      left join hz on hz.uscc = se.uscc
    ), g as (
      select grouping(e.sector)::int as g_sector, grouping(e.child)::int as g_child, e.sector as sector, e.child as child,
             count(*)::int as in_scope,
             (count(*) filter (where counted))::int as mandatory,
             (count(*) filter (where counted and insured))::int as insured,
             coalesce(sum(employee_count) filter (where counted), 0)::int as employees,
             coalesce(sum(least(headcount, employee_count)) filter (where counted and insured), 0)::int as insured_employees,
             (count(*) filter (where counted and insured and serviced))::int as serviced,
             coalesce(sum(services), 0)::int as services, ${sql.join(serviceSums, sql`, `)},
             coalesce(sum(found), 0)::int as found, coalesce(sum(major), 0)::int as major, coalesce(sum(rectified), 0)::int as rectified
      from e
      group by grouping sets ((), (e.sector), (e.child))
    )
    select g.*, ${rate(sql`insured`, sql`mandatory`)} as coverage_rate, ${rate(sql`insured_employees`, sql`employees`)} as employee_rate,
           ${rate(sql`serviced`, sql`insured`)} as service_rate
    from g`);
  const sectorsPresent = new Set<string>();
  for (const r of coverage) {
    const f = at(r);
    if (!f) continue;
    if (num(r.g_sector) === 0 && num(r.in_scope) > 0) sectorsPresent.add(String(r.sector));
    Object.assign(f.insurance, {
      enterprisesInScope: num(r.in_scope),
      mandatoryEnterprises: num(r.mandatory),
      insuredEnterprises: num(r.insured),
      coverageRate: r.coverage_rate == null ? null : String(r.coverage_rate),
      employees: num(r.employees),
      insuredEmployees: num(r.insured_employees),
      employeeCoverageRate: r.employee_rate == null ? null : String(r.employee_rate),
    });
    const byKind = SERVICE_KINDS.map((kind, i) => ({ kind, services: num(r[`k${i}`]) }));
    Object.assign(f.services, {
      services: num(r.services), byKind, riskAssessments: byKind.find((k) => k.kind === "RISK_ASSESSMENT")!.services,
      hazardsFound: num(r.found), majorHazards: num(r.major), hazardsRectified: num(r.rectified),
      servicedEnterprises: num(r.serviced), serviceRate: r.service_rate == null ? null : String(r.service_rate),
    });
  }

  // a group policy's amounts are apportioned by insured headcount over all its enterprises, in or out
  // of scope: its total headcount and number of links, per row (a window over the quarter's rows; for
  // a narrow scope, a lookup of the policy's links). A policy with one link appears once in any group,
  // so only the rows of group policies need a distinct count.
  // (`row` identifies the fact, whose rows are exactly its policy's links)
  const perPolicy = (row: SQL, policyId: SQL) =>
    narrow
      ? { cols: sql`tot.headcount, tot.links`, join: sql`cross join lateral (select sum(l.insured_headcount) as headcount, count(*) as links from policy_enterprises l where l.policy_id = ${policyId}) tot` }
      : { cols: sql`sum(pe.insured_headcount) over (partition by ${row}) as headcount, count(*) over (partition by ${row}) as links`, join: sql`` };

  // 投保: policies starting in the quarter; a group policy's premium apportioned by insured headcount
  const pp = perPolicy(sql`p.id`, sql`p.id`);
  for (const r of await rows(db, sql`
    with ${se}, x as (
      select p.id, p.insurer_uscc, p.premium, pe.enterprise_uscc, pe.insured_headcount, ${pp.cols}
      from policies p
      join policy_enterprises pe on pe.policy_id = p.id
      ${pp.join}
      where ${inQ(sql`p.start_at`)} and (p.cancelled_at is null or p.cancelled_at > p.start_at)${inScope(sql`pe.enterprise_uscc`)}
    )
    select ${GROUP_KEYS},
           (count(*) filter (where x.links = 1) + count(distinct x.id) filter (where x.links > 1))::int as policies,
           count(distinct x.insurer_uscc)::int as insurers,
           ${money(sql`sum(x.premium * x.insured_headcount / x.headcount)`)} as premium
    from x join se on se.uscc = x.enterprise_uscc
    group by ${GROUPS}`)) {
    const f = at(r);
    if (f) Object.assign(f.insurance, { policiesStarted: num(r.policies), premiumTotal: str(r.premium, "0.00") });
    const b = basisAt(r);
    if (b) b.premium = { policies: num(r.policies), insurers: num(r.insurers) };
  }

  // 出险: accidents occurring in the quarter
  for (const r of await rows(db, sql`
    with ${se}
    select ${GROUP_KEYS}, count(*)::int as accidents,
           (count(*) filter (where a.grade = 'GENERAL'))::int as general,
           (count(*) filter (where a.grade = 'LARGER'))::int as larger,
           (count(*) filter (where a.grade = 'MAJOR'))::int as major,
           (count(*) filter (where a.grade = 'EXTRAORDINARY'))::int as extraordinary,
           coalesce(sum(a.deaths), 0)::int as deaths, coalesce(sum(a.serious_injuries), 0)::int as injuries,
           ${money(sql`sum(a.direct_loss)`)} as loss
    from accidents a join se on se.uscc = a.enterprise_uscc
    where ${inQ(sql`a.occurred_at`)}
    group by ${GROUPS}`)) {
    const f = at(r);
    if (f) {
      f.accidents = {
        accidents: num(r.accidents), general: num(r.general), larger: num(r.larger), major: num(r.major), extraordinary: num(r.extraordinary),
        deaths: num(r.deaths), seriousInjuries: num(r.injuries), directLoss: str(r.loss, "0.00"),
      };
    }
  }

  // 出险: claims reported and claims settled in the quarter
  for (const r of await rows(db, sql`
    with ${se}
    select ${GROUP_KEYS},
           (count(*) filter (where ${inQ(sql`c.reported_at`)}))::int as reported,
           (count(*) filter (where c.status = 'SETTLED' and ${inQ(sql`c.settled_at`)}))::int as settled,
           round(avg(extract(epoch from (c.settled_at - c.reported_at))::numeric / 86400) filter (where c.status = 'SETTLED' and ${inQ(sql`c.settled_at`)}), 2)::text as avg_days
    from claims c join se on se.uscc = c.enterprise_uscc
    where ${inQ(sql`c.reported_at`)} or ${inQ(sql`c.settled_at`)}
    group by ${GROUPS}`)) {
    const f = at(r);
    if (f) Object.assign(f.claims, { claimsReported: num(r.reported), claimsSettled: num(r.settled), averageDaysToSettle: r.avg_days == null ? null : String(r.avg_days) });
  }

  // 出险: amounts paid in the quarter, by payment date
  const kindCols = PAYMENT_KINDS.map(
    (k, i) => sql`(count(*) filter (where cp.kind = ${k}))::int as n${sql.raw(String(i))}, ${money(sql`sum(cp.amount) filter (where cp.kind = ${k})`)} as a${sql.raw(String(i))}`,
  );
  for (const r of await rows(db, sql`
    with ${se}
    select ${GROUP_KEYS}, ${sql.join(kindCols, sql`, `)},
           ${money(sql`sum(cp.amount)`)} as paid,
           ${money(sql`sum(cp.amount) filter (where cp.kind <> 'SETTLEMENT')`)} as advances,
           ${money(sql`sum(cp.amount) filter (where cp.kind = 'SETTLEMENT')`)} as settlements
    from claim_payments cp join claims c on c.id = cp.claim_id join se on se.uscc = c.enterprise_uscc
    where ${inQ(sql`cp.paid_at`)}
    group by ${GROUPS}`)) {
    const f = at(r);
    if (!f) continue;
    Object.assign(f.claims, {
      paidTotal: str(r.paid, "0.00"),
      advancesPaid: str(r.advances, "0.00"),
      settlementsPaid: str(r.settlements, "0.00"),
      paymentsByKind: PAYMENT_KINDS.map((kind, i) => ({ kind, payments: num(r[`n${i}`]), amount: str(r[`a${i}`], "0.00") })),
    });
  }

  // 事故预防费用: ledger entries booked in the quarter, through their policy's insured enterprises
  const fp = perPolicy(sql`f.id`, sql`f.policy_id`);
  for (const r of await rows(db, sql`
    with ${se}, x as (
      select f.id, f.policy_id, f.insurer_uscc, f.kind, f.category, f.amount, pe.enterprise_uscc, pe.insured_headcount, ${fp.cols}
      from fund_entries f
      join policy_enterprises pe on pe.policy_id = f.policy_id
      ${fp.join}
      where ${inQ(sql`f.booked_at`)}${inScope(sql`pe.enterprise_uscc`)}
    )
    select ${GROUP_KEYS}, grouping(x.kind)::int as g_kind, grouping(x.category)::int as g_cat, x.kind as kind, x.category as category,
           (count(*) filter (where x.links = 1) + count(distinct x.id) filter (where x.links > 1))::int as entries,
           count(distinct x.policy_id)::int as policies, count(distinct x.insurer_uscc)::int as insurers,
           ${money(sql`sum(x.amount * x.insured_headcount / x.headcount)`)} as amount
    from x join se on se.uscc = x.enterprise_uscc
    group by grouping sets ((x.kind), (x.kind, x.category), (se.sector, x.kind), (se.sector, x.kind, x.category), (se.child, x.kind), (se.child, x.kind, x.category))`)) {
    const f = at(r);
    if (!f) continue;
    const pf = f.preventionFund;
    const b = basisAt(r)!;
    const c = { policies: num(r.policies), insurers: num(r.insurers) };
    if (num(r.g_cat) === 1) {
      if (r.kind === "EXTRACTION") {
        Object.assign(pf, { extracted: str(r.amount, "0.00"), extractionEntries: num(r.entries) });
        b.extraction = c;
      } else if (r.kind === "USE") {
        Object.assign(pf, { used: str(r.amount, "0.00"), useEntries: num(r.entries) });
        b.use = c;
      }
    } else if (r.kind === "USE" && r.category != null) {
      pf.useByCategory.push({ category: String(r.category), entries: num(r.entries), amount: str(r.amount, "0.00") });
      b.categories[String(r.category)] = c;
    }
  }

  for (const f of groups.values()) {
    const pf = f.preventionFund;
    pf.useByCategory.sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
    pf.usedToExtractedRatio = decimalRatio(pf.used!, pf.extracted!);
  }

  const overall = groups.get("all") ?? emptyFigures();
  const sectorList: Sector[] = scope.sectors === "ALL" ? SECTOR_CODES.filter((s) => sectorsPresent.has(s)) : SECTOR_CODES.filter((s) => (scope.sectors as Sector[]).includes(s));
  const bySector = sectorList.map((s) => ({ ...(groups.get(`s:${s}`) ?? emptyFigures()), sector: s }));
  const byRegion = scope.children.map((c) => ({ ...(groups.get(`r:${c.code}`) ?? emptyFigures()), regionCode: c.code, regionName: c.name }));
  const disclosure: DisclosureBasis = { overall: bases.get("all") ?? emptyBasis(), bySector: sectorList.map((s) => bases.get(`s:${s}`) ?? emptyBasis()) };
  return { overall, bySector, byRegion, disclosure };
}

function emptyBasis(): CellBasis {
  const none = { policies: 0, insurers: 0 };
  return { premium: none, extraction: none, use: none, categories: {} };
}
