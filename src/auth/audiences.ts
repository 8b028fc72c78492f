import type { Role } from "../domain/vocabulary.js";

/**
 * The vocabulary of the permission source (src/modules/access.ts): the roles, what a role gets for a
 * field (an Outcome), and the AUDIENCES, one row of outcomes per kind of reader. Every slice of the
 * matrix (src/modules/<module>/access.ts) lists its fields under these audiences; nothing else names
 * a set of roles.
 */

export const ROLES = ["COMMITTEE_OFFICE", "SECTOR_DEPARTMENT", "FINANCIAL_REGULATOR", "INSURER", "SERVICE_ORG", "ENTERPRISE", "PUBLIC"] as const satisfies readonly Role[];
export type Role7 = (typeof ROLES)[number];

/**
 *   ALLOWED     the value as stored.
 *   DENIED      null, with a FORBIDDEN error at the field's path (a non-null field nulls its parent).
 *   MASKED      a value, with the protected part removed: claimants' names (张*) and ID numbers
 *               (500***********1234); finding messages whose figures are trade secrets, replaced by a
 *               text without the figures.
 *   HANDLER     whole for the insurer that handles the claim, MASKED for every other reader (a
 *               co-insurer of the policy included).
 *   SMALL_CELL  an aggregate of trade secrets: shown where the small-cell rule allows, otherwise null
 *               with its path listed in the enclosing object's `withheld`; no error.
 */
export type Outcome = "ALLOWED" | "DENIED" | "MASKED" | "HANDLER" | "SMALL_CELL";

const A = "ALLOWED", D = "DENIED", M = "MASKED", H = "HANDLER", S = "SMALL_CELL";
type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

/** One row per audience, one column per role (in ROLES order). */
export const AUDIENCES = {
  //                       COMMITTEE  SECTOR_DEPT  FIN_REGULATOR  INSURER  SERVICE_ORG  ENTERPRISE  PUBLIC
  /** anyone, no token needed */
  EVERYONE:              [A,         A,           A,             A,       A,           A,          A],
  /** any signed-in caller; what it sees is narrowed by row scoping */
  MEMBERS:               [A,         A,           A,             A,       A,           A,          D],
  /** committee offices, sector departments (townships included), financial regulators */
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

/** What `role` gets from a field of this audience. */
export function audienceOutcome(audience: Audience, role: Role): Outcome {
  return AUDIENCES[audience][ROLES.indexOf(role as Role7)];
}

/** Whether `role` gets anything (not DENIED) from this audience. */
export const inAudience = (audience: Audience, role: Role): boolean => audienceOutcome(audience, role) !== "DENIED";

/** The roles that read this audience's fields (whole, masked or under the small-cell rule). */
export const audienceRoles = (audience: Audience): Role7[] => ROLES.filter((r) => inAudience(audience, r));

/**
 * A slice of the matrix, kept beside its module (src/modules/<module>/access.ts):
 * - `read`: every object type of the module, its fields space-separated under the audience that may
 *   read them (root fields under `Query`; a mutation's result type under the audience that calls it);
 * - `write`: every mutation of the module, the audience that may call it, and the ownership check its
 *   command makes on the record (a caller of the right role may still only write its own records).
 * Which ROWS a role sees is row scoping, src/auth/scope.ts, summarised per type in `rows`.
 */
export interface AccessSlice {
  read: Record<string, Partial<Record<Audience, string>>>;
  write?: Record<string, { callers: Audience; owns: string }>;
  /** per type, per role that reads it, which rows (prose, for docs/permissions.md; the SQL is scope.ts) */
  rows?: Record<string, Partial<Record<Role7, string>>>;
}

/** Who reads trade secrets whole: the roles of TRADE_SECRET (small-cell rule: the others see aggregates only when they pass). */
export const readsTradeSecrets = (v: { role: Role }): boolean => inAudience("TRADE_SECRET", v.role);

/** Committee offices, sector departments and financial regulators: the AGENCIES audience. */
export const isAgency = (v: { role: Role }): boolean => inAudience("AGENCIES", v.role);
