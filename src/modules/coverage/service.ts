import { and, sql, type SQL } from "drizzle-orm";
import { enterpriseRows } from "../../auth/scope.js";
import { isAgency } from "../../auth/audiences.js";
import { overlapsRegion } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Executor } from "../../db/client.js";
import { regionPrefix } from "../../domain/regions.js";
import { SECTOR_CODES, type Sector } from "../../domain/vocabulary.js";
import { paginate, type Page } from "../../graphql/connection.js";
import { badInput, forbidden, notFound } from "../../graphql/errors.js";
import { quarterOf, quarterRange } from "../../rules/calendar.js";
import { usccProblem } from "../../rules/identifiers.js";
import { mandatoryCondition } from "../../rules/mandatory-sql.js";
import { effectiveRules, type EffectiveRules } from "../../rules/profiles.js";
import { enterprises } from "../../../schema/index.js";
import type { EnterpriseRow } from "../enterprises/service.js";
import type { CoverageFigures, CoverageReport, CoverageTargets, InsuranceStatus, PenaltyRange, UninsuredEnterprise, UninsuredReason } from "./types.js";

const DAY_MS = 86_400_000;

/**
 * Cover at an instant, for reports that look back: a policy covers `t` when start_at <= t < end_at
 * and it had not been cancelled by then (cancelled_at is null or later than t). A cancellation takes
 * effect at cancelled_at, so a policy cancelled next month still covers today, and a figure for a
 * past instant does not change when a policy is cancelled afterwards.
 */
export function inForceAt(t: SQL, p = "p"): SQL {
  const c = (col: string) => sql.raw(`${p}.${col}`);
  return sql`(${c("start_at")} <= ${t} and ${c("end_at")} > ${t} and (${c("cancelled_at")} is null or ${c("cancelled_at")} > ${t}))`;
}

const instant = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const E = (col: string) => sql.raw(`"enterprises"."${col}"`);

function checkRegionCode(regionCode: string) {
  if (!/^\d{6}(\d{3})?$/.test(regionCode)) throw badInput("regionCode", "region-code", "行政区划代码应为6位或9位数字 / region code must have 6 or 9 digits");
}

/**
 * Agencies only; a region (and sector) wholly outside the caller's jurisdiction is FORBIDDEN rather
 * than a report of zeros that would read as "nothing to supervise there". A region that merely
 * overlaps (an ancestor of the caller's region) is counted within the jurisdiction.
 */
function checkScope(viewer: Viewer, regionCode: string, sector: Sector | null | undefined) {
  const j = viewer.jurisdiction;
  if (!isAgency(viewer) || !j) throw forbidden("仅限安委办、行业主管部门和金融监管局 / agencies only");
  if (!overlapsRegion(viewer, regionCode)) throw forbidden(`区划 ${regionCode} 不在本部门管辖范围内 / region ${regionCode} is outside your jurisdiction`);
  if (sector && j.sectors !== "ALL" && !j.sectors.includes(sector)) throw forbidden(`行业领域 ${sector} 不由本部门主管 / you do not supervise ${sector}`);
}

/** Mandatory OPERATING enterprises in scope, region subtree and sector (closed or suspended units are exempt). */
function candidates(viewer: Viewer, regionCode: string, sector: Sector | null | undefined): SQL {
  return and(
    enterpriseRows(viewer),
    sql`${E("region_code")} like ${regionPrefix(regionCode) + "%"}`,
    sector ? sql`${E("sector")} = ${sector}` : undefined,
    sql`${E("status")} = 'OPERATING'`,
    mandatoryCondition(),
  )!;
}

// ---------------------------------------------------------------------------------------------
// coverage

export const DEFAULT_TARGET = "1.00";
export const DEFAULT_TARGET_SOURCE =
  "所在地规定未设目标：应当投保单位应保尽保，按100%计（应急〔2025〕27号 第二条）/ no regional target: every mandatory enterprise must insure, so 100% (应急〔2025〕27号 第二条)";

export function targetsFor(rules: EffectiveRules): CoverageTargets {
  const t = rules.targets;
  if (t) return { ...t.value, sources: t.sources, defaulted: false };
  return { coverageRate: DEFAULT_TARGET, employeeCoverageRate: DEFAULT_TARGET, serviceRate: DEFAULT_TARGET, sources: [DEFAULT_TARGET_SOURCE], defaulted: true };
}

/** num / den >= target, exactly (the reported rate is rounded, the comparison is not). */
function meets(num: number, den: number, target: string): boolean | null {
  if (den === 0) return null;
  const [int, frac = ""] = target.split(".");
  const scale = 10n ** BigInt(frac.length);
  return BigInt(num) * scale >= BigInt(int + frac) * BigInt(den);
}

interface Counts {
  enterprises: number;
  insured: number;
  coverage_rate: string | null;
  employees: number;
  insured_employees: number;
  employee_rate: string | null;
  serviced: number;
  service_rate: string | null;
}

function figures(c: Counts | undefined, targets: CoverageTargets, key: { regionCode?: string; regionName?: string; sector?: Sector } = {}): CoverageFigures {
  const n = c ?? { enterprises: 0, insured: 0, coverage_rate: null, employees: 0, insured_employees: 0, employee_rate: null, serviced: 0, service_rate: null };
  return {
    regionCode: key.regionCode ?? null,
    regionName: key.regionName ?? null,
    sector: key.sector ?? null,
    mandatoryEnterprises: n.enterprises,
    insuredEnterprises: n.insured,
    coverageRate: n.coverage_rate,
    employees: n.employees,
    insuredEmployees: n.insured_employees,
    employeeCoverageRate: n.employee_rate,
    servicedEnterprises: n.serviced,
    serviceRate: n.service_rate,
    targets,
    coverageTargetMet: meets(n.insured, n.enterprises, targets.coverageRate),
    employeeCoverageTargetMet: meets(n.insured_employees, n.employees, targets.employeeCoverageRate),
    serviceTargetMet: meets(n.serviced, n.insured, targets.serviceRate),
  };
}

const rate = (num: string, den: string) => sql.raw(`round((${num})::numeric / nullif(${den}, 0), 4)::text`);

/**
 * Two statements: the region and its children, then one aggregate over the enterprises in scope
 * with GROUPING SETS for overall, by sector and by child region. Per enterprise:
 * insured = at least one policy in force at asOf (inForceAt); insured employees = min(Σ insured
 * headcount of its in-force policies, employee count); serviced = insured and at least one
 * prevention service performed in [start of asOf's CST calendar quarter, asOf].
 */
export async function coverageReport(db: Executor, viewer: Viewer, args: { regionCode: string; sector?: Sector | null; asOf?: Date | null }): Promise<CoverageReport> {
  const { regionCode } = args;
  const sector = args.sector ?? null;
  const asOf = args.asOf ?? new Date();
  checkRegionCode(regionCode);
  checkScope(viewer, regionCode, sector);

  const regionRows = (await db.execute(sql`select code, name, parent_code from regions where code = ${regionCode} or parent_code = ${regionCode} order by code`)) as unknown as {
    rows: { code: string; name: string; parent_code: string | null }[];
  };
  const self = regionRows.rows.find((r) => r.code === regionCode);
  if (!self) throw notFound(`行政区划 ${regionCode}`);
  const j = viewer.jurisdiction!;
  const children = regionRows.rows
    .filter((r) => r.code !== regionCode)
    .map((r) => ({ ...r, prefix: regionPrefix(r.code) }))
    .filter((r) => r.prefix.startsWith(j.regionPrefix) || j.regionPrefix.startsWith(r.prefix));

  const { year, quarter } = quarterOf(asOf);
  const serviceFrom = quarterRange(year, quarter).start;
  const t = instant(asOf);
  const child = children.length
    ? sql`case ${sql.join(children.map((c) => sql`when ${E("region_code")} like ${c.prefix + "%"} then ${c.code}`), sql` `)} end`
    : sql`null::text`;

  const result = (await db.execute(sql`
    with e as (
      select ${E("sector")} as sector, ${E("employee_count")} as employee_count, ${child} as child,
             cov.n > 0 as insured,
             least(cov.headcount, ${E("employee_count")}) as insured_employees,
             exists (select 1 from prevention_services s where s.enterprise_uscc = ${E("uscc")}
                     and s.performed_at >= ${instant(serviceFrom)} and s.performed_at <= ${t}) as serviced
      from enterprises
      cross join lateral (
        select count(*) as n, coalesce(sum(pe.insured_headcount), 0) as headcount
        from policy_enterprises pe join policies p on p.id = pe.policy_id
        where pe.enterprise_uscc = ${E("uscc")} and ${inForceAt(t)}
      ) cov
      where ${candidates(viewer, regionCode, sector)}
    ), g as (
      select grouping(sector) as g_sector, grouping(child) as g_child, sector, child,
             count(*)::int as enterprises,
             (count(*) filter (where insured))::int as insured,
             coalesce(sum(employee_count), 0)::int as employees,
             coalesce(sum(insured_employees) filter (where insured), 0)::int as insured_employees,
             (count(*) filter (where insured and serviced))::int as serviced
      from e
      group by grouping sets ((), (sector), (child))
    )
    select g_sector::int as g_sector, g_child::int as g_child, sector, child, enterprises, insured, employees, insured_employees, serviced,
           ${rate("insured", "enterprises")} as coverage_rate,
           ${rate("insured_employees", "employees")} as employee_rate,
           ${rate("serviced", "insured")} as service_rate
    from g`)) as unknown as { rows: (Counts & { g_sector: number; g_child: number; sector: Sector | null; child: string | null })[] };

  const rows = result.rows.map((r) => ({
    ...r,
    g_sector: Number(r.g_sector),
    g_child: Number(r.g_child),
    enterprises: Number(r.enterprises),
    insured: Number(r.insured),
    employees: Number(r.employees),
    insured_employees: Number(r.insured_employees),
    serviced: Number(r.serviced),
  }));
  const targets = targetsFor(effectiveRules(regionCode));
  const overall = rows.find((r) => r.g_sector === 1 && r.g_child === 1);
  const bySector = rows
    .filter((r) => r.g_sector === 0 && r.g_child === 1)
    .sort((a, b) => SECTOR_CODES.indexOf(a.sector!) - SECTOR_CODES.indexOf(b.sector!))
    .map((r) => figures(r, targets, { sector: r.sector! }));
  const byChild = new Map(rows.filter((r) => r.g_child === 0 && r.g_sector === 1 && r.child !== null).map((r) => [r.child!, r]));
  const byRegion = children.map((c) => figures(byChild.get(c.code), targetsFor(effectiveRules(c.code)), { regionCode: c.code, regionName: c.name }));

  return { regionCode, regionName: self.name, sector, asOf, serviceFrom, serviceTo: asOf, overall: figures(overall, targets), bySector, byRegion };
}

// ---------------------------------------------------------------------------------------------
// uninsuredEnterprises

export interface UninsuredArgs {
  regionCode: string;
  sector?: Sector | null;
  asOf?: Date | null;
  first?: number | null;
  after?: string | null;
}

function penaltyOf(rules: EffectiveRules): PenaltyRange | null {
  const p = rules.penalty;
  if (!p) return null;
  return { first: { min: p.value.first[0], max: p.value.first[1] }, uncorrected: { min: p.value.uncorrected[0], max: p.value.uncorrected[1] }, sources: p.sources };
}

/**
 * Keyset pages on USCC: paginate() reads the page of enterprises (mandatory, operating, in scope,
 * no policy in force at asOf), then one statement finds each one's last policy that had started
 * by asOf — the one whose cover ended last (its cancellation if cancelled by asOf, else its end).
 * None → NEVER_INSURED; ended by cancellation → CANCELLED; otherwise LAPSED. totalCount is a
 * third statement, only when selected.
 */
export async function uninsuredEnterprises(db: Executor, viewer: Viewer, args: UninsuredArgs): Promise<Page<UninsuredEnterprise>> {
  const sector = args.sector ?? null;
  const asOf = args.asOf ?? new Date();
  checkRegionCode(args.regionCode);
  checkScope(viewer, args.regionCode, sector);
  const t = instant(asOf);
  const where = and(
    candidates(viewer, args.regionCode, sector),
    sql`not exists (select 1 from policy_enterprises pe join policies p on p.id = pe.policy_id where pe.enterprise_uscc = ${E("uscc")} and ${inForceAt(t)})`,
  );
  const page = await paginate<EnterpriseRow>({ db, table: enterprises, key: enterprises.uscc, where, first: args.first, after: args.after });

  const usccs = page.edges.map((e) => e.node.uscc);
  const last = new Map<string, { endedAt: Date; cancelled: boolean }>();
  if (usccs.length) {
    const endedByCancel = sql`(p.cancelled_at is not null and p.cancelled_at <= ${t} and p.cancelled_at < p.end_at)`;
    const r = (await db.execute(sql`
      select distinct on (pe.enterprise_uscc) pe.enterprise_uscc as uscc,
             case when ${endedByCancel} then p.cancelled_at else p.end_at end as ended_at,
             ${endedByCancel} as cancelled
      from policy_enterprises pe join policies p on p.id = pe.policy_id
      where pe.enterprise_uscc = any(array[${sql.join(usccs.map((u) => sql`${u}`), sql`, `)}]::text[]) and p.start_at <= ${t}
      order by pe.enterprise_uscc, ended_at desc, p.id desc`)) as unknown as { rows: { uscc: string; ended_at: Date | string; cancelled: boolean }[] };
    for (const row of r.rows) last.set(row.uscc, { endedAt: new Date(row.ended_at), cancelled: row.cancelled === true || (row.cancelled as unknown) === "t" });
  }

  const rulesOf = new Map<string, EffectiveRules>();
  const rules = (region: string) => rulesOf.get(region) ?? rulesOf.set(region, effectiveRules(region)).get(region)!;
  const edges = page.edges.map(({ node, cursor }) => {
    const l = last.get(node.uscc);
    const r = rules(node.regionCode);
    const reason: UninsuredReason = !l ? "NEVER_INSURED" : l.cancelled ? "CANCELLED" : "LAPSED";
    const days = l ? Math.floor((asOf.getTime() - l.endedAt.getTime()) / DAY_MS) : null;
    const grace = r.lapseGraceDays?.value ?? 0;
    const item: UninsuredEnterprise = {
      enterprise: node,
      reason,
      uninsuredSince: l?.endedAt ?? null,
      daysUninsured: days,
      blacklisted: node.blacklisted,
      withinGracePeriod: days !== null && days < grace,
      penalty: penaltyOf(r),
    };
    return { node: item, cursor };
  });
  return {
    edges,
    pageInfo: page.pageInfo,
    get totalCount() {
      return page.totalCount;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// insuranceStatus: public, deliberately unscoped, and narrow

/**
 * Whether the enterprise is insured right now, with each in-force policy's insurer names (lead
 * first, then co-insurers by share) and period. One statement. An unknown USCC answers exactly
 * like a known uninsured one, so the lookup never reveals whether the hub holds an enterprise.
 */
export async function insuranceStatus(db: Executor, uscc: string, now = new Date()): Promise<InsuranceStatus> {
  const problem = usccProblem(uscc);
  if (problem) throw badInput("uscc", `uscc:${problem}`, "统一社会信用代码无效 / invalid USCC");
  const t = instant(now);
  const r = (await db.execute(sql`
    select p.id, p.start_at, p.end_at, i.name, i.uscc = p.insurer_uscc as lead, pc.share
    from policy_enterprises pe
    join policies p on p.id = pe.policy_id
    join insurers i on i.uscc = p.insurer_uscc or i.uscc in (select pc2.insurer_uscc from policy_coinsurers pc2 where pc2.policy_id = p.id)
    left join policy_coinsurers pc on pc.policy_id = p.id and pc.insurer_uscc = i.uscc
    where pe.enterprise_uscc = ${uscc} and ${inForceAt(t)}
    order by p.start_at, p.end_at, p.id, lead desc, pc.share desc nulls last, i.name`)) as unknown as {
    rows: { id: number | string; start_at: Date | string; end_at: Date | string; name: string }[];
  };
  const byPolicy = new Map<string, { insurerNames: string[]; startAt: Date; endAt: Date }>();
  for (const row of r.rows) {
    const key = String(row.id);
    let p = byPolicy.get(key);
    if (!p) byPolicy.set(key, (p = { insurerNames: [], startAt: new Date(row.start_at), endAt: new Date(row.end_at) }));
    p.insurerNames.push(row.name);
  }
  const periods = [...byPolicy.values()];
  return { uscc, insured: periods.length > 0, periods };
}
