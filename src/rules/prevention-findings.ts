import { CST_OFFSET_MS } from "./calendar.js";
import type { FindingDraft } from "./findings.js";
import { compareDecimal, type Effective, type EffectiveRules } from "./profiles.js";

/**
 * Compliance findings of prevention work: hazards left open or refused, services behind the policy's
 * plan, prevention spending below the local floor. Pure: the sweeps in src/modules/prevention/sweeps.ts
 * and the write commands gather the facts; these functions only decide.
 */

/** Every rule each evaluator speaks for: a rule it no longer reports on re-evaluation is resolved. */
export const HAZARD_RULES = ["MAJOR_HAZARD_OVERDUE", "MAJOR_HAZARD_REFUSED"] as const;
export const SERVICE_PLAN_RULES = ["SERVICES_BEHIND_PLAN"] as const;
export const FUND_RULES = ["PREVENTION_SPEND_BELOW_FLOOR"] as const;

/** Subject kinds of compliance_findings written by these rules. */
export const SUBJECT = { hazard: "HAZARD", servicePlan: "SERVICE_PLAN", fund: "POLICY_FUND" } as const;
export const hazardSubjectKey = (hazardId: number) => String(hazardId);
export const servicePlanSubjectKey = (policyId: number, enterpriseUscc: string, kind: string) => `${policyId}:${enterpriseUscc}:${kind}`;
export const fundSubjectKey = (policyId: number, insurerUscc: string, enterpriseUscc: string) => `${policyId}:${insurerUscc}:${enterpriseUscc}`;

const NAT = "应急〔2025〕27号";
const src = (e: Effective<unknown>) => e.sources.join("; ");
const pct = (ratio: string) => `${(Number(ratio) * 100).toFixed(2).replace(/\.?0+$/, "")}%`;

/** The calendar date (YYYY-MM-DD) of an instant in China Standard Time. */
export function cstDate(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Hazards

export interface HazardFacts {
  id: number;
  policyId: number;
  /** the policy's lead insurer */
  insurerUscc: string;
  enterpriseUscc: string;
  severity: string;
  /** stored status: OPEN, RECTIFIED or REFUSED (OVERDUE is derived) */
  status: string;
  description: string;
  /** CST calendar dates */
  noticeDate: string;
  deadline: string;
}

/**
 * The documents that oblige the enterprise to rectify what a service found and let the insurer raise
 * next year's rate on refusal (渝府办发〔2017〕182号 二(八), 厦应急规〔2022〕2号 二(六)); where no local
 * profile carries that rule, the national 办法 (its article is not in the seeds).
 */
function hazardSource(rules: EffectiveRules): string {
  return rules.hazardRefusalRaise?.value ? src(rules.hazardRefusalRaise) : NAT;
}

const short = (s: string) => (s.length > 40 ? s.slice(0, 40) + "…" : s);

/**
 * MAJOR_HAZARD_OVERDUE: a major hazard still OPEN after its deadline (the deadline day itself is still
 * in time, as in the read side's OVERDUE status). MAJOR_HAZARD_REFUSED: the enterprise refused to
 * rectify a major hazard; the insurer may raise next year's rate and the refusal goes to the regulator.
 * A refused hazard is no longer "overdue": its refusal finding replaces the overdue one.
 */
export function evaluateHazard(h: HazardFacts, rules: EffectiveRules, asOf: Date): FindingDraft[] {
  if (h.severity !== "MAJOR") return [];
  const base = { enterpriseUscc: h.enterpriseUscc, insurerUscc: h.insurerUscc, policyId: h.policyId };
  if (h.status === "OPEN" && h.deadline < cstDate(asOf)) {
    return [
      {
        ...base,
        ruleCode: "MAJOR_HAZARD_OVERDUE",
        severity: "VIOLATION",
        message: `重大隐患“${short(h.description)}”逾期未整改（整改期限 ${h.deadline}）/ major hazard still open past its rectification deadline ${h.deadline}`,
        source: hazardSource(rules),
      },
    ];
  }
  if (h.status === "REFUSED") {
    const raise = rules.hazardRefusalRaise?.value ? "，保险机构可在下一投保年度上浮费率" : "";
    const raiseEn = rules.hazardRefusalRaise?.value ? "; the insurer may raise next year's rate" : "";
    return [
      {
        ...base,
        ruleCode: "MAJOR_HAZARD_REFUSED",
        severity: "VIOLATION",
        message: `单位拒不整改重大隐患“${short(h.description)}”，应报告负有安全监管职责的部门${raise} / the enterprise refused to rectify a major hazard: to be reported to the supervising department${raiseEn}`,
        source: hazardSource(rules),
      },
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Services against the plan

export interface ServicePlanFacts {
  policyId: number;
  insurerUscc: string;
  enterpriseUscc: string;
  kind: string;
  yearlyFrequency: number;
  startAt: Date;
  endAt: Date;
  cancelledAt: Date | null;
  /** services of this kind for this enterprise under this policy performed before asOf */
  delivered: number;
}

/**
 * Services due by asOf, pro rata: floor(yearlyFrequency × elapsed fraction of the policy period).
 * The period counts up to asOf, and stops at the end or at a cancellation (nothing is due after it).
 * Exact integer arithmetic, so the boundary instant is the one where the product reaches a whole number.
 */
export function expectedServices(f: Pick<ServicePlanFacts, "yearlyFrequency" | "startAt" | "endAt" | "cancelledAt">, asOf: Date): number {
  const start = BigInt(f.startAt.getTime());
  const end = BigInt(f.endAt.getTime());
  const stop = [asOf, f.endAt, ...(f.cancelledAt ? [f.cancelledAt] : [])].reduce((m, d) => (d.getTime() < m ? d.getTime() : m), Infinity);
  const elapsed = BigInt(stop) - start;
  if (elapsed <= 0n || end <= start) return 0;
  return Number((BigInt(f.yearlyFrequency) * elapsed) / (end - start));
}

const KIND_ZH: Record<string, string> = {
  RISK_ASSESSMENT: "风险评估", HAZARD_INVESTIGATION: "隐患排查", TRAINING: "宣传教育培训",
  EMERGENCY_DRILL: "应急演练", TECH_PROMOTION: "科技推广", OTHER: "其他服务",
};

/**
 * SERVICES_BEHIND_PLAN: each insured enterprise should receive the policy's plan (items × yearly
 * frequency); fewer services of a kind than due pro rata is a warning to the insurer. The plan is the
 * contract (seed 000 二.2, seed 002 (六): "在保险合同中约定事故预防技术服务项目及频次"); no profile sets a value.
 */
export function evaluateServicePlan(f: ServicePlanFacts, asOf: Date): FindingDraft[] {
  const expected = expectedServices(f, asOf);
  if (f.delivered >= expected) return [];
  const day = cstDate(new Date(Math.min(asOf.getTime(), f.endAt.getTime() - 1)));
  return [
    {
      ruleCode: "SERVICES_BEHIND_PLAN",
      severity: "WARNING",
      message:
        `${KIND_ZH[f.kind] ?? f.kind}已服务 ${f.delivered} 次，按计划每年 ${f.yearlyFrequency} 次截至 ${day} 应至少 ${expected} 次 / ` +
        `${f.kind}: ${f.delivered} delivered, ${expected} due by ${day} under a plan of ${f.yearlyFrequency} a year`,
      source: `${NAT}; 保险合同约定的服务项目及频次 / the policy's service plan`,
      enterpriseUscc: f.enterpriseUscc,
      insurerUscc: f.insurerUscc,
      policyId: f.policyId,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Prevention spending

export interface SpendFacts {
  policyId: number;
  /** the insurer whose ledger is checked (lead or co-insurer) */
  insurerUscc: string;
  /** its co-insurance share (1 when it insures alone) */
  share: string;
  enterpriseUscc: string;
  premium: string;
  /** that insurer's USE entries against the policy booked before asOf */
  used: string;
  endAt: Date;
  cancelledAt: Date | null;
}

interface Dec {
  n: bigint;
  scale: number;
}
function dec(s: string): Dec {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim());
  if (!m) throw new RangeError(`not a decimal: ${JSON.stringify(s)}`);
  const frac = m[3] ?? "";
  return { n: (m[1] === "-" ? -1n : 1n) * BigInt(m[2] + frac), scale: frac.length };
}
function decString(d: Dec): string {
  const neg = d.n < 0n;
  const digits = (neg ? -d.n : d.n).toString().padStart(d.scale + 1, "0");
  const s = d.scale ? `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}` : digits;
  return (neg ? "-" : "") + s;
}

/** Exact product of decimal strings ("12000.00" × "0.6" × "0.10" = "720.000000"). */
export function multiplyDecimals(...xs: string[]): string {
  const p = xs.map(dec).reduce((a, b) => ({ n: a.n * b.n, scale: a.scale + b.scale }), { n: 1n, scale: 0 });
  return decString(p);
}

/** A non-negative decimal rounded up to whole fen, for messages ("at least …"). */
export function ceilToFen(s: string): string {
  const d = dec(s);
  if (d.scale <= 2) return decString({ n: d.n * 10n ** BigInt(2 - d.scale), scale: 2 });
  const f = 10n ** BigInt(d.scale - 2);
  return decString({ n: d.n / f + (d.n % f === 0n ? 0n : 1n), scale: 2 });
}

/**
 * PREVENTION_SPEND_BELOW_FLOOR, once the policy period has ended: the insurer's USE entries against
 * the policy fall short of premium × its share × the enterprise region's effective preventionRatioFloor
 * (渝府办发〔2017〕182号 二(九) 10%, 厦应急规〔2022〕2号 二(七) 20%). Equal to the floor complies.
 * A cancelled policy is not judged: premium refunds are not recorded, so the base is unknown.
 */
export function evaluateSpend(f: SpendFacts, rules: EffectiveRules, asOf: Date): FindingDraft[] {
  const floor = rules.preventionRatioFloor;
  if (!floor || f.cancelledAt || f.endAt.getTime() > asOf.getTime()) return [];
  const required = multiplyDecimals(f.premium, f.share, floor.value);
  if (compareDecimal(f.used, required) >= 0) return [];
  const sole = compareDecimal(f.share, "1") === 0;
  const base = sole ? `保费 ${f.premium} 元` : `保费 ${f.premium} 元 × 共保份额 ${pct(f.share)}`;
  const baseEn = sole ? `premium ${f.premium}` : `premium ${f.premium} × share ${pct(f.share)}`;
  return [
    {
      ruleCode: "PREVENTION_SPEND_BELOW_FLOOR",
      severity: "VIOLATION",
      message:
        `事故预防费用使用 ${f.used} 元，低于${base}的 ${pct(floor.value)}（${ceilToFen(required)} 元）/ ` +
        `prevention spending ${f.used} below ${pct(floor.value)} of ${baseEn} (${ceilToFen(required)})`,
      source: src(floor),
      enterpriseUscc: f.enterpriseUscc,
      insurerUscc: f.insurerUscc,
      policyId: f.policyId,
    },
  ];
}
