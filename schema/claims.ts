import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { createdAt, instant, money } from "./columns.js";
import { enterprises } from "./enterprises.js";
import { policies } from "./policies.js";
import { agencies, insurers } from "./registry.js";

const id = () => bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity();

/** 生产安全事故, recorded by a department; grade by 条例 第三条 (computed on write, stored for reporting). */
export const accidents = pgTable(
  "accidents",
  {
    id: id(),
    enterpriseUscc: text("enterprise_uscc").notNull().references(() => enterprises.uscc),
    occurredAt: instant("occurred_at").notNull(),
    deaths: integer("deaths").notNull().default(0),
    seriousInjuries: integer("serious_injuries").notNull().default(0),
    directLoss: money("direct_loss").notNull().default("0"),
    grade: text("grade").notNull(),
    description: text("description"),
    recordedBy: text("recorded_by").references(() => agencies.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("accidents_enterprise_idx").on(t.enterpriseUscc, t.occurredAt),
    index("accidents_occurred_idx").on(t.occurredAt),
    check("accidents_counts", sql`${t.deaths} >= 0 and ${t.seriousInjuries} >= 0 and ${t.directLoss} >= 0`),
    check("accidents_grade", sql`${t.grade} in ('GENERAL','LARGER','MAJOR','EXTRAORDINARY')`),
  ],
);

/** 理赔: REPORTED → ASSESSED → (ADVANCE_PAID)* → SETTLED | REJECTED. */
export const claims = pgTable(
  "claims",
  {
    id: id(),
    insurerUscc: text("insurer_uscc").notNull().references(() => insurers.uscc),
    claimRef: text("claim_ref").notNull(),
    policyId: bigint("policy_id", { mode: "number" }).notNull().references(() => policies.id),
    enterpriseUscc: text("enterprise_uscc").notNull().references(() => enterprises.uscc),
    accidentId: bigint("accident_id", { mode: "number" }).references(() => accidents.id),
    status: text("status").notNull().default("REPORTED"),
    reportedAt: instant("reported_at").notNull(),
    assessedAt: instant("assessed_at"),
    settledAt: instant("settled_at"),
    rejectedAt: instant("rejected_at"),
    rejectionReason: text("rejection_reason"),
    reserve: money("reserve").notNull().default("0"),
    settledAmount: money("settled_amount"),
    payloadHash: text("payload_hash"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("claims_insurer_ref").on(t.insurerUscc, t.claimRef),
    index("claims_policy_idx").on(t.policyId),
    index("claims_enterprise_idx").on(t.enterpriseUscc),
    index("claims_reported_idx").on(t.reportedAt),
    index("claims_settled_idx").on(t.settledAt),
    check("claims_status", sql`${t.status} in ('REPORTED','ASSESSED','ADVANCE_PAID','SETTLED','REJECTED')`),
    check("claims_money", sql`${t.reserve} >= 0 and coalesce(${t.settledAmount}, 0) >= 0`),
    check("claims_settled_consistent", sql`(${t.status} = 'SETTLED') = (${t.settledAt} is not null)`),
    check("claims_rejected_consistent", sql`(${t.status} = 'REJECTED') = (${t.rejectedAt} is not null)`),
  ],
);

/** 索赔人: employees or third parties; name and ID number are personal data. */
export const claimants = pgTable(
  "claimants",
  {
    id: id(),
    claimId: bigint("claim_id", { mode: "number" }).notNull().references(() => claims.id),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    idNumber: text("id_number").notNull(),
    injury: text("injury"),
  },
  (t) => [
    index("claimants_claim_idx").on(t.claimId),
    check("claimants_kind", sql`${t.kind} in ('EMPLOYEE','THIRD_PARTY')`),
  ],
);

/** 赔款支付: advances (先行垫付, 小额快付, 紧急费用垫付) and the settlement. */
export const claimPayments = pgTable(
  "claim_payments",
  {
    id: id(),
    claimId: bigint("claim_id", { mode: "number" }).notNull().references(() => claims.id),
    insurerUscc: text("insurer_uscc").notNull().references(() => insurers.uscc),
    paymentRef: text("payment_ref").notNull(),
    kind: text("kind").notNull(),
    amount: money("amount").notNull(),
    paidAt: instant("paid_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("claim_payments_insurer_ref").on(t.insurerUscc, t.paymentRef),
    index("claim_payments_claim_idx").on(t.claimId),
    index("claim_payments_paid_idx").on(t.paidAt),
    check("claim_payments_kind", sql`${t.kind} in ('ADVANCE','EMERGENCY_ADVANCE','SMALL_FAST','SETTLEMENT')`),
    check("claim_payments_amount", sql`${t.amount} > 0`),
  ],
);
