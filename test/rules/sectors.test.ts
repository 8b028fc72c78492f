import { describe, expect, it } from "vitest";
import { sectorOfIndustry } from "../../src/rules/sectors.js";

describe("sector from GB/T 4754-2017", () => {
  it.each([
    ["B0610", "COAL_MINE"],
    ["B0810", "NON_COAL_MINE"],
    ["B1019", "NON_COAL_MINE"],
    ["B1200", "NON_COAL_MINE"],
    ["C2511", "HAZARDOUS_CHEMICALS"],
    ["C2614", "HAZARDOUS_CHEMICALS"],
    ["C2671", "CIVIL_EXPLOSIVES"],
    ["C2672", "FIREWORKS"],
    ["C3110", "METAL_SMELTING"],
    ["C3216", "METAL_SMELTING"],
    ["E4710", "CONSTRUCTION"],
    ["E5010", "CONSTRUCTION"],
    ["F5162", "HAZARDOUS_CHEMICALS"],
    ["F5169", "HAZARDOUS_CHEMICALS"],
    ["F5265", "HAZARDOUS_CHEMICALS"],
    ["F5266", "HAZARDOUS_CHEMICALS"],
    ["G5310", "RAIL_TRANSIT"],
    ["G5412", "RAIL_TRANSIT"],
    ["G5411", "ROAD_TRANSPORT"],
    ["G5435", "ROAD_TRANSPORT"],
    ["G5521", "WATER_TRANSPORT"],
    ["G5941", "HAZARDOUS_CHEMICALS"],
    ["G5942", "HAZARDOUS_CHEMICALS"],
    ["A0411", "FISHERY"],
    ["g5412", "RAIL_TRANSIT"],
    ["C26", "HAZARDOUS_CHEMICALS"],
  ])("%s → %s", (code, sector) => {
    expect(sectorOfIndustry(code)).toBe(sector);
  });
  it("returns null outside the high-risk list and for malformed codes", () => {
    for (const code of ["F5161", "F5264", "G5943", "C3311", "B0510", "A0311", "I6510", "", "B", "B06100", "0610", "constructor"]) {
      expect(sectorOfIndustry(code), code).toBeNull();
    }
  });
  it("maps the C267 group itself and its other classes to chemicals, only 2671/2672 are specific", () => {
    expect(sectorOfIndustry("C267")).toBe("HAZARDOUS_CHEMICALS");
    expect(sectorOfIndustry("C2673")).toBe("HAZARDOUS_CHEMICALS");
  });
});
