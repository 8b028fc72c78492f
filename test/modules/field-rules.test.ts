import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { DEMO } from "../../src/demo/ids.js";
import { asRole, ok } from "../support/graphql.js";
import { demoDatabase } from "../support/demo.js";

let database: Database;
let run: ReturnType<typeof asRole>;

beforeAll(async () => {
  database = await demoDatabase();
  run = asRole(database);
});
afterAll(() => database?.close());

const POLICY = `query { enterprise(uscc: "${"$U"}") { policies { premium baseRate commissionRatio insuredHeadcount } } }`;

describe("field rules", () => {
  it("premiums and rates: the insurer, the regulator, the committee office and the enterprise read them; a department gets null + FORBIDDEN", async () => {
    const q = POLICY.replace("$U", DEMO.enterprise);
    for (const [role, org] of [["INSURER", DEMO.insurer], ["FINANCIAL_REGULATOR", DEMO.financialRegulator], ["COMMITTEE_OFFICE", DEMO.committeeOffice], ["ENTERPRISE", DEMO.enterprise]] as const) {
      const d = ok(await run(role, org, q));
      expect(d.enterprise.policies.length, role).toBeGreaterThan(0);
      expect(d.enterprise.policies[0].premium, role).toMatch(/^\d+\.\d{2}$/);
    }
    const r = await run("SECTOR_DEPARTMENT", DEMO.department, q);
    expect(r.data!.enterprise.policies[0].premium).toBeNull();
    expect(r.data!.enterprise.policies[0].insuredHeadcount).toBeGreaterThan(0);
    const codes = new Set(r.errors!.map((e) => e.extensions?.code));
    expect([...codes]).toEqual(["FORBIDDEN"]);
    expect([...new Set(r.errors!.map((e) => e.path!.at(-1)))].sort()).toEqual(["baseRate", "commissionRatio", "premium"]);
  });

  it("contact details only for the supervising agencies and the enterprise itself", async () => {
    const q = `{ enterprise(uscc: "${DEMO.enterprise}") { name contactPhone } }`;
    expect(ok(await run("SECTOR_DEPARTMENT", DEMO.department, q)).enterprise.contactPhone).toBeTruthy();
    expect(ok(await run("ENTERPRISE", DEMO.enterprise, q)).enterprise.contactPhone).toBeTruthy();
    const r = await run("INSURER", DEMO.insurer, q);
    expect(r.data!.enterprise.name).toBeTruthy();
    expect(r.data!.enterprise.contactPhone).toBeNull();
    expect(r.errors![0].extensions?.code).toBe("FORBIDDEN");
  });

  it("claimants' names and ID numbers are whole only for the handling insurer", async () => {
    const q = `{ enterprise(uscc: "${DEMO.enterprise}") { claims { insurerUscc claimants { name idNumber } } } }`;
    const mine = ok(await run("INSURER", DEMO.insurer, q)).enterprise.claims.filter((c: any) => c.insurerUscc === DEMO.insurer && c.claimants.length);
    expect(mine.length).toBeGreaterThan(0);
    const [stored] = ((await database.db.execute(sql`select c.name, c.id_number from claimants c join claims k on k.id = c.claim_id
      where k.enterprise_uscc = ${DEMO.enterprise} and k.insurer_uscc = ${DEMO.insurer} order by c.id limit 1`)) as any).rows;
    const all = mine.flatMap((c: any) => c.claimants);
    expect(all).toContainEqual({ name: stored.name, idNumber: stored.id_number });
    const masked = ok(await run("SECTOR_DEPARTMENT", DEMO.department, q)).enterprise.claims.flatMap((c: any) => c.claimants);
    expect(masked.length).toBe(all.length);
    for (const c of masked) {
      expect(c.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
      expect(c.name).toMatch(/^.\*+$/u);
    }
  });

  it("fund amounts are trade secrets", async () => {
    const q = `{ enterprise(uscc: "${DEMO.enterprise}") { policies { fundEntries { kind amount } } } }`;
    const d = ok(await run("FINANCIAL_REGULATOR", DEMO.financialRegulator, q));
    expect(d.enterprise.policies.flatMap((p: any) => p.fundEntries)[0].amount).toMatch(/^\d+\.\d{2}$/);
    const r = await run("SECTOR_DEPARTMENT", DEMO.department, q);
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });
});

describe("nested reads are batched", () => {
  const NESTED = `query($n: Int) { enterprises(first: $n, filter: { insuredNow: true }) { edges { node { uscc name
    policies { policyNo claims { status payments { amount } } preventionServices { kind hazards { severity } } } } } } }`;

  it("50 enterprises with policies, claims and services cost a bounded number of statements, whatever the page size", async () => {
    const measure = async (n: number) => {
      const before = database.stats.statements;
      const d = ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, NESTED, { n }));
      return { statements: database.stats.statements - before, d };
    };
    await measure(1); // warm the jurisdiction cache
    const large = await measure(50);
    const larger = await measure(200);
    expect(large.d.enterprises.edges.length).toBe(50);
    const policies = large.d.enterprises.edges.flatMap((e: any) => e.node.policies);
    expect(policies.flatMap((p: any) => p.claims).length).toBeGreaterThan(0);
    expect(policies.flatMap((p: any) => p.preventionServices).length).toBeGreaterThan(50);
    // enterprises, policies, claims with their payments (json_agg), services with their hazards
    expect(large.statements).toBe(4);
    expect(larger.statements).toBe(4);
  });

  it("enterprises → policies → claims and services costs at most 5 statements", async () => {
    const before = database.stats.statements;
    ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, `{ enterprises(first: 50) { totalCount edges { node { policies { claims { status } preventionServices { kind } } } } } }`));
    expect(database.stats.statements - before).toBeLessThanOrEqual(5);
  });
});
