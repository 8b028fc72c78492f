import { describe, expect, it } from "vitest";
import { compareDecimal, effectiveRules, isMandatory, mandatoryBasis, PROFILES, profilesFor, type RuleProfile } from "../../src/rules/profiles.js";

describe("profiles as data", () => {
  it("every value carries a source", () => {
    for (const p of PROFILES) {
      for (const [k, v] of Object.entries(p)) {
        if (v && typeof v === "object" && "value" in v) expect((v as { source: string }).source, `${p.id}.${k}`).toMatch(/\S/);
      }
    }
  });
});

describe("effectiveRules", () => {
  it("a Xiangcheng township inherits national, Henan and Xiangcheng", () => {
    const r = effectiveRules("411025100");
    expect(r.profiles).toEqual(["NATIONAL", "HENAN", "XIANGCHENG"]);
    expect(r.publishPureLossRate).toEqual({ value: true, sources: ["《河南省推进安全生产责任保险工作实施意见》 四(三)"] });
    expect(r.minDeathLimitPerPerson).toEqual({ value: "400000.00", sources: ["应急〔2025〕27号 第十五条"] });
    // fishery: national and Henan name it, Xiangcheng does not
    expect(r.mandatorySectors.sourcesOf.FISHERY).toEqual(["应急〔2025〕27号 第二条", "《河南省推进安全生产责任保险工作实施意见》 三"]);
    expect(r.mandatorySectors.sourcesOf.CONSTRUCTION).toContain("襄安委〔2024〕6号 二(一)");
    expect(r.sectorAgencies?.value.COAL_MINE).toEqual(["INDUSTRY"]);
    expect(r.lapseGraceDays?.sources).toEqual(["应急〔2025〕27号 第十六条", "襄安委〔2024〕6号 二(二)"]);
  });

  it("another Henan county gets Henan but not Xiangcheng", () => {
    expect(effectiveRules("411002").profiles).toEqual(["NATIONAL", "HENAN"]);
    expect(effectiveRules("411000").profiles).toEqual(["NATIONAL", "HENAN"]);
  });

  it("Chongqing's 30万 death limit loses to the national 40万", () => {
    const r = effectiveRules("500103");
    expect(r.profiles).toEqual(["NATIONAL", "CHONGQING"]);
    expect(r.minDeathLimitPerPerson).toEqual({ value: "400000.00", sources: ["应急〔2025〕27号 第十五条"] });
    expect(r.preventionRatioFloor).toEqual({ value: "0.10", sources: ["渝府办发〔2017〕182号 二(九)"] });
    expect(r.reportDueDays?.value).toBe(15);
    expect(r.rateFloatBand?.value).toEqual({ normal: ["-0.40", "0.40"], afterSeriousAccident: "1.50", accidentFreeYearsForDeeperDiscount: 3 });
  });

  it("Xiamen: prevention spending between 20% and 21%, construction and fishery follow the period", () => {
    const r = effectiveRules("350203");
    expect(r.preventionRatioFloor).toEqual({ value: "0.20", sources: ["厦应急规〔2022〕2号 二(七)"] });
    expect(r.preventionRatioCap).toEqual({ value: "0.21", sources: ["应急厅函〔2024〕322号"] });
    expect(r.maxCommissionRatio?.value).toBe("0.05");
    expect(r.termMonths?.value.months).toBe(12);
    expect(r.termMonths?.value.exemptSectors).toEqual(["CONSTRUCTION", "FISHERY"]);
    expect(r.termMonths?.value.exemptTags).toEqual(["SEASONAL"]);
    expect(r.sectorAgencies?.value.FISHERY).toEqual(["OCEAN"]);
    expect(r.rateFloatBand).toBeUndefined();
  });

  it("Yueqing: risk tags make an enterprise mandatory", () => {
    const r = effectiveRules("330382001");
    expect(r.profiles).toEqual(["NATIONAL", "YUEQING"]);
    for (const t of ["RECENT_FATAL_ACCIDENT", "TOP20_WORK_INJURY", "AMMONIA_REFRIGERATION", "SHIPBUILDING", "DUST_EXPLOSION", "SPRAY_PAINTING", "CONFINED_SPACE", "FIREWORKS_RETAIL"]) {
      expect(isMandatory(r, { sector: "OTHER", riskTags: [t] }), t).toBe(true);
    }
    expect(isMandatory(r, { sector: "OTHER", riskTags: ["SEASONAL"] })).toBe(false);
    expect(isMandatory(r, { sector: null, riskTags: [] })).toBe(false);
    expect(r.targets?.value).toEqual({ coverageRate: "1.00", employeeCoverageRate: "1.00", serviceRate: "1.00" });
    // the same law cited twice keeps both documents
    expect(r.penalty?.value.first).toEqual(["50000.00", "100000.00"]);
    expect(r.penalty?.sources).toHaveLength(2);
  });

  it("tags are not mandatory outside Yueqing; national sectors are mandatory everywhere", () => {
    const henan = effectiveRules("410100");
    expect(isMandatory(henan, { sector: "OTHER", riskTags: ["SPRAY_PAINTING"] })).toBe(false);
    expect(isMandatory(henan, { sector: "FISHERY" })).toBe(true);
    expect(mandatoryBasis(effectiveRules("110101"), { sector: "RAIL_TRANSIT" })).toEqual(["应急〔2025〕27号 第二条"]);
    expect(isMandatory(effectiveRules("110101"), { sector: "FUEL_RETAIL" })).toBe(false);
    expect(isMandatory(effectiveRules("500101"), { sector: "FUEL_RETAIL" })).toBe(true);
    expect(isMandatory(henan, { sector: "OTHER", riskTags: ["constructor"] })).toBe(false);
  });

  it("stricter wins for caps and floors from any level", () => {
    const extra: RuleProfile[] = [
      ...PROFILES,
      { id: "T", regionCode: "411025", name: "t", document: "t", maxCommissionRatio: { value: "0.03", source: "T1" }, preventionRatioCap: { value: "0.25", source: "T2" }, minDeathLimitPerPerson: { value: "500000", source: "T3" } },
    ];
    const r = effectiveRules("411025", extra);
    expect(r.maxCommissionRatio).toEqual({ value: "0.03", sources: ["T1"] });
    expect(r.preventionRatioCap?.value).toBe("0.21");
    expect(r.minDeathLimitPerPerson).toEqual({ value: "500000", sources: ["T3"] });
  });

  it("rejects malformed region codes", () => {
    expect(() => profilesFor("41")).toThrow(RangeError);
    expect(() => effectiveRules("4110251")).toThrow(RangeError);
  });

  it("compares decimals exactly", () => {
    expect(compareDecimal("0.2", "0.20")).toBe(0);
    expect(compareDecimal("-0.40", "0.4")).toBe(-1);
    expect(compareDecimal("400000.00", "300000")).toBe(1);
    expect(compareDecimal("0.30000000000000001", "0.3")).toBe(1);
  });
});
