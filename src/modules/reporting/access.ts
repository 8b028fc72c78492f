import type { AccessSlice } from "../../auth/audiences.js";

/**
 * Quarterly reports. Which agency's report a caller reads (the agency itself; the committee office or
 * financial regulator over its region) is an ownership check of the service, FORBIDDEN otherwise; the
 * money totals follow the small-cell rule (AGGREGATE_MONEY) for departments.
 */
export const reportingAccess: AccessSlice = {
  read: {
    Query: { AGENCIES: "quarterlyReport quarterlyReportSubmissions", COMMITTEE: "reportingCompliance" },
    QuarterlyReport: {
      AGENCIES:
        "agencyId agencyName agencyKind regionCode sectors year quarter periodStart periodEnd dueAt quarterEnded computedAt overall bySector byRegion withheld",
    },
    QuarterlyFigures: { AGENCIES: "sector regionCode regionName insurance accidents claims preventionFund services" },
    QuarterlyInsuranceFigures: {
      AGENCIES: "enterprisesInScope mandatoryEnterprises insuredEnterprises coverageRate employees insuredEmployees employeeCoverageRate policiesStarted",
      AGGREGATE_MONEY: "premiumTotal",
    },
    QuarterlyAccidentFigures: { AGENCIES: "accidents general larger major extraordinary deaths seriousInjuries directLoss" },
    QuarterlyClaimFigures: { AGENCIES: "claimsReported claimsSettled averageDaysToSettle paidTotal advancesPaid settlementsPaid paymentsByKind" },
    QuarterlyPaymentKindFigures: { AGENCIES: "kind payments amount" },
    QuarterlyFundFigures: { AGENCIES: "extractionEntries useEntries useByCategory", AGGREGATE_MONEY: "extracted used usedToExtractedRatio" },
    QuarterlyFundCategoryFigures: { AGENCIES: "category entries", AGGREGATE_MONEY: "amount" },
    QuarterlyServiceFigures: { AGENCIES: "services riskAssessments byKind hazardsFound majorHazards hazardsRectified servicedEnterprises serviceRate" },
    QuarterlyServiceKindFigures: { AGENCIES: "kind services" },
    QuarterlyReportSubmission: {
      AGENCIES: "agencyId year quarter version report contentHash hashVerified timeliness note correctionReason submittedBy submittedAt",
      AGGREGATE_MONEY: "figures",
    },
    ReportingCompliance: { COMMITTEE: "year quarter regionCode dueAt asOf onTime late missing pending departments" },
    DepartmentReporting: {
      COMMITTEE: "agencyId agencyName agencyKind regionCode sectors status daysLate firstSubmittedAt latestSubmittedAt latestVersion notice",
    },
    ProgressNoticeFigures: {
      COMMITTEE:
        "source version mandatoryEnterprises insuredEnterprises coverageRate employeeCoverageRate claimsReported claimsPaid preventionExtracted preventionUsed serviceRate",
    },
  },
  write: {
    submitQuarterlyReport: {
      callers: "DEPARTMENTS",
      owns: "只报送本部门（调用方自己）的季报 / the caller submits its own agency's report only",
    },
  },
};
