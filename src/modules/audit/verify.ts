import { HASHED_COLUMNS } from "./service.js";
import { and, asc, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { auditLog } from "../../../schema/index.js";
import { contentHash, entryHash, GENESIS_HASH, type AuditFields } from "./chain.js";

export type VerifyResult =
  /** `count`: sealed entries verified; `head`: the last one's hash; `unsealed`: entries not yet sealed, each content-verified */
  | { ok: true; count: number; head: string; unsealed: number }
  /** `count`: sealed entries that verified before the broken one (all of them when an unsealed entry is the problem) */
  | { ok: false; count: number; brokenId: number; reason: string };

/**
 * An entry still unsealed this long after its time is reported: the sealer seals within a fraction of
 * a second (sealer.ts), so this means no hub process is sealing (all stopped, or sealing fails).
 */
export const UNSEALED_GRACE_MS = 60_000;

const columns = {
  ...HASHED_COLUMNS,
  wholeMillis: sql<boolean>`${auditLog.at} = date_trunc('milliseconds', ${auditLog.at})`,
  contentHash: auditLog.contentHash,
  seq: auditLog.seq,
  prevHash: auditLog.prevHash,
  hash: auditLog.hash,
};
type Row = Omit<typeof auditLog.$inferSelect, "keys"> & { keys: unknown; wholeMillis: boolean };

const altered = (which: "内容" | "链", hash: "content" | "chain") =>
  `${which}哈希与内容不符：该条被修改 / the ${hash} hash does not match the entry's content: the entry was altered`;

/** The entry's own checks (no chain): why it is broken, or its fields when it is not. */
function content(r: Row): { reason: string } | { fields: AuditFields } {
  if (!r.wholeMillis) return { reason: "记录时间精度超出毫秒，非本系统写入 / the time has sub-millisecond digits: not written by the hub" };
  const keys = r.keys;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string")) return { reason: "keys 不是字符串数组 / keys is not an array of strings" };
  const fields: AuditFields = { at: r.at, sub: r.sub, role: r.role, org: r.org, purpose: r.purpose, operation: r.operation, keys: keys as string[], requestHash: r.requestHash };
  if (r.contentHash !== null && r.contentHash !== contentHash(fields)) return { reason: altered("内容", "content") };
  return { fields };
}

/**
 * Checks the audit log, a page at a time (never the whole log in memory).
 *
 * Sealed entries, in seq (chain) order: for each,
 *   1. its prev_hash is the previous sealed entry's hash (GENESIS_HASH for the first): an entry
 *      removed, inserted or moved breaks this link at the entry after it;
 *   2. its time has no digits below the millisecond (the hub writes milliseconds; a finer time was
 *      not written by the hub and would otherwise hash as its rounded value);
 *   3. its content hash, if it has one (entries from before migration 0004 have none), recomputes
 *      from its fields, and its chain hash recomputes from prev_hash and its fields: an edited entry
 *      breaks here.
 * Unsealed entries, in id order: for each, checks 2 and 3 with the content hash (which an unsealed
 * entry must have), and that it was written less than `unsealedGraceMs` before `now`: an older one
 * means the sealer has stopped. An unsealed entry proves its own content only: until sealed, its
 * removal shows nowhere.
 *
 * Stops at the first broken entry and names it. Removing sealed entries at the head (the newest)
 * leaves a valid shorter chain: compare `count` and `head` with a figure kept elsewhere to catch that.
 */
export async function verifyAuditChain(
  db: Executor,
  opts: { pageSize?: number; unsealedGraceMs?: number; now?: Date } = {},
): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 1000;
  let prev = GENESIS_HASH;
  let prevId: number | null = null;
  let lastSeq: number | null = null;
  let count = 0;
  for (;;) {
    const rows = (await db
      .select(columns)
      .from(auditLog)
      .where(and(isNotNull(auditLog.seq), lastSeq === null ? undefined : gt(auditLog.seq, lastSeq)))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize)) as Row[];
    for (const r of rows) {
      const broken = (reason: string): VerifyResult => ({ ok: false, count, brokenId: r.id, reason });
      if (r.prevHash !== prev) {
        return broken(
          prevId === null
            ? `第一条的 prev_hash 不是创世值：其前的条目被删除 / the first entry's prev_hash is not the genesis value: entries before it were removed`
            : `prev_hash 与第 ${prevId} 条的哈希不符：其间的条目被删除、插入、调换或修改 / prev_hash does not match entry ${prevId}'s hash: an entry between them was removed, inserted, reordered or altered`,
        );
      }
      const c = content(r);
      if ("reason" in c) return broken(c.reason);
      if (r.hash !== entryHash(prev, c.fields)) return broken(altered("链", "chain"));
      prev = r.hash;
      prevId = r.id;
      lastSeq = r.seq;
      count++;
    }
    if (rows.length < pageSize) break;
  }

  const now = (opts.now ?? new Date()).getTime();
  const grace = opts.unsealedGraceMs ?? UNSEALED_GRACE_MS;
  let unsealed = 0;
  let lastId: number | null = null;
  for (;;) {
    const rows = (await db
      .select(columns)
      .from(auditLog)
      .where(and(isNull(auditLog.seq), lastId === null ? undefined : gt(auditLog.id, lastId)))
      .orderBy(asc(auditLog.id))
      .limit(pageSize)) as Row[];
    for (const r of rows) {
      const broken = (reason: string): VerifyResult => ({ ok: false, count, brokenId: r.id, reason });
      if (r.prevHash !== null || r.hash !== null) return broken("未封链却带有链哈希：该条被修改 / unsealed but carries chain hashes: the entry was altered");
      if (r.contentHash === null) return broken("未封链且无内容哈希：该条被修改 / unsealed and without a content hash: the entry was altered");
      const c = content(r);
      if ("reason" in c) return broken(c.reason);
      const age = now - r.at.getTime();
      if (age > grace) {
        return broken(
          `写入 ${Math.round(age / 1000)} 秒后仍未封链：封链程序可能已停止 / not sealed ${Math.round(age / 1000)} s after it was written: the sealer may have stopped`,
        );
      }
      lastId = r.id;
      unsealed++;
    }
    if (rows.length < pageSize) return { ok: true, count, head: prev, unsealed };
  }
}
