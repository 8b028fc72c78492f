/**
 * Prevention services (AQ 9010-2019) against each policy's plan, the hazards they find, and the
 * prevention-fund ledger: extraction at the policy's ratio, use booked as actually spent. Costs are
 * carved out of the fund each insurer really spends, so the under-spenders show in the ratios.
 */
import type { Sector } from "../domain/vocabulary.js";
import type { Ent } from "./enterprises.js";
import { yuan } from "./money.js";
import { personName } from "./people.js";
import { coverEnd, fundFen, type Pol } from "./policies.js";
import type { Rng } from "./random.js";
import { addDays, addMonths, cstDate, cstYear, DATA_END, DATA_START, DAY, HOUR, midnight, TODAY } from "./time.js";
import type { Counter, FundEntryRow, HazardRow, ServiceRow } from "./types.js";

/** relative share of the budget one service of each kind takes */
const COST_WEIGHT: Record<string, number> = { RISK_ASSESSMENT: 3, HAZARD_INVESTIGATION: 1.5, TRAINING: 1, EMERGENCY_DRILL: 1.5, TECH_PROMOTION: 3, OTHER: 0.5 };
/** hazards found per service: [count, weight] */
const FINDS: Record<string, [number, number][]> = {
  HAZARD_INVESTIGATION: [[0, 60], [1, 30], [2, 7], [3, 3]],
  RISK_ASSESSMENT: [[0, 60], [1, 30], [2, 10]],
  EMERGENCY_DRILL: [[0, 85], [1, 15]],
};
const SITES: Partial<Record<Sector, string[]>> = {
  COAL_MINE: ["井下采掘工作面", "主通风机房", "调度室"], NON_COAL_MINE: ["采场", "炸药库", "破碎车间"],
  HAZARDOUS_CHEMICALS: ["生产装置区", "危化品仓库", "罐区"], CONSTRUCTION: ["施工现场", "项目部会议室"],
  ROAD_TRANSPORT: ["车队停车场", "驾驶员培训室"], WATER_TRANSPORT: ["码头", "船舶驾驶台"], FISHERY: ["渔港码头"],
};
const GENERAL_HAZARDS = [
  "安全出口被杂物堵塞", "消防器材过期未更换", "配电箱未可靠接地", "特种作业人员证书过期", "应急预案未按期演练",
  "安全警示标志缺失", "劳动防护用品佩戴不规范", "隐患排查记录不完整", "高处作业未系挂安全带", "有限空间作业未履行审批",
  "可燃气体报警器未定期检定", "员工三级安全教育记录缺失",
];
const MAJOR_HAZARDS: Partial<Record<Sector, string[]>> & { DEFAULT: string[] } = {
  DEFAULT: ["重大危险源未实施在线监控", "主要负责人未依法履行安全管理职责并造成重大隐患"],
  HAZARDOUS_CHEMICALS: ["涉及重点监管危险化工工艺的装置未实现自动化控制", "危化品储罐区未设置紧急切断装置"],
  COAL_MINE: ["矿井通风系统不完善、不可靠", "瓦斯抽采不达标组织生产"],
  CONSTRUCTION: ["深基坑支护未按方案施工存在坍塌风险", "起重机械安全装置失效"],
  METAL_SMELTING: ["熔融金属吊运未使用冶金起重机"],
  OTHER: ["粉尘爆炸危险场所除尘系统未采取防爆措施", "涉氨制冷车间未设置氨气泄漏报警"],
};

export interface PreventionSet { services: ServiceRow[]; hazards: HazardRow[]; funds: FundEntryRow[] }

export class PreventionFactory {
  readonly out: PreventionSet = { services: [], hazards: [], funds: [] };

  constructor(private rng: Rng, private counter: Counter) {}

  private ref(p: Pol, kind: "FW" | "YF", at: number): string {
    const year = cstYear(at);
    return `${p.insurer.code}-${kind}-${year}-${String(this.counter.take(`${kind}|${p.insurer.code}|${year}`)).padStart(6, "0")}`;
  }

  private fund(p: Pol, kind: "EXTRACTION" | "USE", category: string | null, fen: number, at: number, note: string): void {
    if (fen <= 0) return;
    this.out.funds.push({
      id: this.counter.take("fund_entries"), insurerUscc: p.insurer.uscc, entryRef: this.ref(p, "YF", at), policyId: p.id,
      kind, category, amount: yuan(fen), bookedAt: new Date(at), note, createdAt: new Date(at),
    });
  }

  /** Everything one policy has produced by the data cut-off. */
  policy(p: Pol): void {
    const r = this.rng;
    const from = Math.max(p.start, DATA_START);
    const to = Math.min(coverEnd(p), DATA_END);
    if (to <= from) return;
    const elapsed = (to - p.start) / (p.end - p.start);
    const years = (p.end - p.start) / (365 * DAY);

    // extraction: once at the start, or quarterly for the insurers that book it that way
    const total = fundFen(p);
    const parts = p.insurer.quarterly ? 4 : 1;
    const pct = `${p.fundBp / 100}%`;
    for (let q = 0; q < parts; q++) {
      const at = addMonths(p.start, 3 * q) + 9 * HOUR;
      if (at > to) break;
      const fen = q < parts - 1 ? Math.floor(total / parts) : total - Math.floor(total / parts) * (parts - 1);
      this.fund(p, "EXTRACTION", null, fen, at, parts === 1 ? `按保费${pct}提取事故预防费用` : `按保费${pct}分季提取事故预防费用（第${q + 1}期）`);
    }

    // services: the plan's due share so far, fewer for the policies deliberately behind it
    const spend = p.insurer.spend[0] + (p.insurer.spend[1] - p.insurer.spend[0]) * r.next();
    const budget = Math.floor(total * elapsed * (r.chance(0.03) ? 1.1 + 0.3 * r.next() : spend));
    const jobs: { kind: string; ent: Ent; at: number }[] = [];
    for (const { ent } of p.members) {
      const items: [string, number][] = [...p.plan];
      if (r.chance(0.1)) items.push([r.pick(["TECH_PROMOTION", "OTHER"]), 1]);
      for (const [kind, freq] of items) {
        let n = Math.floor(freq * years * elapsed + r.next());
        if (p.behind) n = Math.floor(n * (0.3 + 0.3 * r.next()));
        for (let k = 0; k < n; k++) {
          const t = from + ((k + 0.2 + 0.6 * r.next()) / n) * (to - from);
          jobs.push({ kind, ent, at: Math.min(midnight(t) + r.int(9, 16) * HOUR + r.int(0, 59) * 60_000, to - HOUR) });
        }
      }
    }
    jobs.sort((a, b) => a.at - b.at);
    const equipment = r.chance(0.1) ? Math.floor(budget * 0.2) : 0;
    const weights = jobs.reduce((s, j) => s + COST_WEIGHT[j.kind], 0);
    for (const job of jobs) this.service(p, job.ent, job.kind, job.at, weights ? Math.floor(((budget - equipment) * COST_WEIGHT[job.kind]) / weights) : 0);
    if (equipment) this.fund(p, "USE", "EQUIPMENT", equipment, Math.min(from + Math.floor((to - from) * r.next()), to), "为企业配置可燃气体报警及视频监控设备");
  }

  private service(p: Pol, ent: Ent, kind: string, at: number, costFen: number): void {
    const r = this.rng;
    const id = this.counter.take("prevention_services");
    const ref = this.ref(p, "FW", at);
    const byOrg = p.serviceOrg !== null && r.chance(0.75);
    this.out.services.push({
      id, insurerUscc: p.insurer.uscc, serviceRef: ref, policyId: p.id, enterpriseUscc: ent.row.uscc,
      serviceOrgUscc: byOrg ? p.serviceOrg!.uscc : null, kind, performedAt: new Date(at),
      place: `${ent.row.name}${r.pick(SITES[ent.row.sector] ?? ["生产车间", "会议室"])}`,
      staff: Array.from({ length: r.int(1, 3) }, () => personName(r)),
      cost: yuan(costFen),
      // the enterprise signs off later; the most recent ones often not yet
      confirmedByEnterprise: r.chance(DATA_END - at < 20 * DAY ? 0.5 : 0.88),
      createdAt: new Date(Math.min(at + r.int(0, 3) * DAY, DATA_END)),
    });
    this.fund(p, "USE", kind, costFen, Math.min(at + r.int(0, 10) * DAY, DATA_END), `事故预防服务 ${ref}`);
    const n = FINDS[kind] ? r.weighted(FINDS[kind]) : 0;
    for (let seq = 1; seq <= n; seq++) this.hazard(id, p, ent, at, seq);
  }

  /** OVERDUE is not stored: it is an OPEN hazard past its deadline as of today. */
  hazard(serviceId: number, p: Pol, ent: Ent, foundAt: number, seq: number, severity?: "GENERAL" | "MAJOR"): void {
    const r = this.rng;
    const risky = ["HAZARDOUS_CHEMICALS", "COAL_MINE", "NON_COAL_MINE"].includes(ent.row.sector);
    severity ??= r.chance(risky ? 0.1 : 0.05) ? "MAJOR" : "GENERAL";
    const notice = midnight(foundAt);
    const deadline = addDays(notice, r.int(15, 60));
    let status = "OPEN";
    let rectifiedAt: number | null = null;
    if (r.chance(severity === "MAJOR" ? 0.1 : 0.03)) status = "REFUSED";
    else if (r.chance(deadline < TODAY ? (severity === "MAJOR" ? 0.8 : 0.92) : 0.5)) {
      const at = notice + r.int(2, (deadline - notice) / DAY + 10) * DAY + r.int(9, 17) * HOUR;
      if (at <= DATA_END) (status = "RECTIFIED"), (rectifiedAt = at);
    }
    const list = severity === "MAJOR" ? MAJOR_HAZARDS[ent.row.sector] ?? MAJOR_HAZARDS.DEFAULT : GENERAL_HAZARDS;
    this.out.hazards.push({
      id: this.counter.take("hazards"), serviceId, policyId: p.id, enterpriseUscc: ent.row.uscc, seq,
      description: r.pick(list), severity, noticeDate: cstDate(notice), deadline: cstDate(deadline), status,
      rectifiedAt: rectifiedAt === null ? null : new Date(rectifiedAt), createdAt: new Date(Math.min(foundAt + DAY, DATA_END)),
    });
  }
}

/** DEMO.enterprise always shows a rectified hazard and an overdue major one. */
export function showcaseHazards(pf: PreventionFactory, p: Pol, ent: Ent): void {
  const svc = pf.out.services.find((s) => s.policyId === p.id && s.kind === "HAZARD_INVESTIGATION" && s.performedAt.getTime() < TODAY - 90 * DAY);
  if (!svc) throw new Error("the showcase policy has no hazard investigation");
  const seq = pf.out.hazards.filter((h) => h.serviceId === svc.id).length;
  const before = pf.out.hazards.length;
  pf.hazard(svc.id, p, ent, svc.performedAt.getTime(), seq + 1, "MAJOR");
  pf.hazard(svc.id, p, ent, svc.performedAt.getTime(), seq + 2, "GENERAL");
  const [major, general] = pf.out.hazards.slice(before);
  Object.assign(major, { status: "OPEN", rectifiedAt: null, description: "涉及重点监管危险化工工艺的装置未实现自动化控制" });
  Object.assign(general, { status: "RECTIFIED", rectifiedAt: new Date(svc.performedAt.getTime() + 7 * DAY) });
}
