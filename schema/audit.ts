import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";

/**
 * 审计日志: append-only, hash-chained. A request inserts its entry with `content_hash` (the hash of its
 * own fields) and no lock; the sealer (src/modules/audit/sealer.ts) later links it into the chain by
 * setting `seq`, `prev_hash` and `hash` once, in seal order. Entries written before migration 0004
 * were chained at insert: seq = id, no content_hash. The trigger of migration 0004 refuses every other
 * UPDATE, and every DELETE and TRUNCATE.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: createdAt(),
    sub: text("sub").notNull(),
    role: text("role").notNull(),
    org: text("org"),
    purpose: text("purpose"),
    operation: text("operation").notNull(),
    keys: jsonb("keys").notNull(),
    requestHash: text("request_hash").notNull(),
    /** sha256 of the canonical fields (chain.ts: contentHash); null only on entries from before migration 0004 */
    contentHash: text("content_hash"),
    /** the position in the chain, set when sealed; null until then */
    seq: bigint("seq", { mode: "number" }),
    /** the previous entry's hash in seq order, set when sealed */
    prevHash: text("prev_hash"),
    /** sha256(prev_hash ‖ canonical fields), set when sealed */
    hash: text("hash"),
  },
  (t) => [
    index("audit_log_org_idx").on(t.org, t.id),
    uniqueIndex("audit_log_seq_idx").on(t.seq),
    /** what the sealer looks for: small, as only the last moment's entries are in it */
    index("audit_log_unsealed_idx").on(t.id).where(sql`${t.seq} is null`),
    /** sealed = all three chain columns set; an unsealed entry always carries its content hash */
    check("audit_log_sealed_whole", sql`(${t.seq} is null) = (${t.prevHash} is null) and (${t.seq} is null) = (${t.hash} is null)`),
    check("audit_log_unsealed_hashed", sql`${t.seq} is not null or ${t.contentHash} is not null`),
  ],
);

/** A push's idempotency key, per acting org: the same key and payload replays `result`. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    org: text("org").notNull(),
    key: text("key").notNull(),
    operation: text("operation").notNull(),
    payloadHash: text("payload_hash").notNull(),
    result: jsonb("result").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.org, t.key] })],
);
