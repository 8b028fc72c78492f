import { and, asc, desc, getTableColumns, sql, type SQL } from "drizzle-orm";
import { recordVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { anyOf } from "../../db/any.js";
import { groupedBy } from "../../graphql/dataloader.js";
import { relation } from "../../graphql/plan/relations.js";
import { hazards, preventionServices } from "../../../schema/index.js";

export type HazardRow = typeof hazards.$inferSelect;

const toDate = (v: unknown) => (v == null ? null : new Date(v as string));

/** A service's hazards the viewer may see, as hazardsOfService returns them, aggregated in SQL and mapped back to rows. */
function hazardsJson(visible: SQL) {
  return sql<HazardRow[]>`coalesce((
    select json_agg(json_build_object('id', ${hazards.id}, 'serviceId', ${hazards.serviceId}, 'policyId', ${hazards.policyId}, 'enterpriseUscc', ${hazards.enterpriseUscc},
                                      'seq', ${hazards.seq}, 'description', ${hazards.description}, 'severity', ${hazards.severity},
                                      'noticeDate', ${hazards.noticeDate}::text, 'deadline', ${hazards.deadline}::text, 'status', ${hazards.status},
                                      'rectifiedAt', ${hazards.rectifiedAt}, 'createdAt', ${hazards.createdAt}) order by ${hazards.seq}, ${hazards.id})
    from ${hazards} where ${hazards.serviceId} = "prevention_services"."id" and ${visible}), '[]'::json)`.mapWith((v: unknown) =>
    (typeof v === "string" ? (JSON.parse(v) as Record<string, unknown>[]) : (v as Record<string, unknown>[])).map(
      (h) =>
        ({ ...h, id: Number(h.id), serviceId: Number(h.serviceId), policyId: Number(h.policyId), rectifiedAt: toDate(h.rectifiedAt), createdAt: toDate(h.createdAt) }) as HazardRow,
    ),
  );
}

export function preventionLoaders(db: Db, viewer: Viewer) {
  const services = recordVisible(viewer, preventionServices);
  const hazardsVisible = recordVisible(viewer, hazards);
  return {
    servicesOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(preventionServices).where(and(anyOf(preventionServices.policyId, ids), services)).orderBy(...relation("Policy.preventionServices").order),
      (r) => r.policyId,
    ),
    /**
     * servicesOfPolicy with each service's hazards (hazardsOfService's rows, same scope, same order)
     * in the same statement, for queries that select them: one statement instead of two.
     */
    servicesWithHazardsOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db
          .select({ ...getTableColumns(preventionServices), hazards: hazardsJson(hazardsVisible) })
          .from(preventionServices)
          .where(and(anyOf(preventionServices.policyId, ids), services))
          .orderBy(...relation("Policy.preventionServices").order),
      (r) => r.policyId,
    ),
    servicesOfEnterprise: groupedBy(
      (usccs: readonly string[]) =>
        db.select().from(preventionServices).where(and(anyOf(preventionServices.enterpriseUscc, usccs), services)).orderBy(...relation("Enterprise.preventionServices").order),
      (r) => r.enterpriseUscc,
    ),
    hazardsOfService: groupedBy(
      (ids: readonly number[]) => db.select().from(hazards).where(and(anyOf(hazards.serviceId, ids), hazardsVisible)).orderBy(...relation("PreventionService.hazards").order),
      (r) => r.serviceId,
    ),
    hazardsOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(hazards).where(and(anyOf(hazards.policyId, ids), hazardsVisible)).orderBy(asc(hazards.id)),
      (r) => r.policyId,
    ),
    hazardsOfEnterprise: groupedBy(
      (usccs: readonly string[]) => db.select().from(hazards).where(and(anyOf(hazards.enterpriseUscc, usccs), hazardsVisible)).orderBy(asc(hazards.id)),
      (r) => r.enterpriseUscc,
    ),
  };
}
