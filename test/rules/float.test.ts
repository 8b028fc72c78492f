import { describe, expect, it } from "vitest";
import { rateFloatBand, type AccidentRecord } from "../../src/rules/float.js";
import { effectiveRules } from "../../src/rules/profiles.js";

const cst = (s: string) => new Date(`${s}T12:00:00+08:00`);
const chongqing = effectiveRules("500103");
const asOf = cst("2025-06-30");
const band = (accidents: AccidentRecord[], extra: { unrectifiedMajorHazards?: number; recordsSince?: Date } = {}) =>
  rateFloatBand(chongqing, { accidents, asOf, unrectifiedMajorHazards: extra.unrectifiedMajorHazards ?? 0, recordsSince: extra.recordsSince });

describe("rate float band (渝府办发〔2017〕182号 二(五))", () => {
  it("normal ±40% with a recent general accident", () => {
    const b = band([{ occurredAt: cst("2024-09-01"), grade: "GENERAL", deaths: 0 }]);
    expect([b.min, b.max]).toEqual(["-0.40", "0.40"]);
    expect(b.source).toBe("渝府办发〔2017〕182号 二(五)");
  });
  it("up to +150% after a 较大 accident within the year", () => {
    const b = band([{ occurredAt: cst("2024-07-01"), grade: "LARGER", deaths: 3 }]);
    expect([b.min, b.max]).toEqual(["-0.40", "1.50"]);
  });
  it("a 较大 accident more than a year ago no longer raises the ceiling", () => {
    const b = band([{ occurredAt: cst("2024-06-29"), grade: "MAJOR", deaths: 12 }]);
    expect(b.max).toBe("0.40");
  });
  it("up to +150% after fatal accidents in 2 consecutive years", () => {
    expect(band([{ occurredAt: cst("2023-03-01"), grade: "GENERAL", deaths: 1 }, { occurredAt: cst("2024-01-10"), grade: "GENERAL", deaths: 1 }]).max).toBe("1.50");
    expect(band([{ occurredAt: cst("2024-03-01"), grade: "GENERAL", deaths: 1 }, { occurredAt: cst("2025-01-10"), grade: "GENERAL", deaths: 2 }]).max).toBe("1.50");
    // 2022 and 2024 are not consecutive
    expect(band([{ occurredAt: cst("2022-03-01"), grade: "GENERAL", deaths: 1 }, { occurredAt: cst("2024-01-10"), grade: "GENERAL", deaths: 1 }]).max).toBe("0.40");
    // non-fatal accidents do not count
    expect(band([{ occurredAt: cst("2023-03-01"), grade: "GENERAL", deaths: 0 }, { occurredAt: cst("2024-01-10"), grade: "GENERAL", deaths: 1 }]).max).toBe("0.40");
  });
  it("deeper discount after 3 accident-free years", () => {
    const b = band([{ occurredAt: cst("2022-06-29"), grade: "GENERAL", deaths: 0 }]);
    expect([b.min, b.max]).toEqual([null, "0.40"]);
    expect(band([{ occurredAt: cst("2022-07-01"), grade: "GENERAL", deaths: 0 }]).min).toBe("-0.40");
    expect(band([], { recordsSince: cst("2023-01-01") }).min).toBe("-0.40"); // record too short
    expect(band([], { recordsSince: cst("2020-01-01") }).min).toBeNull();
  });
  it("ignores accidents after asOf", () => {
    expect(band([{ occurredAt: cst("2025-07-01"), grade: "EXTRAORDINARY", deaths: 40 }]).min).toBeNull();
  });
  it("an unrectified major hazard allows a raise and closes the deeper discount", () => {
    const b = band([], { unrectifiedMajorHazards: 1 });
    expect([b.min, b.max, b.hazardSurchargeAllowed]).toEqual(["-0.40", "0.40", true]);
    expect(b.source).toContain("渝府办发〔2017〕182号 二(八)");
  });
  it("no band where no profile sets one", () => {
    const b = rateFloatBand(effectiveRules("411025"), { accidents: [], asOf, unrectifiedMajorHazards: 2 });
    expect([b.min, b.max, b.hazardSurchargeAllowed]).toEqual([null, null, false]);
    const xm = rateFloatBand(effectiveRules("350200"), { accidents: [], asOf, unrectifiedMajorHazards: 1 });
    expect([xm.min, xm.max, xm.hazardSurchargeAllowed, xm.source]).toEqual([null, null, true, "厦应急规〔2022〕2号 二(六)"]);
  });
});
