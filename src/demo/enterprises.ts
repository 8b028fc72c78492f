import type { Sector } from "../domain/vocabulary.js";
import { makeUscc, REGIONS } from "./registry.js";
import type { Random } from "./random.js";

export interface DemoEnterprise {
  uscc: string;
  name: string;
  regionCode: string;
  address: string;
  industryCode: string;
  sector: Sector;
  riskTags: string[];
  employeeCount: number;
  status: string;
  safetyLicenseNo: string | null;
  standardizationGrade: string | null;
  blacklisted: boolean;
  legalRepresentative: string;
  contactName: string;
  contactPhone: string;
}

/** Where enterprises sit: [region, weight]; counties and townships only. */
const PLACES: [string, number][] = [
  ["500101", 8], ["500103", 3], ["500106", 6], ["500112", 12], ["500113", 7], ["500229", 4],
  ["350203", 3], ["350205", 5], ["350206", 4], ["350211", 3], ["350212", 3], ["350213", 3],
  ["410102", 3], ["410105", 3], ["411002", 4],
  ["411025100", 4], ["411025101", 3], ["411025102", 3], ["411025103", 3], ["411025200", 2],
  ["330302", 3], ["330303", 3], ["330382001", 3], ["330382100", 4], ["330382101", 3],
];

/** Sector mix and matching GB/T 4754-2017 codes; coal only where mines are (Chongqing, Henan). */
const SECTORS: [Sector, number, string[], string][] = [
  ["CONSTRUCTION", 20, ["E4710", "E4720", "E4851", "E4910"], "建设工程有限公司"],
  ["HAZARDOUS_CHEMICALS", 18, ["C2614", "C2661", "F5162", "G5941"], "化工有限公司"],
  ["ROAD_TRANSPORT", 13, ["G5430", "G5435"], "运输有限公司"],
  ["NON_COAL_MINE", 6, ["B0811", "B1019"], "矿业有限公司"],
  ["COAL_MINE", 3, ["B0610"], "煤业有限公司"],
  ["METAL_SMELTING", 6, ["C3110", "C3216"], "冶金有限公司"],
  ["FIREWORKS", 4, ["C2672", "F5239"], "烟花爆竹有限公司"],
  ["CIVIL_EXPLOSIVES", 1, ["C2671"], "民爆器材有限公司"],
  ["WATER_TRANSPORT", 4, ["G5521"], "航运有限公司"],
  ["RAIL_TRANSIT", 1, ["G5412"], "轨道交通运营有限公司"],
  ["FISHERY", 4, ["A0411"], "水产有限公司"],
  ["FUEL_RETAIL", 3, ["F5265"], "燃气有限公司"],
  ["BLASTING", 1, ["O8090"], "爆破工程有限公司"],
  ["OTHER", 16, ["C3130", "C3360", "C3731", "C2438"], "制造有限公司"],
];
const OTHER_TAGS = ["AMMONIA_REFRIGERATION", "DUST_EXPLOSION", "SPRAY_PAINTING", "CONFINED_SPACE", "SHIPBUILDING", "TOP20_WORK_INJURY", "RECENT_FATAL_ACCIDENT"];
const WORDS = ["恒达", "永兴", "宏远", "金鼎", "华盛", "鑫源", "顺通", "安泰", "瑞丰", "长江", "东升", "新华", "福民", "广源", "海通", "嘉禾", "汇川", "明珠", "巨龙", "天成"];
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚";
const LICENSE_PREFIX: Record<string, string> = { "50": "(渝)", "35": "(闽)", "41": "(豫)", "33": "(浙)" };

export const personName = (r: Random) => r.pick([...SURNAMES]) + r.pick([...GIVEN]) + (r.chance(0.6) ? r.pick([...GIVEN]) : "");

function regionName(code: string): string {
  const own = REGIONS.find(([c]) => c === code)!;
  const county = code.length === 9 ? REGIONS.find(([c]) => c === own[2])! : own;
  return county[1].replace(/(区|县|市)$/, "");
}

/** Enterprise i; index 0 is the demo enterprise: a Chongqing chemicals works the demo tokens point at. */
export function makeEnterprise(r: Random, i: number): DemoEnterprise {
  const demo = i === 0;
  let region = demo ? "500112" : r.weighted(PLACES);
  let [sector, , codes, suffix] = demo ? SECTORS[1] : r.weighted(SECTORS.map((s) => [s, s[1]] as const));
  if (sector === "COAL_MINE" && !/^(50|41)/.test(region)) [sector, , codes, suffix] = SECTORS[3];
  if (sector === "FISHERY" && !/^(35|33|50)/.test(region)) [sector, , codes, suffix] = SECTORS[0];
  const industryCode = demo ? "C2614" : r.pick(codes);
  const riskTags: string[] = [];
  if (sector === "OTHER") riskTags.push(r.pick(OTHER_TAGS));
  if (industryCode === "F5239") riskTags.push("FIREWORKS_RETAIL");
  if (industryCode === "G5435") riskTags.push("DANGEROUS_GOODS");
  if (sector === "FISHERY" && r.chance(0.5)) riskTags.push("SEASONAL");
  const employeeCount = demo ? 120 : Math.floor(5 + 2995 * r.next() ** 3);
  const status = demo ? "OPERATING" : r.weighted([["OPERATING", 90], ["SUSPENDED", 6], ["CLOSED", 4]] as const);
  const needsLicense = ["HAZARDOUS_CHEMICALS", "NON_COAL_MINE", "COAL_MINE", "FIREWORKS", "CIVIL_EXPLOSIVES", "CONSTRUCTION"].includes(sector);
  const person = personName(r);
  return {
    uscc: makeUscc(r.chance(0.95) || demo ? "1" : "2", region.slice(0, 6), 1_000_000 + i),
    name: `${regionName(region)}${r.pick(WORDS)}${r.pick(WORDS)}${suffix}`,
    regionCode: region,
    address: `${regionName(region)}${r.pick(WORDS)}路${r.int(1, 999)}号`,
    industryCode,
    sector,
    riskTags,
    employeeCount,
    status,
    safetyLicenseNo: needsLicense ? `${LICENSE_PREFIX[region.slice(0, 2)]}${sector === "CONSTRUCTION" ? "JZ" : "WH"}安许证字〔${r.int(2021, 2025)}〕${String(r.int(1, 9999)).padStart(6, "0")}` : null,
    standardizationGrade: r.weighted([["一级", 1], ["二级", 4], ["三级", 10], [null, 6]] as const),
    blacklisted: !demo && r.chance(0.01),
    legalRepresentative: person,
    contactName: r.chance(0.5) ? person : personName(r),
    contactPhone: `1${r.pick(["33", "35", "38", "39", "58", "77", "86", "89"])}${String(r.int(0, 99_999_999)).padStart(8, "0")}`,
  };
}
