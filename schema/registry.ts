import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";

/** 行政区划 GB/T 2260: 6 digits (province, prefecture, county); 9 for townships. */
export const regions = pgTable(
  "regions",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    parentCode: text("parent_code").references((): any => regions.code),
    /** 1 province, 2 prefecture, 3 county, 4 township */
    level: integer("level").notNull(),
  },
  (t) => [
    index("regions_parent_idx").on(t.parentCode),
    check("regions_code_format", sql`${t.code} ~ '^[0-9]{6}([0-9]{3})?$'`),
    check("regions_level_range", sql`${t.level} between 1 and 4`),
  ],
);

/** 部门: `<regionCode>-<KIND>`, e.g. 500000-EMERGENCY. */
export const agencies = pgTable(
  "agencies",
  {
    id: text("id").primaryKey(),
    regionCode: text("region_code").notNull().references(() => regions.code),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("agencies_region_idx").on(t.regionCode),
    check("agencies_id_format", sql`${t.id} = ${t.regionCode} || '-' || ${t.kind}`),
  ],
);

/** The sectors an agency supervises in its region (committee offices and regulators have none: they see all). */
export const agencySectors = pgTable(
  "agency_sectors",
  {
    agencyId: text("agency_id").notNull().references(() => agencies.id),
    sector: text("sector").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.sector] }), index("agency_sectors_sector_idx").on(t.sector)],
);

/** 保险机构 */
export const insurers = pgTable("insurers", {
  uscc: text("uscc").primaryKey(),
  name: text("name").notNull(),
  shortName: text("short_name").notNull(),
  createdAt: createdAt(),
});

/** 名录: an insurer's or service org's qualification in a region (QUALIFIED / SUSPENDED / DISQUALIFIED). */
export const qualifications = pgTable(
  "qualifications",
  {
    orgUscc: text("org_uscc").notNull(),
    orgKind: text("org_kind").notNull(),
    regionCode: text("region_code").notNull().references(() => regions.code),
    status: text("status").notNull(),
    since: text("since"),
  },
  (t) => [
    primaryKey({ columns: [t.orgUscc, t.regionCode] }),
    check("qualifications_org_kind", sql`${t.orgKind} in ('INSURER','SERVICE_ORG')`),
    check("qualifications_status", sql`${t.status} in ('QUALIFIED','SUSPENDED','DISQUALIFIED')`),
  ],
);

/** 保险经纪机构 */
export const brokers = pgTable("brokers", {
  uscc: text("uscc").primaryKey(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

/** 事故预防服务机构 */
export const serviceOrgs = pgTable("service_orgs", {
  uscc: text("uscc").primaryKey(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});
