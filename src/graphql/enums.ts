import { registerEnumType } from "type-graphql";
import * as V from "../domain/vocabulary.js";

/** GraphQL enums from the domain vocabularies; values carry the Chinese term departments read. */
const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const Sector = asEnum(V.SECTOR_CODES);
registerEnumType(Sector, {
  name: "Sector",
  description: "行业领域 / Sector",
  valuesConfig: Object.fromEntries(V.SECTOR_CODES.map((s) => [s, { description: V.SECTORS[s] }])),
});

export const Role = asEnum(V.ROLES);
registerEnumType(Role, {
  name: "Role",
  description: "角色 / Role",
  valuesConfig: {
    COMMITTEE_OFFICE: { description: "安委会办公室 / work-safety committee office" },
    SECTOR_DEPARTMENT: { description: "行业主管部门 / sector department" },
    FINANCIAL_REGULATOR: { description: "金融监管局 / insurance regulator" },
    INSURER: { description: "保险机构 / insurer" },
    SERVICE_ORG: { description: "事故预防服务机构 / prevention service org" },
    ENTERPRISE: { description: "生产经营单位 / enterprise" },
    PUBLIC: { description: "社会公众 / public" },
  },
});

export const EnterpriseStatus = asEnum(V.ENTERPRISE_STATUSES);
registerEnumType(EnterpriseStatus, {
  name: "EnterpriseStatus",
  description: "经营状态 / operating status",
  valuesConfig: { OPERATING: { description: "正常经营" }, SUSPENDED: { description: "停产停业" }, CLOSED: { description: "关闭（免于投保）" } },
});

export const PolicyStatus = asEnum(V.POLICY_STATUSES);
registerEnumType(PolicyStatus, {
  name: "PolicyStatus",
  description: "保单状态 / policy status",
  valuesConfig: { PENDING: { description: "未起保" }, ACTIVE: { description: "有效" }, EXPIRED: { description: "已到期" }, CANCELLED: { description: "已退保/注销" } },
});

export const ClaimStatus = asEnum(V.CLAIM_STATUSES);
registerEnumType(ClaimStatus, {
  name: "ClaimStatus",
  description: "理赔状态 / claim status",
  valuesConfig: {
    REPORTED: { description: "已报案" }, ASSESSED: { description: "已定损" }, ADVANCE_PAID: { description: "已预付" },
    SETTLED: { description: "已结案" }, REJECTED: { description: "已拒赔" },
  },
});

export const PaymentKind = asEnum(V.PAYMENT_KINDS);
registerEnumType(PaymentKind, {
  name: "PaymentKind",
  description: "支付类型 / payment kind",
  valuesConfig: {
    ADVANCE: { description: "先行垫付/预付" }, EMERGENCY_ADVANCE: { description: "紧急费用垫付" },
    SMALL_FAST: { description: "小额快付" }, SETTLEMENT: { description: "结案赔付" },
  },
});

export const ServiceKind = asEnum(V.SERVICE_KINDS);
registerEnumType(ServiceKind, {
  name: "ServiceKind",
  description: "事故预防服务类型（AQ 9010-2019）/ prevention service kind",
  valuesConfig: {
    RISK_ASSESSMENT: { description: "风险评估" }, HAZARD_INVESTIGATION: { description: "隐患排查" }, TRAINING: { description: "宣传教育培训" },
    EMERGENCY_DRILL: { description: "应急演练" }, TECH_PROMOTION: { description: "科技推广" }, OTHER: { description: "其他" },
  },
});

export const HazardSeverity = asEnum(V.HAZARD_SEVERITIES);
registerEnumType(HazardSeverity, { name: "HazardSeverity", description: "隐患等级 / hazard severity", valuesConfig: { GENERAL: { description: "一般隐患" }, MAJOR: { description: "重大隐患" } } });

export const HazardStatus = asEnum(V.HAZARD_STATUSES);
registerEnumType(HazardStatus, {
  name: "HazardStatus",
  description: "整改状态 / rectification status",
  valuesConfig: { OPEN: { description: "整改中" }, RECTIFIED: { description: "已整改" }, OVERDUE: { description: "逾期未整改" }, REFUSED: { description: "拒不整改" } },
});

export const AccidentGrade = asEnum(V.ACCIDENT_GRADES);
registerEnumType(AccidentGrade, {
  name: "AccidentGrade",
  description: "事故等级（《生产安全事故报告和调查处理条例》第三条）/ accident grade",
  valuesConfig: { GENERAL: { description: "一般事故" }, LARGER: { description: "较大事故" }, MAJOR: { description: "重大事故" }, EXTRAORDINARY: { description: "特别重大事故" } },
});

export const FundEntryKind = asEnum(V.FUND_ENTRY_KINDS);
registerEnumType(FundEntryKind, { name: "FundEntryKind", description: "台账类型 / ledger entry kind", valuesConfig: { EXTRACTION: { description: "提取" }, USE: { description: "使用" } } });
