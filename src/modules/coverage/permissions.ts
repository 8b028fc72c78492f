import { rule } from "graphql-shield";
import { isAgency } from "../../auth/viewer.js";
import type { Context } from "../../graphql/context.js";
import { anyone } from "../../graphql/rules.js";

/** Committee offices, sector departments and financial regulators (what they count is narrowed by row scoping). */
export const agency = rule({ cache: "contextual" })((_p, _a, ctx: Context) => isAgency(ctx.viewer));

/**
 * Coverage figures and the uninsured list are for agencies; insuranceStatus is the one query open
 * to PUBLIC (CONTRACT.md), and its two types carry nothing but what the public may see.
 */
export const coveragePermissions = {
  Query: { coverage: agency, uninsuredEnterprises: agency, insuranceStatus: anyone },
  CoverageReport: agency,
  CoverageFigures: agency,
  CoverageTargets: agency,
  UninsuredEnterprise: agency,
  UninsuredEnterpriseConnection: agency,
  UninsuredEnterpriseEdge: agency,
  PenaltyRange: agency,
  MoneyRange: agency,
  InsuranceStatus: anyone,
  InsurancePeriod: anyone,
};
