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
import { DatabaseUnavailableError, isDatabaseUnavailable, type Database, type Db } from "../db/client.js";
import type { Context } from "../graphql/context.js";
import { ASSET_PREFIX, createGraphiql } from "./graphiql.js";
import { API_SECURITY_HEADERS, armorValidationRules, costPlugin, ExecutionTimeout, makeFormatError, PARSE_OPTIONS, RateLimiter, rateLimitKey, withDeadline } from "./limits.js";
import { createLogger, errorSummary, newRequestInfo, observabilityPlugin, REQUEST_INFO, requestId, type Logger, type RequestInfo } from "./log.js";
import { ANONYMOUS, createMetrics } from "./metrics.js";
import { EXPORTS_PREFIX, serveExport } from "./exports.js";
import { auditPlugin } from "../modules/audit/plugin.js";
import { AuditSealer, type AuditSealerOptions } from "../modules/audit/sealer.js";
import { READ_AFTER_HEADER, readAfterLsn, readRoutingPlugin, requestContext } from "./read-routing.js";
import { PLANNED_BODY, PLANNED_PLACEHOLDER_BODY, readPlanPlugin } from "../graphql/plan/plugin.js";
import { planConfigOf } from "../graphql/schema.js";

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
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  for (const [k, v] of Object.entries(API_SECURITY_HEADERS)) res.setHeader(k, v);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, e: HttpError) {
  sendJson(res, e.status, { errors: [{ message: e.message, extensions: { code: e.code, ...e.extensions } }] }, e.headers);
}

/** No header: PUBLIC. Any header that does not verify: 401, never a quiet fall back to PUBLIC. */
async function authenticate(verify: Verifier, jurisdictions: JurisdictionCache, header: string | undefined): Promise<Viewer> {
  if (header === undefined) return PUBLIC_VIEWER;
  const unauthenticated = (message: string) =>
    new HttpError(401, message, "UNAUTHENTICATED", { "www-authenticate": 'Bearer realm="anze-hub"' });
  const match = /^Bearer +([A-Za-z0-9_.~+/=-]+) *$/i.exec(header);
  if (!match) throw unauthenticated("Authorization 请求头格式错误，应为 “Bearer <令牌>” / malformed Authorization header, expected \"Bearer <token>\"");
  try {
    return await jurisdictions.viewerFor(await verify(match[1]));
  } catch (e) {
    if (e instanceof AuthError) throw unauthenticated(e.message);
    // the registry lookup of the token's org needs the database: a busy or lost one is a 503, as for any request
    if (isDatabaseUnavailable(e)) {
      const u = new DatabaseUnavailableError(e);
      throw new HttpError(503, u.message, u.extensions.code, {}, { reason: u.extensions.reason });
    }
    throw e;
  }
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

/** the extensions.code values of a small JSON error answer */
function codesIn(body: string): string[] {
  try {
    const errors = (JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] }).errors;
    return Array.isArray(errors) ? errors.map((e) => String(e?.extensions?.code ?? "INTERNAL_SERVER_ERROR")) : [];
  } catch {
    return [];
  }
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

/** Paths whose requests are logged at debug level: probes, scrapes and static assets. */
const QUIET_PATHS = /^\/(healthz|readyz|metrics)$|^\/graphiql\/assets\//;

export async function startHttpServer(opts: {
  config: Config;
  database: Database;
  schema: GraphQLSchema;
  port?: number;
  /** the request log; by default warnings and errors only (main.ts passes the full one) */
  logger?: Logger;
  /** the audit log's sealer (src/modules/audit/sealer.ts): timings, or false for none (then entries stay unsealed) */
  auditSealer?: Omit<AuditSealerOptions, "logger"> | false;
}): Promise<HttpServer> {
  const { config, database } = opts;
  const logger = opts.logger ?? createLogger({ production: config.production, level: "warn" });
  const metrics = createMetrics(database);
  const limiter = config.rateLimit ? new RateLimiter(config.rateLimit) : undefined;
  const verify = makeVerifier(config);
  const jurisdictions = new JurisdictionCache(database.db);
  const graphiql = createGraphiql();
  const httpServer = createServer();
  // every hub process seals (one at a time, by the sealer's lock): no single process is special.
  // Before serving, it seals what a stopped process may have left unsealed.
  const sealer = opts.auditSealer === false ? undefined : new AuditSealer(database.db, { ...opts.auditSealer, logger });
  await sealer?.sweep();

  const formatError = makeFormatError({ production: config.production, hideSuggestions: !config.introspection });
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
      costPlugin<Context>(),
      observabilityPlugin<Context>(logger, !config.production),
      auditPlugin({ logger, sealer }),
      readRoutingPlugin(database),
      // after routing: a planned query reads from the server routing chose
      readPlanPlugin(planConfigOf(opts.schema), database, {
        passthrough: true,
        // as Apollo formats an executed request's errors (errorNormalize.ts): the code, a stacktrace outside production, then formatError
        formatError: (e) => formatError({ ...e.toJSON(), extensions: { ...e.extensions, code: e.extensions.code ?? "INTERNAL_SERVER_ERROR", ...(config.production ? {} : { stacktrace: e.stack?.split("\n") }) } }, e),
      }),
    ],
    introspection: config.introspection,
    // depth, aliases, directives (graphql-armor); tokens by the parser; cost in costPlugin (limits.ts)
    validationRules: armorValidationRules(),
    parseOptions: PARSE_OPTIONS,
    // field suggestions name fields the caller did not ask about: off with introspection
    hideSchemaDetailsFromClientErrors: !config.introspection,
    formatError,
    includeStacktraceInErrorResponses: !config.production,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGINT/SIGTERM: Apollo's own handler would re-raise the signal once drained,
    // killing the process before the database pool is closed
    stopOnTerminationSignals: false,
    // status400ForVariableCoercionErrors is Apollo 5's fixed behaviour (setting it only logs a warning)
    csrfPrevention: true,
  });
  await apollo.start();

  async function graphql(req: IncomingMessage, res: ServerResponse, search: string, info: RequestInfo) {
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "POST") {
      throw new HttpError(405, "仅支持 GET 与 POST / only GET and POST are supported", "METHOD_NOT_ALLOWED", { allow: "GET, POST" });
    }
    const viewer = await authenticate(verify, jurisdictions, req.headers.authorization);
    info.role = viewer.role;
    const admission = limiter?.take(rateLimitKey(viewer, req.socket.remoteAddress));
    if (admission && !admission.allowed) {
      throw new HttpError(429, `请求过于频繁，请 ${admission.retryAfterSeconds} 秒后重试 / too many requests, retry in ${admission.retryAfterSeconds} s`, "RATE_LIMITED", {
        "retry-after": String(admission.retryAfterSeconds),
      });
    }
    const body = method === "POST" ? parseBody(req, await readBody(req)) : undefined;
    let response;
    // Apollo copies the context for the operation: the planner writes into this shared holder
    const planned: { text?: string } = {};
    try {
      response = await withDeadline(
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method, headers: headerMap(req), search, body },
          context: async () => Object.assign(requestContext(database, viewer), { [REQUEST_INFO]: info, [PLANNED_BODY]: planned }),
        }),
        config.executionTimeoutMs,
      );
    } catch (e) {
      if (!(e instanceof ExecutionTimeout)) throw e;
      // the execution goes on in the background and its answer is dropped: a mutation may still commit
      const message =
        info.operationType === "mutation"
          ? `执行超时（${e.ms} 毫秒），写入结果未知，请用相同的幂等键重试 / execution timed out after ${e.ms} ms; the outcome is unknown: retry with the same idempotency key`
          : `执行超时（${e.ms} 毫秒）/ execution timed out after ${e.ms} ms`;
      throw new HttpError(503, message, "TIMEOUT");
    }
    res.statusCode = response.status ?? 200;
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) res.setHeader(name, value);
    for (const [name, value] of response.headers) res.setHeader(name, value);
    if (response.body.kind === "complete") {
      // requests refused before a context existed (CSRF, batching, a bad body): take the codes from the answer
      if (res.statusCode >= 400 && info.codes.length === 0 && response.body.string.length < 65536) info.codes.push(...codesIn(response.body.string));
      // a planned read (src/graphql/plan): PostgreSQL's JSON text goes out as the data, unless a plugin changed the answer
      if (planned.text === undefined) {
        res.end(response.body.string);
        return;
      }
      res.removeHeader("content-length");
      if (response.body.string === PLANNED_PLACEHOLDER_BODY) res.end(`{"data":${planned.text}}\n`);
      else res.end(JSON.stringify({ ...JSON.parse(response.body.string), data: JSON.parse(planned.text) }) + "\n");
      return;
    }
    for await (const chunk of response.body.asyncIterator) {
      if (res.destroyed) break;
      res.write(chunk);
    }
    res.end();
  }

  /** an export is a read: a replica's, like a query's (read-routing.ts) */
  async function exportReader(req: IncomingMessage): Promise<Db> {
    if (!database.replicas) return database.db;
    let after;
    try {
      after = readAfterLsn(req.headers[READ_AFTER_HEADER] as string | undefined);
    } catch (e) {
      throw new HttpError(400, (e as Error).message, "BAD_USER_INPUT");
    }
    return database.replicas.reader(after);
  }

  async function route(req: IncomingMessage, res: ServerResponse, info: RequestInfo) {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const path = q < 0 ? raw : raw.slice(0, q);
    const search = q < 0 ? "" : raw.slice(q);
    if (path === "/graphql") return graphql(req, res, search, info);
    if (path.startsWith(EXPORTS_PREFIX)) return serveExport(req, res, path, { db: await exportReader(req), authenticate: () => authenticate(verify, jurisdictions, req.headers.authorization) });

    const readOnly = req.method === "GET" || req.method === "HEAD";
    const known = path === "/healthz" || path === "/readyz" || path === "/metrics" || path === "/graphiql" || path.startsWith(ASSET_PREFIX);
    if (known && !readOnly) throw new HttpError(405, "仅支持 GET / only GET is supported", "METHOD_NOT_ALLOWED", { allow: "GET, HEAD" });
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === "/readyz") {
      const ready = await readiness(database.db);
      if (ready.ok) return sendJson(res, 200, { status: "ok" });
      return sendJson(res, 503, { status: "unavailable", reason: ready.reason, ...(config.production ? {} : { detail: ready.detail }) });
    }
    if (path === "/metrics") {
      const text = await metrics.render();
      res.statusCode = 200;
      res.setHeader("content-type", metrics.contentType);
      res.setHeader("cache-control", "no-store");
      res.setHeader("x-content-type-options", "nosniff");
      return void res.end(text);
    }
    if (path === "/graphiql") return graphiql.page(req, res);
    if (path.startsWith(ASSET_PREFIX) && graphiql.asset(req, res, path.slice(ASSET_PREFIX.length))) return;
    throw new HttpError(404, `未找到 / not found: ${path}`, "NOT_FOUND");
  }

  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const info = newRequestInfo(requestId(req));
    res.setHeader("x-request-id", info.id);
    res.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/graphql") metrics.observeGraphql(info.operation ?? (info.operationType ? ANONYMOUS : null), res.statusCode, seconds);
      metrics.countErrors(info.codes);
      const line = {
        reqId: info.id,
        method: req.method,
        // the path only: a GET's query string holds the query and its variables
        path: path.length > 200 ? path.slice(0, 200) + "…" : path,
        status: res.statusCode,
        ms: Math.round(seconds * 10_000) / 10,
        ...(info.role ? { role: info.role } : {}),
        ...(info.operation || info.operationType ? { operation: info.operation ?? ANONYMOUS } : {}),
        ...(info.codes.length ? { codes: [...new Set(info.codes)] } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (QUIET_PATHS.test(path)) logger.debug(line, "request");
      else logger.info(line, "request");
    });
    route(req, res, info).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        info.codes.push(e.code);
        return sendError(res, e);
      }
      logger.error({ reqId: info.id, error: errorSummary(e, !config.production) }, "request failed");
      info.codes.push("INTERNAL_SERVER_ERROR");
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
    await sealer?.stop();
    throw e;
  }

  const port = (httpServer.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    port,
    // the drain plugin stops the HTTP server and waits for in-flight requests before Apollo stops;
    // then the sealer links the last entries
    close: () => (closing ??= apollo.stop().then(() => sealer?.stop())),
  };
}
