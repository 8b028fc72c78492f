import { CST_OFFSET_MS } from "./calendar.js";
import type { FloatBand } from "./float.js";
import { compareDecimal, type Effective, type EffectiveRules } from "./profiles.js";

/**
 * Compliance findings of a policy filing, one enterprise at a time (a park group policy is checked for
 * each member against that member's own regional rules). Pure: the caller gathers the facts.
 * Messages are Chinese first, English after; `source` names the document and article.
 */
export interface FindingDraft {
  ruleCode: string;
  severity: "VIOLATION" | "WARNING";
  message: string;
  source: string;
  enterpriseUscc: string | null;
  insurerUscc: string | null;
  policyId: number | null;
}

/** Every rule this evaluator speaks for: a rule it no longer reports on re-evaluation is resolved. */
export const POLICY_RULES = [
  "DEATH_LIMIT_BELOW_MIN",
  "HEADCOUNT_BELOW_EMPLOYEES",
  "PER_PERSON_AMOUNT_DIFFERS",
  "COMMISSION_ABOVE_MAX",
  "PREVENTION_RATIO_BELOW_FLOOR",
  "PREVENTION_RATIO_ABOVE_CAP",
  "RATE_FLOAT_OUT_OF_BAND",
  "TERM_NOT_ONE_YEAR",
  "CANCELLED_WHILE_OPERATING",
  "INSURER_NOT_QUALIFIED",
] as const;

export interface PolicyFacts {
  id: number;
  insurerUscc: string;
  startAt: Date;
  endAt: Date;
  cancelledAt: Date | null;
  rateFloat: string;
  commissionRatio: string;
  preventionFundRatio: string;
  deathLimitPerPerson: string;
}

export interface InsuredFacts {
  uscc: string;
  sector: string;
  riskTags: readonly string[];
  status: string;
  employeeCount: number;
  insuredHeadcount: number;
  /** death limits of the enterprise's other policies in force during this one */
  otherDeathLimits: readonly string[];
  /** the lead insurer's 名录 status in the enterprise's region (null: not listed) */
  insurerQualification: string | null;
  /** does any profile on the region's ancestry keep a 名录? */
  registryApplies: boolean;
}

const src = (e: Effective<unknown>) => e.sources.join("; ");
const pct = (ratio: string) => `${(Number(ratio) * 100).toFixed(2).replace(/\.?0+$/, "")}%`;

/** Months between two instants on the CST calendar, when both fall at the same wall-clock time of day. */
function wholeMonths(start: Date, end: Date): number | null {
  const a = new Date(start.getTime() + CST_OFFSET_MS);
  const b = new Date(end.getTime() + CST_OFFSET_MS);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  const back = new Date(a.getTime());
  back.setUTCMonth(back.getUTCMonth() + months);
  return back.getTime() === b.getTime() ? months : null;
}

export function evaluatePolicy(p: PolicyFacts, e: InsuredFacts, rules: EffectiveRules, band: FloatBand | null): FindingDraft[] {
  const out: FindingDraft[] = [];
  const add = (ruleCode: (typeof POLICY_RULES)[number], severity: FindingDraft["severity"], message: string, source: string) =>
    out.push({ ruleCode, severity, message, source, enterpriseUscc: e.uscc, insurerUscc: p.insurerUscc, policyId: p.id });

  const min = rules.minDeathLimitPerPerson;
  if (min && compareDecimal(p.deathLimitPerPerson, min.value) < 0) {
    add("DEATH_LIMIT_BELOW_MIN", "VIOLATION", `每人死亡伤残限额 ${p.deathLimitPerPerson} 元低于最低 ${min.value} 元 / death limit per person ${p.deathLimitPerPerson} is below the minimum ${min.value}`, src(min));
  }
  if (e.insuredHeadcount < e.employeeCount) {
    add(
      "HEADCOUNT_BELOW_EMPLOYEES",
      "VIOLATION",
      `投保人数 ${e.insuredHeadcount} 少于从业人员 ${e.employeeCount} 人，未覆盖全体从业人员 / insured headcount ${e.insuredHeadcount} below the ${e.employeeCount} workers: not all workers covered`,
      "应急〔2025〕27号 第十六条",
    );
  }
  const differing = e.otherDeathLimits.filter((l) => compareDecimal(l, p.deathLimitPerPerson) !== 0);
  if (differing.length) {
    add(
      "PER_PERSON_AMOUNT_DIFFERS",
      "VIOLATION",
      `同一单位从业人员保障标准不一致（${[p.deathLimitPerPerson, ...differing].join("、")} 元）/ per-person amounts differ within one enterprise`,
      "应急〔2025〕27号 第十六条",
    );
  }
  const maxComm = rules.maxCommissionRatio;
  if (maxComm && compareDecimal(p.commissionRatio, maxComm.value) > 0) {
    add("COMMISSION_ABOVE_MAX", "VIOLATION", `手续费比例 ${pct(p.commissionRatio)} 超过 ${pct(maxComm.value)} / commission above ${pct(maxComm.value)}`, src(maxComm));
  }
  const floor = rules.preventionRatioFloor;
  if (floor && compareDecimal(p.preventionFundRatio, floor.value) < 0) {
    add("PREVENTION_RATIO_BELOW_FLOOR", "VIOLATION", `事故预防费用比例 ${pct(p.preventionFundRatio)} 低于 ${pct(floor.value)} / prevention ratio below the local floor ${pct(floor.value)}`, src(floor));
  }
  const cap = rules.preventionRatioCap;
  if (cap && compareDecimal(p.preventionFundRatio, cap.value) > 0) {
    add("PREVENTION_RATIO_ABOVE_CAP", "VIOLATION", `事故预防费用比例 ${pct(p.preventionFundRatio)} 高于 ${pct(cap.value)} / prevention ratio above the ${pct(cap.value)} cap`, src(cap));
  }
  if (band && ((band.min !== null && compareDecimal(p.rateFloat, band.min) < 0) || (band.max !== null && compareDecimal(p.rateFloat, band.max) > 0))) {
    add(
      "RATE_FLOAT_OUT_OF_BAND",
      "VIOLATION",
      `费率浮动 ${pct(p.rateFloat)} 超出允许区间 [${band.min === null ? "-∞" : pct(band.min)}, ${band.max === null ? "+∞" : pct(band.max)}] / rate float outside the band its accident history allows (${band.reason})`,
      band.source,
    );
  }
  const term = rules.termMonths;
  if (term) {
    const exempt = term.value.exemptSectors.includes(e.sector as never) || (term.value.exemptTags ?? []).some((t) => e.riskTags.includes(t));
    if (!exempt && wholeMonths(p.startAt, p.endAt) !== term.value.months) {
      add("TERM_NOT_ONE_YEAR", "WARNING", `保险期间不是 ${term.value.months} 个月 / term other than ${term.value.months} months outside construction or seasonal work`, src(term));
    }
  }
  if (p.cancelledAt && e.status === "OPERATING" && p.cancelledAt < p.endAt) {
    add("CANCELLED_WHILE_OPERATING", "VIOLATION", "单位仍在生产经营期间退保 / policy cancelled while the enterprise operates", "应急〔2025〕27号 第十六条");
  }
  if (e.registryApplies && e.insurerQualification !== "QUALIFIED") {
    add(
      "INSURER_NOT_QUALIFIED",
      "VIOLATION",
      `承保机构不在本地名录或资格${e.insurerQualification === null ? "未登记" : "已暂停/取消"} / insurer not qualified in the regional registry (${e.insurerQualification ?? "not listed"})`,
      src(rulesRegistry(rules)),
    );
  }
  return out;
}

function rulesRegistry(rules: EffectiveRules): Effective<unknown> {
  return rules.insurerRegistry ?? { value: true, sources: ["名录"] };
}
