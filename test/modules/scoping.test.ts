import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { DEMO } from "../../src/demo/ids.js";
import { asRole, ok } from "../support/graphql.js";
import { demoDatabase } from "../support/demo.js";

let database: Database;
let run: ReturnType<typeof asRole>;
const count = async (q: ReturnType<typeof sql>) => Number(((await database.db.execute(q)) as any).rows[0].n);

beforeAll(async () => {
  database = await demoDatabase();
  run = asRole(database);
});
afterAll(() => database?.close());

const ENTERPRISES = `query($first: Int, $after: String, $filter: EnterpriseFilter) {
  enterprises(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { uscc regionCode sector } } }
}`;

async function allEnterprises(role: Parameters<typeof run>[0], org: string, filter?: object) {
  const out: { uscc: string; regionCode: string; sector: string }[] = [];
  let after: string | null = null;
  let total = 0;
  do {
    const d: any = ok(await run(role, org, ENTERPRISES, { first: 500, after, filter }));
    total = d.enterprises.totalCount;
    out.push(...d.enterprises.edges.map((e: any) => e.node));
    after = d.enterprises.pageInfo.hasNextPage ? d.enterprises.pageInfo.endCursor : null;
  } while (after);
  expect(out.length).toBe(total);
  return out;
}

describe("row scoping on the demo data", () => {
  it("a committee office sees exactly its region subtree, every sector", async () => {
    const rows = await allEnterprises("COMMITTEE_OFFICE", DEMO.committeeOffice);
    expect(rows.length).toBe(await count(sql`select count(*) n from enterprises where region_code like '50%'`));
    expect(rows.every((r) => r.regionCode.startsWith("50"))).toBe(true);
    expect(new Set(rows.map((r) => r.sector)).size).toBeGreaterThan(5);
  });

  it("a sector department sees only its sectors inside its region", async () => {
    const rows = await allEnterprises("SECTOR_DEPARTMENT", DEMO.department);
    const expected = await count(sql`select count(*) n from enterprises e join agency_sectors s on s.sector = e.sector
      where s.agency_id = ${DEMO.department} and e.region_code like '50%'`);
    expect(rows.length).toBe(expected);
    expect(rows.length).toBeGreaterThan(0);
    const sectors = (await database.db.execute(sql`select sector from agency_sectors where agency_id = ${DEMO.department}`)) as any;
    const allowed = new Set(sectors.rows.map((r: any) => r.sector));
    expect(rows.every((r) => allowed.has(r.sector) && r.regionCode.startsWith("50"))).toBe(true);
  });

  it("a sector department cannot reach another sector's enterprise by key, filter or nesting", async () => {
    const [other] = ((await database.db.execute(sql`select e.uscc from enterprises e where e.region_code like '50%'
      and e.sector not in (select sector from agency_sectors where agency_id = ${DEMO.department}) limit 1`)) as any).rows;
    const d: any = ok(await run("SECTOR_DEPARTMENT", DEMO.department, `query($u: String!) { enterprise(uscc: $u) { uscc } claims(filter: { enterpriseUscc: $u }) { totalCount } }`, { u: other.uscc }));
    expect(d.enterprise).toBeNull();
    expect(d.claims.totalCount).toBe(0);
  });

  it("an insurer sees only policies it underwrites and the enterprises they insure", async () => {
    const d: any = ok(await run("INSURER", DEMO.insurer, `{ policies(first: 500) { totalCount edges { node { id coinsurers { insurerUscc } insuredEnterprises { enterpriseUscc } } } } }`));
    expect(d.policies.totalCount).toBe(await count(sql`select count(distinct policy_id) n from policy_coinsurers where insurer_uscc = ${DEMO.insurer}`));
    for (const e of d.policies.edges) expect(e.node.coinsurers.map((c: any) => c.insurerUscc)).toContain(DEMO.insurer);
    const rows = await allEnterprises("INSURER", DEMO.insurer);
    expect(rows.length).toBe(await count(sql`select count(distinct pe.enterprise_uscc) n from policy_enterprises pe join policy_coinsurers pc on pc.policy_id = pe.policy_id where pc.insurer_uscc = ${DEMO.insurer}`));
  });

  it("an insurer cannot read a competitor's policy by guessing its key", async () => {
    const [other] = ((await database.db.execute(sql`select p.insurer_uscc, p.policy_no from policies p
      where not exists (select 1 from policy_coinsurers c where c.policy_id = p.id and c.insurer_uscc = ${DEMO.insurer}) limit 1`)) as any).rows;
    const d: any = ok(await run("INSURER", DEMO.insurer, `query($i: String!, $n: String!) { policy(insurerId: $i, policyNo: $n) { id } }`, { i: other.insurer_uscc, n: other.policy_no }));
    expect(d.policy).toBeNull();
    const mine: any = ok(await run("INSURER", other.insurer_uscc, `query($i: String!, $n: String!) { policy(insurerId: $i, policyNo: $n) { policyNo } }`, { i: other.insurer_uscc, n: other.policy_no }));
    expect(mine.policy.policyNo).toBe(other.policy_no);
  });

  it("an enterprise sees itself and nothing else", async () => {
    const rows = await allEnterprises("ENTERPRISE", DEMO.enterprise);
    expect(rows.map((r) => r.uscc)).toEqual([DEMO.enterprise]);
    const d: any = ok(await run("ENTERPRISE", DEMO.enterprise, `{ policies(first: 500) { edges { node { insuredEnterprises { enterpriseUscc } } } } }`));
    expect(d.policies.edges.length).toBeGreaterThan(0);
    for (const e of d.policies.edges) expect(e.node.insuredEnterprises.map((i: any) => i.enterpriseUscc)).toEqual([DEMO.enterprise]);
  });

  it("a service org sees only policies that name it", async () => {
    const d: any = ok(await run("SERVICE_ORG", DEMO.serviceOrg, `{ policies(first: 500) { totalCount edges { node { serviceOrgs { uscc } } } } }`));
    expect(d.policies.totalCount).toBe(await count(sql`select count(*) n from policy_service_orgs where service_org_uscc = ${DEMO.serviceOrg}`));
    expect(d.policies.totalCount).toBeGreaterThan(0);
    for (const e of d.policies.edges) expect(e.node.serviceOrgs.map((o: any) => o.uscc)).toContain(DEMO.serviceOrg);
  });

  it("PUBLIC reads nothing but its own viewer", async () => {
    const r = await run("PUBLIC", null, `{ enterprises { totalCount } }`);
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(ok(await run("PUBLIC", null, `{ viewer { role } }`)).viewer.role).toBe("PUBLIC");
  });

  it("the region filter narrows to a subtree, and mandatory/insuredNow filters agree with the fields", async () => {
    const rows = await allEnterprises("COMMITTEE_OFFICE", DEMO.committeeOffice, { regionCode: "500112" });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.regionCode.startsWith("500112"))).toBe(true);
    const d: any = ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, `{
      yes: enterprises(first: 200, filter: { mandatory: true, insuredNow: false }) { totalCount edges { node { mandatory insuredNow } } }
      no: enterprises(first: 200, filter: { mandatory: false }) { totalCount edges { node { mandatory } } }
      all: enterprises { totalCount } }`));
    expect(d.yes.edges.every((e: any) => e.node.mandatory && !e.node.insuredNow)).toBe(true);
    expect(d.no.edges.every((e: any) => !e.node.mandatory)).toBe(true);
    expect(d.yes.totalCount).toBeGreaterThan(0);
  });
});
