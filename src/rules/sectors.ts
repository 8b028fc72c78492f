import type { Sector } from "../domain/vocabulary.js";

export const SECTOR_MAPPING_SOURCE = "GB/T 4754-2017 《国民经济行业分类》; hub DOMAIN.md \"Sector from GB/T 4754-2017\"";

/**
 * GB/T 4754-2017 code prefix → sector. The longest matching prefix wins, so the more specific
 * classes override their group: C2671 炸药及火工产品制造 and C2672 焰火、鞭炮产品制造 sit inside
 * C26 化学原料和化学制品制造业; G5412 城市轨道交通 sits inside G54 道路运输业.
 * F5265/F5266 (机动车燃油/燃气零售) stay HAZARDOUS_CHEMICALS as DOMAIN.md lists them; a department
 * can still set FUEL_RETAIL explicitly.
 */
export const INDUSTRY_SECTOR_PREFIXES: Readonly<Record<string, Sector>> = {
  A04: "FISHERY",
  B06: "COAL_MINE",
  B07: "NON_COAL_MINE", B08: "NON_COAL_MINE", B09: "NON_COAL_MINE",
  B10: "NON_COAL_MINE", B11: "NON_COAL_MINE", B12: "NON_COAL_MINE",
  C25: "HAZARDOUS_CHEMICALS", C26: "HAZARDOUS_CHEMICALS",
  C2671: "CIVIL_EXPLOSIVES",
  C2672: "FIREWORKS",
  C31: "METAL_SMELTING", C32: "METAL_SMELTING",
  E47: "CONSTRUCTION", E48: "CONSTRUCTION", E49: "CONSTRUCTION", E50: "CONSTRUCTION",
  F5162: "HAZARDOUS_CHEMICALS", F5169: "HAZARDOUS_CHEMICALS",
  F5265: "HAZARDOUS_CHEMICALS", F5266: "HAZARDOUS_CHEMICALS",
  G53: "RAIL_TRANSIT",
  G54: "ROAD_TRANSPORT",
  G5412: "RAIL_TRANSIT",
  G5435: "ROAD_TRANSPORT", // 危险货物道路运输: named so the dangerous-goods class is visibly covered
  G55: "WATER_TRANSPORT",
  G5941: "HAZARDOUS_CHEMICALS", G5942: "HAZARDOUS_CHEMICALS",
};

/** A section letter followed by a 2-, 3- or 4-digit division/group/class code. */
const CODE = /^[A-T](\d{2}|\d{3}|\d{4})$/;

/** The high-risk sector an industry code falls in, or null (not high-risk, or not a valid code). */
export function sectorOfIndustry(gbt4754Code: string): Sector | null {
  const code = gbt4754Code.trim().toUpperCase();
  if (!CODE.test(code)) return null;
  for (let len = code.length; len >= 3; len--) {
    const hit = INDUSTRY_SECTOR_PREFIXES[code.slice(0, len)];
    if (hit) return hit;
  }
  return null;
}
