import type { AgencyKind, Sector } from "../domain/vocabulary.js";
import { USCC_ALPHABET, usccCheckChar } from "../rules/identifiers.js";

/** "9" + org type + 6-digit region + a 9-character base-31 serial + check character: unique per serial. */
export function makeUscc(orgType: "1" | "2", region: string, serial: number): string {
  let body = "";
  for (let n = serial, i = 0; i < 9; i++, n = Math.floor(n / 31)) body = USCC_ALPHABET[n % 31] + body;
  const first17 = `9${orgType}${region}${body}`;
  return first17 + usccCheckChar(first17);
}

/** The five seed regions (DOMAIN.md) with a few districts and townships each. */
export const REGIONS: [code: string, name: string, parent: string | null][] = [
  ["500000", "重庆市", null],
  ["500101", "万州区", "500000"], ["500103", "渝中区", "500000"], ["500106", "沙坪坝区", "500000"],
  ["500112", "渝北区", "500000"], ["500113", "巴南区", "500000"], ["500229", "城口县", "500000"],
  ["350000", "福建省", null], ["350200", "厦门市", "350000"],
  ["350203", "思明区", "350200"], ["350205", "海沧区", "350200"], ["350206", "湖里区", "350200"],
  ["350211", "集美区", "350200"], ["350212", "同安区", "350200"], ["350213", "翔安区", "350200"],
  ["410000", "河南省", null], ["410100", "郑州市", "410000"], ["410102", "中原区", "410100"], ["410105", "金水区", "410100"],
  ["411000", "许昌市", "410000"], ["411002", "魏都区", "411000"], ["411025", "襄城县", "411000"],
  ["411025100", "城关镇", "411025"], ["411025101", "颍桥回族镇", "411025"], ["411025102", "麦岭镇", "411025"],
  ["411025103", "库庄镇", "411025"], ["411025200", "丁营乡", "411025"],
  ["330000", "浙江省", null], ["330300", "温州市", "330000"], ["330302", "鹿城区", "330300"], ["330303", "龙湾区", "330300"],
  ["330382", "乐清市", "330300"], ["330382001", "城东街道", "330382"], ["330382100", "柳市镇", "330382"], ["330382101", "北白象镇", "330382"],
];

type AgencySpec = [region: string, kind: AgencyKind, name: string, sectors: Sector[]];
const XC_SECTORS: Sector[] = ["COAL_MINE", "HAZARDOUS_CHEMICALS", "ROAD_TRANSPORT", "WATER_TRANSPORT", "CONSTRUCTION"];

/** Agencies as DOMAIN.md describes them; committee offices and regulators supervise every sector. */
export const AGENCIES: AgencySpec[] = [
  ["500000", "COMMITTEE_OFFICE", "重庆市安全生产委员会办公室", []],
  ["500000", "EMERGENCY", "重庆市应急管理局", ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"]],
  ["500000", "COAL", "重庆煤矿安全监察局", ["COAL_MINE"]],
  ["500000", "TRANSPORT", "重庆市交通委员会", ["ROAD_TRANSPORT", "WATER_TRANSPORT", "RAIL_TRANSIT"]],
  ["500000", "HOUSING", "重庆市城乡建设委员会", ["CONSTRUCTION"]],
  ["500000", "INDUSTRY", "重庆市经济和信息化委员会", ["CIVIL_EXPLOSIVES"]],
  ["500000", "PUBLIC_SECURITY", "重庆市公安局", ["BLASTING"]],
  ["500000", "COMMERCE", "重庆市商务委员会", ["FUEL_RETAIL"]],
  ["500000", "AGRICULTURE", "重庆市农业委员会", ["FISHERY"]],
  ["500000", "FINANCIAL_REGULATOR", "国家金融监督管理总局重庆监管局", []],
  ["350200", "COMMITTEE_OFFICE", "厦门市安全生产委员会办公室", []],
  ["350200", "EMERGENCY", "厦门市应急管理局", ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING", "CIVIL_EXPLOSIVES"]],
  ["350200", "TRANSPORT", "厦门市交通运输局", ["ROAD_TRANSPORT", "RAIL_TRANSIT"]],
  ["350200", "HOUSING", "厦门市建设局", ["CONSTRUCTION"]],
  ["350200", "OCEAN", "厦门市海洋发展局", ["FISHERY"]],
  ["350200", "PORT", "厦门港口管理局", ["WATER_TRANSPORT"]],
  ["350200", "FINANCIAL_REGULATOR", "国家金融监督管理总局厦门监管局", []],
  ["410000", "COMMITTEE_OFFICE", "河南省安全生产委员会办公室", []],
  ["410000", "EMERGENCY", "河南省应急管理厅", ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"]],
  ["410000", "COAL", "河南省煤矿安全监管局", ["COAL_MINE"]],
  ["410000", "TRANSPORT", "河南省交通运输厅", ["ROAD_TRANSPORT", "WATER_TRANSPORT", "RAIL_TRANSIT"]],
  ["410000", "HOUSING", "河南省住房和城乡建设厅", ["CONSTRUCTION"]],
  ["410000", "FINANCIAL_REGULATOR", "国家金融监督管理总局河南监管局", []],
  ["411000", "COMMITTEE_OFFICE", "许昌市安全生产委员会办公室", []],
  ["411000", "EMERGENCY", "许昌市应急管理局", ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"]],
  ["411025", "COMMITTEE_OFFICE", "襄城县安全生产委员会办公室", []],
  ["411025", "EMERGENCY", "襄城县应急管理局", ["HAZARDOUS_CHEMICALS"]],
  ["411025", "INDUSTRY", "襄城县科技和工业信息化局", ["COAL_MINE"]],
  ["411025", "TRANSPORT", "襄城县交通运输局", ["ROAD_TRANSPORT", "WATER_TRANSPORT"]],
  ["411025", "HOUSING", "襄城县住房和城乡建设局", ["CONSTRUCTION"]],
  ["411025100", "TOWNSHIP", "城关镇人民政府", XC_SECTORS],
  ["411025101", "TOWNSHIP", "颍桥回族镇人民政府", XC_SECTORS],
  ["411025102", "TOWNSHIP", "麦岭镇人民政府", XC_SECTORS],
  ["411025103", "TOWNSHIP", "库庄镇人民政府", XC_SECTORS],
  ["411025200", "TOWNSHIP", "丁营乡人民政府", XC_SECTORS],
  ["330300", "COMMITTEE_OFFICE", "温州市安全生产委员会办公室", []],
  ["330300", "EMERGENCY", "温州市应急管理局", ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"]],
  ["330300", "FINANCIAL_REGULATOR", "国家金融监督管理总局温州监管分局", []],
  ["330382", "COMMITTEE_OFFICE", "乐清市安全生产委员会办公室", []],
  ["330382", "EMERGENCY", "乐清市应急管理局", ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING", "OTHER"]],
  ["330382", "HOUSING", "乐清市住房和城乡建设局", ["CONSTRUCTION"]],
  ["330382", "TRANSPORT", "乐清市交通运输局", ["ROAD_TRANSPORT", "WATER_TRANSPORT"]],
];

/** The 12 insurers of 温州市数智安责险服务保障中心 (seed 001 appendix), head offices' region codes. */
export const INSURERS: [name: string, short: string, region: string][] = [
  ["中国太平洋财产保险股份有限公司", "太保财险", "310000"],
  ["中国人民财产保险股份有限公司", "人保财险", "110000"],
  ["中国人寿财产保险股份有限公司", "国寿财险", "110000"],
  ["中国平安财产保险股份有限公司", "平安产险", "440300"],
  ["中国大地财产保险股份有限公司", "大地保险", "310000"],
  ["中华联合财产保险股份有限公司", "中华财险", "110000"],
  ["天安财产保险股份有限公司", "天安财险", "310000"],
  ["阳光财产保险股份有限公司", "阳光财险", "110000"],
  ["太平财产保险有限公司", "太平财险", "440300"],
  ["都邦财产保险股份有限公司", "都邦保险", "220000"],
  ["永安财产保险股份有限公司", "永安财险", "610000"],
  ["浙商财产保险股份有限公司", "浙商保险", "330000"],
];
export const insurerUscc = (i: number) => makeUscc("1", INSURERS[i][2], 7_100_000 + i);

/** Regions whose 名录 lists insurers: all qualified but one suspended and one disqualified. */
export const REGISTRY_ROOTS = ["500000", "350200", "410000", "330300"];
export const SUSPENDED = { insurer: 6, region: "500000" }; // 天安 in Chongqing
export const DISQUALIFIED = { insurer: 9, region: "350200" }; // 都邦 in Xiamen

export const SERVICE_ORGS: [name: string, region: string][] = [
  ["重庆安科安全技术服务有限公司", "500112"],
  ["厦门安泰安全评价咨询有限公司", "350203"],
  ["温州瓯安安全技术服务有限公司", "330302"],
];
export const serviceOrgUscc = (i: number) => makeUscc("1", SERVICE_ORGS[i][1], 8_200_000 + i);
export const BROKER: [string, string] = [makeUscc("1", "110000", 9_300_000), "诚安保险经纪有限公司"];
