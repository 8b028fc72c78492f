import { bigint, index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";

/** 审计日志: append-only, hash-chained (each entry hashes the previous one). */
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
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_log_org_idx").on(t.org, t.id)],
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
