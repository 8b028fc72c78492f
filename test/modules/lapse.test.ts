import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sweepLapses } from "../../src/modules/compliance/sweeps.js";
import { F, goodPolicy } from "../support/fixture.js";
import { ok } from "../support/graphql.js";
import { useFixtureDatabase } from "../support/hooks.js";

const t = useFixtureDatabase();

const FILE = `mutation($i: PolicyInput!, $k: String!) { filePolicy(input: $i, idempotencyKey: $k) { accepted } }`;
const open = async () =>
  ((await t.database.db.execute(sql`select subject_key from compliance_findings where rule_code = 'LAPSED' and status = 'OPEN' order by 1`)) as any).rows.map((r: any) => r.subject_key);

describe("lapse sweep", () => {
  it("flags a mandatory operating enterprise whose cover ended, and resolves it once it renews", async () => {
    const y2025 = { startAt: "2025-01-01T00:00:00+08:00", endAt: "2026-01-01T00:00:00+08:00" };
    ok(await t.run("INSURER", F.insurerA, FILE, { i: { ...goodPolicy("L-1", F.construction, 40), ...y2025 }, k: "l-1" }));
    ok(await t.run("INSURER", F.insurerA, FILE, { i: { ...goodPolicy("L-2", F.closed, 10), ...y2025 }, k: "l-2" }));
    // still covered on the last day of the period
    expect(await sweepLapses(t.database.db, new Date("2025-12-31T23:59:59+08:00"))).toBe(0);
    // the day after: construction lapsed; the closed enterprise is exempt
    expect(await sweepLapses(t.database.db, new Date("2026-01-01T00:00:00+08:00"))).toBe(1);
    expect(await open()).toEqual([F.construction]);
    ok(await t.run("INSURER", F.insurerA, FILE, { i: { ...goodPolicy("L-3", F.construction, 40), startAt: "2026-02-01T00:00:00+08:00", endAt: "2027-02-01T00:00:00+08:00" }, k: "l-3" }));
    expect(await sweepLapses(t.database.db, new Date("2026-03-01T00:00:00+08:00"))).toBe(0);
    expect(await open()).toEqual([]);
  });
});
