import { and, asc, inArray } from "drizzle-orm";
import { fundEntryVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { groupedBy } from "../../graphql/dataloader.js";
import { fundEntries } from "../../../schema/index.js";

export function fundLoaders(db: Db, viewer: Viewer) {
  return {
    fundEntriesOfPolicy: groupedBy(
      (ids: readonly number[]) =>
        db.select().from(fundEntries).where(and(inArray(fundEntries.policyId, [...ids]), fundEntryVisible(viewer, fundEntries))).orderBy(asc(fundEntries.bookedAt)),
      (r) => r.policyId as number,
    ),
  };
}
