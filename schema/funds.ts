import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, text, unique } from "drizzle-orm/pg-core";
import { createdAt, instant, money } from "./columns.js";
import { policies } from "./policies.js";
import { insurers } from "./registry.js";

/** 事故预防费用台账: EXTRACTION (提取) and USE (使用, with a category), booked as actually spent. */
export const fundEntries = pgTable(
  "fund_entries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    insurerUscc: text("insurer_uscc").notNull().references(() => insurers.uscc),
    entryRef: text("entry_ref").notNull(),
    policyId: bigint("policy_id", { mode: "number" }).references(() => policies.id),
    kind: text("kind").notNull(),
    category: text("category"),
    amount: money("amount").notNull(),
    bookedAt: instant("booked_at").notNull(),
    note: text("note"),
    payloadHash: text("payload_hash"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("fund_entries_insurer_ref").on(t.insurerUscc, t.entryRef),
    index("fund_entries_policy_idx").on(t.policyId),
    index("fund_entries_booked_idx").on(t.bookedAt),
    check("fund_entries_kind", sql`${t.kind} in ('EXTRACTION','USE')`),
    check("fund_entries_category", sql`(${t.kind} = 'USE') = (${t.category} is not null)`),
    check("fund_entries_amount", sql`${t.amount} > 0`),
  ],
);
