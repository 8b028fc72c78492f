import { and, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import { enterpriseVisible, claimVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Executor } from "../../db/client.js";
import { paginate } from "../../db/paginate.js";
import { accidents, claims } from "../../../schema/index.js";
import { enterpriseMatches } from "../enterprises/service.js";
import type { AccidentFilter, ClaimFilter } from "./types.js";

export type ClaimRow = typeof claims.$inferSelect;
export type AccidentRow = typeof accidents.$inferSelect;

/** The claims listClaims pages through (the read planner pages the same rows). */
export function claimsWhere(viewer: Viewer, f: ClaimFilter | undefined | null): SQL | undefined {
  return and(
    claimVisible(viewer, claims),
    f ? enterpriseMatches(claims.enterpriseUscc, f) : undefined,
    f?.statuses?.length ? inArray(claims.status, f.statuses) : undefined,
    f?.insurerUscc ? eq(claims.insurerUscc, f.insurerUscc) : undefined,
    f?.enterpriseUscc ? eq(claims.enterpriseUscc, f.enterpriseUscc) : undefined,
    f?.reportedFrom ? gte(claims.reportedAt, f.reportedFrom) : undefined,
    f?.reportedBefore ? lt(claims.reportedAt, f.reportedBefore) : undefined,
  );
}

export function listClaims(db: Executor, viewer: Viewer, f: ClaimFilter | undefined, page: { first?: number; after?: string }) {
  return paginate<ClaimRow>({ db, table: claims, key: claims.id, where: claimsWhere(viewer, f), ...page });
}

/** Accidents are department records about one enterprise: visible with the enterprise. */
export function accidentsWhere(viewer: Viewer, f: AccidentFilter | undefined | null): SQL | undefined {
  return and(
    enterpriseVisible(viewer, accidents.enterpriseUscc),
    f ? enterpriseMatches(accidents.enterpriseUscc, f) : undefined,
    f?.grades?.length ? inArray(accidents.grade, f.grades) : undefined,
    f?.occurredFrom ? gte(accidents.occurredAt, f.occurredFrom) : undefined,
    f?.occurredBefore ? lt(accidents.occurredAt, f.occurredBefore) : undefined,
  );
}

export function listAccidents(db: Executor, viewer: Viewer, f: AccidentFilter | undefined, page: { first?: number; after?: string }) {
  return paginate<AccidentRow>({ db, table: accidents, key: accidents.id, where: accidentsWhere(viewer, f), ...page });
}
