import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { enterpriseVisible, recordVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { byKey, groupedBy } from "../../graphql/dataloader.js";
import { accidents, claimants, claimPayments, claims } from "../../../schema/index.js";

export function claimLoaders(db: Db, viewer: Viewer) {
  const visible = recordVisible(viewer, claims);
  return {
    claimsOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(claims).where(and(inArray(claims.policyId, [...ids]), visible)).orderBy(desc(claims.reportedAt)),
      (r) => r.policyId,
    ),
    claimsOfEnterprise: groupedBy(
      (usccs: readonly string[]) => db.select().from(claims).where(and(inArray(claims.enterpriseUscc, [...usccs]), visible)).orderBy(desc(claims.reportedAt)),
      (r) => r.enterpriseUscc,
    ),
    /** claimants carry their claim's insurer: only that insurer sees them unmasked */
    claimantsOfClaim: groupedBy(
      (ids: readonly number[]) =>
        db
          .select({ claimId: claimants.claimId, kind: claimants.kind, name: claimants.name, idNumber: claimants.idNumber, injury: claimants.injury, insurerUscc: claims.insurerUscc })
          .from(claimants)
          .innerJoin(claims, eq(claims.id, claimants.claimId))
          .where(inArray(claimants.claimId, [...ids]))
          .orderBy(asc(claimants.id)),
      (r) => r.claimId,
    ),
    paymentsOfClaim: groupedBy(
      (ids: readonly number[]) => db.select().from(claimPayments).where(inArray(claimPayments.claimId, [...ids])).orderBy(asc(claimPayments.paidAt)),
      (r) => r.claimId,
    ),
    accident: byKey(
      (ids: readonly number[]) => db.select().from(accidents).where(and(inArray(accidents.id, [...ids]), enterpriseVisible(viewer, accidents.enterpriseUscc))),
      (r) => r.id,
    ),
    accidentsOfEnterprise: groupedBy(
      (usccs: readonly string[]) =>
        db.select().from(accidents).where(and(inArray(accidents.enterpriseUscc, [...usccs]), enterpriseVisible(viewer, accidents.enterpriseUscc))).orderBy(desc(accidents.occurredAt)),
      (r) => r.enterpriseUscc,
    ),
  };
}
