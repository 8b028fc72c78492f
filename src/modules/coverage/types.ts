import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection.js";
import { Sector } from "../../graphql/enums.js";
import { DateTimeScalar, DecimalScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";
import { Enterprise } from "../enterprises/types.js";
import type { EnterpriseRow } from "../enterprises/service.js";

// ---------------------------------------------------------------------------------------------
// coverage(regionCode, sector, asOf)

@ObjectType({ description: "投保率、员工参保率、安全服务率目标及依据 / coverage targets and where they come from" })
export class CoverageTargets {
  @Field(() => DecimalScalar, { description: "投保率目标 / coverage-rate target" }) coverageRate: string;
  @Field(() => DecimalScalar, { description: "员工参保率目标 / employee-coverage-rate target" }) employeeCoverageRate: string;
  @Field(() => DecimalScalar, { description: "安全服务率目标 / service-rate target" }) serviceRate: string;
  @Field(() => [String], { description: "依据 / sources" }) sources: string[];
  @Field(() => Boolean, {
    description: "所在地规定未设目标，按应当投保单位应保尽保计100% / no profile on the region's ancestry sets targets: 100% assumed (every mandatory enterprise must insure)",
  })
  defaulted: boolean;
}

@ObjectType({
  description:
    "一组单位的覆盖情况（总体、某行业领域或某下级区划）。比率为4位小数字符串（四舍五入），分母为0时为 null / coverage figures of one group (overall, one sector or one child region); rates are decimal strings with 4 places (half away from zero), null when the denominator is 0",
})
export class CoverageFigures {
  @Field(() => String, { nullable: true, description: "下级区划代码（仅 byRegion）/ child region code (byRegion only)" }) regionCode: string | null;
  @Field(() => String, { nullable: true, description: "下级区划名称（仅 byRegion）/ child region name (byRegion only)" }) regionName: string | null;
  @Field(() => Sector, { nullable: true, description: "行业领域（仅 bySector）/ sector (bySector only)" }) sector: SectorCode | null;
  @Field(() => Int, { description: "应当投保且正常经营的单位数 / mandatory operating enterprises" }) mandatoryEnterprises: number;
  @Field(() => Int, { description: "其中在保单位数 / of them insured at asOf" }) insuredEnterprises: number;
  @Field(() => DecimalScalar, { nullable: true, description: "投保率 = 在保单位 ÷ 应当投保单位 / coverage rate" }) coverageRate: string | null;
  @Field(() => Int, { description: "应当投保单位从业人员数（含劳务派遣）/ their employees" }) employees: number;
  @Field(() => Int, {
    description: "参保人数：逐单位 min(有效保单投保人数之和, 从业人员数) 相加 / insured employees: Σ per enterprise of min(insured headcount under in-force policies, employees)",
  })
  insuredEmployees: number;
  @Field(() => DecimalScalar, { nullable: true, description: "员工参保率 = 参保人数 ÷ 从业人员数 / employee coverage rate" }) employeeCoverageRate: string | null;
  @Field(() => Int, { description: "服务窗口内接受过至少1次事故预防服务的在保单位数 / insured enterprises with ≥ 1 prevention service in the service window" })
  servicedEnterprises: number;
  @Field(() => DecimalScalar, { nullable: true, description: "安全服务率 = 接受服务的在保单位 ÷ 在保单位 / service rate" }) serviceRate: string | null;
  @Field(() => CoverageTargets, { description: "适用目标 / the targets these figures are measured against" }) targets: CoverageTargets;
  @Field(() => Boolean, { nullable: true, description: "投保率达标（比率为 null 时为 null）/ coverage target met" }) coverageTargetMet: boolean | null;
  @Field(() => Boolean, { nullable: true, description: "员工参保率达标 / employee-coverage target met" }) employeeCoverageTargetMet: boolean | null;
  @Field(() => Boolean, { nullable: true, description: "安全服务率达标 / service target met" }) serviceTargetMet: boolean | null;
}

@ObjectType({
  description:
    "投保率、员工参保率、安全服务率（本人管辖范围内：部门只计其主管行业和辖区）/ coverage, employee coverage and service rates, counted within the caller's jurisdiction only",
})
export class CoverageReport {
  @Field(() => String, { description: "区划代码（含下级）/ region code, subtree included" }) regionCode: string;
  @Field(() => String, { description: "区划名称 / region name" }) regionName: string;
  @Field(() => Sector, { nullable: true, description: "行业领域筛选（null = 管辖范围内全部）/ sector filter; null = every sector in scope" }) sector: SectorCode | null;
  @Field(() => DateTimeScalar, { description: "统计时点 / the instant measured" }) asOf: Date;
  @Field(() => DateTimeScalar, { description: "安全服务统计窗口起：asOf 所在季度（北京时间）第一天 00:00 / service window start: 00:00 CST on the first day of asOf's calendar quarter" })
  serviceFrom: Date;
  @Field(() => DateTimeScalar, { description: "安全服务统计窗口止（含）= asOf / service window end (inclusive) = asOf" }) serviceTo: Date;
  @Field(() => CoverageFigures, { description: "总体 / overall" }) overall: CoverageFigures;
  @Field(() => [CoverageFigures], { description: "按行业领域（仅列出有应当投保单位的领域）/ by sector (sectors with at least one mandatory enterprise)" })
  bySector: CoverageFigures[];
  @Field(() => [CoverageFigures], {
    description:
      "按下一级区划（与本人管辖范围相交者；登记在本级区划代码本身的单位只计入总体）/ by child region (those overlapping your jurisdiction; enterprises registered at regionCode itself count in overall only)",
  })
  byRegion: CoverageFigures[];
}

// ---------------------------------------------------------------------------------------------
// uninsuredEnterprises(regionCode, sector, asOf, first, after)

export const UninsuredReason = { NEVER_INSURED: "NEVER_INSURED", LAPSED: "LAPSED", CANCELLED: "CANCELLED" } as const;
export type UninsuredReason = keyof typeof UninsuredReason;
registerEnumType(UninsuredReason, {
  name: "UninsuredReason",
  description: "未投保原因 / why an enterprise has no cover",
  valuesConfig: {
    NEVER_INSURED: { description: "从未投保（asOf 前无已起保的保单）/ no policy had started by asOf" },
    LAPSED: { description: "到期未续保（断保）/ its last policy expired without renewal" },
    CANCELLED: { description: "最后一张保单已退保/注销 / its last policy was cancelled" },
  },
});

@ObjectType({ description: "金额区间（元）/ money range in yuan" })
export class MoneyRange {
  @Field(() => MoneyScalar, { description: "下限 / minimum" }) min: string;
  @Field(() => MoneyScalar, { description: "上限 / maximum" }) max: string;
}

@ObjectType({ description: "未投保罚款幅度（《安全生产法》第一百零九条）/ fine range for failing to insure (安全生产法 第一百零九条)" })
export class PenaltyRange {
  @Field(() => MoneyRange, { description: "责令限期改正并处罚款 / first fine" }) first: MoneyRange;
  @Field(() => MoneyRange, { description: "逾期未改正 / not corrected in time" }) uncorrected: MoneyRange;
  @Field(() => [String], { description: "依据 / sources" }) sources: string[];
}

@ObjectType({ description: "应当投保而在 asOf 无有效保单的正常经营单位 / a mandatory operating enterprise without cover at asOf" })
export class UninsuredEnterprise {
  @Field(() => Enterprise, { description: "单位 / the enterprise" }) enterprise: EnterpriseRow;
  @Field(() => UninsuredReason, { description: "原因 / reason" }) reason: UninsuredReason;
  @Field(() => DateTimeScalar, { nullable: true, description: "最后一张保单到期或退保时间（从未投保为 null）/ end or cancellation of the last policy; null if never insured" })
  uninsuredSince: Date | null;
  @Field(() => Int, { nullable: true, description: "未投保整天数（从未投保为 null）/ whole days (24 h) from uninsuredSince to asOf; null if never insured" })
  daysUninsured: number | null;
  @Field(() => Boolean, { description: "是否列入联合惩戒黑名单 / blacklisted" }) blacklisted: boolean;
  @Field(() => Boolean, { description: "仍在所在地断保宽限期内（全国为0天）/ still inside the region's lapse grace days (0 nationally)" }) withinGracePeriod: boolean;
  @Field(() => PenaltyRange, { nullable: true, description: "所在地生效的罚款幅度 / fine range under its region's effective rules" }) penalty: PenaltyRange | null;
}

export const UninsuredEnterpriseConnection = Connection(UninsuredEnterprise, "UninsuredEnterprise", "未投保单位");

// ---------------------------------------------------------------------------------------------
// insuranceStatus(uscc): the public lookup

@ObjectType({ description: "一张当前有效保单的公开信息：承保机构名称和保险期间 / what the public sees of one in-force policy: insurer names and period" })
export class InsurancePeriod {
  @Field(() => [String], { description: "承保机构名称（主承保在前，其后共保机构）/ insurer names, lead first, then co-insurers" }) insurerNames: string[];
  @Field(() => DateTimeScalar, { description: "保险期间起（含）/ period start, inclusive" }) startAt: Date;
  @Field(() => DateTimeScalar, { description: "保险期间止（不含）/ period end, exclusive" }) endAt: Date;
}

@ObjectType({
  description:
    "企业投保情况公开查询：是否在保、承保机构、保险期间，别无其他 / public insurance-status lookup: insured or not, insurer names, period; nothing else",
})
export class InsuranceStatus {
  @Field(() => String, { description: "所查统一社会信用代码 / the USCC asked about" }) uscc: string;
  @Field(() => Boolean, { description: "当前是否在保（未登记的单位同样为 false）/ insured right now (an unknown enterprise is false too)" }) insured: boolean;
  @Field(() => [InsurancePeriod], { description: "当前有效保单 / the in-force policies" }) periods: InsurancePeriod[];
}
