import { and, inArray, sql } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { groupedBy } from "../../graphql/dataloader.js";
import { complianceFindings } from "../../../schema/index.js";
import { findingVisible } from "./service.js";

export function complianceLoaders(db: Db, viewer: Viewer) {
  const visible = findingVisible(viewer);
  return {
    findingsOfPolicy: groupedBy(
      (ids: readonly number[]) => db.select().from(complianceFindings).where(and(inArray(complianceFindings.policyId, [...ids]), visible)),
      (r) => r.policyId as number,
    ),
    openFindingsOfEnterprise: groupedBy(
      (usccs: readonly string[]) =>
        db.select().from(complianceFindings).where(and(inArray(complianceFindings.enterpriseUscc, [...usccs]), sql`${complianceFindings.status} = 'OPEN'`, visible)),
      (r) => r.enterpriseUscc as string,
    ),
  };
}
