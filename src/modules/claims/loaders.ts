import { and, asc, desc, eq, getTableColumns, sql } from "drizzle-orm";
import { enterpriseVisible, recordVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { anyOf } from "../../db/any.js";
import { byKey, groupedBy } from "../../graphql/dataloader.js";
import { relation } from "../../graphql/plan/relations.js";
import { accidents, claimants, claimPayments, claims } from "../../../schema/index.js";

export type PaymentRow = typeof claimPayments.$inferSelect;

const toDate = (v: unknown) => (v == null ? null : new Date(v as string));

/** A claim's payments as paymentsOfClaim returns them (drizzle writes a one-table select's columns unqualified, so the outer row is named in full), aggregated in SQL (json_agg) and mapped back to rows. */
const paymentsJson = sql<PaymentRow[]>`coalesce((
    select json_agg(json_build_object('id', cp.id, 'claimId', cp.claim_id, 'insurerUscc', cp.insurer_uscc, 'paymentRef', cp.payment_ref, 'kind', cp.kind,
                                      'amount', cp.amount::text, 'paidAt', cp.paid_at, 'createdAt', cp.created_at) order by cp.paid_at, cp.id)
    from claim_payments cp where cp.claim_id = "claims"."id"), '[]'::json)`.mapWith((v: unknown) =>
  (typeof v === "string" ? (JSON.parse(v) as Record<string, unknown>[]) : (v as Record<string, unknown>[])).map(
    (p) => ({ ...p, id: Number(p.id), claimId: Number(p.claimId), paidAt: toDate(p.paidAt), createdAt: toDate(p.createdAt) }) as PaymentRow,
  ),
);

export function claimLoaders(db: Db, viewer: Viewer) {
  const visible = recordVisible(viewer, claims);
  return {
    claimsOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(claims).where(and(anyOf(claims.policyId, ids), visible)).orderBy(...relation("Policy.claims").order),
      (r) => r.policyId,
    ),
    /**
     * claimsOfPolicy with each claim's payments (paymentsOfClaim's rows, in its order) in the same
     * statement, for queries that select them: one statement instead of two.
     */
    claimsWithPaymentsOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db
          .select({ ...getTableColumns(claims), payments: paymentsJson })
          .from(claims)
          .where(and(anyOf(claims.policyId, ids), visible))
          .orderBy(...relation("Policy.claims").order),
      (r) => r.policyId,
    ),
    claimsOfEnterprise: groupedBy(
      (usccs: readonly string[]) => db.select().from(claims).where(and(anyOf(claims.enterpriseUscc, usccs), visible)).orderBy(...relation("Enterprise.claims").order),
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
      (ids: readonly number[]) => db.select().from(claimPayments).where(anyOf(claimPayments.claimId, ids)).orderBy(...relation("Claim.payments").order),
      (r) => r.claimId,
    ),
    accident: byKey(
      (ids: readonly number[]) => db.select().from(accidents).where(and(anyOf(accidents.id, ids), enterpriseVisible(viewer, accidents.enterpriseUscc))),
      (r) => r.id,
    ),
    accidentsOfEnterprise: groupedBy(
      (usccs: readonly string[]) =>
        db.select().from(accidents).where(and(anyOf(accidents.enterpriseUscc, usccs), enterpriseVisible(viewer, accidents.enterpriseUscc))).orderBy(desc(accidents.occurredAt)),
      (r) => r.enterpriseUscc,
    ),
  };
}
