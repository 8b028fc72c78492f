import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/**
 * GraphiQL served entirely by the hub: government intranets have no internet, so the page names no
 * other origin and runs no inline script (a strict Content-Security-Policy holds).
 */
export const ASSET_PREFIX = "/graphiql/assets/";

/** served name → where the file comes from when running from src/ (vitest) without a build */
const SOURCES: Record<string, { pkg?: string; file: string }> = {
  "react.production.min.js": { pkg: "react", file: "umd/react.production.min.js" },
  "react-dom.production.min.js": { pkg: "react-dom", file: "umd/react-dom.production.min.js" },
  "graphiql.min.js": { pkg: "graphiql", file: "graphiql.min.js" },
  "graphiql.min.css": { pkg: "graphiql", file: "graphiql.min.css" },
  "init.js": { file: "graphiql-init.js" },
};
export const GRAPHIQL_ASSET_NAMES = Object.keys(SOURCES);

// font-src: graphiql.min.css embeds its fonts as data: URIs
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>安责险数据共享枢纽 GraphiQL</title>
<link rel="stylesheet" href="${ASSET_PREFIX}graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">正在加载 GraphiQL… / loading GraphiQL…</div>
<noscript>GraphiQL 需要启用 JavaScript / GraphiQL needs JavaScript</noscript>
<script src="${ASSET_PREFIX}react.production.min.js"></script>
<script src="${ASSET_PREFIX}react-dom.production.min.js"></script>
<script src="${ASSET_PREFIX}graphiql.min.js"></script>
<script src="${ASSET_PREFIX}init.js"></script>
</body>
</html>
`;

interface Asset {
  body: Buffer;
  gzip?: Buffer;
  contentType: string;
  etag: string;
}

/**
 * dist/graphiql-assets/ is filled by scripts/build-graphiql.mjs (graphiql, react and react-dom are
 * devDependencies, absent from a production install); from src/ the files are read where they lie.
 */
function locate(name: string): string | undefined {
  const built = fileURLToPath(new URL(`../../graphiql-assets/${name}`, import.meta.url));
  if (existsSync(built)) return built;
  const { pkg, file } = SOURCES[name];
  try {
    const dir = pkg ? dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)) : fileURLToPath(new URL(".", import.meta.url));
    const path = join(dir, file);
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const missing: string[] = [];
  for (const name of GRAPHIQL_ASSET_NAMES) {
    const path = locate(name);
    if (!path) {
      missing.push(name);
      continue;
    }
    const body = readFileSync(path);
    const contentType = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    assets.set(name, { body, contentType, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` });
  }
  if (missing.length) throw new Error(`GraphiQL 静态文件缺失，请先运行 npm run build / GraphiQL assets missing (${missing.join(", ")}): run npm run build`);
  return assets;
}

function setHeaders(res: ServerResponse, headers: Record<string, string>) {
  for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...headers })) res.setHeader(k, v);
}

export interface Graphiql {
  page(req: IncomingMessage, res: ServerResponse): void;
  /** false when `name` is not one of the served files */
  asset(req: IncomingMessage, res: ServerResponse, name: string): boolean;
}

/** Reads the assets once; throws at start-up, not at the first browser visit, when one is missing. */
export function createGraphiql(): Graphiql {
  const assets = loadAssets();
  return {
    page(_req, res) {
      res.statusCode = 200;
      setHeaders(res, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" });
      res.end(PAGE);
    },
    asset(req, res, name) {
      const asset = Object.hasOwn(SOURCES, name) ? assets.get(name) : undefined;
      if (!asset) return false;
      setHeaders(res, { "content-type": asset.contentType, "cache-control": "public, max-age=86400", etag: asset.etag, vary: "Accept-Encoding" });
      if (req.headers["if-none-match"] === asset.etag) {
        res.statusCode = 304;
        res.end();
        return true;
      }
      res.statusCode = 200;
      // graphiql.min.js is ~1 MB; compressed once, on first demand
      if (/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
        asset.gzip ??= gzipSync(asset.body);
        res.setHeader("content-encoding", "gzip");
        res.end(asset.gzip);
      } else {
        res.end(asset.body);
      }
      return true;
    },
  };
}
