/**
 * The hub's pg pools: a connection that drops never crashes the process, and "the database cannot
 * serve this now" is one error (DatabaseUnavailableError → SERVICE_UNAVAILABLE / 503) whatever noticed
 * it. Used for the primary and for every read replica (replicas.ts).
 */
import pg from "pg";

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
export class HubPool extends pg.Pool {
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


/**
 * Counts the statements the server behind `pool` runs (BEGIN and COMMIT included): every client the
 * pool opens has its query() counted. stats.served uses it to say which server did the work, which
 * drizzle's logger cannot (a replica's read that fell back ran on the primary's connection).
 */
export function countStatements(pool: pg.Pool, count: () => void): void {
  pool.on("connect", (client) => {
    const query = client.query;
    client.query = function (this: pg.PoolClient, ...args: unknown[]) {
      count();
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof client.query;
  });
}
