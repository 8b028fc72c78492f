import { and, eq, gte, inArray, lt } from "drizzle-orm";
import { enterpriseVisible, claimVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Executor } from "../../db/client.js";
import { paginate } from "../../db/paginate.js";
import { accidents, claims } from "../../../schema/index.js";
import { enterpriseMatches } from "../enterprises/service.js";
import type { AccidentFilter, ClaimFilter } from "./types.js";

export type ClaimRow = typeof claims.$inferSelect;
export type AccidentRow = typeof accidents.$inferSelect;

export function listClaims(db: Executor, viewer: Viewer, f: ClaimFilter | undefined, page: { first?: number; after?: string }) {
  const where = and(
    claimVisible(viewer, claims),
    f ? enterpriseMatches(claims.enterpriseUscc, f) : undefined,
    f?.statuses?.length ? inArray(claims.status, f.statuses) : undefined,
    f?.insurerUscc ? eq(claims.insurerUscc, f.insurerUscc) : undefined,
    f?.enterpriseUscc ? eq(claims.enterpriseUscc, f.enterpriseUscc) : undefined,
    f?.reportedFrom ? gte(claims.reportedAt, f.reportedFrom) : undefined,
    f?.reportedBefore ? lt(claims.reportedAt, f.reportedBefore) : undefined,
  );
  return paginate<ClaimRow>({ db, table: claims, key: claims.id, where, ...page });
}

/** Accidents are department records about one enterprise: visible with the enterprise. */
export function listAccidents(db: Executor, viewer: Viewer, f: AccidentFilter | undefined, page: { first?: number; after?: string }) {
  const where = and(
    enterpriseVisible(viewer, accidents.enterpriseUscc),
    f ? enterpriseMatches(accidents.enterpriseUscc, f) : undefined,
    f?.grades?.length ? inArray(accidents.grade, f.grades) : undefined,
    f?.occurredFrom ? gte(accidents.occurredAt, f.occurredFrom) : undefined,
    f?.occurredBefore ? lt(accidents.occurredAt, f.occurredBefore) : undefined,
  );
  return paginate<AccidentRow>({ db, table: accidents, key: accidents.id, where, ...page });
}
