import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { enterpriseVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { anyOf } from "../../db/any.js";
import { byKey, groupedBy } from "../../graphql/dataloader.js";
import { childrenOf, embeddedChildren, relation, reviveDate } from "../../graphql/plan/relations.js";
import { accidents, claimants, claimPayments, claims } from "../../../schema/index.js";

export type PaymentRow = typeof claimPayments.$inferSelect;

/** paymentsOfClaim's rows, fetched with their claims (claimsWithPaymentsOfPolicy) */
const paymentsJson = (viewer: Viewer) =>
  embeddedChildren(
    relation("Claim.payments"),
    viewer,
    {
      id: claimPayments.id, claimId: claimPayments.claimId, insurerUscc: claimPayments.insurerUscc, paymentRef: claimPayments.paymentRef, kind: claimPayments.kind,
      amount: sql`${claimPayments.amount}::text`, paidAt: claimPayments.paidAt, createdAt: claimPayments.createdAt,
    },
    (p) => ({ ...p, id: Number(p.id), claimId: Number(p.claimId), paidAt: reviveDate(p.paidAt), createdAt: reviveDate(p.createdAt) }) as PaymentRow,
  );

export function claimLoaders(db: Db, viewer: Viewer) {
  const ofPolicy = relation("Policy.claims");
  const ofEnterprise = relation("Enterprise.claims");
  const payments = relation("Claim.payments");
  return {
    claimsOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(claims).where(childrenOf(ofPolicy, viewer, ids)).orderBy(...ofPolicy.order),
      (r) => r.policyId,
    ),
    /**
     * claimsOfPolicy with each claim's payments (paymentsOfClaim's rows, in its order) in the same
     * statement, for queries that select them: one statement instead of two.
     */
    claimsWithPaymentsOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db
          .select({ ...getTableColumns(claims), payments: paymentsJson(viewer) })
          .from(claims)
          .where(childrenOf(ofPolicy, viewer, ids))
          .orderBy(...ofPolicy.order),
      (r) => r.policyId,
    ),
    claimsOfEnterprise: groupedBy(
      (usccs: readonly string[]) => db.select().from(claims).where(childrenOf(ofEnterprise, viewer, usccs)).orderBy(...ofEnterprise.order),
      (r) => r.enterpriseUscc,
    ),
    /** claimants carry their claim's insurer: only that insurer sees them unmasked */
    claimantsOfClaim: groupedBy(
      (ids: readonly number[]) =>
        db
          .select({ claimId: claimants.claimId, kind: claimants.kind, name: claimants.name, idNumber: claimants.idNumber, injury: claimants.injury, insurerUscc: claims.insurerUscc })
          .from(claimants)
          .innerJoin(claims, eq(claims.id, claimants.claimId))
          .where(anyOf(claimants.claimId, ids))
          .orderBy(asc(claimants.id)),
      (r) => r.claimId,
    ),
    paymentsOfClaim: groupedBy(
      (ids: readonly number[]) => db.select().from(claimPayments).where(childrenOf(payments, viewer, ids)).orderBy(...payments.order),
      (r) => r.claimId,
    ),
    accident: byKey(
      (ids: readonly number[]) => db.select().from(accidents).where(and(anyOf(accidents.id, ids), enterpriseVisible(viewer, accidents.enterpriseUscc))),
      (r) => r.id,
    ),
    accidentsOfEnterprise: groupedBy(
      (usccs: readonly string[]) =>
        db.select().from(accidents).where(childrenOf(relation("Enterprise.accidents"), viewer, usccs)).orderBy(...relation("Enterprise.accidents").order),
      (r) => r.enterpriseUscc,
    ),
  };
}
