import { inRegion, regionPrefix } from "../domain/regions.js";
import { SECTOR_CODES, type AgencyKind, type Sector } from "../domain/vocabulary.js";

/**
 * Rule profiles: every numeric or set-valued rule the hub enforces, as data with the document and
 * article it comes from. effectiveRules() at the bottom merges them for one region.
 * Ratios and money are decimal strings (money in yuan); they are compared exactly, never as floats.
 */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** Deviation from the base guide rate: the charged rate is base × (1 + deviation). */
export interface FloatBandRule {
  normal: [string, string];
  /** Highest upward deviation after a 较大-or-worse accident or fatal accidents in 2 consecutive years. */
  afterSeriousAccident: string;
  /** After this many accident-free years the discount may go below normal[0] (no lower bound given). */
  accidentFreeYearsForDeeperDiscount: number;
}

export interface TermRule {
  months: number;
  /** Sectors whose policies may follow the project / production period instead. */
  exemptSectors: Sector[];
  /** Risk tags with the same allowance (e.g. SEASONAL). */
  exemptTags?: string[];
}

export interface RuleProfile {
  id: string;
  /** null = national. */
  regionCode: string | null;
  name: string;
  document: string;
  effectiveFrom?: string;
  mandatorySectors?: Sourced<Sector[]>;
  mandatoryTags?: Sourced<string[]>;
  minDeathLimitPerPerson?: Sourced<string>;
  maxCommissionRatio?: Sourced<string>;
  preventionRatioFloor?: Sourced<string>;
  preventionRatioCap?: Sourced<string>;
  rateFloatBand?: Sourced<FloatBandRule>;
  termMonths?: Sourced<TermRule>;
  reportDueDays?: Sourced<number>;
  lapseGraceDays?: Sourced<number>;
  targets?: Sourced<{ coverageRate: string; employeeCoverageRate: string; serviceRate: string }>;
  penalty?: Sourced<{ first: [string, string]; uncorrected: [string, string] }>;
  publishPureLossRate?: Sourced<boolean>;
  publishInsuranceStatus?: Sourced<boolean>;
  hazardRefusalRaise?: Sourced<boolean>;
  blacklistRefusers?: Sourced<boolean>;
  groupPolicyAllowed?: Sourced<boolean>;
  insurerRegistry?: Sourced<boolean>;
  insurerEvaluation?: Sourced<boolean>;
  /** Which department kind leads each sector in this region. */
  sectorAgencies?: Sourced<Partial<Record<Sector, AgencyKind[]>>>;
}

/** Risk tags that profiles use to make an enterprise mandatory or to exempt it from the term rule. */
export const RISK_TAGS = {
  RECENT_FATAL_ACCIDENT: "近五年发生亡人或三人以上重伤的生产安全事故",
  TOP20_WORK_INJURY: "工伤事故发生起数全市前20",
  AMMONIA_REFRIGERATION: "涉氨制冷",
  SHIPBUILDING: "船舶修造(含拆解)",
  DUST_EXPLOSION: "涉爆粉尘作业场所",
  SPRAY_PAINTING: "喷涂作业场所",
  CONFINED_SPACE: "有限空间作业场所",
  FIREWORKS_RETAIL: "烟花爆竹零售",
  HAZARDOUS_CHEMICALS_USE: "使用危险化学品",
  SEASONAL: "季节性生产经营",
} as const;

const NAT = "应急〔2025〕27号";
const LAW = "《中华人民共和国安全生产法》";
// Seed 002 carries no 文号, so it is cited by title.
const HENAN = "《河南省推进安全生产责任保险工作实施意见》";
const XC = "襄安委〔2024〕6号";
// Seed 001 is a draft for comment (征求意见稿) without a 文号.
const YQ = "《乐清市关于在工矿商贸领域进一步推进安全生产责任保险工作的实施意见(草案)》(征求意见稿)";
const CQ = "渝府办发〔2017〕182号";
const XM = "厦应急规〔2022〕2号";

// 交通运输 as a whole covers road, water and rail transit.
const TRANSPORT: Sector[] = ["ROAD_TRANSPORT", "WATER_TRANSPORT", "RAIL_TRANSIT"];

export const NATIONAL: RuleProfile = {
  id: "NATIONAL",
  regionCode: null,
  name: "全国 安全生产责任保险实施办法",
  document: `${NAT}《安全生产责任保险实施办法》(2025-03-29 起施行, 同时废止安监总办〔2017〕140号)`,
  effectiveFrom: "2025-03-29",
  mandatorySectors: {
    value: ["COAL_MINE", "NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", ...TRANSPORT, "CONSTRUCTION", "CIVIL_EXPLOSIVES", "METAL_SMELTING", "FISHERY"],
    source: `${NAT} 第二条`,
  },
  minDeathLimitPerPerson: { value: "400000.00", source: `${NAT} 第十五条` },
  maxCommissionRatio: { value: "0.05", source: `${NAT} 第十四条` },
  preventionRatioCap: { value: "0.21", source: "应急厅函〔2024〕322号" },
  // The hub brief sets a 12-month national term; the article number is not in the seeds.
  termMonths: { value: { months: 12, exemptSectors: [] }, source: NAT },
  // 第十六条: no surrender or late renewal unless closed or fully stopped.
  lapseGraceDays: { value: 0, source: `${NAT} 第十六条` },
  penalty: { value: { first: ["50000.00", "100000.00"], uncorrected: ["100000.00", "200000.00"] }, source: `${LAW} 第一百零九条` },
};

export const HENAN_PROFILE: RuleProfile = {
  id: "HENAN",
  regionCode: "410000",
  name: "河南省",
  document: HENAN,
  effectiveFrom: "2023-12-04",
  mandatorySectors: {
    value: ["COAL_MINE", "NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", ...TRANSPORT, "CONSTRUCTION", "CIVIL_EXPLOSIVES", "METAL_SMELTING", "FISHERY"],
    source: `${HENAN} 三`,
  },
  insurerRegistry: { value: true, source: `${HENAN} 四(二)` },
  publishPureLossRate: { value: true, source: `${HENAN} 四(三)` },
  insurerEvaluation: { value: true, source: `${HENAN} 四(六)` },
};

export const XIANGCHENG: RuleProfile = {
  id: "XIANGCHENG",
  regionCode: "411025",
  name: "许昌市襄城县",
  document: `${XC}《襄城县推进安全生产责任保险工作实施方案》`,
  // 三(三) names road and water transport as the county's transport scope.
  mandatorySectors: { value: ["COAL_MINE", "HAZARDOUS_CHEMICALS", "ROAD_TRANSPORT", "WATER_TRANSPORT", "CONSTRUCTION"], source: `${XC} 二(一)` },
  lapseGraceDays: { value: 0, source: `${XC} 二(二)` },
  sectorAgencies: {
    value: {
      HAZARDOUS_CHEMICALS: ["EMERGENCY"],
      COAL_MINE: ["INDUSTRY"], // 科工局
      ROAD_TRANSPORT: ["TRANSPORT"],
      WATER_TRANSPORT: ["TRANSPORT"],
      CONSTRUCTION: ["HOUSING"],
    },
    source: `${XC} 三(一)—(四)`,
  },
};

export const YUEQING: RuleProfile = {
  id: "YUEQING",
  regionCode: "330382",
  name: "温州市乐清市",
  document: YQ,
  mandatorySectors: { value: ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"], source: `${YQ} 二(一)` },
  // 二(一): chemicals include users, fireworks include retailers; 二(二)1–3: key higher-risk units.
  mandatoryTags: {
    value: [
      "HAZARDOUS_CHEMICALS_USE", "FIREWORKS_RETAIL", "RECENT_FATAL_ACCIDENT", "TOP20_WORK_INJURY",
      "AMMONIA_REFRIGERATION", "SHIPBUILDING", "DUST_EXPLOSION", "SPRAY_PAINTING", "CONFINED_SPACE",
    ],
    source: `${YQ} 二(一)、二(二)1—3`,
  },
  targets: { value: { coverageRate: "1.00", employeeCoverageRate: "1.00", serviceRate: "1.00" }, source: `${YQ} 二(一)` },
  groupPolicyAllowed: { value: true, source: `${YQ} 二(二)4` },
  blacklistRefusers: { value: true, source: `${YQ} 三(四)` },
  penalty: { value: { first: ["50000.00", "100000.00"], uncorrected: ["100000.00", "200000.00"] }, source: `${YQ} 三(四) (引${LAW} 第一百零九条)` },
};

export const CHONGQING: RuleProfile = {
  id: "CHONGQING",
  regionCode: "500000",
  name: "重庆市",
  document: `${CQ}《重庆市人民政府办公厅关于在高危行业领域强制推行安全生产责任保险的实施意见》`,
  effectiveFrom: "2017-12-14",
  // 一(三) lists the high-risk sectors; 三(一) assigns blasting (公安) and fuel retail (商务委) within them.
  mandatorySectors: {
    value: ["COAL_MINE", "NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", ...TRANSPORT, "CONSTRUCTION", "CIVIL_EXPLOSIVES", "BLASTING", "FUEL_RETAIL", "METAL_SMELTING", "FISHERY"],
    source: `${CQ} 一(三)、三(一)`,
  },
  // 30万 is weaker than the national 40万 since 2025-03-29; kept so the merge shows why national wins.
  minDeathLimitPerPerson: { value: "300000.00", source: `${CQ} 二(四)` },
  rateFloatBand: {
    value: { normal: ["-0.40", "0.40"], afterSeriousAccident: "1.50", accidentFreeYearsForDeeperDiscount: 3 },
    source: `${CQ} 二(五)`,
  },
  // "也可按行业特性设定期限": any sector may have a sector-specific term.
  termMonths: { value: { months: 12, exemptSectors: [...SECTOR_CODES] }, source: `${CQ} 二(六)` },
  hazardRefusalRaise: { value: true, source: `${CQ} 二(八)` },
  preventionRatioFloor: { value: "0.10", source: `${CQ} 二(九)` },
  reportDueDays: { value: 15, source: `${CQ} 三(三)` },
  sectorAgencies: {
    value: {
      NON_COAL_MINE: ["EMERGENCY"], HAZARDOUS_CHEMICALS: ["EMERGENCY"], FIREWORKS: ["EMERGENCY"], METAL_SMELTING: ["EMERGENCY"],
      COAL_MINE: ["COAL"],
      ROAD_TRANSPORT: ["TRANSPORT"], WATER_TRANSPORT: ["TRANSPORT"], RAIL_TRANSIT: ["TRANSPORT"],
      CONSTRUCTION: ["HOUSING"],
      CIVIL_EXPLOSIVES: ["INDUSTRY", "PUBLIC_SECURITY"], // production/sales: 经信委; blasting and its storage: 公安
      BLASTING: ["PUBLIC_SECURITY"],
      FUEL_RETAIL: ["COMMERCE"],
      FISHERY: ["AGRICULTURE"],
    },
    source: `${CQ} 三(一)`,
  },
};

export const XIAMEN: RuleProfile = {
  id: "XIAMEN",
  regionCode: "350200",
  name: "厦门市",
  document: `${XM}《关于在高危行业领域推行安全生产责任保险的实施意见》`,
  effectiveFrom: "2022-05-31",
  mandatorySectors: {
    value: ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", ...TRANSPORT, "CONSTRUCTION", "CIVIL_EXPLOSIVES", "METAL_SMELTING", "FISHERY"],
    source: `${XM} 二(一)`,
  },
  termMonths: { value: { months: 12, exemptSectors: ["CONSTRUCTION", "FISHERY"], exemptTags: ["SEASONAL"] }, source: `${XM} 二(三)` },
  lapseGraceDays: { value: 0, source: `${XM} 二(三)` },
  hazardRefusalRaise: { value: true, source: `${XM} 二(六)` },
  preventionRatioFloor: { value: "0.20", source: `${XM} 二(七)` },
  publishInsuranceStatus: { value: true, source: `${XM} 四(二)` },
  blacklistRefusers: { value: true, source: `${XM} 四(二)` },
  insurerEvaluation: { value: true, source: `${XM} 四(三)` },
  sectorAgencies: {
    value: {
      NON_COAL_MINE: ["EMERGENCY"], HAZARDOUS_CHEMICALS: ["EMERGENCY"], FIREWORKS: ["EMERGENCY"], METAL_SMELTING: ["EMERGENCY"],
      ROAD_TRANSPORT: ["TRANSPORT"], RAIL_TRANSIT: ["TRANSPORT"],
      CONSTRUCTION: ["HOUSING"], // 市建设局
      FISHERY: ["OCEAN"],
      WATER_TRANSPORT: ["PORT"],
    },
    source: `${XM} 三(一)—(五)`,
  },
};

export const PROFILES: readonly RuleProfile[] = [NATIONAL, HENAN_PROFILE, XIANGCHENG, YUEQING, CHONGQING, XIAMEN];

// ---------------------------------------------------------------------------------------------
// Merging

/** An effective value and every document it rests on (several when profiles agree or combine). */
export interface Effective<T> {
  value: T;
  sources: string[];
}

/** A united set; sourcesOf says which documents name each member, for precise findings. */
export interface EffectiveSet<T extends string> extends Effective<T[]> {
  sourcesOf: Partial<Record<T, string[]>>;
}

export interface EffectiveRules {
  regionCode: string;
  /** Profile ids applied, national first, then from the widest region to the narrowest. */
  profiles: string[];
  mandatorySectors: EffectiveSet<Sector>;
  mandatoryTags: EffectiveSet<string>;
  minDeathLimitPerPerson?: Effective<string>;
  maxCommissionRatio?: Effective<string>;
  preventionRatioFloor?: Effective<string>;
  preventionRatioCap?: Effective<string>;
  rateFloatBand?: Effective<FloatBandRule>;
  termMonths?: Effective<TermRule>;
  reportDueDays?: Effective<number>;
  lapseGraceDays?: Effective<number>;
  targets?: Effective<{ coverageRate: string; employeeCoverageRate: string; serviceRate: string }>;
  penalty?: Effective<{ first: [string, string]; uncorrected: [string, string] }>;
  publishPureLossRate?: Effective<boolean>;
  publishInsuranceStatus?: Effective<boolean>;
  hazardRefusalRaise?: Effective<boolean>;
  blacklistRefusers?: Effective<boolean>;
  groupPolicyAllowed?: Effective<boolean>;
  insurerRegistry?: Effective<boolean>;
  insurerEvaluation?: Effective<boolean>;
  sectorAgencies?: Effective<Partial<Record<Sector, AgencyKind[]>>>;
}

/** Exact comparison of decimal strings ("-0.40", "400000.00", "0.2"); -1, 0 or 1. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const parse = (s: string) => {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim());
    if (!m) throw new RangeError(`not a decimal: ${JSON.stringify(s)}`);
    return { neg: m[1] === "-", int: m[2], frac: m[3] ?? "" };
  };
  const x = parse(a), y = parse(b);
  const scale = Math.max(x.frac.length, y.frac.length);
  const big = (p: typeof x) => (p.neg ? -1n : 1n) * BigInt(p.int + p.frac.padEnd(scale, "0"));
  const d = big(x) - big(y);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

const maxDec = (a: string, b: string) => (compareDecimal(a, b) >= 0 ? a : b);
const minDec = (a: string, b: string) => (compareDecimal(a, b) <= 0 ? a : b);
const union = <T>(a: readonly T[], b: readonly T[]) => [...new Set([...a, ...b])];

/**
 * Scalar merge: `better(a, b) > 0` means a is stricter. The stricter value wins with its own source;
 * an equal value adds its source, so a finding can cite every document that demands it.
 */
function pick<T>(cur: Effective<T> | undefined, next: Sourced<T> | undefined, better: (a: T, b: T) => number): Effective<T> | undefined {
  if (!next) return cur;
  if (!cur) return { value: next.value, sources: [next.source] };
  const c = better(next.value, cur.value);
  if (c > 0) return { value: next.value, sources: [next.source] };
  if (c === 0) return { value: cur.value, sources: union(cur.sources, [next.source]) };
  return cur;
}

/** Composite merge: the combined value draws on every contributor, so all their sources are kept. */
function combine<T>(cur: Effective<T> | undefined, next: Sourced<T> | undefined, join: (a: T, b: T) => T): Effective<T> | undefined {
  if (!next) return cur;
  if (!cur) return { value: next.value, sources: [next.source] };
  return { value: join(cur.value, next.value), sources: union(cur.sources, [next.source]) };
}

function unite<T extends string>(cur: EffectiveSet<T>, next: Sourced<T[]> | undefined): EffectiveSet<T> {
  if (!next) return cur;
  const sourcesOf = { ...cur.sourcesOf };
  for (const item of next.value) sourcesOf[item] = union(sourcesOf[item] ?? [], [next.source]);
  return { value: union(cur.value, next.value), sources: union(cur.sources, [next.source]), sourcesOf };
}

const orFlag = (cur: Effective<boolean> | undefined, next: Sourced<boolean> | undefined) =>
  pick(cur, next, (a, b) => Number(a) - Number(b));

/** National first, then each profile whose region contains regionCode, widest region first. */
export function profilesFor(regionCode: string, profiles: readonly RuleProfile[] = PROFILES): RuleProfile[] {
  if (!/^\d{6}(\d{3})?$/.test(regionCode)) throw new RangeError(`not a GB/T 2260 region code: ${regionCode}`);
  const depth = (p: RuleProfile) => (p.regionCode ? regionPrefix(p.regionCode).length : 0);
  return profiles.filter((p) => p.regionCode === null || inRegion(regionCode, p.regionCode)).sort((a, b) => depth(a) - depth(b));
}

/**
 * Stricter wins: highest floor (death limit, prevention floor, targets), lowest cap (commission,
 * prevention cap, report days, grace days), narrowest float band. Mandatory sectors and tags unite.
 * Term exemptions unite too: every document words the one-year term as "原则上", and the local
 * exemptions (construction and seasonal periods) are explicit allowances no profile forbids.
 */
export function effectiveRules(regionCode: string, profiles: readonly RuleProfile[] = PROFILES): EffectiveRules {
  const applied = profilesFor(regionCode, profiles);
  const r: EffectiveRules = {
    regionCode,
    profiles: applied.map((p) => p.id),
    mandatorySectors: { value: [], sources: [], sourcesOf: {} },
    mandatoryTags: { value: [], sources: [], sourcesOf: {} },
  };
  for (const p of applied) {
    r.mandatorySectors = unite(r.mandatorySectors, p.mandatorySectors);
    r.mandatoryTags = unite(r.mandatoryTags, p.mandatoryTags);
    r.minDeathLimitPerPerson = pick(r.minDeathLimitPerPerson, p.minDeathLimitPerPerson, compareDecimal);
    r.preventionRatioFloor = pick(r.preventionRatioFloor, p.preventionRatioFloor, compareDecimal);
    r.maxCommissionRatio = pick(r.maxCommissionRatio, p.maxCommissionRatio, (a, b) => compareDecimal(b, a));
    r.preventionRatioCap = pick(r.preventionRatioCap, p.preventionRatioCap, (a, b) => compareDecimal(b, a));
    r.reportDueDays = pick(r.reportDueDays, p.reportDueDays, (a, b) => b - a);
    r.lapseGraceDays = pick(r.lapseGraceDays, p.lapseGraceDays, (a, b) => b - a);
    // the penalty range is set by law; a higher range would be the stricter reading
    r.penalty = pick(r.penalty, p.penalty, (a, b) => compareDecimal(a.first[0], b.first[0]) || compareDecimal(a.uncorrected[1], b.uncorrected[1]));
    r.targets = combine(r.targets, p.targets, (a, b) => ({
      coverageRate: maxDec(a.coverageRate, b.coverageRate),
      employeeCoverageRate: maxDec(a.employeeCoverageRate, b.employeeCoverageRate),
      serviceRate: maxDec(a.serviceRate, b.serviceRate),
    }));
    r.rateFloatBand = combine(r.rateFloatBand, p.rateFloatBand, (a, b) => ({
      normal: [maxDec(a.normal[0], b.normal[0]), minDec(a.normal[1], b.normal[1])],
      afterSeriousAccident: minDec(a.afterSeriousAccident, b.afterSeriousAccident),
      accidentFreeYearsForDeeperDiscount: Math.max(a.accidentFreeYearsForDeeperDiscount, b.accidentFreeYearsForDeeperDiscount),
    }));
    r.termMonths = combine(r.termMonths, p.termMonths, (a, b) => ({
      months: Math.min(a.months, b.months),
      exemptSectors: union(a.exemptSectors, b.exemptSectors),
      exemptTags: union(a.exemptTags ?? [], b.exemptTags ?? []),
    }));
    // the narrower region's department assignment overrides the wider one, sector by sector
    r.sectorAgencies = combine(r.sectorAgencies, p.sectorAgencies, (a, b) => ({ ...a, ...b }));
    r.publishPureLossRate = orFlag(r.publishPureLossRate, p.publishPureLossRate);
    r.publishInsuranceStatus = orFlag(r.publishInsuranceStatus, p.publishInsuranceStatus);
    r.hazardRefusalRaise = orFlag(r.hazardRefusalRaise, p.hazardRefusalRaise);
    r.blacklistRefusers = orFlag(r.blacklistRefusers, p.blacklistRefusers);
    r.groupPolicyAllowed = orFlag(r.groupPolicyAllowed, p.groupPolicyAllowed);
    r.insurerRegistry = orFlag(r.insurerRegistry, p.insurerRegistry);
    r.insurerEvaluation = orFlag(r.insurerEvaluation, p.insurerEvaluation);
  }
  return r;
}

/**
 * Only sector and tags decide: whether a closed or fully stopped enterprise is exempt
 * (应急〔2025〕27号 第十六条) is the caller's check on its status, so rows can be passed as they are.
 */
export interface MandatoryInput {
  sector: Sector | string | null;
  riskTags?: readonly string[] | null;
}

/** The sources that make this enterprise mandatory under `rules`; empty when it is not. */
export function mandatoryBasis(rules: EffectiveRules, e: MandatoryInput): string[] {
  // own keys only: a tag named "constructor" must not reach Object.prototype
  const of = (m: Partial<Record<string, string[]>>, k: string) => (Object.hasOwn(m, k) ? m[k] ?? [] : []);
  const sectorSources = e.sector === null ? [] : of(rules.mandatorySectors.sourcesOf, e.sector);
  const tagSources = (e.riskTags ?? []).flatMap((t) => of(rules.mandatoryTags.sourcesOf, t));
  return union(sectorSources, tagSources);
}

export const isMandatory = (rules: EffectiveRules, e: MandatoryInput) => mandatoryBasis(rules, e).length > 0;
