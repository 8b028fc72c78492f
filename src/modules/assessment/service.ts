import { sql, type SQL } from "drizzle-orm";
import { inAudience, isAgency } from "../../auth/audiences.js";
import { coversRegion } from "../../auth/scope.js";
import { cellPasses, readsTradeSecrets, type Contributors } from "../../auth/small-cell.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db, Executor } from "../../db/client.js";
import { regionPrefix } from "../../domain/regions.js";
import { SECTOR_CODES, SERVICE_KINDS, type Sector } from "../../domain/vocabulary.js";
import { badInput, forbidden } from "../../graphql/errors.js";
import { quarterRange } from "../../rules/calendar.js";
import { effectiveRules, PROFILES, type RuleProfile } from "../../rules/profiles.js";
import { decimalRatio } from "../reporting/figures.js";
import type { InsurerAssessment, InsurerRanking, InsurerRankingEntry, InsurerRankingOrder, PureRiskLossRate, PureRiskLossRates } from "./types.js";

/**
 * 保险机构考核 and 纯风险损失率, in SQL. An assessment is a fixed set of statements, each aggregating
 * every insurer of the region at once (GROUP BY insurer), run in one read-only REPEATABLE READ
 * transaction: nine statements whatever the data, and the single-insurer query is the ranking's
 * computation read for one insurer, so the two can never disagree. Definitions: types.ts.
 */

type Row = Record<string, unknown>;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const num = (v: unknown) => Number(v ?? 0);
const money = (v: unknown) => (v == null ? "0.00" : String(v));
const dec = (v: unknown) => (v == null ? null : String(v));
/** a ÷ b for two counts, rounded half up to 4 places in integer arithmetic; null when b is 0 */
export function countRatio(a: number, b: number): string | null {
  if (b === 0) return null;
  const q = (2n * BigInt(a) * 10_000n + BigInt(b)) / (2n * BigInt(b));
  const s = q.toString().padStart(5, "0");
  return `${s.slice(0, -4)}.${s.slice(-4)}`;
}

async function rows(db: Executor, q: SQL): Promise<Row[]> {
  return ((await db.execute(q)) as unknown as { rows: Row[] }).rows;
}

function checkPeriod(year: number, quarter?: number) {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput("year", "range", "年度应在 2000–2100 之间 / year must be within 2000–2100");
  if (quarter !== undefined && (!Number.isInteger(quarter) || quarter < 1 || quarter > 4)) throw badInput("quarter", "range", "季度应为 1–4 / quarter must be 1–4");
}

function checkRegionCode(regionCode: string) {
  if (!/^\d{6}(\d{3})?$/.test(regionCode)) throw badInput("regionCode", "region-code", "行政区划代码应为6位或9位数字 / region code must have 6 or 9 digits");
}



/**
 * The region an assessment covers. Committee office and financial regulator: regionCode (default
 * their own region) must lie in their subtree. An insurer reads only its own assessment, in any
 * region; without regionCode, every region (null).
 */
function assessmentRegion(viewer: Viewer, insurerId: string | null, regionCode: string | null | undefined): string | null {
  if (viewer.role === "INSURER") {
    // ASSESSMENT_READERS: an insurer reads its own assessment only
    if (insurerId !== null && viewer.org !== insurerId) {
      throw forbidden("保险机构只能查看本机构的考核数据 / an insurer reads only its own assessment");
    }
    if (insurerId === null) throw forbidden("保险机构排名仅限安委办、金融监管局 / the insurer ranking is for committee offices and financial regulators only");
    if (regionCode) checkRegionCode(regionCode);
    return regionCode || null;
  }
  if (!inAudience("REGULATORS", viewer.role) || !viewer.jurisdiction) {
    throw forbidden("仅限安委办、金融监管局及保险机构本身 / committee offices, financial regulators and the insurer itself only");
  }
  const region = regionCode || viewer.jurisdiction.regionCode;
  checkRegionCode(region);
  if (!coversRegion(viewer, region)) throw forbidden(`区划 ${region} 不在本部门辖区内 / region ${region} is outside your region subtree`);
  return region;
}

// ---------------------------------------------------------------------------------------------
// prevention-fund floors in SQL

/**
 * The profiles that set a preventionRatioFloor, as a VALUES list (prefix, ratio, profile id). The
 * effective floor of an enterprise is the highest ratio among the profiles on its region's ancestry,
 * exactly as effectiveRules() merges a floor (the stricter, i.e. higher, wins).
 */
function floorTable(profiles: readonly RuleProfile[] = PROFILES): SQL {
  const withFloor = profiles.filter((p) => p.preventionRatioFloor);
  if (!withFloor.length) return sql`(select null::text as prefix, null::numeric as ratio, null::text as id where false)`;
  const values = withFloor.map((p) => sql`(${p.regionCode ? regionPrefix(p.regionCode) : ""}::text, ${p.preventionRatioFloor!.value}::numeric, ${p.id}::text)`);
  return sql`(values ${sql.join(values, sql`, `)})`;
}

const floorSourceOf = (id: string) => {
  const p = PROFILES.find((x) => x.id === id);
  return p?.preventionRatioFloor?.source ?? id;
};

// ---------------------------------------------------------------------------------------------
// the assessment of every insurer of a region

/** The figures of one insurer, without its name and the period. */
type Figures = Pick<InsurerAssessment, "underwriting" | "claims" | "prevention" | "openFindings" | "findingsByRule">;

interface Computed {
  names: Map<string, { name: string; shortName: string }>;
  marketPremium: string;
  byInsurer: Map<string, Figures>;
  active: string[];
}

function emptyFigures(marketPremium: string): Figures {
  return {
    underwriting: { policiesWritten: 0, policiesLed: 0, premium: "0.00", marketPremium, marketShare: decimalRatio("0.00", marketPremium) },
    claims: { claimsReported: 0, claimsSettled: 0, averageDaysToSettle: null, p90DaysToSettle: null, paidTotal: "0.00", advancesPaid: "0.00", advanceShare: null },
    prevention: {
      fundExtracted: "0.00", fundUsed: "0.00", fundFloor: null, floorSources: [], usedToExtractedRatio: null, extractedToFloorRatio: null, usedToFloorRatio: null,
      servicesDelivered: 0, servicesContracted: "0.00", serviceDeliveryRatio: null,
      servicesByKind: SERVICE_KINDS.map((kind) => ({ kind, delivered: 0, contracted: "0.00" })),
      hazardsFound: 0, majorHazards: 0, hazardsRectified: 0, rectificationRate: null,
    },
    openFindings: 0,
    findingsByRule: [],
  };
}

/**
 * Every figure of every insurer for one region prefix ("" = every region) and quarter. `only`
 * narrows the insurer-name lookup to one insurer (the aggregates are per insurer either way).
 */
async function computeAll(tx: Executor, prefix: string, start: Date, end: Date, opts: { only?: string } = {}): Promise<Computed> {
  const S = ts(start), E = ts(end);
  const inQ = (col: SQL) => sql`(${col} >= ${S} and ${col} < ${E})`;
  const inRegion = (alias: string) => sql`${sql.raw(`${alias}.region_code`)} like ${prefix + "%"}`;
  const tot = (policyId: SQL) => sql`cross join lateral (select sum(x.insured_headcount) as headcount from policy_enterprises x where x.policy_id = ${policyId}) tot`;

  // 1. underwriting, the market total (grouping set ()) and the prevention floor
  const uw = await rows(tx, sql`
    with w as (
      select pc.insurer_uscc as insurer, p.id as policy_id, p.insurer_uscc = pc.insurer_uscc as lead,
             p.premium * pc.share * pe.insured_headcount / tot.headcount as premium,
             fl.ratio as floor_ratio, fl.id as floor_id
      from policies p
      join policy_coinsurers pc on pc.policy_id = p.id
      join policy_enterprises pe on pe.policy_id = p.id
      join enterprises e on e.uscc = pe.enterprise_uscc
      ${tot(sql`p.id`)}
      left join lateral (
        select f.ratio, f.id from ${floorTable()} as f(prefix, ratio, id)
        where e.region_code like f.prefix || '%' order by f.ratio desc, f.id limit 1
      ) fl on true
      where ${inRegion("e")} and ${inQ(sql`p.start_at`)} and (p.cancelled_at is null or p.cancelled_at > p.start_at)
    )
    select grouping(insurer)::int as g, insurer,
           count(distinct policy_id)::int as policies,
           (count(distinct policy_id) filter (where lead))::int as led,
           round(coalesce(sum(premium), 0), 2)::text as premium,
           round(sum(premium * floor_ratio) filter (where floor_id is not null), 2)::text as floor,
           array_agg(distinct floor_id) filter (where floor_id is not null) as floor_ids
    from w group by grouping sets ((insurer), ())`);
  const marketPremium = money(uw.find((r) => num(r.g) === 1)?.premium);

  const byInsurer: Computed["byInsurer"] = new Map();
  const of = (insurer: unknown) => {
    const k = String(insurer);
    let f = byInsurer.get(k);
    if (!f) byInsurer.set(k, (f = emptyFigures(marketPremium)));
    return f;
  };
  for (const r of uw) {
    if (num(r.g) === 1) continue;
    const f = of(r.insurer);
    const premium = money(r.premium);
    f.underwriting = { policiesWritten: num(r.policies), policiesLed: num(r.led), premium, marketPremium, marketShare: decimalRatio(premium, marketPremium) };
    f.prevention.fundFloor = dec(r.floor);
    const ids = (Array.isArray(r.floor_ids) ? r.floor_ids : typeof r.floor_ids === "string" ? r.floor_ids.replace(/^\{|\}$/g, "").split(",").filter(Boolean) : []) as string[];
    f.prevention.floorSources = [...new Set(ids.map(floorSourceOf))].sort();
  }

  // 2. claims reported and settled in the quarter, by the insurer that filed them
  for (const r of await rows(tx, sql`
    select c.insurer_uscc as insurer,
           (count(*) filter (where ${inQ(sql`c.reported_at`)}))::int as reported,
           (count(*) filter (where c.status = 'SETTLED' and ${inQ(sql`c.settled_at`)}))::int as settled,
           round(avg(d.days) filter (where c.status = 'SETTLED' and ${inQ(sql`c.settled_at`)}), 2)::text as avg_days,
           round(percentile_disc(0.9) within group (order by d.days) filter (where c.status = 'SETTLED' and ${inQ(sql`c.settled_at`)}), 2)::text as p90_days
    from claims c
    join enterprises e on e.uscc = c.enterprise_uscc
    cross join lateral (select extract(epoch from (c.settled_at - c.reported_at))::numeric / 86400 as days) d
    where ${inRegion("e")} and (${inQ(sql`c.reported_at`)} or (c.status = 'SETTLED' and ${inQ(sql`c.settled_at`)}))
    group by c.insurer_uscc`)) {
    Object.assign(of(r.insurer).claims, { claimsReported: num(r.reported), claimsSettled: num(r.settled), averageDaysToSettle: dec(r.avg_days), p90DaysToSettle: dec(r.p90_days) });
  }

  // 3. claim payments made in the quarter
  for (const r of await rows(tx, sql`
    select cp.insurer_uscc as insurer,
           round(coalesce(sum(cp.amount), 0), 2)::text as paid,
           round(coalesce(sum(cp.amount) filter (where cp.kind <> 'SETTLEMENT'), 0), 2)::text as advances
    from claim_payments cp
    join claims c on c.id = cp.claim_id
    join enterprises e on e.uscc = c.enterprise_uscc
    where ${inRegion("e")} and ${inQ(sql`cp.paid_at`)}
    group by cp.insurer_uscc`)) {
    const c = of(r.insurer).claims;
    c.paidTotal = money(r.paid);
    c.advancesPaid = money(r.advances);
    c.advanceShare = decimalRatio(c.advancesPaid, c.paidTotal);
  }

  // 4. the insurer's prevention-fund ledger, through the policy's insured enterprises in the region
  for (const r of await rows(tx, sql`
    select f.insurer_uscc as insurer,
           round(coalesce(sum(f.amount * pe.insured_headcount / tot.headcount) filter (where f.kind = 'EXTRACTION'), 0), 2)::text as extracted,
           round(coalesce(sum(f.amount * pe.insured_headcount / tot.headcount) filter (where f.kind = 'USE'), 0), 2)::text as used
    from fund_entries f
    join policy_enterprises pe on pe.policy_id = f.policy_id
    join enterprises e on e.uscc = pe.enterprise_uscc
    ${tot(sql`f.policy_id`)}
    where ${inRegion("e")} and ${inQ(sql`f.booked_at`)}
    group by f.insurer_uscc`)) {
    Object.assign(of(r.insurer).prevention, { fundExtracted: money(r.extracted), fundUsed: money(r.used) });
  }

  // 5. services delivered in the quarter, by the insurer that filed them
  for (const r of await rows(tx, sql`
    select s.insurer_uscc as insurer, grouping(s.kind)::int as g_kind, s.kind, count(*)::int as n
    from prevention_services s
    join enterprises e on e.uscc = s.enterprise_uscc
    where ${inRegion("e")} and ${inQ(sql`s.performed_at`)}
    group by grouping sets ((s.insurer_uscc), (s.insurer_uscc, s.kind))`)) {
    const p = of(r.insurer).prevention;
    if (num(r.g_kind) === 1) p.servicesDelivered = num(r.n);
    else {
      const k = p.servicesByKind.find((x) => x.kind === r.kind);
      if (k) k.delivered = num(r.n);
    }
  }

  // 6. services contracted pro rata: plans of the policies the insurer leads, per insured enterprise
  for (const r of await rows(tx, sql`
    with c as (
      select p.insurer_uscc as insurer, sp.kind,
             sp.yearly_frequency
               * greatest(0, extract(epoch from (least(p.end_at, coalesce(p.cancelled_at, p.end_at), ${E}) - greatest(p.start_at, ${S})))::numeric)
               / extract(epoch from (p.end_at - p.start_at))::numeric as due
      from policies p
      join policy_service_plans sp on sp.policy_id = p.id
      join policy_enterprises pe on pe.policy_id = p.id
      join enterprises e on e.uscc = pe.enterprise_uscc
      where ${inRegion("e")} and p.start_at < ${E} and least(p.end_at, coalesce(p.cancelled_at, p.end_at)) > ${S}
    )
    select insurer, grouping(kind)::int as g_kind, kind, round(sum(due), 2)::text as due
    from c group by grouping sets ((insurer), (insurer, kind))`)) {
    const p = of(r.insurer).prevention;
    if (num(r.g_kind) === 1) p.servicesContracted = money(r.due);
    else {
      const k = p.servicesByKind.find((x) => x.kind === r.kind);
      if (k) k.contracted = money(r.due);
    }
  }

  // 7. hazards found by the insurer's services, by written notice date (a CST calendar date)
  const cstDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  for (const r of await rows(tx, sql`
    select s.insurer_uscc as insurer, count(*)::int as found,
           (count(*) filter (where h.severity = 'MAJOR'))::int as major,
           (count(*) filter (where h.rectified_at is not null and h.rectified_at < ${E}))::int as rectified
    from hazards h
    join prevention_services s on s.id = h.service_id
    join enterprises e on e.uscc = h.enterprise_uscc
    where ${inRegion("e")} and h.notice_date >= ${cstDate(start)}::date and h.notice_date < ${cstDate(end)}::date
    group by s.insurer_uscc`)) {
    Object.assign(of(r.insurer).prevention, { hazardsFound: num(r.found), majorHazards: num(r.major), hazardsRectified: num(r.rectified) });
  }

  // 8. compliance findings open now, naming the insurer and an enterprise in the region
  for (const r of await rows(tx, sql`
    select f.insurer_uscc as insurer, f.rule_code, count(*)::int as n
    from compliance_findings f
    join enterprises e on e.uscc = f.enterprise_uscc
    where f.status = 'OPEN' and f.insurer_uscc is not null and ${inRegion("e")}
    group by f.insurer_uscc, f.rule_code
    order by f.insurer_uscc, f.rule_code`)) {
    const f = of(r.insurer);
    f.findingsByRule.push({ ruleCode: String(r.rule_code), open: num(r.n) });
    f.openFindings += num(r.n);
  }

  // 9. names, and (ranking) the insurers active in the region: a share in a policy in force at some instant of the quarter
  const names = new Map<string, { name: string; shortName: string }>();
  const active: string[] = [];
  const nameRows = await rows(tx, sql`
    select i.uscc, i.name, i.short_name,
           exists (
             select 1 from policy_coinsurers pc
             join policies p on p.id = pc.policy_id
             join policy_enterprises pe on pe.policy_id = p.id
             join enterprises e on e.uscc = pe.enterprise_uscc
             where pc.insurer_uscc = i.uscc and ${inRegion("e")}
               and p.start_at < ${E} and p.end_at > ${S} and (p.cancelled_at is null or p.cancelled_at > greatest(p.start_at, ${S}))
           ) as active
    from insurers i
    where ${opts.only ? sql`i.uscc = ${opts.only}` : sql`true`}
    order by i.uscc`);
  for (const r of nameRows) {
    names.set(String(r.uscc), { name: String(r.name), shortName: String(r.short_name) });
    if (r.active === true || r.active === "t") active.push(String(r.uscc));
  }

  for (const f of byInsurer.values()) {
    const p = f.prevention;
    p.usedToExtractedRatio = decimalRatio(p.fundUsed, p.fundExtracted);
    p.extractedToFloorRatio = p.fundFloor === null ? null : decimalRatio(p.fundExtracted, p.fundFloor);
    p.usedToFloorRatio = p.fundFloor === null ? null : decimalRatio(p.fundUsed, p.fundFloor);
    p.serviceDeliveryRatio = decimalRatio(`${p.servicesDelivered}.00`, p.servicesContracted);
    p.rectificationRate = countRatio(p.hazardsRectified, p.hazardsFound);
  }
  return { names, marketPremium, byInsurer, active };
}

function compute(db: Db, prefix: string, start: Date, end: Date, opts: { only?: string } = {}) {
  return db.transaction((tx) => computeAll(tx, prefix, start, end, opts), { isolationLevel: "repeatable read", accessMode: "read only" });
}

function assemble(c: Computed, insurerId: string, head: Pick<InsurerAssessment, "regionCode" | "year" | "quarter" | "periodStart" | "periodEnd" | "computedAt">): InsurerAssessment | null {
  const n = c.names.get(insurerId);
  if (!n) return null;
  const figures = c.byInsurer.get(insurerId) ?? emptyFigures(c.marketPremium);
  return { insurerId, insurerName: n.name, insurerShortName: n.shortName, ...head, ...figures, withheld: [] };
}

export interface AssessmentArgs {
  insurerId: string;
  year: number;
  quarter: number;
  regionCode?: string | null;
}

/**
 * insurerAssessment: the committee office and financial regulator for a region in their subtree
 * (default: their own region); an insurer for itself only (FORBIDDEN for any other id). null for
 * an unknown insurer. The market premium is removed for an insurer: it sees its own figures and
 * its share, never the sum of its competitors' premiums.
 */
export async function insurerAssessment(db: Db, viewer: Viewer, args: AssessmentArgs, now: Date = new Date()): Promise<InsurerAssessment | null> {
  checkPeriod(args.year, args.quarter);
  const region = assessmentRegion(viewer, args.insurerId, args.regionCode);
  const { start, end } = quarterRange(args.year, args.quarter);
  const c = await compute(db, region === null ? "" : regionPrefix(region), start, end, { only: args.insurerId });
  const a = assemble(c, args.insurerId, { regionCode: region, year: args.year, quarter: args.quarter, periodStart: start, periodEnd: end, computedAt: now });
  if (a && viewer.role === "INSURER") {
    a.underwriting = { ...a.underwriting, marketPremium: null };
    // the small-cell rule (src/auth/small-cell.ts): premium ÷ share = the market; market − own = the competitors' premium
    const others = await independentBusiness(db, region === null ? "" : regionPrefix(region), start, end, viewer.org ?? "");
    if (a.underwriting.marketShare !== null && !(now.getTime() >= end.getTime() && cellPasses(others))) {
      a.underwriting = { ...a.underwriting, marketShare: null };
      a.withheld = ["underwriting.marketShare"];
    }
  }
  return a;
}

/** The policies written in the region and quarter that `insurer` has no share in, and their insurers. */
async function independentBusiness(db: Db, prefix: string, start: Date, end: Date, insurer: string): Promise<Contributors> {
  const [r] = await rows(db, sql`
    select count(distinct p.id)::int as policies, count(distinct pc.insurer_uscc)::int as insurers
    from policies p
    join policy_coinsurers pc on pc.policy_id = p.id
    where p.start_at >= ${ts(start)} and p.start_at < ${ts(end)} and (p.cancelled_at is null or p.cancelled_at > p.start_at)
      and exists (select 1 from policy_enterprises pe join enterprises e on e.uscc = pe.enterprise_uscc where pe.policy_id = p.id and e.region_code like ${prefix + "%"})
      and not exists (select 1 from policy_coinsurers x where x.policy_id = p.id and x.insurer_uscc = ${insurer})`);
  return { policies: num(r?.policies), insurers: num(r?.insurers) };
}

/** The sort key of each order, as an exact decimal string (null = no value, ranked last) and its direction. */
const SORT_KEYS: Record<InsurerRankingOrder, { value: (a: InsurerAssessment) => string | null; descending: boolean }> = {
  PREMIUM: { value: (a) => a.underwriting.premium, descending: true },
  SERVICE_DELIVERY: { value: (a) => a.prevention.serviceDeliveryRatio, descending: true },
  SETTLEMENT_SPEED: { value: (a) => a.claims.averageDaysToSettle, descending: false },
  FUND_USE: { value: (a) => a.prevention.usedToFloorRatio, descending: true },
  HAZARD_RECTIFICATION: { value: (a) => a.prevention.rectificationRate, descending: true },
  OPEN_FINDINGS: { value: (a) => String(a.openFindings), descending: false },
};

/** Exact comparison of non-negative decimal strings. */
function cmpDecimal(a: string, b: string): number {
  const [ai, af = ""] = a.split("."), [bi, bf = ""] = b.split(".");
  const scale = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(scale, "0")), y = BigInt(bi + bf.padEnd(scale, "0"));
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * insurerRanking: committee office and financial regulator only. Every insurer active in the region
 * (see InsurerRanking), each with its full assessment, ordered by one key: values compared exactly,
 * nulls last, ties share a rank (competition ranking 1, 2, 2, 4) and are listed in USCC order.
 */
export async function insurerRanking(
  db: Db,
  viewer: Viewer,
  args: { year: number; quarter: number; regionCode?: string | null; orderBy?: InsurerRankingOrder | null },
  now: Date = new Date(),
): Promise<InsurerRanking> {
  if (!inAudience("REGULATORS", viewer.role)) throw forbidden("保险机构排名仅限安委办、金融监管局 / the insurer ranking is for committee offices and financial regulators only");
  checkPeriod(args.year, args.quarter);
  const region = assessmentRegion(viewer, null, args.regionCode)!;
  const orderBy = args.orderBy ?? "PREMIUM";
  const { start, end } = quarterRange(args.year, args.quarter);
  const c = await compute(db, regionPrefix(region), start, end);
  const head = { regionCode: region, year: args.year, quarter: args.quarter, periodStart: start, periodEnd: end, computedAt: now };
  const key = SORT_KEYS[orderBy];
  const list = c.active.map((id) => assemble(c, id, head)!).map((a) => ({ a, v: key.value(a) }));
  list.sort((x, y) => {
    if (x.v === null || y.v === null) return x.v === y.v ? cmpId(x.a, y.a) : x.v === null ? 1 : -1;
    const d = cmpDecimal(x.v, y.v) * (key.descending ? -1 : 1);
    return d || cmpId(x.a, y.a);
  });
  const entries: InsurerRankingEntry[] = [];
  list.forEach(({ a, v }, i) => {
    const prev = entries[i - 1];
    const tie = prev && (prev.sortValue === null ? v === null : v !== null && cmpDecimal(prev.sortValue, v) === 0);
    entries.push({ rank: tie ? prev.rank : i + 1, sortValue: v, assessment: a });
  });
  return { regionCode: region, year: args.year, quarter: args.quarter, orderBy, marketPremium: c.marketPremium, computedAt: now, entries };
}

const cmpId = (a: InsurerAssessment, b: InsurerAssessment) => (a.insurerId < b.insurerId ? -1 : a.insurerId > b.insurerId ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// pure risk loss rate

const yearRange = (year: number) => ({ start: quarterRange(year, 1).start, end: quarterRange(year + 1, 1).start });

function emptyRate(sector: Sector | null): PureRiskLossRate {
  return { sector, settledClaims: 0, settledAmount: "0.00", openClaims: 0, openReserves: "0.00", claimsIncurred: "0.00", earnedPremium: "0.00", lossRate: null };
}

/** Adds two amounts with 2 places exactly. */
function addMoney(a: string, b: string): string {
  const fen = (s: string) => {
    const [i, d = ""] = s.split(".");
    return BigInt(i) * 100n + BigInt((d + "00").slice(0, 2));
  };
  const t = fen(a) + fen(b);
  return `${t / 100n}.${String(t % 100n).padStart(2, "0")}`;
}

/**
 * pureRiskLossRates: agencies over a region in their subtree (a sector department: its sectors
 * only). Two statements, each with GROUPING SETS ((sector), ()): earned premium of the policies
 * whose period overlaps the year; incurred claims of the claims reported in the year.
 */
export async function pureRiskLossRates(db: Db, viewer: Viewer, args: { regionCode: string; year: number }, now: Date = new Date()): Promise<PureRiskLossRates> {
  const j = viewer.jurisdiction;
  if (!isAgency(viewer) || !j) throw forbidden("仅限安委办、行业主管部门和金融监管局 / agencies only");
  checkPeriod(args.year);
  checkRegionCode(args.regionCode);
  if (!coversRegion(viewer, args.regionCode)) throw forbidden(`区划 ${args.regionCode} 不在本部门辖区内 / region ${args.regionCode} is outside your region subtree`);
  const sectors: Sector[] | "ALL" = j.sectors;
  const { start, end } = yearRange(args.year);
  const S = ts(start), E = ts(end);
  const prefix = regionPrefix(args.regionCode);
  const scope = sql`e.region_code like ${prefix + "%"} and ${
    sectors === "ALL" ? sql`true` : sectors.length ? sql`e.sector = any(array[${sql.join(sectors.map((s) => sql`${s}`), sql`, `)}]::text[])` : sql`false`
  }`;

  // a policy contributes to the earned premium when its cover overlaps the year (small-cell counts)
  const earning = sql`least(p.end_at, coalesce(p.cancelled_at, p.end_at), ${E}) > greatest(p.start_at, ${S})`;
  const [earned, incurred] = await db.transaction(
    async (tx) => [
      await rows(tx, sql`
        select grouping(e.sector)::int as g, e.sector,
               (count(distinct p.id) filter (where ${earning}))::int as policies,
               (count(distinct p.insurer_uscc) filter (where ${earning}))::int as insurers,
               round(coalesce(sum(
                 p.premium * pe.insured_headcount / tot.headcount
                 * greatest(0, extract(epoch from (least(p.end_at, coalesce(p.cancelled_at, p.end_at), ${E}) - greatest(p.start_at, ${S})))::numeric)
                 / extract(epoch from (p.end_at - p.start_at))::numeric), 0), 2)::text as earned
        from policies p
        join policy_enterprises pe on pe.policy_id = p.id
        join enterprises e on e.uscc = pe.enterprise_uscc
        cross join lateral (select sum(x.insured_headcount) as headcount from policy_enterprises x where x.policy_id = p.id) tot
        where ${scope} and p.start_at < ${E} and p.end_at > ${S}
        group by grouping sets ((e.sector), ())`),
      await rows(tx, sql`
        select grouping(e.sector)::int as g, e.sector,
               (count(*) filter (where c.status = 'SETTLED'))::int as settled,
               round(coalesce(sum(c.settled_amount) filter (where c.status = 'SETTLED'), 0), 2)::text as settled_amount,
               (count(*) filter (where c.status in ('REPORTED', 'ASSESSED', 'ADVANCE_PAID')))::int as open,
               round(coalesce(sum(c.reserve) filter (where c.status in ('REPORTED', 'ASSESSED', 'ADVANCE_PAID')), 0), 2)::text as reserves
        from claims c
        join enterprises e on e.uscc = c.enterprise_uscc
        where ${scope} and c.reported_at >= ${S} and c.reported_at < ${E}
        group by grouping sets ((e.sector), ())`),
    ],
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );

  const groups = new Map<string, PureRiskLossRate>();
  const at = (r: Row) => {
    const k = num(r.g) === 1 ? "all" : String(r.sector);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = emptyRate(k === "all" ? null : (k as Sector))));
    return g;
  };
  const contributors = new Map<string, Contributors>();
  for (const r of earned) {
    at(r).earnedPremium = money(r.earned);
    contributors.set(num(r.g) === 1 ? "all" : String(r.sector), { policies: num(r.policies), insurers: num(r.insurers) });
  }
  for (const r of incurred) {
    Object.assign(at(r), { settledClaims: num(r.settled), settledAmount: money(r.settled_amount), openClaims: num(r.open), openReserves: money(r.reserves) });
  }
  for (const g of groups.values()) {
    g.claimsIncurred = addMoney(g.settledAmount, g.openReserves);
    g.lossRate = decimalRatio(g.claimsIncurred, g.earnedPremium ?? "0.00");
  }
  const present = (s: Sector) => {
    const g = groups.get(s);
    return !!g && (g.earnedPremium !== "0.00" || g.claimsIncurred !== "0.00");
  };
  const list = sectors === "ALL" ? SECTOR_CODES.filter(present) : SECTOR_CODES.filter((s) => sectors.includes(s));
  const rules = effectiveRules(args.regionCode);
  const overall = groups.get("all") ?? emptyRate(null);
  const bySector = list.map((s) => groups.get(s) ?? emptyRate(s));
  const withheld: string[] = [];
  if (!readsTradeSecrets(viewer)) {
    // the small-cell rule: the loss rate with claimsIncurred gives the earned premium, so both go
    const open = now.getTime() >= end.getTime() && args.regionCode === j.regionCode;
    const none: Contributors = { policies: 0, insurers: 0 };
    const hide = (g: PureRiskLossRate, at: string) => {
      g.earnedPremium = null;
      g.lossRate = null;
      withheld.push(`${at}.earnedPremium`, `${at}.lossRate`);
    };
    if (!(open && cellPasses(contributors.get("all") ?? none))) hide(overall, "overall");
    if (!(open && list.every((s) => cellPasses(contributors.get(s) ?? none)))) bySector.forEach((g, i) => hide(g, `bySector[${i}]`));
  }
  return {
    regionCode: args.regionCode,
    year: args.year,
    periodStart: start,
    periodEnd: end,
    computedAt: now,
    publicationRequired: rules.publishPureLossRate?.value ?? false,
    publicationSources: rules.publishPureLossRate?.sources ?? [],
    overall,
    bySector,
    withheld,
  };
}
