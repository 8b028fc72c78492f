import { asc, desc, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { auditLog } from "../../../schema/index.js";
import { entryHash, GENESIS_HASH } from "./chain.js";
import { AUDIT_LOCK_KEY, HASHED_COLUMNS } from "./service.js";

/** Entries linked per transaction; a larger backlog takes several, each with the lock held briefly. */
export const SEAL_BATCH = 1000;

const LOCK = sql.raw(String(AUDIT_LOCK_KEY));

/**
 * Links the unsealed entries into the chain and returns how many it sealed, or null when another
 * sealer holds the lock (then that one is sealing; `wait: true` waits for it instead, e.g. in tests
 * and tools that need everything sealed now).
 *
 * One batch = one transaction: take the sealer's advisory lock (pg_try_advisory_xact_lock: one sealer
 * at a time across hub processes; appends never take it), read the head (the highest seq), read up to
 * `batch` unsealed entries in id order, give them the next seqs and chain hashes, and UPDATE them (the
 * only UPDATE the table's trigger allows, and only once per entry). The chain's order is therefore the
 * seal order, and that is commit order: an entry is visible to the sealer only once its INSERT has
 * committed, so an entry whose transaction commits late (a lower id committing after higher ones were
 * sealed) is simply sealed in a later batch, after them. No gap is ever skipped, and nothing waits for
 * time to pass. Each batch's statements run after the lock is granted, so they see every previous
 * sealer's commit, and the head they read is the true head.
 */
export async function sealAuditLog(db: Db, opts: { wait?: boolean; batch?: number } = {}): Promise<number | null> {
  const batch = opts.batch ?? SEAL_BATCH;
  let total = 0;
  for (;;) {
    const n = await sealBatch(db, batch, opts.wait === true);
    // another sealer took over after our first batch: it carries on from where we stopped
    if (n === null) return total > 0 ? total : null;
    total += n;
    if (n < batch) return total;
  }
}

async function sealBatch(db: Db, batch: number, wait: boolean): Promise<number | null> {
  return db.transaction(async (tx) => {
    if (wait) {
      await tx.execute(sql`select pg_advisory_xact_lock(${LOCK})`);
    } else {
      const r = (await tx.execute(sql`select pg_try_advisory_xact_lock(${LOCK}) as locked`)) as unknown as { rows: { locked: boolean }[] };
      if (!r.rows[0]?.locked) return null;
    }
    const [head] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).where(isNotNull(auditLog.seq)).orderBy(desc(auditLog.seq)).limit(1);
    const rows = await tx
      .select(HASHED_COLUMNS)
      .from(auditLog)
      .where(isNull(auditLog.seq))
      .orderBy(asc(auditLog.id))
      .limit(batch);
    if (rows.length === 0) return 0;
    let prev = head?.hash ?? GENESIS_HASH;
    let seq = head?.seq ?? 0;
    const seals = rows.map((r) => {
      // what is stored is what is chained: an entry altered before sealing is chained as found, and
      // verify.ts still reports it by its content hash
      const hash = entryHash(prev, { ...r, keys: r.keys as string[] });
      const seal = { id: r.id, seq: ++seq, prev_hash: prev, hash };
      prev = hash;
      return seal;
    });
    await tx.execute(sql`
      update audit_log a set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
      from jsonb_to_recordset(${JSON.stringify(seals)}::jsonb) as v(id bigint, seq bigint, prev_hash text, hash text)
      where a.id = v.id and a.seq is null`);
    return rows.length;
  });
}

export interface AuditSealerOptions {
  /** an append is sealed this long after it, at the latest (appends in the meantime share the batch) */
  delayMs?: number;
  /** how often to look for entries nobody nudged for (another process stopped before sealing them); 0 = never */
  sweepMs?: number;
  logger?: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export const SEAL_DELAY_MS = 100;
export const SEAL_SWEEP_MS = 5000;

/**
 * The sealer of one hub process: seals shortly after this process appends (nudge), and every
 * `sweepMs` if anything is left unsealed (entries of a process that stopped first). Rounds never
 * overlap within the process; across processes the advisory lock lets one seal while the others skip
 * (a skipped round looks again after `delayMs`, since our entry may have committed after the other
 * sealer looked). On PGlite the same code runs in-process on the one connection.
 */
export class AuditSealer {
  private readonly delayMs: number;
  private readonly logger: NonNullable<AuditSealerOptions["logger"]>;
  private timer: NodeJS.Timeout | undefined;
  private readonly sweeper: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly db: Db,
    opts: AuditSealerOptions = {},
  ) {
    this.delayMs = opts.delayMs ?? SEAL_DELAY_MS;
    this.logger = opts.logger ?? {
      error: (obj, msg) => console.error(msg, JSON.stringify(obj)),
      warn: (obj, msg) => console.warn(msg, JSON.stringify(obj)),
    };
    const sweepMs = opts.sweepMs ?? SEAL_SWEEP_MS;
    if (sweepMs > 0) this.sweeper = setInterval(() => void this.sweep(), sweepMs).unref();
  }

  /** An entry was appended: seal within delayMs. */
  nudge(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sealNow();
    }, this.delayMs).unref();
  }

  /** Seals now if anything is unsealed (one cheap indexed look when nothing is). */
  async sweep(): Promise<void> {
    if (this.stopped || this.running) return;
    try {
      const r = (await this.db.execute(sql`select exists (select 1 from audit_log where seq is null) as pending`)) as unknown as { rows: { pending: boolean }[] };
      if (r.rows[0]?.pending) await this.sealNow();
    } catch (e) {
      this.failed(e);
    }
  }

  /** One round now, or one more after the round in progress; resolves when it is done (never rejects). */
  sealNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const round = async () => {
      do {
        this.again = false;
        try {
          const n = await sealAuditLog(this.db);
          if (n === null) this.nudge();
          if (this.failing) this.logger.warn({}, "审计日志封链已恢复 / audit sealing recovered");
          this.failing = false;
        } catch (e) {
          this.failed(e);
        }
      } while (this.again && !this.stopped);
    };
    this.running = round().finally(() => {
      this.running = undefined;
      // asked for between the loop's last check and here
      if (this.again && !this.stopped) void this.sealNow();
    });
    return this.running;
  }

  /** Stops the timers, lets a round in progress finish, and seals once more (a clean stop leaves nothing unsealed). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.sweeper);
    await this.running;
    try {
      await sealAuditLog(this.db);
    } catch (e) {
      this.failed(e);
    }
  }

  private failed(e: unknown) {
    // a database outage fails every round: say so once, and once more when it recovers
    if (!this.failing) this.logger.error({ error: (e as Error)?.message }, "审计日志封链失败，条目暂未链接 / audit sealing failed: entries stay unsealed until it recovers");
    this.failing = true;
  }
}
