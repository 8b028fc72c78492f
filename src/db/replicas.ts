/**
 * Read replicas (DATABASE_REPLICA_URLS): PostgreSQL hot standbys that serve the hub's queries, while
 * writes, everything a mutation reads and the audit append stay on the primary.
 *
 * - A query takes a replica round robin (ReadRouter.reader). A caller that has just written passes the
 *   write's WAL position (the mutation's `x-hub-write-lsn` answer header, sent back as
 *   `x-hub-read-after-lsn`): only a replica that has replayed that far serves it, else the primary does.
 * - A replica that cannot be reached is skipped for RETRY_MS and its reads run on the primary: its pool
 *   hands out a primary connection instead (ReplicaPool.connect), and a single-statement read that loses
 *   its replica mid-way, or is cancelled by a recovery conflict, runs again on the primary. A read-only
 *   transaction (a report's snapshot) that loses its replica mid-way is answered SERVICE_UNAVAILABLE like
 *   any lost connection; the next request goes to the primary.
 *
 * drizzle's own withReplicas() is not used: it sends execute() and transaction() to the primary (the
 * reports and most aggregates here are exactly those), cannot fall back when a replica is down, and
 * chooses per statement, where the hub must choose per request (a mutation's answer reads its own write).
 */
import type pg from "pg";
import type { Db } from "./client.js";
import { DatabaseUnavailableError, HubPool, countStatements, isDatabaseUnavailable } from "./pool.js";

/** how long an unreachable replica is left alone before a read tries it again */
export const RETRY_MS = 2000;
/** a replica's pool gives up on a connection sooner than the primary's: the primary is there to take the read */
const CONNECT_TIMEOUT_MS = 1000;
/** SQLSTATEs of a standby cancelling a read that conflicts with the WAL it replays; the primary has no such conflict */
const RECOVERY_CONFLICT = new Set(["40001", "40P01"]);

type Checkout = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: any) => void) => void;

/** `16/B374D848` (pg_lsn text) → a number that orders like the WAL; null when it is not one. */
export function parseLsn(text: string): bigint | null {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : null;
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** One hot standby: its pool, its drizzle instance, whether it answers, how far it has replayed. */
export class Replica {
  /** the highest replay position seen on it: a token at or below needs no new probe */
  replayed = 0n;
  readonly pool: ReplicaPool;
  readonly db: Db;
  private downUntil = 0;
  private failing = false;

  constructor(readonly name: string, url: string, poolSize: number, primary: HubPool, drizzleOn: (pool: pg.Pool) => Db, count: () => void) {
    this.pool = new ReplicaPool({ connectionString: url, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS }, this, primary);
    // an idle connection dropped by the standby (stopped, restarted, promoted): skip it until it answers again
    this.pool.on("error", (e) => this.failed(e));
    countStatements(this.pool, count);
    this.db = drizzleOn(this.pool);
  }

  get up(): boolean {
    return Date.now() >= this.downUntil;
  }

  /** A checkout or a read failed. Unreachable: skip it for RETRY_MS. Merely busy (pool exhausted): this read goes to the primary, the next may come back. */
  failed(e: unknown): void {
    if (!isDatabaseUnavailable(e)) return;
    const busy = e instanceof DatabaseUnavailableError && e.extensions.reason === "POOL_EXHAUSTED";
    if (busy) return;
    this.downUntil = Date.now() + RETRY_MS;
    if (!this.failing) console.error(`只读副本 ${this.name} 不可达，读请求改由主库执行 / read replica ${this.name} unreachable: its reads go to the primary (${(e as Error).message})`);
    this.failing = true;
  }

  ok(): void {
    if (this.failing) console.error(`只读副本 ${this.name} 已恢复 / read replica ${this.name} answers again`);
    this.failing = false;
    this.downUntil = 0;
  }

  /** pg_last_wal_replay_lsn() of this standby, on its own connection (never the primary's); null when it cannot say. */
  async replayLsn(): Promise<bigint | null> {
    let client: pg.PoolClient;
    try {
      client = await (HubPool.prototype.connect as () => Promise<pg.PoolClient>).call(this.pool);
    } catch (e) {
      this.failed(e);
      return null;
    }
    try {
      const { rows } = await client.query<{ lsn: string | null }>("select pg_last_wal_replay_lsn()::text as lsn");
      client.release();
      this.ok();
      // null: not a standby at all (a primary given as a replica): it cannot vouch for a position
      const lsn = rows[0]?.lsn ? parseLsn(rows[0].lsn) : null;
      if (lsn !== null && lsn > this.replayed) this.replayed = lsn;
      return lsn;
    } catch (e) {
      client.release(e as Error);
      this.failed(e);
      return null;
    }
  }
}

/**
 * A replica's pool that never fails a read for the replica's sake: when the replica is down, or its
 * checkout fails, the connection comes from the primary's pool (and is released back there), so any
 * statement or read-only transaction drizzle runs on it simply runs on the primary.
 */
class ReplicaPool extends HubPool {
  constructor(config: pg.PoolConfig, private replica: Replica, private primary: HubPool) {
    super(config);
  }

  connect(): Promise<pg.PoolClient>;
  connect(callback: Checkout): void;
  connect(callback?: Checkout): Promise<pg.PoolClient> | void {
    const replica = this.replica;
    if (!replica.up) return callback ? this.primary.connect(callback) : this.primary.connect();
    if (callback) {
      return super.connect((err, client, done) => {
        if (!err) {
          replica.ok();
          return callback(undefined, client, done);
        }
        replica.failed(err);
        this.primary.connect(callback);
      });
    }
    return super.connect().then(
      (client) => {
        replica.ok();
        return client;
      },
      (e: unknown) => {
        replica.failed(e);
        return this.primary.connect();
      },
    );
  }

  // drizzle's statements outside a transaction are pool.query(config, params), a promise
  query(...args: any[]): any {
    const query = super.query as (...a: any[]) => any;
    if (typeof args[args.length - 1] === "function") return query.apply(this, args);
    return query.apply(this, args).catch((e: any) => {
      const conflict = typeof e?.code === "string" && RECOVERY_CONFLICT.has(e.code);
      if (!conflict && !isDatabaseUnavailable(e)) throw e;
      this.replica.failed(e);
      // a read is safe to repeat, and the primary's answer is as fresh as any
      return query.apply(this.primary, args);
    });
  }
}

/** Picks the server for a read and tells a writer how far the primary's WAL has come. */
export class ReadRouter {
  private next = 0;

  constructor(private primaryDb: Db, private primaryPool: HubPool, readonly replicas: Replica[]) {}

  /**
   * The Db a read-only request runs on: the next replica that is up and, given `after`, has replayed
   * at least that far; otherwise the primary. A token costs one probe of a replica only while the
   * replica's last known position is behind it.
   */
  async reader(after?: bigint): Promise<Db> {
    for (let n = 0; n < this.replicas.length; n++) {
      const replica = this.replicas[this.next++ % this.replicas.length];
      if (!replica.up) continue;
      if (after === undefined || replica.replayed >= after) return replica.db;
      const lsn = await replica.replayLsn();
      if (lsn !== null && lsn >= after) return replica.db;
    }
    return this.primaryDb;
  }

  /**
   * pg_current_wal_lsn() of the primary: taken after a mutation committed, every change it made lies
   * at or before this position (a synchronous commit has written its WAL), so a standby that has
   * replayed it sees the write.
   */
  async writeLsn(): Promise<string> {
    const { rows } = await this.primaryPool.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn");
    return rows[0].lsn;
  }

  close(): Promise<void[]> {
    return Promise.all(this.replicas.map((r) => r.pool.end()));
  }
}
