import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { createdAt, instant, money, rate, rateFloat, ratio } from "./columns.js";
import { enterprises } from "./enterprises.js";
import { brokers, insurers, serviceOrgs } from "./registry.js";

const id = () => bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity();
const policyRef = () => bigint("policy_id", { mode: "number" }).notNull().references(() => policies.id);

/**
 * 保单, the current version. The period is [start_at, end_at): a policy covers an instant when it is
 * not cancelled and start_at <= t < end_at. Each 批改 bumps `version` and leaves a row in policy_versions.
 */
export const policies = pgTable(
  "policies",
  {
    id: id(),
    insurerUscc: text("insurer_uscc").notNull().references(() => insurers.uscc),
    policyNo: text("policy_no").notNull(),
    brokerUscc: text("broker_uscc").references(() => brokers.uscc),
    startAt: instant("start_at").notNull(),
    endAt: instant("end_at").notNull(),
    cancelledAt: instant("cancelled_at"),
    cancelReason: text("cancel_reason"),
    premium: money("premium").notNull(),
    baseRate: rate("base_rate").notNull().default("0"),
    rateFloat: rateFloat("rate_float").notNull().default("0"),
    commissionRatio: ratio("commission_ratio").notNull().default("0"),
    preventionFundRatio: ratio("prevention_fund_ratio").notNull(),
    insuredHeadcount: integer("insured_headcount").notNull(),
    deathLimitPerPerson: money("death_limit_per_person").notNull(),
    medicalLimitPerPerson: money("medical_limit_per_person"),
    thirdPartyLimit: money("third_party_limit"),
    coverageItems: text("coverage_items").array().notNull().default(sql`'{}'::text[]`),
    isGroupPolicy: boolean("is_group_policy").notNull().default(false),
    version: integer("version").notNull().default(1),
    payloadHash: text("payload_hash"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    unique("policies_insurer_policy_no").on(t.insurerUscc, t.policyNo),
    // policies in force at an instant (coverage at a quarter's end) come from this index alone
    index("policies_period_idx").on(t.startAt, t.endAt, t.cancelledAt, t.id),
    check("policies_period_order", sql`${t.startAt} < ${t.endAt}`),
    check("policies_money_nonneg", sql`${t.premium} >= 0 and ${t.deathLimitPerPerson} >= 0 and coalesce(${t.medicalLimitPerPerson}, 0) >= 0 and coalesce(${t.thirdPartyLimit}, 0) >= 0`),
    check("policies_ratios", sql`${t.commissionRatio} between 0 and 1 and ${t.preventionFundRatio} between 0 and 1`),
    check("policies_rate_float", sql`${t.rateFloat} between -1 and 3`),
    check("policies_headcount_pos", sql`${t.insuredHeadcount} > 0`),
    check("policies_cancel_reason", sql`(${t.cancelledAt} is null) = (${t.cancelReason} is null)`),
  ],
);

/** The enterprises a policy insures: one, or several for a park-wide group policy (整体投保). */
export const policyEnterprises = pgTable(
  "policy_enterprises",
  {
    policyId: policyRef(),
    enterpriseUscc: text("enterprise_uscc").notNull().references(() => enterprises.uscc),
    insuredHeadcount: integer("insured_headcount").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.policyId, t.enterpriseUscc] }),
    index("policy_enterprises_enterprise_idx").on(t.enterpriseUscc, t.policyId),
    check("policy_enterprises_headcount_pos", sql`${t.insuredHeadcount} > 0`),
  ],
);

/** 共保: every insurer on the policy, the lead included, with shares summing to 1. */
export const policyCoinsurers = pgTable(
  "policy_coinsurers",
  {
    policyId: policyRef(),
    insurerUscc: text("insurer_uscc").notNull().references(() => insurers.uscc),
    share: ratio("share").notNull(),
    isLead: boolean("is_lead").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.policyId, t.insurerUscc] }),
    index("policy_coinsurers_insurer_idx").on(t.insurerUscc, t.policyId),
    check("policy_coinsurers_share", sql`${t.share} > 0 and ${t.share} <= 1`),
  ],
);

/** 事故预防服务计划: items × yearly frequency. */
export const policyServicePlans = pgTable(
  "policy_service_plans",
  {
    policyId: policyRef(),
    kind: text("kind").notNull(),
    yearlyFrequency: integer("yearly_frequency").notNull(),
  },
  (t) => [primaryKey({ columns: [t.policyId, t.kind] }), check("policy_service_plans_freq", sql`${t.yearlyFrequency} > 0`)],
);

/** The service orgs a policy names as its prevention providers. */
export const policyServiceOrgs = pgTable(
  "policy_service_orgs",
  {
    policyId: policyRef(),
    serviceOrgUscc: text("service_org_uscc").notNull().references(() => serviceOrgs.uscc),
  },
  (t) => [primaryKey({ columns: [t.policyId, t.serviceOrgUscc] }), index("policy_service_orgs_org_idx").on(t.serviceOrgUscc, t.policyId)],
);

/** 批改 history: a snapshot of every version, the first filing included. */
export const policyVersions = pgTable(
  "policy_versions",
  {
    id: id(),
    policyId: policyRef(),
    version: integer("version").notNull(),
    reason: text("reason").notNull(),
    snapshot: jsonb("snapshot").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique("policy_versions_policy_version").on(t.policyId, t.version)],
);
