import { and, asc, desc, eq, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { claimVisible, policyVisible, recordVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import { anyOf } from "../../db/any.js";
import { claimants, claimPayments, claims, enterprises, hazards, policies, policyEnterprises, preventionServices } from "../../../schema/index.js";

/**
 * The lists that hang off a record, written ONCE: which child rows belong to a parent, which of them
 * the viewer may see (src/auth/scope.ts) and in what order. The DataLoaders (modules' loaders.ts)
 * batch them by `fk = any($keys)`; the read planner (compile.ts) correlates them to the parent row
 * inside one SQL statement. Both read the same definition, so the two paths cannot drift apart.
 * Every order ends in a unique column: equal answers never depend on the plan PostgreSQL chose.
 */
export interface Relation {
  /** the child rows' table */
  table: PgTable;
  /** the parent's column the children point at (e.g. policies.id) */
  parentKey: AnyColumn;
  /** the column holding the parent's key: on `table`, or on `through` */
  fk: AnyColumn;
  /** a link table between parent and child (policy_enterprises for an enterprise's policies) */
  through?: { table: PgTable; on: SQL };
  /** the viewer's row scope on the children; undefined = every child of a visible parent */
  scope(viewer: Viewer): SQL | undefined;
  /**
   * the enterprise a child belongs to, for the scope shortcut: where the viewer's scope follows the
   * enterprise (scope.ts scopeFollowsEnterprise), a child of an enterprise already shown is visible
   */
  owner?: AnyColumn;
  order: SQL[];
}

/** "Type.field" → its relation. */
export const RELATIONS: Record<string, Relation> = {
  "Enterprise.policies": {
    table: policies,
    parentKey: enterprises.uscc,
    fk: policyEnterprises.enterpriseUscc,
    through: { table: policyEnterprises, on: eq(policyEnterprises.policyId, policies.id) },
    owner: policyEnterprises.enterpriseUscc,
    scope: (v) => policyVisible(v, policies.id),
    order: [desc(policies.startAt), desc(policies.id)],
  },
  "Enterprise.claims": {
    table: claims,
    parentKey: enterprises.uscc,
    fk: claims.enterpriseUscc,
    owner: claims.enterpriseUscc,
    scope: (v) => claimVisible(v, claims),
    order: [desc(claims.reportedAt), desc(claims.id)],
  },
  "Enterprise.preventionServices": {
    table: preventionServices,
    parentKey: enterprises.uscc,
    fk: preventionServices.enterpriseUscc,
    owner: preventionServices.enterpriseUscc,
    scope: (v) => recordVisible(v, preventionServices),
    order: [desc(preventionServices.performedAt), desc(preventionServices.id)],
  },
  "Enterprise.hazards": {
    table: hazards,
    parentKey: enterprises.uscc,
    fk: hazards.enterpriseUscc,
    owner: hazards.enterpriseUscc,
    scope: (v) => recordVisible(v, hazards),
    order: [asc(hazards.id)],
  },
  "Policy.claims": {
    table: claims,
    parentKey: policies.id,
    fk: claims.policyId,
    owner: claims.enterpriseUscc,
    scope: (v) => claimVisible(v, claims),
    order: [desc(claims.reportedAt), desc(claims.id)],
  },
  "Policy.preventionServices": {
    table: preventionServices,
    parentKey: policies.id,
    fk: preventionServices.policyId,
    owner: preventionServices.enterpriseUscc,
    scope: (v) => recordVisible(v, preventionServices),
    order: [desc(preventionServices.performedAt), desc(preventionServices.id)],
  },
  "Policy.hazards": {
    table: hazards,
    parentKey: policies.id,
    fk: hazards.policyId,
    owner: hazards.enterpriseUscc,
    scope: (v) => recordVisible(v, hazards),
    order: [asc(hazards.id)],
  },
  "Claim.payments": {
    table: claimPayments,
    parentKey: claims.id,
    fk: claimPayments.claimId,
    // a visible claim's payments are all visible
    scope: () => undefined,
    order: [asc(claimPayments.paidAt), asc(claimPayments.id)],
  },
  "Claim.claimants": {
    table: claimants,
    parentKey: claims.id,
    fk: claimants.claimId,
    // a visible claim's claimants are all visible (their personal data is masked field by field)
    scope: () => undefined,
    order: [asc(claimants.id)],
  },
  "PreventionService.hazards": {
    table: hazards,
    parentKey: preventionServices.id,
    fk: hazards.serviceId,
    owner: hazards.enterpriseUscc,
    scope: (v) => recordVisible(v, hazards),
    order: [asc(hazards.seq), asc(hazards.id)],
  },
};

export function relation(name: string): Relation {
  const r = RELATIONS[name];
  if (!r) throw new Error(`no relation ${name}`);
  return r;
}

/** A DataLoader batch's condition: the children of these parents (`fk = any($keys)`) the viewer may see. */
export function childrenOf(rel: Relation, viewer: Viewer, keys: readonly (string | number)[]): SQL | undefined {
  return and(anyOf(rel.fk, keys), rel.scope(viewer));
}

/**
 * The children of `rel` for the parent row of the enclosing select, as ONE json column (json_agg in
 * the relation's order, the viewer's scope applied), revived into rows: a DataLoader that fetches a
 * list together with its parents instead of in a statement of its own.
 */
export function embeddedChildren<Row>(rel: Relation, viewer: Viewer, fields: Record<string, SQL | AnyColumn>, revive: (r: Record<string, unknown>) => Row): SQL<Row[]> {
  const obj = sql.join(Object.entries(fields).map(([k, v]) => sql`${sql.raw(`'${k}'`)}, ${v}`), sql`, `);
  return sql<Row[]>`coalesce((select json_agg(json_build_object(${obj}) order by ${sql.join(rel.order, sql`, `)}) from ${rel.table}
    where ${and(sql`${rel.fk} = ${rel.parentKey}`, rel.scope(viewer))}), '[]'::json)`.mapWith((v: unknown) =>
    (typeof v === "string" ? (JSON.parse(v) as Record<string, unknown>[]) : (v as Record<string, unknown>[])).map(revive),
  );
}

/** json's text of a timestamptz back to a Date, as drizzle maps the column */
export const reviveDate = (v: unknown) => (v == null ? null : new Date(v as string));
