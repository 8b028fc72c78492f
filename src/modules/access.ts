import { AUDIENCES, audienceOutcome, inAudience, ROLES, type AccessSlice, type Audience, type Outcome, type Role7 } from "../auth/audiences.js";
import type { Viewer } from "../auth/viewer.js";
import type { Role } from "../domain/vocabulary.js";
import { forbidden } from "../graphql/errors.js";
import { assessmentAccess } from "./assessment/access.js";
import { auditAccess } from "./audit/access.js";
import { claimAccess } from "./claims/access.js";
import { complianceAccess } from "./compliance/access.js";
import { coverageAccess } from "./coverage/access.js";
import { enterpriseAccess } from "./enterprises/access.js";
import { fundAccess } from "./funds/access.js";
import { policyAccess } from "./policies/access.js";
import { preventionAccess } from "./prevention/access.js";
import { registryAccess } from "./registry/access.js";
import { reportingAccess } from "./reporting/access.js";
import { rulesAccess } from "./rules/access.js";

export { AUDIENCES, ROLES, type Audience, type Outcome, type Role7 } from "../auth/audiences.js";

/**
 * THE PERMISSION SOURCE: who reads which field of which type, and who may call which mutation. It is
 * the one statement of access; everything that decides access is derived from it:
 * - the field rules of the served schema (src/graphql/permissions.ts: DENIED → null + FORBIDDEN);
 * - masking (claims: Claimant.name/idNumber by `outcome`, compliance: ComplianceFinding.message);
 * - the read planner's field outcomes (src/graphql/plan);
 * - who reads trade secrets whole (the small-cell rule's input, src/auth/small-cell.ts);
 * - the audit's list of sensitive fields (src/modules/audit/sensitive.ts: every field under
 *   CONTACT_DETAILS, CLAIMANT_PII or TRADE_SECRET);
 * - the mutation gate, and the same check in each command (`requireCaller`), for callers that do not
 *   come through GraphQL;
 * - docs/permissions.md (`npm run permissions:doc`; a test fails when it is stale).
 * Each module keeps its slice beside it (src/modules/<module>/access.ts); the audiences and outcomes
 * are src/auth/audiences.ts. Which ROWS a role sees is row scoping, src/auth/scope.ts (each slice's
 * `rows` says it per type in prose). test/auth/matrix.test.ts queries every field of every type as
 * every role on the demo data and compares what comes back with this source; a field of the SDL
 * without an entry fails it, and so does an entry for a field that no longer exists.
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

const SLICES: Readonly<Record<string, AccessSlice>> = {
  registry: registryAccess,
  rules: rulesAccess,
  enterprises: enterpriseAccess,
  policies: policyAccess,
  claims: claimAccess,
  prevention: preventionAccess,
  funds: fundAccess,
  compliance: complianceAccess,
  coverage: coverageAccess,
  reporting: reportingAccess,
  assessment: assessmentAccess,
  audit: auditAccess,
};

/** type → field → audience, merged from the slices (a field in two slices, or twice in one, is an error). */
function merge(): Map<string, Map<string, Audience>> {
  const out = new Map<string, Map<string, Audience>>();
  const add = (module: string, type: string, field: string, audience: Audience) => {
    let fields = out.get(type);
    if (!fields) out.set(type, (fields = new Map()));
    if (fields.has(field)) throw new Error(`access: ${type}.${field} listed twice (again in ${module}/access.ts under ${audience})`);
    fields.set(field, audience);
  };
  for (const [module, slice] of Object.entries(SLICES)) {
    for (const [type, groups] of Object.entries(slice.read)) {
      for (const [audience, list] of Object.entries(groups) as [Audience, string][]) {
        for (const f of list.split(/\s+/).filter(Boolean)) add(module, type, f, audience);
      }
    }
    for (const [mutation, w] of Object.entries(slice.write ?? {})) add(module, "Mutation", mutation, w.callers);
  }
  return out;
}

const INDEX = merge();

/** The matrix as data: type → audience → fields (space-separated), Mutation included. */
export const MATRIX: Readonly<Record<string, Partial<Record<Audience, string>>>> = Object.fromEntries(
  [...INDEX].map(([type, fields]) => {
    const groups: Partial<Record<Audience, string>> = {};
    for (const [f, a] of fields) groups[a] = groups[a] ? `${groups[a]} ${f}` : f;
    return [type, groups];
  }),
);

/** Every mutation's callers and ownership check. */
export const MUTATIONS: Readonly<Record<string, { callers: Audience; owns: string; module: string }>> = Object.fromEntries(
  Object.entries(SLICES).flatMap(([module, s]) => Object.entries(s.write ?? {}).map(([m, w]) => [m, { ...w, module }])),
);

/** Per type, per role, which rows (prose). */
export const ROWS: Readonly<Record<string, Partial<Record<Role7, string>>>> = Object.fromEntries(Object.values(SLICES).flatMap((s) => Object.entries(s.rows ?? {})));

/** The fields the matrix lists for a type (undefined: the type has no entry). */
export function matrixFields(type: string): string[] | undefined {
  const f = INDEX.get(type);
  return f && [...f.keys()];
}

export function audienceOf(type: string, field: string): Audience | undefined {
  return INDEX.get(type)?.get(field);
}

/** What `role` gets from `type.field` (or whether it may call a mutation); undefined: no entry. */
export function expected(type: string, field: string, role: Role): Outcome | undefined {
  const a = audienceOf(type, field);
  return a && audienceOutcome(a, role);
}

/** As `expected`, with DENIED for a field the matrix does not list (deny by default). */
export function outcome(type: string, field: string, role: Role): Outcome {
  return expected(type, field, role) ?? "DENIED";
}

/** Every (type, field, audience) the matrix lists. */
export function* entries(): Generator<[type: string, field: string, audience: Audience]> {
  for (const [type, fields] of INDEX) for (const [field, audience] of fields) yield [type, field, audience];
}

/**
 * The mutation gate for a command called without GraphQL (scripts, other services): the caller's role
 * must be among the mutation's callers. The GraphQL layer checks the same entry before the resolver
 * runs; the command then makes its ownership check (MUTATIONS[m].owns).
 */
export function requireCaller(viewer: Viewer, mutation: string): asserts viewer is Viewer & { org: string } {
  const m = MUTATIONS[mutation];
  if (!m) throw new Error(`access: no mutation ${mutation}`);
  if (!inAudience(m.callers, viewer.role) || !viewer.org) {
    const who = ROLES.filter((r) => inAudience(m.callers, r)).join(", ");
    throw forbidden(`${mutation} 仅限 ${who} 调用 / only ${who} may call ${mutation}`);
  }
}

/** The data classes the audit records reads of: the audiences of personal data and trade secrets. */
export const SENSITIVE_AUDIENCES: Readonly<Partial<Record<Audience, "PERSONAL" | "TRADE_SECRET">>> = {
  CONTACT_DETAILS: "PERSONAL",
  CLAIMANT_PII: "PERSONAL",
  TRADE_SECRET: "TRADE_SECRET",
};

/** type → field → data class, for every sensitive field of the matrix. */
export function sensitiveFields(): Map<string, Map<string, "PERSONAL" | "TRADE_SECRET">> {
  const out = new Map<string, Map<string, "PERSONAL" | "TRADE_SECRET">>();
  for (const [type, field, audience] of entries()) {
    const cls = SENSITIVE_AUDIENCES[audience];
    if (!cls) continue;
    if (!out.has(type)) out.set(type, new Map());
    out.get(type)!.set(field, cls);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// docs/permissions.md

const OUTCOME_CELL: Record<Outcome, string> = { ALLOWED: "✓", DENIED: "–", MASKED: "masked", HANDLER: "handler", SMALL_CELL: "small-cell" };

/** docs/permissions.md: generated from the source (npm run permissions:doc), checked by a test. */
export function permissionsMarkdown(): string {
  const head = (cols: readonly string[]) => `| ${cols.join(" | ")} |\n|${cols.map(() => "---").join("|")}|\n`;
  const lines: string[] = [
    "# 权限矩阵 / Permission matrix",
    "",
    "Generated from the permission source (src/modules/access.ts and each module's `access.ts`) by",
    "`npm run permissions:doc`; a test fails when this file is stale. Do not edit it by hand.",
    "",
    "Outcomes: ✓ the value as stored; – null with a `FORBIDDEN` error at the field's path; masked: the",
    "protected part removed (张*, 500***********1234; finding messages without trade-secret figures);",
    "handler: whole for the insurer handling the claim, masked for everyone else; small-cell: an aggregate",
    "of trade secrets, shown only where the small-cell rule allows (null and listed in `withheld` otherwise).",
    "A field under `CONTACT_DETAILS`, `CLAIMANT_PII` or `TRADE_SECRET` is audited on every read.",
    "",
    "## Audiences",
    "",
    head(["audience", ...ROLES]).trimEnd(),
    ...Object.entries(AUDIENCES).map(([a, row]) => `| ${a} | ${row.map((o) => OUTCOME_CELL[o]).join(" | ")} |`),
    "",
    "## Rows each role sees",
    "",
    "Row scoping is SQL (src/auth/scope.ts); a row outside scope is absent, a lookup by key answers null.",
    "",
    head(["type", ...ROLES.filter((r) => r !== "PUBLIC")]).trimEnd(),
    ...Object.entries(ROWS).map(([type, byRole]) => `| ${type} | ${ROLES.filter((r) => r !== "PUBLIC").map((r) => byRole[r] ?? "").join(" | ")} |`),
    "",
    "PUBLIC sees no rows; it reads `viewer` and `insuranceStatus(uscc)` only.",
    "",
    "## Mutations",
    "",
    head(["mutation", "callers", "ownership check of the command"]).trimEnd(),
    ...Object.entries(MUTATIONS).map(([m, w]) => `| ${m} | ${w.callers} (${ROLES.filter((r) => inAudience(w.callers, r)).join(", ")}) | ${w.owns} |`),
    "",
    "## Fields",
    "",
    head(["type.field", "audience", ...ROLES]).trimEnd(),
  ];
  for (const [type, field, audience] of entries()) {
    if (type === "Mutation") continue;
    lines.push(`| ${type}.${field} | ${audience} | ${AUDIENCES[audience].map((o) => OUTCOME_CELL[o]).join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}
