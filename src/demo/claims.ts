/**
 * Accidents of every grade (numbers chosen to land on the grade's thresholds) and claims on the
 * insured enterprises' policies, in every status, with claimants and payments of every kind.
 */
import { inRegion } from "../domain/regions.js";
import type { Sector } from "../domain/vocabulary.js";
import type { Ent } from "./enterprises.js";
import { yuan } from "./money.js";
import { idNumber, personName } from "./people.js";
import { coverEnd, type PolicyFactory, type Pol } from "./policies.js";
import type { Rng } from "./random.js";
import { AGENCIES } from "./registry.js";
import { cstDate, cstYear, DATA_END, DATA_START, DAY, HOUR } from "./time.js";
import type { AccidentRow, ClaimantRow, ClaimPaymentRow, ClaimRow, Counter } from "./types.js";

type Grade = "GENERAL" | "LARGER" | "MAJOR" | "EXTRAORDINARY";

/** 《生产安全事故报告和调查处理条例》第三条; "以上" includes the bound, the highest criterion wins. */
export function accidentGrade(deaths: number, injuries: number, lossFen: number): Grade {
  const loss = lossFen / 100;
  if (deaths >= 30 || injuries >= 100 || loss >= 100_000_000) return "EXTRAORDINARY";
  if (deaths >= 10 || injuries >= 50 || loss >= 50_000_000) return "MAJOR";
  if (deaths >= 3 || injuries >= 10 || loss >= 10_000_000) return "LARGER";
  return "GENERAL";
}

/** The band [from, to] of each criterion per grade (loss in yuan). */
const BANDS: Record<Grade, { deaths: [number, number]; injuries: [number, number]; loss: [number, number] }> = {
  GENERAL: { deaths: [0, 2], injuries: [0, 9], loss: [5_000, 9_999_900] },
  LARGER: { deaths: [3, 9], injuries: [10, 49], loss: [10_000_000, 49_999_900] },
  MAJOR: { deaths: [10, 29], injuries: [50, 99], loss: [50_000_000, 99_999_900] },
  EXTRAORDINARY: { deaths: [30, 45], injuries: [100, 130], loss: [100_000_000, 300_000_000] },
};
const BELOW: Record<Grade, Grade> = { GENERAL: "GENERAL", LARGER: "GENERAL", MAJOR: "LARGER", EXTRAORDINARY: "MAJOR" };

/** Accident kinds per sector; the first two are the ones that can kill many at once. */
const KINDS: Record<Sector, string[]> = {
  COAL_MINE: ["瓦斯爆炸", "透水", "顶板垮落", "运输"], NON_COAL_MINE: ["边坡坍塌", "爆破", "中毒窒息"],
  HAZARDOUS_CHEMICALS: ["爆炸", "泄漏中毒", "火灾"], FIREWORKS: ["爆炸"], CIVIL_EXPLOSIVES: ["爆炸"],
  METAL_SMELTING: ["钢水喷溅", "煤气中毒", "灼烫"], CONSTRUCTION: ["坍塌", "起重伤害", "高处坠落", "物体打击"],
  ROAD_TRANSPORT: ["车辆侧翻", "追尾碰撞", "危化品运输车辆泄漏"], WATER_TRANSPORT: ["船舶碰撞", "船舶沉没"],
  RAIL_TRANSIT: ["触电", "车辆伤害"], FISHERY: ["渔船翻沉", "落水"], BLASTING: ["爆破"], FUEL_RETAIL: ["火灾", "爆炸"],
  OTHER: ["粉尘爆炸", "液氨泄漏", "有限空间中毒窒息", "机械伤害", "火灾"],
};
const SEVERE_SECTORS: Sector[] = ["COAL_MINE", "NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING", "CONSTRUCTION", "ROAD_TRANSPORT", "WATER_TRANSPORT"];

export interface Acc { row: AccidentRow; ent: Ent; at: number; pol: Pol | null }

/** A sector department over the enterprise's region, the nearest first; townships only when no department is. */
function recorder(e: Ent): string | null {
  const candidates = AGENCIES.filter((a) => a.sectors.includes(e.row.sector) && inRegion(e.row.regionCode, a.region));
  candidates.sort((a, b) => Number(a.kind === "TOWNSHIP") - Number(b.kind === "TOWNSHIP") || b.region.length - a.region.length || (b.region > a.region ? 1 : -1));
  const best = candidates[0];
  return best ? `${best.region}-${best.kind}` : null;
}

const between = (rng: Rng, from: number, to: number) => from + Math.floor(rng.next() * (to - from));
const insuredPolicies = (pf: PolicyFactory) => pf.policies.filter((p) => p.start < DATA_END - 10 * DAY);
/** covered instants of a policy inside the data window */
const window = (p: Pol): [number, number] => [Math.max(p.start, DATA_START), Math.min(coverEnd(p), DATA_END)];

export function makeAccidents(rng: Rng, pf: PolicyFactory, ents: Ent[], scale: number, counter: Counter): Acc[] {
  const extraordinary = Math.max(1, Math.round(0.2 * scale));
  const major = Math.max(1, Math.round(1.5 * scale));
  const larger = Math.max(1, Math.round(6 * scale));
  const general = Math.max(1, Math.round(60 * scale) - extraordinary - major - larger);
  const plan: Grade[] = [
    ...Array<Grade>(extraordinary).fill("EXTRAORDINARY"), ...Array<Grade>(major).fill("MAJOR"),
    ...Array<Grade>(larger).fill("LARGER"), ...Array<Grade>(general).fill("GENERAL"),
  ];
  const pols = insuredPolicies(pf);
  const operating = ents.filter((e) => e.row.status === "OPERATING");
  const out: Acc[] = [];
  // policies able to suffer a given toll, computed once per (workforce needed, severe sector only)
  const fitting = new Map<string, Pol[]>();
  const fit = (need: number, severe: boolean) => {
    const key = `${need}|${severe}`;
    if (!fitting.has(key)) fitting.set(key, pols.filter((p) => p.members.some((m) => m.ent.row.employeeCount >= need && (!severe || SEVERE_SECTORS.includes(m.ent.row.sector)))));
    return fitting.get(key)!;
  };
  for (const grade of plan) {
    const b = BANDS[grade];
    const below = BANDS[BELOW[grade]];
    // the deciding criterion; deaths and injuries need a workforce large enough to suffer them
    let criterion = grade === "GENERAL" ? "none" : rng.pick(["deaths", "deaths", "injuries", "loss"]);
    const need = criterion === "deaths" ? b.deaths[0] * 2 : criterion === "injuries" ? b.injuries[0] * 2 : 0;
    const severe = grade !== "GENERAL";
    let candidates = fit(need, severe);
    if (candidates.length === 0) (criterion = "loss"), (candidates = pols);
    let ent: Ent, at: number, pol: Pol | null;
    if (rng.chance(grade === "GENERAL" ? 0.85 : 0.95) && candidates.length) {
      pol = rng.pick(candidates);
      const fit = pol.members.filter((m) => m.ent.row.employeeCount >= need);
      ent = rng.pick(fit.length ? fit : pol.members).ent;
      const [from, to] = window(pol);
      at = between(rng, from, to - DAY);
    } else {
      // an uninsured (or insured elsewhere in time) enterprise: no claim follows
      pol = null;
      ent = rng.pick(operating);
      at = between(rng, DATA_START, DATA_END);
      criterion = criterion === "none" ? "none" : "loss";
    }
    const draw = ([lo, hi]: [number, number]) => rng.int(lo, hi);
    const staffCap = Math.max(0, ent.row.employeeCount - 1);
    let deaths = Math.min(draw(criterion === "deaths" ? b.deaths : below.deaths), staffCap);
    let injuries = Math.min(draw(criterion === "injuries" ? b.injuries : below.injuries), Math.max(0, staffCap - deaths));
    if (grade === "GENERAL") (deaths = rng.weighted([[0, 55], [1, 35], [2, 10]] as const)), (injuries = rng.int(0, 4));
    const lossYuan = Math.round(draw(criterion === "loss" ? b.loss : grade === "GENERAL" ? [5_000, 3_000_000] : below.loss) / 100) * 100;
    const lossFen = lossYuan * 100;
    const kind = rng.pick(grade === "GENERAL" ? KINDS[ent.row.sector] : KINDS[ent.row.sector].slice(0, 2));
    const harm = [deaths ? `${deaths}人死亡` : "", injuries ? `${injuries}人重伤（含急性中毒）` : ""].filter(Boolean).join("、");
    const id = counter.take("accidents");
    out.push({
      ent, at, pol,
      row: {
        id,
        enterpriseUscc: ent.row.uscc,
        occurredAt: new Date(at),
        deaths,
        seriousInjuries: injuries,
        directLoss: yuan(lossFen),
        grade: accidentGrade(deaths, injuries, lossFen),
        description: `${cstDate(at)}，${ent.row.name}发生${kind}事故，${harm ? `造成${harm}` : "未造成人员死亡和重伤"}，直接经济损失${yuan(Math.round(lossFen / 10_000))}万元。`,
        recordedBy: recorder(ent),
        createdAt: new Date(Math.min(at + rng.int(1, 3) * DAY, DATA_END)),
      },
    });
    if (deaths > 0 && !ent.row.riskTags.includes("RECENT_FATAL_ACCIDENT")) ent.row.riskTags.push("RECENT_FATAL_ACCIDENT");
    if (accidentGrade(deaths, injuries, lossFen) !== "GENERAL") pf.raiseAfterAccident(ent.row.uscc, at);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Claims

type Who = "death" | "serious" | "minor" | "third_injury" | "third_property";
const SERIOUS = ["骨折（十级伤残）", "腰椎压缩性骨折（九级伤残）", "多发性骨折", "重度烧伤", "急性中毒", "截肢（七级伤残）", "颅脑损伤"];
const MINOR = ["软组织挫伤", "手指割伤", "轻度烧伤", "扭伤", "皮肤擦伤"];
const REJECTIONS = ["不属于保险责任范围 / outside the insured risks", "索赔材料不全且逾期未补 / documents incomplete", "非本单位从业人员 / not a worker of the insured"];

export interface ClaimSet { claims: ClaimRow[]; claimants: ClaimantRow[]; payments: ClaimPaymentRow[] }

type Status = "REPORTED" | "ASSESSED" | "ADVANCE_PAID" | "SETTLED" | "REJECTED";

export class ClaimFactory {
  readonly out: ClaimSet = { claims: [], claimants: [], payments: [] };

  constructor(private rng: Rng, private counter: Counter) {}

  private ref(p: Pol, kind: "LP" | "ZF", at: number): string {
    const year = cstYear(at);
    return `${p.insurer.code}-${kind}-${year}-${String(this.counter.take(`${kind}|${p.insurer.code}|${year}`)).padStart(6, "0")}`;
  }

  /** Fen owed to one claimant: a death pays the policy's limit, injuries by severity. */
  private amount(p: Pol, who: Who): number {
    const r = this.rng;
    const yuanPart = { death: p.deathLimitYuan, serious: r.int(20_000, Math.min(300_000, p.deathLimitYuan)), minor: r.int(2_000, 30_000), third_injury: r.int(5_000, 100_000), third_property: r.int(3_000, 80_000) }[who];
    return yuanPart * 100 + (who === "death" ? 0 : r.int(0, 99));
  }

  private claimant(claimId: number, e: Ent, who: Who, at: number): ClaimantRow {
    const r = this.rng;
    const employee = who === "death" || who === "serious" || who === "minor";
    const born = employee ? [cstYear(at) - 60, cstYear(at) - 18] : [cstYear(at) - 75, cstYear(at) - 8];
    const injury = { death: "死亡", serious: r.pick(SERIOUS), minor: r.pick(MINOR), third_injury: r.pick(["受伤", ...MINOR]), third_property: "财产损失" }[who];
    return { id: this.counter.take("claimants"), claimId, kind: employee ? "EMPLOYEE" : "THIRD_PARTY", name: personName(r), idNumber: idNumber(r, e.county, born[0], born[1]), injury };
  }

  /**
   * One claim and its life so far: the status follows from how much time passed before the data
   * cut-off, and `force` pins it for the showcase enterprise.
   */
  add(p: Pol, e: Ent, reportedAt: number, who: Who[], accidentId: number | null, force?: Status, smallFast?: boolean): void {
    const r = this.rng;
    const id = this.counter.take("claims");
    const estimate = who.reduce((s, w) => s + this.amount(p, w), 0);
    const hurt = who.some((w) => w === "death" || w === "serious");
    smallFast ??= estimate <= 1_000_000 && r.chance(0.4);
    let status: Status = "REPORTED";
    let assessedAt: number | null = null, settledAt: number | null = null, rejectedAt: number | null = null;
    const pays: { kind: string; fen: number; at: number }[] = [];
    let settledFen: number | null = null;

    if (force === "REPORTED") {
      // just reported: nothing else has happened yet
    } else if (force ? force === "REJECTED" : r.chance(0.07)) {
      const at = reportedAt + r.int(5, 40) * DAY;
      if (at <= DATA_END) (status = "REJECTED"), (rejectedAt = at), (assessedAt = r.chance(0.6) ? reportedAt + r.int(1, 4) * DAY : null);
    } else if (smallFast) {
      // 小额快赔: assessed within hours, paid within days, no separate settlement payment
      assessedAt = reportedAt + r.int(2, 20) * HOUR;
      const at = assessedAt + r.int(1, 4) * DAY;
      if (at <= DATA_END) {
        status = "SETTLED", settledAt = at, settledFen = Math.round(estimate * (0.8 + 0.2 * r.next()));
        pays.push({ kind: "SMALL_FAST", fen: settledFen, at });
      } else if (assessedAt <= DATA_END) status = "ASSESSED";
      else assessedAt = null;
    } else {
      assessedAt = reportedAt + r.int(1, 15) * DAY + r.int(1, 6) * HOUR;
      const settleAt = assessedAt + (hurt ? r.int(30, 150) : r.int(10, 90)) * DAY;
      if (force ? force === "ADVANCE_PAID" || force === "SETTLED" : r.chance(hurt ? 0.7 : 0.25)) {
        // 紧急费用垫付 comes within days of an injury; 先行垫付 once the loss is assessed
        if (hurt && (accidentId !== null || force)) pays.push({ kind: "EMERGENCY_ADVANCE", fen: Math.round(estimate * 0.1) || 1, at: reportedAt + r.int(1, 2) * DAY });
        pays.push({ kind: "ADVANCE", fen: Math.round(estimate * (0.15 + 0.15 * r.next())) || 1, at: assessedAt + r.int(1, 10) * DAY });
      }
      if (force === "SETTLED" || (!force && settleAt <= DATA_END)) {
        status = "SETTLED", settledAt = force ? Math.max(settleAt, ...pays.map((x) => x.at)) : settleAt;
        const advanced = pays.reduce((s, x) => s + x.fen, 0);
        settledFen = Math.max(advanced, Math.round(estimate * (0.7 + 0.3 * r.next())));
        if (settledFen > advanced) pays.push({ kind: "SETTLEMENT", fen: settledFen - advanced, at: settledAt });
      } else {
        for (let i = pays.length - 1; i >= 0; i--) if (pays[i].at > DATA_END) pays.splice(i, 1);
        status = assessedAt > DATA_END ? "REPORTED" : pays.length ? "ADVANCE_PAID" : "ASSESSED";
        if (status === "REPORTED") assessedAt = null;
        if (status !== "ADVANCE_PAID") pays.length = 0;
      }
    }
    const paid = pays.reduce((s, x) => s + x.fen, 0);
    const open = status === "REPORTED" || status === "ASSESSED" || status === "ADVANCE_PAID";
    const d = (ms: number | null) => (ms === null ? null : new Date(ms));
    this.out.claims.push({
      id, insurerUscc: p.insurer.uscc, claimRef: this.ref(p, "LP", reportedAt), policyId: p.id, enterpriseUscc: e.row.uscc, accidentId,
      status, reportedAt: new Date(reportedAt), assessedAt: d(assessedAt), settledAt: d(settledAt), rejectedAt: d(rejectedAt),
      rejectionReason: status === "REJECTED" ? r.pick(REJECTIONS) : null,
      // an open claim carries its outstanding estimate; a closed one none
      reserve: yuan(open ? Math.max(0, estimate - paid) : 0),
      settledAmount: settledFen === null ? null : yuan(settledFen),
      createdAt: new Date(reportedAt),
    });
    for (const w of who) this.out.claimants.push(this.claimant(id, e, w, reportedAt));
    for (const x of pays.sort((a, b) => a.at - b.at)) {
      this.out.payments.push({ id: this.counter.take("claim_payments"), claimId: id, insurerUscc: p.insurer.uscc, paymentRef: this.ref(p, "ZF", x.at), kind: x.kind, amount: yuan(x.fen), paidAt: new Date(x.at), createdAt: new Date(x.at) });
    }
  }
}

/** Claims from accidents on covered enterprises, then ordinary ones up to ~400 × scale. */
export function makeClaims(rng: Rng, pf: PolicyFactory, accidents: Acc[], scale: number, counter: Counter, showcase: Ent): ClaimSet {
  const cf = new ClaimFactory(rng, counter);
  const reportTime = (from: number, p: Pol) => Math.min(from + rng.int(0, 3) * DAY + rng.int(8, 18) * HOUR, coverEnd(p) - HOUR, DATA_END);

  // DEMO.enterprise: one claim in each interesting state, whatever the seed
  const [p25, p26] = pf.policies.filter((p) => p.members[0].ent === showcase);
  cf.add(p25, showcase, p25.start + 100 * DAY + 10 * HOUR, ["serious", "minor"], null, "SETTLED", false);
  cf.add(p25, showcase, p25.start + 200 * DAY + 11 * HOUR, ["minor"], null, "SETTLED", true);
  cf.add(p26, showcase, DATA_END - 60 * DAY - 4 * HOUR, ["serious", "third_injury"], null, "ADVANCE_PAID", false);
  cf.add(p26, showcase, DATA_END - 3 * DAY - 4 * HOUR, ["minor"], null, "REPORTED", false);

  for (const a of accidents) {
    if (!a.pol || !rng.chance(0.95)) continue;
    const who: Who[] = [...Array<Who>(Math.min(a.row.deaths ?? 0, 30)).fill("death"), ...Array<Who>(Math.min(a.row.seriousInjuries ?? 0, 30)).fill("serious")];
    if (!who.length) who.push(...Array<Who>(rng.int(1, 2)).fill("minor"));
    if (["ROAD_TRANSPORT", "WATER_TRANSPORT", "HAZARDOUS_CHEMICALS"].includes(a.ent.row.sector) && rng.chance(0.3)) who.push(rng.pick<Who>(["third_injury", "third_property"]));
    cf.add(a.pol, a.ent, reportTime(a.at, a.pol), who, a.row.id);
  }

  const pols = insuredPolicies(pf).filter((p) => window(p)[1] - window(p)[0] > 2 * DAY);
  const target = Math.round(400 * scale);
  while (cf.out.claims.length < target) {
    const p = rng.pick(pols);
    const e = rng.pick(p.members).ent;
    const [from, to] = window(p);
    const n = rng.chance(0.85) ? 1 : rng.int(2, 3);
    const who = Array.from({ length: n }, () => rng.weighted<Who>([["minor", 70], ["serious", 20], ["death", 3], ["third_injury", 4], ["third_property", 3]]));
    cf.add(p, e, reportTime(between(rng, from, to - DAY), p), who, null);
  }
  return cf.out;
}
