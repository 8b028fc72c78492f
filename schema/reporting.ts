import { sql } from "drizzle-orm";
import { bigint, check, integer, jsonb, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
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

/**
 * Which quarters' figures may have changed, for the live-report cache (src/modules/reporting/cache.ts):
 * every statement that writes a table the quarterly figures read adds 1 to `changes` (and a random
 * number to `mix`) of each quarter it can affect (quarter_key = year × 4 + quarter − 1; −1 = every
 * quarter), in its own transaction, by statement triggers (migrations/0003). A report's token is the
 * sum over its quarter and −1 as its snapshot sees them: the same token means the same committed
 * writes, so figures computed under it are still exact. One row per quarter and server process, so
 * concurrent writers never wait on each other's row.
 */
export const reportChanges = pgTable(
  "report_changes",
  {
    quarterKey: integer("quarter_key").notNull(),
    backend: integer("backend").notNull(),
    changes: bigint("changes", { mode: "number" }).notNull().default(0),
    mix: bigint("mix", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.quarterKey, t.backend] })],
);
