import { sql } from "drizzle-orm";
import { bigint, check, integer, jsonb, pgTable, text, unique } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { agencies } from "./registry.js";

/** 季度报送: an immutable snapshot per version; a correction is a new version with a reason. */
export const quarterlyReportSubmissions = pgTable(
  "quarterly_report_submissions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    agencyId: text("agency_id").notNull().references(() => agencies.id),
    year: integer("year").notNull(),
    quarter: integer("quarter").notNull(),
    version: integer("version").notNull(),
    figures: jsonb("figures").notNull(),
    contentHash: text("content_hash").notNull(),
    timeliness: text("timeliness").notNull(),
    note: text("note"),
    correctionReason: text("correction_reason"),
    submittedBy: text("submitted_by").notNull(),
    submittedAt: createdAt(),
  },
  (t) => [
    unique("qrs_agency_period_version").on(t.agencyId, t.year, t.quarter, t.version),
    check("qrs_quarter", sql`${t.quarter} between 1 and 4`),
    check("qrs_timeliness", sql`${t.timeliness} in ('ON_TIME','LATE')`),
    check("qrs_correction_reason", sql`${t.version} = 1 or ${t.correctionReason} is not null`),
  ],
);
