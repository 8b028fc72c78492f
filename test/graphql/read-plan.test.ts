import { MapperKind, mapSchema } from "@graphql-tools/utils";
import { defaultFieldResolver, execute, getNamedType, isObjectType, parse, type ExecutionResult, type GraphQLError, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JurisdictionCache } from "../../src/auth/jurisdiction.js";
import { expected, type Role7 } from "../../src/modules/access.js";
import { noteField, Touched } from "../../src/modules/audit/plugin.js";
import { SENSITIVE_FIELDS } from "../../src/modules/audit/sensitive.js";
import { PUBLIC_VIEWER } from "../../src/auth/viewer.js";
import type { Database } from "../../src/db/client.js";
import { DEMO } from "../../src/demo/ids.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { createContext } from "../../src/graphql/context.js";
import { whyNotPlanned, type PlanConfig } from "../../src/graphql/plan/compile.js";
import { plannedResult } from "../../src/graphql/plan/plugin.js";
import { RELATIONS } from "../../src/graphql/plan/relations.js";
import { buildHubSchema, planConfigOf } from "../../src/graphql/schema.js";
import { maskIdNumber, maskIdNumberSql, maskName, maskNameSql } from "../../src/rules/identifiers.js";
import { sql } from "drizzle-orm";
import { demoDatabase } from "../support/demo.js";

/**
 * The read planner (src/graphql/plan) answers a query with one SQL statement instead of graphql-js
 * and the resolvers. Whatever it plans must be EXACTLY what graphql-js answers: generated queries
 * (random fields, aliases, fragments, nesting, pages, filters) for every role, both ways.
 */
let database: Database;
let schema: GraphQLSchema;
let config: PlanConfig;
let jurisdictions: JurisdictionCache;
/** the served schema with the audit plugin's per-field note (what Apollo's willResolveField hook does) */
let audited: GraphQLSchema;
const TOUCHED = Symbol("touched");

beforeAll(async () => {
  database = await demoDatabase();
  schema = await buildHubSchema();
  config = planConfigOf(schema)!;
  jurisdictions = new JurisdictionCache(database.db);
  audited = mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (f) => {
      const resolve = f.resolve ?? defaultFieldResolver;
      return { ...f, resolve: (src, args, ctx, info) => {
        noteField(ctx[TOUCHED], info.parentType.name, info.fieldName, info.path.prev === undefined, args, src);
        return resolve(src, args, ctx, info);
      } };
    },
  });
});

/** graphql-js and the resolvers, as the hub executes a request it does not plan; with the audit's notes */
async function executed(role: Role, org: string | null, query: string, variables: Record<string, unknown>) {
  const ctx = Object.assign(await contextFor(role, org), { [TOUCHED]: new Touched(false) });
  const result = await execute({ schema: audited, document: parse(query), variableValues: variables, contextValue: ctx });
  const t = ctx[TOUCHED];
  return { result, auditKeys: t.sensitive ? t.entryKeys() : undefined };
}

/** errors as a client reads them; sorted by path, as graphql-js's own order follows the loaders' statements */
const errorsOf = (errors: readonly GraphQLError[] | undefined) =>
  errors && errors.map((e) => JSON.parse(JSON.stringify(e))).sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));

/** the planned and executed answers must be the same: data, errors, and the audit entry's keys */
function expectSame(planned: NonNullable<Awaited<ReturnType<typeof plannedResult>>>, ex: { result: ExecutionResult; auditKeys?: string[] }, label: string) {
  expect(planned.data, label).toEqual(JSON.parse(JSON.stringify(ex.result.data)));
  expect(errorsOf(planned.errors), label).toEqual(errorsOf(ex.result.errors));
  expect(planned.auditKeys?.slice().sort(), label).toEqual(ex.auditKeys?.slice().sort());
}

afterAll(async () => {
  await database?.close();
});

const ROLES: [Role, string | null][] = [
  ["COMMITTEE_OFFICE", DEMO.committeeOffice],
  ["SECTOR_DEPARTMENT", DEMO.department],
  ["FINANCIAL_REGULATOR", DEMO.financialRegulator],
  ["INSURER", DEMO.insurer],
  ["SERVICE_ORG", DEMO.serviceOrg],
  ["ENTERPRISE", DEMO.enterprise],
  ["PUBLIC", null],
];

async function contextFor(role: Role, org: string | null) {
  const viewer = role === "PUBLIC" ? PUBLIC_VIEWER : await jurisdictions.viewerFor({ sub: "t", role, org, purpose: null });
  return createContext(database.db, viewer);
}

/** mulberry32: the same queries on every run */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random selection on `type`: scalar fields, some aliased, some in a fragment, relations up to `depth`. */
type Likely = (type: string, field: string) => boolean;

/** @include / @skip on a field or fragment now and then, both ways ($yes is true, $no false) */
function directive(r: () => number): string {
  const x = r();
  return x < 0.06 ? " @include(if: $yes)" : x < 0.09 ? " @include(if: $no)" : x < 0.12 ? " @skip(if: $no)" : x < 0.14 ? " @skip(if: $yes)" : "";
}

function selection(type: GraphQLObjectType, depth: number, r: () => number, likely: Likely, fragments: Map<string, string>): string {
  const fields = Object.values(type.getFields()).filter((f) => !f.args.length);
  const out: string[] = [];
  for (const f of fields) {
    const rel = RELATIONS[`${type.name}.${f.name}`];
    const named = getNamedType(f.type);
    if (rel) {
      if (depth > 0 && r() < 0.4 && isObjectType(named)) out.push(`${f.name}${directive(r)} { ${selection(named, depth - 1, r, likely, fragments)} }`);
    } else if (!isObjectType(named) && r() < (likely(type.name, f.name) ? 0.45 : 0.01)) {
      // mostly fields the planner can answer for this caller; now and then one it must decline
      // (a resolver's field such as status or mandatory)
      out.push((r() < 0.15 ? `a_${f.name}: ${f.name}` : f.name) + directive(r));
    }
  }
  if (r() < 0.2) out.push("__typename");
  if (!out.length) out.push(Object.keys(type.getFields())[0]);
  const x = r();
  if (x < 0.15) return `... on ${type.name}${directive(r)} { ${out.join(" ")} }`;
  if (x < 0.3) {
    // a named fragment, spread twice now and then (graphql-js collects it once)
    const name = `F${fragments.size}`;
    fragments.set(name, `fragment ${name} on ${type.name} { ${out.join(" ")} }`);
    return r() < 0.3 ? `...${name} ...${name}${directive(r)}` : `...${name}${directive(r)}`;
  }
  return out.join(" ");
}

function generate(n: number, seed: number, likely: Likely): { query: string; variables: Record<string, unknown> }[] {
  const r = rng(seed);
  const enterprise = schema.getType("Enterprise") as GraphQLObjectType;
  const out: { query: string; variables: Record<string, unknown> }[] = [];
  for (let i = 0; i < n; i++) {
    const fragments = new Map<string, string>();
    const node = selection(enterprise, 3, r, likely, fragments);
    const defs = [...fragments.values()].join("\n");
    const filters = [undefined, { sectors: ["HAZARDOUS_CHEMICALS", "CONSTRUCTION"] }, { insuredNow: true }, { blacklisted: false, nameContains: "化" }, { regionCode: "500112" }];
    const filter = filters[Math.floor(r() * filters.length)];
    const flags = { yes: true, no: false };
    if (r() < 0.25) {
      out.push({
        query: `query Q($u: String!, $yes: Boolean!, $no: Boolean!) { e: enterprise(uscc: $u) { ${node} } }\n${defs}`,
        variables: { u: r() < 0.8 ? DEMO.enterprise : "91500000000000000X", ...flags },
      });
      continue;
    }
    const page = r() < 0.5 ? "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }" : "";
    const total = r() < 0.4 ? "totalCount" : "";
    const cursor = r() < 0.5 ? "cursor" : "";
    out.push({
      query: `query Q($first: Int, $filter: EnterpriseFilter, $yes: Boolean!, $no: Boolean!) { enterprises(first: $first, filter: $filter) { ${total} ${page} edges { ${cursor} node { ${node} } } } }\n${defs}`,
      variables: { first: [0, 1, 7, 30][Math.floor(r() * 4)], filter, ...flags },
    });
  }
  return out;
}

describe("the read planner answers exactly as graphql-js does", () => {
  it.each(ROLES)("as %s: generated queries, planned vs executed", { timeout: 120_000 }, async (role, org) => {
    let planned = 0;
    let withErrors = 0;
    // fields the planner answers for this caller: plain reads, and the matrix's DENIED (null + FORBIDDEN),
    // MASKED and HANDLER fields (computed in SQL); sensitive fields are audited either way
    const likely: Likely = (t, f) => {
      const o = expected(t, f, role as Role7);
      return (config.plain.has(`${t}.${f}`) && o === "ALLOWED") || o === "DENIED" || o === "MASKED" || o === "HANDLER" || SENSITIVE_FIELDS.get(t)?.has(f) === true;
    };
    for (const { query, variables } of generate(40, role.length * 7919, likely)) {
      const ctx = await contextFor(role, org);
      const document = parse(query);
      const viaPlan = await plannedResult(database, config, schema, document, variables, ctx);
      if (viaPlan === null) {
        if (process.env.PLAN_WHY) console.log(role, whyNotPlanned(schema, config, document, undefined, variables, ctx));
        continue;
      }
      planned++;
      const ex = await executed(role, org, query, variables);
      if (ex.result.errors) withErrors++;
      expectSame(viaPlan, ex, `${query} ${JSON.stringify(variables)}`);
    }
    // the planner must actually plan most of what these roles may ask; PUBLIC is refused every root field
    expect(planned).toBeGreaterThan(role === "PUBLIC" ? 30 : 20);
    if (role === "PUBLIC" || role === "SECTOR_DEPARTMENT") expect(withErrors).toBeGreaterThan(0);
  });

  it("pages follow each other through the planned cursors as through the resolvers'", async () => {
    const ctx = await contextFor("COMMITTEE_OFFICE", DEMO.committeeOffice);
    const document = parse(`query Q($after: String) { enterprises(first: 25, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { uscc } } } }`);
    let after: string | null = null;
    let pages = 0;
    do {
      const viaPlan = (await plannedResult(database, config, schema, document, { after }, ctx))!.data as any;
      const ex = await execute({ schema, document, variableValues: { after }, contextValue: await contextFor("COMMITTEE_OFFICE", DEMO.committeeOffice) });
      expect(viaPlan).toEqual(ex.data);
      after = viaPlan.enterprises.pageInfo.hasNextPage ? viaPlan.enterprises.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 5);
    expect(pages).toBe(5);
  });

  it("plans these shapes (a regression to declining fails here), and declines what it cannot answer exactly", async () => {
    const as = async (role: Role, org: string | null) => {
      const ctx = await contextFor(role, org);
      return (q: string, v?: Record<string, unknown>) => whyNotPlanned(schema, config, parse(q), undefined, v, ctx);
    };
    const dept = await as("SECTOR_DEPARTMENT", DEMO.department);
    const insurer = await as("INSURER", DEMO.insurer);
    const pub = await as("PUBLIC", null);
    const planned = [
      `{ enterprises(first: 5) { edges { node { uscc policies { policyNo claims { claimRef payments { amount } } } } } } }`,
      // DENIED for a department: null + FORBIDDEN, placed by replay.ts
      `{ enterprises(first: 5) { edges { node { policies { premium baseRate } } } } }`,
      // sensitive, read and audited
      `{ enterprises(first: 5) { edges { node { uscc contactName contactPhone legalRepresentative } } } }`,
      // MASKED claimants, computed in SQL
      `{ enterprises(first: 5) { edges { node { claims { claimants { kind name idNumber injury } } } } } }`,
      // directives and fragments
      `query($s: Boolean!) { enterprises(first: 5) { edges { node { uscc @include(if: $s) name @skip(if: $s) ...F } } } } fragment F on Enterprise { sector ... on Enterprise { status: sector } }`,
    ];
    for (const q of planned) expect(dept(q, { s: true }), q).toBeNull();
    // HANDLER claimants for an insurer, trade secrets it may read
    expect(insurer(`{ enterprises(first: 5) { edges { node { policies { premium claims { claimants { name idNumber } } } } } } }`)).toBeNull();
    // PUBLIC: every root it asks for is DENIED (data null, one FORBIDDEN)
    expect(pub(`{ enterprises(first: 5) { edges { node { uscc } } } }`)).toBeNull();
    expect(pub(`{ e: enterprise(uscc: "x") { uscc } }`)).toBeNull();

    // computed by a resolver
    expect(dept(`{ enterprises(first: 5) { edges { node { mandatory } } } }`)).toMatch(/resolver/);
    expect(dept(`{ enterprises(first: 5) { edges { node { policies { status } } } } }`)).toMatch(/resolver/);
    // not a relation the planner knows
    expect(dept(`{ enterprises(first: 5) { edges { node { accidents { grade } } } } }`)).not.toBeNull();
    expect(dept(`{ enterprises(first: 501) { edges { node { uscc } } } }`)).not.toBeNull();
    expect(dept(`{ enterprises(first: 5, after: "not-a-cursor") { edges { node { uscc } } } }`)).not.toBeNull();
    expect(dept(`{ enterprises(first: 5) { edges { node { uscc @deprecated } } } }`)).toMatch(/directive/);
    expect(dept(`mutation { __typename }`)).toMatch(/not a query/);
  });

  it("a DENIED non-null field nulls its nearest nullable parent; errors in graphql-js's order; the audit entry's keys", async () => {
    // PUBLIC: enterprises is EnterpriseConnection! -> data null, one error at ["enterprises"]
    for (const [role, org, query] of [
      ["PUBLIC", null, `{ a: enterprises(first: 2) { totalCount } b: enterprise(uscc: "${DEMO.enterprise}") { uscc } }`],
      ["SECTOR_DEPARTMENT", DEMO.department, `{ enterprises(first: 7) { edges { node { uscc contactName legalRepresentative policies { policyNo premium claims { claimants { name idNumber } } } } } } }`],
      ["INSURER", DEMO.insurer, `{ enterprises(first: 7) { edges { node { contactPhone policies { premium claims { claimants { name idNumber } } } } } } }`],
    ] as [Role, string | null, string][]) {
      const viaPlan = await plannedResult(database, config, schema, parse(query), {}, await contextFor(role, org));
      expect(viaPlan, query).not.toBeNull();
      const ex = await executed(role, org, query, {});
      expect(ex.result.errors?.length, query).toBeGreaterThan(0);
      expectSame(viaPlan!, ex, query);
      // PGlite answers the loaders' statements in the order sent: there graphql-js's error order is fixed, and the same
      if (!process.env.TEST_DATABASE_URL) expect(viaPlan!.errors!.map((e) => JSON.stringify(e.path))).toEqual(ex.result.errors!.map((e) => JSON.stringify(e.path)));
    }
  });

  it("the masks in SQL equal the resolvers' masks, on awkward text too", async () => {
    const names = ["张三", "欧阳娜娜", "李", "", "   ", " 王五 ", "\u3000赵六\u3000", "\t钱七\n", "𠀀𠀁", "𠀀", "a\u00a0b\u00a0", "\ufeff孙八", "Émile Zola", "x\u2028"];
    for (const n of names) {
      const res = (await database.db.execute(sql`select ${maskNameSql(sql`${n}::text`)} as m`)) as unknown as { rows: { m: string }[] };
      expect(res.rows[0].m, JSON.stringify(n)).toBe(maskName(n));
    }
    for (const id of ["500101199001011234", "50010119900101123X", "1234567", "12345678", "", "ab"]) {
      const res = (await database.db.execute(sql`select ${maskIdNumberSql(sql`${id}::text`)} as m`)) as unknown as { rows: { m: string }[] };
      expect(res.rows[0].m, id).toBe(maskIdNumber(id));
    }
  });
});
