import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import type { Db, Executor } from "../../db/client.js";
import { paginate } from "../../db/paginate.js";
import { auditLog } from "../../../schema/index.js";
import { entryHash, GENESIS_HASH, type AuditFields } from "./chain.js";
import type { AuditLogFilter } from "./types.js";

export type AuditRow = typeof auditLog.$inferSelect;

/** What the plugin hands over; `at`, `prev_hash` and `hash` are set when the entry is appended. */
export type AuditDraft = Omit<AuditFields, "at">;

/**
 * The advisory lock that serialises appends: one linear chain whatever the number of requests and
 * hub processes on one PostgreSQL. No other code may take this key.
 */
export const AUDIT_LOCK_KEY = 7_031_883_491;

const LONE_SURROGATE_OR_NUL = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/g;

/**
 * Text PostgreSQL stores exactly as JavaScript holds it: no NUL (text and jsonb refuse it) and no lone
 * surrogate (jsonb refuses it, text would store U+FFFD): otherwise the stored entry could not be hashed
 * to the value computed here. The fields come from tokens and request arguments, so they are cleaned.
 */
export function storable(text: string): string {
  return text.replace(LONE_SURROGATE_OR_NUL, "\uFFFD");
}

/**
 * Appends one entry at the head of the chain. In a small transaction: take the audit lock (waits for
 * any other append, in this process or another), read the head's hash and time, insert. `at` is the
 * hub's clock, never earlier than the head's, so the chain's times never go backwards even across
 * processes with slightly different clocks; it has millisecond precision, as a JavaScript Date, so the
 * stored value hashes back to the same text. The identity id is drawn under the lock, so id order is
 * chain order. PGlite, one connection running one transaction at a time, serialises the same way.
 */
export async function appendAuditEntry(db: Db, draft: AuditDraft): Promise<AuditRow> {
  const clean: AuditDraft = {
    sub: storable(draft.sub),
    role: storable(draft.role),
    org: draft.org === null ? null : storable(draft.org),
    purpose: draft.purpose === null ? null : storable(draft.purpose),
    operation: storable(draft.operation),
    keys: draft.keys.map(storable),
    requestHash: draft.requestHash,
  };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_KEY))})`);
    const [head] = await tx.select({ hash: auditLog.hash, at: auditLog.at }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    const prevHash = head?.hash ?? GENESIS_HASH;
    const at = new Date(Math.max(Date.now(), head ? head.at.getTime() : 0));
    const hash = entryHash(prevHash, { ...clean, at });
    const [row] = await tx
      .insert(auditLog)
      .values({ ...clean, at, prevHash, hash })
      .returning();
    return row;
  });
}

/** Which entries a viewer reads: the committee office all of them, every other org its own; PUBLIC none. */
export function auditRowsVisible(v: Viewer): SQL | undefined {
  if (v.role === "COMMITTEE_OFFICE") return undefined;
  if (v.role === "PUBLIC" || !v.org) return sql`false`;
  return eq(auditLog.org, v.org);
}

/** `operation` as stored: `<query|mutation> <name|anonymous> { <root fields> }`. */
export function formatOperation(type: string, name: string | null | undefined, rootFields: Iterable<string>): string {
  const fields = [...rootFields].join(" ");
  return `${type} ${name || "anonymous"} {${fields ? ` ${fields} ` : " "}}`;
}

export function listAuditLog(db: Executor, viewer: Viewer, f: AuditLogFilter | undefined, page: { first?: number; after?: string }) {
  const where = and(
    auditRowsVisible(viewer),
    f?.operation ? sql`split_part(${auditLog.operation}, ' ', 2) = ${f.operation}` : undefined,
    f?.field ? sql`strpos(substr(${auditLog.operation}, strpos(${auditLog.operation}, '{')), ${" " + f.field + " "}) > 0` : undefined,
    f?.sub ? eq(auditLog.sub, f.sub) : undefined,
    f?.org ? eq(auditLog.org, f.org) : undefined,
    f?.key ? sql`${auditLog.keys} @> ${JSON.stringify([f.key])}::jsonb` : undefined,
    f?.from ? gte(auditLog.at, f.from) : undefined,
    f?.to ? lt(auditLog.at, f.to) : undefined,
  );
  return paginate<AuditRow>({ db, table: auditLog, key: auditLog.id, where, ...page });
}
