import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { inAudience, isAgency } from "../../auth/audiences.js";
import { requireCaller } from "../access.js";
import { coversRegion } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db, Executor } from "../../db/client.js";
import { regionPrefix } from "../../domain/regions.js";
import { SECTOR_CODES, type Sector } from "../../domain/vocabulary.js";
import { badInput, conflict, forbidden } from "../../graphql/errors.js";
import { daysLate, quarterRange, reportDueAt, reportingStatus, reportTimeliness } from "../../rules/calendar.js";
import { agencies, agencySectors, quarterlyReportSubmissions, regions } from "../../../schema/index.js";
import { canonicalJson } from "../idempotency/service.js";
import { liveFigures } from "./cache.js";
import type { ReportScope } from "./figures.js";
import type { DepartmentReporting, ProgressNoticeFigures, QuarterlyReport, QuarterlyReportSubmission, ReportingCompliance } from "./types.js";

/** Agencies that see every sector of their region subtree; every other kind reports over its agency_sectors. */
const ALL_SECTOR_KINDS = new Set(["COMMITTEE_OFFICE", "FINANCIAL_REGULATOR"]);
/** 行业主管部门: the agency kinds that submit a quarterly report to the committee office (reportingCompliance lists these). */
export const SECTOR_DEPARTMENT_KINDS = ["EMERGENCY", "COAL", "TRANSPORT", "HOUSING", "INDUSTRY", "PUBLIC_SECURITY", "COMMERCE", "AGRICULTURE", "OCEAN", "PORT"] as const;

const MAX_NOTE = 2000;
const MAX_SUBMIT_ATTEMPTS = 8;

export interface AgencyRecord {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
  sectors: Sector[];
}

// ---------------------------------------------------------------------------------------------
// input and permission checks

function checkPeriod(year: number, quarter: number) {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput("year", "range", "年度应在 2000–2100 之间 / year must be within 2000–2100");
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw badInput("quarter", "range", "季度应为 1–4 / quarter must be 1–4");
}

export async function loadAgency(db: Db, agencyId: string): Promise<AgencyRecord | null> {
  const rows = await db
    .select({ id: agencies.id, name: agencies.name, kind: agencies.kind, regionCode: agencies.regionCode, sector: agencySectors.sector })
    .from(agencies)
    .leftJoin(agencySectors, eq(agencySectors.agencyId, agencies.id))
    .where(eq(agencies.id, agencyId));
  if (!rows.length) return null;
  const sectors = rows.map((r) => r.sector).filter((s): s is string => !!s) as Sector[];
  return { id: rows[0].id, name: rows[0].name, kind: rows[0].kind, regionCode: rows[0].regionCode, sectors: SECTOR_CODES.filter((s) => sectors.includes(s)) };
}

/** The viewer is an agency whose region subtree contains `regionCode`. */

/**
 * Who may read an agency's report and its submissions: the agency itself, and the committee office
 * or the financial regulator whose region subtree contains the agency's region.
 */
export function mayReadReport(viewer: Viewer, agency: AgencyRecord): boolean {
  if (!isAgency(viewer)) return false;
  if (viewer.org === agency.id) return true;
  return inAudience("REGULATORS", viewer.role) && coversRegion(viewer, agency.regionCode);
}

const readDenied = (agencyId: string) =>
  forbidden(`只有该部门本身及其上级区划的安委办、金融监管局可查看 ${agencyId} 的季度报送 / only the agency itself and the committee office or financial regulator over its region read ${agencyId}'s quarterly report`);

// ---------------------------------------------------------------------------------------------
// the live report

function scopeOf(agency: AgencyRecord, children: { code: string; name: string }[]): ReportScope {
  return { regionCode: agency.regionCode, sectors: ALL_SECTOR_KINDS.has(agency.kind) ? "ALL" : agency.sectors, children };
}

async function childRegions(db: Executor, code: string) {
  return db.select({ code: regions.code, name: regions.name }).from(regions).where(eq(regions.parentCode, code)).orderBy(asc(regions.code));
}

/**
 * The report of `agency` for the quarter as of `now`, every figure live from the records. All
 * statements run in one read-only REPEATABLE READ transaction, so the figures are of one snapshot;
 * figures already computed for a snapshot that saw the same writes to the quarter are reused
 * (cache.ts).
 */
export async function buildReport(db: Db, agency: AgencyRecord, year: number, quarter: number, now: Date, opts: { breakdowns?: boolean } = {}): Promise<QuarterlyReport> {
  const { start, end } = quarterRange(year, quarter);
  const figures = await db.transaction(
    async (tx) => {
      const children = opts.breakdowns === false ? [] : await childRegions(tx, agency.regionCode);
      return liveFigures(db, tx, scopeOf(agency, children), year, quarter);
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  const all = ALL_SECTOR_KINDS.has(agency.kind);
  return {
    agencyId: agency.id,
    agencyName: agency.name,
    agencyKind: agency.kind,
    regionCode: agency.regionCode,
    sectors: all ? null : agency.sectors,
    year,
    quarter,
    periodStart: start,
    periodEnd: end,
    dueAt: reportDueAt(year, quarter),
    quarterEnded: now.getTime() >= end.getTime(),
    computedAt: now,
    overall: figures.overall,
    bySector: opts.breakdowns === false ? [] : figures.bySector,
    byRegion: opts.breakdowns === false ? [] : figures.byRegion,
    // what the small-cell rule withholds depends on the reader: disclosure.ts fills this in
    withheld: [],
    disclosure: { overall: figures.disclosure.overall, bySector: opts.breakdowns === false ? [] : figures.disclosure.bySector },
  };
}

/** quarterlyReport: null for an unknown agency, FORBIDDEN for a caller who may not read it. */
export async function quarterlyReport(db: Db, viewer: Viewer, agencyId: string, year: number, quarter: number, now: Date = new Date()): Promise<QuarterlyReport | null> {
  checkPeriod(year, quarter);
  const agency = await loadAgency(db, agencyId);
  if (!agency) return null;
  if (!mayReadReport(viewer, agency)) throw readDenied(agencyId);
  return buildReport(db, agency, year, quarter, now);
}

// ---------------------------------------------------------------------------------------------
// submissions

type SubmissionRow = typeof quarterlyReportSubmissions.$inferSelect;

/** The stored snapshot as plain JSON: instants as ISO strings, exactly what is hashed. */
function snapshotJson(report: QuarterlyReport): unknown {
  return JSON.parse(JSON.stringify(report));
}

export const contentHashOf = (figures: unknown) => createHash("sha256").update(canonicalJson(figures), "utf8").digest("hex");

export function toSubmission(row: SubmissionRow): QuarterlyReportSubmission {
  const figures = canonicalJson(row.figures);
  return {
    agencyId: row.agencyId,
    year: row.year,
    quarter: row.quarter,
    version: row.version,
    figures,
    report: row.figures as QuarterlyReport,
    contentHash: row.contentHash,
    hashVerified: contentHashOf(row.figures) === row.contentHash,
    timeliness: row.timeliness as QuarterlyReportSubmission["timeliness"],
    note: row.note,
    correctionReason: row.correctionReason,
    submittedBy: row.submittedBy,
    submittedAt: row.submittedAt,
  };
}

function isUniqueViolation(e: unknown): boolean {
  for (let x: any = e, depth = 0; x && depth < 5; x = x.cause, depth++) {
    if (x.code === "23505") return true;
  }
  return false;
}

export interface SubmitArgs {
  agencyId: string;
  year: number;
  quarter: number;
  note?: string | null;
  correctionReason?: string | null;
}

/**
 * submitQuarterlyReport, at `now` (injected so that tests can stand either side of the deadline).
 * Only the agency itself (a sector department or committee office acting as itself) submits; the
 * quarter must have ended. The figures are computed live and stored with their SHA-256; version =
 * latest + 1, and from version 2 a correction reason is required. Two concurrent submissions race
 * for the (agency, year, quarter, version) unique constraint: the loser re-reads the latest version
 * and retries as the next one, unless it meant to be the first submission (no correction reason),
 * which is a CONFLICT: someone else just submitted, so the caller must look and correct.
 */
export async function submitQuarterlyReport(db: Db, viewer: Viewer, args: SubmitArgs, now: Date = new Date()): Promise<QuarterlyReportSubmission> {
  const { agencyId, year, quarter } = args;
  requireCaller(viewer, "submitQuarterlyReport");
  if (viewer.org !== agencyId) {
    throw forbidden(`只有 ${agencyId} 本部门（行业主管部门或安委办）可提交其季度报送 / only ${agencyId} itself, as a sector department or committee office, submits its quarterly report`);
  }
  checkPeriod(year, quarter);
  const agency = await loadAgency(db, agencyId);
  if (!agency) throw forbidden(`部门 ${agencyId} 未登记 / agency ${agencyId} is not registered`);
  const { end } = quarterRange(year, quarter);
  if (now.getTime() < end.getTime()) {
    throw badInput("quarter", "quarter-not-ended", `${year}年第${quarter}季度尚未结束，不能报送 / ${year} Q${quarter} has not ended yet and cannot be submitted`);
  }
  const note = args.note?.trim() ? args.note.trim() : null;
  if (note && note.length > MAX_NOTE) throw badInput("note", `max-length:${MAX_NOTE}`, `长度不超过 ${MAX_NOTE} / at most ${MAX_NOTE} characters`);
  const reason = args.correctionReason?.trim() ? args.correctionReason.trim() : null;
  if (reason && reason.length > MAX_NOTE) throw badInput("correctionReason", `max-length:${MAX_NOTE}`, `长度不超过 ${MAX_NOTE} / at most ${MAX_NOTE} characters`);

  const report = await buildReport(db, agency, year, quarter, now);
  const figures = snapshotJson(report);
  const contentHash = contentHashOf(figures);
  const timeliness = reportTimeliness(year, quarter, now);

  for (let attempt = 1; ; attempt++) {
    try {
      const row = await db.transaction(async (tx) => {
        const [latest] = await tx
          .select({ version: sql<number>`coalesce(max(${quarterlyReportSubmissions.version}), 0)::int` })
          .from(quarterlyReportSubmissions)
          .where(and(eq(quarterlyReportSubmissions.agencyId, agencyId), eq(quarterlyReportSubmissions.year, year), eq(quarterlyReportSubmissions.quarter, quarter)));
        const version = Number(latest.version) + 1;
        if (version > 1 && !reason) {
          if (attempt > 1) {
            throw conflict(`本季度报送刚由他人提交（版本 ${version - 1}），请核对后以更正方式重新提交 / a submission for this quarter (version ${version - 1}) was stored concurrently; review it and resubmit as a correction with a reason`);
          }
          throw badInput("correctionReason", "required", `本季度已报送（版本 ${version - 1}），更正须填写原因 / this quarter was already submitted (version ${version - 1}); a correction requires a reason`);
        }
        if (version === 1 && reason) {
          throw badInput("correctionReason", "not-a-correction", "本季度尚未报送，首次报送不填更正原因 / nothing was submitted for this quarter yet; a first submission has no correction reason");
        }
        const [inserted] = await tx
          .insert(quarterlyReportSubmissions)
          .values({ agencyId, year, quarter, version, figures, contentHash, timeliness, note, correctionReason: reason, submittedBy: viewer.sub, submittedAt: now })
          .returning();
        return inserted;
      });
      return toSubmission(row);
    } catch (e) {
      if (isUniqueViolation(e) && attempt < MAX_SUBMIT_ATTEMPTS) continue;
      if (isUniqueViolation(e)) throw conflict("并发报送过多，请稍后重试 / too many concurrent submissions for this quarter; retry shortly");
      throw e;
    }
  }
}

/** quarterlyReportSubmissions: every version, oldest first; [] for an unknown agency. */
export async function listSubmissions(db: Db, viewer: Viewer, agencyId: string, year: number, quarter: number): Promise<QuarterlyReportSubmission[]> {
  checkPeriod(year, quarter);
  const agency = await loadAgency(db, agencyId);
  if (!agency) return [];
  if (!mayReadReport(viewer, agency)) throw readDenied(agencyId);
  const rows = await db
    .select()
    .from(quarterlyReportSubmissions)
    .where(and(eq(quarterlyReportSubmissions.agencyId, agencyId), eq(quarterlyReportSubmissions.year, year), eq(quarterlyReportSubmissions.quarter, quarter)))
    .orderBy(asc(quarterlyReportSubmissions.version));
  return rows.map(toSubmission);
}

// ---------------------------------------------------------------------------------------------
// reportingCompliance

function noticeOf(report: QuarterlyReport, source: ProgressNoticeFigures["source"], version: number | null): ProgressNoticeFigures {
  const o = report.overall;
  return {
    source,
    version,
    mandatoryEnterprises: o.insurance.mandatoryEnterprises,
    insuredEnterprises: o.insurance.insuredEnterprises,
    coverageRate: o.insurance.coverageRate,
    employeeCoverageRate: o.insurance.employeeCoverageRate,
    claimsReported: o.claims.claimsReported,
    claimsPaid: o.claims.paidTotal,
    // stored snapshots and live reports carry every figure; only a reader's copy is ever withheld
    preventionExtracted: o.preventionFund.extracted ?? "0.00",
    preventionUsed: o.preventionFund.used ?? "0.00",
    serviceRate: o.services.serviceRate,
  };
}

/**
 * reportingCompliance, for the committee office whose region subtree contains regionCode: every
 * sector department whose region lies in regionCode's subtree, its status by its FIRST submission
 * (a later correction does not turn an on-time report late), days late, its latest version, and the
 * progress-notice figures: from the latest submitted snapshot (what the department reported, so a
 * notice cites reproducible numbers), or computed live when nothing was submitted yet.
 */
export async function reportingCompliance(db: Db, viewer: Viewer, args: { year: number; quarter: number; regionCode: string }, now: Date = new Date()): Promise<ReportingCompliance> {
  const { year, quarter, regionCode } = args;
  if (!inAudience("COMMITTEE", viewer.role)) throw forbidden("仅限安委办 / committee offices only");
  checkPeriod(year, quarter);
  if (!/^\d{6}(\d{3})?$/.test(regionCode)) throw badInput("regionCode", "region-code", "行政区划代码应为6位或9位数字 / region code must have 6 or 9 digits");
  if (!coversRegion(viewer, regionCode)) throw forbidden(`区划 ${regionCode} 不在本安委办辖区内 / region ${regionCode} is outside your region subtree`);

  const depts = await db
    .select({ id: agencies.id })
    .from(agencies)
    .where(and(sql`${agencies.regionCode} like ${regionPrefix(regionCode) + "%"}`, inArray(agencies.kind, [...SECTOR_DEPARTMENT_KINDS])))
    .orderBy(asc(agencies.id));
  const ids = depts.map((d) => d.id);
  const subs = ids.length
    ? await db
        .select()
        .from(quarterlyReportSubmissions)
        .where(and(inArray(quarterlyReportSubmissions.agencyId, ids), eq(quarterlyReportSubmissions.year, year), eq(quarterlyReportSubmissions.quarter, quarter)))
        .orderBy(asc(quarterlyReportSubmissions.agencyId), asc(quarterlyReportSubmissions.version))
    : [];

  const departments: DepartmentReporting[] = [];
  for (const id of ids) {
    const agency = (await loadAgency(db, id))!;
    const mine = subs.filter((s) => s.agencyId === id);
    const first = mine[0] ?? null;
    const latest = mine[mine.length - 1] ?? null;
    const status = reportingStatus(year, quarter, now, first?.submittedAt ?? null);
    const late = status === "LATE" ? daysLate(year, quarter, first!.submittedAt) : status === "MISSING" ? daysLate(year, quarter, now) : 0;
    const notice = latest
      ? noticeOf(latest.figures as QuarterlyReport, "SUBMITTED", latest.version)
      : noticeOf(await buildReport(db, agency, year, quarter, now, { breakdowns: false }), "LIVE", null);
    departments.push({
      agencyId: agency.id,
      agencyName: agency.name,
      agencyKind: agency.kind,
      regionCode: agency.regionCode,
      sectors: agency.sectors,
      status,
      daysLate: late,
      firstSubmittedAt: first?.submittedAt ?? null,
      latestSubmittedAt: latest?.submittedAt ?? null,
      latestVersion: latest?.version ?? null,
      notice,
    });
  }
  const count = (s: string) => departments.filter((d) => d.status === s).length;
  return {
    year,
    quarter,
    regionCode,
    dueAt: reportDueAt(year, quarter),
    asOf: now,
    onTime: count("ON_TIME"),
    late: count("LATE"),
    missing: count("MISSING"),
    pending: count("PENDING"),
    departments,
  };
}

