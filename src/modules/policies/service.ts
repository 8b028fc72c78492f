import { and, eq, sql, type SQL } from "drizzle-orm";
import { enterpriseVisible, policyVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Executor } from "../../db/client.js";
import { regionPrefix } from "../../domain/regions.js";
import { paginate } from "../../db/paginate.js";
import { policies } from "../../../schema/index.js";
import type { PolicyFilter } from "./types.js";

export type PolicyRow = typeof policies.$inferSelect;

/** Status is derived from the dates, so it can never go stale. */
export function policyStatus(p: Pick<PolicyRow, "cancelledAt" | "startAt" | "endAt">, now = new Date()): string {
  if (p.cancelledAt && p.cancelledAt <= now) return "CANCELLED";
  if (p.startAt > now) return "PENDING";
  if (p.endAt <= now) return "EXPIRED";
  return "ACTIVE";
}

const notCancelled = sql`(${policies.cancelledAt} is null or ${policies.cancelledAt} > now())`;
const statusSql: Record<string, SQL> = {
  CANCELLED: sql`${policies.cancelledAt} <= now()`,
  PENDING: sql`(${notCancelled} and ${policies.startAt} > now())`,
  EXPIRED: sql`(${notCancelled} and ${policies.endAt} <= now())`,
  ACTIVE: sql`(${notCancelled} and ${policies.startAt} <= now() and ${policies.endAt} > now())`,
};

export function inForceAt(at: Date): SQL {
  const t = sql`${at.toISOString()}::timestamptz`;
  return sql`((${policies.cancelledAt} is null or ${policies.cancelledAt} > ${t}) and ${policies.startAt} <= ${t} and ${policies.endAt} > ${t})`;
}

function filterSql(f: PolicyFilter | undefined | null, viewer: Viewer): SQL | undefined {
  if (!f) return undefined;
  const insured = (cond: SQL) =>
    sql`exists (select 1 from policy_enterprises pe_f join enterprises e_f on e_f.uscc = pe_f.enterprise_uscc
                where pe_f.policy_id = ${policies.id} and ${cond} and ${enterpriseVisible(viewer, sql.raw("e_f.uscc"))})`;
  return and(
    f.regionCode ? insured(sql`e_f.region_code like ${regionPrefix(f.regionCode) + "%"}`) : undefined,
    f.sectors?.length ? insured(sql`e_f.sector = any(array[${sql.join(f.sectors.map((s) => sql`${s}`), sql`, `)}]::text[])`) : undefined,
    f.enterpriseUscc ? insured(sql`e_f.uscc = ${f.enterpriseUscc}`) : undefined,
    f.statuses?.length ? sql`(${sql.join(f.statuses.map((s) => statusSql[s]), sql` or `)})` : undefined,
    f.insurerUscc ? sql`exists (select 1 from policy_coinsurers pc_f where pc_f.policy_id = ${policies.id} and pc_f.insurer_uscc = ${f.insurerUscc})` : undefined,
    f.startFrom ? sql`${policies.startAt} >= ${f.startFrom.toISOString()}::timestamptz` : undefined,
    f.startBefore ? sql`${policies.startAt} < ${f.startBefore.toISOString()}::timestamptz` : undefined,
    f.inForceAt ? inForceAt(f.inForceAt) : undefined,
  );
}

/** The policies listPolicies pages through (the read planner pages the same rows). */
export function policiesWhere(viewer: Viewer, filter: PolicyFilter | undefined | null): SQL | undefined {
  return and(policyVisible(viewer, policies.id), filterSql(filter, viewer));
}

export function listPolicies(db: Executor, viewer: Viewer, filter: PolicyFilter | undefined, page: { first?: number; after?: string }) {
  return paginate<PolicyRow>({ db, table: policies, key: policies.id, where: policiesWhere(viewer, filter), ...page });
}

/** The policy findPolicy answers (insurer and policy number are unique), if the viewer may see it. */
export function policyByNo(viewer: Viewer, insurerUscc: string, policyNo: string): SQL | undefined {
  return and(eq(policies.insurerUscc, insurerUscc), eq(policies.policyNo, policyNo), policyVisible(viewer, policies.id));
}

export async function findPolicy(db: Executor, viewer: Viewer, insurerUscc: string, policyNo: string): Promise<PolicyRow | null> {
  const [row] = await db.select().from(policies).where(policyByNo(viewer, insurerUscc, policyNo));
  return row ?? null;
}
