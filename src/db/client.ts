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

/**
 * The database cannot serve the request now: it is down or restarting, or every pooled connection
 * stayed busy past the pool's connection timeout. Nothing was acknowledged; the caller retries later
 * with the same idempotency key. GraphQL answers it as `SERVICE_UNAVAILABLE` with HTTP 503 and
 * `reason` POOL_EXHAUSTED or DATABASE_UNREACHABLE (graphql-js copies `extensions` from the original
 * error; Apollo turns `extensions.http` into the response status and drops it from the answer).
 * The message names no host, SQL or value; the original error is the `cause`, for logs.
 */
export class DatabaseUnavailableError extends Error {
  readonly extensions: { code: "SERVICE_UNAVAILABLE"; reason: "POOL_EXHAUSTED" | "DATABASE_UNREACHABLE"; http: { status: 503 } };
  constructor(cause: unknown) {
    const exhausted = causes(cause).some((x) => typeof x.message === "string" && x.message.startsWith(POOL_TIMEOUT));
    super(
      exhausted
        ? "数据库连接繁忙，请稍后重试 / database busy (no free connection), retry later"
        : "数据库暂不可用，请稍后重试 / database unavailable, retry later",
      { cause },
    );
    this.extensions = { code: "SERVICE_UNAVAILABLE", reason: exhausted ? "POOL_EXHAUSTED" : "DATABASE_UNREACHABLE", http: { status: 503 } };
  }
}

// pg-pool's words when no pooled connection became free within connectionTimeoutMillis
const POOL_TIMEOUT = "timeout exceeded when trying to connect";
// SQLSTATE class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const UNAVAILABLE_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// what pg / pg-pool say when a connection is lost, cannot be opened in time, or is dead when used
const UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable)/;

function causes(e: unknown): { code?: unknown; message?: unknown }[] {
  const out: { code?: unknown; message?: unknown; cause?: unknown }[] = [];
  // GraphQL wraps a resolver's error in originalError, drizzle wraps the driver's in cause
  const next = (x: { cause?: unknown; originalError?: unknown }) => (x.originalError ?? x.cause) as (typeof out)[number] | undefined;
  for (let x = e as (typeof out)[number] | undefined; x && typeof x === "object" && out.length < 8; x = next(x)) out.push(x);
  return out;
}

/**
 * Whether `e` (or an error in its `cause` chain, e.g. under drizzle's DrizzleQueryError) says the
 * database is unreachable or out of connections, rather than that the statement is wrong.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  return causes(e).some(
    (x) =>
      x instanceof DatabaseUnavailableError ||
      (typeof x.code === "string" && (UNAVAILABLE_SQLSTATE.test(x.code) || UNAVAILABLE_ERRNO.has(x.code))) ||
      (typeof x.message === "string" && UNAVAILABLE_MESSAGE.test(x.message)),
  );
}

/**
 * A checked-out connection must always have an 'error' listener: pg emits 'error' on a client whose
 * connection drops (server restart, admin kill) and, with no listener, that is an uncaught exception
 * that ends the process. pg-pool listens only while a client is idle or inside pool.query(), not while
 * drizzle holds it for a transaction. The listener releases the dead client with the error, so the pool
 * drops it and frees its slot even when drizzle never reaches its own release() (a failing `begin`
 * sits outside drizzle's try/finally); release is made idempotent so drizzle's later release() is a no-op.
 */
function guard(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  let released = false;
  const onError = (e: Error) => client.release(e);
  client.release = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.off("error", onError);
    release(err);
  };
  client.on("error", onError);
  return client;
}

/** pg.Pool with guarded clients and acquisition failures (down, refused, pool timeout) as DatabaseUnavailableError. */
class HubPool extends pg.Pool {
  // pg-pool's query() checks out through connect(callback); drizzle's transaction() through connect()
  connect(): Promise<pg.PoolClient>;
  connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: any) => void) => void): void;
  connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: any) => void) => void): Promise<pg.PoolClient> | void {
    if (callback) {
      return super.connect((err, client, done) => {
        if (err) return callback(new DatabaseUnavailableError(err), undefined, done);
        const c = guard(client!);
        callback(undefined, c, (e?: any) => c.release(e));
      });
    }
    return super.connect().then(guard, (e: Error) => {
      throw new DatabaseUnavailableError(e);
    });
  }
}

/** PostgreSQL when a URL is given, otherwise embedded PGlite in dataDir (or in memory for "memory://"). */
export async function openDatabase(opts: { url?: string; dataDir?: string; poolSize?: number }): Promise<Database> {
  const stats = { statements: 0 };
  const logger = new CountingLogger(stats);
  if (opts.url) {
    // connectionTimeoutMillis bounds both opening a connection and waiting for a free one (pool exhausted)
    const pool = new HubPool({ connectionString: opts.url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000 });
    // an idle connection dropped by the server (restart, admin kill) must not crash the process:
    // the pool discards it and the next query opens a new one
    pool.on("error", (e) => console.error(`数据库空闲连接错误 / idle database connection error: ${e.message}`));
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
