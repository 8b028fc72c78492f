import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import type { Executor, Tx } from "../../db/client.js";
import { conflict } from "../../graphql/errors.js";
import { idempotencyKeys } from "../../../schema/index.js";

/** JSON with sorted keys: the same payload always hashes the same, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

export const payloadHash = (operation: string, payload: unknown) => canonicalHash(operation, canonicalJson(payload));

/** payloadHash of a payload whose canonicalJson the caller already has. */
export const canonicalHash = (operation: string, canonical: string) => createHash("sha256").update(operation).update("\0").update(canonical).digest("hex");

/** The CONFLICT of a key already used for another payload (or another operation). */
export const keyReused = (key: string) => conflict(`幂等键已用于不同内容 / idempotency key ${key} was already used with a different payload`);

/**
 * Runs `work` once per (org, key), inside the caller's transaction. The key row is inserted first:
 * a concurrent retry with the same key blocks on the primary key until the first transaction ends,
 * then finds the stored result, so this holds across hub processes without in-process locks.
 * The same key with a different payload is a CONFLICT.
 */
export async function once<T>(tx: Tx, viewer: Viewer, operation: string, key: string, payload: unknown, work: () => Promise<T>): Promise<{ result: T; replayed: boolean }> {
  const org = viewer.org ?? viewer.sub;
  const hash = payloadHash(operation, payload);
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ org, key, operation, payloadHash: hash, result: {} })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 0) {
    const [prior] = await tx.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.org, org), eq(idempotencyKeys.key, key)));
    if (prior.payloadHash !== hash || prior.operation !== operation) {
      throw keyReused(key);
    }
    return { result: prior.result as T, replayed: true };
  }
  const result = await work();
  await tx.update(idempotencyKeys).set({ result: result as any }).where(and(eq(idempotencyKeys.org, org), eq(idempotencyKeys.key, key)));
  return { result, replayed: false };
}

export async function storedResult(db: Executor, org: string, key: string) {
  const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.org, org), eq(idempotencyKeys.key, key)));
  return row ?? null;
}
