import { asc, gt, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { auditLog } from "../../../schema/index.js";
import { entryHash, GENESIS_HASH } from "./chain.js";

export type VerifyResult =
  | { ok: true; count: number; head: string }
  /** `count`: entries that verified before the broken one */
  | { ok: false; count: number; brokenId: number; reason: string };

/**
 * Walks the audit chain in id order, a page at a time (never the whole log in memory), and checks
 * for every entry that
 *   1. its prev_hash is the previous entry's hash (GENESIS_HASH for the first): an entry removed,
 *      inserted or moved breaks this link at the entry after it;
 *   2. its hash recomputes from prev_hash and its fields: an edited entry breaks here;
 *   3. its time has no digits below the millisecond (the hub writes milliseconds; a finer time was
 *      not written by the hub and would otherwise hash as its rounded value).
 * Stops at the first broken entry and names it. Removing entries at the head (the newest) leaves a
 * valid shorter chain: compare `count` and `head` with a figure kept elsewhere to catch that.
 */
export async function verifyAuditChain(db: Executor, opts: { pageSize?: number } = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 1000;
  let prev = GENESIS_HASH;
  let prevId: number | null = null;
  let count = 0;
  for (;;) {
    const rows = await db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        wholeMillis: sql<boolean>`${auditLog.at} = date_trunc('milliseconds', ${auditLog.at})`,
        sub: auditLog.sub,
        role: auditLog.role,
        org: auditLog.org,
        purpose: auditLog.purpose,
        operation: auditLog.operation,
        keys: auditLog.keys,
        requestHash: auditLog.requestHash,
        prevHash: auditLog.prevHash,
        hash: auditLog.hash,
      })
      .from(auditLog)
      .where(prevId === null ? undefined : gt(auditLog.id, prevId))
      .orderBy(asc(auditLog.id))
      .limit(pageSize);
    for (const r of rows) {
      const broken = (reason: string): VerifyResult => ({ ok: false, count, brokenId: r.id, reason });
      if (r.prevHash !== prev) {
        return broken(
          prevId === null
            ? `第一条的 prev_hash 不是创世值：其前的条目被删除 / the first entry's prev_hash is not the genesis value: entries before it were removed`
            : `prev_hash 与第 ${prevId} 条的哈希不符：其间的条目被删除、插入或修改 / prev_hash does not match entry ${prevId}'s hash: an entry between them was removed, inserted or altered`,
        );
      }
      if (!r.wholeMillis) return broken("记录时间精度超出毫秒，非本系统写入 / the time has sub-millisecond digits: not written by the hub");
      const keys = r.keys;
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string")) return broken("keys 不是字符串数组 / keys is not an array of strings");
      const expected = entryHash(prev, {
        at: r.at,
        sub: r.sub,
        role: r.role,
        org: r.org,
        purpose: r.purpose,
        operation: r.operation,
        keys: keys as string[],
        requestHash: r.requestHash,
      });
      if (r.hash !== expected) return broken("哈希与内容不符：该条被修改 / the hash does not match the entry's content: the entry was altered");
      prev = r.hash;
      prevId = r.id;
      count++;
    }
    if (rows.length < pageSize) return { ok: true, count, head: prev };
  }
}
