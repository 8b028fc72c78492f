import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";
import { Sector, ServiceKind } from "../../graphql/enums.js";
import { DateTimeScalar, DecimalScalar, MoneyScalar } from "../../graphql/scalars.js";

/**
 * 保险机构考核 (insurer assessment) and 纯风险损失率 (pure risk loss rate). Conventions, stated once:
 * - Q = [periodStart, periodEnd): 00:00 CST on the quarter's first day up to 00:00 CST on the next
 *   quarter's first day; "in the quarter" means periodStart <= t < periodEnd.
 * - Region: a record counts when its enterprise's current region lies in the region subtree.
 * - Money: exact decimal strings with 2 places, summed in SQL numeric and rounded once (half away
 *   from zero). Rates: 4 places, computed from the two amounts or counts as shown; null when the
 *   denominator is 0.
 * - A park-wide group policy's premium and ledger entries are apportioned to its insured
 *   enterprises by insured headcount (as in the quarterly report); a co-insured policy's premium to
 *   its insurers by their co-insurance shares.
 */

@ObjectType({ description: "承保情况 / underwriting of one insurer in the quarter and region" })
export class InsurerUnderwriting {
  @Field(() => Int, {
    description:
      "本季度承保保单数：起保时间在季度内、该机构为主承保或共保、承保至少一家区域内单位的保单（退保时间不晚于起保时间者除外）/ policies starting in the quarter in which the insurer is lead or co-insurer and which insure at least one enterprise in the region (except those cancelled at or before their start)",
  })
  policiesWritten: number;
  @Field(() => Int, { description: "其中作为主承保的保单数 / of them as lead insurer" }) policiesLed: number;
  @Field(() => MoneyScalar, {
    description:
      "本机构保费（元）：上述保单的 保费 × 本机构共保份额 × 区域内被保险单位投保人数 ÷ 保单投保人数 之和 / the insurer's premium in yuan: Σ over those policies of premium × its co-insurance share × (insured headcount of the enterprises in the region ÷ the policy's insured headcount)",
  })
  premium: string;
  @Field(() => MoneyScalar, {
    nullable: true,
    description:
      "区域市场保费合计（元）：全部保险机构按同一口径的保费之和；仅安委办、金融监管局可见（保险机构看不到同业保费）/ the region's market premium: the same sum over every insurer; committee office and financial regulator only (an insurer never sees competitors' premiums)",
  })
  marketPremium: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: "市场份额 = 本机构保费 ÷ 区域市场保费（按上述两位小数金额计算）/ market share = premium ÷ marketPremium, of the two rounded amounts" })
  marketShare: string | null;
}

@ObjectType({ description: "理赔情况 / claims handled by one insurer" })
export class InsurerClaims {
  @Field(() => Int, { description: "报案时间在季度内、由该机构报送的区域内单位的案件数 / claims filed by the insurer for enterprises in the region, reported in the quarter" })
  claimsReported: number;
  @Field(() => Int, { description: "结案时间在季度内的已结案件数（拒赔不计）/ claims settled in the quarter (rejections excluded)" }) claimsSettled: number;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: "季度内结案案件 (结案时间 − 报案时间) ÷ 24小时 的平均值，2位小数；无结案为 null / mean of (settled_at − reported_at) ÷ 24 h over the claims settled in the quarter, 2 places; null when none",
  })
  averageDaysToSettle: string | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "结案天数第90百分位（最近秩法）：季度内结案的 n 件按结案天数升序排列，取第 ⌈0.9 n⌉ 件的天数，2位小数（PostgreSQL percentile_disc(0.9)）；无结案为 null / 90th percentile of days to settle by the nearest-rank method: the ⌈0.9 n⌉-th smallest of the n claims settled in the quarter, 2 places (percentile_disc(0.9)); null when none",
  })
  p90DaysToSettle: string | null;
  @Field(() => MoneyScalar, { description: "支付时间在季度内、由该机构支付的赔款合计（元，预付与结案赔付）/ claim payments the insurer made in the quarter for enterprises in the region (advances and settlements)" })
  paidTotal: string;
  @Field(() => MoneyScalar, { description: "其中预付类（先行垫付、紧急费用垫付、小额快付）/ of which advance-type payments (ADVANCE, EMERGENCY_ADVANCE, SMALL_FAST)" })
  advancesPaid: string;
  @Field(() => DecimalScalar, { nullable: true, description: "预付占比 = 预付类 ÷ 已付赔款 / share paid in advance = advancesPaid ÷ paidTotal" }) advanceShare: string | null;
}

@ObjectType({ description: "一类事故预防服务：实际与按合同折算应提供 / one service kind: delivered against contracted pro rata" })
export class InsurerServiceKind {
  @Field(() => ServiceKind, { description: "服务类型 / kind" }) kind: string;
  @Field(() => Int, { description: "季度内实际提供次数 / services of this kind delivered in the quarter" }) delivered: number;
  @Field(() => DecimalScalar, { description: "按合同折算应提供次数（2位小数）/ contracted services pro rata, 2 places" }) contracted: string;
}

@ObjectType({ description: "事故预防：费用与服务 / prevention: the fund and the services" })
export class InsurerPrevention {
  @Field(() => MoneyScalar, {
    description:
      "记账时间在季度内的本机构提取（EXTRACTION）金额（元），经其保单的区域内被保险单位计入（整体投保保单按投保人数分摊；未关联保单的条目不计）/ the insurer's EXTRACTION booked in the quarter, counted through its policy's insured enterprises in the region (group policies apportioned by headcount; entries without a policy are not counted)",
  })
  fundExtracted: string;
  @Field(() => MoneyScalar, { description: "同口径的使用（USE）金额（元）/ USE booked in the quarter, same rules" }) fundUsed: string;
  @Field(() => MoneyScalar, {
    nullable: true,
    description:
      "提取下限（元）= Σ 本机构本季度保费（同 underwriting.premium 的口径，逐单位）× 该单位所在地有效的事故预防费用比例下限（各级规定取最高）；区域内本季度保费均不适用下限时为 null / the floor: Σ per enterprise of the insurer's premium written in the quarter (as underwriting.premium) × the effective preventionRatioFloor of the enterprise's region (highest along its ancestry); null when none of that premium is under a floor",
  })
  fundFloor: string | null;
  @Field(() => [String], { description: "计算下限所依据的规定 / the documents of the floors applied" }) floorSources: string[];
  @Field(() => DecimalScalar, { nullable: true, description: "使用 ÷ 提取 / used ÷ extracted" }) usedToExtractedRatio: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: "提取 ÷ 下限 / extracted ÷ floor" }) extractedToFloorRatio: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: "使用 ÷ 下限 / used ÷ floor" }) usedToFloorRatio: string | null;
  @Field(() => Int, { description: "服务时间在季度内、由该机构报送的区域内单位的事故预防服务次数 / prevention services the insurer filed for enterprises in the region, performed in the quarter" })
  servicesDelivered: number;
  @Field(() => DecimalScalar, {
    description:
      "按合同折算应提供次数：该机构主承保保单的服务计划，逐被保险单位、逐服务类型，年频次 × (保单有效期与季度重叠时长 ÷ 保单期间时长)，有效期止于终止或退保时间，求和后保留2位小数 / contracted services pro rata: over the service plans of the policies the insurer leads, per insured enterprise in the region and kind, yearlyFrequency × (overlap of the policy's cover [start, min(end, cancelled)) with the quarter ÷ the policy period end − start), summed, 2 places",
  })
  servicesContracted: string;
  @Field(() => DecimalScalar, { nullable: true, description: "服务完成率 = 实际 ÷ 应提供（按2位小数的应提供次数）/ delivery ratio = servicesDelivered ÷ servicesContracted" }) serviceDeliveryRatio: string | null;
  @Field(() => [InsurerServiceKind], { description: "按服务类型（六类均列出）/ by kind, all six listed" }) servicesByKind: InsurerServiceKind[];
  @Field(() => Int, { description: "该机构服务发现、书面告知日期（北京时间）在季度内的隐患数 / hazards found by the insurer's services whose written notice date (CST) is in the quarter" }) hazardsFound: number;
  @Field(() => Int, { description: "其中重大隐患 / of them MAJOR" }) majorHazards: number;
  @Field(() => Int, { description: "其中季末前已整改 / of them rectified before periodEnd" }) hazardsRectified: number;
  @Field(() => DecimalScalar, { nullable: true, description: "整改率 = 已整改 ÷ 发现 / rectification rate = hazardsRectified ÷ hazardsFound" }) rectificationRate: string | null;
}

@ObjectType({ description: "某规则下未消除的合规问题数 / open compliance findings of one rule" })
export class FindingCount {
  @Field(() => String, { description: "规则代码 / rule code" }) ruleCode: string;
  @Field(() => Int, { description: "未消除数 / open findings" }) open: number;
}

@ObjectType({
  description:
    "保险机构季度考核数据（某区划子树内）：承保、理赔、事故预防、未消除合规问题。各项均按记录实时计算 / an insurer's assessment for a quarter within a region subtree: underwriting, claims, prevention and open findings, computed live from the records",
})
export class InsurerAssessment {
  @Field(() => String, { description: "保险机构统一社会信用代码 / insurer USCC" }) insurerId: string;
  @Field(() => String, { description: "机构名称 / name" }) insurerName: string;
  @Field(() => String, { description: "简称 / short name" }) insurerShortName: string;
  @Field(() => String, { nullable: true, description: "区划（含下级）；null = 全部区划（保险机构未指定区划时）/ region subtree; null = every region (an insurer asking without regionCode)" })
  regionCode: string | null;
  @Field(() => Int, { description: "年度 / year" }) year: number;
  @Field(() => Int, { description: "季度 / quarter" }) quarter: number;
  @Field(() => DateTimeScalar, { description: "季度起（含）/ quarter start, inclusive" }) periodStart: Date;
  @Field(() => DateTimeScalar, { description: "季度止（不含）/ quarter end, exclusive" }) periodEnd: Date;
  @Field(() => DateTimeScalar, { description: "计算时间 / computed at" }) computedAt: Date;
  @Field(() => InsurerUnderwriting, { description: "承保 / underwriting" }) underwriting: InsurerUnderwriting;
  @Field(() => InsurerClaims, { description: "理赔（按报送案件的机构计，不按共保份额拆分）/ claims, by the insurer that filed them (not split by co-insurance share)" }) claims: InsurerClaims;
  @Field(() => InsurerPrevention, { description: "事故预防 / prevention" }) prevention: InsurerPrevention;
  @Field(() => Int, {
    description: "当前未消除的合规问题数：涉及该机构、相关单位在区域内的问题（不涉及单位的问题不计）/ compliance findings open now that name the insurer and an enterprise in the region (findings without an enterprise are not counted)",
  })
  openFindings: number;
  @Field(() => [FindingCount], { description: "按规则代码 / by rule code, in code order" }) findingsByRule: FindingCount[];
  @Field(() => [String], {
    description:
      "按小单元规则对您不予显示（为 null）的数字路径。保险机构查看本机构考核时：市场份额仅在季度结束后、且区域内不含本机构的保单至少3张、涉及至少2家其他保险机构时显示（否则可由份额反推同业保费）/ " +
      "paths of the figures withheld from you (null) under the small-cell rule. An insurer reading its own assessment sees underwriting.marketShare only once the quarter has ended and when the region's policies it has no share in number at least 3 from at least 2 other insurers (otherwise the share would reveal its competitors' premium)",
  })
  withheld: string[];
}

export const InsurerRankingOrder = {
  PREMIUM: "PREMIUM",
  SERVICE_DELIVERY: "SERVICE_DELIVERY",
  SETTLEMENT_SPEED: "SETTLEMENT_SPEED",
  FUND_USE: "FUND_USE",
  HAZARD_RECTIFICATION: "HAZARD_RECTIFICATION",
  OPEN_FINDINGS: "OPEN_FINDINGS",
} as const;
export type InsurerRankingOrder = keyof typeof InsurerRankingOrder;
registerEnumType(InsurerRankingOrder, {
  name: "InsurerRankingOrder",
  description: "排名依据（单一、公开的排序键；并列同名次，再按统一社会信用代码排列；无值者排最后）/ the ranking key: one published sort key; equal values share a rank, then USCC order; null values last",
  valuesConfig: {
    PREMIUM: { description: "保费（市场份额）从高到低 / underwriting.premium, highest first" },
    SERVICE_DELIVERY: { description: "服务完成率从高到低 / prevention.serviceDeliveryRatio, highest first" },
    SETTLEMENT_SPEED: { description: "平均结案天数从少到多 / claims.averageDaysToSettle, fewest first" },
    FUND_USE: { description: "预防费用使用 ÷ 下限从高到低 / prevention.usedToFloorRatio, highest first" },
    HAZARD_RECTIFICATION: { description: "隐患整改率从高到低 / prevention.rectificationRate, highest first" },
    OPEN_FINDINGS: { description: "未消除合规问题从少到多 / openFindings, fewest first" },
  },
});

@ObjectType({ description: "排名中的一家保险机构 / one insurer in the ranking" })
export class InsurerRankingEntry {
  @Field(() => Int, { description: "名次（并列同名次，下一名次跳过，如 1、2、2、4）/ rank; ties share it and the next rank skips (1, 2, 2, 4)" }) rank: number;
  @Field(() => String, { nullable: true, description: "排序键的值（十进制字符串）；无值为 null / the sort key's value as a decimal string; null when it has none" }) sortValue: string | null;
  @Field(() => InsurerAssessment, { description: "该机构的考核数据 / its assessment" }) assessment: InsurerAssessment;
}

@ObjectType({
  description:
    "区域内保险机构排名：列出季度内在区域内有有效保单（主承保或共保，季度内任一时刻有效）的全部保险机构，按 orderBy 排序；不计算综合得分，每项考核数据均可逐项核对 / every insurer active in the region (lead or co-insurer of a policy in force at some instant of the quarter for an enterprise in the region), ordered by one published key; no opaque composite score, every figure can be checked",
})
export class InsurerRanking {
  @Field(() => String, { description: "区划（含下级）/ region subtree" }) regionCode: string;
  @Field(() => Int, { description: "年度 / year" }) year: number;
  @Field(() => Int, { description: "季度 / quarter" }) quarter: number;
  @Field(() => InsurerRankingOrder, { description: "排名依据 / ranking key" }) orderBy: InsurerRankingOrder;
  @Field(() => MoneyScalar, { description: "区域市场保费合计（元）/ the region's market premium, as underwriting.marketPremium" }) marketPremium: string;
  @Field(() => DateTimeScalar, { description: "计算时间 / computed at" }) computedAt: Date;
  @Field(() => [InsurerRankingEntry], { description: "排名 / the ranking" }) entries: InsurerRankingEntry[];
}

// ---------------------------------------------------------------------------------------------
// pure risk loss rate

@ObjectType({ description: "一个行业领域（或总体）的纯风险损失率 / the pure risk loss rate of one sector, or overall" })
export class PureRiskLossRate {
  @Field(() => Sector, { nullable: true, description: "行业领域；总体为 null / sector; null overall" }) sector: SectorCode | null;
  @Field(() => Int, { description: "报案时间在年度内、现已结案的案件数 / claims reported in the year and settled by now" }) settledClaims: number;
  @Field(() => MoneyScalar, { description: "其结案金额合计（元）/ their settled amounts" }) settledAmount: string;
  @Field(() => Int, { description: "报案时间在年度内、现未结案（已报案、已定损、已预付）的案件数 / claims reported in the year and still open (REPORTED, ASSESSED, ADVANCE_PAID)" }) openClaims: number;
  @Field(() => MoneyScalar, { description: "其估损准备金合计（元）/ their reserves" }) openReserves: string;
  @Field(() => MoneyScalar, {
    description: "已发生赔款（元）= 年度内报案已结案件的结案金额 + 年度内报案未结案件的准备金（拒赔为0），按当前记录 / claims incurred = settledAmount + openReserves, as of now (rejected claims count 0)",
  })
  claimsIncurred: string;
  @Field(() => MoneyScalar, {
    nullable: true,
    description:
      "已赚保费（元；小单元规则下可能为 null，见 withheld）= Σ 保费 × (保单保障期与年度重叠时长 ÷ 保单期间时长)；保障期为 [起保, min(终止, 退保))，退保后未到期部分视为未赚；整体投保保单按投保人数分摊到各单位 / earned premium = Σ premium × (overlap of the policy's cover [start, min(end, cancelled)) with the year ÷ the policy period end − start); the unexpired part after a cancellation is unearned; group policies apportioned by headcount; null when withheld under the small-cell rule (see withheld)",
  })
  earnedPremium: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: "纯风险损失率 = 已发生赔款 ÷ 已赚保费（4位小数）；已赚保费为0时为 null / pure risk loss rate = claimsIncurred ÷ earnedPremium, 4 places; null when nothing was earned" })
  lossRate: string | null;
}

@ObjectType({
  description:
    "纯风险损失率（河南省要求按行业领域公布）：年度 = 北京时间1月1日00:00起至次年1月1日00:00（不含）；单位按其现登记的区划和行业领域计入 / pure risk loss rates by sector for a calendar year in CST (Henan publishes them); enterprises count by their current region and sector",
})
export class PureRiskLossRates {
  @Field(() => String, { description: "区划（含下级）/ region subtree" }) regionCode: string;
  @Field(() => Int, { description: "年度 / year" }) year: number;
  @Field(() => DateTimeScalar, { description: "年度起（含）/ year start" }) periodStart: Date;
  @Field(() => DateTimeScalar, { description: "年度止（不含）/ year end, exclusive" }) periodEnd: Date;
  @Field(() => DateTimeScalar, { description: "计算时间（已发生赔款按此时的记录）/ computed at: incurred claims as recorded at this instant" }) computedAt: Date;
  @Field(() => Boolean, { description: "所在地规定要求公布纯风险损失率 / whether a rule profile on the region's ancestry requires publishing it" }) publicationRequired: boolean;
  @Field(() => [String], { description: "该要求的依据 / its sources" }) publicationSources: string[];
  @Field(() => PureRiskLossRate, { description: "总体 / overall" }) overall: PureRiskLossRate;
  @Field(() => [PureRiskLossRate], {
    description: "按行业领域：行业主管部门为其各主管行业（含零值）；安委办、金融监管局为有已赚保费或已发生赔款的行业 / by sector: a sector department's every supervised sector (zeros included); otherwise the sectors with earned premium or incurred claims",
  })
  bySector: PureRiskLossRate[];
  @Field(() => [String], {
    description:
      "按小单元规则对您不予显示（为 null）的数字路径，如 bySector[1].earnedPremium。无权读取保费的调用方（行业主管部门）：已赚保费和损失率（可由已发生赔款反推已赚保费）仅在年度结束后、区划为本辖区本身时显示，且一个单元须至少3张保单、涉及至少2家保险机构；按行业领域任一行不显示则各行均不显示 / " +
      "paths of the figures withheld from you (null) under the small-cell rule, e.g. bySector[1].earnedPremium. For a reader who may not read premiums (a sector department): earnedPremium and lossRate (which with claimsIncurred gives the earned premium) only once the year has ended, only for its own jurisdiction's region (no narrowing), only for a cell of at least 3 policies from at least 2 insurers; withheld in one sector row, withheld in every sector row",
  })
  withheld: string[];
}
