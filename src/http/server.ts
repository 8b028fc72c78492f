import { ApolloServer, HeaderMap } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { sql } from "drizzle-orm";
import type { GraphQLSchema } from "graphql";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { JurisdictionCache } from "../auth/jurisdiction.js";
import { AuthError, makeVerifier, type Verifier } from "../auth/token.js";
import { PUBLIC_VIEWER, type Viewer } from "../auth/viewer.js";
import type { Config } from "../config.js";
import type { Database, Db } from "../db/client.js";
import { createContext, type Context } from "../graphql/context.js";
import { ASSET_PREFIX, createGraphiql } from "./graphiql.js";

export const BODY_LIMIT_BYTES = 1024 * 1024;
const READY_TIMEOUT_MS = 3000;

export interface HttpServer {
  /** the server's origin, e.g. http://localhost:4000 */
  url: string;
  port: number;
  /** stop accepting, let in-flight requests finish, then stop Apollo */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly code: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.setHeader("x-content-type-options", "nosniff");
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, e: HttpError) {
  sendJson(res, e.status, { errors: [{ message: e.message, extensions: { code: e.code } }] }, e.headers);
}

/** No header: PUBLIC. Any header that does not verify: 401, never a quiet fall back to PUBLIC. */
async function authenticate(verify: Verifier, jurisdictions: JurisdictionCache, header: string | undefined): Promise<Viewer> {
  if (header === undefined) return PUBLIC_VIEWER;
  const unauthenticated = (message: string) =>
    new HttpError(401, message, "UNAUTHENTICATED", { "www-authenticate": 'Bearer realm="anze-hub"' });
  const match = /^Bearer +([A-Za-z0-9_.~+/=-]+) *$/i.exec(header);
  if (!match) throw unauthenticated("Authorization 请求头格式错误，应为 “Bearer <令牌>” / malformed Authorization header, expected \"Bearer <token>\"");
  let claims;
  try {
    claims = await verify(match[1]);
  } catch (e) {
    if (e instanceof AuthError) throw unauthenticated(e.message);
    throw e;
  }
  return jurisdictions.viewerFor(claims);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, "请求体超过 1 MB / request body exceeds 1 MB", "PAYLOAD_TOO_LARGE", { connection: "close" });
  if (Number(req.headers["content-length"] ?? 0) > BODY_LIMIT_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        req.removeAllListeners("data");
        req.pause();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** What Apollo expects as `body`: the parsed object for JSON, the raw text otherwise (Apollo then answers 400). */
function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  const mediaType = String(req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/json") return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "请求体不是合法的 JSON / request body is not valid JSON", "BAD_REQUEST");
  }
}

function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Ready: the database answers and drizzle has recorded applied migrations. */
async function readiness(db: Db): Promise<{ ok: true } | { ok: false; reason: string; detail: string }> {
  try {
    await withTimeout(db.execute(sql`select 1`), READY_TIMEOUT_MS);
  } catch (e) {
    return { ok: false, reason: "数据库不可达 / database unreachable", detail: (e as Error).message };
  }
  try {
    const result = (await withTimeout(db.execute(sql`select exists (select 1 from drizzle.__drizzle_migrations) as applied`), READY_TIMEOUT_MS)) as unknown as { rows: { applied: boolean }[] };
    if (result.rows[0]?.applied) return { ok: true };
    return { ok: false, reason: "数据库迁移未执行 / migrations not applied", detail: "drizzle.__drizzle_migrations is empty" };
  } catch (e) {
    return { ok: false, reason: "数据库迁移未执行 / migrations not applied", detail: (e as Error).message };
  }
}

export async function startHttpServer(opts: { config: Config; database: Database; schema: GraphQLSchema; port?: number }): Promise<HttpServer> {
  const { config, database } = opts;
  const verify = makeVerifier(config);
  const jurisdictions = new JurisdictionCache(database.db);
  const graphiql = createGraphiql();
  const httpServer = createServer();

  const apollo = new ApolloServer<Context>({
    schema: opts.schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // the cache-control plugin costs a hook per resolved field and the hub sets no cache hints
      ApolloServerPluginCacheControlDisabled(),
      // an APOLLO_KEY in the environment must never send the schema or traffic out of the intranet
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
    introspection: config.introspection,
    includeStacktraceInErrorResponses: !config.production,
    allowBatchedHttpRequests: false,
    // status400ForVariableCoercionErrors is Apollo 5's fixed behaviour (setting it only logs a warning)
    csrfPrevention: true,
  });
  await apollo.start();

  async function graphql(req: IncomingMessage, res: ServerResponse, search: string) {
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "POST") {
      throw new HttpError(405, "仅支持 GET 与 POST / only GET and POST are supported", "METHOD_NOT_ALLOWED", { allow: "GET, POST" });
    }
    const viewer = await authenticate(verify, jurisdictions, req.headers.authorization);
    const body = method === "POST" ? parseBody(req, await readBody(req)) : undefined;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers: headerMap(req), search, body },
      context: async () => createContext(database.db, viewer),
    });
    res.statusCode = response.status ?? 200;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) {
      if (res.destroyed) break;
      res.write(chunk);
    }
    res.end();
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const path = q < 0 ? raw : raw.slice(0, q);
    const search = q < 0 ? "" : raw.slice(q);
    if (path === "/graphql") return graphql(req, res, search);

    const readOnly = req.method === "GET" || req.method === "HEAD";
    const known = path === "/healthz" || path === "/readyz" || path === "/graphiql" || path.startsWith(ASSET_PREFIX);
    if (known && !readOnly) throw new HttpError(405, "仅支持 GET / only GET is supported", "METHOD_NOT_ALLOWED", { allow: "GET, HEAD" });
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === "/readyz") {
      const ready = await readiness(database.db);
      if (ready.ok) return sendJson(res, 200, { status: "ok" });
      return sendJson(res, 503, { status: "unavailable", reason: ready.reason, ...(config.production ? {} : { detail: ready.detail }) });
    }
    if (path === "/graphiql") return graphiql.page(req, res);
    if (path.startsWith(ASSET_PREFIX) && graphiql.asset(req, res, path.slice(ASSET_PREFIX.length))) return;
    throw new HttpError(404, `未找到 / not found: ${path}`, "NOT_FOUND");
  }

  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) return sendError(res, e);
      console.error("request failed", e);
      sendError(res, new HttpError(500, "服务器内部错误 / internal server error", "INTERNAL_SERVER_ERROR"));
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(opts.port ?? config.port, () => {
        httpServer.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    await apollo.stop();
    throw e;
  }

  const port = (httpServer.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    port,
    // the drain plugin stops the HTTP server and waits for in-flight requests before Apollo stops
    close: () => (closing ??= apollo.stop()),
  };
}
