import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { PaymentKind, Sector, ServiceKind } from "../../graphql/enums.js";
import { DateTimeScalar, DecimalScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";
import type { Contributors } from "../../auth/small-cell.js";

/**
 * 季度报送 (DOMAIN.md "Quarterly report"). The classes double as the shape of the stored snapshot:
 * quarterly_report_submissions.figures is a QuarterlyReport as plain JSON (instants as ISO strings),
 * so a submitted report reads back through the same types as a live one.
 *
 * Conventions stated once, referred to by every field below:
 * - Q = [periodStart, periodEnd): 00:00 CST on the quarter's first day up to 00:00 CST on the next
 *   quarter's first day. "In the quarter" means periodStart <= t < periodEnd.
 * - Scope: a record counts when its enterprise is in the agency's jurisdiction (region subtree ×
 *   supervised sectors; committee office and financial regulator: every sector), judged by the
 *   enterprise's current region, sector and status in the register (the register keeps no history;
 *   a submitted snapshot freezes them).
 * - Money: exact decimal strings with 2 places, summed in SQL numeric and rounded once (half away
 *   from zero). Rates: decimal strings with 4 places, rounded the same way; null when the
 *   denominator is 0.
 */

export const ReportTimeliness = { ON_TIME: "ON_TIME", LATE: "LATE" } as const;
export type ReportTimeliness = keyof typeof ReportTimeliness;
registerEnumType(ReportTimeliness, {
  name: "ReportTimeliness",
  description: "报送及时性 / timeliness of one submission",
  valuesConfig: {
    ON_TIME: { description: "按时：在季度结束后第15日（北京时间）24:00前提交 / submitted no later than the end of the 15th day after the quarter, CST" },
    LATE: { description: "逾期：第16日 00:00（北京时间）及以后提交 / submitted at or after 00:00 CST on the 16th day" },
  },
});

export const ReportingStatus = { PENDING: "PENDING", ON_TIME: "ON_TIME", LATE: "LATE", MISSING: "MISSING" } as const;
export type ReportingStatus = keyof typeof ReportingStatus;
registerEnumType(ReportingStatus, {
  name: "ReportingStatus",
  description: "部门季度报送状态 / a department's reporting status for a quarter",
  valuesConfig: {
    PENDING: { description: "未到期且未报送 / not yet due, nothing submitted" },
    ON_TIME: { description: "首次报送按时 / first submission on time" },
    LATE: { description: "首次报送逾期 / first submission late" },
    MISSING: { description: "已过期未报送 / past due, nothing submitted" },
  },
});

export const NoticeSource = { SUBMITTED: "SUBMITTED", LIVE: "LIVE" } as const;
export type NoticeSource = keyof typeof NoticeSource;
registerEnumType(NoticeSource, {
  name: "NoticeSource",
  description: "通报数据来源 / where progress-notice figures come from",
  valuesConfig: {
    SUBMITTED: { description: "该部门最新报送版本的快照 / the department's latest submitted snapshot" },
    LIVE: { description: "尚未报送：按当前记录实时计算 / nothing submitted yet: computed live from the records" },
  },
});

// ---------------------------------------------------------------------------------------------
// figures

@ObjectType({ description: "投保情况 / insurance (投保) figures of a quarter" })
export class QuarterlyInsuranceFigures {
  @Field(() => Int, { description: "管辖范围内登记的单位数（不论是否应当投保、经营状态）/ enterprises in scope, whatever their mandatory status or operating status" })
  enterprisesInScope: number;

  @Field(() => Int, {
    description:
      "季末应当投保的正常经营单位数：行业或风险标签属所在地（含上级）规定的应当投保范围，且经营状态为正常经营（停产、关闭单位免于投保）/ mandatory operating enterprises at quarter end: sector or risk tag mandatory under any rule profile on the enterprise's region ancestry, status OPERATING (suspended and closed enterprises are exempt)",
  })
  mandatoryEnterprises: number;

  @Field(() => Int, {
    description:
      "其中季末在保单位数：有一张保单覆盖季度的最后时刻，即 起保 < 季末 ≤ 终止，且未退保或退保时间 ≥ 季末（季末 = periodEnd，下季度第一天 00:00 北京时间，不含）。期间止于季末的保单计入；自季末起保的保单不计入 / of them insured at quarter end: a policy covers the quarter's last instant, i.e. start_at < periodEnd <= end_at and not cancelled, or cancelled at or after periodEnd (periodEnd = 00:00 CST on the next quarter's first day, exclusive). A policy ending exactly at periodEnd counts; one starting at periodEnd does not",
  })
  insuredEnterprises: number;

  @Field(() => DecimalScalar, { nullable: true, description: "投保率 = 在保单位数 ÷ 应当投保单位数 / coverage rate = insuredEnterprises ÷ mandatoryEnterprises" })
  coverageRate: string | null;

  @Field(() => Int, { description: "应当投保单位的从业人员数之和（含劳务派遣）/ employees of the mandatory operating enterprises, dispatched workers included" })
  employees: number;

  @Field(() => Int, {
    description:
      "参保人数：逐单位取 min(季末有效保单该单位投保人数之和, 从业人员数) 再相加 / insured employees: Σ per mandatory enterprise of min(its insured headcount summed over the policies in force at quarter end, its employees)",
  })
  insuredEmployees: number;

  @Field(() => DecimalScalar, { nullable: true, description: "员工参保率 = 参保人数 ÷ 从业人员数 / employee coverage rate = insuredEmployees ÷ employees" })
  employeeCoverageRate: string | null;

  @Field(() => Int, {
    description:
      "本季度起保的保单数：起保时间在季度内、承保至少一家范围内单位（不论是否应当投保），退保时间早于或等于起保时间（从未生效）者除外；园区整体投保保单在其涉及的每个分组中各计1张 / policies starting in the quarter that insure at least one enterprise in scope (mandatory or not), except those cancelled at or before their start (never in force); a park-wide group policy counts once in every breakdown row it touches",
  })
  policiesStarted: number;

  @Field(() => MoneyScalar, {
    nullable: true,
    description:
      "上述保单保费合计（元）。园区整体投保保单按各被保险单位投保人数比例分摊，只计范围内单位的份额。行业主管部门的季度报送按规定包含保费合计，故此处以汇总数显示（单张保单保费仍为商业秘密）；无权读取保费者按小单元规则可能为 null（见 QuarterlyReport.withheld）/ premium total of those policies in yuan; a group policy's premium is apportioned by insured headcount and only the in-scope enterprises' shares count. The quarterly report each department submits includes the premium total (DOMAIN.md), so it is shown here as an aggregate to whoever may read the report; a single policy's premium stays a trade secret: null under the small-cell rule for a reader who may not read premiums (see QuarterlyReport.withheld)",
  })
  premiumTotal: string | null;
}

@ObjectType({ description: "事故情况 / accidents (出险) of a quarter" })
export class QuarterlyAccidentFigures {
  @Field(() => Int, { description: "发生时间在季度内的生产安全事故数 / work-safety accidents occurring in the quarter" }) accidents: number;
  @Field(() => Int, { description: "其中一般事故 / of them GENERAL (一般)" }) general: number;
  @Field(() => Int, { description: "其中较大事故 / of them LARGER (较大)" }) larger: number;
  @Field(() => Int, { description: "其中重大事故 / of them MAJOR (重大)" }) major: number;
  @Field(() => Int, { description: "其中特别重大事故 / of them EXTRAORDINARY (特别重大)" }) extraordinary: number;
  @Field(() => Int, { description: "这些事故的死亡人数之和 / deaths in those accidents" }) deaths: number;
  @Field(() => Int, { description: "这些事故的重伤人数之和（含急性工业中毒）/ serious injuries in those accidents, acute poisoning included" }) seriousInjuries: number;
  @Field(() => MoneyScalar, { description: "这些事故的直接经济损失之和（元）/ direct economic loss of those accidents in yuan" }) directLoss: string;
}

@ObjectType({ description: "按支付类型的赔款 / claim payments of one kind" })
export class QuarterlyPaymentKindFigures {
  @Field(() => PaymentKind, { description: "支付类型 / payment kind" }) kind: string;
  @Field(() => Int, { description: "支付时间在季度内的该类支付笔数 / payments of this kind paid in the quarter" }) payments: number;
  @Field(() => MoneyScalar, { description: "金额合计（元）/ their amount in yuan" }) amount: string;
}

@ObjectType({ description: "理赔情况 / claims (出险理赔) of a quarter" })
export class QuarterlyClaimFigures {
  @Field(() => Int, { description: "报案时间在季度内的理赔案件数（任何状态，含拒赔）/ claims reported in the quarter, any status, rejected ones included" }) claimsReported: number;
  @Field(() => Int, { description: "结案时间在季度内的已结案案件数（不含拒赔）/ claims settled in the quarter (status SETTLED, settled_at in the quarter; rejections excluded)" }) claimsSettled: number;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "季度内结案案件的平均结案天数：(结案时间 − 报案时间) ÷ 24小时 的平均值，保留2位小数；无结案时为 null / average days from report to settlement of the claims settled in the quarter: mean of (settled_at − reported_at) ÷ 24 h, 2 places; null when none was settled",
  })
  averageDaysToSettle: string | null;
  @Field(() => MoneyScalar, { description: "支付时间在季度内的赔款合计（元，预付与结案赔付之和）/ all claim payments paid in the quarter in yuan (advances + settlements)" }) paidTotal: string;
  @Field(() => MoneyScalar, {
    description:
      "其中预付类（先行垫付/预付 ADVANCE、紧急费用垫付 EMERGENCY_ADVANCE、小额快付 SMALL_FAST）/ of which advance-type payments: ADVANCE, EMERGENCY_ADVANCE and SMALL_FAST",
  })
  advancesPaid: string;
  @Field(() => MoneyScalar, { description: "其中结案赔付（SETTLEMENT）/ of which settlement payments (SETTLEMENT)" }) settlementsPaid: string;
  @Field(() => [QuarterlyPaymentKindFigures], { description: "按支付类型（四类均列出）/ by payment kind, all four listed" }) paymentsByKind: QuarterlyPaymentKindFigures[];
}

@ObjectType({ description: "事故预防费用按使用类别 / prevention-fund use of one category" })
export class QuarterlyFundCategoryFigures {
  @Field(() => String, { description: "使用类别（FundUseCategory）/ use category" }) category: string;
  @Field(() => Int, { description: "记账时间在季度内的该类使用条目数 / USE entries of this category booked in the quarter" }) entries: number;
  @Field(() => MoneyScalar, { nullable: true, description: "金额（元，整体投保保单按投保人数分摊；小单元规则下可能为 null）/ amount in yuan, group policies apportioned by insured headcount; null when withheld under the small-cell rule" })
  amount: string | null;
}

@ObjectType({
  description:
    "事故预防费用提取和使用。台账条目经其保单的被保险单位计入范围；园区整体投保保单的条目按各单位投保人数比例分摊；未关联保单的条目无法归属单位，不计入。行业主管部门的季度报送按规定包含提取和使用金额，故以汇总数显示 / prevention-fund extraction and use. Ledger entries count through the enterprises their policy insures; a group policy's entries are apportioned by insured headcount; entries booked without a policy belong to no enterprise and are not counted. Each department's quarterly report includes these amounts (DOMAIN.md), so they are shown as aggregates",
})
export class QuarterlyFundFigures {
  @Field(() => MoneyScalar, { nullable: true, description: "记账时间在季度内的提取（EXTRACTION）金额合计（元；小单元规则下可能为 null）/ EXTRACTION booked in the quarter, in yuan; null when withheld under the small-cell rule" })
  extracted: string | null;
  @Field(() => Int, { description: "提取条目数 / EXTRACTION entries" }) extractionEntries: number;
  @Field(() => MoneyScalar, { nullable: true, description: "记账时间在季度内的使用（USE）金额合计（元；小单元规则下可能为 null）/ USE booked in the quarter, in yuan; null when withheld under the small-cell rule" })
  used: string | null;
  @Field(() => Int, { description: "使用条目数 / USE entries" }) useEntries: number;
  @Field(() => [QuarterlyFundCategoryFigures], { description: "使用按类别（仅列出有发生额的类别，按代码排序）/ USE by category (categories with entries, by code)" })
  useByCategory: QuarterlyFundCategoryFigures[];
  @Field(() => DecimalScalar, { nullable: true, description: "使用 ÷ 提取（按上面两个两位小数金额计算）；提取为0时为 null / used ÷ extracted (of the two rounded amounts above); null when nothing was extracted" })
  usedToExtractedRatio: string | null;
}

@ObjectType({ description: "按服务类型的事故预防服务次数 / prevention services of one kind" })
export class QuarterlyServiceKindFigures {
  @Field(() => ServiceKind, { description: "服务类型 / kind" }) kind: string;
  @Field(() => Int, { description: "服务时间在季度内的该类服务次数 / services of this kind performed in the quarter" }) services: number;
}

@ObjectType({ description: "风险评估与事故预防服务 / risk assessment and prevention services of a quarter" })
export class QuarterlyServiceFigures {
  @Field(() => Int, { description: "服务时间在季度内的事故预防服务次数（各类合计）/ prevention services performed in the quarter, all kinds" }) services: number;
  @Field(() => Int, { description: "其中风险评估（RISK_ASSESSMENT）次数 / of them RISK_ASSESSMENT (风险评估)" }) riskAssessments: number;
  @Field(() => [QuarterlyServiceKindFigures], { description: "按服务类型（六类均列出）/ by kind, all six listed" }) byKind: QuarterlyServiceKindFigures[];
  @Field(() => Int, { description: "书面告知日期（北京时间日历日）在季度内的隐患数 / hazards whose written notice date (CST calendar date) falls in the quarter" }) hazardsFound: number;
  @Field(() => Int, { description: "其中重大隐患 / of them MAJOR (重大隐患)" }) majorHazards: number;
  @Field(() => Int, { description: "其中在季末前已整改（整改时间 < periodEnd）的隐患数 / of them rectified before quarter end (rectified_at < periodEnd)" }) hazardsRectified: number;
  @Field(() => Int, { description: "季末在保单位中季度内接受过至少1次事故预防服务的单位数 / insured enterprises (as in insuredEnterprises) with ≥ 1 prevention service performed in the quarter" })
  servicedEnterprises: number;
  @Field(() => DecimalScalar, { nullable: true, description: "安全服务率 = 接受服务的在保单位数 ÷ 季末在保单位数 / service rate = servicedEnterprises ÷ insuredEnterprises" })
  serviceRate: string | null;
}

@ObjectType({ description: "一组季度数字（总体、某行业领域或某下级区划）/ one set of quarterly figures: overall, one sector or one child region" })
export class QuarterlyFigures {
  @Field(() => Sector, { nullable: true, description: "行业领域（仅 bySector）/ sector (bySector only)" }) sector: SectorCode | null;
  @Field(() => String, { nullable: true, description: "下级区划代码（仅 byRegion）/ child region code (byRegion only)" }) regionCode: string | null;
  @Field(() => String, { nullable: true, description: "下级区划名称（仅 byRegion）/ child region name (byRegion only)" }) regionName: string | null;
  @Field(() => QuarterlyInsuranceFigures, { description: "投保 / insurance" }) insurance: QuarterlyInsuranceFigures;
  @Field(() => QuarterlyAccidentFigures, { description: "出险：事故 / accidents" }) accidents: QuarterlyAccidentFigures;
  @Field(() => QuarterlyClaimFigures, { description: "出险：理赔 / claims" }) claims: QuarterlyClaimFigures;
  @Field(() => QuarterlyFundFigures, { description: "事故预防费用提取和使用 / prevention fund" }) preventionFund: QuarterlyFundFigures;
  @Field(() => QuarterlyServiceFigures, { description: "风险评估与服务 / risk assessment and services" }) services: QuarterlyServiceFigures;
}

@ObjectType({
  description:
    "部门季度报送内容（渝府办发〔2017〕182号：投保、出险、事故预防费用提取和使用、风险评估），按该部门管辖范围（区划含下级 × 主管行业；安委办、金融监管局为全部行业）从记录实时计算；已提交的报送为不可变快照 / an agency's quarterly report: 投保, 出险, 事故预防费用, 风险评估, computed live from the records over its jurisdiction (region subtree × supervised sectors; committee office and financial regulator: every sector); a submitted report is an immutable snapshot of this",
})
export class QuarterlyReport {
  @Field(() => String, { description: "部门标识 / agency id" }) agencyId: string;
  @Field(() => String, { description: "部门名称 / agency name" }) agencyName: string;
  @Field(() => String, { description: "部门类型 / agency kind" }) agencyKind: string;
  @Field(() => String, { description: "管辖区划（含下级）/ the jurisdiction's region subtree root" }) regionCode: string;
  @Field(() => [Sector], { nullable: true, description: "计入的行业领域（null = 全部）/ sectors counted; null = every sector" }) sectors: SectorCode[] | null;
  @Field(() => Int, { description: "年度 / year" }) year: number;
  @Field(() => Int, { description: "季度 1–4 / quarter" }) quarter: number;
  @Field(() => DateTimeScalar, { description: "季度起（含）：首日 00:00 北京时间 / quarter start, inclusive: 00:00 CST on its first day" }) periodStart: Date;
  @Field(() => DateTimeScalar, { description: "季度止（不含）：下季度首日 00:00 北京时间；“季末”时点指紧接其前的最后时刻 / quarter end, exclusive: 00:00 CST on the next quarter's first day; \"at quarter end\" means the last instant before it" })
  periodEnd: Date;
  @Field(() => DateTimeScalar, { description: "报送截止：季度结束后第15日 23:59:59.999 北京时间 / due: the last instant of the 15th day after the quarter, CST" }) dueAt: Date;
  @Field(() => Boolean, { description: "计算时季度是否已结束（未结束时为截至目前的数字）/ whether the quarter had ended when computed (if not, figures are to date)" }) quarterEnded: boolean;
  @Field(() => DateTimeScalar, { description: "计算时间（报送快照为提交时间）/ when computed (for a snapshot: when submitted)" }) computedAt: Date;
  @Field(() => QuarterlyFigures, { description: "总体 / overall" }) overall: QuarterlyFigures;
  @Field(() => [QuarterlyFigures], {
    description: "按行业领域：行业主管部门为其各主管行业（含零值）；安委办、金融监管局为辖区内有登记单位的行业 / by sector: a department's every supervised sector (zeros included); for all-sector agencies, the sectors with at least one enterprise in the region subtree",
  })
  bySector: QuarterlyFigures[];
  @Field(() => [QuarterlyFigures], {
    description: "按下一级区划（区划表中的直接下级，含零值；登记在本级区划代码本身的单位只计入总体）/ by child region (direct children in the regions table, zeros included; enterprises registered at the agency's own region code count in overall only)",
  })
  byRegion: QuarterlyFigures[];

  @Field(() => [String], {
    description:
      "按小单元规则对您不予显示（为 null）的数字路径，如 overall.insurance.premiumTotal、bySector[2].preventionFund.used；无权读取保费的调用方（行业主管部门）：季度结束前不显示保费与事故预防费用金额；按下一级区划不显示；一个单元少于3张保单或只涉及1家保险机构时不显示；按行业领域任一行不显示则各行均不显示；使用类别金额须总体及各行业的每个类别均满足规则。判定所用的保单数、机构数随报告保存（figures 中的 disclosure）/ " +
      "paths of the figures withheld from you (null) under the small-cell rule, e.g. overall.insurance.premiumTotal, bySector[2].preventionFund.used. For a reader who may not read premiums (a sector department): no premium or fund amount before the quarter has ended; none by child region; none for a cell of fewer than 3 policies or of a single insurer; a figure withheld in one sector row is withheld in every sector row; category amounts only when every category row of overall and of every sector passes. The policy and insurer counts the rule uses are stored with the report (disclosure in figures)",
  })
  withheld: string[];

  /** The contributors behind each money figure, for the small-cell rule (disclosure.ts); stored with a snapshot, not a GraphQL field. */
  disclosure?: DisclosureBasis;
}

/** What each money cell of a report sums: overall and bySector (in bySector's order). */
export interface CellBasis {
  premium: Contributors;
  extraction: Contributors;
  use: Contributors;
  /** USE by category */
  categories: Record<string, Contributors>;
}

export interface DisclosureBasis {
  overall: CellBasis;
  bySector: CellBasis[];
}

// ---------------------------------------------------------------------------------------------
// submissions

@ObjectType({ description: "一次季度报送（不可变快照；更正为新版本）/ one quarterly-report submission: an immutable snapshot; a correction is a new version" })
export class QuarterlyReportSubmission {
  @Field(() => String, { description: "部门标识 / agency id" }) agencyId: string;
  @Field(() => Int, { description: "年度 / year" }) year: number;
  @Field(() => Int, { description: "季度 / quarter" }) quarter: number;
  @Field(() => Int, { description: "版本：首次报送为1，每次更正加1 / version: 1 for the first submission, +1 per correction" }) version: number;
  @Field(() => String, { description: "报送内容：QuarterlyReport 的规范化 JSON（键排序）/ the submitted QuarterlyReport as canonical JSON (sorted keys)" }) figures: string;
  @Field(() => QuarterlyReport, { description: "报送内容（同 figures，按类型读取）/ the same snapshot, typed" }) report: QuarterlyReport;
  @Field(() => String, { description: "内容哈希：figures 字符串（UTF-8）的 SHA-256，十六进制 / SHA-256 of the figures string (UTF-8), hex" }) contentHash: string;
  @Field(() => Boolean, { description: "按存储内容重算的哈希与 contentHash 一致 / the hash recomputed from the stored figures matches contentHash" }) hashVerified: boolean;
  @Field(() => ReportTimeliness, { description: "该版本提交是否在截止前 / whether this version was submitted by the due instant" }) timeliness: ReportTimeliness;
  @Field(() => String, { nullable: true, description: "报送说明 / note" }) note: string | null;
  @Field(() => String, { nullable: true, description: "更正原因（版本 ≥ 2 必填）/ correction reason, required from version 2" }) correctionReason: string | null;
  @Field(() => String, { description: "提交人（令牌 sub）/ submitted by (the token's sub)" }) submittedBy: string;
  @Field(() => DateTimeScalar, { description: "提交时间 / submitted at" }) submittedAt: Date;
}

// ---------------------------------------------------------------------------------------------
// reportingCompliance

@ObjectType({
  description:
    "通报对比数字：已报送的部门取其最新版本快照，未报送的按当前记录实时计算（source 标明），以便通报所引数字可复现 / progress-notice figures side by side: the department's latest submitted snapshot when there is one, otherwise computed live (see source), so a published notice cites reproducible numbers",
})
export class ProgressNoticeFigures {
  @Field(() => NoticeSource, { description: "数据来源 / where the figures come from" }) source: NoticeSource;
  @Field(() => Int, { nullable: true, description: "快照版本（LIVE 为 null）/ snapshot version; null when LIVE" }) version: number | null;
  @Field(() => Int, { description: "应当投保单位数 / mandatory operating enterprises (overall.insurance.mandatoryEnterprises)" }) mandatoryEnterprises: number;
  @Field(() => Int, { description: "季末在保单位数 / insured at quarter end (overall.insurance.insuredEnterprises)" }) insuredEnterprises: number;
  @Field(() => DecimalScalar, { nullable: true, description: "投保率 / coverage rate (overall.insurance.coverageRate)" }) coverageRate: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: "员工参保率 / employee coverage rate (overall.insurance.employeeCoverageRate)" }) employeeCoverageRate: string | null;
  @Field(() => Int, { description: "季度内报案数 / claims reported (overall.claims.claimsReported)" }) claimsReported: number;
  @Field(() => MoneyScalar, { description: "季度内已付赔款（元）/ claim payments paid in the quarter (overall.claims.paidTotal)" }) claimsPaid: string;
  @Field(() => MoneyScalar, { description: "事故预防费用提取（元）/ prevention fund extracted (overall.preventionFund.extracted)" }) preventionExtracted: string;
  @Field(() => MoneyScalar, { description: "事故预防费用使用（元）/ prevention fund used (overall.preventionFund.used)" }) preventionUsed: string;
  @Field(() => DecimalScalar, { nullable: true, description: "安全服务率 / service rate (overall.services.serviceRate)" }) serviceRate: string | null;
}

@ObjectType({ description: "一个行业主管部门某季度的报送情况 / one sector department's reporting for the quarter" })
export class DepartmentReporting {
  @Field(() => String, { description: "部门标识 / agency id" }) agencyId: string;
  @Field(() => String, { description: "部门名称 / agency name" }) agencyName: string;
  @Field(() => String, { description: "部门类型 / agency kind" }) agencyKind: string;
  @Field(() => String, { description: "所在区划 / region code" }) regionCode: string;
  @Field(() => [Sector], { description: "主管行业 / supervised sectors" }) sectors: SectorCode[];
  @Field(() => ReportingStatus, {
    description:
      "状态：按首次报送时间判定按时/逾期（更正不改变状态）；未报送时截止前为 PENDING、截止后为 MISSING / status: ON_TIME or LATE by the FIRST submission's instant (a correction does not change it); without one, PENDING until due, MISSING after",
  })
  status: ReportingStatus;
  @Field(() => Int, { description: "逾期天数：按首次报送时间（未报送按当前时间）计，截止后第1个北京时间日历日为1 / days late: as of the first submission (or now when missing); any time on the 16th day CST is 1" }) daysLate: number;
  @Field(() => DateTimeScalar, { nullable: true, description: "首次报送时间 / first submitted at" }) firstSubmittedAt: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "最新版本提交时间 / latest version submitted at" }) latestSubmittedAt: Date | null;
  @Field(() => Int, { nullable: true, description: "最新版本号（未报送为 null）/ latest version; null when nothing submitted" }) latestVersion: number | null;
  @Field(() => ProgressNoticeFigures, { description: "通报对比数字 / progress-notice figures" }) notice: ProgressNoticeFigures;
}

@ObjectType({ description: "季度报送情况（安委办）：辖区内每个行业主管部门的报送状态与通报对比 / reporting compliance for the committee office: every sector department in the region subtree, its status and notice figures" })
export class ReportingCompliance {
  @Field(() => Int, { description: "年度 / year" }) year: number;
  @Field(() => Int, { description: "季度 / quarter" }) quarter: number;
  @Field(() => String, { description: "区划（含下级）/ region subtree root" }) regionCode: string;
  @Field(() => DateTimeScalar, { description: "报送截止 / due" }) dueAt: Date;
  @Field(() => DateTimeScalar, { description: "状态判定时间 / the instant statuses are judged at" }) asOf: Date;
  @Field(() => Int, { description: "按时报送部门数 / departments ON_TIME" }) onTime: number;
  @Field(() => Int, { description: "逾期报送部门数 / departments LATE" }) late: number;
  @Field(() => Int, { description: "未报送且已过期部门数 / departments MISSING" }) missing: number;
  @Field(() => Int, { description: "未到期未报送部门数 / departments PENDING" }) pending: number;
  @Field(() => [DepartmentReporting], { description: "行业主管部门（所在区划在该区划子树内者，按标识排序）/ sector departments whose region is in the subtree, by id" })
  departments: DepartmentReporting[];
}
