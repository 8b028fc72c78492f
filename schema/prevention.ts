import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { createdAt, instant, money } from "./columns.js";
import { enterprises } from "./enterprises.js";
import { policies } from "./policies.js";
import { insurers, serviceOrgs } from "./registry.js";

const id = () => bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity();

/** 事故预防服务 (AQ 9010-2019), performed by the insurer itself or a named service org. */
export const preventionServices = pgTable(
  "prevention_services",
  {
    id: id(),
    insurerUscc: text("insurer_uscc").notNull().references(() => insurers.uscc),
    serviceRef: text("service_ref").notNull(),
    policyId: bigint("policy_id", { mode: "number" }).notNull().references(() => policies.id),
    enterpriseUscc: text("enterprise_uscc").notNull().references(() => enterprises.uscc),
    serviceOrgUscc: text("service_org_uscc").references(() => serviceOrgs.uscc),
    kind: text("kind").notNull(),
    performedAt: instant("performed_at").notNull(),
    place: text("place"),
    staff: text("staff").array().notNull().default(sql`'{}'::text[]`),
    cost: money("cost").notNull().default("0"),
    confirmedByEnterprise: boolean("confirmed_by_enterprise").notNull().default(false),
    payloadHash: text("payload_hash"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("prevention_services_insurer_ref").on(t.insurerUscc, t.serviceRef),
    index("prevention_services_policy_idx").on(t.policyId),
    index("prevention_services_enterprise_idx").on(t.enterpriseUscc, t.performedAt),
    // the quarterly report reads a quarter's services by date, enterprise and kind from this index alone
    index("prevention_services_performed_idx").on(t.performedAt, t.enterpriseUscc, t.kind),
    check("prevention_services_kind", sql`${t.kind} in ('RISK_ASSESSMENT','HAZARD_INVESTIGATION','TRAINING','EMERGENCY_DRILL','TECH_PROMOTION','OTHER')`),
    check("prevention_services_cost", sql`${t.cost} >= 0`),
  ],
);

/** 隐患: found by a service; OVERDUE is derived (OPEN past its deadline), never stored. */
export const hazards = pgTable(
  "hazards",
  {
    id: id(),
    serviceId: bigint("service_id", { mode: "number" }).notNull().references(() => preventionServices.id),
    // copied from the service so that scoping and reports need no join
    policyId: bigint("policy_id", { mode: "number" }).notNull().references(() => policies.id),
    enterpriseUscc: text("enterprise_uscc").notNull().references(() => enterprises.uscc),
    seq: integer("seq").notNull(),
    description: text("description").notNull(),
    severity: text("severity").notNull(),
    noticeDate: date("notice_date", { mode: "string" }).notNull(),
    deadline: date("deadline", { mode: "string" }).notNull(),
    status: text("status").notNull().default("OPEN"),
    rectifiedAt: instant("rectified_at"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("hazards_service_seq").on(t.serviceId, t.seq),
    index("hazards_service_idx").on(t.serviceId),
    index("hazards_policy_idx").on(t.policyId),
    index("hazards_enterprise_idx").on(t.enterpriseUscc, t.status),
    // hazards by written notice date (the quarterly report, the insurer assessment), with what the report counts
    index("hazards_notice_idx").on(t.noticeDate, t.enterpriseUscc, t.severity, t.rectifiedAt),
    check("hazards_severity", sql`${t.severity} in ('GENERAL','MAJOR')`),
    check("hazards_status", sql`${t.status} in ('OPEN','RECTIFIED','REFUSED')`),
    check("hazards_dates", sql`${t.noticeDate} <= ${t.deadline}`),
    check("hazards_rectified_consistent", sql`(${t.status} = 'RECTIFIED') = (${t.rectifiedAt} is not null)`),
  ],
);
