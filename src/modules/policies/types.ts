import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection.js";
import { PolicyStatus, Sector, ServiceKind } from "../../graphql/enums.js";
import { DateTimeScalar, DecimalScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";

// simpleResolvers: plain fields read the row as graphql-js does by default (no per-field wrapper);
// the read planner (src/graphql/plan) plans exactly those
@ObjectType({ description: "安责险保单（当前版本）/ Policy, current version", simpleResolvers: true })
export class Policy {
  @Field(() => ID, { description: "内部标识 / internal id" }) id: number;
  @Field(() => String, { description: "保单号（同一保险机构内唯一）/ policy number, unique per insurer" }) policyNo: string;
  @Field(() => String, { description: "主承保机构统一社会信用代码 / lead insurer USCC" }) insurerUscc: string;
  @Field(() => DateTimeScalar, { description: "保险期间起（含）/ period start, inclusive" }) startAt: Date;
  @Field(() => DateTimeScalar, { description: "保险期间止（不含）/ period end, exclusive" }) endAt: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "退保/注销时间 / cancelled at" }) cancelledAt: Date | null;
  @Field(() => String, { nullable: true, description: "退保原因 / cancellation reason" }) cancelReason: string | null;
  @Field(() => MoneyScalar, { nullable: true, description: "保费（商业秘密）/ premium (trade secret)" }) premium: string;
  @Field(() => DecimalScalar, { nullable: true, description: "基准费率（商业秘密）/ base rate (trade secret)" }) baseRate: string;
  @Field(() => DecimalScalar, { nullable: true, description: "费率浮动比例，-0.4 = 下浮40%（商业秘密）/ rate float (trade secret)" }) rateFloat: string;
  @Field(() => DecimalScalar, { nullable: true, description: "手续费比例（商业秘密）/ commission ratio (trade secret)" }) commissionRatio: string;
  @Field(() => DecimalScalar, { nullable: true, description: "事故预防费用比例（商业秘密）/ prevention-fund ratio (trade secret)" }) preventionFundRatio: string;
  @Field(() => Int, { description: "投保人数 / insured headcount" }) insuredHeadcount: number;
  @Field(() => MoneyScalar, { description: "每人死亡伤残限额 / death and disability limit per person" }) deathLimitPerPerson: string;
  @Field(() => MoneyScalar, { nullable: true, description: "每人医疗费用限额 / medical limit per person" }) medicalLimitPerPerson: string | null;
  @Field(() => MoneyScalar, { nullable: true, description: "第三者责任限额 / third-party limit" }) thirdPartyLimit: string | null;
  @Field(() => [String], { description: "保障项目 / coverage items" }) coverageItems: string[];
  @Field(() => Boolean, { description: "是否园区整体投保 / park-wide group policy" }) isGroupPolicy: boolean;
  @Field(() => Int, { description: "版本号（批改后递增）/ version, bumped by each amendment" }) version: number;
}

@ObjectType({ description: "被保险单位 / an enterprise insured by a policy", simpleResolvers: true })
export class InsuredEnterprise {
  @Field(() => String, { description: "统一社会信用代码 / USCC" }) enterpriseUscc: string;
  @Field(() => Int, { description: "该单位投保人数 / insured headcount of this enterprise" }) insuredHeadcount: number;
}

@ObjectType({ description: "共保份额 / co-insurance share", simpleResolvers: true })
export class CoinsuranceShare {
  @Field(() => String, { description: "保险机构 / insurer USCC" }) insurerUscc: string;
  @Field(() => DecimalScalar, { description: "份额（合计为1）/ share, summing to 1" }) share: string;
  @Field(() => Boolean, { description: "是否主承保 / lead insurer" }) isLead: boolean;
}

@ObjectType({ description: "事故预防服务计划 / prevention-service plan item" })
export class ServicePlanItem {
  @Field(() => ServiceKind, { description: "服务类型 / kind" }) kind: string;
  @Field(() => Int, { description: "每年次数 / times per year" }) yearlyFrequency: number;
}

@ObjectType({ description: "批改历史版本 / policy version (amendment history)" })
export class PolicyVersion {
  @Field(() => Int, { description: "版本号 / version" }) version: number;
  @Field(() => String, { description: "批改原因 / reason" }) reason: string;
  @Field(() => String, { description: "操作人 / by" }) createdBy: string;
  @Field(() => DateTimeScalar, { description: "时间 / at" }) createdAt: Date;
  @Field(() => String, { nullable: true, description: "该版本报送内容（JSON，含保费，商业秘密）/ the content filed for this version as JSON (trade secret)" }) snapshot: string;
}

export const PolicyConnection = Connection(Policy, "Policy", "保单");

@InputType({ description: "保单筛选条件 / policy filter" })
export class PolicyFilter {
  @Field(() => String, { nullable: true, description: "被保险单位所在区划（含下级）/ insured enterprise's region subtree" }) regionCode?: string;
  @Field(() => [Sector], { nullable: true, description: "被保险单位行业 / insured enterprise's sectors" }) sectors?: SectorCode[];
  @Field(() => [PolicyStatus], { nullable: true, description: "状态（按当前时间）/ statuses, as of now" }) statuses?: string[];
  @Field(() => String, { nullable: true, description: "保险机构（主承保或共保）/ insurer USCC, lead or co-insurer" }) insurerUscc?: string;
  @Field(() => String, { nullable: true, description: "被保险单位 / insured enterprise USCC" }) enterpriseUscc?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "起保时间不早于 / starts at or after" }) startFrom?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "起保时间早于 / starts before" }) startBefore?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "在此时刻有效 / in force at this instant" }) inForceAt?: Date;
}
