import { and, asc, gt, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { badInput } from "../graphql/errors.js";
import type { Executor } from "./client.js";

export const MAX_PAGE = 500;

export interface Page<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** computed only when the client asks for it: one count(*) with the same filter */
  readonly totalCount: Promise<number>;
}

type Key = string | number;
const encode = (key: Key) => Buffer.from(JSON.stringify([key])).toString("base64url");
export function decodeCursor(cursor: string): Key {
  try {
    const [key] = JSON.parse(Buffer.from(cursor, "base64url").toString()) as unknown[];
    if (typeof key === "string" || typeof key === "number") return key;
  } catch {
    /* fall through */
  }
  throw badInput("after", "cursor", "游标无效 / invalid cursor");
}

/**
 * Keyset pagination in key order (ids, or USCCs for enterprises). One statement for the page,
 * one more for totalCount only if the client selects it.
 */
export async function paginate<Row extends Record<string, unknown>>(opts: {
  db: Executor;
  table: PgTable;
  key: PgColumn;
  where: SQL | undefined;
  first?: number | null;
  after?: string | null;
  cursorOf?: (row: Row) => Key;
}): Promise<Page<Row>> {
  const first = opts.first ?? 50;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badInput("first", "max:500", `每页最多 ${MAX_PAGE} 条 / first must be between 0 and ${MAX_PAGE}`);
  const afterKey = opts.after ? decodeCursor(opts.after) : undefined;
  const cond = and(opts.where, afterKey !== undefined ? gt(opts.key, afterKey) : undefined);
  const rows = (await opts.db.select().from(opts.table).where(cond).orderBy(asc(opts.key)).limit(first + 1)) as Row[];
  const more = rows.length > first;
  const page = more ? rows.slice(0, first) : rows;
  const keyName = opts.key.name;
  const cursorOf = opts.cursorOf ?? ((r: Row) => r[camel(keyName)] as Key);
  const edges = page.map((node) => ({ node, cursor: encode(cursorOf(node)) }));
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo: { hasNextPage: more, hasPreviousPage: afterKey !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    get totalCount() {
      total ??= opts.db
        .select({ n: sql<number>`count(*)::int` })
        .from(opts.table)
        .where(opts.where)
        .then((r) => r[0].n);
      return total;
    },
  };
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
