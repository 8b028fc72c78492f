import type { Db } from "../../src/db/client.js";
import {
  agencies, claimPayments, claims, complianceFindings, enterprises, fundEntries, hazards, policies, policyCoinsurers, policyEnterprises, policyServicePlans,
  preventionServices, regions,
} from "../../schema/index.js";
import { F, uscc } from "./fixture.js";

/**
 * The insurer-assessment fixture, on top of fixture.ts. Quarter under test: 2026 Q1 =
 * [2026-01-01 00:00 +08:00, 2026-04-01 00:00 +08:00), 90 days; year under test 2026 (and 2025).
 * Insurers: A = F.insurerA, B = F.insurerB, C = F.insurerSuspended.
 *
 * Enterprises: chemicals (500112, HAZARDOUS_CHEMICALS), construction (500112, CONSTRUCTION),
 * xiamenChem (350203, HAZARDOUS_CHEMICALS), ★ road (500113, ROAD_TRANSPORT, added here).
 * Prevention floors: Chongqing 0.10 (渝府办发〔2017〕182号 二(九)), Xiamen 0.20 (厦应急规〔2022〕2号 二(七)).
 *
 * Policy  insurers (share)   insures (headcount)               period [start, end)               premium   plan (per year)
 *   A1    A 1.0              chemicals 100                      2026-01-01 → 2027-01-01 (365 d)    10000.00  RA 4, TRAINING 2
 *   A2    A 0.6 lead, B 0.4  construction 40 + road 60 (group)  2026-02-01 → 2027-02-01 (365 d)    20000.00  HAZARD_INVESTIGATION 12
 *   A3    A 1.0              chemicals 100                      2025-01-01 → 2026-01-01            3650.00  RA 1  (ends AT Q1 start)
 *   A4    A 1.0              construction 40                    2025-10-01 → 2026-10-01 (365 d),   3650.00  TRAINING 6
 *                                                               cancelled 2026-02-15
 *   B1    B 1.0              xiamenChem 30                      2026-03-01 → 2027-03-01             8000.00  —
 *   B2    B 1.0              road 60                            2025-07-01 → 2026-07-01 (365 d)     7300.00  RA 2
 *   C1    C 1.0              chemicals 100                      2026-03-15 → 2027-03-15,            1000.00  RA 1  (void)
 *                                                               cancelled 2026-03-15
 *   C2    C 1.0              construction 40                    2025-06-01 → 2026-06-01 (365 d)     1000.00  —
 */
export const Z = {
  road: uscc("500113", 7),
};

const cst = (s: string) => new Date(s.includes("T") ? `${s}+08:00` : `${s}T00:00:00+08:00`);
export const pid: Record<string, number> = {};
const cid: Record<string, number> = {};
const sid: Record<string, number> = {};

async function policy(db: Db, no: string, shares: [string, string][], insured: [string, number][], start: string, end: string, premium: string, plan: [string, number][] = [], cancelledAt?: string) {
  const [row] = await db
    .insert(policies)
    .values({
      insurerUscc: shares[0][0],
      policyNo: no,
      startAt: cst(start),
      endAt: cst(end),
      cancelledAt: cancelledAt ? cst(cancelledAt) : null,
      cancelReason: cancelledAt ? "投保人申请退保" : null,
      premium,
      preventionFundRatio: "0.1500",
      insuredHeadcount: insured.reduce((n, [, h]) => n + h, 0),
      deathLimitPerPerson: "500000.00",
      isGroupPolicy: insured.length > 1,
    })
    .returning({ id: policies.id });
  pid[no] = row.id;
  await db.insert(policyEnterprises).values(insured.map(([u, h]) => ({ policyId: row.id, enterpriseUscc: u, insuredHeadcount: h })));
  await db.insert(policyCoinsurers).values(shares.map(([i, share], n) => ({ policyId: row.id, insurerUscc: i, share, isLead: n === 0 })));
  if (plan.length) await db.insert(policyServicePlans).values(plan.map(([kind, yearlyFrequency]) => ({ policyId: row.id, kind, yearlyFrequency })));
}

async function claim(
  db: Db, insurer: string, ref: string, policyNo: string, enterprise: string, reportedAt: string,
  end: { settledAt?: string; amount?: string; rejectedAt?: string; status?: string; reserve?: string } = {},
) {
  const status = end.status ?? (end.settledAt ? "SETTLED" : end.rejectedAt ? "REJECTED" : "REPORTED");
  const [row] = await db
    .insert(claims)
    .values({
      insurerUscc: insurer, claimRef: ref, policyId: pid[policyNo], enterpriseUscc: enterprise, status,
      reportedAt: cst(reportedAt),
      settledAt: end.settledAt ? cst(end.settledAt) : null,
      settledAmount: end.amount ?? null,
      rejectedAt: end.rejectedAt ? cst(end.rejectedAt) : null,
      rejectionReason: end.rejectedAt ? "不属于保险责任" : null,
      reserve: end.reserve ?? "0",
    })
    .returning({ id: claims.id });
  cid[ref] = row.id;
}

const pay = (insurer: string, ref: string, claimRef: string, kind: string, amount: string, paidAt: string) => ({
  claimId: cid[claimRef], insurerUscc: insurer, paymentRef: ref, kind, amount, paidAt: cst(paidAt),
});

const fund = (insurer: string, ref: string, policyNo: string | null, kind: "EXTRACTION" | "USE", amount: string, bookedAt: string, category: string | null = null) => ({
  insurerUscc: insurer, entryRef: ref, policyId: policyNo ? pid[policyNo] : null, kind, category, amount, bookedAt: cst(bookedAt),
});

async function service(db: Db, insurer: string, ref: string, policyNo: string, enterprise: string, kind: string, performedAt: string) {
  const [row] = await db
    .insert(preventionServices)
    .values({ insurerUscc: insurer, serviceRef: ref, policyId: pid[policyNo], enterpriseUscc: enterprise, kind, performedAt: cst(performedAt) })
    .returning({ id: preventionServices.id });
  sid[ref] = row.id;
}

const hazard = (serviceRef: string, policyNo: string, enterprise: string, seq: number, severity: "GENERAL" | "MAJOR", noticeDate: string, rectifiedAt?: string) => ({
  serviceId: sid[serviceRef], policyId: pid[policyNo], enterpriseUscc: enterprise, seq, description: `隐患${serviceRef}-${seq}`,
  severity, noticeDate, deadline: "2026-12-31", status: rectifiedAt ? "RECTIFIED" : "OPEN", rectifiedAt: rectifiedAt ? cst(rectifiedAt) : null,
});

const finding = (ruleCode: string, key: string, insurer: string | null, enterprise: string | null, status: "OPEN" | "RESOLVED" = "OPEN") => ({
  ruleCode, severity: "VIOLATION", message: `测试 ${ruleCode}`, source: "测试", subjectKind: "TEST", subjectKey: key,
  enterpriseUscc: enterprise, insurerUscc: insurer, policyId: null, status, resolvedAt: status === "RESOLVED" ? cst("2026-02-01") : null,
});

/** The 12 claims of A settled in Q1: days from report to settlement, ascending (p90 = the 11th). */
export const A_SETTLE_DAYS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15.5, 40];

export async function loadAssessmentFixture(db: Db): Promise<void> {
  const A = F.insurerA, B = F.insurerB, C = F.insurerSuspended;
  await db.insert(regions).values([
    { code: "500113", name: "巴南区", parentCode: "500000", level: 3 },
    { code: "410000", name: "河南省", parentCode: null, level: 1 },
  ]);
  await db.insert(agencies).values([
    { id: "500000-FINANCIAL_REGULATOR", regionCode: "500000", kind: "FINANCIAL_REGULATOR", name: "国家金融监督管理总局重庆监管局" },
    { id: "350200-FINANCIAL_REGULATOR", regionCode: "350200", kind: "FINANCIAL_REGULATOR", name: "国家金融监督管理总局厦门监管分局" },
    { id: "410000-COMMITTEE_OFFICE", regionCode: "410000", kind: "COMMITTEE_OFFICE", name: "河南省安委会办公室" },
  ]);
  await db.insert(enterprises).values([{ uscc: Z.road, name: "巴南运输公司", regionCode: "500113", sector: "ROAD_TRANSPORT", industryCode: "G5411", employeeCount: 60 }]);

  await policy(db, "A1", [[A, "1.0000"]], [[F.chemicals, 100]], "2026-01-01", "2027-01-01", "10000.00", [["RISK_ASSESSMENT", 4], ["TRAINING", 2]]);
  await policy(db, "A2", [[A, "0.6000"], [B, "0.4000"]], [[F.construction, 40], [Z.road, 60]], "2026-02-01", "2027-02-01", "20000.00", [["HAZARD_INVESTIGATION", 12]]);
  await policy(db, "A3", [[A, "1.0000"]], [[F.chemicals, 100]], "2025-01-01", "2026-01-01", "3650.00", [["RISK_ASSESSMENT", 1]]);
  await policy(db, "A4", [[A, "1.0000"]], [[F.construction, 40]], "2025-10-01", "2026-10-01", "3650.00", [["TRAINING", 6]], "2026-02-15");
  await policy(db, "B1", [[B, "1.0000"]], [[F.xiamenChem, 30]], "2026-03-01", "2027-03-01", "8000.00");
  await policy(db, "B2", [[B, "1.0000"]], [[Z.road, 60]], "2025-07-01", "2026-07-01", "7300.00", [["RISK_ASSESSMENT", 2]]);
  await policy(db, "C1", [[C, "1.0000"]], [[F.chemicals, 100]], "2026-03-15", "2027-03-15", "1000.00", [["RISK_ASSESSMENT", 1]], "2026-03-15");
  await policy(db, "C2", [[C, "1.0000"]], [[F.construction, 40]], "2025-06-01", "2026-06-01", "1000.00");

  // claims of A at chemicals: twelve reported 01-05 10:00 and settled d days later (all inside Q1)
  for (const [i, d] of A_SETTLE_DAYS.entries()) {
    const settled = new Date(cst("2026-01-05T10:00:00").getTime() + d * 86_400_000);
    const settledAt = new Date(settled.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
    await claim(db, A, `AS${i + 1}`, "A1", F.chemicals, "2026-01-05T10:00:00", { settledAt, amount: i === 11 ? "10000.00" : "1000.00" });
  }
  await claim(db, A, "AR1", "A1", F.chemicals, "2026-03-31T23:59:59", { reserve: "5000.00" });
  await claim(db, A, "AREJ", "A1", F.chemicals, "2026-02-01", { rejectedAt: "2026-02-10", reserve: "800.00" });
  await claim(db, A, "ALATE", "A1", F.chemicals, "2026-03-20", { settledAt: "2026-04-01T00:00:00", amount: "5000.00" });
  await claim(db, A, "AX", "A3", F.chemicals, "2025-12-20", { settledAt: "2025-12-30", amount: "2000.00" });
  await claim(db, A, "AC1", "A2", F.construction, "2026-05-01", { status: "ASSESSED", reserve: "1200.00" });
  await claim(db, B, "BC1", "B2", Z.road, "2026-02-01", { settledAt: "2026-02-11", amount: "6000.00" });
  await claim(db, B, "BX1", "B1", F.xiamenChem, "2026-03-05", { reserve: "2000.00", status: "ADVANCE_PAID" });
  await db.insert(claimPayments).values([
    pay(A, "PA1", "AS1", "SETTLEMENT", "1000.00", "2026-01-06T10:00:00"),
    pay(A, "PA2", "AS12", "ADVANCE", "3000.00", "2026-01-10"),
    pay(A, "PA3", "AS12", "SETTLEMENT", "7000.00", "2026-02-14T10:00:00"),
    pay(A, "PA4", "ALATE", "EMERGENCY_ADVANCE", "500.00", "2026-03-31T23:59:59"),
    pay(A, "PA5", "ALATE", "SETTLEMENT", "4500.00", "2026-04-01T00:00:00"),
    pay(A, "PA6", "AX", "SETTLEMENT", "2000.00", "2025-12-30"),
    pay(B, "PB1", "BC1", "ADVANCE", "1000.00", "2026-02-03"),
    pay(B, "PB2", "BC1", "SETTLEMENT", "5000.00", "2026-02-11"),
  ]);

  // each insurer's prevention-fund ledger
  await db.insert(fundEntries).values([
    fund(A, "FA1", "A1", "EXTRACTION", "2000.00", "2026-01-10"),
    fund(A, "FA2", "A2", "EXTRACTION", "2400.00", "2026-02-05"),
    fund(A, "FA3", "A1", "USE", "300.00", "2026-03-01", "TRAINING"),
    fund(A, "FA4", "A2", "USE", "500.00", "2026-04-01T00:00:00", "HAZARD_INVESTIGATION"),
    fund(A, "FA5", null, "EXTRACTION", "999.00", "2026-02-01"),
    fund(B, "FB1", "A2", "EXTRACTION", "1600.00", "2026-02-05"),
    fund(B, "FB2", "B2", "USE", "100.00", "2026-03-10", "OTHER"),
  ]);

  // services and the hazards they found
  await service(db, A, "SA1", "A1", F.chemicals, "RISK_ASSESSMENT", "2026-01-01T00:00:00");
  await service(db, A, "SA2", "A1", F.chemicals, "TRAINING", "2026-02-01");
  await service(db, A, "SA3", "A2", F.construction, "HAZARD_INVESTIGATION", "2026-02-10");
  await service(db, A, "SA4", "A2", Z.road, "HAZARD_INVESTIGATION", "2026-03-31T23:59:59");
  await service(db, A, "SA5", "A2", Z.road, "HAZARD_INVESTIGATION", "2026-04-01T00:00:00");
  await service(db, A, "SA6", "A3", F.chemicals, "RISK_ASSESSMENT", "2025-12-31T23:59:59");
  await service(db, B, "SB1", "B2", Z.road, "OTHER", "2026-03-01");
  await db.insert(hazards).values([
    hazard("SA1", "A1", F.chemicals, 1, "GENERAL", "2026-01-01", "2026-01-15"),
    hazard("SA1", "A1", F.chemicals, 2, "MAJOR", "2026-01-02", "2026-04-01T00:00:00"),
    hazard("SA3", "A2", F.construction, 1, "MAJOR", "2026-02-10"),
    hazard("SA6", "A3", F.chemicals, 1, "GENERAL", "2025-12-31"),
    hazard("SA4", "A2", Z.road, 1, "GENERAL", "2026-03-31", "2026-03-31T12:00:00"),
    hazard("SB1", "B2", Z.road, 1, "GENERAL", "2026-03-01", "2026-03-05"),
  ]);

  await db.insert(complianceFindings).values([
    finding("PREVENTION_RATIO_BELOW_FLOOR", "A-1", A, F.chemicals),
    finding("SERVICES_BEHIND_PLAN", "A-2", A, F.construction),
    finding("SERVICES_BEHIND_PLAN", "A-3", A, F.construction),
    finding("DEATH_LIMIT_BELOW_MIN", "A-4", A, F.chemicals, "RESOLVED"),
    finding("COMMISSION_ABOVE_MAX", "A-5", A, F.xiamenChem),
    finding("TEST_NO_ENTERPRISE", "A-6", A, null),
    finding("MAJOR_HAZARD_OVERDUE", "B-1", B, Z.road),
    finding("INSURER_NOT_QUALIFIED", "C-1", C, F.construction),
    finding("LAPSED", "E-1", null, F.chemicals),
  ]);
}
