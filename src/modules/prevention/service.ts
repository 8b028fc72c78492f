import { and, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { recordVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Executor } from "../../db/client.js";
import { paginate } from "../../db/paginate.js";
import { formatCst } from "../../graphql/scalars.js";
import { hazards, preventionServices } from "../../../schema/index.js";
import { enterpriseMatches } from "../enterprises/service.js";
import type { HazardFilter, PreventionServiceFilter } from "./types.js";

export type ServiceRow = typeof preventionServices.$inferSelect;
export type HazardRow = typeof hazards.$inferSelect;

const todayCst = (now = new Date()) => formatCst(now).slice(0, 10);

/** OVERDUE is not stored: an OPEN hazard whose deadline (a CST date) has passed. */
export function hazardStatus(h: Pick<HazardRow, "status" | "deadline">, now = new Date()): string {
  return h.status === "OPEN" && h.deadline < todayCst(now) ? "OVERDUE" : h.status;
}

/** `today`: the CST date; the resolvers take it from the hub's clock, the read planner from the database's. */
function hazardStatusSql(s: string, today: SQL | string): SQL {
  if (s === "OVERDUE") return sql`(${hazards.status} = 'OPEN' and ${hazards.deadline} < ${today})`;
  if (s === "OPEN") return sql`(${hazards.status} = 'OPEN' and ${hazards.deadline} >= ${today})`;
  return sql`${hazards.status} = ${s}`;
}

/** The services listServices pages through (the read planner pages the same rows). */
export function servicesWhere(viewer: Viewer, f: PreventionServiceFilter | undefined | null): SQL | undefined {
  const t = preventionServices;
  return and(
    recordVisible(viewer, t),
    f ? enterpriseMatches(t.enterpriseUscc, f) : undefined,
    f?.kinds?.length ? inArray(t.kind, f.kinds) : undefined,
    f?.insurerUscc ? eq(t.insurerUscc, f.insurerUscc) : undefined,
    f?.enterpriseUscc ? eq(t.enterpriseUscc, f.enterpriseUscc) : undefined,
    f?.performedFrom ? gte(t.performedAt, f.performedFrom) : undefined,
    f?.performedBefore ? lt(t.performedAt, f.performedBefore) : undefined,
  );
}

export function listServices(db: Executor, viewer: Viewer, f: PreventionServiceFilter | undefined, page: { first?: number; after?: string }) {
  return paginate<ServiceRow>({ db, table: preventionServices, key: preventionServices.id, where: servicesWhere(viewer, f), ...page });
}

/** The hazards listHazards pages through (the read planner pages the same rows); `today` as hazardStatusSql. */
export function hazardsWhere(viewer: Viewer, f: HazardFilter | undefined | null, today: SQL | string = todayCst()): SQL | undefined {
  return and(
    recordVisible(viewer, hazards),
    f ? enterpriseMatches(hazards.enterpriseUscc, f) : undefined,
    f?.severities?.length ? inArray(hazards.severity, f.severities) : undefined,
    f?.statuses?.length ? sql`(${sql.join(f.statuses.map((s) => hazardStatusSql(s, today)), sql` or `)})` : undefined,
    f?.enterpriseUscc ? eq(hazards.enterpriseUscc, f.enterpriseUscc) : undefined,
  );
}

export function listHazards(db: Executor, viewer: Viewer, f: HazardFilter | undefined, page: { first?: number; after?: string }) {
  return paginate<HazardRow>({ db, table: hazards, key: hazards.id, where: hazardsWhere(viewer, f), ...page });
}
