/**
 * Well-known demo identities. The start-up banner prints tokens for them and tests look them up,
 * so they are fixed strings (valid check characters, computed once) that do not depend on the
 * seed or the scale: the generator always creates these records with the promised data.
 */
export const DEMO = {
  committeeOffice: "500000-COMMITTEE_OFFICE",
  /** 重庆市应急管理局: non-coal mines, hazardous chemicals, fireworks, metal smelting */
  department: "500000-EMERGENCY",
  financialRegulator: "500000-FINANCIAL_REGULATOR",
  /** a township government in 襄城县, the finest jurisdiction in the demo */
  township: "411025100-TOWNSHIP",
  /** 中国人民财产保险股份有限公司 */
  insurer: "91110000MA01RB6P4B",
  /** 重庆安元安全技术服务有限公司, named on DEMO.enterprise's policies */
  serviceOrg: "91500112MA5U7G3K8M",
  broker: "91110102MA00H5KW3D",
  /** 重庆渝北安达化工有限公司 (渝北区, hazardous chemicals): insured by DEMO.insurer in 2025 and 2026, with claims, services and hazards */
  enterprise: "91500112MA60QK3W13",
} as const;

/** "Today" in the demo world (China Standard Time); data runs from 2025-01-01 to 2026-11-20. */
export const DEMO_TODAY = "2026-11-23";
