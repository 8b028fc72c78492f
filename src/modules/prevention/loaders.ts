import { getTableColumns, sql } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { groupedBy } from "../../graphql/dataloader.js";
import { childrenOf, embeddedChildren, relation, reviveDate } from "../../graphql/plan/relations.js";
import { hazards, preventionServices } from "../../../schema/index.js";

export type HazardRow = typeof hazards.$inferSelect;

/** hazardsOfService's rows (same scope, same order), fetched with their services (servicesWithHazardsOfPolicy) */
const hazardsJson = (viewer: Viewer) =>
  embeddedChildren(
    relation("PreventionService.hazards"),
    viewer,
    {
      id: hazards.id, serviceId: hazards.serviceId, policyId: hazards.policyId, enterpriseUscc: hazards.enterpriseUscc, seq: hazards.seq,
      description: hazards.description, severity: hazards.severity, noticeDate: sql`${hazards.noticeDate}::text`, deadline: sql`${hazards.deadline}::text`,
      status: hazards.status, rectifiedAt: hazards.rectifiedAt, createdAt: hazards.createdAt,
    },
    (h) => ({ ...h, id: Number(h.id), serviceId: Number(h.serviceId), policyId: Number(h.policyId), rectifiedAt: reviveDate(h.rectifiedAt), createdAt: reviveDate(h.createdAt) }) as HazardRow,
  );

export function preventionLoaders(db: Db, viewer: Viewer) {
  const ofPolicy = relation("Policy.preventionServices");
  const ofEnterprise = relation("Enterprise.preventionServices");
  const hazardsOfServiceRel = relation("PreventionService.hazards");
  const hazardsOfPolicyRel = relation("Policy.hazards");
  const hazardsOfEnterpriseRel = relation("Enterprise.hazards");
  return {
    servicesOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(preventionServices).where(childrenOf(ofPolicy, viewer, ids)).orderBy(...ofPolicy.order),
      (r) => r.policyId,
    ),
    /**
     * servicesOfPolicy with each service's hazards (hazardsOfService's rows, same scope, same order)
     * in the same statement, for queries that select them: one statement instead of two.
     */
    servicesWithHazardsOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db
          .select({ ...getTableColumns(preventionServices), hazards: hazardsJson(viewer) })
          .from(preventionServices)
          .where(childrenOf(ofPolicy, viewer, ids))
          .orderBy(...ofPolicy.order),
      (r) => r.policyId,
    ),
    servicesOfEnterprise: groupedBy(
      (usccs: readonly string[]) =>
        db.select().from(preventionServices).where(childrenOf(ofEnterprise, viewer, usccs)).orderBy(...ofEnterprise.order),
      (r) => r.enterpriseUscc,
    ),
    hazardsOfService: groupedBy(
      (ids: readonly number[]) => db.select().from(hazards).where(childrenOf(hazardsOfServiceRel, viewer, ids)).orderBy(...hazardsOfServiceRel.order),
      (r) => r.serviceId,
    ),
    hazardsOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(hazards).where(childrenOf(hazardsOfPolicyRel, viewer, ids)).orderBy(...hazardsOfPolicyRel.order),
      (r) => r.policyId,
    ),
    hazardsOfEnterprise: groupedBy(
      (usccs: readonly string[]) => db.select().from(hazards).where(childrenOf(hazardsOfEnterpriseRel, viewer, usccs)).orderBy(...hazardsOfEnterpriseRel.order),
      (r) => r.enterpriseUscc,
    ),
  };
}
