import { and, asc, eq, sql } from "drizzle-orm";
import { policyVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { anyOf } from "../../db/any.js";
import { byKey, groupedBy } from "../../graphql/dataloader.js";
import { childrenOf, relation } from "../../graphql/plan/relations.js";
import { policies, policyCoinsurers, policyEnterprises, policyServiceOrgs, policyServicePlans, policyVersions } from "../../../schema/index.js";

export function policyLoaders(db: Db, viewer: Viewer) {
  return {
    /** scoped: a policy outside the viewer's scope loads as null */
    policy: byKey(
      (ids: readonly number[]) => db.select().from(policies).where(and(anyOf(policies.id, ids), policyVisible(viewer, policies.id))),
      (r) => r.id,
    ),
    /** an enterprise's policies the viewer may see, newest first */
    policiesOfEnterprise: groupedBy(
      (usccs: readonly string[]) =>
        db
          .select({ enterpriseUscc: policyEnterprises.enterpriseUscc, policy: policies })
          .from(policyEnterprises)
          .innerJoin(policies, eq(policies.id, policyEnterprises.policyId))
          .where(childrenOf(relation("Enterprise.policies"), viewer, usccs))
          .orderBy(...relation("Enterprise.policies").order),
      (r) => r.enterpriseUscc,
    ),
    /** a policy's insured enterprises the viewer may see (a department sees only its members of a park policy) */
    insuredOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db
          .select()
          .from(policyEnterprises)
          .where(childrenOf(relation("Policy.insuredEnterprises"), viewer, ids))
          .orderBy(...relation("Policy.insuredEnterprises").order),
      (r) => r.policyId,
    ),
    coinsurersOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db.select().from(policyCoinsurers).where(childrenOf(relation("Policy.coinsurers"), viewer, ids)).orderBy(...relation("Policy.coinsurers").order),
      (r) => r.policyId,
    ),
    servicePlanOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(policyServicePlans).where(anyOf(policyServicePlans.policyId, ids)),
      (r) => r.policyId,
    ),
    serviceOrgsOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(policyServiceOrgs).where(anyOf(policyServiceOrgs.policyId, ids)),
      (r) => r.policyId,
    ),
    versionsOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db
          .select({ policyId: policyVersions.policyId, version: policyVersions.version, reason: policyVersions.reason, createdBy: policyVersions.createdBy, createdAt: policyVersions.createdAt, snapshot: sql<string>`${policyVersions.snapshot}::text` })
          .from(policyVersions)
          .where(anyOf(policyVersions.policyId, ids))
          .orderBy(asc(policyVersions.version)),
      (r) => r.policyId,
    ),
  };
}
