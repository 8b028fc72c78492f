import { GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../src/auth/token.js";
import { loadConfig, type Config } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import { DEMO } from "../../src/demo/ids.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { QUERY_LIMITS, RateLimiter } from "../../src/http/limits.js";
import { startHttpServer, type HttpServer } from "../../src/http/server.js";
import { demoDatabase } from "../support/demo.js";

const json = { "content-type": "application/json" };
let database: Database;
let server: HttpServer;
let committee: string;
const servers: HttpServer[] = [];

async function start(env: Record<string, string>, schema?: GraphQLSchema): Promise<{ server: HttpServer; config: Config }> {
  const config = loadConfig({ PORT: "0", ...env });
  const s = await startHttpServer({ config, database, schema: schema ?? (await buildHubSchema()), port: 0 });
  servers.push(s);
  return { server: s, config };
}

const post = (s: HttpServer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${s.url}/graphql`, { method: "POST", headers: { ...json, ...headers }, body: JSON.stringify(body) });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const asCommittee = (query: string, variables?: Record<string, unknown>) => post(server, { query, variables }, bearer(committee));

beforeAll(async () => {
  database = await demoDatabase();
  ({ server } = await start({}));
  committee = await signToken(loadConfig({}).jwtSecret, { sub: "limits-test", role: "COMMITTEE_OFFICE", org: DEMO.committeeOffice }, "1h");
}, 300_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await database?.close();
});

/** the README's department queries, one operation per paragraph (as test/graphql/readme-examples.test.ts splits them) */
function readmeOperations(): string[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  return [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split(/\n\s*\n/))
    .filter((s) => s.replace(/#.*$/gm, "").trim());
}

async function expectTooComplex(r: Response, limit: string) {
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
  expect(body.errors[0].extensions.limit).toBe(limit);
  expect(body.errors[0].message).toMatch(/^查询过于复杂.*\/ query too complex/);
  return body.errors[0];
}

const aliasedPages = (n: number, first: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `p${i}: enterprises(first: ${first}) { edges { node { uscc name } } }`).join(" ")} }`;

describe("what departments and insurers really ask passes", () => {
  it("every README example passes the limits (as the department the README is written for)", async () => {
    const ops = readmeOperations();
    expect(ops.length).toBeGreaterThanOrEqual(4);
    const department = await signToken(loadConfig({}).jwtSecret, { sub: "limits-test", role: "SECTOR_DEPARTMENT", org: DEMO.department }, "1h");
    for (const query of ops) {
      const r = await post(server, { query, variables: { uscc: DEMO.enterprise } }, bearer(department));
      const body = await r.json();
      // other errors (an example for another role, a mutation without its variables) are not the limits' business
      const codes = (body.errors ?? []).map((e: any) => e.extensions?.code);
      expect(codes, query).not.toContain("QUERY_TOO_COMPLEX");
      expect(codes, query).not.toContain("GRAPHQL_VALIDATION_FAILED");
      expect(codes, query).not.toContain("GRAPHQL_PARSE_FAILED");
      // it ran: a document refused before execution has no data at all
      if (!/^\s*(#.*\n\s*)*mutation\b/.test(query)) expect(body, query).toHaveProperty("data");
    }
  });

  it("the README's enterprise overview runs without an error and really fans out on the demo data", async () => {
    const overview = readmeOperations().find((q) => q.includes("EnterpriseOverview"))!;
    const body = await (await asCommittee(overview, { uscc: DEMO.enterprise })).json();
    expect(body.errors).toBeUndefined();
    const e = body.data.enterprise;
    expect(e.policies.length).toBeGreaterThan(0);
    expect(e.policies.some((p: any) => p.preventionServices.some((s: any) => s.hazards.length > 0))).toBe(true);
  });

  it("a six-level nested read through a connection (enterprises → policies → claims → payments, → services → hazards) passes", async () => {
    const query = `query SixLevels($first: Int) {
      enterprises(first: $first, filter: { insuredNow: true }) {
        totalCount
        edges { node { uscc name
          policies { policyNo insurer { shortName }
            claims { claimRef status payments { kind amount paidAt } }
            preventionServices { kind performedAt hazards { severity status deadline } } } } }
      }
    }`;
    const r = await asCommittee(query, { first: 100 });
    const body = await r.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.enterprises.edges.length).toBeGreaterThan(0);
  });

  it("one full page of 500 with every scalar field passes the cost limit", async () => {
    const query = `{ enterprises(first: 500) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
      uscc name regionCode address industryCode sector riskTags employeeCount status safetyLicenseNo standardizationGrade
      blacklisted legalRepresentative contactName contactPhone updatedAt mandatory insuredNow region { name } } } } }`;
    const r = await asCommittee(query);
    const body = await r.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.enterprises.edges.length).toBeGreaterThan(0);
  });

  it("fragments do not count as a nesting level", async () => {
    const query = `query Frag { enterprises(first: 5) { edges { node { ...E } } } }
      fragment E on Enterprise { policies { ...P } }
      fragment P on Policy { claims { ...C } preventionServices { hazards { severity } } }
      fragment C on Claim { payments { kind amount } }`;
    const body = await (await asCommittee(query)).json();
    expect(body.errors).toBeUndefined();
  });
});

describe("documents beyond the limits are refused before anything runs", () => {
  it("a cycle nested too deep → QUERY_TOO_COMPLEX (depth)", async () => {
    const query = `{ enterprise(uscc: "${DEMO.enterprise}") { policies { insuredEnterprises { enterprise { policies { insuredEnterprises {
      enterprise { policies { insuredEnterprises { enterprise { name } } } } } } } } } } }`;
    const error = await expectTooComplex(await asCommittee(query), "depth");
    expect(error.extensions).toMatchObject({ max: QUERY_LIMITS.maxDepth });
    expect(error.extensions.found).toBeGreaterThan(QUERY_LIMITS.maxDepth);
  });

  it("many aliases of a full page → QUERY_TOO_COMPLEX (cost)", async () => {
    const error = await expectTooComplex(await asCommittee(aliasedPages(20, "500")), "cost");
    expect(error.extensions.found).toBeGreaterThan(QUERY_LIMITS.maxCost);
  });

  it("page sizes given as variables count like literals (armor alone would see a page of 1)", async () => {
    const query = `query Pages($n: Int) ${aliasedPages(20, "$n")}`;
    await expectTooComplex(await asCommittee(query, { n: 500 }), "cost");
    const small = await asCommittee(query, { n: 5 });
    expect((await small.json()).errors).toBeUndefined();
  });

  it("more than the alias limit → QUERY_TOO_COMPLEX (aliases)", async () => {
    const query = `{ ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `v${i}: viewer { role }`).join(" ")} }`;
    await expectTooComplex(await asCommittee(query), "aliases");
  });

  it("directive overloading → QUERY_TOO_COMPLEX (directives)", async () => {
    const query = `{ viewer { ${Array.from({ length: QUERY_LIMITS.maxDirectives + 1 }, () => "role @include(if: true)").join(" ")} } }`;
    await expectTooComplex(await asCommittee(query), "directives");
  });

  it("a document of too many tokens → QUERY_TOO_COMPLEX (tokens)", async () => {
    const query = `{ viewer { ${"role ".repeat(QUERY_LIMITS.maxTokens)} } }`;
    await expectTooComplex(await asCommittee(query), "tokens");
  });

  it("a page over 500 is refused by paginate", async () => {
    const body = await (await asCommittee("{ enterprises(first: 501) { totalCount } }")).json();
    expect(body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });
});

describe("rate limit", () => {
  it("the (N+1)th request in the window is a 429 RATE_LIMITED with Retry-After; other callers keep their own budget", async () => {
    const { server: s, config } = await start({ HUB_RATE_LIMIT: "3/min" });
    const insurerA = await signToken(config.jwtSecret, { sub: "core-a", role: "INSURER", org: DEMO.insurer }, "1h");
    const insurerB = await signToken(config.jwtSecret, { sub: "core-b", role: "INSURER", org: DEMO.insurer }, "1h");
    const ask = (headers: Record<string, string> = {}) => post(s, { query: "{ viewer { role } }" }, headers);
    for (let i = 0; i < 3; i++) expect((await ask(bearer(insurerA))).status).toBe(200);
    const limited = await ask(bearer(insurerA));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await limited.json();
    expect(body.errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(body.errors[0].message).toMatch(/^请求过于频繁.*\/ too many requests/);
    // another sub of the same org, and PUBLIC callers (by address), have budgets of their own
    expect((await ask(bearer(insurerB))).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(429);
  });

  it("HUB_RATE_LIMIT=off serves everything", async () => {
    const { server: s } = await start({ HUB_RATE_LIMIT: "off" });
    for (let i = 0; i < 10; i++) expect((await post(s, { query: "{ viewer { role } }" })).status).toBe(200);
  });

  it("the bucket refills over the window", () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 2, windowMs: 60_000 }, () => now);
    expect(limiter.take("k")).toEqual({ allowed: true });
    expect(limiter.take("k")).toEqual({ allowed: true });
    expect(limiter.take("k")).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(limiter.take("other")).toEqual({ allowed: true });
    now = 30_000;
    expect(limiter.take("k")).toEqual({ allowed: true });
    expect(limiter.take("k").allowed).toBe(false);
    now = 10 * 60_000;
    expect(limiter.take("k")).toEqual({ allowed: true });
    expect(limiter.take("k")).toEqual({ allowed: true });
    expect(limiter.take("k").allowed).toBe(false);
  });
});

describe("execution timeout", () => {
  /** a tiny schema whose fields wait until the test lets them go */
  function gatedSchema() {
    let release!: () => void;
    const gate = new Promise<string>((r) => (release = () => r("done")));
    const wait = { type: new GraphQLNonNull(GraphQLString), resolve: () => gate };
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({ name: "Query", fields: { slow: wait, fast: { type: GraphQLString, resolve: () => "fast" } } }),
      mutation: new GraphQLObjectType({ name: "Mutation", fields: { slowWrite: wait } }),
    });
    return { schema, release: () => release() };
  }

  it("a request running past HUB_EXECUTION_TIMEOUT_MS answers one TIMEOUT error instead of hanging, and the server carries on", async () => {
    const { schema, release } = gatedSchema();
    const { server: s } = await start({ HUB_EXECUTION_TIMEOUT_MS: "300" }, schema);
    const r = await post(s, { query: "query Slow { slow }" });
    expect(r.status).toBe(503);
    const body = await r.json();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions.code).toBe("TIMEOUT");
    expect(body.errors[0].message).toMatch(/^执行超时.*\/ execution timed out after 300 ms$/);

    const w = await post(s, { query: "mutation Write { slowWrite }" });
    expect(w.status).toBe(503);
    expect((await w.json()).errors[0].message).toMatch(/idempotency key/);

    // the abandoned executions now finish: nothing is written to the answered responses, nothing crashes
    release();
    await new Promise((r) => setTimeout(r, 50));
    const after = await post(s, { query: "{ slow fast }" });
    expect(after.status).toBe(200);
    expect((await after.json()).data).toEqual({ slow: "done", fast: "fast" });
  });

  it("defaults to 15 s", () => {
    expect(loadConfig({}).executionTimeoutMs).toBe(15_000);
  });
});
