import { GraphQLError } from "graphql";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Viewer } from "../auth/viewer.js";
import type { Db } from "../db/client.js";
import { CONTENT_TYPES, exportBytes, exportFileNames, reportExportFor, type ExportFormat } from "../modules/reporting/export.js";

/**
 * GET /exports/quarterly/{agencyId}/{year}/{quarter}.xlsx|.csv — the quarterly report for a
 * department to hand on, with the same Bearer token and permissions as quarterlyReport:
 * no token → 401; a bad token → 401 exactly as /graphql (the server's authenticate throws it);
 * not the agency itself nor the committee office or financial regulator over its region → 403;
 * an unknown agency → 404. Errors are JSON in the GraphQL error shape, like the rest of the server.
 */
export const EXPORTS_PREFIX = "/exports/";

const PATH = /^\/exports\/quarterly\/([^/]+)\/(\d{4})\/(\d+)\.(xlsx|csv)$/;

export interface ExportDeps {
  db: Db;
  /** the server's authenticate for this request: PUBLIC without a header, throws its 401 on a bad token */
  authenticate: () => Promise<Viewer>;
  now?: () => Date;
}

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, METHOD_NOT_ALLOWED: 405 };

function fail(res: ServerResponse, code: string, message: string, headers: Record<string, string> = {}) {
  res.statusCode = STATUS[code] ?? 500;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.setHeader("x-content-type-options", "nosniff");
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

export async function serveExport(req: IncomingMessage, res: ServerResponse, path: string, deps: ExportDeps): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return fail(res, "METHOD_NOT_ALLOWED", "仅支持 GET / only GET is supported", { allow: "GET, HEAD" });
  const m = PATH.exec(path);
  let agencyId: string | null = null;
  try {
    agencyId = m ? decodeURIComponent(m[1]) : null;
  } catch {
    agencyId = null;
  }
  if (!m || !agencyId) {
    return fail(res, "NOT_FOUND", `未找到 / not found: ${path}（应为 /exports/quarterly/{agencyId}/{year}/{quarter}.xlsx 或 .csv / expected /exports/quarterly/{agencyId}/{year}/{quarter}.xlsx or .csv）`);
  }
  // a bad token throws the server's own 401 here, exactly as for /graphql
  const viewer = await deps.authenticate();
  if (viewer.role === "PUBLIC") {
    return fail(res, "UNAUTHENTICATED", "导出需要令牌：Authorization: Bearer <令牌> / exports need a token: Authorization: Bearer <token>", { "www-authenticate": 'Bearer realm="anze-hub"' });
  }
  const [year, quarter, format] = [Number(m[2]), Number(m[3]), m[4] as ExportFormat];
  let exp;
  try {
    exp = await reportExportFor(deps.db, viewer, agencyId, year, quarter, deps.now?.() ?? new Date());
  } catch (e) {
    const code = e instanceof GraphQLError ? String(e.extensions?.code ?? "") : "";
    if (code in STATUS) return fail(res, code, (e as Error).message);
    throw e;
  }
  if (!exp) return fail(res, "NOT_FOUND", `未找到部门 / unknown agency: ${agencyId}`);

  const body = await exportBytes(exp, format);
  const names = exportFileNames(exp, format);
  res.statusCode = 200;
  res.setHeader("content-type", CONTENT_TYPES[format]);
  res.setHeader("content-length", String(body.length));
  res.setHeader("content-disposition", `attachment; filename="${names.ascii}"; filename*=UTF-8''${encodeURIComponent(names.utf8)}`);
  res.setHeader("cache-control", "no-store");
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("x-report-source", exp.source);
  if (exp.submission) {
    res.setHeader("x-report-version", String(exp.submission.version));
    res.setHeader("x-content-hash", exp.submission.contentHash);
  }
  res.end(req.method === "HEAD" ? undefined : body);
}
