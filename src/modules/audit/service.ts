import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import type { Db, Executor } from "../../db/client.js";
import { paginate } from "../../db/paginate.js";
import { auditLog } from "../../../schema/index.js";
import { contentHash, type AuditFields } from "./chain.js";
import type { AuditLogFilter } from "./types.js";

export type AuditRow = typeof auditLog.$inferSelect;

/** The columns an entry's hashes cover (with its id): what the sealer links and verify re-hashes. */
export const HASHED_COLUMNS = {
  id: auditLog.id,
  at: auditLog.at,
  sub: auditLog.sub,
  role: auditLog.role,
  org: auditLog.org,
  purpose: auditLog.purpose,
  operation: auditLog.operation,
  keys: auditLog.keys,
  requestHash: auditLog.requestHash,
};

/** What the plugin hands over; `at` and `content_hash` are set when the entry is appended, `seq`, `prev_hash` and `hash` when it is sealed. */
export type AuditDraft = Omit<AuditFields, "at">;

/**
 * The advisory lock of the sealer (sealer.ts): one sealer at a time across every hub process on one
 * PostgreSQL, so there is one linear chain. Appends never take it. No other code may take this key.
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
 * Appends one entry, unsealed: one plain INSERT of its fields and their content hash, no lock and no
 * read of the chain's head, so concurrent appends (in this process or another) never wait for each
 * other. With `db` the database (not a transaction) the entry is committed when this resolves: the
 * plugin awaits it before any answer leaves. The sealer (sealer.ts) links it into the chain shortly
 * after. `at` is the hub's clock with millisecond precision, as a JavaScript Date, so the stored value
 * hashes back to the same text; it is when the entry was written, and it may run slightly backwards
 * along the chain (seal order is commit order, not clock order).
 */
export async function appendAuditEntry(db: Db, draft: AuditDraft): Promise<AuditRow> {
  const fields: AuditFields = {
    at: new Date(),
    sub: storable(draft.sub),
    role: storable(draft.role),
    org: draft.org === null ? null : storable(draft.org),
    purpose: draft.purpose === null ? null : storable(draft.purpose),
    operation: storable(draft.operation),
    keys: draft.keys.map(storable),
    requestHash: draft.requestHash,
  };
  const [row] = await db
    .insert(auditLog)
    .values({ ...fields, contentHash: contentHash(fields) })
    .returning();
  return row;
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
