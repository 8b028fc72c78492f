import { sql, type SQL, type AnyColumn } from "drizzle-orm";
import { regionPrefix } from "../domain/regions.js";
import type { Viewer } from "./viewer.js";

/**
 * Row scoping, the one place that decides which rows a viewer may see. Every list and loader adds
 * one of these conditions to its WHERE clause, so out-of-scope rows never leave the database.
 *
 * | role                | enterprises                              | policies and what hangs off them        |
 * |---------------------|------------------------------------------|-----------------------------------------|
 * | COMMITTEE_OFFICE    | region subtree                           | insuring an enterprise it sees          |
 * | FINANCIAL_REGULATOR | region subtree                           | insuring an enterprise it sees          |
 * | SECTOR_DEPARTMENT   | region subtree × its sectors             | insuring an enterprise it sees          |
 * | INSURER             | insured by one of its policies           | it is lead or co-insurer                |
 * | SERVICE_ORG         | insured by a policy that names it        | the policy names it (no claims, ledger) |
 * | ENTERPRISE          | itself                                   | insuring it                             |
 * | PUBLIC              | none                                     | none                                    |
 *
 * Claims, services and hazards concern one enterprise: agencies and enterprises see them through
 * that enterprise (a department never sees a park policy's claims for another sector's member),
 * insurers and service orgs through the policy.
 */
const NONE = sql`false`;

/** The viewer is an agency whose region subtree contains regionCode's whole subtree. */
export function coversRegion(v: Viewer, regionCode: string): boolean {
  return !!v.jurisdiction && regionPrefix(regionCode).startsWith(v.jurisdiction.regionPrefix);
}

/**
 * The viewer is an agency whose region subtree contains regionCode's subtree or lies inside it (an
 * ancestor region, counted within the viewer's own subtree: coverage asks this).
 */
export function overlapsRegion(v: Viewer, regionCode: string): boolean {
  const p = regionPrefix(regionCode);
  return !!v.jurisdiction && (p.startsWith(v.jurisdiction.regionPrefix) || v.jurisdiction.regionPrefix.startsWith(p));
}

function geo(v: Viewer, region: SQL | AnyColumn, sector: SQL | AnyColumn): SQL {
  const j = v.jurisdiction;
  if (!j) return NONE;
  const inRegion = sql`${region} like ${j.regionPrefix + "%"}`;
  if (j.sectors === "ALL") return inRegion;
  if (j.sectors.length === 0) return NONE;
  return sql`(${inRegion} and ${sector} = any(${sqlTextArray(j.sectors)}))`;
}

function sqlTextArray(values: readonly string[]): SQL {
  return sql`array[${sql.join(values.map((s) => sql`${s}`), sql`, `)}]::text[]`;
}

/** Condition on the enterprises table itself. */
export function enterpriseRows(v: Viewer): SQL {
  return enterpriseVisible(v, sql.raw(`"enterprises"."uscc"`), true);
}

/** Condition that the enterprise whose USCC is in `uscc` is visible. */
export function enterpriseVisible(v: Viewer, uscc: SQL | AnyColumn, onEnterprisesTable = false): SQL {
  switch (v.role) {
    case "COMMITTEE_OFFICE":
    case "FINANCIAL_REGULATOR":
    case "SECTOR_DEPARTMENT":
      return onEnterprisesTable
        ? geo(v, sql.raw(`"enterprises"."region_code"`), sql.raw(`"enterprises"."sector"`))
        : sql`exists (select 1 from enterprises e_s where e_s.uscc = ${uscc} and ${geo(v, sql.raw("e_s.region_code"), sql.raw("e_s.sector"))})`;
    case "INSURER":
      return sql`exists (select 1 from policy_enterprises pe_s join policy_coinsurers pc_s on pc_s.policy_id = pe_s.policy_id
                          where pe_s.enterprise_uscc = ${uscc} and pc_s.insurer_uscc = ${v.org})`;
    case "SERVICE_ORG":
      return sql`exists (select 1 from policy_enterprises pe_s join policy_service_orgs ps_s on ps_s.policy_id = pe_s.policy_id
                          where pe_s.enterprise_uscc = ${uscc} and ps_s.service_org_uscc = ${v.org})`;
    case "ENTERPRISE":
      return sql`${uscc} = ${v.org}`;
    default:
      return NONE;
  }
}

/** Condition that the policy whose id is in `policyId` is visible. */
export function policyVisible(v: Viewer, policyId: SQL | AnyColumn): SQL {
  switch (v.role) {
    case "INSURER":
      return sql`exists (select 1 from policy_coinsurers pc_p where pc_p.policy_id = ${policyId} and pc_p.insurer_uscc = ${v.org})`;
    case "SERVICE_ORG":
      return sql`exists (select 1 from policy_service_orgs ps_p where ps_p.policy_id = ${policyId} and ps_p.service_org_uscc = ${v.org})`;
    case "PUBLIC":
      return NONE;
    default:
      return sql`exists (select 1 from policy_enterprises pe_p where pe_p.policy_id = ${policyId} and ${enterpriseVisible(v, sql.raw("pe_p.enterprise_uscc"))})`;
  }
}

/**
 * Whether this viewer's scope on records is a property of the record's enterprise alone (agencies,
 * and an enterprise for itself): recordVisible(v, t) is enterpriseVisible(v, t.enterpriseUscc), and
 * policyVisible(v, p) holds for every policy insuring an enterprise the viewer sees. Then a record of
 * an enterprise already known to be visible needs no lookup; the read planner (src/graphql/plan) uses
 * it for records nested under the enterprise they belong to. Insurers and service organisations see
 * by policy, not by enterprise.
 */
export function scopeFollowsEnterprise(v: Viewer): boolean {
  return v.role === "COMMITTEE_OFFICE" || v.role === "FINANCIAL_REGULATOR" || v.role === "SECTOR_DEPARTMENT" || v.role === "ENTERPRISE";
}

/** Condition for a record of one enterprise under one policy (claim, service, hazard). */
export function recordVisible(v: Viewer, t: { enterpriseUscc: AnyColumn; policyId: AnyColumn }): SQL {
  return v.role === "INSURER" || v.role === "SERVICE_ORG" ? policyVisible(v, t.policyId) : enterpriseVisible(v, t.enterpriseUscc);
}

/**
 * Claims: as any record of one enterprise under one policy, except that a service organisation reads
 * none. Prevention work needs the policies, the enterprises' base data, services, hazards and
 * accidents; not claims, claimants or payments (personal data it has no purpose for).
 */
export function claimVisible(v: Viewer, t: { enterpriseUscc: AnyColumn; policyId: AnyColumn }): SQL {
  return v.role === "SERVICE_ORG" ? NONE : recordVisible(v, t);
}

/**
 * Ledger entries: the insurer's own, or, for agencies and an enterprise, those booked against a
 * policy they see. A service organisation reads none: the ledger is the insurer's books.
 */
export function fundEntryVisible(v: Viewer, t: { insurerUscc: AnyColumn; policyId: AnyColumn }): SQL {
  if (v.role === "SERVICE_ORG") return NONE;
  return v.role === "INSURER" ? sql`${t.insurerUscc} = ${v.org}` : sql`(${t.policyId} is not null and ${policyVisible(v, t.policyId)})`;
}
