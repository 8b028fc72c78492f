import type { AccessSlice } from "../../auth/audiences.js";

/**
 * Insurer assessments and pure risk loss rates. An insurer reads its own assessment only (the service
 * refuses another insurer id) and its market share under the small-cell rule, never the region's
 * market premium nor the ranking.
 */
export const assessmentAccess: AccessSlice = {
  read: {
    Query: { ASSESSMENT_READERS: "insurerAssessment", REGULATORS: "insurerRanking", AGENCIES: "pureRiskLossRates" },
    InsurerAssessment: {
      ASSESSMENT_READERS:
        "insurerId insurerName insurerShortName regionCode year quarter periodStart periodEnd computedAt underwriting claims prevention openFindings findingsByRule withheld",
    },
    InsurerUnderwriting: { ASSESSMENT_READERS: "policiesWritten policiesLed premium", REGULATORS: "marketPremium", MARKET_SHARE: "marketShare" },
    InsurerClaims: { ASSESSMENT_READERS: "claimsReported claimsSettled averageDaysToSettle p90DaysToSettle paidTotal advancesPaid advanceShare" },
    InsurerPrevention: {
      ASSESSMENT_READERS:
        "fundExtracted fundUsed fundFloor floorSources usedToExtractedRatio extractedToFloorRatio usedToFloorRatio servicesDelivered servicesContracted " +
        "serviceDeliveryRatio servicesByKind hazardsFound majorHazards hazardsRectified rectificationRate",
    },
    InsurerServiceKind: { ASSESSMENT_READERS: "kind delivered contracted" },
    FindingCount: { ASSESSMENT_READERS: "ruleCode open" },
    InsurerRanking: { REGULATORS: "regionCode year quarter orderBy marketPremium computedAt entries" },
    InsurerRankingEntry: { REGULATORS: "rank sortValue assessment" },
    PureRiskLossRates: { AGENCIES: "regionCode year periodStart periodEnd computedAt publicationRequired publicationSources overall bySector withheld" },
    PureRiskLossRate: { AGENCIES: "sector settledClaims settledAmount openClaims openReserves claimsIncurred", AGGREGATE_MONEY: "earnedPremium lossRate" },
  },
};
