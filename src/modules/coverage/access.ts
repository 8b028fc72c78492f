import type { AccessSlice } from "../../auth/audiences.js";

/** Coverage figures and the uninsured list are for agencies; insuranceStatus is the public lookup. */
export const coverageAccess: AccessSlice = {
  read: {
    Query: { AGENCIES: "coverage uninsuredEnterprises", EVERYONE: "insuranceStatus" },
    CoverageReport: { AGENCIES: "regionCode regionName sector asOf serviceFrom serviceTo overall bySector byRegion" },
    CoverageFigures: {
      AGENCIES:
        "regionCode regionName sector mandatoryEnterprises insuredEnterprises coverageRate employees insuredEmployees employeeCoverageRate " +
        "servicedEnterprises serviceRate targets coverageTargetMet employeeCoverageTargetMet serviceTargetMet",
    },
    CoverageTargets: { AGENCIES: "coverageRate employeeCoverageRate serviceRate sources defaulted" },
    UninsuredEnterpriseConnection: { AGENCIES: "edges pageInfo totalCount" },
    UninsuredEnterpriseEdge: { AGENCIES: "node cursor" },
    UninsuredEnterprise: { AGENCIES: "enterprise reason uninsuredSince daysUninsured blacklisted withinGracePeriod penalty" },
    PenaltyRange: { AGENCIES: "first uncorrected sources" },
    MoneyRange: { AGENCIES: "min max" },
    InsuranceStatus: { EVERYONE: "uscc insured periods" },
    InsurancePeriod: { EVERYONE: "insurerNames startAt endAt" },
  },
};
