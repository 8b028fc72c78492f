import { GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signToken } from "../../src/auth/token.js";
import { DEMO_JWT_SECRET, loadConfig, parseRateLimit, type Config } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { createLogger } from "../../src/http/log.js";
import { startHttpServer, type HttpServer } from "../../src/http/server.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture } from "../support/fixture.js";

const SECRET = "a-production-secret-for-the-tests-only";
const PRODUCTION = { NODE_ENV: "production", HUB_JWT_SECRET: SECRET, HUB_ALLOW_PGLITE: "on", PORT: "0" };
const json = { "content-type": "application/json" };

let database: Database;
const servers: HttpServer[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await database?.close();
});

/** a server with its log captured line by line, as pino writes it */
async function start(env: Record<string, string>, schema?: GraphQLSchema, db: Database = database) {
  const config: Config = loadConfig(env);
  const lines: string[] = [];
  const logger = createLogger({ production: config.production, destination: { write: (line: string) => void lines.push(line) } });
  const server = await startHttpServer({ config, database: db, schema: schema ?? (await buildHubSchema()), port: 0, logger });
  servers.push(server);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/graphql`, { method: "POST", headers: { ...json, ...headers }, body: JSON.stringify(body) });
  return { server, config, lines, post };
}

/** a resolver failing the way a database does: the message quotes SQL and a value */
const LEAKY = `Failed query: select "id_number" from "claimants" where "name" = $1\nparams: 张三丰`;
const failingSchema = () =>
  new GraphQLSchema({
    query: new GraphQLObjectType({
      name: "Query",
      fields: {
        boom: {
          type: GraphQLString,
          resolve: () => {
            throw Object.assign(new Error(LEAKY), { code: "42P01", table: "claimants" });
          },
        },
        fine: { type: GraphQLString, resolve: () => "ok" },
      },
    }),
  });

describe("production configuration", () => {
  it("refuses the embedded PGlite unless HUB_ALLOW_PGLITE=on, and says why", () => {
    const base = { NODE_ENV: "production", HUB_JWT_SECRET: SECRET };
    expect(() => loadConfig(base)).toThrow(/DATABASE_URL[\s\S]*HUB_ALLOW_PGLITE=on/);
    expect(() => loadConfig({ ...base, HUB_ALLOW_PGLITE: "off" })).toThrow(/HUB_ALLOW_PGLITE/);
    expect(() => loadConfig({ ...base, HUB_ALLOW_PGLITE: "yes" })).toThrow(/on or off/);
    expect(loadConfig({ ...base, HUB_ALLOW_PGLITE: "on" }).allowPglite).toBe(true);
    expect(loadConfig({ ...base, DATABASE_URL: "postgres://hub@db/hub" }).databaseUrl).toBe("postgres://hub@db/hub");
    // outside production the demo runs on PGlite without asking
    expect(loadConfig({}).databaseUrl).toBeUndefined();
  });

  it("still refuses to start without a key or with the demo secret", () => {
    expect(() => loadConfig({ NODE_ENV: "production", HUB_ALLOW_PGLITE: "on" })).toThrow(/HUB_JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: "production", HUB_ALLOW_PGLITE: "on", HUB_JWT_SECRET: DEMO_JWT_SECRET })).toThrow(/demo secret/);
  });

  it("validates HUB_RATE_LIMIT and HUB_EXECUTION_TIMEOUT_MS", () => {
    expect(loadConfig({}).rateLimit).toEqual({ limit: 600, windowMs: 60_000 });
    expect(parseRateLimit("10/s")).toEqual({ limit: 10, windowMs: 1000 });
    expect(parseRateLimit("100/10s")).toEqual({ limit: 100, windowMs: 10_000 });
    expect(parseRateLimit("5000/h")).toEqual({ limit: 5000, windowMs: 3_600_000 });
    expect(parseRateLimit("off")).toBeNull();
    for (const bad of ["600", "0/min", "-1/min", "600/fortnight", "abc", ""]) expect(() => loadConfig({ HUB_RATE_LIMIT: bad }), bad).toThrow(/HUB_RATE_LIMIT/);
    expect(loadConfig({ HUB_EXECUTION_TIMEOUT_MS: "2500" }).executionTimeoutMs).toBe(2500);
    for (const bad of ["0", "-5", "1.5", "soon", ""]) expect(() => loadConfig({ HUB_EXECUTION_TIMEOUT_MS: bad }), bad).toThrow(/HUB_EXECUTION_TIMEOUT_MS/);
  });
});

describe("production answers", () => {
  const INTROSPECTION = "{ __schema { queryType { name } } }";

  it("introspection is refused in production", async () => {
    const { post } = await start(PRODUCTION);
    const r = await post({ query: INTROSPECTION });
    const body = await r.json();
    expect(r.status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].message).toMatch(/introspection/i);
  });

  it("HUB_INTROSPECTION=on keeps it", async () => {
    const { post } = await start({ ...PRODUCTION, HUB_INTROSPECTION: "on" });
    const body = await (await post({ query: INTROSPECTION })).json();
    expect(body.errors).toBeUndefined();
    expect(body.data.__schema.queryType.name).toBe("Query");
  });

  it("field and enum suggestions are absent in production, present outside it", async () => {
    const typo = { query: "{ viewer { rol } }" };
    const badEnum = { query: "query($s: [EnterpriseStatus!]) { enterprises(filter: { statuses: $s }) { totalCount } }", variables: { s: ["OPERATNG"] } };
    const prod = await start(PRODUCTION);
    const dev = await start({ PORT: "0" });
    const devTypo = await (await dev.post(typo)).json();
    expect(devTypo.errors[0].message).toMatch(/Did you mean "role"/);
    const prodTypo = await (await prod.post(typo)).json();
    expect(prodTypo.errors[0].message).toMatch(/Cannot query field "rol"/);
    expect(prodTypo.errors[0].message).not.toMatch(/Did you mean|role"/);
    const devEnum = await (await dev.post(badEnum)).json();
    expect(devEnum.errors[0].message).toMatch(/Did you mean/);
    const prodEnum = await (await prod.post(badEnum)).json();
    expect(prodEnum.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(prodEnum.errors[0].message).not.toMatch(/Did you mean|OPERATING/);
  });

  it("an unexpected error is a generic INTERNAL_SERVER_ERROR: no SQL, no value, no stack", async () => {
    const prod = await start(PRODUCTION, failingSchema());
    const r = await prod.post({ query: "query Leak { boom fine }" });
    const text = await r.text();
    const body = JSON.parse(text);
    expect(body.data).toEqual({ boom: null, fine: "ok" });
    expect(body.errors).toEqual([{ message: "服务器内部错误 / internal server error", locations: [{ line: 1, column: 14 }], path: ["boom"], extensions: { code: "INTERNAL_SERVER_ERROR" } }]);
    expect(text).not.toMatch(/select|claimants|张三丰|stacktrace|at .*\.ts/);
    // outside production the developer sees what happened
    const dev = await start({ PORT: "0" }, failingSchema());
    const devBody = await (await dev.post({ query: "{ boom }" })).json();
    expect(devBody.errors[0].message).toContain("Failed query");
    expect(devBody.errors[0].extensions.stacktrace).toBeDefined();
  });

  it("no stack trace on any error in production", async () => {
    const { post, config } = await start(PRODUCTION);
    const committee = { authorization: `Bearer ${await signToken(config.jwtSecret, { sub: "c", role: "COMMITTEE_OFFICE", org: "500000-COMMITTEE_OFFICE" }, "1h")}` };
    const answers = [
      await post({ query: "{ enterprises(first: 501) { totalCount } }" }, committee),
      await post({ query: "{ enterprises(first: 5) { totalCount } }" }),
      await post({ query: "query($n: Int!) { enterprises(first: $n) { totalCount } }", variables: { n: "many" } }, committee),
      await post({ query: "{ viewer { nope } }" }),
    ];
    const errors = (await Promise.all(answers.map((r) => r.json()))).map((b) => b.errors[0]);
    expect(errors.map((e) => e.extensions.code)).toEqual(["BAD_USER_INPUT", "FORBIDDEN", "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"]);
    for (const e of errors) expect(e.extensions.stacktrace, e.message).toBeUndefined();
  });

  it("JSON answers carry security headers and no caching", async () => {
    const { server, post } = await start(PRODUCTION);
    for (const r of [await post({ query: "{ viewer { role } }" }), await fetch(`${server.url}/healthz`), await post({ query: "{" })]) {
      expect(r.headers.get("x-content-type-options")).toBe("nosniff");
      expect(r.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(r.headers.get("cache-control")).toMatch(/no-store/);
      expect(r.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });
});

describe("structured logs", () => {
  it("one JSON line per request with the request id echoed, and no token, variable, query text or sub", async () => {
    const { post, lines, config } = await start(PRODUCTION);
    const sub = "张科长";
    const token = await signToken(config.jwtSecret, { sub, role: "INSURER", org: F.insurerA, purpose: "对账" }, "1h");
    const secretUscc = "91500112MA5SECRET9";
    const r = await post(
      { query: "query LookUp($uscc: String!) { probeAliasXyz: enterprise(uscc: $uscc) { name contactPhone } }", variables: { uscc: secretUscc } },
      { authorization: `Bearer ${token}`, "x-request-id": "req-abc-123" },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get("x-request-id")).toBe("req-abc-123");
    const generated = await post({ query: "{ viewer { role } }" }, { "x-request-id": "not a valid id; drop table" });
    const generatedId = generated.headers.get("x-request-id")!;
    expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await post({ query: "{ viewer { role } }" }, { authorization: "Bearer not.a.token" });
    expect(bad.status).toBe(401);

    await vi.waitFor(() => expect(lines.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    const entries = lines.map((l) => JSON.parse(l));
    const mine = entries.find((e) => e.reqId === "req-abc-123");
    expect(mine).toMatchObject({ level: "info", msg: "request", method: "POST", path: "/graphql", status: 200, operation: "LookUp", role: "INSURER", service: "anze-hub" });
    expect(typeof mine.ms).toBe("number");
    expect(typeof mine.time).toBe("string");
    expect(entries.find((e) => e.reqId === generatedId)).toMatchObject({ status: 200, role: "PUBLIC" });
    expect(entries.find((e) => e.status === 401)).toMatchObject({ codes: ["UNAUTHENTICATED"] });

    const all = lines.join("\n");
    for (const secret of [token, token.split(".")[1], "not.a.token", secretUscc, "probeAliasXyz", "contactPhone", sub, "对账", "drop table"]) {
      expect(all, secret).not.toContain(secret);
    }
  });

  it("a GET is logged by its path, without the query string that holds the query and variables", async () => {
    const { server, lines } = await start(PRODUCTION);
    const search = `?query=${encodeURIComponent("query Q($u: String!) { insuranceStatus(uscc: $u) { insured } }")}&variables=${encodeURIComponent(JSON.stringify({ u: "91500112MA5GETVAR7" }))}`;
    const r = await fetch(`${server.url}/graphql${search}`, { headers: { "apollo-require-preflight": "1", "x-request-id": "get-1" } });
    expect(r.status).toBe(200);
    await vi.waitFor(() => expect(lines.some((l) => l.includes('"get-1"'))).toBe(true), { timeout: 10_000 });
    const entry = JSON.parse(lines.find((l) => l.includes('"get-1"'))!);
    expect(entry).toMatchObject({ method: "GET", path: "/graphql", operation: "Q" });
    expect(lines.join("\n")).not.toMatch(/GETVAR|insuranceStatus|query=/);
  });

  it("an unexpected error is logged with the request id and its type, not its message", async () => {
    const { post, lines } = await start(PRODUCTION, failingSchema());
    await post({ query: "{ boom }" }, { "x-request-id": "boom-1" });
    await vi.waitFor(() => expect(lines.filter((l) => l.includes('"boom-1"')).length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    const entries = lines.map((l) => JSON.parse(l)).filter((e) => e.reqId === "boom-1");
    expect(entries.find((e) => e.msg === "unexpected error")).toMatchObject({ level: "error", path: "boom", error: { type: "Error", sqlState: "42P01", table: "claimants" } });
    expect(entries.find((e) => e.msg === "request")).toMatchObject({ codes: ["INTERNAL_SERVER_ERROR"] });
    expect(lines.join("\n")).not.toMatch(/张三丰|Failed query|id_number/);
  });
});

describe("/metrics", () => {
  const metricsOf = async (server: HttpServer) => {
    const r = await fetch(`${server.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return r.text();
  };

  it("counts requests and latency per operation, errors per code, and shows the process and the (PGlite) pool", async () => {
    const { server, post } = await start(PRODUCTION, undefined, database.kind === "pglite" ? database : undefined);
    await post({ query: "query WhoAmI { viewer { role } }" });
    await post({ query: "query WhoAmI { viewer { role } }" });
    await post({ query: "{ viewer { role } }" });
    await post({ query: "{ viewer { role } }" }, { authorization: "Bearer bad" });
    await post({ query: "query Deep { viewer { rol } }" });
    const text = await vi.waitFor(async () => {
      const t = await metricsOf(server);
      expect(t).toContain('hub_graphql_requests_total{operation="WhoAmI",status="200"} 2');
      return t;
    }, { timeout: 10_000 });
    expect(text).toContain('hub_graphql_requests_total{operation="(anonymous)",status="200"} 1');
    expect(text).toContain('hub_graphql_requests_total{operation="(none)",status="401"} 1');
    expect(text).toMatch(/hub_graphql_request_duration_seconds_count\{operation="WhoAmI"\} 2/);
    expect(text).toMatch(/hub_graphql_request_duration_seconds_bucket\{le="0\.1",operation="WhoAmI"\} \d/);
    expect(text).toContain('hub_errors_total{code="UNAUTHENTICATED"} 1');
    expect(text).toContain('hub_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    if (database.kind === "pglite") {
      expect(text).toContain('hub_db_pool_connections{state="total"} 1');
      expect(text).toContain('hub_db_info{kind="pglite"} 1');
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)("shows the PostgreSQL pool's total, idle and waiting connections", async () => {
    const pgDatabase = await freshDatabase();
    try {
      expect(pgDatabase.kind).toBe("postgres");
      await loadFixture(pgDatabase.db);
      const { server, post } = await start({ NODE_ENV: "production", HUB_JWT_SECRET: SECRET, PORT: "0", DATABASE_URL: "postgres://unused" }, undefined, pgDatabase);
      const token = await signToken(SECRET, { sub: "m", role: "COMMITTEE_OFFICE", org: "500000-COMMITTEE_OFFICE" }, "1h");
      const body = await (await post({ query: "{ enterprises(first: 5) { totalCount } }" }, { authorization: `Bearer ${token}` })).json();
      expect(body.errors).toBeUndefined();
      const text = await metricsOf(server);
      const total = Number(/hub_db_pool_connections\{state="total"\} (\d+)/.exec(text)?.[1]);
      expect(total).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/hub_db_pool_connections\{state="idle"\} \d+/);
      expect(text).toMatch(/hub_db_pool_connections\{state="waiting"\} 0/);
      expect(text).toContain('hub_db_info{kind="postgres"} 1');
      await server.close();
    } finally {
      await pgDatabase.close();
    }
  });
});
