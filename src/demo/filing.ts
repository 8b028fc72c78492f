/**
 * A compliant policy filing (filePolicy's input) for one enterprise over one year: the terms the demo,
 * the tests' fixture, the replica demo and the benchmark's ingest all push, varied field by field.
 */
export function sampleFiling(policyNo: string, uscc: string, headcount: number, period: { startAt: string; endAt: string }) {
  return {
    policyNo,
    insuredEnterprises: [{ uscc, insuredHeadcount: headcount }],
    startAt: period.startAt,
    endAt: period.endAt,
    premium: "12000.00",
    baseRate: "0.003000",
    rateFloat: "0.1000",
    commissionRatio: "0.0400",
    preventionFundRatio: "0.2000",
    deathLimitPerPerson: "500000.00",
    medicalLimitPerPerson: "50000.00",
    thirdPartyLimit: "1000000.00",
    coverageItems: ["EMPLOYEE_INJURY_DEATH", "THIRD_PARTY_INJURY", "RESCUE"],
    servicePlan: [
      { kind: "RISK_ASSESSMENT", yearlyFrequency: 1 },
      { kind: "HAZARD_INVESTIGATION", yearlyFrequency: 2 },
    ],
  };
}

/** The year 2027 in China Standard Time. */
export const YEAR_2027 = { startAt: "2027-01-01T00:00:00+08:00", endAt: "2028-01-01T00:00:00+08:00" };
