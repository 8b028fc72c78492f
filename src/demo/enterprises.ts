/**
 * Enterprises: spread over the demo's counties and townships, each with a GB/T 4754 industry that
 * matches its sector, a skewed-small workforce and a valid, unique USCC.
 */
import type { Sector } from "../domain/vocabulary.js";
import { USCC_ALPHABET, usccCheckChar } from "../rules/identifiers.js";
import { DEMO } from "./ids.js";
import { mobile, personName } from "./people.js";
import type { Rng } from "./random.js";
import { listingRegion, REGIONS, type ListingRegion } from "./registry.js";
import { addDays, cst, HOUR } from "./time.js";
import type { EnterpriseRow } from "./types.js";

type Group = "CQ" | "XM" | "HN" | "ZJ";

export interface Ent {
  row: EnterpriseRow & { uscc: string; regionCode: string; sector: Sector; employeeCount: number; riskTags: string[]; status: string };
  county: string;
  listing: ListingRegion;
  /** when a SUSPENDED or CLOSED enterprise stopped */
  stoppedAt?: number;
  role: "normal" | "showcase" | "park";
}

const PLACES: [code: string, weight: number, namePrefixes: string[]][] = [
  ["500101", 8, ["重庆万州", "重庆市万州区"]], ["500103", 4, ["重庆", "重庆渝中"]], ["500106", 7, ["重庆", "重庆沙坪坝"]],
  ["500112", 10, ["重庆", "重庆渝北", "重庆两江"]], ["500113", 8, ["重庆巴南", "重庆"]], ["500229", 4, ["城口县", "重庆城口"]],
  ["350203", 2, ["厦门"]], ["350205", 4, ["厦门", "厦门海沧"]], ["350206", 3, ["厦门"]], ["350211", 4, ["厦门", "厦门集美"]],
  ["350212", 4, ["厦门同安", "厦门"]], ["350213", 3, ["厦门翔安", "厦门"]],
  ["410102", 3, ["郑州", "河南"]], ["410105", 3, ["郑州", "河南"]], ["411002", 3, ["许昌"]], ["411025", 2, ["襄城县", "许昌"]],
  ["411025100", 2, ["襄城县"]], ["411025101", 2, ["襄城县"]], ["411025102", 2, ["襄城县"]], ["411025103", 2, ["襄城县"]], ["411025200", 1, ["襄城县"]],
  ["330302", 3, ["温州"]], ["330303", 4, ["温州", "浙江"]], ["330382", 3, ["乐清市", "浙江"]],
  ["330382001", 2, ["乐清市"]], ["330382100", 4, ["乐清市", "浙江"]], ["330382101", 2, ["乐清市"]],
];

const groupOf = (code: string): Group => (code.startsWith("50") ? "CQ" : code.startsWith("35") ? "XM" : code.startsWith("41") ? "HN" : "ZJ");
const PROVINCE_ABBR: Record<Group, string> = { CQ: "渝", XM: "闽", HN: "豫", ZJ: "浙" };

/** Relative frequency of each sector per province; zero where the sector barely exists. */
const SECTOR_WEIGHTS: Record<Sector, Record<Group, number>> = {
  COAL_MINE: { CQ: 3, XM: 0, HN: 4, ZJ: 0 },
  NON_COAL_MINE: { CQ: 6, XM: 2, HN: 6, ZJ: 4 },
  HAZARDOUS_CHEMICALS: { CQ: 18, XM: 14, HN: 16, ZJ: 14 },
  FIREWORKS: { CQ: 3, XM: 1, HN: 6, ZJ: 3 },
  CIVIL_EXPLOSIVES: { CQ: 1, XM: 1, HN: 1, ZJ: 0.5 },
  METAL_SMELTING: { CQ: 6, XM: 5, HN: 8, ZJ: 6 },
  CONSTRUCTION: { CQ: 22, XM: 24, HN: 22, ZJ: 18 },
  ROAD_TRANSPORT: { CQ: 14, XM: 14, HN: 14, ZJ: 10 },
  WATER_TRANSPORT: { CQ: 5, XM: 6, HN: 1, ZJ: 5 },
  RAIL_TRANSIT: { CQ: 1, XM: 1, HN: 1, ZJ: 0 },
  FISHERY: { CQ: 1, XM: 6, HN: 0, ZJ: 5 },
  BLASTING: { CQ: 1.5, XM: 0, HN: 0, ZJ: 0 },
  FUEL_RETAIL: { CQ: 5, XM: 2, HN: 4, ZJ: 3 },
  OTHER: { CQ: 4, XM: 4, HN: 3, ZJ: 20 },
};

const COAL_COUNTIES = ["500101", "500229", "411025"];
const RAIL_COUNTIES = ["500103", "500106", "500112", "350203", "350206", "410102", "410105"];
const URBAN_CORES = ["500103", "350203", "410105"];

function sectorAllowed(sector: Sector, county: string): boolean {
  if (sector === "COAL_MINE") return COAL_COUNTIES.includes(county);
  if (sector === "RAIL_TRANSIT") return RAIL_COUNTIES.includes(county);
  if (["NON_COAL_MINE", "FISHERY", "BLASTING"].includes(sector)) return !URBAN_CORES.includes(county);
  return true;
}

interface Industry {
  code: string;
  w: number;
  suffixes: string[];
  staff: [number, number];
  tags?: string[];
  /** 安全生产许可证 (or 经营许可证) number pattern, e.g. WH安许证字 */
  license?: string;
  /** 个体工商户: USCC starts with 92 */
  individual?: boolean;
  /** only on the coast (true) or only inland (false) */
  coastal?: boolean;
}

const ind = (code: string, w: number, suffixes: string[], staff: [number, number], extra: Partial<Industry> = {}): Industry => ({ code, w, suffixes, staff, ...extra });

const INDUSTRIES: Record<Sector, Industry[]> = {
  COAL_MINE: [ind("B0610", 1, ["煤矿", "煤业有限公司"], [150, 3000], { license: "MK安许证字" })],
  NON_COAL_MINE: [ind("B0811", 1, ["矿业有限公司"], [30, 500], { license: "FM安许证字" }), ind("B1019", 3, ["石料厂", "砂石有限公司", "建材矿业有限公司"], [10, 120], { license: "FM安许证字" })],
  HAZARDOUS_CHEMICALS: [
    ind("C2614", 3, ["化工有限公司", "化学工业有限公司"], [20, 2000], { license: "WH安许证字" }),
    ind("C2661", 2, ["化学试剂有限公司", "精细化工有限公司"], [15, 600], { license: "WH安许证字" }),
    ind("F5162", 3, ["石化贸易有限公司", "能源有限公司", "油品经营有限公司"], [5, 150], { license: "WH安经字" }),
    ind("G5941", 1, ["危险品仓储有限公司", "化工物流仓储有限公司"], [10, 200], { license: "WH安经字" }),
  ],
  FIREWORKS: [ind("C2672", 1, ["烟花爆竹有限公司", "花炮制造有限公司"], [20, 400], { license: "YH安许证字" }), ind("F5239", 2, ["烟花爆竹经营部", "烟花爆竹零售店"], [5, 12], { license: "YH经字", tags: ["FIREWORKS_RETAIL"], individual: true })],
  CIVIL_EXPLOSIVES: [ind("C2671", 1, ["民爆器材有限公司", "化工爆破器材有限公司"], [50, 800], { license: "MB安许证字" })],
  METAL_SMELTING: [ind("C3110", 1, ["钢铁有限公司", "特钢有限公司"], [50, 3000]), ind("C3120", 1, ["炼钢有限公司"], [50, 1500]), ind("C3216", 1, ["铝业有限公司"], [30, 1200])],
  CONSTRUCTION: [ind("E4710", 4, ["建筑工程有限公司", "建设集团有限公司", "建工有限公司"], [10, 2500], { license: "JZ安许证字" }), ind("E4812", 1, ["路桥建设有限公司"], [30, 1500], { license: "JZ安许证字" }), ind("E4851", 1, ["电力工程有限公司", "管线工程有限公司"], [10, 400], { license: "JZ安许证字" })],
  ROAD_TRANSPORT: [ind("G5431", 4, ["物流有限公司", "货运有限公司", "运输有限公司"], [5, 600]), ind("G5435", 2, ["危险货物运输有限公司", "危化品运输有限公司"], [10, 400], { tags: ["DANGEROUS_GOODS"] }), ind("G5421", 1, ["汽车客运有限公司"], [30, 800])],
  WATER_TRANSPORT: [ind("G5523", 1, ["航运有限公司", "船务有限公司"], [8, 300], { coastal: false }), ind("G5522", 1, ["海运有限公司", "船务有限公司"], [8, 300], { coastal: true })],
  RAIL_TRANSIT: [ind("G5412", 1, ["轨道交通运营有限公司", "轨道交通工程有限公司"], [200, 3000])],
  FISHERY: [ind("A0412", 1, ["水产养殖有限公司"], [5, 60], { coastal: false }), ind("A0411", 1, ["水产养殖有限公司"], [5, 80], { coastal: true }), ind("A0421", 2, ["远洋渔业有限公司", "渔业有限公司"], [8, 120], { coastal: true })],
  // 爆破作业单位 register as civil engineering; the department sets the sector explicitly
  BLASTING: [ind("E4890", 1, ["爆破工程有限公司"], [10, 150])],
  FUEL_RETAIL: [ind("F5265", 3, ["加油站", "石油销售有限公司"], [5, 30]), ind("F5266", 1, ["加气站", "燃气有限公司"], [5, 30])],
  OTHER: [
    ind("C3823", 3, ["电气有限公司", "电器有限公司"], [10, 1500], { tags: ["SPRAY_PAINTING"] }),
    ind("C3360", 2, ["五金制品有限公司", "金属表面处理有限公司"], [10, 300], { tags: ["DUST_EXPLOSION"] }),
    ind("G5950", 1, ["冷链物流有限公司", "冷藏有限公司"], [10, 200], { tags: ["AMMONIA_REFRIGERATION"] }),
    ind("C3731", 1, ["船舶修造有限公司", "造船有限公司"], [30, 800], { tags: ["SHIPBUILDING"], coastal: true }),
    ind("D4620", 1, ["污水处理有限公司", "水务有限公司"], [10, 150], { tags: ["CONFINED_SPACE"] }),
    ind("C3130", 2, ["钢管有限公司", "金属制品有限公司"], [20, 1000], { tags: ["TOP20_WORK_INJURY"] }),
  ],
};

const BRAND = "华鑫安盛恒达泰隆源宏兴昌祥瑞丰金通远海江川峰力信诚德润新永福顺利龙宇博晟凯嘉豪腾创联".split("");
const ROADS = ["工业园路", "建设大道", "人民路", "解放路", "滨江路", "兴业路", "创新大道", "长江路", "新华路", "环城路", "东风路", "迎宾大道", "经开大道", "港口路", "化工园区纬二路", "物流园区经三路"];

const regionByCode = new Map(REGIONS.map((r) => [r.code, r]));

/** [河南省, 许昌市, 襄城县, 麦岭镇]: the region chain minus GB/T 2260's 市辖区/县 placeholders. */
function placeNames(code: string): string[] {
  const names: string[] = [];
  for (let r = regionByCode.get(code); r; r = r.parent ? regionByCode.get(r.parent) : undefined) {
    if (!/^重庆市(市辖区|县)$/.test(r.name)) names.unshift(r.name);
  }
  return names;
}
const fullPlaceName = (code: string) => placeNames(code).join("");

export class EnterpriseFactory {
  private usccs = new Set<string>();
  private names = new Set<string>();

  constructor(private rng: Rng) {}

  uscc(county: string, individual: boolean): string {
    for (;;) {
      const body = this.rng.chance(0.6)
        ? "MA" + Array.from({ length: 7 }, () => this.rng.pick(USCC_ALPHABET.split(""))).join("")
        : this.rng.digits(8) + (this.rng.chance(0.1) ? "X" : this.rng.digits(1));
      const first17 = (individual ? "92" : "91") + county + body;
      const code = first17 + usccCheckChar(first17);
      if (!this.usccs.has(code)) return this.usccs.add(code), code;
    }
  }

  private name(prefixes: string[], suffixes: string[]): string {
    for (let attempt = 0; ; attempt++) {
      const brand = this.rng.pick(BRAND) + this.rng.pick(BRAND) + (attempt > 5 ? this.rng.pick(BRAND) : "");
      const name = this.rng.pick(prefixes) + brand + this.rng.pick(suffixes);
      if (!this.names.has(name)) return this.names.add(name), name;
    }
  }

  /** An ordinary enterprise somewhere in the demo regions. */
  random(): Ent {
    const rng = this.rng;
    const [regionCode, , prefixes] = rng.weighted(PLACES.map((p) => [p, p[1]] as const));
    const county = regionCode.slice(0, 6);
    const group = groupOf(regionCode);
    const sector = rng.weighted(
      (Object.keys(SECTOR_WEIGHTS) as Sector[]).map((s) => [s, sectorAllowed(s, county) ? SECTOR_WEIGHTS[s][group] : 0] as const),
    );
    const coastal = group === "XM" || group === "ZJ";
    const industry = rng.weighted(INDUSTRIES[sector].filter((i) => i.coastal === undefined || i.coastal === coastal).map((i) => [i, i.w] as const));
    const [lo, hi] = industry.staff;
    // log-uniform with extra weight on the small end: most units are small, a few are very large
    const employees = Math.min(3000, Math.max(5, Math.round(lo * (hi / lo) ** (rng.next() ** 1.5))));
    const status = rng.weighted([["OPERATING", 89], ["SUSPENDED", 7], ["CLOSED", 4]] as const);
    const tags = [...(industry.tags ?? [])];
    if (sector === "OTHER" && rng.chance(0.1) && !tags.includes("TOP20_WORK_INJURY")) tags.push("TOP20_WORK_INJURY");
    if (sector === "OTHER" && rng.chance(0.04)) tags.push("RECENT_FATAL_ACCIDENT");
    if (sector === "OTHER" && rng.chance(0.15)) tags.push("HAZARDOUS_CHEMICALS_USE");
    if (sector === "FISHERY" && coastal && rng.chance(0.4)) tags.push("SEASONAL");
    const licensed = industry.license !== undefined;
    const grade = rng.chance(licensed ? 0.7 : 0.25) ? rng.weighted([["一级", 5], ["二级", 30], ["三级", 65]] as const) : null;
    const createdAt = cst(2024, 12, 1, 9) + rng.int(0, 29) * 24 * HOUR;
    const stoppedAt = status === "OPERATING" ? undefined : cst(2025, 3, 1, 10) + rng.int(0, 600) * 24 * HOUR;
    return {
      county,
      listing: listingRegion(regionCode),
      stoppedAt,
      role: "normal",
      row: {
        uscc: this.uscc(county, industry.individual === true),
        // a 个体工商户 is named after its place: 乐清市柳市镇…经营部
        name: this.name(industry.individual ? [placeNames(regionCode).slice(-2).join("")] : prefixes, industry.suffixes),
        regionCode,
        address: `${fullPlaceName(regionCode)}${rng.pick(ROADS)}${rng.int(1, 899)}号`,
        industryCode: industry.code,
        sector,
        riskTags: tags,
        employeeCount: employees,
        status,
        safetyLicenseNo: licensed ? `(${PROVINCE_ABBR[group]})${industry.license}〔${rng.int(2021, 2025)}〕${rng.digits(6)}` : null,
        standardizationGrade: grade,
        blacklisted: rng.chance(0.01),
        legalRepresentative: personName(rng),
        contactName: personName(rng),
        contactPhone: mobile(rng),
        createdAt: new Date(createdAt),
        updatedAt: new Date(stoppedAt ?? createdAt),
      },
    };
  }

  /** DEMO.enterprise: fixed identity so that tokens and tests can name it. */
  showcase(): Ent {
    this.usccs.add(DEMO.enterprise);
    this.names.add("重庆渝北安达化工有限公司");
    const at = new Date(cst(2024, 12, 2, 9));
    return {
      county: "500112",
      listing: "500000",
      role: "showcase",
      row: {
        uscc: DEMO.enterprise, name: "重庆渝北安达化工有限公司", regionCode: "500112", address: "重庆市渝北区化工园区纬二路88号",
        industryCode: "C2614", sector: "HAZARDOUS_CHEMICALS", riskTags: [], employeeCount: 320, status: "OPERATING",
        safetyLicenseNo: "(渝)WH安许证字〔2024〕000123", standardizationGrade: "二级", blacklisted: false,
        legalRepresentative: "陈建国", contactName: "刘海燕", contactPhone: "13883001234", createdAt: at, updatedAt: at,
      },
    };
  }

  /** The eight members of 柳市镇's electrical-industry park, insured together by one group policy (整体投保). */
  parkMembers(): Ent[] {
    return Array.from({ length: 8 }, (_, i) => {
      const e = this.random();
      const spray = i % 2 === 0;
      const region = "330382100";
      const at = addDays(cst(2024, 12, 3, 9), i);
      e.county = "330382";
      e.listing = "330300";
      e.role = "park";
      e.stoppedAt = undefined;
      Object.assign(e.row, {
        uscc: this.uscc("330382", false),
        name: this.name(["乐清市柳市", "浙江"], spray ? ["电气有限公司", "电器有限公司"] : ["五金制品有限公司"]),
        regionCode: region,
        address: `${fullPlaceName(region)}电气产业园${i + 1}号`,
        industryCode: spray ? "C3823" : "C3360",
        sector: "OTHER",
        riskTags: [spray ? "SPRAY_PAINTING" : "DUST_EXPLOSION"],
        employeeCount: this.rng.int(30, 300),
        status: "OPERATING",
        blacklisted: false,
        createdAt: new Date(at),
        updatedAt: new Date(at),
      });
      return e;
    });
  }
}
