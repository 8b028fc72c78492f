import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns.js";

/** 合规问题: a rule a stored record breaks; resolved when a later record cures it. */
export const complianceFindings = pgTable(
  "compliance_findings",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ruleCode: text("rule_code").notNull(),
    severity: text("severity").notNull(),
    message: text("message").notNull(),
    source: text("source").notNull(),
    subjectKind: text("subject_kind").notNull(),
    subjectKey: text("subject_key").notNull(),
    enterpriseUscc: text("enterprise_uscc"),
    insurerUscc: text("insurer_uscc"),
    policyId: bigint("policy_id", { mode: "number" }),
    status: text("status").notNull().default("OPEN"),
    foundAt: createdAt(),
    resolvedAt: instant("resolved_at"),
  },
  (t) => [
    // one open finding per rule and record; a cured one may reopen later as a new row
    uniqueIndex("compliance_findings_open_unique").on(t.ruleCode, t.subjectKind, t.subjectKey).where(sql`${t.status} = 'OPEN'`),
    index("compliance_findings_enterprise_idx").on(t.enterpriseUscc),
    index("compliance_findings_insurer_idx").on(t.insurerUscc),
    index("compliance_findings_policy_idx").on(t.policyId),
    check("compliance_findings_status", sql`${t.status} in ('OPEN','RESOLVED')`),
    check("compliance_findings_severity", sql`${t.severity} in ('INFO','WARNING','VIOLATION')`),
  ],
);
