/**
 * npm run export -- --agency <id> --year Y --quarter Q [--format xlsx|csv] [--out file]
 * Writes an agency's quarterly report (its latest submitted snapshot, else the live figures marked
 * 未报送/实时) from the database in DATABASE_URL, or the embedded one in HUB_DATA_DIR (stop the hub
 * first: an embedded database has one user at a time). --out - writes to standard output.
 */
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { exportBytes, exportFileNames, reportExportOf, type ExportFormat } from "../src/modules/reporting/export.js";
import { loadAgency } from "../src/modules/reporting/service.js";

export const USAGE = `用法 / usage: npm run export -- --agency <id> --year <YYYY> --quarter <1-4> [--format xlsx|csv] [--out <file>|-]
  --agency   部门标识 / agency id, e.g. 500000-EMERGENCY
  --year     年度 / year
  --quarter  季度 1–4 / quarter
  --format   xlsx（默认 / default）或 / or csv
  --out      输出文件，默认 quarterly-<部门>-<年>Q<季>-<版本|live>.<格式>；- 为标准输出 / output file; - for stdout`;

export class UsageError extends Error {}

export interface ExportRequest {
  agencyId: string;
  year: number;
  quarter: number;
  format: ExportFormat;
  out: string | null;
}

export function parseExportArgs(argv: string[]): ExportRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { agency: { type: "string" }, year: { type: "string" }, quarter: { type: "string" }, format: { type: "string" }, out: { type: "string" } },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const agencyId = values.agency?.trim();
  if (!agencyId) throw new UsageError("缺少 --agency / --agency is required");
  if (!/^\d{4}$/.test(values.year ?? "")) throw new UsageError("--year 应为四位年份 / --year must be a 4-digit year");
  if (!/^[1-4]$/.test(values.quarter ?? "")) throw new UsageError("--quarter 应为 1–4 / --quarter must be 1–4");
  const format = (values.format ?? "xlsx").toLowerCase();
  if (format !== "xlsx" && format !== "csv") throw new UsageError(`--format 应为 xlsx 或 csv / --format must be xlsx or csv: ${values.format}`);
  return { agencyId, year: Number(values.year), quarter: Number(values.quarter), format, out: values.out?.trim() || null };
}

async function main(argv: string[]): Promise<number> {
  let request: ExportRequest;
  try {
    request = parseExportArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const agency = await loadAgency(database.db, request.agencyId);
    if (!agency) {
      console.error(`未找到部门 / unknown agency: ${request.agencyId}`);
      return 1;
    }
    const exp = await reportExportOf(database.db, agency, request.year, request.quarter);
    const bytes = await exportBytes(exp, request.format);
    const what =
      exp.source === "SUBMITTED"
        ? `已报送快照第${exp.submission!.version}版 / submitted snapshot v${exp.submission!.version}, sha256 ${exp.submission!.contentHash}`
        : "未报送，实时数据 / not submitted: live figures";
    if (request.out === "-") {
      process.stdout.write(bytes);
      console.error(what);
    } else {
      const file = request.out ?? exportFileNames(exp, request.format).ascii;
      writeFileSync(file, bytes);
      console.error(`${file}: ${what}`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
