// exceljs is loaded on the first .xlsx export only: importing it costs every hub process ~16 MB of RSS (issue 6, goal f)
import type ExcelJS from "exceljs";
import { and, desc, eq } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { SECTORS, type Sector } from "../../domain/vocabulary.js";
import { badInput, forbidden } from "../../graphql/errors.js";
import { formatCst } from "../../graphql/scalars.js";
import { quarterlyReportSubmissions } from "../../../schema/index.js";
import { FUND_USE_CATEGORIES } from "../funds/inputs.js";
import { discloseReport } from "./disclosure.js";
import { buildReport, loadAgency, mayReadReport, type AgencyRecord } from "./service.js";
import type { QuarterlyFigures, QuarterlyReport } from "./types.js";

/**
 * 季度报送导出: the quarterly report as an .xlsx workbook (one sheet per section, a sheet per
 * breakdown) and as CSV (UTF-8 with BOM, one long table). When the agency has submitted the
 * quarter, the export is its latest submitted snapshot, byte for byte the figures it reported, with
 * the snapshot's SHA-256 and submission time in the footer; otherwise the live figures, marked
 * 未报送/实时. No HTTP here: src/http/exports.ts serves it, scripts/export.ts writes it to a file.
 */

/** The report as plain JSON (instants as ISO strings), whether live or a stored snapshot. */
export type ReportJson = Omit<QuarterlyReport, "periodStart" | "periodEnd" | "dueAt" | "computedAt"> & {
  periodStart: string;
  periodEnd: string;
  dueAt: string;
  computedAt: string;
};

export interface ReportExport {
  report: ReportJson;
  source: "SUBMITTED" | "LIVE";
  /** the latest submitted version, when source is SUBMITTED */
  submission: { version: number; contentHash: string; submittedAt: Date; submittedBy: string; timeliness: string } | null;
}

export type ExportFormat = "xlsx" | "csv";

function checkPeriod(year: number, quarter: number) {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput("year", "range", "年度应在 2000–2100 之间 / year must be within 2000–2100");
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw badInput("quarter", "range", "季度应为 1–4 / quarter must be 1–4");
}

/** What to export for a known agency, without a permission check (the CLI runs with database access). */
export async function reportExportOf(db: Db, agency: AgencyRecord, year: number, quarter: number, now: Date = new Date()): Promise<ReportExport> {
  checkPeriod(year, quarter);
  const [latest] = await db
    .select()
    .from(quarterlyReportSubmissions)
    .where(and(eq(quarterlyReportSubmissions.agencyId, agency.id), eq(quarterlyReportSubmissions.year, year), eq(quarterlyReportSubmissions.quarter, quarter)))
    .orderBy(desc(quarterlyReportSubmissions.version))
    .limit(1);
  if (latest) {
    return {
      report: latest.figures as ReportJson,
      source: "SUBMITTED",
      submission: { version: latest.version, contentHash: latest.contentHash, submittedAt: latest.submittedAt, submittedBy: latest.submittedBy, timeliness: latest.timeliness },
    };
  }
  const live = await buildReport(db, agency, year, quarter, now);
  return { report: JSON.parse(JSON.stringify(live)) as ReportJson, source: "LIVE", submission: null };
}

/**
 * The export for a caller, with the API's permissions (as quarterlyReport): null for an unknown
 * agency, FORBIDDEN unless the caller is the agency itself or the committee office or financial
 * regulator over its region.
 */
export async function reportExportFor(db: Db, viewer: Viewer, agencyId: string, year: number, quarter: number, now: Date = new Date()): Promise<ReportExport | null> {
  checkPeriod(year, quarter);
  const agency = await loadAgency(db, agencyId);
  if (!agency) return null;
  if (!mayReadReport(viewer, agency)) {
    throw forbidden(`只有该部门本身及其上级区划的安委办、金融监管局可导出 ${agencyId} 的季度报送 / only the agency itself and the committee office or financial regulator over its region export ${agencyId}'s quarterly report`);
  }
  // the small-cell rule, as in the API: a department's export withholds what its report withholds
  const e = await reportExportOf(db, agency, year, quarter, now);
  return { ...e, report: discloseReport(e.report, viewer) };
}

// ---------------------------------------------------------------------------------------------
// the figures as rows: one list drives the section sheets, the breakdown sheets and the CSV

type Kind = "count" | "money" | "rate" | "days";
interface FigureDef {
  section: Section;
  /** stable machine key, the path in QuarterlyFigures (lists flattened with their kind) */
  key: string;
  label: string;
  kind: Kind;
  get: (f: QuarterlyFigures) => number | string | null;
}

export const SECTIONS = ["投保", "出险", "事故预防费用", "风险评估与服务"] as const;
type Section = (typeof SECTIONS)[number];

const UNIT: Record<Kind, string> = { count: "", money: "元", rate: "", days: "天" };
const PAYMENT_LABELS: Record<string, string> = { ADVANCE: "先行垫付/预付", EMERGENCY_ADVANCE: "紧急费用垫付", SMALL_FAST: "小额快付", SETTLEMENT: "结案赔付" };
const SERVICE_LABELS: Record<string, string> = {
  RISK_ASSESSMENT: "风险评估", HAZARD_INVESTIGATION: "隐患排查", TRAINING: "宣传教育培训", EMERGENCY_DRILL: "应急演练", TECH_PROMOTION: "科技推广", OTHER: "其他服务",
};
const FUND_LABELS: Record<string, string> = {
  TRAINING: "安全生产宣传教育培训", RISK_ASSESSMENT: "风险评估、风险管控", HAZARD_INVESTIGATION: "隐患排查治理", EMERGENCY_DRILL: "应急救援演练",
  TECH_PROMOTION: "安全生产科技推广应用", SAFETY_REWARD: "安全奖励", OTHER: "其他事故预防工作",
};

export const FIGURES: readonly FigureDef[] = [
  { section: "投保", key: "insurance.enterprisesInScope", label: "管辖范围内登记单位数", kind: "count", get: (f) => f.insurance.enterprisesInScope },
  { section: "投保", key: "insurance.mandatoryEnterprises", label: "季末应当投保单位数（正常经营）", kind: "count", get: (f) => f.insurance.mandatoryEnterprises },
  { section: "投保", key: "insurance.insuredEnterprises", label: "季末在保单位数", kind: "count", get: (f) => f.insurance.insuredEnterprises },
  { section: "投保", key: "insurance.coverageRate", label: "投保率", kind: "rate", get: (f) => f.insurance.coverageRate },
  { section: "投保", key: "insurance.employees", label: "应当投保单位从业人员数", kind: "count", get: (f) => f.insurance.employees },
  { section: "投保", key: "insurance.insuredEmployees", label: "参保人数", kind: "count", get: (f) => f.insurance.insuredEmployees },
  { section: "投保", key: "insurance.employeeCoverageRate", label: "员工参保率", kind: "rate", get: (f) => f.insurance.employeeCoverageRate },
  { section: "投保", key: "insurance.policiesStarted", label: "本季度起保保单数", kind: "count", get: (f) => f.insurance.policiesStarted },
  { section: "投保", key: "insurance.premiumTotal", label: "本季度起保保单保费", kind: "money", get: (f) => f.insurance.premiumTotal },

  { section: "出险", key: "accidents.accidents", label: "生产安全事故起数", kind: "count", get: (f) => f.accidents.accidents },
  { section: "出险", key: "accidents.general", label: "其中一般事故", kind: "count", get: (f) => f.accidents.general },
  { section: "出险", key: "accidents.larger", label: "其中较大事故", kind: "count", get: (f) => f.accidents.larger },
  { section: "出险", key: "accidents.major", label: "其中重大事故", kind: "count", get: (f) => f.accidents.major },
  { section: "出险", key: "accidents.extraordinary", label: "其中特别重大事故", kind: "count", get: (f) => f.accidents.extraordinary },
  { section: "出险", key: "accidents.deaths", label: "死亡人数", kind: "count", get: (f) => f.accidents.deaths },
  { section: "出险", key: "accidents.seriousInjuries", label: "重伤人数（含急性工业中毒）", kind: "count", get: (f) => f.accidents.seriousInjuries },
  { section: "出险", key: "accidents.directLoss", label: "直接经济损失", kind: "money", get: (f) => f.accidents.directLoss },
  { section: "出险", key: "claims.claimsReported", label: "报案件数", kind: "count", get: (f) => f.claims.claimsReported },
  { section: "出险", key: "claims.claimsSettled", label: "结案件数", kind: "count", get: (f) => f.claims.claimsSettled },
  { section: "出险", key: "claims.averageDaysToSettle", label: "平均结案天数", kind: "days", get: (f) => f.claims.averageDaysToSettle },
  { section: "出险", key: "claims.paidTotal", label: "已付赔款", kind: "money", get: (f) => f.claims.paidTotal },
  { section: "出险", key: "claims.advancesPaid", label: "其中预付类赔款", kind: "money", get: (f) => f.claims.advancesPaid },
  { section: "出险", key: "claims.settlementsPaid", label: "其中结案赔付", kind: "money", get: (f) => f.claims.settlementsPaid },
  ...Object.keys(PAYMENT_LABELS).flatMap((kind): FigureDef[] => [
    { section: "出险", key: `claims.paymentsByKind.${kind}.payments`, label: `${PAYMENT_LABELS[kind]}笔数`, kind: "count", get: (f) => f.claims.paymentsByKind.find((p) => p.kind === kind)?.payments ?? 0 },
    { section: "出险", key: `claims.paymentsByKind.${kind}.amount`, label: `${PAYMENT_LABELS[kind]}金额`, kind: "money", get: (f) => f.claims.paymentsByKind.find((p) => p.kind === kind)?.amount ?? "0.00" },
  ]),

  { section: "事故预防费用", key: "preventionFund.extracted", label: "事故预防费用提取金额", kind: "money", get: (f) => f.preventionFund.extracted },
  { section: "事故预防费用", key: "preventionFund.extractionEntries", label: "提取条目数", kind: "count", get: (f) => f.preventionFund.extractionEntries },
  { section: "事故预防费用", key: "preventionFund.used", label: "事故预防费用使用金额", kind: "money", get: (f) => f.preventionFund.used },
  { section: "事故预防费用", key: "preventionFund.useEntries", label: "使用条目数", kind: "count", get: (f) => f.preventionFund.useEntries },
  { section: "事故预防费用", key: "preventionFund.usedToExtractedRatio", label: "使用÷提取", kind: "rate", get: (f) => f.preventionFund.usedToExtractedRatio },
  ...FUND_USE_CATEGORIES.flatMap((c): FigureDef[] => [
    { section: "事故预防费用", key: `preventionFund.useByCategory.${c}.entries`, label: `使用：${FUND_LABELS[c]}（条目数）`, kind: "count", get: (f) => f.preventionFund.useByCategory.find((x) => x.category === c)?.entries ?? 0 },
    { section: "事故预防费用", key: `preventionFund.useByCategory.${c}.amount`, label: `使用：${FUND_LABELS[c]}（金额）`, kind: "money", get: (f) => {
      // a category without entries is 0.00; one withheld under the small-cell rule (null) stays blank
      const row = f.preventionFund.useByCategory.find((x) => x.category === c);
      return row ? row.amount : "0.00";
    } },
  ]),

  { section: "风险评估与服务", key: "services.services", label: "事故预防服务次数", kind: "count", get: (f) => f.services.services },
  { section: "风险评估与服务", key: "services.riskAssessments", label: "其中风险评估次数", kind: "count", get: (f) => f.services.riskAssessments },
  ...Object.keys(SERVICE_LABELS).map((kind): FigureDef => ({
    section: "风险评估与服务", key: `services.byKind.${kind}`, label: `服务：${SERVICE_LABELS[kind]}（次数）`, kind: "count", get: (f) => f.services.byKind.find((k) => k.kind === kind)?.services ?? 0,
  })),
  { section: "风险评估与服务", key: "services.hazardsFound", label: "发现隐患数", kind: "count", get: (f) => f.services.hazardsFound },
  { section: "风险评估与服务", key: "services.majorHazards", label: "其中重大隐患", kind: "count", get: (f) => f.services.majorHazards },
  { section: "风险评估与服务", key: "services.hazardsRectified", label: "季末前已整改隐患数", kind: "count", get: (f) => f.services.hazardsRectified },
  { section: "风险评估与服务", key: "services.servicedEnterprises", label: "接受服务的在保单位数", kind: "count", get: (f) => f.services.servicedEnterprises },
  { section: "风险评估与服务", key: "services.serviceRate", label: "安全服务率", kind: "rate", get: (f) => f.services.serviceRate },
];

/** The text of a figure exactly as the API gives it ("6400.00", "0.6667", 3); empty for null. */
const asText = (v: number | string | null) => (v === null ? "" : String(v));

/** A cell value: numbers stay numbers; an amount a double cannot hold exactly (over 15 digits) stays text. */
function asCell(v: number | string | null): number | string | null {
  if (v === null || typeof v === "number") return v;
  return v.replace(/[-.]/g, "").length <= 15 ? Number(v) : v;
}

const NUM_FMT: Record<Kind, string> = { count: "0", money: "#,##0.00", rate: "0.0000", days: "0.00" };

// ---------------------------------------------------------------------------------------------
// header and footer lines shared by both formats

const cst = (iso: string | Date) => formatCst(iso instanceof Date ? iso : new Date(iso)).replace("T", " ").replace("+08:00", "");

function headerLines(e: ReportExport): string[] {
  const r = e.report;
  const sectors = r.sectors === null ? "全部行业领域" : r.sectors.map((s) => SECTORS[s as Sector] ?? s).join("、") || "（无）";
  return [
    `${r.agencyName} ${r.year}年第${r.quarter}季度安全生产责任保险工作报送`,
    `部门：${r.agencyId}　管辖区划：${r.regionCode}（含下级）　行业领域：${sectors}`,
    `统计期间：${cst(r.periodStart)} 至 ${cst(r.periodEnd)}（不含，北京时间）　报送截止：${cst(r.dueAt)}`,
  ];
}

export interface FooterEntry {
  key: string;
  label: string;
  value: string;
}

/** The footer: where the figures come from, and for a submitted snapshot its hash and submission time. */
export function footerEntries(e: ReportExport): FooterEntry[] {
  const s = e.submission;
  if (e.source === "SUBMITTED" && s) {
    return [
      ...withheldEntry(e),
      { key: "meta.source", label: "数据来源", value: `已报送快照（第${s.version}版，${s.timeliness === "ON_TIME" ? "按时" : "逾期"}）` },
      { key: "meta.contentHash", label: "内容哈希（SHA-256）", value: s.contentHash },
      { key: "meta.submittedAt", label: "提交时间（北京时间）", value: formatCst(s.submittedAt) },
      { key: "meta.submittedBy", label: "提交人", value: s.submittedBy },
      { key: "meta.version", label: "版本", value: String(s.version) },
    ];
  }
  return [
    ...withheldEntry(e),
    { key: "meta.source", label: "数据来源", value: "未报送/实时：按当前记录实时计算，非报送快照" },
    { key: "meta.contentHash", label: "内容哈希（SHA-256）", value: "未报送" },
    { key: "meta.computedAt", label: "计算时间（北京时间）", value: formatCst(new Date(e.report.computedAt)) },
  ];
}

/** Figures withheld under the small-cell rule are blank; the footer says so (the hash is that of the whole snapshot). */
function withheldEntry(e: ReportExport): FooterEntry[] {
  const n = e.report.withheld?.length ?? 0;
  return n ? [{ key: "meta.withheld", label: "小单元规则", value: `${n} 项保费、事故预防费用金额不予显示（空白）/ ${n} premium and fund amounts withheld (blank)` }] : [];
}

const footerLine = (f: FooterEntry) => `${f.label}：${f.value}`;

// ---------------------------------------------------------------------------------------------
// xlsx

function addHeader(ws: ExcelJS.Worksheet, e: ReportExport, title: string) {
  const [first, ...rest] = headerLines(e);
  ws.addRow([`${first} — ${title}`]).font = { bold: true, size: 13 };
  for (const line of rest) ws.addRow([line]);
  ws.addRow([]);
}

function addFooter(ws: ExcelJS.Worksheet, e: ReportExport) {
  ws.addRow([]);
  for (const f of footerEntries(e)) ws.addRow([footerLine(f)]).font = { italic: true, color: { argb: "FF555555" } };
}

function sectionSheet(wb: ExcelJS.Workbook, e: ReportExport, section: Section) {
  const ws = wb.addWorksheet(section);
  ws.columns = [{ width: 40 }, { width: 18 }, { width: 8 }, { width: 46 }];
  addHeader(ws, e, section);
  const head = ws.addRow(["指标", "数值", "单位", "指标代码"]);
  head.font = { bold: true };
  for (const d of FIGURES.filter((x) => x.section === section)) {
    const row = ws.addRow([d.label, asCell(d.get(e.report.overall)), UNIT[d.kind], d.key]);
    row.getCell(2).numFmt = NUM_FMT[d.kind];
  }
  addFooter(ws, e);
}

function breakdownSheet(wb: ExcelJS.Workbook, e: ReportExport, name: string, keyTitle: [string, string], groups: { code: string; name: string; figures: QuarterlyFigures }[]) {
  const ws = wb.addWorksheet(name);
  addHeader(ws, e, name);
  ws.addRow(["", "", ...FIGURES.map((d) => d.section)]).font = { bold: true };
  ws.addRow([keyTitle[0], keyTitle[1], ...FIGURES.map((d) => (UNIT[d.kind] ? `${d.label}（${UNIT[d.kind]}）` : d.label))]).font = { bold: true };
  ws.addRow(["代码", "", ...FIGURES.map((d) => d.key)]).font = { color: { argb: "FF777777" } };
  for (const g of groups) {
    const row = ws.addRow([g.code, g.name, ...FIGURES.map((d) => asCell(d.get(g.figures)))]);
    FIGURES.forEach((d, i) => (row.getCell(i + 3).numFmt = NUM_FMT[d.kind]));
  }
  ws.getColumn(1).width = 22;
  ws.getColumn(2).width = 16;
  addFooter(ws, e);
}

function breakdownGroups(e: ReportExport) {
  const r = e.report;
  const overall = { code: "总体", name: r.agencyName, figures: r.overall };
  return {
    bySector: [overall, ...r.bySector.map((f) => ({ code: String(f.sector), name: SECTORS[f.sector as Sector] ?? String(f.sector), figures: f }))],
    byRegion: [overall, ...r.byRegion.map((f) => ({ code: String(f.regionCode), name: String(f.regionName ?? ""), figures: f }))],
  };
}

/** The workbook: 投保, 出险, 事故预防费用, 风险评估与服务 (overall), then 按行业领域 and 按区划; every sheet ends with the footer. */
export async function buildWorkbook(e: ReportExport): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  wb.creator = "anze-hub 安责险数据共享枢纽";
  wb.title = headerLines(e)[0];
  wb.subject = e.source === "SUBMITTED" ? `contentHash ${e.submission!.contentHash}` : "未报送/实时";
  const when = e.submission?.submittedAt ?? new Date(e.report.computedAt);
  wb.created = when;
  wb.modified = when;
  for (const s of SECTIONS) sectionSheet(wb, e, s);
  const g = breakdownGroups(e);
  breakdownSheet(wb, e, "按行业领域", ["行业领域代码", "行业领域"], g.bySector);
  breakdownSheet(wb, e, "按区划", ["区划代码", "区划名称"], g.byRegion);
  return wb;
}

export async function workbookBytes(e: ReportExport): Promise<Buffer> {
  return Buffer.from((await (await buildWorkbook(e)).xlsx.writeBuffer()) as ArrayBuffer);
}

// ---------------------------------------------------------------------------------------------
// csv

export const CSV_COLUMNS = ["范围类型", "范围代码", "范围名称", "部分", "指标代码", "指标", "数值", "单位"] as const;

/** RFC 4180 quoting; text that a spreadsheet would run as a formula gets a leading apostrophe. */
function csvField(v: string, text: boolean): string {
  const safe = text && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * One long table, UTF-8 with a BOM and CRLF line ends (Excel opens the Chinese correctly): a row per
 * scope (总体, each sector, each child region) and figure, values exactly as the API gives them;
 * then the footer rows with 范围类型 报送信息.
 */
export function buildCsv(e: ReportExport): string {
  const lines: string[] = [CSV_COLUMNS.join(",")];
  const g = breakdownGroups(e);
  const scopes = [
    { type: "总体", code: "", name: e.report.agencyName, figures: e.report.overall },
    ...g.bySector.slice(1).map((x) => ({ type: "行业领域", ...x })),
    ...g.byRegion.slice(1).map((x) => ({ type: "区划", ...x })),
  ];
  for (const s of scopes) {
    for (const d of FIGURES) {
      lines.push([s.type, s.code, s.name, d.section, d.key, d.label].map((x) => csvField(x, true)).concat(csvField(asText(d.get(s.figures)), false), UNIT[d.kind]).join(","));
    }
  }
  for (const f of footerEntries(e)) lines.push(["报送信息", "", "", "页脚", f.key, f.label, f.value, ""].map((x) => csvField(x, true)).join(","));
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

// ---------------------------------------------------------------------------------------------

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

/** An ASCII file name and a Chinese one (for Content-Disposition filename*). */
export function exportFileNames(e: ReportExport, format: ExportFormat): { ascii: string; utf8: string } {
  const r = e.report;
  const tag = e.source === "SUBMITTED" ? `v${e.submission!.version}` : "live";
  return {
    ascii: `quarterly-${r.agencyId}-${r.year}Q${r.quarter}-${tag}.${format}`,
    utf8: `${r.agencyName}-${r.year}年第${r.quarter}季度报送-${e.source === "SUBMITTED" ? `第${e.submission!.version}版` : "未报送实时"}.${format}`,
  };
}

export async function exportBytes(e: ReportExport, format: ExportFormat): Promise<Buffer> {
  return format === "xlsx" ? workbookBytes(e) : Buffer.from(buildCsv(e), "utf8");
}
