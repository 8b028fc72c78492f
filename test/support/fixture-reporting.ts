import type { Db } from "../../src/db/client.js";
import {
  accidents, agencies, agencySectors, claimPayments, claims, enterprises, fundEntries, hazards, policies, policyCoinsurers, policyEnterprises,
  preventionServices, regions,
} from "../../schema/index.js";
import { F, uscc } from "./fixture.js";

/**
 * The quarterly-report fixture, on top of fixture.ts. Quarter under test: 2026 Q1 =
 * [2026-01-01 00:00 +08:00, 2026-04-01 00:00 +08:00). Rows sit on both sides of both boundaries;
 * the test works out every figure from this table by hand.
 *
 * Enterprises (★ = added here)                 region  sector               employees status
 *   chemicals                                  500112  HAZARDOUS_CHEMICALS  100       OPERATING
 *   construction                               500112  CONSTRUCTION          40       OPERATING
 *   closed                                     500112  HAZARDOUS_CHEMICALS   10       CLOSED
 *   xiamenChem                                 350203  HAZARDOUS_CHEMICALS   30       OPERATING
 * ★ chem2                                      500113  HAZARDOUS_CHEMICALS   50       OPERATING
 * ★ chem3                                      500113  HAZARDOUS_CHEMICALS   20       OPERATING
 * ★ suspended                                  500112  HAZARDOUS_CHEMICALS   15       SUSPENDED
 * ★ otherSector                                500112  OTHER (not mandatory) 25       OPERATING
 * ★ constr2                                    500113  CONSTRUCTION          60       OPERATING
 *
 * Policies   insures (headcount)                  period [start, end)                          premium   note
 *   P1       chemicals (80)                       2025-07-01 → 2026-07-01                      12000.00
 *   P2       chem2 (50)                           2025-04-01 → 2026-04-01 (ends AT Q1 end)     5000.00  insured at Q1 end
 *   P3       chem3 (20)                           2026-04-01 → 2027-04-01 (starts AT Q1 end)   3000.00  not insured, not started in Q1
 *   P4       chem3 (20)                           2026-02-01 → 2027-02-01, cancelled 03-15     2400.00  started in Q1, not insured at end
 *   P5       chemicals (30) + construction (30)   2026-01-01 00:00 → 2027-01-01 (group)        6000.00  3000.00 each by headcount
 *   P6       suspended (15)                       2026-03-01 → 2027-03-01                      1000.00
 *   P7       xiamenChem (30)                      2026-02-01 → 2027-02-01                      9999.00  other region
 *   P8       constr2 (60)                         2026-03-31 23:59:59 → 2027-03-31 23:59:59    7777.00
 *   P9       otherSector (25)                     2025-12-31 23:59:59.999 → 2026-12-31          500.00  starts just before Q1
 *   P10      chem3 (20)                           2026-03-10 → 2027-03-10, cancelled 03-10      111.00  never in force
 */
export const R = {
  chem2: uscc("500113", 1),
  chem3: uscc("500113", 2),
  constr2: uscc("500113", 3),
  suspended: uscc("500112", 4),
  otherSector: uscc("500112", 5),
  // for the out-of-scope test only
  roadTransport: uscc("500112", 6),
};

export const at = (s: string) => new Date(s);
const cst = (s: string) => at(s.includes("T") ? `${s}+08:00` : `${s}T00:00:00+08:00`);

export const ids: { policy: Record<string, number>; claim: Record<string, number>; service: Record<string, number> } = { policy: {}, claim: {}, service: {} };

async function policy(db: Db, no: string, insured: [string, number][], start: string, end: string, premium: string, cancelledAt?: string, insurer = F.insurerA) {
  const [row] = await db
    .insert(policies)
    .values({
      insurerUscc: insurer,
      policyNo: no,
      startAt: cst(start),
      endAt: cst(end),
      cancelledAt: cancelledAt ? cst(cancelledAt) : null,
      cancelReason: cancelledAt ? "投保人申请退保" : null,
      premium,
      preventionFundRatio: "0.2000",
      insuredHeadcount: insured.reduce((n, [, h]) => n + h, 0),
      deathLimitPerPerson: "500000.00",
      isGroupPolicy: insured.length > 1,
    })
    .returning({ id: policies.id });
  await db.insert(policyEnterprises).values(insured.map(([u, h]) => ({ policyId: row.id, enterpriseUscc: u, insuredHeadcount: h })));
  await db.insert(policyCoinsurers).values({ policyId: row.id, insurerUscc: insurer, share: "1.0000", isLead: true });
  ids.policy[no] = row.id;
  return row.id;
}

async function claim(db: Db, ref: string, policyNo: string, enterprise: string, reportedAt: string, end?: { settledAt?: string; amount?: string; rejectedAt?: string }) {
  const status = end?.settledAt ? "SETTLED" : end?.rejectedAt ? "REJECTED" : "REPORTED";
  const [row] = await db
    .insert(claims)
    .values({
      insurerUscc: F.insurerA,
      claimRef: ref,
      policyId: ids.policy[policyNo],
      enterpriseUscc: enterprise,
      status,
      reportedAt: cst(reportedAt),
      settledAt: end?.settledAt ? cst(end.settledAt) : null,
      settledAmount: end?.amount ?? null,
      rejectedAt: end?.rejectedAt ? cst(end.rejectedAt) : null,
      rejectionReason: end?.rejectedAt ? "不属于保险责任" : null,
    })
    .returning({ id: claims.id });
  ids.claim[ref] = row.id;
}

const payment = (ref: string, claimRef: string, kind: string, amount: string, paidAt: string) => ({
  claimId: ids.claim[claimRef], insurerUscc: F.insurerA, paymentRef: ref, kind, amount, paidAt: cst(paidAt),
});

const fund = (ref: string, policyNo: string | null, kind: "EXTRACTION" | "USE", amount: string, bookedAt: string, category: string | null = null) => ({
  insurerUscc: F.insurerA, entryRef: ref, policyId: policyNo ? ids.policy[policyNo] : null, kind, category, amount, bookedAt: cst(bookedAt),
});

async function service(db: Db, ref: string, policyNo: string, enterprise: string, kind: string, performedAt: string) {
  const [row] = await db
    .insert(preventionServices)
    .values({ insurerUscc: F.insurerA, serviceRef: ref, policyId: ids.policy[policyNo], enterpriseUscc: enterprise, kind, performedAt: cst(performedAt) })
    .returning({ id: preventionServices.id });
  ids.service[ref] = row.id;
}

const hazard = (serviceRef: string, policyNo: string, enterprise: string, seq: number, severity: "GENERAL" | "MAJOR", noticeDate: string, deadline: string, rectifiedAt?: string) => ({
  serviceId: ids.service[serviceRef], policyId: ids.policy[policyNo], enterpriseUscc: enterprise, seq, description: `隐患${serviceRef}-${seq}`,
  severity, noticeDate, deadline, status: rectifiedAt ? "RECTIFIED" : "OPEN", rectifiedAt: rectifiedAt ? cst(rectifiedAt) : null,
});

const ent = (u: string, regionCode: string, sector: string, industryCode: string, employeeCount: number, status = "OPERATING") => ({
  uscc: u, name: `企业${u.slice(-4)}`, regionCode, sector, industryCode, employeeCount, status,
});

export async function loadReportingFixture(db: Db): Promise<void> {
  await db.insert(regions).values([{ code: "500113", name: "巴南区", parentCode: "500000", level: 3 }]);
  await db.insert(agencies).values([
    { id: "500000-FINANCIAL_REGULATOR", regionCode: "500000", kind: "FINANCIAL_REGULATOR", name: "国家金融监督管理总局重庆监管局" },
    { id: "500000-TRANSPORT", regionCode: "500000", kind: "TRANSPORT", name: "重庆市交通运输委员会" },
    { id: "500112-EMERGENCY", regionCode: "500112", kind: "EMERGENCY", name: "渝北区应急管理局" },
    { id: "350200-COMMITTEE_OFFICE", regionCode: "350200", kind: "COMMITTEE_OFFICE", name: "厦门市安委会办公室" },
  ]);
  await db.insert(agencySectors).values([
    { agencyId: "500000-TRANSPORT", sector: "ROAD_TRANSPORT" },
    { agencyId: "500112-EMERGENCY", sector: "HAZARDOUS_CHEMICALS" },
  ]);
  await db.insert(enterprises).values([
    ent(R.chem2, "500113", "HAZARDOUS_CHEMICALS", "C2614", 50),
    ent(R.chem3, "500113", "HAZARDOUS_CHEMICALS", "C2614", 20),
    ent(R.constr2, "500113", "CONSTRUCTION", "E4710", 60),
    ent(R.suspended, "500112", "HAZARDOUS_CHEMICALS", "C2614", 15, "SUSPENDED"),
    ent(R.otherSector, "500112", "OTHER", "C1311", 25),
  ]);

  await policy(db, "P1", [[F.chemicals, 80]], "2025-07-01", "2026-07-01", "12000.00");
  await policy(db, "P2", [[R.chem2, 50]], "2025-04-01", "2026-04-01", "5000.00");
  await policy(db, "P3", [[R.chem3, 20]], "2026-04-01", "2027-04-01", "3000.00");
  await policy(db, "P4", [[R.chem3, 20]], "2026-02-01", "2027-02-01", "2400.00", "2026-03-15");
  await policy(db, "P5", [[F.chemicals, 30], [F.construction, 30]], "2026-01-01", "2027-01-01", "6000.00");
  await policy(db, "P6", [[R.suspended, 15]], "2026-03-01", "2027-03-01", "1000.00");
  await policy(db, "P7", [[F.xiamenChem, 30]], "2026-02-01", "2027-02-01", "9999.00");
  await policy(db, "P8", [[R.constr2, 60]], "2026-03-31T23:59:59", "2027-03-31T23:59:59", "7777.00");
  await policy(db, "P9", [[R.otherSector, 25]], "2025-12-31T23:59:59.999", "2026-12-31", "500.00");
  await policy(db, "P10", [[R.chem3, 20]], "2026-03-10", "2027-03-10", "111.00", "2026-03-10");

  // accidents: A1 and A2 on the inside of each boundary, A3 and A4 just outside
  await db.insert(accidents).values([
    { enterpriseUscc: F.chemicals, occurredAt: cst("2026-01-01T00:00:00"), deaths: 1, seriousInjuries: 2, directLoss: "150000.00", grade: "GENERAL" },
    { enterpriseUscc: R.chem2, occurredAt: cst("2026-03-31T23:59:59"), deaths: 3, seriousInjuries: 0, directLoss: "2000000.00", grade: "LARGER" },
    { enterpriseUscc: F.chemicals, occurredAt: cst("2025-12-31T23:59:59"), deaths: 5, seriousInjuries: 0, directLoss: "0", grade: "LARGER" },
    { enterpriseUscc: F.chemicals, occurredAt: cst("2026-04-01T00:00:00"), deaths: 1, seriousInjuries: 0, directLoss: "0", grade: "GENERAL" },
    { enterpriseUscc: F.construction, occurredAt: cst("2026-02-10"), deaths: 2, seriousInjuries: 0, directLoss: "50000.00", grade: "GENERAL" },
    { enterpriseUscc: F.xiamenChem, occurredAt: cst("2026-02-10"), deaths: 10, seriousInjuries: 0, directLoss: "0", grade: "MAJOR" },
  ]);

  // claims
  await claim(db, "C1", "P1", F.chemicals, "2026-01-05T10:00:00", { settledAt: "2026-03-06T10:00:00", amount: "50000.00" }); // 60 days
  await claim(db, "C2", "P2", R.chem2, "2025-12-20T09:00:00", { settledAt: "2026-01-04T21:00:00", amount: "8000.00" }); // 15.5 days
  await claim(db, "C3", "P5", F.chemicals, "2026-03-31T23:59:59");
  await claim(db, "C4", "P1", F.chemicals, "2026-02-01", { settledAt: "2026-04-01T00:00:00", amount: "10000.00" });
  await claim(db, "C5", "P5", F.construction, "2026-02-15", { settledAt: "2026-03-01", amount: "9000.00" }); // 14 days
  await claim(db, "C6", "P7", F.xiamenChem, "2026-02-01");
  await claim(db, "C7", "P1", F.chemicals, "2026-01-10", { rejectedAt: "2026-02-01" });
  await claim(db, "C8", "P2", R.chem2, "2026-04-01T00:00:00");
  await db.insert(claimPayments).values([
    payment("PM1", "C1", "ADVANCE", "10000.00", "2026-01-20"),
    payment("PM2", "C1", "SETTLEMENT", "40000.00", "2026-03-06T10:00:00"),
    payment("PM3", "C2", "EMERGENCY_ADVANCE", "2000.00", "2025-12-25"),
    payment("PM4", "C2", "SETTLEMENT", "6000.00", "2026-01-04T21:00:00"),
    payment("PM5", "C4", "SMALL_FAST", "3000.00", "2026-03-31T23:59:59"),
    payment("PM6", "C4", "SETTLEMENT", "7000.00", "2026-04-01T00:00:00"),
    payment("PM7", "C5", "SETTLEMENT", "9000.00", "2026-03-01"),
    payment("PM8", "C6", "ADVANCE", "1234.00", "2026-02-05"),
  ]);

  // prevention-fund ledger
  await db.insert(fundEntries).values([
    fund("F1", "P1", "EXTRACTION", "2400.00", "2026-01-01T00:00:00"),
    fund("F2", "P1", "USE", "500.00", "2026-02-10", "TRAINING"),
    fund("F3", "P5", "USE", "300.00", "2026-03-31T23:59:59", "RISK_ASSESSMENT"),
    fund("F4", "P5", "EXTRACTION", "1000.00", "2026-01-15"),
    fund("F5", "P2", "EXTRACTION", "999.00", "2026-04-01T00:00:00"),
    fund("F6", "P7", "USE", "100.00", "2026-02-01", "TRAINING"),
    fund("F7", null, "EXTRACTION", "50.00", "2026-02-01"),
    fund("F8", "P2", "USE", "77.00", "2025-12-31T23:59:59", "OTHER"),
    fund("F9", "P2", "USE", "200.00", "2026-03-01", "HAZARD_INVESTIGATION"),
  ]);

  // prevention services and the hazards they found
  await service(db, "S1", "P1", F.chemicals, "RISK_ASSESSMENT", "2026-01-01T00:00:00");
  await service(db, "S2", "P5", F.chemicals, "TRAINING", "2026-02-01");
  await service(db, "S3", "P2", R.chem2, "HAZARD_INVESTIGATION", "2026-04-01T00:00:00");
  await service(db, "S4", "P4", R.chem3, "RISK_ASSESSMENT", "2026-02-15");
  await service(db, "S5", "P1", F.chemicals, "EMERGENCY_DRILL", "2026-03-31T23:59:59");
  await service(db, "S6", "P5", F.construction, "TRAINING", "2026-02-01");
  await service(db, "S7", "P7", F.xiamenChem, "RISK_ASSESSMENT", "2026-02-01");
  await service(db, "S8", "P2", R.chem2, "TRAINING", "2025-12-31T23:59:59");
  await db.insert(hazards).values([
    hazard("S1", "P1", F.chemicals, 1, "GENERAL", "2026-01-01", "2026-01-31", "2026-01-20"),
    hazard("S1", "P1", F.chemicals, 2, "MAJOR", "2026-01-02", "2026-03-01", "2026-04-01T00:00:00"),
    hazard("S4", "P4", R.chem3, 1, "MAJOR", "2026-03-31", "2026-04-30"),
    hazard("S8", "P2", R.chem2, 1, "GENERAL", "2025-12-31", "2026-01-15", "2026-01-05"),
    hazard("S3", "P2", R.chem2, 1, "GENERAL", "2026-04-01", "2026-04-30"),
    hazard("S6", "P5", F.construction, 1, "MAJOR", "2026-02-01", "2026-03-01"),
    hazard("S7", "P7", F.xiamenChem, 1, "GENERAL", "2026-02-01", "2026-03-01"),
  ]);
}

/**
 * Rows dated inside 2026 Q1 that no chemicals department of 500000 may count: a road-transport
 * enterprise in 500112 (another sector) and more activity at xiamenChem (another region), each
 * with a policy, an accident, a claim and its payment, ledger entries, a service and a hazard.
 */
export async function loadOutOfScopeRows(db: Db): Promise<void> {
  await db.insert(enterprises).values([ent(R.roadTransport, "500112", "ROAD_TRANSPORT", "G5411", 30)]);
  await policy(db, "X1", [[R.roadTransport, 30]], "2026-01-15", "2027-01-15", "4000.00");
  await policy(db, "X2", [[F.xiamenChem, 30]], "2026-02-15", "2027-02-15", "3000.00");
  await db.insert(accidents).values([
    { enterpriseUscc: R.roadTransport, occurredAt: cst("2026-02-20"), deaths: 1, seriousInjuries: 1, directLoss: "1000.00", grade: "GENERAL" },
    { enterpriseUscc: F.xiamenChem, occurredAt: cst("2026-02-20"), deaths: 1, seriousInjuries: 1, directLoss: "1000.00", grade: "GENERAL" },
  ]);
  await claim(db, "X-C1", "X1", R.roadTransport, "2026-02-21", { settledAt: "2026-03-01", amount: "800.00" });
  await claim(db, "X-C2", "X2", F.xiamenChem, "2026-02-21", { settledAt: "2026-03-01", amount: "800.00" });
  await db.insert(claimPayments).values([payment("X-PM1", "X-C1", "SETTLEMENT", "800.00", "2026-03-01"), payment("X-PM2", "X-C2", "SETTLEMENT", "800.00", "2026-03-01")]);
  await db.insert(fundEntries).values([
    fund("X-F1", "X1", "EXTRACTION", "800.00", "2026-02-01"),
    fund("X-F2", "X1", "USE", "100.00", "2026-02-02", "TRAINING"),
    fund("X-F3", "X2", "EXTRACTION", "600.00", "2026-02-01"),
  ]);
  await service(db, "X-S1", "X1", R.roadTransport, "RISK_ASSESSMENT", "2026-02-03");
  await service(db, "X-S2", "X2", F.xiamenChem, "RISK_ASSESSMENT", "2026-02-03");
  await db.insert(hazards).values([
    hazard("X-S1", "X1", R.roadTransport, 1, "MAJOR", "2026-02-03", "2026-03-03"),
    hazard("X-S2", "X2", F.xiamenChem, 1, "MAJOR", "2026-02-03", "2026-03-03"),
  ]);
}
