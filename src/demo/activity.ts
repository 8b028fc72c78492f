import { accidentGrade } from "../rules/accidents.js";
import { idCheckChar } from "../rules/identifiers.js";
import { AGENCIES } from "./registry.js";
import { personName, type DemoEnterprise } from "./enterprises.js";
import { CUTOFF, DAY, type DemoPolicy } from "./policies.js";
import { yuan, type Random } from "./random.js";

export interface DemoAccident { n: number; e: DemoEnterprise; occurredAt: Date; deaths: number; injuries: number; lossFen: bigint; grade: string; recordedBy: string | null }
export interface DemoClaim {
  policy: number; e: DemoEnterprise; accident: number | null; ref: string; status: string; reportedAt: Date; assessedAt: Date | null; settledAt: Date | null;
  rejectedAt: Date | null; rejectionReason: string | null; reserveFen: bigint; settledFen: bigint | null;
  claimants: { kind: string; name: string; idNumber: string; injury: string }[];
  payments: { ref: string; kind: string; amountFen: bigint; paidAt: Date }[];
}
export interface DemoService {
  policy: number; e: DemoEnterprise; ref: string; serviceOrg: number | null; kind: string; performedAt: Date; place: string; staff: string[]; costFen: bigint; confirmed: boolean;
  hazards: { description: string; severity: string; noticeDate: string; deadline: string; status: string; rectifiedAt: Date | null }[];
}
export interface DemoFundEntry { policy: number; ref: string; kind: string; category: string | null; amountFen: bigint; bookedAt: Date }

const cstDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const between = (r: Random, a: Date, b: Date) => new Date(a.getTime() + Math.floor(r.next() * Math.max(0, b.getTime() - a.getTime())));
const min = (a: Date, b: Date) => (a < b ? a : b);

export function idNumber(r: Random, region: string): string {
  const birth = `${r.int(1965, 2002)}${String(r.int(1, 12)).padStart(2, "0")}${String(r.int(1, 28)).padStart(2, "0")}`;
  const first17 = `${region.slice(0, 6)}${birth}${String(r.int(1, 999)).padStart(3, "0")}`;
  return first17 + idCheckChar(first17);
}

/** Accidents of every grade; the thresholds (条例 第三条) decide the stored grade. */
export function makeAccidents(r: Random, enterprises: DemoEnterprise[], count: number): DemoAccident[] {
  const out: DemoAccident[] = [];
  const shapes: [number, number, number][] = [[0, 1, 200_000], [1, 0, 1_500_000], [3, 2, 8_000_000], [0, 12, 4_000_000], [11, 5, 60_000_000], [31, 40, 150_000_000]];
  for (let n = 0; n < count; n++) {
    const shape = n % 30 === 29 ? shapes[5] : n % 15 === 14 ? shapes[4] : n % 6 === 5 ? r.pick([shapes[2], shapes[3]]) : r.pick([shapes[0], shapes[1], shapes[0]]);
    const e = n === 0 ? enterprises[0] : r.pick(enterprises);
    const lossFen = BigInt(Math.round(shape[2] * (0.5 + r.next()))) * 100n;
    const deaths = shape[0] ? shape[0] + r.int(0, 2) : 0;
    const injuries = shape[1] ? shape[1] + r.int(0, 3) : 0;
    const agency = AGENCIES.find(([region, kind, , sectors]) => e.regionCode.startsWith(region.replace(/0+$/, "")) && kind !== "TOWNSHIP" && sectors.includes(e.sector));
    out.push({
      n, e, occurredAt: between(r, new Date("2025-01-05T00:00:00+08:00"), CUTOFF), deaths, injuries, lossFen,
      grade: accidentGrade({ deaths, seriousInjuries: injuries, directLoss: yuan(lossFen) }),
      recordedBy: agency ? `${agency[0]}-${agency[1]}` : null,
    });
  }
  return out;
}

/** Claims in every status with consistent dates, claimants and payments that never exceed the settlement. */
export function makeClaims(r: Random, policies: DemoPolicy[], accidents: DemoAccident[], count: number, insurerUscc: (i: number) => string): DemoClaim[] {
  const out: DemoClaim[] = [];
  const refs = new Map<number, number>();
  const covering = (e: DemoEnterprise, at: Date) => policies.findIndex((p) => !p.cancelledAt && p.startAt <= at && p.endAt > at && p.members.some((m) => m.e === e));
  const candidates: { policy: number; e: DemoEnterprise; accident: number | null; at: Date }[] = [];
  for (const a of accidents) {
    const p = covering(a.e, a.occurredAt);
    if (p >= 0) candidates.push({ policy: p, e: a.e, accident: a.n, at: a.occurredAt });
  }
  while (candidates.length < count) {
    const p = r.int(0, policies.length - 1);
    const pol = policies[p];
    const end = min(pol.cancelledAt ?? pol.endAt, CUTOFF);
    if (pol.startAt >= end) continue;
    candidates.push({ policy: p, e: r.pick(pol.members).e, accident: null, at: between(r, pol.startAt, end) });
  }
  // the demo enterprise's claims come first, so the demo insurer has personal data to see
  candidates.sort((a, b) => Number(b.e === policies[0].members[0].e) - Number(a.e === policies[0].members[0].e));
  for (const c of candidates.slice(0, Math.max(count, 3))) {
    const pol = policies[c.policy];
    const ins = pol.insurer;
    const k = (refs.get(ins) ?? 0) + 1;
    refs.set(ins, k);
    const reportedAt = new Date(Math.min(c.at.getTime() + r.int(0, 3) * DAY + r.int(1, 20) * 3600_000, CUTOFF.getTime()));
    const reserveFen = BigInt(r.int(2_000, 400_000)) * 100n;
    const status = r.weighted([["REPORTED", 15], ["ASSESSED", 15], ["ADVANCE_PAID", 15], ["SETTLED", 45], ["REJECTED", 10]] as const);
    const assessedAt = status === "REPORTED" ? null : new Date(reportedAt.getTime() + r.int(2, 20) * DAY);
    const claim: DemoClaim = {
      policy: c.policy, e: c.e, accident: c.accident, ref: `LP${insurerUscc(ins).slice(-6)}${String(k).padStart(7, "0")}`, status, reportedAt,
      assessedAt, settledAt: null, rejectedAt: null, rejectionReason: null, reserveFen, settledFen: null, claimants: [], payments: [],
    };
    for (let j = r.int(1, 3); j > 0; j--) {
      claim.claimants.push({ kind: r.chance(0.8) ? "EMPLOYEE" : "THIRD_PARTY", name: personName(r), idNumber: idNumber(r, c.e.regionCode), injury: r.pick(["骨折", "烧伤", "急性中毒", "死亡", "多处软组织挫伤"]) });
    }
    let paid = 0n;
    const pay = (kind: string, amountFen: bigint, at: Date) => {
      claim.payments.push({ ref: `${claim.ref}-${claim.payments.length + 1}`, kind, amountFen, paidAt: at });
      paid += amountFen;
    };
    if (assessedAt && assessedAt > CUTOFF) claim.assessedAt = null, (claim.status = "REPORTED");
    if (claim.status === "ADVANCE_PAID" || (claim.status === "SETTLED" && r.chance(0.4))) {
      pay(r.chance(0.3) ? "EMERGENCY_ADVANCE" : "ADVANCE", reserveFen / BigInt(r.int(3, 5)), new Date(reportedAt.getTime() + r.int(1, 5) * DAY));
    }
    if (claim.status === "SETTLED") {
      const settledAt = new Date((claim.assessedAt ?? reportedAt).getTime() + r.int(3, 60) * DAY);
      if (settledAt > CUTOFF) claim.status = paid ? "ADVANCE_PAID" : "ASSESSED";
      else {
        claim.settledAt = settledAt;
        claim.settledFen = (reserveFen * BigInt(r.int(60, 110))) / 100n;
        if (claim.settledFen < paid) claim.settledFen = paid;
        const rest = claim.settledFen - paid;
        if (rest > 0n) pay(rest < 500_000n && !paid ? "SMALL_FAST" : "SETTLEMENT", rest, settledAt);
      }
    }
    if (claim.status === "REJECTED") {
      claim.rejectedAt = new Date((claim.assessedAt ?? reportedAt).getTime() + r.int(1, 30) * DAY);
      claim.rejectionReason = r.pick(["不属于保险责任范围", "事故发生于保险期间之外", "未如实告知"]);
      if (claim.rejectedAt > CUTOFF) (claim.status = claim.assessedAt ? "ASSESSED" : "REPORTED"), (claim.rejectedAt = null), (claim.rejectionReason = null);
    }
    for (const p of claim.payments) if (p.paidAt > CUTOFF) p.paidAt = CUTOFF;
    out.push(claim);
  }
  return out;
}

const HAZARDS = ["危险化学品储存区未设置防火堤", "有限空间作业未执行审批", "安全出口堵塞", "粉尘清扫不及时", "电气线路私拉乱接", "特种作业人员无证上岗", "应急预案未演练", "消防设施失效"];

/** Services roughly on plan (some behind), hazards in every state, and each service's cost booked as fund USE. */
export function makeServices(r: Random, policies: DemoPolicy[], staffPool: (r: Random) => string): { services: DemoService[]; funds: DemoFundEntry[] } {
  const services: DemoService[] = [];
  const funds: DemoFundEntry[] = [];
  const refs = new Map<number, number>();
  const next = (ins: number) => {
    const k = (refs.get(ins) ?? 0) + 1;
    refs.set(ins, k);
    return k;
  };
  policies.forEach((pol, p) => {
    const ins = pol.insurer;
    const premium = pol.premiumFen;
    const extraction = (premium * BigInt(Math.round(Number(pol.preventionFundRatio) * 10_000))) / 10_000n;
    if (extraction > 0n && pol.startAt <= CUTOFF) funds.push({ policy: p, ref: `TQ${p}-${next(ins)}`, kind: "EXTRACTION", category: null, amountFen: extraction, bookedAt: pol.startAt });
    const end = min(pol.cancelledAt ?? pol.endAt, CUTOFF);
    if (end <= pol.startAt) return;
    const elapsed = (end.getTime() - pol.startAt.getTime()) / (pol.endAt.getTime() - pol.startAt.getTime());
    const behind = p !== 0 && r.chance(0.2);
    for (const item of pol.plan) {
      const due = Math.floor(item.yearlyFrequency * elapsed);
      const n = behind ? Math.floor(due / 2) : due + (r.chance(0.3) ? 1 : 0);
      for (let j = 0; j < n; j++) {
        const e = r.pick(pol.members).e;
        const performedAt = between(r, pol.startAt, end);
        const costFen = BigInt(r.int(500, 8_000)) * 100n;
        const service: DemoService = {
          policy: p, e, ref: `FW${p}-${next(ins)}`, serviceOrg: pol.serviceOrgs.length && r.chance(0.7) ? pol.serviceOrgs[0] : null, kind: item.kind, performedAt,
          place: e.address, staff: [staffPool(r), staffPool(r)], costFen, confirmed: r.chance(0.85), hazards: [],
        };
        if (item.kind === "HAZARD_INVESTIGATION" || r.chance(0.15)) {
          for (let h = r.int(0, 3); h > 0; h--) {
            const notice = new Date(performedAt.getTime() + DAY);
            const deadline = new Date(notice.getTime() + r.int(15, 60) * DAY);
            const severity = r.chance(0.15) ? "MAJOR" : "GENERAL";
            const rectified = deadline < CUTOFF ? r.chance(0.75) : r.chance(0.4);
            const refused = !rectified && severity === "MAJOR" && r.chance(0.25);
            const rectifiedAt = rectified ? min(between(r, notice, deadline), CUTOFF) : null;
            service.hazards.push({
              description: r.pick(HAZARDS), severity, noticeDate: cstDate(notice), deadline: cstDate(deadline),
              status: rectified ? "RECTIFIED" : refused ? "REFUSED" : "OPEN", rectifiedAt,
            });
          }
        }
        services.push(service);
        funds.push({ policy: p, ref: `SY${p}-${next(ins)}`, kind: "USE", category: item.kind, amountFen: costFen, bookedAt: performedAt });
      }
    }
  });
  return { services, funds };
}
