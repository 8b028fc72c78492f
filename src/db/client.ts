import type { Logger } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import * as schema from "../../schema/index.js";
import { countStatements, DatabaseUnavailableError, HubPool, isDatabaseUnavailable } from "./pool.js";
import { ReadRouter, Replica } from "./replicas.js";

export { DatabaseUnavailableError, isDatabaseUnavailable } from "./pool.js";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything that runs queries: the database or a transaction. */
export type Executor = Db | Tx;

export interface Database {
  /** the primary: every write, every transaction of a mutation, migrations; and every read when there are no replicas */
  db: Db;
  kind: "pglite" | "postgres";
  /**
   * Statements sent so far (through drizzle, on any server); tests use it to prove that nested lists
   * are batched. With replicas, `served` counts what each server actually ran (BEGIN/COMMIT and the
   * hub's LSN probes included), wherever drizzle meant to send it: a replica's read that fell back
   * counts for the primary.
   */
  stats: { statements: number; served?: { primary: number; replicas: number[] } };
  /** the read replicas (DATABASE_REPLICA_URLS): which one serves a query; absent without them */
  replicas?: ReadRouter;
  /** applies the migrations on the primary (replicas receive them by streaming replication) */
  migrate(): Promise<void>;
  /** ends every pool, the replicas' too */
  close(): Promise<void>;
}

// migrations/ sits at the repository root both for src/ (vitest) and dist/src/ (node)
const migrationsFolder = fileURLToPath(new URL(import.meta.url.includes("/dist/") ? "../../../migrations" : "../../migrations", import.meta.url));

class CountingLogger implements Logger {
  constructor(private stats: { statements: number }) {}
  logQuery(): void {
    this.stats.statements++;
  }
}

/** drizzle on a pg pool, counting statements in `logger`, with db.transaction's failures as DatabaseUnavailableError. */
function drizzleOn(pool: pg.Pool, logger: Logger): Db {
  // numeric stays a string (exact money); timestamptz parsing is pg's default Date
  const db = drizzlePg(pool, { schema, logger }) as unknown as Db;
  // Every push runs in db.transaction. A lost database surfaces there as whatever noticed it first:
  // the checkout, a statement (wrapped by drizzle with its SQL and values), or the commit. Any of
  // these becomes one DatabaseUnavailableError, so a write is answered SERVICE_UNAVAILABLE / 503,
  // safe to retry with its key, and never shows SQL. (Savepoints are tx.transaction, not wrapped.)
  const transaction = db.transaction.bind(db);
  db.transaction = (async (work, config) => {
    try {
      return await transaction(work, config);
    } catch (e) {
      throw e instanceof DatabaseUnavailableError || !isDatabaseUnavailable(e) ? e : new DatabaseUnavailableError(e);
    }
  }) as Db["transaction"];
  return db;
}

/**
 * PostgreSQL when a URL is given (with read replicas when `replicaUrls` names hot standbys of it),
 * otherwise embedded PGlite in dataDir (or in memory for "memory://"). Each replica gets a pool of
 * `poolSize` like the primary.
 */
export async function openDatabase(opts: { url?: string; replicaUrls?: string[]; dataDir?: string; poolSize?: number }): Promise<Database> {
  const stats: Database["stats"] = { statements: 0 };
  const logger = new CountingLogger(stats);
  if (opts.url) {
    const poolSize = opts.poolSize ?? 10;
    // connectionTimeoutMillis bounds both opening a connection and waiting for a free one (pool exhausted)
    const pool = new HubPool({ connectionString: opts.url, max: poolSize, connectionTimeoutMillis: 5000 });
    // an idle connection dropped by the server (restart, admin kill) must not crash the process:
    // the pool discards it and the next query opens a new one
    pool.on("error", (e) => console.error(`数据库空闲连接错误 / idle database connection error: ${e.message}`));
    const db = drizzleOn(pool, logger);
    const urls = opts.replicaUrls ?? [];
    let replicas: ReadRouter | undefined;
    if (urls.length > 0) {
      const served = (stats.served = { primary: 0, replicas: urls.map(() => 0) });
      countStatements(pool, () => served.primary++);
      replicas = new ReadRouter(
        db,
        pool,
        urls.map((url, i) => new Replica(`replica${i + 1}`, url, poolSize, pool, (p) => drizzleOn(p, logger), () => served.replicas[i]++)),
      );
    }
    return {
      db,
      kind: "postgres",
      stats,
      replicas,
      migrate: () => migratePg(db as any, { migrationsFolder }),
      close: async () => {
        await Promise.all([pool.end(), replicas?.close()]);
      },
    };
  }
  // PGlite is loaded only when it is used: a hub on PostgreSQL does not carry it (issue 6, goal f)
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const client = new PGlite(opts.dataDir && opts.dataDir !== "memory://" ? opts.dataDir : undefined);
  await client.waitReady;
  const db = drizzlePglite(client, { schema, logger }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    stats,
    migrate: () => migratePglite(db as any, { migrationsFolder }),
    close: () => client.close(),
  };
}
