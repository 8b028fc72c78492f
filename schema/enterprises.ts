import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns.js";
import { regions } from "./registry.js";

/** 生产经营单位, keyed by its 统一社会信用代码. */
export const enterprises = pgTable(
  "enterprises",
  {
    uscc: text("uscc").primaryKey(),
    name: text("name").notNull(),
    regionCode: text("region_code").notNull().references(() => regions.code),
    address: text("address"),
    industryCode: text("industry_code").notNull(),
    sector: text("sector").notNull(),
    riskTags: text("risk_tags").array().notNull().default(sql`'{}'::text[]`),
    employeeCount: integer("employee_count").notNull(),
    status: text("status").notNull().default("OPERATING"),
    safetyLicenseNo: text("safety_license_no"),
    standardizationGrade: text("standardization_grade"),
    blacklisted: boolean("blacklisted").notNull().default(false),
    legalRepresentative: text("legal_representative"),
    contactName: text("contact_name"),
    contactPhone: text("contact_phone"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("enterprises_region_idx").on(t.regionCode.op("text_pattern_ops")),
    index("enterprises_sector_region_idx").on(t.sector, t.regionCode.op("text_pattern_ops")),
    check("enterprises_employees_nonneg", sql`${t.employeeCount} >= 0`),
    check("enterprises_status", sql`${t.status} in ('OPERATING','SUSPENDED','CLOSED')`),
  ],
);
