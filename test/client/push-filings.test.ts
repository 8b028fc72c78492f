import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../src/auth/token.js";
import { filingsFromCsv, pushFilings, type Filing } from "../../src/client/push-filings.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { startHttpServer, type HttpServer } from "../../src/http/server.js";
import { enterprises } from "../../schema/index.js";
import { freshDatabase } from "../support/db.js";
import { F, goodPolicy, loadFixture, uscc } from "../support/fixture.js";

let database: Database;
let server: HttpServer;
let token: string;
const ENTERPRISES = Array.from({ length: 200 }, (_, i) => uscc("500112", 1000 + i));

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  await database.db.insert(enterprises).values(
    ENTERPRISES.map((u, i) => ({ uscc: u, name: `批量企业${i}`, regionCode: "500112", sector: "HAZARDOUS_CHEMICALS", industryCode: "C2614", employeeCount: 50 })),
  );
  const config = loadConfig({});
  server = await startHttpServer({ config, database, schema: await buildHubSchema(), port: 0 });
  token = await signToken(config.jwtSecret, { sub: "core-system", role: "INSURER", org: F.insurerA }, "1h");
}, 120_000);
afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** 1,000 filings: 200 enterprises × 5 policy years, every 100th one malformed, every 7th non-compliant. */
function filings(): Filing[] {
  return Array.from({ length: 1000 }, (_, i) => {
    const year = 2020 + (i % 5);
    const e = ENTERPRISES[Math.floor(i / 5)];
    const f: Filing = { ...goodPolicy(`PUSH-${i}`, e, 50), startAt: `${year}-01-01T00:00:00+08:00`, endAt: `${year + 1}-01-01T00:00:00+08:00` };
    if (i % 7 === 0) f.commissionRatio = "0.0900";
    if (i % 100 === 99) f.premium = "12.345";
    return f;
  });
}

describe("the insurer client example", () => {
  it("pushes 1,000 filings twice through a flaky network: each stored once, malformed ones rejected with field errors and no trace", async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 2) throw new TypeError("fetch failed: ECONNRESET");
      return fetch(input, init);
    };
    const first = await pushFilings(filings(), { url: server.url, token, batchSize: 500, fetch: flaky, backoffMs: 10 });
    expect(first.accepted).toBe(990);
    expect(first.rejected).toHaveLength(10);
    expect(first.rejected[0]).toMatchObject({ policyNo: "PUSH-99", code: "BAD_USER_INPUT", errors: [{ field: "inputs[99].input.premium", rule: "money:2dp" }] });
    expect(first.findings).toBe(990 / 7 > 0 ? filings().filter((f, i) => i % 7 === 0 && i % 100 !== 99).length : 0);

    const second = await pushFilings(filings(), { url: server.url, token, batchSize: 500, backoffMs: 10 });
    expect(second.accepted).toBe(990);
    expect(second.replayed).toBe(990);
    const n = ((await database.db.execute(sql`select count(*)::int n, count(distinct policy_no)::int d from policies where policy_no like 'PUSH-%'`)) as any).rows[0];
    expect(n).toEqual({ n: 990, d: 990 });
    const bad = ((await database.db.execute(sql`select count(*)::int n from policies where policy_no in ('PUSH-99', 'PUSH-199')`)) as any).rows[0];
    expect(bad.n).toBe(0);
  }, 180_000);

  it("reads filings from CSV, rows sharing a policy number forming one group policy", () => {
    const csv = [
      "policyNo,enterpriseUscc,insuredHeadcount,startAt,endAt,premium,baseRate,rateFloat,commissionRatio,preventionFundRatio,deathLimitPerPerson,coverageItems,coinsurers",
      `G-1,${ENTERPRISES[0]},50,2026-01-01T00:00:00+08:00,2027-01-01T00:00:00+08:00,1000.00,0.002,0,0.03,0.2,500000,"EMPLOYEE_INJURY_DEATH;RESCUE",${F.insurerA}:0.6;${F.insurerB}:0.4`,
      `G-1,${ENTERPRISES[1]},40,2026-01-01T00:00:00+08:00,2027-01-01T00:00:00+08:00,1000.00,0.002,0,0.03,0.2,500000,"EMPLOYEE_INJURY_DEATH;RESCUE",${F.insurerA}:0.6;${F.insurerB}:0.4`,
    ].join("\n");
    const [g] = filingsFromCsv(csv);
    expect(g.insuredEnterprises).toEqual([{ uscc: ENTERPRISES[0], insuredHeadcount: 50 }, { uscc: ENTERPRISES[1], insuredHeadcount: 40 }]);
    expect(g.coverageItems).toEqual(["EMPLOYEE_INJURY_DEATH", "RESCUE"]);
    expect(g.coinsurers).toEqual([{ insurerUscc: F.insurerA, share: "0.6" }, { insurerUscc: F.insurerB, share: "0.4" }]);
  });
});
