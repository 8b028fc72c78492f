import { and, eq, inArray, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { enterpriseRows } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Executor } from "../../db/client.js";
import { regionPrefix } from "../../domain/regions.js";
import { paginate } from "../../db/paginate.js";
import { mandatoryCondition } from "../../rules/mandatory-sql.js";
import { enterprises } from "../../../schema/index.js";
import type { EnterpriseFilter } from "./types.js";

export type EnterpriseRow = typeof enterprises.$inferSelect;

/**
 * A policy covers an enterprise at `at` when its period contains `at` and it had not been cancelled
 * by then (a cancellation recorded later must not rewrite the past).
 */
export function insuredAt(at: SQL | Date, uscc: SQL = sql.raw(`"enterprises"."uscc"`)): SQL {
  const t = at instanceof Date ? sql`${at.toISOString()}::timestamptz` : at;
  return sql`exists (select 1 from policy_enterprises pe_i join policies p_i on p_i.id = pe_i.policy_id
    where pe_i.enterprise_uscc = ${uscc} and (p_i.cancelled_at is null or p_i.cancelled_at > ${t}) and p_i.start_at <= ${t} and p_i.end_at > ${t})`;
}

export function enterpriseFilterSql(f: EnterpriseFilter | undefined | null): SQL | undefined {
  if (!f) return undefined;
  return and(
    f.regionCode ? sql`${enterprises.regionCode} like ${regionPrefix(f.regionCode) + "%"}` : undefined,
    f.sectors?.length ? inArray(enterprises.sector, f.sectors) : undefined,
    f.statuses?.length ? inArray(enterprises.status, f.statuses) : undefined,
    f.blacklisted != null ? eq(enterprises.blacklisted, f.blacklisted) : undefined,
    f.nameContains ? sql`${enterprises.name} like ${"%" + f.nameContains.replace(/[%_\\]/g, "\\$&") + "%"}` : undefined,
    f.mandatory != null ? (f.mandatory ? mandatoryCondition() : sql`not (${mandatoryCondition()})`) : undefined,
    f.insuredNow != null ? (f.insuredNow ? insuredAt(sql`now()`) : sql`not ${insuredAt(sql`now()`)}`) : undefined,
  );
}

/** The enterprises listEnterprises pages through (the read planner pages the same rows). */
export function enterprisesWhere(viewer: Viewer, filter: EnterpriseFilter | undefined | null): SQL | undefined {
  return and(enterpriseRows(viewer), enterpriseFilterSql(filter));
}

export function listEnterprises(db: Executor, viewer: Viewer, filter: EnterpriseFilter | undefined, page: { first?: number; after?: string }) {
  return paginate<EnterpriseRow>({ db, table: enterprises, key: enterprises.uscc, where: enterprisesWhere(viewer, filter), ...page });
}

/** For records hanging off an enterprise (claims, services, hazards, accidents): filter by its region and sectors. */
export function enterpriseMatches(uscc: AnyColumn, f: { regionCode?: string | null; sectors?: readonly string[] | null }): SQL | undefined {
  if (!f.regionCode && !f.sectors?.length) return undefined;
  return sql`exists (select 1 from enterprises e_m where e_m.uscc = ${uscc}
    ${f.regionCode ? sql`and e_m.region_code like ${regionPrefix(f.regionCode) + "%"}` : sql``}
    ${f.sectors?.length ? sql`and e_m.sector = any(array[${sql.join(f.sectors.map((s) => sql`${s}`), sql`, `)}]::text[])` : sql``})`;
}
