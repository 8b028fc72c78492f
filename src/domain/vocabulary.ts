/** The hub's fixed vocabularies. GraphQL enums and seed data both come from these lists. */

export const ROLES = ["COMMITTEE_OFFICE", "SECTOR_DEPARTMENT", "FINANCIAL_REGULATOR", "INSURER", "SERVICE_ORG", "ENTERPRISE", "PUBLIC"] as const;
export type Role = (typeof ROLES)[number];

export const AGENCY_KINDS = [
  "COMMITTEE_OFFICE", "EMERGENCY", "COAL", "TRANSPORT", "HOUSING", "INDUSTRY", "PUBLIC_SECURITY",
  "COMMERCE", "AGRICULTURE", "OCEAN", "PORT", "FINANCIAL_REGULATOR", "TOWNSHIP",
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/** 行业领域. The first eight groups are the national mandatory sectors (应急〔2025〕27号). */
export const SECTORS = {
  COAL_MINE: "煤矿",
  NON_COAL_MINE: "非煤矿山",
  HAZARDOUS_CHEMICALS: "危险化学品",
  FIREWORKS: "烟花爆竹",
  CIVIL_EXPLOSIVES: "民用爆炸物品",
  METAL_SMELTING: "金属冶炼",
  CONSTRUCTION: "建筑施工",
  ROAD_TRANSPORT: "道路运输",
  WATER_TRANSPORT: "水路运输",
  RAIL_TRANSIT: "轨道交通",
  FISHERY: "渔业生产",
  BLASTING: "爆破作业",
  FUEL_RETAIL: "燃气及成品油零售",
  OTHER: "其他较高风险行业",
} as const;
export type Sector = keyof typeof SECTORS;
export const SECTOR_CODES = Object.keys(SECTORS) as Sector[];

export const ENTERPRISE_STATUSES = ["OPERATING", "SUSPENDED", "CLOSED"] as const;
export const SERVICE_KINDS = ["RISK_ASSESSMENT", "HAZARD_INVESTIGATION", "TRAINING", "EMERGENCY_DRILL", "TECH_PROMOTION", "OTHER"] as const;
export const CLAIM_STATUSES = ["REPORTED", "ASSESSED", "ADVANCE_PAID", "SETTLED", "REJECTED"] as const;
export const PAYMENT_KINDS = ["ADVANCE", "EMERGENCY_ADVANCE", "SMALL_FAST", "SETTLEMENT"] as const;
export const ACCIDENT_GRADES = ["GENERAL", "LARGER", "MAJOR", "EXTRAORDINARY"] as const;
export const HAZARD_SEVERITIES = ["GENERAL", "MAJOR"] as const;
export const HAZARD_STATUSES = ["OPEN", "RECTIFIED", "OVERDUE", "REFUSED"] as const;
export const POLICY_STATUSES = ["PENDING", "ACTIVE", "EXPIRED", "CANCELLED"] as const;
export const COVERAGE_ITEMS = [
  "EMPLOYEE_INJURY_DEATH", "THIRD_PARTY_INJURY", "THIRD_PARTY_PROPERTY", "RESCUE", "MEDICAL", "ACCIDENT_APPRAISAL", "LEGAL_COSTS", "OCCUPATIONAL_DISEASE",
] as const;
export const FUND_ENTRY_KINDS = ["EXTRACTION", "USE"] as const;
