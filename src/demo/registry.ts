/**
 * The fixed part of the demo: regions, agencies, insurers, service orgs, the broker and the 名录.
 * None of it scales; it mirrors the five seed documents (DOMAIN.md).
 */
import type { Sector } from "../domain/vocabulary.js";
import { DEMO } from "./ids.js";

export interface RegionDef { code: string; name: string; parent: string | null; level: 1 | 2 | 3 | 4 }

const r = (code: string, name: string, parent: string | null, level: 1 | 2 | 3 | 4): RegionDef => ({ code, name, parent, level });

/** Parents before children. Chongqing keeps GB/T 2260's 市辖区/县 level so every level matches its code. */
export const REGIONS: RegionDef[] = [
  r("500000", "重庆市", null, 1), r("500100", "重庆市市辖区", "500000", 2), r("500200", "重庆市县", "500000", 2),
  r("500101", "万州区", "500100", 3), r("500103", "渝中区", "500100", 3), r("500106", "沙坪坝区", "500100", 3),
  r("500112", "渝北区", "500100", 3), r("500113", "巴南区", "500100", 3), r("500229", "城口县", "500200", 3),
  r("350000", "福建省", null, 1), r("350200", "厦门市", "350000", 2),
  r("350203", "思明区", "350200", 3), r("350205", "海沧区", "350200", 3), r("350206", "湖里区", "350200", 3),
  r("350211", "集美区", "350200", 3), r("350212", "同安区", "350200", 3), r("350213", "翔安区", "350200", 3),
  r("410000", "河南省", null, 1), r("410100", "郑州市", "410000", 2), r("411000", "许昌市", "410000", 2),
  r("410102", "中原区", "410100", 3), r("410105", "金水区", "410100", 3),
  r("411002", "魏都区", "411000", 3), r("411025", "襄城县", "411000", 3),
  r("411025100", "城关镇", "411025", 4), r("411025101", "颍桥回族镇", "411025", 4), r("411025102", "麦岭镇", "411025", 4),
  r("411025103", "库庄镇", "411025", 4), r("411025200", "丁营乡", "411025", 4),
  r("330000", "浙江省", null, 1), r("330300", "温州市", "330000", 2),
  r("330302", "鹿城区", "330300", 3), r("330303", "龙湾区", "330300", 3), r("330382", "乐清市", "330300", 3),
  r("330382001", "城东街道", "330382", 4), r("330382100", "柳市镇", "330382", 4), r("330382101", "北白象镇", "330382", 4),
];

export interface AgencyDef { region: string; kind: string; name: string; sectors: Sector[] }

const MINES_CHEM_FIRE_METAL: Sector[] = ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"];
const XIANGCHENG_MANDATORY: Sector[] = ["COAL_MINE", "HAZARDOUS_CHEMICALS", "ROAD_TRANSPORT", "WATER_TRANSPORT", "CONSTRUCTION"];
const a = (region: string, kind: string, name: string, sectors: Sector[] = []): AgencyDef => ({ region, kind, name, sectors });

export const AGENCIES: AgencyDef[] = [
  // 渝府办发〔2017〕182号: each sector's city department
  a("500000", "COMMITTEE_OFFICE", "重庆市安委会办公室"),
  a("500000", "EMERGENCY", "重庆市应急管理局", MINES_CHEM_FIRE_METAL),
  a("500000", "COAL", "重庆煤矿安全监察局", ["COAL_MINE"]),
  a("500000", "TRANSPORT", "重庆市交通委员会", ["ROAD_TRANSPORT", "WATER_TRANSPORT", "RAIL_TRANSIT"]),
  a("500000", "HOUSING", "重庆市城乡建设委员会", ["CONSTRUCTION"]),
  a("500000", "INDUSTRY", "重庆市经济和信息化委员会", ["CIVIL_EXPLOSIVES"]),
  a("500000", "PUBLIC_SECURITY", "重庆市公安局", ["BLASTING"]),
  a("500000", "COMMERCE", "重庆市商务委员会", ["FUEL_RETAIL"]),
  a("500000", "AGRICULTURE", "重庆市农业农村委员会", ["FISHERY"]),
  a("500000", "FINANCIAL_REGULATOR", "国家金融监督管理总局重庆监管局"),
  // 厦门: 应急局, 交通局, 建设局, 海洋局 (fishery), 港口局 (water transport)
  a("350200", "COMMITTEE_OFFICE", "厦门市安委会办公室"),
  a("350200", "EMERGENCY", "厦门市应急管理局", [...MINES_CHEM_FIRE_METAL, "CIVIL_EXPLOSIVES"]),
  a("350200", "TRANSPORT", "厦门市交通运输局", ["ROAD_TRANSPORT", "RAIL_TRANSIT"]),
  a("350200", "HOUSING", "厦门市建设局", ["CONSTRUCTION"]),
  a("350200", "OCEAN", "厦门市海洋发展局", ["FISHERY"]),
  a("350200", "PORT", "厦门港口管理局", ["WATER_TRANSPORT"]),
  a("350200", "FINANCIAL_REGULATOR", "国家金融监督管理总局厦门监管局"),
  a("410000", "COMMITTEE_OFFICE", "河南省安委会办公室"),
  a("410000", "EMERGENCY", "河南省应急管理厅", MINES_CHEM_FIRE_METAL),
  a("410000", "COAL", "国家矿山安全监察局河南局", ["COAL_MINE"]),
  a("410000", "TRANSPORT", "河南省交通运输厅", ["ROAD_TRANSPORT", "WATER_TRANSPORT", "RAIL_TRANSIT"]),
  a("410000", "HOUSING", "河南省住房和城乡建设厅", ["CONSTRUCTION"]),
  a("410000", "FINANCIAL_REGULATOR", "国家金融监督管理总局河南监管局"),
  a("411000", "COMMITTEE_OFFICE", "许昌市安委会办公室"),
  a("411000", "EMERGENCY", "许昌市应急管理局", MINES_CHEM_FIRE_METAL),
  // 襄城县 (seed 000): 应急 (chemicals), 科工局 (coal), 交通 (road, water), 住建 (construction); townships push locally
  a("411025", "COMMITTEE_OFFICE", "襄城县安委会办公室"),
  a("411025", "EMERGENCY", "襄城县应急管理局", ["HAZARDOUS_CHEMICALS"]),
  a("411025", "INDUSTRY", "襄城县科工局", ["COAL_MINE"]),
  a("411025", "TRANSPORT", "襄城县交通运输局", ["ROAD_TRANSPORT", "WATER_TRANSPORT"]),
  a("411025", "HOUSING", "襄城县住房和城乡建设局", ["CONSTRUCTION"]),
  a("411025100", "TOWNSHIP", "襄城县城关镇人民政府", XIANGCHENG_MANDATORY),
  a("411025101", "TOWNSHIP", "襄城县颍桥回族镇人民政府", XIANGCHENG_MANDATORY),
  a("411025102", "TOWNSHIP", "襄城县麦岭镇人民政府", XIANGCHENG_MANDATORY),
  a("411025103", "TOWNSHIP", "襄城县库庄镇人民政府", XIANGCHENG_MANDATORY),
  a("411025200", "TOWNSHIP", "襄城县丁营乡人民政府", XIANGCHENG_MANDATORY),
  a("330300", "COMMITTEE_OFFICE", "温州市安委会办公室"),
  a("330300", "EMERGENCY", "温州市应急管理局", [...MINES_CHEM_FIRE_METAL, "OTHER"]),
  a("330300", "FINANCIAL_REGULATOR", "国家金融监督管理总局温州监管分局"),
  a("330382", "COMMITTEE_OFFICE", "乐清市安委会办公室"),
  a("330382", "EMERGENCY", "乐清市应急管理局", [...MINES_CHEM_FIRE_METAL, "OTHER"]),
  a("330382", "HOUSING", "乐清市住房和城乡建设局", ["CONSTRUCTION"]),
  a("330382", "TRANSPORT", "乐清市交通运输局", ["ROAD_TRANSPORT", "WATER_TRANSPORT"]),
];

export interface InsurerDef {
  uscc: string;
  name: string;
  shortName: string;
  /** prefix of its policy numbers, e.g. PZAF2025500000000123 */
  policyPrefix: string;
  /** prefix of its claim, payment, service and ledger references */
  code: string;
  /** market weight when choosing a lead insurer */
  weight: number;
  /** share of the prevention fund it actually spends: the low ones are the under-spenders */
  spend: [number, number];
  /** extracts the prevention fund quarterly instead of once at policy start */
  quarterly: boolean;
}

const ins = (uscc: string, name: string, shortName: string, policyPrefix: string, code: string, weight: number, spend: [number, number], quarterly = false): InsurerDef =>
  ({ uscc, name, shortName, policyPrefix, code, weight, spend, quarterly });

/** Seed 001's appendix, in its order. */
export const INSURERS: InsurerDef[] = [
  ins("91310000MA1FL3CP7X", "中国太平洋财产保险股份有限公司", "太保财险", "ACQZ", "CPIC", 18, [0.75, 1.0]),
  ins(DEMO.insurer, "中国人民财产保险股份有限公司", "人保财险", "PZAF", "PICC", 30, [0.8, 1.0]),
  ins("91110000MA01D2LC91", "中国人寿财产保险股份有限公司", "国寿财险", "GSAZ", "CLPC", 10, [0.7, 0.95]),
  ins("91440300MA5DPA8N2N", "中国平安财产保险股份有限公司", "平安产险", "PAAZ", "PAIC", 16, [0.75, 1.0], true),
  ins("91310000MA1K8DD05B", "中国大地财产保险股份有限公司", "大地保险", "DDAZ", "CCIC", 6, [0.7, 0.95], true),
  ins("91110000MA01HL4L66", "中华联合财产保险股份有限公司", "中华财险", "ZHAZ", "CICP", 5, [0.7, 0.95]),
  ins("91310000MA1GTA2N3B", "天安财产保险股份有限公司", "天安财险", "TAAZ", "TAIC", 3, [0.25, 0.5]),
  ins("91110000MA01YG7G1B", "阳光财产保险股份有限公司", "阳光财险", "YGAZ", "SSAI", 4, [0.7, 0.95], true),
  ins("91440300MA5ETP3C8A", "太平财产保险有限公司", "太平财险", "TPAZ", "TPIC", 3, [0.3, 0.55]),
  ins("91220000MA14DB9B2M", "都邦财产保险股份有限公司", "都邦财险", "DBAZ", "DBIC", 3, [0.2, 0.45]),
  ins("91610000MA6YA5N04G", "永安财产保险股份有限公司", "永安财险", "YAAZ", "YAIC", 3, [0.3, 0.5]),
  ins("91330000MA27JW6Y85", "浙商财产保险股份有限公司", "浙商财险", "ZSAZ", "ZSIC", 2, [0.7, 0.95]),
];

export const insurerByUscc = new Map(INSURERS.map((i) => [i.uscc, i]));

export interface OrgDef { uscc: string; name: string; regions: string[] }

export const SERVICE_ORGS: OrgDef[] = [
  { uscc: DEMO.serviceOrg, name: "重庆安元安全技术服务有限公司", regions: ["500000"] },
  { uscc: "91350206MA2Y4N8B14", name: "厦门安泰兴安全技术服务有限公司", regions: ["350200"] },
  { uscc: "91110108MA01C6R291", name: "中安华信安全技术服务有限公司", regions: ["410000", "330300"] },
];

export const BROKER = { uscc: DEMO.broker, name: "中联安泰保险经纪有限公司" };

/** The 名录 regions: an enterprise is served under the one covering it. */
export const LISTING_REGIONS = ["500000", "350200", "410000", "330300"] as const;
export type ListingRegion = (typeof LISTING_REGIONS)[number];

export function listingRegion(regionCode: string): ListingRegion {
  for (const l of LISTING_REGIONS) if (regionCode.startsWith(l.replace(/0+$/, ""))) return l;
  throw new Error(`no listing region for ${regionCode}`);
}

export interface QualificationDef { orgUscc: string; orgKind: "INSURER" | "SERVICE_ORG"; region: ListingRegion; status: string; since: string }

/**
 * Who is listed where. 都邦 is suspended in Chongqing and 永安 disqualified in Xiamen, yet both keep
 * writing some business there: the "insurer not qualified" finding needs such filings.
 */
const ABSENT: Record<ListingRegion, string[]> = { "500000": ["ZSIC"], "350200": ["DBIC", "ZSIC"], "410000": ["ZSIC"], "330300": [] };
const NOT_QUALIFIED: Record<string, { code: string; status: string; since: string }> = {
  "500000": { code: "DBIC", status: "SUSPENDED", since: "2025-09-01" },
  "350200": { code: "YAIC", status: "DISQUALIFIED", since: "2026-01-01" },
};

export const QUALIFICATIONS: QualificationDef[] = [
  ...LISTING_REGIONS.flatMap((region) =>
    INSURERS.filter((i) => !ABSENT[region].includes(i.code)).map((i): QualificationDef => {
      const bad = NOT_QUALIFIED[region]?.code === i.code ? NOT_QUALIFIED[region] : undefined;
      return { orgUscc: i.uscc, orgKind: "INSURER", region, status: bad?.status ?? "QUALIFIED", since: bad?.since ?? "2024-01-01" };
    }),
  ),
  ...SERVICE_ORGS.flatMap((o) => o.regions.map((region): QualificationDef => ({ orgUscc: o.uscc, orgKind: "SERVICE_ORG", region: region as ListingRegion, status: "QUALIFIED", since: "2024-06-01" }))),
];

/** Insurers that may lead a policy in `region`, with their weights (listed ones only). */
export function insurersIn(region: ListingRegion): InsurerDef[] {
  return INSURERS.filter((i) => !ABSENT[region].includes(i.code));
}
