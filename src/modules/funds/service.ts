import { and, eq, gte, lt, type SQL } from "drizzle-orm";
import { fundEntryVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Executor } from "../../db/client.js";
import { paginate } from "../../db/paginate.js";
import { fundEntries } from "../../../schema/index.js";
import type { FundEntryFilter } from "./types.js";

export type FundEntryRow = typeof fundEntries.$inferSelect;

/** The entries listFundEntries pages through (the read planner pages the same rows). */
export function fundEntriesWhere(viewer: Viewer, f: FundEntryFilter | undefined | null): SQL | undefined {
  return and(
    fundEntryVisible(viewer, fundEntries),
    f?.insurerUscc ? eq(fundEntries.insurerUscc, f.insurerUscc) : undefined,
    f?.kind ? eq(fundEntries.kind, f.kind) : undefined,
    f?.bookedFrom ? gte(fundEntries.bookedAt, f.bookedFrom) : undefined,
    f?.bookedBefore ? lt(fundEntries.bookedAt, f.bookedBefore) : undefined,
  );
}

export function listFundEntries(db: Executor, viewer: Viewer, f: FundEntryFilter | undefined, page: { first?: number; after?: string }) {
  return paginate<FundEntryRow>({ db, table: fundEntries, key: fundEntries.id, where: fundEntriesWhere(viewer, f), ...page });
}
