import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { effectiveRules } from "../../src/rules/profiles.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture } from "../support/fixture.js";
import { A_SETTLE_DAYS, loadAssessmentFixture } from "../support/fixture-assessment.js";
import { asRole, ok } from "../support/graphql.js";

/**
 * Every figure below is worked out by hand from the table in test/support/fixture-assessment.ts
 * (2026 Q1 = [2026-01-01 00:00 +08:00, 2026-04-01 00:00 +08:00), 90 days). Runs on PGlite, and on
 * PostgreSQL with TEST_DATABASE_URL set.
 */

let database: Database;
let run: ReturnType<typeof asRole>;

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  await loadAssessmentFixture(database.db);
  run = asRole(database);
});
afterAll(() => database?.close());

const A = F.insurerA, B = F.insurerB, C = F.insurerSuspended;
const CQ_REGULATOR = "500000-FINANCIAL_REGULATOR";
const XM_REGULATOR = "350200-FINANCIAL_REGULATOR";
const COMMITTEE = "500000-COMMITTEE_OFFICE";
const CQ_FLOOR = "渝府办发〔2017〕182号 二(九)";
const XM_FLOOR = "厦应急规〔2022〕2号 二(七)";

const FIELDS = `
  insurerId insurerName regionCode year quarter periodStart periodEnd
  underwriting { policiesWritten policiesLed premium marketPremium marketShare }
  claims { claimsReported claimsSettled averageDaysToSettle p90DaysToSettle paidTotal advancesPaid advanceShare }
  prevention {
    fundExtracted fundUsed fundFloor floorSources usedToExtractedRatio extractedToFloorRatio usedToFloorRatio
    servicesDelivered servicesContracted serviceDeliveryRatio servicesByKind { kind delivered contracted }
    hazardsFound majorHazards hazardsRectified rectificationRate
  }
  openFindings findingsByRule { ruleCode open }`;
const ASSESS = `query($i: String!, $r: String) { insurerAssessment(insurerId: $i, year: 2026, quarter: 1, regionCode: $r) { ${FIELDS} } }`;
const NO_MARKET = ASSESS.replace("marketPremium ", "");

const byKind = (o: Partial<Record<string, [number, string]>>) =>
  ["RISK_ASSESSMENT", "HAZARD_INVESTIGATION", "TRAINING", "EMERGENCY_DRILL", "TECH_PROMOTION", "OTHER"].map((kind) => ({
    kind, delivered: o[kind]?.[0] ?? 0, contracted: o[kind]?.[1] ?? "0.00",
  }));

/**
 * Insurer A over 500000 (prefix 50).
 * - written in Q1: A1 (10000.00 × 1.0) and A2 (20000.00 × 0.6 = 12000.00), both led → 2, 22000.00.
 *   A3 and A4 started in 2025; C1 is void. Market: A 22000 + B's 0.4 of A2 8000 = 30000.00 (B1 is
 *   in Xiamen) → share 22000 / 30000 = 0.7333.
 * - floor: all of it in Chongqing, 0.10 → 2200.00.
 * - claims reported in Q1: AS1–AS12 (01-05), AR1 (03-31 23:59:59), AREJ (rejected), ALATE (03-20) → 15;
 *   AX (2025) and AC1 (05-01) are out. Settled in Q1: AS1–AS12 (ALATE settles at 04-01 00:00) → 12.
 *   Days 1…10, 15.5, 40: mean 110.5 / 12 = 9.2083 → 9.21; nearest-rank p90 = the ⌈0.9 × 12⌉ = 11th = 15.50
 *   (linear interpolation would give 14.95, the maximum is 40).
 * - paid in Q1: PA1 1000 + PA2 3000 ADVANCE + PA3 7000 + PA4 500 EMERGENCY_ADVANCE (23:59:59) = 11500.00;
 *   PA5 (04-01 00:00) and PA6 (2025) out. Advances 3500.00 → 3500 / 11500 = 0.3043.
 * - fund: EXTRACTION FA1 2000 + FA2 2400 (both A2 members are in 50) = 4400.00 (FA5 has no policy);
 *   USE FA3 300.00 (FA4 at 04-01 00:00 out). 300/4400 = 0.0682; 4400/2200 = 2.0000; 300/2200 = 0.1364.
 * - contracted pro rata (per insured enterprise): A1 RA 4 × 90/365 + TRAINING 2 × 90/365;
 *   A2 HI 12 × 59/365 × 2 enterprises (02-01 → 04-01 = 59 days); A4 TRAINING 6 × 45/365 (cancelled
 *   02-15: 45 days); A3 ended at Q1 start. RA 360/365 = 0.99, TRAINING 450/365 = 1.23,
 *   HI 1416/365 = 3.88, total 2226/365 = 6.0986 → 6.10.
 * - delivered: SA1 RA (00:00), SA2 TRAINING, SA3 HI, SA4 HI (23:59:59) → 4; SA5 (04-01) and SA6 (2025)
 *   out. 4 / 6.10 = 0.6557.
 * - hazards noticed in Q1: H1 (rectified 01-15), H2 MAJOR (rectified only at 04-01 00:00), H3 MAJOR
 *   (open), H5 (rectified 03-31 12:00) → 4, 2 major, 2 rectified → 0.5000; SA6's hazard is 2025.
 * - open findings naming A and an enterprise in 50: PREVENTION_RATIO_BELOW_FLOOR 1, SERVICES_BEHIND_PLAN 2;
 *   the resolved one, the Xiamen one and the one without an enterprise are not counted.
 */
const A_500000 = {
  insurerId: A, insurerName: "甲财产保险股份有限公司", regionCode: "500000", year: 2026, quarter: 1,
  periodStart: "2026-01-01T00:00:00+08:00", periodEnd: "2026-04-01T00:00:00+08:00",
  underwriting: { policiesWritten: 2, policiesLed: 2, premium: "22000.00", marketPremium: "30000.00", marketShare: "0.7333" },
  claims: { claimsReported: 15, claimsSettled: 12, averageDaysToSettle: "9.21", p90DaysToSettle: "15.50", paidTotal: "11500.00", advancesPaid: "3500.00", advanceShare: "0.3043" },
  prevention: {
    fundExtracted: "4400.00", fundUsed: "300.00", fundFloor: "2200.00", floorSources: [CQ_FLOOR],
    usedToExtractedRatio: "0.0682", extractedToFloorRatio: "2.0000", usedToFloorRatio: "0.1364",
    servicesDelivered: 4, servicesContracted: "6.10", serviceDeliveryRatio: "0.6557",
    servicesByKind: byKind({ RISK_ASSESSMENT: [1, "0.99"], HAZARD_INVESTIGATION: [2, "3.88"], TRAINING: [1, "1.23"] }),
    hazardsFound: 4, majorHazards: 2, hazardsRectified: 2, rectificationRate: "0.5000",
  },
  openFindings: 3,
  findingsByRule: [{ ruleCode: "PREVENTION_RATIO_BELOW_FLOOR", open: 1 }, { ruleCode: "SERVICES_BEHIND_PLAN", open: 2 }],
};

/**
 * Insurer B over 500000: 0.4 of A2 → 1 policy, none led, 8000.00, 8000 / 30000 = 0.2667, floor 800.00.
 * BC1 (road) reported 02-01, settled 02-11: 10 days; PB1 1000 ADVANCE + PB2 5000 → 6000.00, 1000/6000 = 0.1667.
 * Fund: FB1 1600 EXTRACTION on A2 (B's own ledger), FB2 100 USE on B2: 0.0625, 2.0000, 0.1250.
 * B2's plan RA 2 × 90/365 = 0.49; SB1 (OTHER) delivered → 1 / 0.49 = 2.0408. Its hazard rectified → 1.0000.
 */
const B_500000 = {
  insurerId: B, insurerName: "乙财产保险股份有限公司", regionCode: "500000", year: 2026, quarter: 1,
  periodStart: "2026-01-01T00:00:00+08:00", periodEnd: "2026-04-01T00:00:00+08:00",
  underwriting: { policiesWritten: 1, policiesLed: 0, premium: "8000.00", marketPremium: "30000.00", marketShare: "0.2667" },
  claims: { claimsReported: 1, claimsSettled: 1, averageDaysToSettle: "10.00", p90DaysToSettle: "10.00", paidTotal: "6000.00", advancesPaid: "1000.00", advanceShare: "0.1667" },
  prevention: {
    fundExtracted: "1600.00", fundUsed: "100.00", fundFloor: "800.00", floorSources: [CQ_FLOOR],
    usedToExtractedRatio: "0.0625", extractedToFloorRatio: "2.0000", usedToFloorRatio: "0.1250",
    servicesDelivered: 1, servicesContracted: "0.49", serviceDeliveryRatio: "2.0408",
    servicesByKind: byKind({ RISK_ASSESSMENT: [0, "0.49"], OTHER: [1, "0.00"] }),
    hazardsFound: 1, majorHazards: 0, hazardsRectified: 1, rectificationRate: "1.0000",
  },
  openFindings: 1,
  findingsByRule: [{ ruleCode: "MAJOR_HAZARD_OVERDUE", open: 1 }],
};

/** Insurer C over 500000: C1 is void (cancelled at its start), C2 started in 2025: nothing written, no floor. */
const C_500000 = {
  insurerId: C, insurerName: "丙财产保险股份有限公司", regionCode: "500000", year: 2026, quarter: 1,
  periodStart: "2026-01-01T00:00:00+08:00", periodEnd: "2026-04-01T00:00:00+08:00",
  underwriting: { policiesWritten: 0, policiesLed: 0, premium: "0.00", marketPremium: "30000.00", marketShare: "0.0000" },
  claims: { claimsReported: 0, claimsSettled: 0, averageDaysToSettle: null, p90DaysToSettle: null, paidTotal: "0.00", advancesPaid: "0.00", advanceShare: null },
  prevention: {
    fundExtracted: "0.00", fundUsed: "0.00", fundFloor: null, floorSources: [], usedToExtractedRatio: null, extractedToFloorRatio: null, usedToFloorRatio: null,
    servicesDelivered: 0, servicesContracted: "0.00", serviceDeliveryRatio: null, servicesByKind: byKind({}),
    hazardsFound: 0, majorHazards: 0, hazardsRectified: 0, rectificationRate: null,
  },
  openFindings: 1,
  findingsByRule: [{ ruleCode: "INSURER_NOT_QUALIFIED", open: 1 }],
};

describe("insurerAssessment: every figure, by hand", () => {
  it("the financial regulator reads insurer A over its whole region", async () => {
    expect(ok(await run("FINANCIAL_REGULATOR", CQ_REGULATOR, ASSESS, { i: A })).insurerAssessment).toEqual(A_500000);
  });

  it("the co-insurer B: its share of a group policy, its own ledger, claims and services", async () => {
    expect(ok(await run("FINANCIAL_REGULATOR", CQ_REGULATOR, ASSESS, { i: B })).insurerAssessment).toEqual(B_500000);
  });

  it("the committee office reads the same; a suspended insurer with nothing written shows zeros and nulls", async () => {
    expect(ok(await run("COMMITTEE_OFFICE", COMMITTEE, ASSESS, { i: A, r: "500000" })).insurerAssessment).toEqual(A_500000);
    expect(ok(await run("COMMITTEE_OFFICE", COMMITTEE, ASSESS, { i: C })).insurerAssessment).toEqual(C_500000);
  });

  it("a sub-region apportions a group policy by headcount: 500112 holds construction's 40 of A2's 100", async () => {
    // A: A1 10000 + 0.6 × 20000 × 40/100 = 4800 → 14800.00; B: 0.4 × 8000 = 3200 → market 18000.00, share 0.8222
    // fund: FA1 2000 + FA2 2400 × 40% = 960 → 2960.00; 300 / 2960 = 0.1014; floor 1480.00
    // contracted: RA 360/365, TRAINING 450/365 (A4 insures construction), HI 12 × 59/365 = 708/365 → 1518/365 = 4.16;
    // delivered SA1, SA2, SA3 (SA4 is at road, 500113) → 3 / 4.16 = 0.7212; hazards H1, H2, H3 → 1 of 3 rectified
    const d = ok(await run("COMMITTEE_OFFICE", COMMITTEE, ASSESS, { i: A, r: "500112" })).insurerAssessment;
    expect(d.regionCode).toBe("500112");
    expect(d.underwriting).toEqual({ policiesWritten: 2, policiesLed: 2, premium: "14800.00", marketPremium: "18000.00", marketShare: "0.8222" });
    expect(d.claims).toEqual(A_500000.claims); // every claim of A is at chemicals, in 500112
    expect(d.prevention).toEqual({
      fundExtracted: "2960.00", fundUsed: "300.00", fundFloor: "1480.00", floorSources: [CQ_FLOOR],
      usedToExtractedRatio: "0.1014", extractedToFloorRatio: "2.0000", usedToFloorRatio: "0.2027",
      servicesDelivered: 3, servicesContracted: "4.16", serviceDeliveryRatio: "0.7212",
      servicesByKind: byKind({ RISK_ASSESSMENT: [1, "0.99"], HAZARD_INVESTIGATION: [1, "1.94"], TRAINING: [1, "1.23"] }),
      hazardsFound: 3, majorHazards: 2, hazardsRectified: 1, rectificationRate: "0.3333",
    });
  });

  it("Xiamen's regulator sees B under Xiamen's 20% floor; an open claim has no settlement days", async () => {
    const d = ok(await run("FINANCIAL_REGULATOR", XM_REGULATOR, ASSESS, { i: B })).insurerAssessment;
    expect(d.regionCode).toBe("350200");
    expect(d.underwriting).toEqual({ policiesWritten: 1, policiesLed: 1, premium: "8000.00", marketPremium: "8000.00", marketShare: "1.0000" });
    expect(d.claims).toEqual({ claimsReported: 1, claimsSettled: 0, averageDaysToSettle: null, p90DaysToSettle: null, paidTotal: "0.00", advancesPaid: "0.00", advanceShare: null });
    expect(d.prevention).toMatchObject({ fundFloor: "1600.00", floorSources: [XM_FLOOR], fundExtracted: "0.00", extractedToFloorRatio: "0.0000" });
  });

  it("the SQL floor is effectiveRules' floor of each enterprise's region", () => {
    expect(effectiveRules("500112").preventionRatioFloor?.value).toBe("0.10");
    expect(effectiveRules("500113").preventionRatioFloor?.value).toBe("0.10");
    expect(effectiveRules("350203").preventionRatioFloor?.value).toBe("0.20");
  });

  it("p90 is the nearest rank of the settlement days", () => {
    const sorted = [...A_SETTLE_DAYS].sort((x, y) => x - y);
    expect(sorted[Math.ceil(0.9 * sorted.length) - 1]).toBe(15.5);
  });

  it("an unknown insurer is null", async () => {
    expect(ok(await run("FINANCIAL_REGULATOR", CQ_REGULATOR, ASSESS, { i: "91110000000000099X" })).insurerAssessment).toBeNull();
  });
});

describe("insurerAssessment: who may read what", () => {
  it("an insurer reads its own figures and its market share, never the market premium", async () => {
    expect(ok(await run("INSURER", A, NO_MARKET, { i: A, r: "500000" })).insurerAssessment.underwriting).toEqual({ policiesWritten: 2, policiesLed: 2, premium: "22000.00", marketShare: "0.7333" });
    const r = await run("INSURER", A, ASSESS, { i: A, r: "500000" });
    expect(r.data!.insurerAssessment.underwriting.marketPremium).toBeNull();
    expect(r.errors?.map((e) => [e.extensions?.code, e.path?.join(".")])).toEqual([["FORBIDDEN", "insurerAssessment.underwriting.marketPremium"]]);
  });

  it("an insurer without regionCode sees its business in every region: B in Chongqing and Xiamen", async () => {
    // premium 8000 + 8000 = 16000 of the market 30000 + 8000 = 38000 → 0.4211; floor 800 + 1600 = 2400.00 under both floors
    const d = ok(await run("INSURER", B, NO_MARKET, { i: B })).insurerAssessment;
    expect(d.regionCode).toBeNull();
    // marketShare 0.4211 would give the market, and the market minus its own the competitors' premium: the fixture's
    // few competitor policies fail the small-cell rule (src/auth/small-cell.ts), so the share is withheld
    expect(d.underwriting).toEqual({ policiesWritten: 2, policiesLed: 1, premium: "16000.00", marketShare: null });
    expect(d.prevention).toMatchObject({ fundFloor: "2400.00", floorSources: [XM_FLOOR, CQ_FLOOR].sort() });
    expect(d.claims).toMatchObject({ claimsReported: 2, claimsSettled: 1 });
  });

  it("an insurer cannot read another insurer's assessment", async () => {
    for (const [org, other] of [[A, B], [B, A], [C, A]]) {
      const r = await run("INSURER", org, NO_MARKET, { i: other, r: "500000" });
      expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
      expect(r.data?.insurerAssessment ?? null).toBeNull();
    }
  });

  it("departments, enterprises, regulators outside their region are FORBIDDEN", async () => {
    const cases: [Role, string, string | undefined][] = [
      ["SECTOR_DEPARTMENT", "500000-EMERGENCY", undefined],
      ["ENTERPRISE", F.chemicals, undefined],
      ["SERVICE_ORG", F.serviceOrg, undefined],
      ["FINANCIAL_REGULATOR", XM_REGULATOR, "500000"],
      ["COMMITTEE_OFFICE", COMMITTEE, "350200"],
    ];
    for (const [role, org, r] of cases) {
      const res = await run(role, org, NO_MARKET, { i: A, r });
      expect(res.errors?.[0].extensions?.code, `${role} ${org}`).toBe("FORBIDDEN");
    }
    expect((await run("PUBLIC", null, NO_MARKET, { i: A })).errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("a bad quarter or region code is BAD_USER_INPUT", async () => {
    const r = await run("FINANCIAL_REGULATOR", CQ_REGULATOR, `{ insurerAssessment(insurerId: "${A}", year: 2026, quarter: 0) { insurerId } }`);
    expect(r.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "quarter" });
    const r2 = await run("FINANCIAL_REGULATOR", CQ_REGULATOR, NO_MARKET, { i: A, r: "50" });
    expect(r2.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "regionCode" });
  });
});

describe("insurerRanking", () => {
  const RANK = `query($o: InsurerRankingOrder) { insurerRanking(year: 2026, quarter: 1, regionCode: "500000", orderBy: $o) {
    regionCode orderBy marketPremium entries { rank sortValue assessment { ${FIELDS} } } } }`;
  const ranks = async (o: string) =>
    ok(await run("FINANCIAL_REGULATOR", CQ_REGULATOR, RANK, { o })).insurerRanking.entries.map((e: any) => [e.assessment.insurerId, e.rank, e.sortValue]);

  it("every insurer active in the region (C through C2; C1 was void), each with its full assessment, by premium", async () => {
    const d = ok(await run("FINANCIAL_REGULATOR", CQ_REGULATOR, RANK, {})).insurerRanking;
    expect(d).toMatchObject({ regionCode: "500000", orderBy: "PREMIUM", marketPremium: "30000.00" });
    expect(d.entries.map((e: any) => e.assessment)).toEqual([A_500000, B_500000, C_500000]);
    expect(d.entries.map((e: any) => [e.rank, e.sortValue])).toEqual([[1, "22000.00"], [2, "8000.00"], [3, "0.00"]]);
  });

  it("each published key; ties share a rank (competition ranking) in USCC order, nulls last", async () => {
    expect(await ranks("SETTLEMENT_SPEED")).toEqual([[A, 1, "9.21"], [B, 2, "10.00"], [C, 3, null]]);
    expect(await ranks("SERVICE_DELIVERY")).toEqual([[B, 1, "2.0408"], [A, 2, "0.6557"], [C, 3, null]]);
    expect(await ranks("FUND_USE")).toEqual([[A, 1, "0.1364"], [B, 2, "0.1250"], [C, 3, null]]);
    expect(await ranks("HAZARD_RECTIFICATION")).toEqual([[B, 1, "1.0000"], [A, 2, "0.5000"], [C, 3, null]]);
    expect(await ranks("OPEN_FINDINGS")).toEqual([[B, 1, "1"], [C, 1, "1"], [A, 3, "3"]]);
  });

  it("only committee offices and financial regulators, within their region", async () => {
    for (const [role, org] of [["INSURER", A], ["SECTOR_DEPARTMENT", "500000-EMERGENCY"], ["FINANCIAL_REGULATOR", XM_REGULATOR]] as [Role, string][]) {
      const r = await run(role, org, RANK, {});
      expect(r.errors?.[0].extensions?.code, `${role} ${org}`).toBe("FORBIDDEN");
    }
    const own = ok(await run("COMMITTEE_OFFICE", COMMITTEE, `{ insurerRanking(year: 2026, quarter: 1) { regionCode entries { rank assessment { insurerId } } } }`)).insurerRanking;
    expect(own.regionCode).toBe("500000");
    expect(own.entries.map((e: any) => e.assessment.insurerId)).toEqual([A, B, C]);
  });
});

describe("pureRiskLossRates", () => {
  const LOSS = `query($r: String!, $y: Int!) { pureRiskLossRates(regionCode: $r, year: $y) {
    regionCode year periodStart periodEnd publicationRequired publicationSources
    overall { sector settledClaims settledAmount openClaims openReserves claimsIncurred earnedPremium lossRate }
    bySector { sector settledClaims settledAmount openClaims openReserves claimsIncurred earnedPremium lossRate } } }`;

  /**
   * 2026 over 500000. Earned = premium × days of cover inside 2026 ÷ days of the period:
   * - HAZARDOUS_CHEMICALS: A1 10000 × 365/365 = 10000.00 (A3 ends at 2026-01-01 00:00; C1 void)
   * - CONSTRUCTION: A2's 40% of 20000 × 334/365 (02-01 → 2027-01-01) = 7320.5479 + A4 3650 × 45/365
   *   (cancelled 02-15, the rest unearned) = 450 + C2 1000 × 151/365 (→ 06-01) = 413.6986 → 8184.25
   * - ROAD_TRANSPORT: A2's 60% = 10980.8219 + B2 7300 × 181/365 (→ 07-01) = 3620 → 14600.82
   * - overall 10000 + 18301.3699 + 450 + 413.6986 + 3620 = 32785.07 (B1 is in Xiamen)
   * Incurred of claims reported in 2026:
   * - chemicals: settled AS1–AS12 (11 × 1000 + 10000) + ALATE 5000 = 26000.00 in 13 claims; AR1 open,
   *   reserve 5000.00; AREJ rejected (its reserve does not count); AX was reported in 2025 → 31000.00, 3.1000
   * - construction: AC1 assessed, reserve 1200.00 → 1200 / 8184.25 = 0.1466
   * - road: BC1 6000.00 → 6000 / 14600.82 = 0.4109
   * - overall 38200.00 / 32785.07 = 1.1652
   */
  const CHEM = { sector: "HAZARDOUS_CHEMICALS", settledClaims: 13, settledAmount: "26000.00", openClaims: 1, openReserves: "5000.00", claimsIncurred: "31000.00", earnedPremium: "10000.00", lossRate: "3.1000" };
  const CONSTR = { sector: "CONSTRUCTION", settledClaims: 0, settledAmount: "0.00", openClaims: 1, openReserves: "1200.00", claimsIncurred: "1200.00", earnedPremium: "8184.25", lossRate: "0.1466" };
  const ROAD = { sector: "ROAD_TRANSPORT", settledClaims: 1, settledAmount: "6000.00", openClaims: 0, openReserves: "0.00", claimsIncurred: "6000.00", earnedPremium: "14600.82", lossRate: "0.4109" };

  it("per sector and overall, 2026, for the committee office", async () => {
    const d = ok(await run("COMMITTEE_OFFICE", COMMITTEE, LOSS, { r: "500000", y: 2026 })).pureRiskLossRates;
    expect(d).toMatchObject({ regionCode: "500000", year: 2026, periodStart: "2026-01-01T00:00:00+08:00", periodEnd: "2027-01-01T00:00:00+08:00", publicationRequired: false, publicationSources: [] });
    expect(d.overall).toEqual({ sector: null, settledClaims: 14, settledAmount: "32000.00", openClaims: 2, openReserves: "6200.00", claimsIncurred: "38200.00", earnedPremium: "32785.07", lossRate: "1.1652" });
    expect(d.bySector).toEqual([CHEM, CONSTR, ROAD]);
  });

  it("2025: A3's whole year and AX's settlement", async () => {
    const d = ok(await run("FINANCIAL_REGULATOR", CQ_REGULATOR, LOSS, { r: "500112", y: 2025 })).pureRiskLossRates;
    // chemicals: A3 3650.00, AX 2000.00 → 0.5479; construction: A4 3650 × 92/365 = 920 + C2 1000 × 214/365 = 586.30 → 1506.30, no claims
    expect(d.bySector).toEqual([
      { sector: "HAZARDOUS_CHEMICALS", settledClaims: 1, settledAmount: "2000.00", openClaims: 0, openReserves: "0.00", claimsIncurred: "2000.00", earnedPremium: "3650.00", lossRate: "0.5479" },
      { sector: "CONSTRUCTION", settledClaims: 0, settledAmount: "0.00", openClaims: 0, openReserves: "0.00", claimsIncurred: "0.00", earnedPremium: "1506.30", lossRate: "0.0000" },
    ]);
  });

  it("a sector department sees its own sectors only", async () => {
    const d = ok(await run("SECTOR_DEPARTMENT", "500000-HOUSING", LOSS, { r: "500000", y: 2026 })).pureRiskLossRates;
    // earned premium and loss rate fall under the small-cell rule for a department (the year 2026 has not ended)
    const withheld = { earnedPremium: null, lossRate: null };
    expect(d.bySector).toEqual([{ ...CONSTR, ...withheld }]);
    expect(d.overall).toEqual({ ...CONSTR, ...withheld, sector: null });
  });

  it("Henan's profile requires publishing it", async () => {
    const d = ok(await run("COMMITTEE_OFFICE", "410000-COMMITTEE_OFFICE", LOSS, { r: "410000", y: 2026 })).pureRiskLossRates;
    expect(d.publicationRequired).toBe(true);
    expect(d.publicationSources).toEqual(["《河南省推进安全生产责任保险工作实施意见》 四(三)"]);
    expect(d.overall.lossRate).toBeNull();
    expect(d.bySector).toEqual([]);
  });

  it("insurers, the public and agencies outside the region may not", async () => {
    for (const [role, org] of [["INSURER", A], ["PUBLIC", null], ["FINANCIAL_REGULATOR", XM_REGULATOR], ["SECTOR_DEPARTMENT", "350200-EMERGENCY"]] as [Role, string | null][]) {
      const r = await run(role, org, LOSS, { r: "500000", y: 2026 });
      expect(r.errors?.[0].extensions?.code, `${role} ${org}`).toBe("FORBIDDEN");
    }
  });
});
