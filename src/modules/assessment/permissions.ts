import { rule } from "graphql-shield";
import type { Role } from "../../domain/vocabulary.js";
import type { Context } from "../../graphql/context.js";

const roles = (...allowed: Role[]) => rule({ cache: "contextual" })((_p, _a, ctx: Context) => allowed.includes(ctx.viewer.role));

/** Committee office and financial regulator: every insurer's figures in their region subtree. */
const regulators = roles("COMMITTEE_OFFICE", "FINANCIAL_REGULATOR");
/** The two above, and an insurer for its own assessment (the service refuses any other insurer id). */
const assessmentReaders = roles("COMMITTEE_OFFICE", "FINANCIAL_REGULATOR", "INSURER");
const agencies = roles("COMMITTEE_OFFICE", "FINANCIAL_REGULATOR", "SECTOR_DEPARTMENT");

/**
 * Small-cell rule: an insurer reads its own assessment and its market share, never the region's
 * market premium (the sum of its competitors' premiums) nor the ranking of all insurers.
 */
export const assessmentPermissions = {
  Query: { insurerAssessment: assessmentReaders, insurerRanking: regulators, pureRiskLossRates: agencies },
  InsurerAssessment: assessmentReaders,
  InsurerUnderwriting: { "*": assessmentReaders, marketPremium: regulators },
  InsurerClaims: assessmentReaders,
  InsurerPrevention: assessmentReaders,
  InsurerServiceKind: assessmentReaders,
  FindingCount: assessmentReaders,
  InsurerRanking: regulators,
  InsurerRankingEntry: regulators,
  PureRiskLossRates: agencies,
  PureRiskLossRate: agencies,
};
