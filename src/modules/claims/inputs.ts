import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { PaymentKind } from "../../graphql/enums.js";
import { DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import { Accident, Claim, ClaimPayment } from "./types.js";

@InputType({ description: "生产安全事故（部门登记；等级由伤亡与损失计算，不可填报）/ a work-safety accident recorded by a department; the grade is computed, never given" })
export class AccidentInput {
  @Field(() => String, { description: "事故单位统一社会信用代码（须在本部门管辖范围内）/ enterprise USCC, inside your jurisdiction" }) enterpriseUscc: string;
  @Field(() => DateTimeScalar, { description: "发生时间（不得晚于当前时间）/ occurred at, not in the future" }) occurredAt: Date;
  @Field(() => Int, { description: "死亡人数 / deaths" }) deaths: number;
  @Field(() => Int, { description: "重伤人数（含急性工业中毒）/ serious injuries incl. acute poisoning" }) seriousInjuries: number;
  @Field(() => MoneyScalar, { description: "直接经济损失（元）/ direct economic loss in yuan" }) directLoss: string;
  @Field(() => String, { nullable: true, description: "事故简况 / description" }) description?: string;
}

@InputType({ description: "索赔人（个人信息）/ a claimant (personal data)" })
export class ClaimantInput {
  @Field(() => String, { description: "类型 EMPLOYEE 从业人员 / THIRD_PARTY 第三者 / kind" }) kind: string;
  @Field(() => String, { description: "姓名 / name" }) name: string;
  @Field(() => String, { description: "居民身份证号（GB 11643，末位 x 按 X 处理）/ resident ID number (GB 11643; a final x is read as X)" }) idNumber: string;
  @Field(() => String, { nullable: true, description: "伤情 / injury" }) injury?: string;
}

@InputType({ description: "报案（调用方须为保单主承保机构）/ a claim report; the caller is the policy's lead insurer" })
export class ClaimReportInput {
  @Field(() => String, { description: "本机构保单号 / policy number of one of your policies" }) policyNo: string;
  @Field(() => String, { description: "本机构案件号（机构内唯一）/ your claim reference, unique among your claims" }) claimRef: string;
  @Field(() => String, { description: "出险单位（须为该保单的被保险单位）/ enterprise USCC, insured by the policy" }) enterpriseUscc: string;
  @Field(() => ID, { nullable: true, description: "关联事故（须为该单位的事故，发生在保险期间内）/ accident of that enterprise, inside the policy period" }) accidentId?: string;
  @Field(() => DateTimeScalar, { description: "报案时间（不早于起保，不早于事故发生）/ reported at: not before the period starts nor before the accident" }) reportedAt: Date;
  @Field(() => MoneyScalar, { description: "估损准备金 / reserve" }) reserve: string;
  @Field(() => [ClaimantInput], { description: "索赔人（可为空，如仅救援费用）/ claimants; may be empty, e.g. rescue costs only" }) claimants: ClaimantInput[];
}

@InputType({ description: "赔款支付 / a payment on a claim" })
export class ClaimPaymentInput {
  @Field(() => String, { description: "本机构案件号 / your claim reference" }) claimRef: string;
  @Field(() => String, { description: "本机构支付流水号（机构内唯一）/ your payment reference, unique among your payments" }) paymentRef: string;
  @Field(() => PaymentKind, { description: "支付类型 / kind" }) kind: string;
  @Field(() => MoneyScalar, { description: "金额（大于0）/ amount, > 0" }) amount: string;
  @Field(() => DateTimeScalar, { description: "支付时间（不早于报案）/ paid at, not before the report" }) paidAt: Date;
}

@InputType({ description: "定损 / a claim's assessment" })
export class ClaimAssessmentInput {
  @Field(() => String, { description: "本机构案件号 / your claim reference" }) claimRef: string;
  @Field(() => DateTimeScalar, { description: "定损时间（不早于报案）/ assessed at, not before the report" }) assessedAt: Date;
  @Field(() => MoneyScalar, { nullable: true, description: "定损后的估损准备金（不填则不变）/ revised reserve; unchanged when omitted" }) reserve?: string;
}

@InputType({ description: "结案或拒赔 / settle or reject a claim" })
export class ClaimSettlementInput {
  @Field(() => String, { description: "本机构案件号 / your claim reference" }) claimRef: string;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "拒赔（须填拒赔理由与拒赔时间；已有支付的案件不能拒赔）/ reject: needs rejectionReason and rejectedAt; not after payments" }) reject?: boolean;
  @Field(() => MoneyScalar, { nullable: true, description: "结案金额（结案时必填，不低于已付金额）/ settled amount: required to settle, at least what was paid" }) settledAmount?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "结案时间（结案时必填）/ settled at: required to settle" }) settledAt?: Date;
  @Field(() => String, { nullable: true, description: "拒赔理由 / rejection reason" }) rejectionReason?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "拒赔时间 / rejected at" }) rejectedAt?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "定损时间（尚未定损时可一并填写）/ assessed at, when not assessed yet" }) assessedAt?: Date;
}

@ObjectType({ description: "事故登记结果 / result of recordAccident" })
export class AccidentRecordResult {
  @Field(() => String, { description: "幂等键 / idempotency key" }) idempotencyKey: string;
  @Field(() => Boolean, { description: "是否为重复提交的回放（未写入）/ replay of an earlier identical push: nothing written" }) replayed: boolean;
  @Field(() => Accident, { nullable: true, description: "事故 / the stored accident" }) accident: unknown;
}

@ObjectType({ description: "理赔报送结果 / result of a claim push" })
export class ClaimResult {
  @Field(() => String, { description: "幂等键 / idempotency key" }) idempotencyKey: string;
  @Field(() => Boolean, { description: "是否为重复提交的回放（未写入）/ replay of an earlier identical push: nothing written" }) replayed: boolean;
  @Field(() => Claim, { nullable: true, description: "理赔案件 / the stored claim" }) claim: unknown;
}

@ObjectType({ description: "赔款支付报送结果 / result of recordClaimPayment" })
export class ClaimPaymentResult {
  @Field(() => String, { description: "幂等键 / idempotency key" }) idempotencyKey: string;
  @Field(() => Boolean, { description: "是否为重复提交的回放（未写入）/ replay of an earlier identical push: nothing written" }) replayed: boolean;
  @Field(() => Claim, { nullable: true, description: "理赔案件 / the claim" }) claim: unknown;
  @Field(() => ClaimPayment, { nullable: true, description: "该笔支付 / the stored payment" }) payment: unknown;
}
