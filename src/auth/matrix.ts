import type { Role } from "../domain/vocabulary.js";

/**
 * THE PERMISSION MATRIX: who reads which field of which type, and who may call which mutation.
 *
 * This is the reviewable statement of the hub's read and write rights. The enforcement lives
 * elsewhere (field rules: src/modules/<module>/permissions.ts merged by src/graphql/permissions.ts, fallback
 * deny; rows: src/auth/scope.ts; masking: claims/permissions.ts, compliance/permissions.ts; small cells:
 * src/modules/reporting/disclosure.ts). test/auth/matrix.test.ts queries every field of every type
 * reachable from the roots as every role on the demo data and compares what comes back with this table;
 * a field of the SDL (buildBaseSchema) without an entry here fails that test, and so does an entry for
 * a field that no longer exists.
 *
 * How to read it: every object type lists its fields under an AUDIENCE; the audience says, per role,
 * what the caller gets for that field on any row it can see at all. Which rows a role sees is row
 * scoping (src/auth/scope.ts: an agency its region subtree × sectors, an insurer the policies it lead- or
 * co-insures, a service org the policies naming it, an enterprise itself, PUBLIC nothing): a row outside
 * scope is simply absent, a lookup by key returns null. For `Mutation`, ALLOWED means the role passes
 * the permission gate (the command then checks that the record is the caller's own: cross-tenant
 * probes in test/auth/cross-tenant.test.ts); DENIED means FORBIDDEN before anything runs.
 *
 * Outcomes
 *   ALLOWED     the value as stored.
 *   DENIED      null, with a FORBIDDEN error at the field's path (a non-null field nulls its parent).
 *   MASKED      a value, with the protected part removed: claimants' names (张*) and ID numbers
 *               (500***********1234); finding messages whose figures are trade secrets, replaced by a
 *               text without the figures.
 *   HANDLER     whole for the insurer that handles the claim, MASKED for every other reader (a
 *               co-insurer of the policy included).
 *   SMALL_CELL  an aggregate of trade secrets: shown where the small-cell rule below allows, otherwise
 *               null with its path listed in the enclosing object's `withheld` (QuarterlyReport,
 *               PureRiskLossRates, InsurerAssessment); no error: the figure exists, it is not for you.
 *
 * THE SMALL-CELL RULE (src/auth/small-cell.ts; applied by src/modules/reporting/disclosure.ts and
 * src/modules/assessment/service.ts; tested in test/auth/cross-tenant.test.ts). Aggregates must not
 * reveal what a field rule hides. Premiums, rates and fund amounts are trade secrets that a sector
 * department does not read (TRADE_SECRET below), and an insurer reads only its own; yet a
 * department's quarterly report must carry the premium total and the prevention fund extracted and
 * used (渝府办发〔2017〕182号, DOMAIN.md), Henan publishes pure risk loss rates, and an insurer's
 * assessment shows its market share. Coverage, uninsuredEnterprises and insuranceStatus carry no
 * money; claim payments and reserves are not trade secrets. The rule:
 *   1. a money cell is shown to a reader who may not read the secrets it sums only if it sums nothing
 *      (0.00) or at least 3 distinct policies of at least 2 distinct insurers;
 *   2. complementary suppression, so that no withheld cell comes back by subtraction:
 *      - QuarterlyReport (department reading its own): premiumTotal, extracted, used per cell; bySector
 *        shows a figure in every sector row or in none (the rows add up to overall); byRegion never
 *        shows money (sector and region margins of one table, with the enterprise and policy lists a
 *        department can read, would let it solve for single cells); useByCategory amounts only if every
 *        category row of overall and of every sector passes; usedToExtractedRatio only with both
 *        amounts; the same on stored submissions (report and figures) and on exports;
 *      - PureRiskLossRates (department): earnedPremium and lossRate (claimsIncurred ÷ lossRate is the
 *        earned premium) per cell, bySector all rows or none, and only for the department's own
 *        jurisdiction region (two narrower regions would difference to one policy);
 *      - InsurerAssessment (insurer reading its own): marketShare only if the region's policies it has
 *        no share in pass rule 1 (own premium ÷ share = the market; market − own = the competitors);
 *   3. nothing before the period has ended (quarter; year for loss rates): two readings a day apart
 *      would reveal the premium of the one policy filed in between.
 *   Readers of trade secrets (COMMITTEE_OFFICE, FINANCIAL_REGULATOR) see every figure. Residual risk,
 *   accepted: after the period has ended, readings taken at different times differ by late filings,
 *   amendments and cancellations of that period's policies — compliance events the department
 *   supervises, visible one policy at a time only when a single one happens between two readings.
 */

export const ROLES = ["COMMITTEE_OFFICE", "SECTOR_DEPARTMENT", "FINANCIAL_REGULATOR", "INSURER", "SERVICE_ORG", "ENTERPRISE", "PUBLIC"] as const satisfies readonly Role[];

export type Outcome = "ALLOWED" | "DENIED" | "MASKED" | "HANDLER" | "SMALL_CELL";

const A = "ALLOWED", D = "DENIED", M = "MASKED", H = "HANDLER", S = "SMALL_CELL";
type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

/** Audiences: one row per audience, one column per role (in ROLES order). */
export const AUDIENCES = {
  //                       COMMITTEE  SECTOR_DEPT  FIN_REGULATOR  INSURER  SERVICE_ORG  ENTERPRISE  PUBLIC
  /** anyone, no token needed */
  EVERYONE:              [A,         A,           A,             A,       A,           A,          A],
  /** any signed-in caller; what it sees is narrowed by row scoping */
  MEMBERS:               [A,         A,           A,             A,       A,           A,          D],
  /** committee offices, sector departments, financial regulators */
  AGENCIES:              [A,         A,           A,             D,       D,           D,          D],
  /** the committee office alone */
  COMMITTEE:             [A,         D,           D,             D,       D,           D,          D],
  /** premiums, rates, commission, fund amounts, service costs: never a department or service org */
  TRADE_SECRET:          [A,         D,           A,             A,       D,           A,          D],
  /** personal contact data of an enterprise: its supervisors and itself */
  CONTACT_DETAILS:       [A,         A,           D,             D,       D,           A,          D],
  /** claimants' names and ID numbers: whole only for the handling insurer */
  CLAIMANT_PII:          [M,         M,           M,             H,       M,           M,          D],
  /** finding messages: figures that are trade secrets are cut out for those who may not read them */
  FINDING_TEXT:          [A,         M,           A,             A,       M,           A,          D],
  /** premium and fund totals of reports and loss rates: the small-cell rule for departments */
  AGGREGATE_MONEY:       [A,         S,           A,             D,       D,           D,          D],
  /** insurer assessments: the regulators, and an insurer its own (the service refuses another id) */
  ASSESSMENT_READERS:    [A,         D,           A,             A,       D,           D,          D],
  /** an insurer's market share: the small-cell rule for the insurer itself (share and own premium give the market) */
  MARKET_SHARE:          [A,         D,           A,             S,       D,           D,          D],
  /** the committee office and the financial regulator */
  REGULATORS:            [A,         D,           A,             D,       D,           D,          D],
  /** writers: insurers push filings, claims and their ledger */
  INSURERS:              [D,         D,           D,             A,       D,           D,          D],
  /** writers: services and rectifications, by the lead insurer or a named service org */
  SERVICE_WRITERS:       [D,         D,           D,             A,       A,           D,          D],
  /** writers: enterprise base data, accidents, the agency's own quarterly report */
  DEPARTMENTS:           [A,         A,           D,             D,       D,           D,          D],
} as const satisfies Record<string, Row>;

export type Audience = keyof typeof AUDIENCES;

/** Every object type of the SDL: its fields, space-separated, under the audience that may read them. */
export const MATRIX: Record<string, Partial<Record<Audience, string>>> = {
  // ---- roots
  Query: {
    MEMBERS: "claims accidents enterprise enterprises fundEntries policy policies preventionServices hazards complianceFindings ruleProfile auditLog",
    EVERYONE: "viewer insuranceStatus",
    AGENCIES: "coverage uninsuredEnterprises quarterlyReport quarterlyReportSubmissions pureRiskLossRates",
    COMMITTEE: "reportingCompliance",
    ASSESSMENT_READERS: "insurerAssessment",
    REGULATORS: "insurerRanking",
  },
  Mutation: {
    INSURERS: "filePolicy filePolicies amendPolicy cancelPolicy reportClaim recordClaimPayment assessClaim settleClaim recordFundEntry",
    SERVICE_WRITERS: "recordPreventionService recordHazardRectification",
    DEPARTMENTS: "upsertEnterprises recordAccident submitQuarterlyReport",
  },

  // ---- the caller and the registry
  Viewer: { EVERYONE: "sub role org purpose jurisdiction agency" },
  Jurisdiction: { EVERYONE: "regionCode sectors" },
  Agency: { EVERYONE: "id name kind regionCode" },
  Region: { MEMBERS: "code name parentCode level" },
  Insurer: { MEMBERS: "uscc name shortName" },
  Broker: { MEMBERS: "uscc name" },
  ServiceOrg: { MEMBERS: "uscc name" },
  RuleProfileView: { MEMBERS: "regionCode profiles rules" },
  EffectiveRule: { MEMBERS: "key label value sources" },
  RateFloatBand: { MEMBERS: "min max reason source hazardSurchargeAllowed" },

  // ---- enterprises
  Enterprise: {
    MEMBERS:
      "uscc name regionCode address industryCode sector riskTags employeeCount status safetyLicenseNo standardizationGrade blacklisted updatedAt " +
      "claims accidents region mandatory insuredNow policies preventionServices hazards openFindings rateFloatBand",
    CONTACT_DETAILS: "legalRepresentative contactName contactPhone",
  },
  Accident: { MEMBERS: "id enterpriseUscc occurredAt deaths seriousInjuries directLoss grade description enterprise" },

  // ---- policies
  Policy: {
    MEMBERS:
      "id policyNo insurerUscc startAt endAt cancelledAt cancelReason insuredHeadcount deathLimitPerPerson medicalLimitPerPerson thirdPartyLimit " +
      "coverageItems isGroupPolicy version claims fundEntries status insurer broker insuredEnterprises coinsurers servicePlan serviceOrgs versions " +
      "preventionServices hazards findings",
    TRADE_SECRET: "premium baseRate rateFloat commissionRatio preventionFundRatio",
  },
  InsuredEnterprise: { MEMBERS: "enterpriseUscc insuredHeadcount enterprise" },
  CoinsuranceShare: { MEMBERS: "insurerUscc share isLead insurer" },
  ServicePlanItem: { MEMBERS: "kind yearlyFrequency" },
  PolicyVersion: { MEMBERS: "version reason createdBy createdAt", TRADE_SECRET: "snapshot" },

  // ---- claims
  Claim: {
    MEMBERS:
      "id claimRef insurerUscc enterpriseUscc status reportedAt assessedAt settledAt rejectedAt rejectionReason reserve settledAmount " +
      "policy enterprise insurer accident claimants payments",
  },
  Claimant: { MEMBERS: "kind injury", CLAIMANT_PII: "name idNumber" },
  ClaimPayment: { MEMBERS: "paymentRef kind amount paidAt" },

  // ---- prevention and the fund ledger
  PreventionService: {
    MEMBERS: "id serviceRef insurerUscc enterpriseUscc kind performedAt place staff confirmedByEnterprise policy enterprise insurer serviceOrg hazards",
    TRADE_SECRET: "cost",
  },
  Hazard: { MEMBERS: "id seq enterpriseUscc description severity noticeDate deadline rectifiedAt status enterprise" },
  FundEntry: { MEMBERS: "id entryRef insurerUscc kind category bookedAt", TRADE_SECRET: "amount" },

  // ---- compliance
  ComplianceFinding: {
    MEMBERS: "id ruleCode severity source subjectKind subjectKey enterpriseUscc insurerUscc status foundAt resolvedAt",
    FINDING_TEXT: "message",
  },

  // ---- connections (Relay)
  PageInfo: { MEMBERS: "hasNextPage hasPreviousPage startCursor endCursor" },
  ClaimConnection: { MEMBERS: "edges pageInfo totalCount" },
  ClaimEdge: { MEMBERS: "node cursor" },
  AccidentConnection: { MEMBERS: "edges pageInfo totalCount" },
  AccidentEdge: { MEMBERS: "node cursor" },
  EnterpriseConnection: { MEMBERS: "edges pageInfo totalCount" },
  EnterpriseEdge: { MEMBERS: "node cursor" },
  FundEntryConnection: { MEMBERS: "edges pageInfo totalCount" },
  FundEntryEdge: { MEMBERS: "node cursor" },
  PolicyConnection: { MEMBERS: "edges pageInfo totalCount" },
  PolicyEdge: { MEMBERS: "node cursor" },
  PreventionServiceConnection: { MEMBERS: "edges pageInfo totalCount" },
  PreventionServiceEdge: { MEMBERS: "node cursor" },
  HazardConnection: { MEMBERS: "edges pageInfo totalCount" },
  HazardEdge: { MEMBERS: "node cursor" },
  ComplianceFindingConnection: { MEMBERS: "edges pageInfo totalCount" },
  ComplianceFindingEdge: { MEMBERS: "node cursor" },

  // ---- coverage (agencies) and the public lookup
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

  // ---- quarterly reports (which agency's report a caller may read: the agency itself, and the
  //      committee office or regulator over its region — checked by the service, FORBIDDEN otherwise)
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

  // ---- insurer assessment and pure risk loss rates
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

  // ---- the audit log (which entries: the committee office all, every other organisation its own)
  AuditEntryConnection: { MEMBERS: "edges pageInfo totalCount" },
  AuditEntryEdge: { MEMBERS: "node cursor" },
  AuditEntry: { MEMBERS: "id at sub role org purpose operation keys requestHash contentHash seq prevHash hash" },

  // ---- mutation results (the records inside keep their read rules above)
  PolicyFilingResult: { INSURERS: "idempotencyKey accepted replayed policy findings errors errorCode" },
  InputProblem: { EVERYONE: "field rule message" },
  ClaimResult: { INSURERS: "idempotencyKey replayed claim" },
  ClaimPaymentResult: { INSURERS: "idempotencyKey replayed claim payment" },
  FundEntryRecordResult: { INSURERS: "idempotencyKey replayed entry findings" },
  PreventionServiceRecordResult: { SERVICE_WRITERS: "idempotencyKey replayed service findings" },
  HazardRectificationResult: { SERVICE_WRITERS: "idempotencyKey replayed hazard findings" },
  EnterpriseUpsertResult: { DEPARTMENTS: "uscc accepted created errors errorCode" },
  AccidentRecordResult: { DEPARTMENTS: "idempotencyKey replayed accident" },
};

// ---------------------------------------------------------------------------------------------
// lookups

export type Role7 = (typeof ROLES)[number];

/** type → field → audience, with an error for a field listed twice. */
function index(): Map<string, Map<string, Audience>> {
  const out = new Map<string, Map<string, Audience>>();
  for (const [type, groups] of Object.entries(MATRIX)) {
    const fields = new Map<string, Audience>();
    for (const [audience, list] of Object.entries(groups) as [Audience, string][]) {
      for (const f of list.split(/\s+/).filter(Boolean)) {
        if (fields.has(f)) throw new Error(`matrix: ${type}.${f} listed under ${fields.get(f)} and ${audience}`);
        fields.set(f, audience);
      }
    }
    out.set(type, fields);
  }
  return out;
}

const INDEX = index();

/** The fields the matrix lists for a type (undefined: the type has no entry). */
export function matrixFields(type: string): string[] | undefined {
  const f = INDEX.get(type);
  return f && [...f.keys()];
}

export function audienceOf(type: string, field: string): Audience | undefined {
  return INDEX.get(type)?.get(field);
}

/** The expected outcome of reading `type.field` (or calling a mutation) as `role`; undefined without a row. */
export function expected(type: string, field: string, role: Role7): Outcome | undefined {
  const a = audienceOf(type, field);
  return a && AUDIENCES[a][ROLES.indexOf(role)];
}

/** The matrix as a Markdown table (role columns), for SECURITY.md and reviews. */
export function matrixMarkdown(): string {
  const head = `| type.field | ${ROLES.join(" | ")} |\n|---|${ROLES.map(() => "---").join("|")}|\n`;
  const rows: string[] = [];
  for (const [type, fields] of INDEX) {
    for (const [field, audience] of fields) rows.push(`| ${type}.${field} | ${AUDIENCES[audience].join(" | ")} |`);
  }
  return head + rows.join("\n") + "\n";
}
