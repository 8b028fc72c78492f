import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JurisdictionCache } from "../../src/auth/jurisdiction.js";
import type { Database } from "../../src/db/client.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { listSubmissions, quarterlyReport, reportingCompliance, submitQuarterlyReport } from "../../src/modules/reporting/service.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture } from "../support/fixture.js";
import { at, ids, loadOutOfScopeRows, loadReportingFixture } from "../support/fixture-reporting.js";
import { asRole, ok } from "../support/graphql.js";
import { claims } from "../../schema/index.js";

/**
 * Every figure below is worked out by hand from the table in test/support/fixture-reporting.ts
 * (2026 Q1 = [2026-01-01 00:00 +08:00, 2026-04-01 00:00 +08:00)). Runs on PGlite, and on
 * PostgreSQL with TEST_DATABASE_URL set.
 */

let database: Database;
let run: ReturnType<typeof asRole>;
let cache: JurisdictionCache;
const viewer = (role: Role, org: string, sub = "test") => cache.viewerFor({ sub, role, org, purpose: null });

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  await loadReportingFixture(database.db);
  run = asRole(database);
  cache = new JurisdictionCache(database.db);
});
afterAll(() => database?.close());

const EMERGENCY = "500000-EMERGENCY";
const HOUSING = "500000-HOUSING";
const COMMITTEE = "500000-COMMITTEE_OFFICE";
const REGULATOR = "500000-FINANCIAL_REGULATOR";

const FIGS = `fragment F on QuarterlyFigures {
  sector regionCode regionName
  insurance { enterprisesInScope mandatoryEnterprises insuredEnterprises coverageRate employees insuredEmployees employeeCoverageRate policiesStarted premiumTotal }
  accidents { accidents general larger major extraordinary deaths seriousInjuries directLoss }
  claims { claimsReported claimsSettled averageDaysToSettle paidTotal advancesPaid settlementsPaid paymentsByKind { kind payments amount } }
  preventionFund { extracted extractionEntries used useEntries usedToExtractedRatio useByCategory { category entries amount } }
  services { services riskAssessments byKind { kind services } hazardsFound majorHazards hazardsRectified servicedEnterprises serviceRate }
}`;
const REPORT = `${FIGS}
query($a: String!, $y: Int!, $q: Int!) { quarterlyReport(agencyId: $a, year: $y, quarter: $q) {
  agencyId agencyName agencyKind regionCode sectors year quarter periodStart periodEnd dueAt quarterEnded
  overall { ...F } bySector { ...F } byRegion { ...F } } }`;

// ---- the hand-worked expectations ----------------------------------------------------------

const pays = (o: { ADVANCE?: [number, string]; EMERGENCY_ADVANCE?: [number, string]; SMALL_FAST?: [number, string]; SETTLEMENT?: [number, string] }) =>
  (["ADVANCE", "EMERGENCY_ADVANCE", "SMALL_FAST", "SETTLEMENT"] as const).map((kind) => ({ kind, payments: o[kind]?.[0] ?? 0, amount: o[kind]?.[1] ?? "0.00" }));
const kinds = (o: Partial<Record<"RISK_ASSESSMENT" | "HAZARD_INVESTIGATION" | "TRAINING" | "EMERGENCY_DRILL" | "TECH_PROMOTION" | "OTHER", number>>) =>
  (["RISK_ASSESSMENT", "HAZARD_INVESTIGATION", "TRAINING", "EMERGENCY_DRILL", "TECH_PROMOTION", "OTHER"] as const).map((kind) => ({ kind, services: o[kind] ?? 0 }));
const key = (k: { sector?: string; regionCode?: string; regionName?: string } = {}) => ({ sector: k.sector ?? null, regionCode: k.regionCode ?? null, regionName: k.regionName ?? null });

/**
 * 500000-EMERGENCY (HAZARDOUS_CHEMICALS in 50*): chemicals, closed, suspended (500112), chem2, chem3 (500113).
 * - mandatory operating: chemicals, chem2, chem3 (closed and suspended are exempt)
 * - insured at Q1 end: chemicals (P1, P5) and chem2 (P2 ends exactly at Q1 end, so it covers the
 *   last instant); chem3 is not (P3 starts at Q1 end, P4 was cancelled 03-15, P10 never in force)
 * - insured employees: chemicals min(80 + 30, 100) = 100, chem2 min(50, 50) = 50 → 150 of 170
 * - policies started in Q1: P4 2400.00, P5 (chemicals' 30/60 share) 3000.00, P6 1000.00 → 6400.00
 * - accidents: A1 (00:00 on the first day) GENERAL 1 death 2 injuries, A2 (23:59:59 on the last day) LARGER 3 deaths
 * - claims reported: C1, C3 (03-31 23:59:59), C4, C7 (rejected) → 4; C2 (2025) and C8 (04-01 00:00) out
 * - settled in Q1: C1 (60 days), C2 (15.5 days) → 37.75; C4 settled at 04-01 00:00 is out
 * - paid in Q1: PM1 10000 ADVANCE, PM2 40000 SETTLEMENT, PM4 6000 SETTLEMENT, PM5 3000 SMALL_FAST (23:59:59)
 * - fund: EXTRACTION F1 2400 + F4 half of 1000 = 2900; USE F2 500 TRAINING + F3 half of 300 RISK_ASSESSMENT + F9 200 HAZARD_INVESTIGATION = 850
 * - services: S1 RA (00:00), S2 TRAINING, S4 RA, S5 DRILL (23:59:59); S3 (04-01 00:00) and S8 (2025) out
 * - hazards noticed in Q1: H1 (rectified 01-20), H2 MAJOR (rectified only at 04-01 00:00), H3 MAJOR (03-31) → 3, 2 major, 1 rectified
 * - serviced insured: chemicals only (chem2's services fall outside) → 1 of 2
 */
const EMERGENCY_OVERALL = {
  ...key(),
  insurance: { enterprisesInScope: 5, mandatoryEnterprises: 3, insuredEnterprises: 2, coverageRate: "0.6667", employees: 170, insuredEmployees: 150, employeeCoverageRate: "0.8824", policiesStarted: 3, premiumTotal: "6400.00" },
  accidents: { accidents: 2, general: 1, larger: 1, major: 0, extraordinary: 0, deaths: 4, seriousInjuries: 2, directLoss: "2150000.00" },
  claims: {
    claimsReported: 4, claimsSettled: 2, averageDaysToSettle: "37.75", paidTotal: "59000.00", advancesPaid: "13000.00", settlementsPaid: "46000.00",
    paymentsByKind: pays({ ADVANCE: [1, "10000.00"], SMALL_FAST: [1, "3000.00"], SETTLEMENT: [2, "46000.00"] }),
  },
  preventionFund: {
    extracted: "2900.00", extractionEntries: 2, used: "850.00", useEntries: 3, usedToExtractedRatio: "0.2931",
    useByCategory: [{ category: "HAZARD_INVESTIGATION", entries: 1, amount: "200.00" }, { category: "RISK_ASSESSMENT", entries: 1, amount: "150.00" }, { category: "TRAINING", entries: 1, amount: "500.00" }],
  },
  services: { services: 4, riskAssessments: 2, byKind: kinds({ RISK_ASSESSMENT: 2, TRAINING: 1, EMERGENCY_DRILL: 1 }), hazardsFound: 3, majorHazards: 2, hazardsRectified: 1, servicedEnterprises: 1, serviceRate: "0.5000" },
};

/** 500112 part of EMERGENCY: chemicals, closed, suspended. */
const EMERGENCY_500112 = {
  ...key({ regionCode: "500112", regionName: "渝北区" }),
  insurance: { enterprisesInScope: 3, mandatoryEnterprises: 1, insuredEnterprises: 1, coverageRate: "1.0000", employees: 100, insuredEmployees: 100, employeeCoverageRate: "1.0000", policiesStarted: 2, premiumTotal: "4000.00" },
  accidents: { accidents: 1, general: 1, larger: 0, major: 0, extraordinary: 0, deaths: 1, seriousInjuries: 2, directLoss: "150000.00" },
  claims: {
    claimsReported: 4, claimsSettled: 1, averageDaysToSettle: "60.00", paidTotal: "53000.00", advancesPaid: "13000.00", settlementsPaid: "40000.00",
    paymentsByKind: pays({ ADVANCE: [1, "10000.00"], SMALL_FAST: [1, "3000.00"], SETTLEMENT: [1, "40000.00"] }),
  },
  preventionFund: {
    extracted: "2900.00", extractionEntries: 2, used: "650.00", useEntries: 2, usedToExtractedRatio: "0.2241",
    useByCategory: [{ category: "RISK_ASSESSMENT", entries: 1, amount: "150.00" }, { category: "TRAINING", entries: 1, amount: "500.00" }],
  },
  services: { services: 3, riskAssessments: 1, byKind: kinds({ RISK_ASSESSMENT: 1, TRAINING: 1, EMERGENCY_DRILL: 1 }), hazardsFound: 2, majorHazards: 1, hazardsRectified: 1, servicedEnterprises: 1, serviceRate: "1.0000" },
};

/** 500113 part of EMERGENCY: chem2, chem3. */
const EMERGENCY_500113 = {
  ...key({ regionCode: "500113", regionName: "巴南区" }),
  insurance: { enterprisesInScope: 2, mandatoryEnterprises: 2, insuredEnterprises: 1, coverageRate: "0.5000", employees: 70, insuredEmployees: 50, employeeCoverageRate: "0.7143", policiesStarted: 1, premiumTotal: "2400.00" },
  accidents: { accidents: 1, general: 0, larger: 1, major: 0, extraordinary: 0, deaths: 3, seriousInjuries: 0, directLoss: "2000000.00" },
  claims: { claimsReported: 0, claimsSettled: 1, averageDaysToSettle: "15.50", paidTotal: "6000.00", advancesPaid: "0.00", settlementsPaid: "6000.00", paymentsByKind: pays({ SETTLEMENT: [1, "6000.00"] }) },
  preventionFund: { extracted: "0.00", extractionEntries: 0, used: "200.00", useEntries: 1, usedToExtractedRatio: null, useByCategory: [{ category: "HAZARD_INVESTIGATION", entries: 1, amount: "200.00" }] },
  services: { services: 1, riskAssessments: 1, byKind: kinds({ RISK_ASSESSMENT: 1 }), hazardsFound: 1, majorHazards: 1, hazardsRectified: 0, servicedEnterprises: 0, serviceRate: "0.0000" },
};

/**
 * The committee office (every sector of 50*) adds construction (500112, 40 workers, P5's other
 * 30/60 share), constr2 (500113, 60 workers, P8 starts 03-31 23:59:59 so it covers the last
 * instant) and otherSector (OTHER, not mandatory; P9 started 1 ms before Q1).
 * - mandatory 5, insured 4 (chem3 not); employees 270, insured 100 + 30 + 50 + 60 = 240
 * - policies P4, P5 (whole 6000), P6, P8 → 17177.00
 * - accidents + A5 (construction) → 3, deaths 6; claims + C5 (reported 02-15, settled 03-01 = 14 days):
 *   reported 5, settled 3, average (60 + 15.5 + 14) / 3 = 29.8333 → 29.83, paid + 9000
 * - fund: the whole F3 and F4 → extracted 3400.00, used 1000.00
 * - services + S6 (construction) → 5, hazards + H6 (MAJOR) → 4; serviced chemicals, construction of 4 insured
 */
const COMMITTEE_OVERALL = {
  ...key(),
  insurance: { enterprisesInScope: 8, mandatoryEnterprises: 5, insuredEnterprises: 4, coverageRate: "0.8000", employees: 270, insuredEmployees: 240, employeeCoverageRate: "0.8889", policiesStarted: 4, premiumTotal: "17177.00" },
  accidents: { accidents: 3, general: 2, larger: 1, major: 0, extraordinary: 0, deaths: 6, seriousInjuries: 2, directLoss: "2200000.00" },
  claims: {
    claimsReported: 5, claimsSettled: 3, averageDaysToSettle: "29.83", paidTotal: "68000.00", advancesPaid: "13000.00", settlementsPaid: "55000.00",
    paymentsByKind: pays({ ADVANCE: [1, "10000.00"], SMALL_FAST: [1, "3000.00"], SETTLEMENT: [3, "55000.00"] }),
  },
  preventionFund: {
    extracted: "3400.00", extractionEntries: 2, used: "1000.00", useEntries: 3, usedToExtractedRatio: "0.2941",
    useByCategory: [{ category: "HAZARD_INVESTIGATION", entries: 1, amount: "200.00" }, { category: "RISK_ASSESSMENT", entries: 1, amount: "300.00" }, { category: "TRAINING", entries: 1, amount: "500.00" }],
  },
  services: { services: 5, riskAssessments: 2, byKind: kinds({ RISK_ASSESSMENT: 2, TRAINING: 2, EMERGENCY_DRILL: 1 }), hazardsFound: 4, majorHazards: 3, hazardsRectified: 1, servicedEnterprises: 2, serviceRate: "0.5000" },
};

/** CONSTRUCTION in 50*: construction (P5 share 3000.00, 30 of 40 insured) and constr2 (P8 7777.00, 60 of 60). */
const CONSTRUCTION = {
  ...key({ sector: "CONSTRUCTION" }),
  insurance: { enterprisesInScope: 2, mandatoryEnterprises: 2, insuredEnterprises: 2, coverageRate: "1.0000", employees: 100, insuredEmployees: 90, employeeCoverageRate: "0.9000", policiesStarted: 2, premiumTotal: "10777.00" },
  accidents: { accidents: 1, general: 1, larger: 0, major: 0, extraordinary: 0, deaths: 2, seriousInjuries: 0, directLoss: "50000.00" },
  claims: { claimsReported: 1, claimsSettled: 1, averageDaysToSettle: "14.00", paidTotal: "9000.00", advancesPaid: "0.00", settlementsPaid: "9000.00", paymentsByKind: pays({ SETTLEMENT: [1, "9000.00"] }) },
  preventionFund: { extracted: "500.00", extractionEntries: 1, used: "150.00", useEntries: 1, usedToExtractedRatio: "0.3000", useByCategory: [{ category: "RISK_ASSESSMENT", entries: 1, amount: "150.00" }] },
  services: { services: 1, riskAssessments: 0, byKind: kinds({ TRAINING: 1 }), hazardsFound: 1, majorHazards: 1, hazardsRectified: 0, servicedEnterprises: 1, serviceRate: "0.5000" },
};

/** OTHER in 50*: otherSector only; not mandatory, P9 started before Q1, nothing else. */
const OTHER = {
  ...key({ sector: "OTHER" }),
  insurance: { enterprisesInScope: 1, mandatoryEnterprises: 0, insuredEnterprises: 0, coverageRate: null, employees: 0, insuredEmployees: 0, employeeCoverageRate: null, policiesStarted: 0, premiumTotal: "0.00" },
  accidents: { accidents: 0, general: 0, larger: 0, major: 0, extraordinary: 0, deaths: 0, seriousInjuries: 0, directLoss: "0.00" },
  claims: { claimsReported: 0, claimsSettled: 0, averageDaysToSettle: null, paidTotal: "0.00", advancesPaid: "0.00", settlementsPaid: "0.00", paymentsByKind: pays({}) },
  preventionFund: { extracted: "0.00", extractionEntries: 0, used: "0.00", useEntries: 0, usedToExtractedRatio: null, useByCategory: [] },
  services: { services: 0, riskAssessments: 0, byKind: kinds({}), hazardsFound: 0, majorHazards: 0, hazardsRectified: 0, servicedEnterprises: 0, serviceRate: null },
};

/** Committee, 500112: chemicals, construction, closed, suspended, otherSector. */
const COMMITTEE_500112 = {
  ...key({ regionCode: "500112", regionName: "渝北区" }),
  insurance: { enterprisesInScope: 5, mandatoryEnterprises: 2, insuredEnterprises: 2, coverageRate: "1.0000", employees: 140, insuredEmployees: 130, employeeCoverageRate: "0.9286", policiesStarted: 2, premiumTotal: "7000.00" },
  accidents: { accidents: 2, general: 2, larger: 0, major: 0, extraordinary: 0, deaths: 3, seriousInjuries: 2, directLoss: "200000.00" },
  claims: {
    claimsReported: 5, claimsSettled: 2, averageDaysToSettle: "37.00", paidTotal: "62000.00", advancesPaid: "13000.00", settlementsPaid: "49000.00",
    paymentsByKind: pays({ ADVANCE: [1, "10000.00"], SMALL_FAST: [1, "3000.00"], SETTLEMENT: [2, "49000.00"] }),
  },
  preventionFund: {
    extracted: "3400.00", extractionEntries: 2, used: "800.00", useEntries: 2, usedToExtractedRatio: "0.2353",
    useByCategory: [{ category: "RISK_ASSESSMENT", entries: 1, amount: "300.00" }, { category: "TRAINING", entries: 1, amount: "500.00" }],
  },
  services: { services: 4, riskAssessments: 1, byKind: kinds({ RISK_ASSESSMENT: 1, TRAINING: 2, EMERGENCY_DRILL: 1 }), hazardsFound: 3, majorHazards: 2, hazardsRectified: 1, servicedEnterprises: 2, serviceRate: "1.0000" },
};

/** Committee, 500113: chem2, chem3, constr2. */
const COMMITTEE_500113 = {
  ...key({ regionCode: "500113", regionName: "巴南区" }),
  insurance: { enterprisesInScope: 3, mandatoryEnterprises: 3, insuredEnterprises: 2, coverageRate: "0.6667", employees: 130, insuredEmployees: 110, employeeCoverageRate: "0.8462", policiesStarted: 2, premiumTotal: "10177.00" },
  accidents: { accidents: 1, general: 0, larger: 1, major: 0, extraordinary: 0, deaths: 3, seriousInjuries: 0, directLoss: "2000000.00" },
  claims: { claimsReported: 0, claimsSettled: 1, averageDaysToSettle: "15.50", paidTotal: "6000.00", advancesPaid: "0.00", settlementsPaid: "6000.00", paymentsByKind: pays({ SETTLEMENT: [1, "6000.00"] }) },
  preventionFund: { extracted: "0.00", extractionEntries: 0, used: "200.00", useEntries: 1, usedToExtractedRatio: null, useByCategory: [{ category: "HAZARD_INVESTIGATION", entries: 1, amount: "200.00" }] },
  services: { services: 1, riskAssessments: 1, byKind: kinds({ RISK_ASSESSMENT: 1 }), hazardsFound: 1, majorHazards: 1, hazardsRectified: 0, servicedEnterprises: 0, serviceRate: "0.0000" },
};

// ---- tests ---------------------------------------------------------------------------------

describe("quarterlyReport: every figure, by hand", () => {
  // a report's figures depend on the agency, not on the reader; the committee office reads them whole
  // (the department itself reads them under the small-cell rule: test/auth/cross-tenant.test.ts)
  it("a sector department's report (500000-EMERGENCY, 2026 Q1), overall and by sector and child region", async () => {
    const d = ok(await run("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: EMERGENCY, y: 2026, q: 1 }));
    const r = d.quarterlyReport;
    expect(r).toMatchObject({
      agencyId: EMERGENCY, agencyKind: "EMERGENCY", regionCode: "500000", sectors: ["HAZARDOUS_CHEMICALS"], year: 2026, quarter: 1,
      periodStart: "2026-01-01T00:00:00+08:00", periodEnd: "2026-04-01T00:00:00+08:00", dueAt: "2026-04-15T23:59:59+08:00", quarterEnded: true,
    });
    expect(r.overall).toEqual(EMERGENCY_OVERALL);
    expect(r.bySector).toEqual([{ ...EMERGENCY_OVERALL, sector: "HAZARDOUS_CHEMICALS" }]);
    expect(r.byRegion).toEqual([EMERGENCY_500112, EMERGENCY_500113]);
  });

  it("the committee office's report counts every sector; a group policy counts once overall and in each sector it touches", async () => {
    const r = ok(await run("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: COMMITTEE, y: 2026, q: 1 })).quarterlyReport;
    expect(r.sectors).toBeNull();
    expect(r.overall).toEqual(COMMITTEE_OVERALL);
    expect(r.bySector).toEqual([{ ...EMERGENCY_OVERALL, sector: "HAZARDOUS_CHEMICALS" }, CONSTRUCTION, OTHER]);
    expect(r.byRegion).toEqual([COMMITTEE_500112, COMMITTEE_500113]);
    // P5 touches both sectors: 3 + 2 policies by sector, 4 overall; its premium is split, so money adds up
    expect(r.bySector[0].insurance.policiesStarted + r.bySector[1].insurance.policiesStarted).toBe(5);
  });

  it("another department and a district department see only their own sector and region", async () => {
    const housing = ok(await run("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: HOUSING, y: 2026, q: 1 })).quarterlyReport;
    expect(housing.overall).toEqual({ ...CONSTRUCTION, sector: null });
    const district = ok(await run("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: "500112-EMERGENCY", y: 2026, q: 1 })).quarterlyReport;
    expect(district.overall).toEqual({ ...EMERGENCY_500112, regionCode: null, regionName: null });
    expect(district.byRegion).toEqual([]);
  });

  it("insured at quarter end means covering the quarter's last instant: a policy ending at 04-01 00:00 counts, one starting then does not", async () => {
    // chem2 alone: P2 ends exactly at periodEnd; chem3 alone: P3 starts exactly at periodEnd (P4 cancelled, P10 void)
    const r = ok(await run("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: EMERGENCY, y: 2026, q: 1 })).quarterlyReport;
    expect(r.byRegion[1].insurance).toMatchObject({ mandatoryEnterprises: 2, insuredEnterprises: 1, insuredEmployees: 50 }); // chem2's 50, not chem3's 20
    // in 2026 Q2 chem2 has no cover (P2 ended at its start) and chem3 has P3 from its first instant
    const q2 = ok(await run("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: EMERGENCY, y: 2026, q: 2 })).quarterlyReport;
    expect(q2.byRegion[1].insurance).toMatchObject({ mandatoryEnterprises: 2, insuredEnterprises: 1, insuredEmployees: 20, employees: 70, policiesStarted: 1, premiumTotal: "3000.00" });
  });

  it("the financial regulator's report covers every sector like the committee office's", async () => {
    const r = ok(await run("FINANCIAL_REGULATOR", REGULATOR, REPORT, { a: REGULATOR, y: 2026, q: 1 })).quarterlyReport;
    expect(r.overall).toEqual(COMMITTEE_OVERALL);
  });
});

describe("quarterlyReport: who may read it", () => {
  const Q = `query($a: String!) { quarterlyReport(agencyId: $a, year: 2026, quarter: 1) { agencyId overall { insurance { premiumTotal } preventionFund { extracted } } } }`;

  it("the agency itself, and the committee office and financial regulator over its region", async () => {
    // the department reads its own report; the fixture's 3 policies are all insurer A's: the small-cell rule withholds the premium
    expect(ok(await run("SECTOR_DEPARTMENT", EMERGENCY, Q, { a: EMERGENCY })).quarterlyReport.overall.insurance.premiumTotal).toBeNull();
    expect(ok(await run("COMMITTEE_OFFICE", COMMITTEE, Q, { a: EMERGENCY })).quarterlyReport.overall.insurance.premiumTotal).toBe("6400.00");
    expect(ok(await run("COMMITTEE_OFFICE", COMMITTEE, Q, { a: EMERGENCY })).quarterlyReport.overall.preventionFund.extracted).toBe("2900.00");
    expect(ok(await run("FINANCIAL_REGULATOR", REGULATOR, Q, { a: EMERGENCY })).quarterlyReport.agencyId).toBe(EMERGENCY);
    expect(ok(await run("COMMITTEE_OFFICE", COMMITTEE, Q, { a: "500112-EMERGENCY" })).quarterlyReport.agencyId).toBe("500112-EMERGENCY");
  });

  it("anyone else is FORBIDDEN: another department, a committee office elsewhere, a district department for its parent, insurers", async () => {
    for (const [role, org] of [
      ["SECTOR_DEPARTMENT", HOUSING],
      ["COMMITTEE_OFFICE", "350200-COMMITTEE_OFFICE"],
      ["SECTOR_DEPARTMENT", "500112-EMERGENCY"],
      ["INSURER", F.insurerA],
      ["ENTERPRISE", F.chemicals],
    ] as [Role, string][]) {
      const r = await run(role, org, Q, { a: EMERGENCY });
      expect(r.errors?.[0].extensions?.code, `${role} ${org}`).toBe("FORBIDDEN");
      expect(r.data?.quarterlyReport ?? null).toBeNull();
    }
  });

  it("an unknown agency is null; a bad quarter is BAD_USER_INPUT", async () => {
    expect(ok(await run("COMMITTEE_OFFICE", COMMITTEE, Q, { a: "500000-COAL" })).quarterlyReport).toBeNull();
    const r = await run("SECTOR_DEPARTMENT", EMERGENCY, `{ quarterlyReport(agencyId: "${EMERGENCY}", year: 2026, quarter: 5) { agencyId } }`);
    expect(r.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "quarter", rule: "range" });
  });
});

// the submission instants of the tests below
const JUST_BEFORE = at("2026-04-15T23:59:59+08:00");
const MIDNIGHT = at("2026-04-16T00:00:00+08:00");
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
/** The database's own error under drizzle's "Failed query" wrapper: its SQLSTATE and message. */
async function dbRefusal(q: ReturnType<typeof sql>): Promise<{ code: string; message: string }> {
  try {
    await database.db.execute(q);
  } catch (e: any) {
    const cause = e.cause ?? e;
    return { code: cause.code, message: cause.message };
  }
  throw new Error("the statement succeeded");
}
const APPEND_ONLY = { code: "23001", message: expect.stringMatching(/append-only/) };
const rowsOf = async (q: ReturnType<typeof sql>) => ((await database.db.execute(q)) as any).rows as any[];

describe("submitQuarterlyReport", () => {
  it("at 23:59:59 CST on the 15th day it is ON_TIME, a stored snapshot of the live figures with its SHA-256", async () => {
    const v = await viewer("SECTOR_DEPARTMENT", EMERGENCY, "zhang.san@emergency");
    const s = await submitQuarterlyReport(database.db, v, { agencyId: EMERGENCY, year: 2026, quarter: 1, note: "一季度报送" }, JUST_BEFORE);
    expect(s).toMatchObject({ version: 1, timeliness: "ON_TIME", submittedBy: "zhang.san@emergency", note: "一季度报送", correctionReason: null, hashVerified: true });
    expect(s.submittedAt.toISOString()).toBe(JUST_BEFORE.toISOString());
    expect(sha256(s.figures)).toBe(s.contentHash);
    const figures = JSON.parse(s.figures);
    expect(figures.overall).toEqual(EMERGENCY_OVERALL);
    expect(figures.byRegion).toEqual([EMERGENCY_500112, EMERGENCY_500113]);
    expect(figures).toMatchObject({ agencyId: EMERGENCY, year: 2026, quarter: 1, computedAt: JUST_BEFORE.toISOString(), quarterEnded: true });
    // the snapshot is exactly the live report at that instant
    const live = await quarterlyReport(database.db, v, EMERGENCY, 2026, 1, JUST_BEFORE);
    expect(figures).toEqual(JSON.parse(JSON.stringify(live)));
  });

  it("at 00:00:00 CST on the 16th day it is LATE", async () => {
    const s = await submitQuarterlyReport(database.db, await viewer("SECTOR_DEPARTMENT", HOUSING, "li.si@housing"), { agencyId: HOUSING, year: 2026, quarter: 1, note: null }, MIDNIGHT);
    expect(s).toMatchObject({ version: 1, timeliness: "LATE", note: null });
    expect(JSON.parse(s.figures).overall).toEqual({ ...CONSTRUCTION, sector: null });
  });

  it("a resubmission is a correction: it needs a reason, becomes version 2 and keeps version 1", async () => {
    const v = await viewer("SECTOR_DEPARTMENT", EMERGENCY, "wang.wu@emergency");
    await expect(submitQuarterlyReport(database.db, v, { agencyId: EMERGENCY, year: 2026, quarter: 1, note: "重报" }, MIDNIGHT)).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "correctionReason", rule: "required" },
    });
    const s = await submitQuarterlyReport(database.db, v, { agencyId: EMERGENCY, year: 2026, quarter: 1, note: "更正", correctionReason: "补录一笔赔款 / a payment was missing" }, MIDNIGHT);
    expect(s).toMatchObject({ version: 2, timeliness: "LATE", correctionReason: "补录一笔赔款 / a payment was missing", submittedBy: "wang.wu@emergency" });

    const q = `{ quarterlyReportSubmissions(agencyId: "${EMERGENCY}", year: 2026, quarter: 1) {
      version timeliness note correctionReason submittedBy submittedAt contentHash hashVerified figures report { computedAt overall { insurance { coverageRate } } } } }`;
    const list = ok(await run("COMMITTEE_OFFICE", COMMITTEE, q)).quarterlyReportSubmissions;
    expect(list.map((x: any) => [x.version, x.timeliness, x.submittedBy, x.submittedAt, x.correctionReason])).toEqual([
      [1, "ON_TIME", "zhang.san@emergency", "2026-04-15T23:59:59+08:00", null],
      [2, "LATE", "wang.wu@emergency", "2026-04-16T00:00:00+08:00", "补录一笔赔款 / a payment was missing"],
    ]);
    for (const x of list) {
      expect(sha256(x.figures)).toBe(x.contentHash);
      expect(x.hashVerified).toBe(true);
      expect(x.report.overall.insurance.coverageRate).toBe("0.6667");
    }
    expect(list[0].contentHash).not.toBe(list[1].contentHash); // computedAt differs
  });

  it("a first submission carries no correction reason", async () => {
    await expect(
      submitQuarterlyReport(database.db, await viewer("SECTOR_DEPARTMENT", "500000-TRANSPORT"), { agencyId: "500000-TRANSPORT", year: 2026, quarter: 1, correctionReason: "x" }, MIDNIGHT),
    ).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "correctionReason", rule: "not-a-correction" } });
  });

  it("a quarter that has not ended cannot be submitted", async () => {
    const v = await viewer("SECTOR_DEPARTMENT", EMERGENCY);
    await expect(submitQuarterlyReport(database.db, v, { agencyId: EMERGENCY, year: 2026, quarter: 2 }, at("2026-06-30T23:59:59.999+08:00"))).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "quarter", rule: "quarter-not-ended" },
    });
    const r = await run("SECTOR_DEPARTMENT", EMERGENCY, `mutation { submitQuarterlyReport(agencyId: "${EMERGENCY}", year: 2099, quarter: 1, note: "x") { version } }`);
    expect(r.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "quarter", rule: "quarter-not-ended" });
    expect(await rowsOf(sql`select 1 from quarterly_report_submissions where quarter = 2 or year = 2099`)).toEqual([]);
  });

  it("only the agency itself submits: FORBIDDEN for its committee office, another department, the regulator, an insurer", async () => {
    const doc = `mutation($a: String!) { submitQuarterlyReport(agencyId: $a, year: 2026, quarter: 1, note: "x") { version } }`;
    for (const [role, org, agency] of [
      ["COMMITTEE_OFFICE", COMMITTEE, EMERGENCY],
      ["SECTOR_DEPARTMENT", HOUSING, EMERGENCY],
      ["FINANCIAL_REGULATOR", REGULATOR, REGULATOR],
      ["INSURER", F.insurerA, EMERGENCY],
    ] as [Role, string, string][]) {
      const r = await run(role, org, doc, { a: agency });
      expect(r.errors?.[0].extensions?.code, `${role} ${org}`).toBe("FORBIDDEN");
    }
    expect((await rowsOf(sql`select count(*)::int as n from quarterly_report_submissions where agency_id = ${EMERGENCY}`))[0].n).toBe(2);
  });

  it("the committee office submits its own report through the API", async () => {
    const d = ok(await run("COMMITTEE_OFFICE", COMMITTEE, `mutation { submitQuarterlyReport(agencyId: "${COMMITTEE}", year: 2026, quarter: 1, note: "汇总") { version timeliness hashVerified report { overall { insurance { premiumTotal } } } } }`));
    // submitted now (after 2026-04-15), hence LATE
    expect(d.submitQuarterlyReport).toEqual({ version: 1, timeliness: "LATE", hashVerified: true, report: { overall: { insurance: { premiumTotal: "17177.00" } } } });
  });

  it("concurrent submissions never share a version: one first submission wins, corrections line up", async () => {
    const v = await viewer("SECTOR_DEPARTMENT", HOUSING);
    const when = at("2026-10-05T09:00:00+08:00");
    const firsts = await Promise.allSettled([0, 1, 2].map(() => submitQuarterlyReport(database.db, v, { agencyId: HOUSING, year: 2026, quarter: 3 }, when)));
    expect(firsts.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of firsts.filter((r): r is PromiseRejectedResult => r.status === "rejected")) {
      expect(["CONFLICT", "BAD_USER_INPUT"]).toContain(r.reason.extensions?.code);
    }
    const corrections = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => submitQuarterlyReport(database.db, v, { agencyId: HOUSING, year: 2026, quarter: 3, correctionReason: `更正 ${i}` }, when)),
    );
    expect(corrections.map((c) => c.version).sort()).toEqual([2, 3, 4, 5, 6]);
    const stored = await listSubmissions(database.db, await viewer("COMMITTEE_OFFICE", COMMITTEE), HOUSING, 2026, 3);
    expect(stored.map((s) => s.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("submissions are immutable in the database", () => {
  it("UPDATE and DELETE on quarterly_report_submissions raise, and the row is unchanged", async () => {
    const before = await rowsOf(sql`select version, content_hash, note from quarterly_report_submissions where agency_id = ${EMERGENCY} and year = 2026 and quarter = 1 order by version`);
    expect(await dbRefusal(sql`update quarterly_report_submissions set note = '改' where agency_id = ${EMERGENCY}`)).toEqual(APPEND_ONLY);
    expect(await dbRefusal(sql`update quarterly_report_submissions set figures = '{}'::jsonb, content_hash = 'x' where version = 1`)).toEqual(APPEND_ONLY);
    expect(await dbRefusal(sql`delete from quarterly_report_submissions where agency_id = ${EMERGENCY}`)).toEqual(APPEND_ONLY);
    expect(await dbRefusal(sql`truncate quarterly_report_submissions`)).toEqual(APPEND_ONLY);
    expect(await rowsOf(sql`select version, content_hash, note from quarterly_report_submissions where agency_id = ${EMERGENCY} and year = 2026 and quarter = 1 order by version`)).toEqual(before);
    expect(before).toHaveLength(2);
  });

  it("so is the audit log", async () => {
    // a sealed entry (the only UPDATE allowed, sealing, is tested in test/modules/audit.test.ts)
    await database.db.execute(sql`insert into audit_log (sub, role, org, operation, keys, request_hash, seq, prev_hash, hash)
      values ('test', 'SECTOR_DEPARTMENT', ${EMERGENCY}, 'submitQuarterlyReport', '{}'::jsonb, 'r', 1, '0', 'h')`);
    expect(await dbRefusal(sql`update audit_log set sub = 'someone else'`)).toEqual(APPEND_ONLY);
    expect(await dbRefusal(sql`delete from audit_log`)).toEqual(APPEND_ONLY);
    expect(await rowsOf(sql`select sub from audit_log`)).toEqual([{ sub: "test" }]);
  });
});

describe("reportingCompliance", () => {
  const MAY_1 = at("2026-05-01T12:00:00+08:00");

  it("every sector department in the subtree: status by first submission, days late, latest version, notice figures", async () => {
    const c = await reportingCompliance(database.db, await viewer("COMMITTEE_OFFICE", COMMITTEE), { year: 2026, quarter: 1, regionCode: "500000" }, MAY_1);
    expect({ onTime: c.onTime, late: c.late, missing: c.missing, pending: c.pending }).toEqual({ onTime: 1, late: 1, missing: 2, pending: 0 });
    expect(c.departments.map((d) => [d.agencyId, d.status, d.daysLate, d.latestVersion])).toEqual([
      // v2 was submitted late, but the first submission decides the status
      [EMERGENCY, "ON_TIME", 0, 2],
      [HOUSING, "LATE", 1, 1],
      // due 04-15 23:59:59.999; on 05-01 it is the 16th day after
      ["500000-TRANSPORT", "MISSING", 16, null],
      ["500112-EMERGENCY", "MISSING", 16, null],
    ]);
    const [em, ho, tr, district] = c.departments;
    expect(em.firstSubmittedAt?.toISOString()).toBe(JUST_BEFORE.toISOString());
    expect(em.latestSubmittedAt?.toISOString()).toBe(MIDNIGHT.toISOString());
    expect(em.notice).toEqual({
      source: "SUBMITTED", version: 2, mandatoryEnterprises: 3, insuredEnterprises: 2, coverageRate: "0.6667", employeeCoverageRate: "0.8824",
      claimsReported: 4, claimsPaid: "59000.00", preventionExtracted: "2900.00", preventionUsed: "850.00", serviceRate: "0.5000",
    });
    expect(ho.notice).toEqual({
      source: "SUBMITTED", version: 1, mandatoryEnterprises: 2, insuredEnterprises: 2, coverageRate: "1.0000", employeeCoverageRate: "0.9000",
      claimsReported: 1, claimsPaid: "9000.00", preventionExtracted: "500.00", preventionUsed: "150.00", serviceRate: "0.5000",
    });
    expect(tr.notice).toEqual({
      source: "LIVE", version: null, mandatoryEnterprises: 0, insuredEnterprises: 0, coverageRate: null, employeeCoverageRate: null,
      claimsReported: 0, claimsPaid: "0.00", preventionExtracted: "0.00", preventionUsed: "0.00", serviceRate: null,
    });
    expect(district.notice).toEqual({
      source: "LIVE", version: null, mandatoryEnterprises: 1, insuredEnterprises: 1, coverageRate: "1.0000", employeeCoverageRate: "1.0000",
      claimsReported: 4, claimsPaid: "53000.00", preventionExtracted: "2900.00", preventionUsed: "650.00", serviceRate: "1.0000",
    });
  });

  it("before the due instant a quarter without a submission is PENDING", async () => {
    const c = await reportingCompliance(database.db, await viewer("COMMITTEE_OFFICE", COMMITTEE), { year: 2026, quarter: 2, regionCode: "500000" }, at("2026-07-15T23:59:59+08:00"));
    expect(c.departments.map((d) => [d.status, d.daysLate])).toEqual([["PENDING", 0], ["PENDING", 0], ["PENDING", 0], ["PENDING", 0]]);
    const after = await reportingCompliance(database.db, await viewer("COMMITTEE_OFFICE", COMMITTEE), { year: 2026, quarter: 2, regionCode: "500000" }, at("2026-07-16T00:00:00+08:00"));
    expect(after.departments.map((d) => [d.status, d.daysLate])).toEqual([["MISSING", 1], ["MISSING", 1], ["MISSING", 1], ["MISSING", 1]]);
  });

  it("through the API: the committee office over the region only", async () => {
    const q = `query($r: String!) { reportingCompliance(year: 2026, quarter: 1, regionCode: $r) { regionCode dueAt departments { agencyId status latestVersion notice { source coverageRate } } } }`;
    const d = ok(await run("COMMITTEE_OFFICE", COMMITTEE, q, { r: "500112" })).reportingCompliance;
    expect(d).toEqual({ regionCode: "500112", dueAt: "2026-04-15T23:59:59+08:00", departments: [{ agencyId: "500112-EMERGENCY", status: "MISSING", latestVersion: null, notice: { source: "LIVE", coverageRate: "1.0000" } }] });
    const all = ok(await run("COMMITTEE_OFFICE", COMMITTEE, q, { r: "500000" })).reportingCompliance;
    expect(all.departments.map((x: any) => x.status)).toEqual(["ON_TIME", "LATE", "MISSING", "MISSING"]);
    for (const [role, org] of [["SECTOR_DEPARTMENT", EMERGENCY], ["COMMITTEE_OFFICE", "350200-COMMITTEE_OFFICE"], ["FINANCIAL_REGULATOR", REGULATOR]] as [Role, string][]) {
      const r = await run(role, org, q, { r: "500000" });
      expect(r.errors?.[0].extensions?.code, `${role} ${org}`).toBe("FORBIDDEN");
    }
  });
});

describe("scope: a department never counts another sector's or region's enterprises", () => {
  it("out-of-scope rows inside the quarter change nothing in its report, and do change the reports that cover them", async () => {
    const now = at("2026-05-01T00:00:00+08:00");
    const report = async (org: string, role: Role = "SECTOR_DEPARTMENT") => quarterlyReport(database.db, await viewer(role, org), org, 2026, 1, now);
    const before = { emergency: await report(EMERGENCY), housing: await report(HOUSING), committee: await report(COMMITTEE, "COMMITTEE_OFFICE"), xiamen: await report("350200-EMERGENCY") };

    await loadOutOfScopeRows(database.db);

    expect(await report(EMERGENCY)).toEqual(before.emergency);
    expect(await report(HOUSING)).toEqual(before.housing);
    expect((await report(EMERGENCY)).overall).toEqual(EMERGENCY_OVERALL);
    // the same rows are inside the quarter: the committee office (road transport, 500112) and Xiamen see them
    const committee = await report(COMMITTEE, "COMMITTEE_OFFICE");
    expect(committee.overall.accidents.accidents).toBe(before.committee!.overall.accidents.accidents + 1);
    expect(committee.overall.insurance).toMatchObject({ mandatoryEnterprises: 6, insuredEnterprises: 5, policiesStarted: 5, premiumTotal: "21177.00" });
    expect(committee.overall.preventionFund).toMatchObject({ extracted: "4200.00", used: "1100.00" });
    const xiamen = await report("350200-EMERGENCY");
    expect(xiamen.overall.claims.claimsReported).toBe(before.xiamen!.overall.claims.claimsReported + 1);
    expect(xiamen.overall.services.hazardsFound).toBe(before.xiamen!.overall.services.hazardsFound + 1);
  });
});

describe("a submitted snapshot never changes", () => {
  it("a claim recorded later changes the live report, not the submissions or the notice built from them", async () => {
    const v = await viewer("COMMITTEE_OFFICE", COMMITTEE);
    const before = await listSubmissions(database.db, v, EMERGENCY, 2026, 1);
    await database.db.insert(claims).values({ insurerUscc: F.insurerA, claimRef: "C9", policyId: ids.policy.P1, enterpriseUscc: F.chemicals, reportedAt: at("2026-02-02T08:00:00+08:00") });

    const live = await quarterlyReport(database.db, v, EMERGENCY, 2026, 1);
    expect(live!.overall.claims.claimsReported).toBe(5);
    const after = await listSubmissions(database.db, v, EMERGENCY, 2026, 1);
    expect(after).toEqual(before);
    expect(after.every((s) => s.hashVerified && JSON.parse(s.figures).overall.claims.claimsReported === 4)).toBe(true);
    const c = await reportingCompliance(database.db, v, { year: 2026, quarter: 1, regionCode: "500000" }, at("2026-05-01T12:00:00+08:00"));
    expect(c.departments[0].notice).toMatchObject({ source: "SUBMITTED", version: 2, claimsReported: 4 });
  });
});
