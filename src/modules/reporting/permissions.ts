import { department, rules } from "./rules.js";

/**
 * Field rules for the quarterly report. Who may read WHICH agency's report is decided in the
 * service (the agency itself; the committee office or financial regulator over its region), since it
 * depends on the arguments; here only agencies pass at all. The report's premium and fund totals
 * are aggregates each department must report (DOMAIN.md), so they are not gated as trade secrets.
 */
export const reportingPermissions = {
  Query: { quarterlyReport: rules.agency, quarterlyReportSubmissions: rules.agency, reportingCompliance: rules.committeeOffice },
  Mutation: { submitQuarterlyReport: department },
  QuarterlyReport: rules.agency,
  QuarterlyFigures: rules.agency,
  QuarterlyInsuranceFigures: rules.agency,
  QuarterlyAccidentFigures: rules.agency,
  QuarterlyClaimFigures: rules.agency,
  QuarterlyPaymentKindFigures: rules.agency,
  QuarterlyFundFigures: rules.agency,
  QuarterlyFundCategoryFigures: rules.agency,
  QuarterlyServiceFigures: rules.agency,
  QuarterlyServiceKindFigures: rules.agency,
  QuarterlyReportSubmission: rules.agency,
  ReportingCompliance: rules.committeeOffice,
  DepartmentReporting: rules.committeeOffice,
  ProgressNoticeFigures: rules.committeeOffice,
};
