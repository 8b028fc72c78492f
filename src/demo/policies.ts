/**
 * Policies over the 2025 and 2026 policy years: renewals, lapses, late renewals, cancellations,
 * future (pending) covers, co-insurance, one park-wide group policy and a few amendments. The
 * non-compliant cases are deliberate: the hub must store and flag them.
 */
import { COVERAGE_ITEMS, type Sector } from "../domain/vocabulary.js";
import { effectiveRules, isMandatory, type EffectiveRules } from "../rules/profiles.js";
import type { Ent } from "./enterprises.js";
import { DEMO } from "./ids.js";
import { mulDiv, rate6, ratio4, yuan } from "./money.js";
import type { Rng } from "./random.js";
import { BROKER, insurerByUscc, insurersIn, SERVICE_ORGS, type InsurerDef, type ListingRegion, type OrgDef } from "./registry.js";
import { addMonths, cst, cstIso, cstYear, DATA_END, DAY, HOUR } from "./time.js";
import type { Counter } from "./types.js";

/** 应急〔2025〕27号 takes effect: 30万 death limits filed before it were lawful under the old rules. */
const NATIONAL_RULES_FROM = cst(2025, 3, 29);
const LAST_START = cst(2026, 12, 31);

export interface Pol {
  id: number;
  policyNo: string;
  insurer: InsurerDef;
  /** every insurer on the policy, lead first, shares in basis points summing to 10000 */
  coinsurers: { insurer: InsurerDef; bp: number }[];
  members: { ent: Ent; headcount: number }[];
  broker: boolean;
  start: number;
  end: number;
  filed: number;
  cancelled: number | null;
  cancelReason: string | null;
  wageYuan: number;
  baseMicro: number;
  floatBp: number;
  commissionBp: number;
  fundBp: number;
  deathLimitYuan: number;
  medicalLimitYuan: number;
  thirdPartyLimitYuan: number | null;
  coverage: string[];
  plan: [kind: string, yearlyFrequency: number][];
  serviceOrg: OrgDef | null;
  /** deliberately behind its prevention-service plan */
  behind: boolean;
  amendment: { at: number; reason: string; before: Record<string, unknown> } | null;
}

export const premiumFen = (p: Pol) => {
  const headcount = p.members.reduce((n, m) => n + m.headcount, 0);
  const months = Math.round((p.end - p.start) / (30.44 * DAY));
  // premium = insured workers × yearly wage × base rate × (1 + float), pro rata for project terms
  return mulDiv(headcount * p.wageYuan * 100, p.baseMicro * (10_000 + p.floatBp) * months, 1e10 * 12);
};
export const fundFen = (p: Pol) => mulDiv(premiumFen(p), p.fundBp, 10_000);
export const coverEnd = (p: Pol) => Math.min(p.end, p.cancelled ?? Infinity);

const WAGE: Record<Sector, number> = {
  COAL_MINE: 110_000, NON_COAL_MINE: 80_000, HAZARDOUS_CHEMICALS: 90_000, FIREWORKS: 60_000, CIVIL_EXPLOSIVES: 90_000,
  METAL_SMELTING: 85_000, CONSTRUCTION: 75_000, ROAD_TRANSPORT: 70_000, WATER_TRANSPORT: 80_000, RAIL_TRANSIT: 110_000,
  FISHERY: 60_000, BLASTING: 80_000, FUEL_RETAIL: 55_000, OTHER: 70_000,
};
/** guide rates in millionths of the wage bill */
const BASE_RATE: Record<Sector, [number, number]> = {
  COAL_MINE: [6000, 8000], NON_COAL_MINE: [4000, 6000], HAZARDOUS_CHEMICALS: [3000, 5000], FIREWORKS: [4000, 6000],
  CIVIL_EXPLOSIVES: [4000, 6000], METAL_SMELTING: [2500, 4000], CONSTRUCTION: [2000, 4000], ROAD_TRANSPORT: [2000, 4000],
  WATER_TRANSPORT: [3000, 5000], RAIL_TRANSIT: [1000, 2000], FISHERY: [5000, 8000], BLASTING: [5000, 8000],
  FUEL_RETAIL: [1500, 3000], OTHER: [1000, 3000],
};
const WAGE_LEVEL: Record<ListingRegion, number> = { "500000": 1, "350200": 1.1, "410000": 0.85, "330300": 1.1 };
const SHARES_2 = [[6000, 4000], [5000, 5000], [7000, 3000]];
const SHARES_3 = [[5000, 3000, 2000], [4000, 3000, 3000], [3400, 3300, 3300]];

/** Which insurers are out of the 名录 from when: they keep writing a little business, which the hub flags. */
const NOT_QUALIFIED_FROM: Partial<Record<ListingRegion, { code: string; from: number }>> = {
  "500000": { code: "DBIC", from: cst(2025, 9, 1) },
  "350200": { code: "YAIC", from: cst(2026, 1, 1) },
};

export class PolicyFactory {
  readonly policies: Pol[] = [];
  private byEnterprise = new Map<string, Pol[]>();
  private rules = new Map<string, EffectiveRules>();

  constructor(private rng: Rng, private counter: Counter) {}

  private mandatory(e: Ent): boolean {
    const code = e.row.regionCode;
    if (!this.rules.has(code)) this.rules.set(code, effectiveRules(code));
    return isMandatory(this.rules.get(code)!, e.row);
  }

  private lead(listing: ListingRegion, start: number, previous?: InsurerDef): InsurerDef {
    if (previous && this.rng.chance(0.8)) return previous;
    const off = NOT_QUALIFIED_FROM[listing];
    return this.rng.weighted(
      insurersIn(listing).map((i) => {
        let w = i.weight * (listing === "330300" && i.code === "ZSIC" ? 4 : 1);
        if (off?.code === i.code && start >= off.from) w *= 0.5;
        return [i, w] as const;
      }),
    );
  }

  private coinsurers(lead: InsurerDef, listing: ListingRegion): Pol["coinsurers"] {
    if (!this.rng.chance(0.1)) return [{ insurer: lead, bp: 10_000 }];
    const shares = this.rng.pick(this.rng.chance(0.7) ? SHARES_2 : SHARES_3);
    const others = this.rng.sample(insurersIn(listing).filter((i) => i !== lead && !Object.values(NOT_QUALIFIED_FROM).some((o) => o?.code === i.code)), shares.length - 1);
    return [lead, ...others].map((insurer, k) => ({ insurer, bp: shares[k] }));
  }

  private policyNo(insurer: InsurerDef, start: number, listing: ListingRegion): string {
    const year = cstYear(start);
    const province = listing.slice(0, 2) + "0000";
    const seq = this.counter.take(`policy|${insurer.code}|${year}|${province}`);
    return `${insurer.policyPrefix}${year}${province}${String(seq).padStart(6, "0")}`;
  }

  private plan(): Pol["plan"] {
    const plan: Pol["plan"] = [["RISK_ASSESSMENT", 1], ["HAZARD_INVESTIGATION", this.rng.int(2, 4)], ["TRAINING", this.rng.int(1, 2)], ["EMERGENCY_DRILL", 1]];
    if (this.rng.chance(0.15)) plan.push(["TECH_PROMOTION", 1]);
    return plan;
  }

  /** One policy with market-typical terms; a small share breaks a rule on purpose. */
  create(members: Ent[], start: number, months: number, insurer: InsurerDef, coinsurers?: Pol["coinsurers"], filed = start - 5 * DAY + 10 * HOUR): Pol {
    const rng = this.rng;
    const first = members[0];
    const sector = first.row.sector;
    const listing = first.listing;
    const broker = rng.chance(0.05);
    const deathLimit =
      rng.chance(listing === "500000" && start < NATIONAL_RULES_FROM ? 0.25 : 0.02) ? 300_000 : rng.weighted([[400_000, 3], [500_000, 4], [600_000, 3], [800_000, 1]] as const);
    const thirdParty = rng.chance(0.15) ? null : rng.pick([1_000_000, 2_000_000, 3_000_000, 5_000_000]);
    const coverage = COVERAGE_ITEMS.filter((item) => {
      if (item === "OCCUPATIONAL_DISEASE") return rng.chance(0.2);
      if (item.startsWith("THIRD_PARTY")) return thirdParty !== null;
      if (item === "LEGAL_COSTS") return rng.chance(0.8);
      if (item === "ACCIDENT_APPRAISAL") return rng.chance(0.9);
      return true;
    });
    const fundBp = rng.chance(0.02) ? 500 : rng.chance(0.02) ? 2500 : listing === "350200" ? rng.weighted([[2000, 6], [2100, 3], [1500, 1]] as const) : rng.int(10, 21) * 100;
    const floatBp = rng.chance(0.015) ? 6000 : rng.chance(0.01) ? -5000 : rng.int(-40, 40) * 100;
    const commissionBp = broker ? rng.weighted([[500, 5], [400, 3], [800, 1]] as const) : rng.weighted([[0, 10], [300, 20], [350, 15], [400, 25], [450, 10], [500, 18], [800, 1]] as const);
    const [lo, hi] = BASE_RATE[sector];
    const p: Pol = {
      id: this.counter.take("policies"),
      policyNo: this.policyNo(insurer, start, listing),
      insurer,
      coinsurers: coinsurers ?? this.coinsurers(insurer, listing),
      members: members.map((ent) => ({ ent, headcount: rng.chance(0.93) ? ent.row.employeeCount : Math.max(1, Math.floor(ent.row.employeeCount * (0.5 + 0.45 * rng.next()))) })),
      broker,
      start,
      end: addMonths(start, months),
      filed,
      cancelled: null,
      cancelReason: null,
      wageYuan: Math.round((WAGE[sector] * WAGE_LEVEL[listing]) / 1000) * 1000,
      baseMicro: rng.int(lo / 100, hi / 100) * 100,
      floatBp,
      commissionBp,
      fundBp,
      deathLimitYuan: deathLimit,
      medicalLimitYuan: rng.int(5, 10) * 10_000,
      thirdPartyLimitYuan: thirdParty,
      coverage,
      plan: this.plan(),
      serviceOrg: rng.chance(0.3) ? SERVICE_ORGS.find((o) => o.regions.includes(listing)) ?? null : null,
      behind: rng.chance(0.12),
      amendment: null,
    };
    this.policies.push(p);
    for (const m of members) this.byEnterprise.set(m.row.uscc, [...(this.byEnterprise.get(m.row.uscc) ?? []), p]);
    return p;
  }

  /** An ordinary enterprise's history: maybe insured in 2025, renewed (on time or late) or lapsed, maybe first insured in 2026. */
  history(e: Ent): void {
    const rng = this.rng;
    let p = this.mandatory(e) ? 0.86 : 0.35;
    if (e.row.status !== "OPERATING") p *= 0.75;
    if (e.row.blacklisted) p *= 0.3;
    let start: number;
    if (rng.chance(p)) {
      start = rng.weighted([
        [cst(2025, 1, 1), 35],
        [cst(2025, rng.int(2, 7), 1), 45],
        [cst(2025, rng.int(1, 12), rng.int(1, 28)), 20],
      ] as const);
    } else if (rng.chance(0.3)) {
      start = cst(2026, rng.int(1, 10), rng.int(1, 28));
    } else return;

    let insurer: InsurerDef | undefined;
    for (;;) {
      if (e.stoppedAt !== undefined && e.stoppedAt < start && (e.row.status === "CLOSED" || rng.chance(0.6))) return;
      // construction may follow the project, seasonal fishing the season (厦应急规〔2022〕2号 二(三))
      const months = e.row.sector === "CONSTRUCTION" && rng.chance(0.4) ? rng.pick([6, 9, 15, 18]) : e.row.riskTags.includes("SEASONAL") ? 8 : 12;
      const filed = start - rng.int(0, 15) * DAY + rng.int(9, 17) * HOUR;
      // not filed by the data cut-off: the enterprise is still covered by its current policy
      if (filed > DATA_END) return;
      insurer = this.lead(e.listing, start, insurer);
      const pol = this.create([e], start, months, insurer, undefined, filed);
      if (e.stoppedAt !== undefined && e.stoppedAt >= pol.start && e.stoppedAt < pol.end && rng.chance(0.7)) {
        pol.cancelled = e.stoppedAt;
        pol.cancelReason = e.row.status === "CLOSED" ? "企业关闭注销 / enterprise closed" : "企业全面停产 / production fully stopped";
        return;
      }
      if (rng.chance(0.012)) {
        // surrendered while operating: 应急〔2025〕27号 第十六条 forbids it, the hub flags it
        const at = pol.start + rng.int(30, 300) * DAY + 10 * HOUR;
        if (at < Math.min(pol.end, DATA_END)) {
          pol.cancelled = at;
          pol.cancelReason = "投保人申请退保 / surrendered at the policyholder's request";
          return;
        }
      }
      if (rng.chance(0.1)) return; // lapsed: no renewal
      start = rng.chance(0.1) ? pol.end + rng.int(15, 75) * DAY : pol.end; // some renew late
      if (start > LAST_START) return;
    }
  }

  /** DEMO.enterprise: covered by DEMO.insurer alone in both years, its service org named. */
  showcase(e: Ent): void {
    const picc = insurerByUscc.get(DEMO.insurer)!;
    for (const start of [cst(2025, 3, 1), cst(2026, 3, 1)]) {
      const p = this.create([e], start, 12, picc, [{ insurer: picc, bp: 10_000 }]);
      Object.assign(p, {
        broker: false, floatBp: 0, commissionBp: 400, fundBp: 1500, deathLimitYuan: 600_000,
        thirdPartyLimitYuan: 2_000_000, coverage: COVERAGE_ITEMS.filter((i) => i !== "OCCUPATIONAL_DISEASE"),
        plan: [["RISK_ASSESSMENT", 1], ["HAZARD_INVESTIGATION", 4], ["TRAINING", 2], ["EMERGENCY_DRILL", 1]],
        serviceOrg: SERVICE_ORGS.find((o) => o.uscc === DEMO.serviceOrg)!, behind: false,
      });
      p.members[0].headcount = e.row.employeeCount;
    }
  }

  /** 柳市镇 electrical-industry park: one group policy (整体投保) per year, co-insured by the Wenzhou pool. */
  park(members: Ent[]): void {
    const [picc, cpic, zsic] = ["PICC", "CPIC", "ZSIC"].map((c) => [...insurerByUscc.values()].find((i) => i.code === c)!);
    for (const start of [cst(2025, 4, 1), cst(2026, 4, 1)]) {
      const p = this.create(members, start, 12, picc, [{ insurer: picc, bp: 5000 }, { insurer: cpic, bp: 3000 }, { insurer: zsic, bp: 2000 }]);
      p.broker = false;
      p.behind = false;
    }
  }

  /** After a 较大 or worse accident the next cover may float up to +150 % (渝府办发〔2017〕182号). */
  raiseAfterAccident(uscc: string, occurredAt: number): void {
    for (const p of this.byEnterprise.get(uscc) ?? []) if (p.start > occurredAt) p.floatBp = this.rng.int(60, 150) * 100;
  }

  /** ~3 % of policies get a 批改: more cover, a cured limit or the missing workers added. */
  amend(): void {
    for (const p of this.policies) {
      if (p.members[0].ent.role !== "normal" || !this.rng.chance(0.03)) continue;
      const at = p.filed + this.rng.int(30, 150) * DAY;
      if (at > Math.min(DATA_END, coverEnd(p))) continue;
      const before = snapshot(p);
      let reason: string;
      const partial = p.members.find((m) => m.headcount < m.ent.row.employeeCount);
      if (p.deathLimitYuan < 400_000) {
        p.deathLimitYuan = 500_000;
        reason = "批改：提高每人死亡伤残责任限额 / raise the death and disability limit";
      } else if (partial) {
        partial.headcount = partial.ent.row.employeeCount;
        reason = "批改：补充投保未覆盖的从业人员 / add the workers left uncovered";
      } else {
        p.thirdPartyLimitYuan = (p.thirdPartyLimitYuan ?? 0) + 1_000_000;
        if (!p.coverage.includes("THIRD_PARTY_INJURY")) p.coverage = COVERAGE_ITEMS.filter((i) => p.coverage.includes(i) || i.startsWith("THIRD_PARTY"));
        reason = "批改：提高第三者责任限额 / raise the third-party limit";
      }
      p.amendment = { at, reason, before };
    }
  }
}

/** The fields a policy_versions row keeps, in China Standard Time so readers see local dates. */
export function snapshot(p: Pol): Record<string, unknown> {
  return {
    policyNo: p.policyNo,
    insurerUscc: p.insurer.uscc,
    coinsurers: p.coinsurers.map((c, k) => ({ insurerUscc: c.insurer.uscc, share: ratio4(c.bp), isLead: k === 0 })),
    brokerUscc: p.broker ? BROKER.uscc : null,
    enterprises: p.members.map((m) => ({ uscc: m.ent.row.uscc, insuredHeadcount: m.headcount })),
    startAt: cstIso(p.start),
    endAt: cstIso(p.end),
    premium: yuan(premiumFen(p)),
    baseRate: rate6(p.baseMicro),
    rateFloat: ratio4(p.floatBp),
    commissionRatio: ratio4(p.commissionBp),
    preventionFundRatio: ratio4(p.fundBp),
    insuredHeadcount: p.members.reduce((n, m) => n + m.headcount, 0),
    deathLimitPerPerson: yuan(p.deathLimitYuan * 100),
    medicalLimitPerPerson: yuan(p.medicalLimitYuan * 100),
    thirdPartyLimit: p.thirdPartyLimitYuan === null ? null : yuan(p.thirdPartyLimitYuan * 100),
    coverageItems: p.coverage,
    isGroupPolicy: p.members.length > 1,
    servicePlan: p.plan.map(([kind, yearlyFrequency]) => ({ kind, yearlyFrequency })),
  };
}

