import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { F, goodPolicy, uscc } from "../support/fixture.js";
import { ok } from "../support/graphql.js";
import { useFixtureDatabase } from "../support/hooks.js";

const t = useFixtureDatabase();

const UPSERT = `mutation($inputs: [EnterpriseInput!]!, $key: String!) { upsertEnterprises(inputs: $inputs, idempotencyKey: $key) { uscc accepted created errorCode errors { field rule } } }`;
const row = (u: string, over: object = {}) => ({ uscc: u, name: "新建化工有限公司", regionCode: "500112", industryCode: "C2614", employeeCount: 20, status: "OPERATING", ...over });

describe("upsertEnterprises", () => {
  it("creates and updates rows inside the department's sectors and region, rejecting the rest row by row", async () => {
    const fresh = uscc("500112", 50);
    const d = ok(
      await t.run("SECTOR_DEPARTMENT", "500000-EMERGENCY", UPSERT, {
        key: "u-1",
        inputs: [
          row(fresh),
          row(uscc("500112", 51), { industryCode: "E4710" }), // construction: not an emergency-bureau sector
          row(uscc("350203", 52), { regionCode: "350203" }), // Xiamen: outside Chongqing
          row(fresh.slice(0, 17) + (fresh[17] === "0" ? "1" : "0")), // bad check digit
          row(uscc("500112", 53), { regionCode: "500199" }), // unknown region
        ],
      }),
    );
    expect(d.upsertEnterprises.map((r: any) => [r.accepted, r.errorCode])).toEqual([
      [true, null], [false, "FORBIDDEN"], [false, "FORBIDDEN"], [false, "BAD_USER_INPUT"], [false, "BAD_USER_INPUT"],
    ]);
    expect(d.upsertEnterprises[3].errors[0]).toEqual({ field: "inputs[3].uscc", rule: "uscc:check_digit" });
    expect(d.upsertEnterprises[4].errors[0]).toEqual({ field: "inputs[4].regionCode", rule: "known-region" });
    const [e] = ((await t.database.db.execute(sql`select sector from enterprises where uscc = ${fresh}`)) as any).rows;
    expect(e.sector).toBe("HAZARDOUS_CHEMICALS"); // derived from C2614
    expect(Number(((await t.database.db.execute(sql`select count(*) n from enterprises`)) as any).rows[0].n)).toBe(5);
  });

  it("raising the employee count re-checks the enterprise's policies", async () => {
    ok(await t.run("INSURER", F.insurerA, `mutation($i: PolicyInput!) { filePolicy(input: $i, idempotencyKey: "p") { accepted } }`, { i: goodPolicy("P-E", F.chemicals, 100) }));
    const d = ok(await t.run("SECTOR_DEPARTMENT", "500000-EMERGENCY", UPSERT, { key: "u-2", inputs: [row(F.chemicals, { employeeCount: 120 })] }));
    expect(d.upsertEnterprises[0]).toMatchObject({ accepted: true, created: false });
    const f = ok(await t.run("SECTOR_DEPARTMENT", "500000-EMERGENCY", `{ enterprise(uscc: "${F.chemicals}") { employeeCount openFindings { ruleCode } } }`));
    expect(f.enterprise.employeeCount).toBe(120);
    expect(f.enterprise.openFindings.map((x: any) => x.ruleCode)).toContain("HEADCOUNT_BELOW_EMPLOYEES");
  });

  it("an insurer cannot maintain enterprise data", async () => {
    const r = await t.run("INSURER", F.insurerA, UPSERT, { key: "u-3", inputs: [row(uscc("500112", 60))] });
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });
});
