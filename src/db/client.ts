import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { fileURLToPath } from "node:url";
import pg from "pg";
import * as schema from "../../schema/index.js";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything that runs queries: the database or a transaction. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Statements sent so far; tests use it to prove that nested lists are batched. */
  stats: { statements: number };
  migrate(): Promise<void>;
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

/** PostgreSQL when a URL is given, otherwise embedded PGlite in dataDir (or in memory for "memory://"). */
export async function openDatabase(opts: { url?: string; dataDir?: string; poolSize?: number }): Promise<Database> {
  const stats = { statements: 0 };
  const logger = new CountingLogger(stats);
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000 });
    // an idle connection dropped by the server (restart, admin kill) must not crash the process:
    // the pool discards it and the next query opens a new one
    pool.on("error", (e) => console.error(`数据库空闲连接错误 / idle database connection error: ${e.message}`));
    // numeric stays a string (exact money); timestamptz parsing is pg's default Date
    const db = drizzlePg(pool, { schema, logger }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      stats,
      migrate: () => migratePg(db as any, { migrationsFolder }),
      close: () => pool.end(),
    };
  }
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
