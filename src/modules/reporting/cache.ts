import { sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { computeFigures, type ReportScope } from "./figures.js";

/**
 * Live figures, computed once per change: a province's report costs seconds of SQL (figures.ts), yet
 * between two writes that touch its quarter it cannot change. Each statement that writes a table the
 * figures read records, in its own transaction, the quarters it can affect (report_changes, kept by
 * the triggers of migrations/0003). The token of a quarter is what the report's snapshot sees of
 * those records for it and for "every quarter"; figures computed under a token are returned again,
 * unchanged, to any snapshot that sees the same token.
 *
 * Why that is exact: records are only ever added, with positive counts, and a later snapshot sees
 * every commit an earlier one saw, so two snapshots of one server with the same count have seen the
 * same writes to the quarter, and therefore the same rows. Across servers (a primary and its
 * replicas make commits visible in possibly different orders) the random `mix` makes two different
 * sets of writes with the same count differ too. Live stays live: a write to the quarter changes its
 * token in the writer's own commit, so no snapshot that sees the write can get figures without it.
 *
 * Per database handle, in this process, least recently used first out.
 */

export type Figures = Awaited<ReturnType<typeof computeFigures>>;

const MAX_ENTRIES = 128;
const caches = new WeakMap<object, Map<string, { token: string; figures: Figures }>>();

/** year × 4 + quarter − 1, as report_quarter_key() in SQL; −1 stands for every quarter. */
export const quarterKey = (year: number, quarter: number) => year * 4 + quarter - 1;

/** The quarter's change token as the caller's snapshot sees it. */
export async function changeToken(tx: Executor, year: number, quarter: number): Promise<string> {
  const res = (await tx.execute(sql`
    select coalesce(sum(changes), 0)::text || ':' || (coalesce(sum(mix), 0) % 4611686018427387904)::text as token
    from report_changes where quarter_key in (${quarterKey(year, quarter)}, -1)`)) as unknown as { rows: { token: string }[] };
  return res.rows[0].token;
}

/**
 * computeFigures(tx, scope, year, quarter), or the figures last computed for the same scope and
 * quarter when `tx`'s snapshot sees the same change token. `cacheOwner` identifies the database (the
 * Db handle); `tx` must be the caller's REPEATABLE READ transaction, so that the token and the
 * figures are read from one snapshot.
 */
export async function liveFigures(cacheOwner: object, tx: Executor, scope: ReportScope, year: number, quarter: number): Promise<Figures> {
  const token = await changeToken(tx, year, quarter);
  const key = JSON.stringify([scope.regionCode, scope.sectors, scope.children.map((c) => [c.code, c.name]), year, quarter]);
  let cache = caches.get(cacheOwner);
  if (!cache) caches.set(cacheOwner, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.token === token) {
    cache.delete(key);
    cache.set(key, hit);
    return structuredClone(hit.figures);
  }
  const figures = await computeFigures(tx, scope, year, quarter);
  cache.delete(key);
  cache.set(key, { token, figures: structuredClone(figures) });
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return figures;
}
