import { execute, getNamedType, isObjectType, parse, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JurisdictionCache } from "../../src/auth/jurisdiction.js";
import { PUBLIC_VIEWER } from "../../src/auth/viewer.js";
import type { Database } from "../../src/db/client.js";
import { DEMO } from "../../src/demo/ids.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { createContext } from "../../src/graphql/context.js";
import { whyNotPlanned, type PlanConfig } from "../../src/graphql/plan/compile.js";
import { plannedData } from "../../src/graphql/plan/plugin.js";
import { RELATIONS } from "../../src/graphql/plan/relations.js";
import { buildHubSchema, planConfigOf } from "../../src/graphql/schema.js";
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

beforeAll(async () => {
  database = await demoDatabase();
  schema = await buildHubSchema();
  config = planConfigOf(schema)!;
  jurisdictions = new JurisdictionCache(database.db);
});

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

function selection(type: GraphQLObjectType, depth: number, r: () => number, likely: Likely): string {
  const fields = Object.values(type.getFields()).filter((f) => !f.args.length);
  const out: string[] = [];
  for (const f of fields) {
    const rel = RELATIONS[`${type.name}.${f.name}`];
    const named = getNamedType(f.type);
    if (rel) {
      if (depth > 0 && r() < 0.4 && isObjectType(named)) out.push(`${f.name} { ${selection(named, depth - 1, r, likely)} }`);
    } else if (!isObjectType(named) && r() < (likely(type.name, f.name) ? 0.45 : 0.01)) {
      // mostly fields the planner can answer for this caller; now and then one it must decline
      // (a resolver's field such as status or mandatory, a field the caller's rules refuse)
      out.push(r() < 0.15 ? `a_${f.name}: ${f.name}` : f.name);
    }
  }
  if (r() < 0.2) out.push("__typename");
  if (!out.length) out.push(Object.keys(type.getFields())[0]);
  return r() < 0.2 ? `... on ${type.name} { ${out.join(" ")} }` : out.join(" ");
}

function generate(n: number, seed: number, likely: Likely): { query: string; variables: Record<string, unknown> }[] {
  const r = rng(seed);
  const enterprise = schema.getType("Enterprise") as GraphQLObjectType;
  const out: { query: string; variables: Record<string, unknown> }[] = [];
  for (let i = 0; i < n; i++) {
    const node = selection(enterprise, 3, r, likely);
    const filters = [undefined, { sectors: ["HAZARDOUS_CHEMICALS", "CONSTRUCTION"] }, { insuredNow: true }, { blacklisted: false, nameContains: "化" }, { regionCode: "500112" }];
    const filter = filters[Math.floor(r() * filters.length)];
    if (r() < 0.25) {
      out.push({ query: `query Q($u: String!) { e: enterprise(uscc: $u) { ${node} } }`, variables: { u: r() < 0.8 ? DEMO.enterprise : "91500000000000000X" } });
      continue;
    }
    const page = r() < 0.5 ? "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }" : "";
    const total = r() < 0.4 ? "totalCount" : "";
    const cursor = r() < 0.5 ? "cursor" : "";
    out.push({
      query: `query Q($first: Int, $filter: EnterpriseFilter) { enterprises(first: $first, filter: $filter) { ${total} ${page} edges { ${cursor} node { ${node} } } } }`,
      variables: { first: [0, 1, 7, 30][Math.floor(r() * 4)], filter },
    });
  }
  return out;
}

describe("the read planner answers exactly as graphql-js does", () => {
  it.each(ROLES)("as %s: generated queries, planned vs executed", { timeout: 120_000 }, async (role, org) => {
    let planned = 0;
    const probe = await contextFor(role, org);
    const likely: Likely = (t, f) => config.plain.has(`${t}.${f}`) && config.allows!(t, f, probe);
    for (const { query, variables } of generate(40, role.length * 7919, likely)) {
      const ctx = await contextFor(role, org);
      const document = parse(query);
      const viaPlan = await plannedData(database, config, schema, document, variables, ctx);
      const executed = await execute({ schema, document, variableValues: variables, contextValue: await contextFor(role, org) });
      if (viaPlan === null) {
        if (process.env.PLAN_WHY) console.log(role, whyNotPlanned(schema, config, document, undefined, variables, ctx));
        continue;
      }
      planned++;
      // a planned answer never hides an error the resolvers would give
      expect(executed.errors, query).toBeUndefined();
      expect(viaPlan, `${query} ${JSON.stringify(variables)}`).toEqual(JSON.parse(JSON.stringify(executed.data)));
    }
    // the planner must actually plan most of what these roles may read (PUBLIC reads no enterprises)
    if (role === "PUBLIC") expect(planned).toBe(0);
    else expect(planned).toBeGreaterThan(5);
  });

  it("pages follow each other through the planned cursors as through the resolvers'", async () => {
    const ctx = await contextFor("COMMITTEE_OFFICE", DEMO.committeeOffice);
    const document = parse(`query Q($after: String) { enterprises(first: 25, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { uscc } } } }`);
    let after: string | null = null;
    let pages = 0;
    do {
      const viaPlan = (await plannedData(database, config, schema, document, { after }, ctx)) as any;
      const executed = await execute({ schema, document, variableValues: { after }, contextValue: await contextFor("COMMITTEE_OFFICE", DEMO.committeeOffice) });
      expect(viaPlan).toEqual(executed.data);
      after = viaPlan.enterprises.pageInfo.hasNextPage ? viaPlan.enterprises.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 5);
    expect(pages).toBe(5);
  });

  it("declines what it cannot answer exactly: refused, audited, computed fields, mutations, bad arguments", async () => {
    const dept = await contextFor("SECTOR_DEPARTMENT", DEMO.department);
    const why = (q: string, v?: Record<string, unknown>) => whyNotPlanned(schema, config, parse(q), undefined, v, dept);
    expect(why(`{ enterprises(first: 5) { edges { node { uscc policies { policyNo claims { claimRef payments { amount } } } } } } }`)).toBeNull();
    // a department may not read premiums (trade secret): the resolvers answer null + FORBIDDEN
    expect(why(`{ enterprises(first: 5) { edges { node { policies { premium } } } } }`)).toMatch(/rule/);
    // computed by a resolver
    expect(why(`{ enterprises(first: 5) { edges { node { mandatory } } } }`)).toMatch(/resolver/);
    expect(why(`{ enterprises(first: 5) { edges { node { policies { status } } } } }`)).toMatch(/resolver/);
    // not a relation the planner knows
    expect(why(`{ enterprises(first: 5) { edges { node { accidents { grade } } } } }`)).not.toBeNull();
    expect(why(`{ enterprises(first: 501) { edges { node { uscc } } } }`)).not.toBeNull();
    expect(why(`{ enterprises(first: 5, after: "not-a-cursor") { edges { node { uscc } } } }`)).not.toBeNull();
    expect(why(`query($s: Boolean!) { enterprises(first: 5) { edges { node { uscc @include(if: $s) } } } }`, { s: true })).toMatch(/directive/);
    expect(why(`mutation { __typename }`)).toMatch(/not a query/);
  });
});
