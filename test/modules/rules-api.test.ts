import { describe, expect, it } from "vitest";
import { F } from "../support/fixture.js";
import { ok } from "../support/graphql.js";
import { useFixtureDatabase } from "../support/hooks.js";
import { accidents } from "../../schema/index.js";

const t = useFixtureDatabase();

const Q = `query($r: String!) { ruleProfile(regionCode: $r) { regionCode profiles rules { key value sources } } }`;
const rule = (d: any, key: string) => d.ruleProfile.rules.find((r: any) => r.key === key);

describe("ruleProfile", () => {
  it("Chongqing: the national 400,000 death limit beats the local 300,000, and the local 10% fund floor applies", async () => {
    const d = ok(await t.run("SECTOR_DEPARTMENT", "500000-EMERGENCY", Q, { r: "500112" }));
    expect(d.ruleProfile.profiles).toEqual(["NATIONAL", "CHONGQING"]);
    expect(JSON.parse(rule(d, "minDeathLimitPerPerson").value)).toBe("400000.00");
    expect(rule(d, "minDeathLimitPerPerson").sources.join()).toContain("应急〔2025〕27号 第十五条");
    expect(rule(d, "preventionRatioFloor").sources.join()).toContain("渝府办发〔2017〕182号");
  });

  it("Xiamen: prevention spending between 20% and 21%", async () => {
    const d = ok(await t.run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", Q, { r: "350203" }));
    expect(JSON.parse(rule(d, "preventionRatioFloor").value)).toBe("0.20");
    expect(JSON.parse(rule(d, "preventionRatioCap").value)).toBe("0.21");
  });

  it("an unknown or malformed region is refused", async () => {
    expect((await t.run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", Q, { r: "12" })).errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "regionCode" });
    expect((await t.run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", Q, { r: "500199" })).errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });

  it("the rate-float band widens to +150% after a 较大 accident in Chongqing", async () => {
    const q = `{ enterprise(uscc: "${F.chemicals}") { rateFloatBand { min max } } }`;
    expect(ok(await t.run("SECTOR_DEPARTMENT", "500000-EMERGENCY", q)).enterprise.rateFloatBand).toEqual({ min: "-0.40", max: "0.40" });
    await t.database.db.insert(accidents).values({ enterpriseUscc: F.chemicals, occurredAt: new Date(Date.now() - 30 * 86400_000), deaths: 3, seriousInjuries: 0, directLoss: "0", grade: "LARGER" });
    expect(ok(await t.run("SECTOR_DEPARTMENT", "500000-EMERGENCY", q)).enterprise.rateFloatBand.max).toBe("1.50");
  });
});
