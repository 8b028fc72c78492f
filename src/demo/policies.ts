import { COVERAGE_ITEMS } from "../domain/vocabulary.js";
import { isMandatory, effectiveRules } from "../rules/profiles.js";
import type { DemoEnterprise } from "./enterprises.js";
import { DISQUALIFIED, INSURERS, REGISTRY_ROOTS, SERVICE_ORGS, SUSPENDED } from "./registry.js";
import type { Random } from "./random.js";

export const DAY = 86_400_000;
/** Midnight China Standard Time of a calendar day. */
export const cst = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d) - 8 * 3600_000);
/** The demo's "today" and the last instant any activity is recorded. */
export const TODAY = cst(2026, 11, 23);
export const CUTOFF = cst(2026, 11, 20);

export interface DemoPolicy {
  insurer: number;
  policyNo: string;
  broker: boolean;
  startAt: Date;
  endAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  premiumFen: bigint;
  baseRate: string;
  rateFloat: string;
  commissionRatio: string;
  preventionFundRatio: string;
  deathLimit: string;
  medicalLimit: string;
  thirdPartyLimit: string;
  coverageItems: string[];
  members: { e: DemoEnterprise; headcount: number }[];
  coinsurers: { insurer: number; share: string }[];
  plan: { kind: string; yearlyFrequency: number }[];
  serviceOrgs: number[];
  amended: boolean;
}

const INSURER_WEIGHTS: [number, number][] = INSURERS.map((_, i) => [i, i === 1 ? 25 : i === 0 ? 20 : i === 3 ? 18 : 5]);
const SHARES = [["0.6000", "0.4000"], ["0.5000", "0.5000"], ["0.5000", "0.3000", "0.2000"], ["0.7000", "0.3000"]];

const rootOf = (region: string) => REGISTRY_ROOTS.find((root) => region.startsWith(root.replace(/0+$/, "")))!;
function insurerFor(r: Random, region: string): number {
  const root = rootOf(region);
  for (;;) {
    const i = r.weighted(INSURER_WEIGHTS);
    const unqualified = (i === SUSPENDED.insurer && root === SUSPENDED.region) || (i === DISQUALIFIED.insurer && root === DISQUALIFIED.region);
    // now and then an insurer outside the 名录 still writes business: the hub must flag it
    if (!unqualified || r.chance(0.2)) return i;
  }
}

/** 4-decimal ratio strings in steps, e.g. step(r, 300, 500) → "0.0300".."0.0500" */
const ratio = (n: number) => (n / 10_000).toFixed(4);
const limitFor = (r: Random) => r.weighted([["500000.00", 70], ["600000.00", 8], ["800000.00", 7], ["1000000.00", 5], ["400000.00", 8], ["300000.00", 2]] as const);
const FLOORS: Record<string, [number, number]> = { "35": [2000, 2100], "50": [1000, 2100] };

export function makePolicy(r: Random, members: DemoEnterprise[], startAt: Date, endAt: Date, serial: number, forceInsurer?: number): DemoPolicy {
  const lead = members[0];
  const insurer = forceInsurer ?? insurerFor(r, lead.regionCode);
  const year = new Date(startAt.getTime() + 8 * 3600_000).getUTCFullYear();
  const employees = members.reduce((n, m) => n + m.employeeCount, 0) || 1;
  const baseRateN = r.int(5, 30); // 0.0005..0.0030
  const floatSteps = r.chance(0.02) ? 12 : r.int(-8, 8); // ±40% in 5% steps, now and then +60%
  const deathLimit = limitFor(r);
  const [lo, hi] = FLOORS[lead.regionCode.slice(0, 2)] ?? [500, 2100];
  const preventionFundRatio = r.chance(0.03) ? r.pick(["0.0500", "0.2500"]) : ratio(r.int(lo / 50, hi / 50) * 50);
  // premium = employees × death limit × base rate × (1 + float), in fen
  const perPersonFen = BigInt(Math.round(Number(deathLimit) * baseRateN * (1 + floatSteps * 0.05))) * 10n;
  const coinsured = r.chance(0.1);
  const others = INSURERS.map((_, i) => i).filter((i) => i !== insurer);
  const shares = coinsured ? r.pick(SHARES) : ["1.0000"];
  const coinsurers = shares.map((share, k) => ({ insurer: k === 0 ? insurer : others.splice(r.int(0, others.length - 1), 1)[0], share }));
  const serviceOrg = SERVICE_ORGS.findIndex(([, region]) => region.slice(0, 2) === lead.regionCode.slice(0, 2));
  return {
    insurer,
    policyNo: `PZAF${year}${lead.regionCode.slice(0, 6)}${String(serial).padStart(7, "0")}`,
    broker: r.chance(0.05),
    startAt,
    endAt,
    cancelledAt: null,
    cancelReason: null,
    premiumFen: perPersonFen * BigInt(employees) / 10n,
    baseRate: (baseRateN / 10_000).toFixed(6),
    rateFloat: ratio(floatSteps * 500),
    commissionRatio: r.chance(0.03) ? "0.0800" : ratio(r.int(6, 10) * 50),
    preventionFundRatio,
    deathLimit,
    medicalLimit: r.pick(["50000.00", "80000.00", "100000.00"]),
    thirdPartyLimit: r.pick(["1000000.00", "2000000.00", "5000000.00"]),
    coverageItems: COVERAGE_ITEMS.filter((c, k) => k < 3 || r.chance(0.6)),
    // most insure every worker; a few leave some out (not all workers covered)
    members: members.map((e) => ({ e, headcount: r.chance(0.05) && e.employeeCount > 10 ? Math.floor(e.employeeCount * 0.8) : Math.max(1, e.employeeCount) })),
    coinsurers,
    plan: [
      { kind: "RISK_ASSESSMENT", yearlyFrequency: 1 },
      { kind: "HAZARD_INVESTIGATION", yearlyFrequency: r.int(2, 4) },
      { kind: "TRAINING", yearlyFrequency: r.int(1, 2) },
      { kind: "EMERGENCY_DRILL", yearlyFrequency: 1 },
    ],
    serviceOrgs: serviceOrg >= 0 && r.chance(0.3) ? [serviceOrg] : [],
    amended: r.chance(0.03),
  };
}

/** The same CST wall-clock instant a year later (a fixed +08:00 offset keeps UTC arithmetic exact). */
const plusYear = (d: Date) => {
  const x = new Date(d.getTime());
  x.setUTCFullYear(x.getUTCFullYear() + 1);
  return x;
};

/**
 * Two policy years: most mandatory enterprises insured in 2025 and renewed back to back, some
 * lapsing, some never insured, a few cancelled (some while still operating), construction sometimes
 * on a project period, one park-wide group policy in Yueqing.
 */
export function makePolicies(r: Random, all: DemoEnterprise[], demoInsurer: number): DemoPolicy[] {
  const out: DemoPolicy[] = [];
  let serial = 0;
  const yueqingPark = all.filter((e) => e.regionCode.startsWith("330382") && e.status === "OPERATING" && e.sector === "OTHER").slice(0, 8);
  const inPark = new Set(yueqingPark.map((e) => e.uscc));
  for (const [i, e] of all.entries()) {
    if (inPark.has(e.uscc)) continue;
    const demo = i === 0;
    const mandatory = isMandatory(effectiveRules(e.regionCode), e);
    if (!demo && !(mandatory ? r.chance(0.85) : r.chance(0.3))) continue; // never insured
    const project = e.sector === "CONSTRUCTION" && r.chance(0.3);
    let start = demo ? cst(2025, 3, 1) : new Date(cst(2025, 1, 1).getTime() + r.int(0, 330) * DAY);
    const first = makePolicy(r, [e], start, project ? new Date(start.getTime() + r.int(180, 540) * DAY) : plusYear(start), ++serial, demo ? demoInsurer : undefined);
    out.push(first);
    if (!demo && r.chance(0.02)) {
      first.cancelledAt = new Date(start.getTime() + r.int(30, 200) * DAY);
      first.cancelReason = e.status === "OPERATING" ? r.pick(["投保人申请退保", "更换保险机构"]) : "企业关闭，依法退保";
      continue;
    }
    if (e.status === "CLOSED" || (!demo && !r.chance(mandatory ? 0.88 : 0.6))) continue; // lapses
    start = first.endAt;
    if (start > TODAY && !demo) continue;
    const second = makePolicy(r, [e], start, project ? new Date(start.getTime() + r.int(180, 540) * DAY) : plusYear(start), ++serial, demo ? demoInsurer : first.insurer);
    out.push(second);
  }
  if (yueqingPark.length) out.push({ ...makePolicy(r, yueqingPark, cst(2026, 1, 1), cst(2027, 1, 1), ++serial), amended: false });
  return out;
}
