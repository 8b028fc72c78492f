import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExportArgs, UsageError } from "../../scripts/export.js";
import { signToken } from "../../src/auth/token.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { startHttpServer, type HttpServer } from "../../src/http/server.js";
import { claims } from "../../schema/index.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture } from "../support/fixture.js";
import { ids, loadReportingFixture } from "../support/fixture-reporting.js";

/**
 * The exports over HTTP against the hand-made reporting fixture (2026 Q1): the workbook and the CSV
 * must carry exactly the figures the API's quarterlyReport gives, the live ones before a submission
 * and the submitted snapshot (hash and time in the footer) after it.
 */

const config = loadConfig({ PORT: "0" });
let database: Database;
let server: HttpServer;

const EMERGENCY = "500000-EMERGENCY";
const HOUSING = "500000-HOUSING";
const COMMITTEE = "500000-COMMITTEE_OFFICE";
const token = (role: Role, org: string) => signToken(config.jwtSecret, { sub: `test-${org}`, role, org });
const auth = async (role: Role, org: string) => ({ authorization: `Bearer ${await token(role, org)}` });
const url = (agency: string, ext: string, y = 2026, q = 1) => `${server.url}/exports/quarterly/${encodeURIComponent(agency)}/${y}/${q}.${ext}`;

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  await loadReportingFixture(database.db);
  server = await startHttpServer({ config, database, schema: await buildHubSchema(), port: 0 });
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const FIGS = `fragment F on QuarterlyFigures {
  sector regionCode regionName
  insurance { enterprisesInScope mandatoryEnterprises insuredEnterprises coverageRate employees insuredEmployees employeeCoverageRate policiesStarted premiumTotal }
  accidents { accidents general larger major extraordinary deaths seriousInjuries directLoss }
  claims { claimsReported claimsSettled averageDaysToSettle paidTotal advancesPaid settlementsPaid paymentsByKind { kind payments amount } }
  preventionFund { extracted extractionEntries used useEntries usedToExtractedRatio useByCategory { category entries amount } }
  services { services riskAssessments byKind { kind services } hazardsFound majorHazards hazardsRectified servicedEnterprises serviceRate }
}`;
const REPORT = `${FIGS} query($a: String!) { quarterlyReport(agencyId: $a, year: 2026, quarter: 1) { agencyId overall { ...F } bySector { ...F } byRegion { ...F } } }`;

async function gql(role: Role, org: string, query: string, variables: Record<string, unknown> = {}) {
  const r = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...(await auth(role, org)) }, body: JSON.stringify({ query, variables }) });
  const body = await r.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/**
 * The API's figures flattened to "path → exact string" (lists keyed by their kind or category), so
 * they can be compared with the export independently of the export's own code. Categories the API
 * does not list have no entries: the export shows them as 0 / 0.00, so `withZeros` adds them.
 */
const FUND_CATEGORIES = ["TRAINING", "RISK_ASSESSMENT", "HAZARD_INVESTIGATION", "EMERGENCY_DRILL", "TECH_PROMOTION", "SAFETY_REWARD", "OTHER"];
function flatten(f: any): Map<string, string> {
  const out = new Map<string, string>();
  const put = (k: string, v: unknown) => out.set(k, v === null ? "" : String(v));
  for (const section of ["insurance", "accidents", "claims", "preventionFund", "services"]) {
    for (const [k, v] of Object.entries(f[section])) {
      if (k === "paymentsByKind") for (const p of v as any[]) (put(`claims.paymentsByKind.${p.kind}.payments`, p.payments), put(`claims.paymentsByKind.${p.kind}.amount`, p.amount));
      else if (k === "useByCategory") {
        for (const c of FUND_CATEGORIES) {
          const x = (v as any[]).find((y) => y.category === c);
          put(`preventionFund.useByCategory.${c}.entries`, x?.entries ?? 0);
          // a category withheld under the small-cell rule (amount null) is blank, one without entries 0.00
          put(`preventionFund.useByCategory.${c}.amount`, x ? x.amount : "0.00");
        }
      } else if (k === "byKind") for (const s of v as any[]) put(`services.byKind.${s.kind}`, s.services);
      else put(`${section}.${k}`, v);
    }
  }
  return out;
}

/** A workbook cell as the API would write it: numbers with the places of their figure, empty for none. */
function cellText(v: ExcelJS.CellValue, key: string): string {
  if (v === null || v === undefined || v === "") return "";
  if (typeof v === "string") return v;
  if (typeof v !== "number") throw new Error(`unexpected cell ${JSON.stringify(v)} at ${key}`);
  if (/Rate$|Ratio$/.test(key)) return v.toFixed(4);
  if (/averageDaysToSettle$/.test(key)) return v.toFixed(2);
  if (/(premiumTotal|directLoss|paidTotal|advancesPaid|settlementsPaid|amount|extracted|used)$/.test(key)) return v.toFixed(2);
  expect(Number.isInteger(v), key).toBe(true);
  return String(v);
}

async function download(agency: string, ext: "xlsx" | "csv", role: Role = "SECTOR_DEPARTMENT", org = agency) {
  const r = await fetch(url(agency, ext), { headers: await auth(role, org) });
  expect(r.status).toBe(200);
  return { r, bytes: Buffer.from(await r.arrayBuffer()) };
}

async function openWorkbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as any);
  return wb;
}

const rowsOf = (ws: ExcelJS.Worksheet) => {
  const out: ExcelJS.CellValue[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => (out[n - 1] = (row.values as ExcelJS.CellValue[]).slice(1)));
  return out.map((r) => r ?? []);
};

/** Section sheets: "指标代码 → value"; breakdown sheets: one map per data row, by its code. */
function sectionFigures(wb: ExcelJS.Workbook): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of ["投保", "出险", "事故预防费用", "风险评估与服务"]) {
    const rows = rowsOf(wb.getWorksheet(name)!);
    const head = rows.findIndex((r) => r[0] === "指标");
    expect(rows[head]).toEqual(["指标", "数值", "单位", "指标代码"]);
    for (const r of rows.slice(head + 1)) {
      if (typeof r[3] !== "string") continue;
      expect(out.has(r[3]), r[3]).toBe(false);
      out.set(r[3], cellText(r[1], r[3]));
    }
  }
  return out;
}

function breakdown(wb: ExcelJS.Workbook, name: string): Map<string, Map<string, string>> {
  const rows = rowsOf(wb.getWorksheet(name)!);
  const codeRow = rows.findIndex((r) => r[0] === "代码");
  const keys = rows[codeRow].slice(2) as string[];
  const out = new Map<string, Map<string, string>>();
  for (const r of rows.slice(codeRow + 1)) {
    if (!r.length || typeof r[0] !== "string" || r[0].includes("：")) continue;
    out.set(r[0], new Map(keys.map((k, i) => [k, cellText(r[i + 2], k)])));
  }
  return out;
}

const footerText = (wb: ExcelJS.Workbook, sheet: string) => rowsOf(wb.getWorksheet(sheet)!).map((r) => String(r[0] ?? "")).filter((s) => /^(数据来源|内容哈希|提交时间|计算时间|提交人|版本)/.test(s));

/** RFC 4180. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") (row.push(field), rows.push(row), (row = []), (field = ""), i++);
    else field += c;
  }
  if (field || row.length) (row.push(field), rows.push(row));
  return rows;
}

describe("the quarterly workbook", () => {
  it("opens with exceljs: one sheet per section and per breakdown, every API figure present and equal", async () => {
    // the committee office reads every figure; the department's own export falls under the small-cell rule (below)
    const api = (await gql("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: EMERGENCY })).quarterlyReport;
    const { r, bytes } = await download(EMERGENCY, "xlsx", "COMMITTEE_OFFICE", COMMITTEE);
    expect(r.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="quarterly-500000-EMERGENCY-2026Q1-live\.xlsx"; filename\*=UTF-8''/);
    expect(r.headers.get("x-report-source")).toBe("LIVE");
    const wb = await openWorkbook(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["投保", "出险", "事故预防费用", "风险评估与服务", "按行业领域", "按区划"]);

    const expected = flatten(api.overall);
    const got = sectionFigures(wb);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    // spot checks against the hand-worked figures of test/modules/reporting.test.ts
    expect(got.get("insurance.premiumTotal")).toBe("6400.00");
    expect(got.get("insurance.coverageRate")).toBe("0.6667");
    expect(got.get("claims.averageDaysToSettle")).toBe("37.75");
    expect(got.get("preventionFund.useByCategory.HAZARD_INVESTIGATION.amount")).toBe("200.00");

    const bySector = breakdown(wb, "按行业领域");
    expect([...bySector.keys()]).toEqual(["总体", "HAZARDOUS_CHEMICALS"]);
    expect(Object.fromEntries(bySector.get("总体")!)).toEqual(Object.fromEntries(expected));
    expect(Object.fromEntries(bySector.get("HAZARDOUS_CHEMICALS")!)).toEqual(Object.fromEntries(flatten(api.bySector[0])));
    const byRegion = breakdown(wb, "按区划");
    expect([...byRegion.keys()]).toEqual(["总体", "500112", "500113"]);
    for (const f of api.byRegion) expect(Object.fromEntries(byRegion.get(f.regionCode)!)).toEqual(Object.fromEntries(flatten(f)));
    expect(byRegion.get("500113")!.get("preventionFund.usedToExtractedRatio")).toBe("");

    for (const sheet of wb.worksheets) {
      expect(footerText(wb, sheet.name)[0], sheet.name).toMatch(/^数据来源：未报送\/实时/);
      expect(footerText(wb, sheet.name)[1]).toBe("内容哈希（SHA-256）：未报送");
    }
    expect(rowsOf(wb.getWorksheet("投保")!)[0][0]).toBe("重庆市应急管理局 2026年第1季度安全生产责任保险工作报送 — 投保");
  });

  it("the committee office exports a department's workbook, with every sector and region of that department", async () => {
    const api = (await gql("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: COMMITTEE })).quarterlyReport;
    const wb = await openWorkbook((await download(COMMITTEE, "xlsx", "COMMITTEE_OFFICE", COMMITTEE)).bytes);
    const bySector = breakdown(wb, "按行业领域");
    expect([...bySector.keys()]).toEqual(["总体", "HAZARDOUS_CHEMICALS", "CONSTRUCTION", "OTHER"]);
    for (const f of api.bySector) expect(Object.fromEntries(bySector.get(f.sector)!)).toEqual(Object.fromEntries(flatten(f)));
    expect(sectionFigures(wb).get("insurance.premiumTotal")).toBe("17177.00");
    const other = await download(EMERGENCY, "xlsx", "COMMITTEE_OFFICE", COMMITTEE);
    expect(other.r.headers.get("x-report-source")).toBe("LIVE");
  });
});

describe("the quarterly CSV", () => {
  it("is UTF-8 with a BOM, parses, and every row equals the API", async () => {
    const api = (await gql("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: EMERGENCY })).quarterlyReport;
    const { r, bytes } = await download(EMERGENCY, "csv", "COMMITTEE_OFFICE", COMMITTEE);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8").slice(1);
    expect(text.endsWith("\r\n")).toBe(true);
    const [head, ...rows] = parseCsv(text);
    expect(head).toEqual(["范围类型", "范围代码", "范围名称", "部分", "指标代码", "指标", "数值", "单位"]);
    expect(rows.every((x) => x.length === 8)).toBe(true);
    const scope = (type: string, code: string) => new Map(rows.filter((x) => x[0] === type && x[1] === code).map((x) => [x[4], x[6]]));
    expect(Object.fromEntries(scope("总体", ""))).toEqual(Object.fromEntries(flatten(api.overall)));
    expect(Object.fromEntries(scope("行业领域", "HAZARDOUS_CHEMICALS"))).toEqual(Object.fromEntries(flatten(api.bySector[0])));
    for (const f of api.byRegion) expect(Object.fromEntries(scope("区划", f.regionCode))).toEqual(Object.fromEntries(flatten(f)));
    expect(rows.find((x) => x[0] === "总体" && x[4] === "insurance.coverageRate")).toEqual(["总体", "", "重庆市应急管理局", "投保", "insurance.coverageRate", "投保率", "0.6667", ""]);
    expect(rows.filter((x) => x[0] === "报送信息").map((x) => x[4])).toEqual(["meta.source", "meta.contentHash", "meta.computedAt"]);
  });

  it("the department's own export withholds exactly what its API withholds (small-cell rule), and says so", async () => {
    const api = (await gql("SECTOR_DEPARTMENT", EMERGENCY, `${REPORT.replace("agencyId overall", "agencyId withheld overall")}`, { a: EMERGENCY })).quarterlyReport;
    expect(api.withheld).toContain("overall.insurance.premiumTotal"); // the fixture's policies are all insurer A's
    const rows = parseCsv((await download(EMERGENCY, "csv")).bytes.toString("utf8").slice(1)).slice(1);
    const scope = (type: string, code: string) => new Map(rows.filter((x) => x[0] === type && x[1] === code).map((x) => [x[4], x[6]]));
    expect(Object.fromEntries(scope("总体", ""))).toEqual(Object.fromEntries(flatten(api.overall)));
    expect(scope("总体", "").get("insurance.premiumTotal")).toBe("");
    expect(rows.filter((x) => x[0] === "报送信息").map((x) => x[4])).toEqual(["meta.withheld", "meta.source", "meta.contentHash", "meta.computedAt"]);
  });
});

describe("who may download", () => {
  it("401 without a token and with a bad one, exactly as /graphql answers the bad one", async () => {
    const none = await fetch(url(EMERGENCY, "xlsx"));
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="anze-hub"');
    expect((await none.json()).errors[0].extensions.code).toBe("UNAUTHENTICATED");

    const bad = [
      `Bearer ${await signToken("another-secret", { sub: "x", role: "SECTOR_DEPARTMENT", org: EMERGENCY })}`,
      `Bearer ${await signToken(config.jwtSecret, { sub: "x", role: "SECTOR_DEPARTMENT", org: EMERGENCY }, "-1h")}`,
      "Bearer abc",
      "Basic x",
    ];
    for (const header of bad) {
      const e = await fetch(url(EMERGENCY, "csv"), { headers: { authorization: header } });
      const g = await fetch(`${server.url}/graphql`, { method: "POST", headers: { authorization: header, "content-type": "application/json" }, body: '{"query":"{ viewer { role } }"}' });
      expect(e.status, header).toBe(401);
      expect(g.status).toBe(401);
      expect(e.headers.get("www-authenticate")).toBe(g.headers.get("www-authenticate"));
      expect(await e.json()).toEqual(await g.json());
    }
  });

  it("403 FORBIDDEN for another department, a committee office elsewhere, the district department for its parent, an insurer, an enterprise", async () => {
    for (const [role, org] of [
      ["SECTOR_DEPARTMENT", HOUSING],
      ["COMMITTEE_OFFICE", "350200-COMMITTEE_OFFICE"],
      ["SECTOR_DEPARTMENT", "500112-EMERGENCY"],
      ["SECTOR_DEPARTMENT", "350200-EMERGENCY"],
      ["INSURER", F.insurerA],
      ["ENTERPRISE", F.chemicals],
    ] as [Role, string][]) {
      const r = await fetch(url(EMERGENCY, "xlsx"), { headers: await auth(role, org) });
      expect(r.status, `${role} ${org}`).toBe(403);
      expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect((await r.json()).errors[0].extensions.code).toBe("FORBIDDEN");
    }
  });

  it("404 for an unknown agency or a path that is not an export; 400 for a bad quarter; 405 for POST", async () => {
    const unknown = await fetch(url("500000-COAL", "xlsx"), { headers: await auth("COMMITTEE_OFFICE", COMMITTEE) });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).errors[0].extensions.code).toBe("NOT_FOUND");
    expect((await fetch(`${server.url}/exports/quarterly/${EMERGENCY}/2026/1.pdf`, { headers: await auth("SECTOR_DEPARTMENT", EMERGENCY) })).status).toBe(404);
    const q5 = await fetch(url(EMERGENCY, "xlsx", 2026, 5), { headers: await auth("SECTOR_DEPARTMENT", EMERGENCY) });
    expect(q5.status).toBe(400);
    expect((await q5.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    const post = await fetch(url(EMERGENCY, "xlsx"), { method: "POST", headers: await auth("SECTOR_DEPARTMENT", EMERGENCY) });
    expect(post.status).toBe(405);
  });

  it("HEAD answers the headers without a body", async () => {
    const r = await fetch(url(EMERGENCY, "csv"), { method: "HEAD", headers: await auth("SECTOR_DEPARTMENT", EMERGENCY) });
    expect(r.status).toBe(200);
    expect(Number(r.headers.get("content-length"))).toBeGreaterThan(100);
    expect((await r.arrayBuffer()).byteLength).toBe(0);
  });
});

describe("after a submission the export is the snapshot", () => {
  it("the footer carries the snapshot's hash and submission time; later records change the API, not the export", async () => {
    const s = (await gql("SECTOR_DEPARTMENT", EMERGENCY, `mutation { submitQuarterlyReport(agencyId: "${EMERGENCY}", year: 2026, quarter: 1, note: "一季度") {
      version contentHash submittedAt timeliness report { overall { claims { claimsReported } } } } }`)).submitQuarterlyReport;
    expect(s.version).toBe(1);
    const api = (await gql("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: EMERGENCY })).quarterlyReport;

    const { r, bytes } = await download(EMERGENCY, "xlsx", "COMMITTEE_OFFICE", COMMITTEE);
    expect(r.headers.get("x-report-source")).toBe("SUBMITTED");
    expect(r.headers.get("x-content-hash")).toBe(s.contentHash);
    expect(r.headers.get("content-disposition")).toMatch(/filename="quarterly-500000-EMERGENCY-2026Q1-v1\.xlsx"/);
    const wb = await openWorkbook(bytes);
    for (const sheet of wb.worksheets) {
      expect(footerText(wb, sheet.name), sheet.name).toEqual([
        `数据来源：已报送快照（第1版，${s.timeliness === "ON_TIME" ? "按时" : "逾期"}）`,
        `内容哈希（SHA-256）：${s.contentHash}`,
        `提交时间（北京时间）：${s.submittedAt}`,
        `提交人：test-${EMERGENCY}`,
        "版本：1",
      ]);
    }
    expect(Object.fromEntries(sectionFigures(wb))).toEqual(Object.fromEntries(flatten(api.overall)));

    // a claim recorded afterwards: the live report moves, the export stays the submitted snapshot
    await database.db.insert(claims).values({ insurerUscc: F.insurerA, claimRef: "EXP-C9", policyId: ids.policy.P1, enterpriseUscc: F.chemicals, reportedAt: new Date("2026-02-02T08:00:00+08:00") });
    const live = (await gql("COMMITTEE_OFFICE", COMMITTEE, REPORT, { a: EMERGENCY })).quarterlyReport;
    expect(live.overall.claims.claimsReported).toBe(5);
    const again = await openWorkbook((await download(EMERGENCY, "xlsx", "COMMITTEE_OFFICE", COMMITTEE)).bytes);
    expect(sectionFigures(again).get("claims.claimsReported")).toBe("4");
    expect(s.report.overall.claims.claimsReported).toBe(4);

    const csv = parseCsv((await download(EMERGENCY, "csv", "COMMITTEE_OFFICE", COMMITTEE)).bytes.toString("utf8").slice(1));
    const meta = Object.fromEntries(csv.filter((x) => x[0] === "报送信息").map((x) => [x[4], x[6]]));
    expect(meta).toEqual({ "meta.source": expect.stringMatching(/^已报送快照（第1版/), "meta.contentHash": s.contentHash, "meta.submittedAt": s.submittedAt, "meta.submittedBy": `test-${EMERGENCY}`, "meta.version": "1" });
    expect(csv.find((x) => x[0] === "总体" && x[4] === "claims.claimsReported")?.[6]).toBe("4");
  });
});

describe("npm run export arguments", () => {
  it("parses the documented flags and refuses doubtful ones", () => {
    expect(parseExportArgs(["--agency", EMERGENCY, "--year", "2026", "--quarter", "3"])).toEqual({ agencyId: EMERGENCY, year: 2026, quarter: 3, format: "xlsx", out: null });
    expect(parseExportArgs(["--agency", EMERGENCY, "--year", "2026", "--quarter", "1", "--format", "CSV", "--out", "-"])).toMatchObject({ format: "csv", out: "-" });
    for (const bad of [[], ["--agency", EMERGENCY, "--year", "26", "--quarter", "1"], ["--agency", EMERGENCY, "--year", "2026", "--quarter", "5"], ["--agency", EMERGENCY, "--year", "2026", "--quarter", "1", "--format", "pdf"], ["--nope"]]) {
      expect(() => parseExportArgs(bad), bad.join(" ")).toThrow(UsageError);
    }
  });
});
