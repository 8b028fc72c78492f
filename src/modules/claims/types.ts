import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection.js";
import { AccidentGrade, ClaimStatus, PaymentKind, Sector } from "../../graphql/enums.js";
import { DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";

@ObjectType({ description: "生产安全事故 / Work-safety accident" })
export class Accident {
  @Field(() => ID, { description: "内部标识 / internal id" }) id: number;
  @Field(() => String, { description: "事故单位 / enterprise USCC" }) enterpriseUscc: string;
  @Field(() => DateTimeScalar, { description: "发生时间 / occurred at" }) occurredAt: Date;
  @Field(() => Int, { description: "死亡人数 / deaths" }) deaths: number;
  @Field(() => Int, { description: "重伤人数（含急性工业中毒）/ serious injuries incl. acute poisoning" }) seriousInjuries: number;
  @Field(() => MoneyScalar, { description: "直接经济损失（元）/ direct economic loss" }) directLoss: string;
  @Field(() => AccidentGrade, { description: "事故等级 / grade" }) grade: string;
  @Field(() => String, { nullable: true, description: "事故简况 / description" }) description: string | null;
}

// simpleResolvers: plain fields read the row as graphql-js does by default (no per-field wrapper);
// the read planner (src/graphql/plan) plans exactly those
@ObjectType({ description: "理赔案件 / Claim", simpleResolvers: true })
export class Claim {
  @Field(() => ID, { description: "内部标识 / internal id" }) id: number;
  @Field(() => String, { description: "保险机构案件号（机构内唯一）/ insurer's claim reference" }) claimRef: string;
  @Field(() => String, { description: "处理保险机构 / handling insurer USCC" }) insurerUscc: string;
  @Field(() => String, { description: "出险单位 / enterprise USCC" }) enterpriseUscc: string;
  @Field(() => ClaimStatus, { description: "状态 / status" }) status: string;
  @Field(() => DateTimeScalar, { description: "报案时间 / reported at" }) reportedAt: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "定损时间 / assessed at" }) assessedAt: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "结案时间 / settled at" }) settledAt: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "拒赔时间 / rejected at" }) rejectedAt: Date | null;
  @Field(() => String, { nullable: true, description: "拒赔理由 / rejection reason" }) rejectionReason: string | null;
  @Field(() => MoneyScalar, { description: "估损准备金 / reserve" }) reserve: string;
  @Field(() => MoneyScalar, { nullable: true, description: "结案金额 / settled amount" }) settledAmount: string | null;
}

// simpleResolvers: plain fields read the row as graphql-js does by default (no per-field wrapper);
// the read planner (src/graphql/plan) plans exactly those
@ObjectType({ description: "索赔人（个人信息，非承办保险机构可见脱敏值）/ Claimant; personal data masked for all but the handling insurer", simpleResolvers: true })
export class Claimant {
  @Field(() => String, { description: "类型 EMPLOYEE 从业人员 / THIRD_PARTY 第三者 / kind" }) kind: string;
  @Field(() => String, { nullable: true, description: "伤情 / injury" }) injury: string | null;
}

// simpleResolvers: plain fields read the row as graphql-js does by default (no per-field wrapper);
// the read planner (src/graphql/plan) plans exactly those
@ObjectType({ description: "赔款支付 / Claim payment", simpleResolvers: true })
export class ClaimPayment {
  @Field(() => String, { description: "支付流水号 / payment reference" }) paymentRef: string;
  @Field(() => PaymentKind, { description: "支付类型 / kind" }) kind: string;
  @Field(() => MoneyScalar, { description: "金额 / amount" }) amount: string;
  @Field(() => DateTimeScalar, { description: "支付时间 / paid at" }) paidAt: Date;
}

export const ClaimConnection = Connection(Claim, "Claim", "理赔案件");
export const AccidentConnection = Connection(Accident, "Accident", "生产安全事故");

@InputType({ description: "理赔筛选条件 / claim filter" })
export class ClaimFilter {
  @Field(() => String, { nullable: true, description: "出险单位所在区划（含下级）/ region subtree" }) regionCode?: string;
  @Field(() => [Sector], { nullable: true, description: "出险单位行业 / sectors" }) sectors?: SectorCode[];
  @Field(() => [ClaimStatus], { nullable: true, description: "状态 / statuses" }) statuses?: string[];
  @Field(() => String, { nullable: true, description: "处理保险机构 / insurer USCC" }) insurerUscc?: string;
  @Field(() => String, { nullable: true, description: "出险单位 / enterprise USCC" }) enterpriseUscc?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "报案时间不早于 / reported at or after" }) reportedFrom?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "报案时间早于 / reported before" }) reportedBefore?: Date;
}

@InputType({ description: "事故筛选条件 / accident filter" })
export class AccidentFilter {
  @Field(() => String, { nullable: true, description: "事故单位所在区划（含下级）/ region subtree" }) regionCode?: string;
  @Field(() => [Sector], { nullable: true, description: "行业 / sectors" }) sectors?: SectorCode[];
  @Field(() => [AccidentGrade], { nullable: true, description: "等级 / grades" }) grades?: string[];
  @Field(() => DateTimeScalar, { nullable: true, description: "发生时间不早于 / occurred at or after" }) occurredFrom?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "发生时间早于 / occurred before" }) occurredBefore?: Date;
}
