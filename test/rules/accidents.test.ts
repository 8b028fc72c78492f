import { describe, expect, it } from "vitest";
import { ACCIDENT_GRADE_LABELS, ACCIDENT_GRADE_THRESHOLDS, accidentGrade, yuanToFen } from "../../src/rules/accidents.js";

const g = (deaths: number, seriousInjuries: number, directLoss = "0") => accidentGrade({ deaths, seriousInjuries, directLoss });

describe("accident grade (条例 第三条)", () => {
  it("deaths at every boundary", () => {
    expect(g(0, 0)).toBe("GENERAL");
    expect(g(2, 0)).toBe("GENERAL");
    expect(g(3, 0)).toBe("LARGER");
    expect(g(9, 0)).toBe("LARGER");
    expect(g(10, 0)).toBe("MAJOR");
    expect(g(29, 0)).toBe("MAJOR");
    expect(g(30, 0)).toBe("EXTRAORDINARY");
  });
  it("serious injuries at every boundary", () => {
    expect(g(0, 9)).toBe("GENERAL");
    expect(g(0, 10)).toBe("LARGER");
    expect(g(0, 49)).toBe("LARGER");
    expect(g(0, 50)).toBe("MAJOR");
    expect(g(0, 99)).toBe("MAJOR");
    expect(g(0, 100)).toBe("EXTRAORDINARY");
  });
  it("direct loss at every boundary, to the fen", () => {
    expect(g(0, 0, "9999999.99")).toBe("GENERAL");
    expect(g(0, 0, "10000000.00")).toBe("LARGER");
    expect(g(0, 0, "10000000")).toBe("LARGER");
    expect(g(0, 0, "49999999.99")).toBe("LARGER");
    expect(g(0, 0, "50000000.00")).toBe("MAJOR");
    expect(g(0, 0, "99999999.99")).toBe("MAJOR");
    expect(g(0, 0, "100000000.00")).toBe("EXTRAORDINARY");
  });
  it("the highest criterion wins", () => {
    expect(g(1, 10, "0")).toBe("LARGER");
    expect(g(3, 50, "100.00")).toBe("MAJOR");
    expect(g(2, 9, "100000000.00")).toBe("EXTRAORDINARY");
    expect(g(30, 0, "10000000.00")).toBe("EXTRAORDINARY");
  });
  it("rejects malformed input instead of guessing", () => {
    expect(() => g(0, 0, "1e8")).toThrow(RangeError);
    expect(() => g(0, 0, "10000000.001")).toThrow(RangeError);
    expect(() => g(0, 0, "-1")).toThrow(RangeError);
    expect(() => g(-1, 0)).toThrow(RangeError);
    expect(() => g(1.5, 0)).toThrow(RangeError);
  });
  it("parses yuan exactly", () => {
    expect(yuanToFen("0.1")).toBe(10n);
    expect(yuanToFen("12.05")).toBe(1205n);
    expect(yuanToFen("90071992547409.93")).toBe(9007199254740993n); // beyond float precision
  });
  it("keeps thresholds as sourced data with labels", () => {
    expect(ACCIDENT_GRADE_THRESHOLDS.map((t) => t.grade)).toEqual(["EXTRAORDINARY", "MAJOR", "LARGER"]);
    for (const t of ACCIDENT_GRADE_THRESHOLDS) expect(t.source).toContain("第三条");
    expect(ACCIDENT_GRADE_LABELS).toEqual({ GENERAL: "一般", LARGER: "较大", MAJOR: "重大", EXTRAORDINARY: "特别重大" });
  });
});
