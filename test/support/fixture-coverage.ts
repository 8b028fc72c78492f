import type { Db } from "../../src/db/client.js";
import { agencies, agencySectors, enterprises, policies, policyCoinsurers, policyEnterprises, preventionServices, regions } from "../../schema/index.js";
import { F, uscc } from "./fixture.js";

/**
 * Hand-made rows for the coverage tests, on top of fixture.ts, written straight to the tables so
 * that every figure follows from this file alone. All instants are China Standard Time.
 *
 * AS_OF = 2026-05-15 12:00 (Q2 2026: the service window is 2026-04-01 00:00 … AS_OF).
 *
 * | enterprise           | region | sector        | empl | status    | cover at AS_OF                                           | service in window |
 * |----------------------|--------|---------------|------|-----------|----------------------------------------------------------|-------------------|
 * | F.chemicals          | 500112 | HAZ. CHEM.    | 100  | OPERATING | CV-1 2026, headcount 80                       → insured  | 04-10 ✓           |
 * | F.construction       | 500112 | CONSTRUCTION  | 40   | OPERATING | CV-2 2025-05-01…2026-05-01 expired            → LAPSED   |                   |
 * | F.closed             | 500112 | HAZ. CHEM.    | 10   | CLOSED    | exempt                                                   |                   |
 * | C.cancelled          | 500112 | HAZ. CHEM.    | 50   | OPERATING | CV-3 2026, cancelled 2026-03-01               → CANCELLED|                   |
 * | C.neverBlacklisted   | 500101 | HAZ. CHEM.    | 20   | OPERATING | none, blacklisted                        → NEVER_INSURED |                   |
 * | C.parkMember         | 500101 | CONSTRUCTION  | 60   | OPERATING | CV-4 2026 group policy (B lead 70 %, A 30 %), headcount 100 → insured | 03-31 23:59:59 ✗ (Q1) |
 * | C.notMandatory       | 500101 | OTHER         | 15   | OPERATING | not mandatory in Chongqing                               |                   |
 * | C.suspended          | 500112 | HAZ. CHEM.    | 30   | SUSPENDED | exempt                                                   |                   |
 * | C.futurePolicy       | 500112 | HAZ. CHEM.    | 10   | OPERATING | CV-5 starts 2026-06-01                   → NEVER_INSURED |                   |
 * | C.cancelledLater     | 500112 | CONSTRUCTION  | 25   | OPERATING | CV-6 2026, cancelled 2026-06-01 (after AS_OF), headcount 20 → insured | 04-01 00:00 ✓; 05-15 13:00 ✗ (after AS_OF) |
 * | F.xiamenChem         | 350203 | HAZ. CHEM.    | 30   | OPERATING | none                                                     |                   |
 * | C.yueqingSpray       | 330382 | OTHER + 喷涂  | 12   | OPERATING | CV-7 2026, headcount 12 → insured (mandatory by tag)     | 04-20 ✓           |
 * | C.yueqingPlain       | 330382 | OTHER         | 5    | OPERATING | not mandatory                                            |                   |
 * | C.publicLookup       | 500112 | OTHER         | 10   | OPERATING | relative to the real now (insuranceStatus): see below   |                   |
 *
 * C.publicLookup's policies, relative to the moment the fixture loads: PUB-NOW (A lead 60 %, B 40 %,
 * now−30 d … now+335 d), PUB-SHORT (B alone, now−10 d … now+20 d), PUB-OLD (expired), PUB-CANCELLED
 * (cancelled yesterday). Its sector is not mandatory, so it never enters a coverage figure.
 */
export const AS_OF = "2026-05-15T12:00:00+08:00";

export const C = {
  cancelled: uscc("500112", 11),
  neverBlacklisted: uscc("500101", 1),
  parkMember: uscc("500101", 2),
  notMandatory: uscc("500101", 3),
  suspended: uscc("500112", 12),
  futurePolicy: uscc("500112", 13),
  cancelledLater: uscc("500112", 14),
  publicLookup: uscc("500112", 21),
  yueqingSpray: uscc("330382", 1),
  yueqingPlain: uscc("330382", 2),
};

const at = (s: string) => new Date(s);
const Y2026 = { startAt: at("2026-01-01T00:00:00+08:00"), endAt: at("2027-01-01T00:00:00+08:00") };
const DAY = 86_400_000;

export async function loadCoverageFixture(db: Db): Promise<void> {
  await db.insert(regions).values([
    { code: "500101", name: "万州区", parentCode: "500000", level: 3 },
    { code: "330000", name: "浙江省", parentCode: null, level: 1 },
    { code: "330300", name: "温州市", parentCode: "330000", level: 2 },
    { code: "330382", name: "乐清市", parentCode: "330300", level: 3 },
  ]);
  await db.insert(agencies).values([
    { id: "500000-FINANCIAL_REGULATOR", regionCode: "500000", kind: "FINANCIAL_REGULATOR", name: "国家金融监督管理总局重庆监管局" },
    { id: "500101-EMERGENCY", regionCode: "500101", kind: "EMERGENCY", name: "万州区应急管理局" },
    { id: "330382-COMMITTEE_OFFICE", regionCode: "330382", kind: "COMMITTEE_OFFICE", name: "乐清市安委会办公室" },
  ]);
  await db.insert(agencySectors).values([{ agencyId: "500101-EMERGENCY", sector: "HAZARDOUS_CHEMICALS" }]);

  const e = (u: string, regionCode: string, sector: string, industryCode: string, employeeCount: number, extra: Partial<typeof enterprises.$inferInsert> = {}) => ({
    uscc: u, name: `企业${u.slice(-4)}`, regionCode, sector, industryCode, employeeCount, ...extra,
  });
  await db.insert(enterprises).values([
    e(C.cancelled, "500112", "HAZARDOUS_CHEMICALS", "C2614", 50),
    e(C.neverBlacklisted, "500101", "HAZARDOUS_CHEMICALS", "C2614", 20, { blacklisted: true }),
    e(C.parkMember, "500101", "CONSTRUCTION", "E4710", 60),
    e(C.notMandatory, "500101", "OTHER", "C1810", 15),
    e(C.suspended, "500112", "HAZARDOUS_CHEMICALS", "C2614", 30, { status: "SUSPENDED" }),
    e(C.futurePolicy, "500112", "HAZARDOUS_CHEMICALS", "C2614", 10),
    e(C.cancelledLater, "500112", "CONSTRUCTION", "E4710", 25),
    e(C.publicLookup, "500112", "OTHER", "C1810", 10),
    e(C.yueqingSpray, "330382", "OTHER", "C3360", 12, { riskTags: ["SPRAY_PAINTING"] }),
    e(C.yueqingPlain, "330382", "OTHER", "C1810", 5),
  ]);

  const now = Date.now();
  const rel = (days: number) => new Date(now + days * DAY);
  type P = { no: string; lead: string; co?: [string, string][]; insured: [string, number][]; startAt: Date; endAt: Date; cancelledAt?: Date; group?: boolean };
  const list: P[] = [
    { no: "CV-1", lead: F.insurerA, insured: [[F.chemicals, 80]], ...Y2026 },
    { no: "CV-2", lead: F.insurerA, insured: [[F.construction, 40]], startAt: at("2025-05-01T00:00:00+08:00"), endAt: at("2026-05-01T00:00:00+08:00") },
    { no: "CV-3", lead: F.insurerB, insured: [[C.cancelled, 50]], ...Y2026, cancelledAt: at("2026-03-01T00:00:00+08:00") },
    {
      no: "CV-4", lead: F.insurerB, co: [[F.insurerB, "0.7000"], [F.insurerA, "0.3000"]], insured: [[C.parkMember, 100]], ...Y2026, group: true,
    },
    { no: "CV-5", lead: F.insurerA, insured: [[C.futurePolicy, 10]], startAt: at("2026-06-01T00:00:00+08:00"), endAt: at("2027-06-01T00:00:00+08:00") },
    { no: "CV-6", lead: F.insurerA, insured: [[C.cancelledLater, 20]], ...Y2026, cancelledAt: at("2026-06-01T00:00:00+08:00") },
    { no: "CV-7", lead: F.insurerA, insured: [[C.yueqingSpray, 12]], ...Y2026 },
    { no: "PUB-NOW", lead: F.insurerA, co: [[F.insurerA, "0.6000"], [F.insurerB, "0.4000"]], insured: [[C.publicLookup, 10]], startAt: rel(-30), endAt: rel(335) },
    { no: "PUB-SHORT", lead: F.insurerB, insured: [[C.publicLookup, 10]], startAt: rel(-10), endAt: rel(20) },
    { no: "PUB-OLD", lead: F.insurerSuspended, insured: [[C.publicLookup, 10]], startAt: rel(-400), endAt: rel(-35) },
    { no: "PUB-CANCELLED", lead: F.insurerSuspended, insured: [[C.publicLookup, 10]], startAt: rel(-100), endAt: rel(265), cancelledAt: rel(-1) },
  ];
  const ids = new Map<string, number>();
  for (const p of list) {
    const [row] = await db
      .insert(policies)
      .values({
        insurerUscc: p.lead, policyNo: p.no, startAt: p.startAt, endAt: p.endAt, cancelledAt: p.cancelledAt ?? null,
        cancelReason: p.cancelledAt ? "投保人申请退保" : null, premium: "9999.00", preventionFundRatio: "0.2000",
        insuredHeadcount: p.insured.reduce((s, [, n]) => s + n, 0), deathLimitPerPerson: "500000.00", isGroupPolicy: p.group ?? false,
      })
      .returning({ id: policies.id });
    ids.set(p.no, row.id);
    await db.insert(policyEnterprises).values(p.insured.map(([u, n]) => ({ policyId: row.id, enterpriseUscc: u, insuredHeadcount: n })));
    const co = p.co ?? [[p.lead, "1.0000"]];
    await db.insert(policyCoinsurers).values(co.map(([u, share]) => ({ policyId: row.id, insurerUscc: u, share, isLead: u === p.lead })));
  }

  const s = (ref: string, no: string, enterpriseUscc: string, performedAt: string) => ({
    insurerUscc: list.find((p) => p.no === no)!.lead, serviceRef: ref, policyId: ids.get(no)!, enterpriseUscc, kind: "RISK_ASSESSMENT", performedAt: at(performedAt),
  });
  await db.insert(preventionServices).values([
    s("SV-1", "CV-1", F.chemicals, "2026-04-10T10:00:00+08:00"),
    s("SV-2", "CV-4", C.parkMember, "2026-03-31T23:59:59+08:00"), // Q1: outside the Q2 window
    s("SV-3", "CV-6", C.cancelledLater, "2026-04-01T00:00:00+08:00"), // the window's first instant
    s("SV-4", "CV-6", C.cancelledLater, "2026-05-15T13:00:00+08:00"), // after AS_OF
    s("SV-5", "CV-7", C.yueqingSpray, "2026-04-20T09:00:00+08:00"),
  ]);
}
