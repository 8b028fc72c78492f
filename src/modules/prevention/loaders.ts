import { and, asc, desc, inArray } from "drizzle-orm";
import { recordVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { groupedBy } from "../../graphql/dataloader.js";
import { hazards, preventionServices } from "../../../schema/index.js";

export function preventionLoaders(db: Db, viewer: Viewer) {
  const services = recordVisible(viewer, preventionServices);
  const hazardsVisible = recordVisible(viewer, hazards);
  return {
    servicesOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(preventionServices).where(and(inArray(preventionServices.policyId, [...ids]), services)).orderBy(desc(preventionServices.performedAt)),
      (r) => r.policyId,
    ),
    servicesOfEnterprise: groupedBy(
      (usccs: readonly string[]) =>
        db.select().from(preventionServices).where(and(inArray(preventionServices.enterpriseUscc, [...usccs]), services)).orderBy(desc(preventionServices.performedAt)),
      (r) => r.enterpriseUscc,
    ),
    hazardsOfService: groupedBy(
      (ids: readonly number[]) => db.select().from(hazards).where(and(inArray(hazards.serviceId, [...ids]), hazardsVisible)).orderBy(asc(hazards.seq)),
      (r) => r.serviceId,
    ),
    hazardsOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(hazards).where(and(inArray(hazards.policyId, [...ids]), hazardsVisible)).orderBy(asc(hazards.id)),
      (r) => r.policyId,
    ),
    hazardsOfEnterprise: groupedBy(
      (usccs: readonly string[]) => db.select().from(hazards).where(and(inArray(hazards.enterpriseUscc, [...usccs]), hazardsVisible)).orderBy(asc(hazards.id)),
      (r) => r.enterpriseUscc,
    ),
  };
}
