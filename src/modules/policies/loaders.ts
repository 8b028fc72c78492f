import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { enterpriseVisible, policyVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { byKey, groupedBy } from "../../graphql/dataloader.js";
import { policies, policyCoinsurers, policyEnterprises, policyServiceOrgs, policyServicePlans, policyVersions } from "../../../schema/index.js";

export function policyLoaders(db: Db, viewer: Viewer) {
  return {
    /** scoped: a policy outside the viewer's scope loads as null */
    policy: byKey(
      (ids: readonly number[]) => db.select().from(policies).where(and(inArray(policies.id, [...ids]), policyVisible(viewer, policies.id))),
      (r) => r.id,
    ),
    /** an enterprise's policies the viewer may see, newest first */
    policiesOfEnterprise: groupedBy(
      (usccs: readonly string[]) =>
        db
          .select({ enterpriseUscc: policyEnterprises.enterpriseUscc, policy: policies })
          .from(policyEnterprises)
          .innerJoin(policies, eq(policies.id, policyEnterprises.policyId))
          .where(and(inArray(policyEnterprises.enterpriseUscc, [...usccs]), policyVisible(viewer, policies.id)))
          .orderBy(desc(policies.startAt)),
      (r) => r.enterpriseUscc,
    ),
    /** a policy's insured enterprises the viewer may see (a department sees only its members of a park policy) */
    insuredOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db
          .select()
          .from(policyEnterprises)
          .where(and(inArray(policyEnterprises.policyId, [...ids]), enterpriseVisible(viewer, policyEnterprises.enterpriseUscc)))
          .orderBy(asc(policyEnterprises.enterpriseUscc)),
      (r) => r.policyId,
    ),
    coinsurersOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(policyCoinsurers).where(inArray(policyCoinsurers.policyId, [...ids])).orderBy(desc(policyCoinsurers.isLead)),
      (r) => r.policyId,
    ),
    servicePlanOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(policyServicePlans).where(inArray(policyServicePlans.policyId, [...ids])),
      (r) => r.policyId,
    ),
    serviceOrgsOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(policyServiceOrgs).where(inArray(policyServiceOrgs.policyId, [...ids])),
      (r) => r.policyId,
    ),
    versionsOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db
          .select({ policyId: policyVersions.policyId, version: policyVersions.version, reason: policyVersions.reason, createdBy: policyVersions.createdBy, createdAt: policyVersions.createdAt, snapshot: sql<string>`${policyVersions.snapshot}::text` })
          .from(policyVersions)
          .where(inArray(policyVersions.policyId, [...ids]))
          .orderBy(asc(policyVersions.version)),
      (r) => r.policyId,
    ),
  };
}
