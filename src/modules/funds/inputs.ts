import { Field, InputType, ObjectType, registerEnumType } from "type-graphql";
import { FundEntryKind } from "../../graphql/enums.js";
import { DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import { ComplianceFinding } from "../compliance/types.js";
import { FundEntry } from "./types.js";

/**
 * 事故预防费用使用类别: the uses 渝府办发〔2017〕182号 二(九) and 厦应急规〔2022〕2号 二(七) list
 * (宣传教育培训、风险评估/风险管控、隐患排查治理、应急救援演练、科技推广应用、安全奖励、其他).
 */
export const FUND_USE_CATEGORIES = ["TRAINING", "RISK_ASSESSMENT", "HAZARD_INVESTIGATION", "EMERGENCY_DRILL", "TECH_PROMOTION", "SAFETY_REWARD", "OTHER"] as const;
export const FundUseCategory = Object.fromEntries(FUND_USE_CATEGORIES.map((c) => [c, c])) as { [K in (typeof FUND_USE_CATEGORIES)[number]]: K };
registerEnumType(FundUseCategory, {
  name: "FundUseCategory",
  description: "事故预防费用使用类别 / use category of the prevention fund",
  valuesConfig: {
    TRAINING: { description: "安全生产宣传教育培训" },
    RISK_ASSESSMENT: { description: "风险评估、风险管控" },
    HAZARD_INVESTIGATION: { description: "隐患排查治理" },
    EMERGENCY_DRILL: { description: "应急救援演练" },
    TECH_PROMOTION: { description: "安全生产科技推广应用" },
    SAFETY_REWARD: { description: "安全奖励" },
    OTHER: { description: "法律、法规、规章规定的其他事故预防工作" },
  },
});

@InputType({ description: "台账条目所属保单（调用方须为其主承保或共保机构）/ the policy an entry is booked against; the caller must insure it" })
export class FundEntryPolicyInput {
  @Field(() => String, { description: "主承保机构 / the policy's lead insurer USCC" }) insurerUscc: string;
  @Field(() => String, { description: "保单号 / policy number" }) policyNo: string;
}

@InputType({ description: "事故预防费用台账条目（本机构台账）/ a prevention-fund ledger entry of the caller's own ledger" })
export class FundEntryInput {
  @Field(() => String, { description: "台账编号，本机构内唯一 / entry reference, unique per insurer" }) entryRef: string;
  @Field(() => FundEntryKind, { description: "提取 / 使用 / kind" }) kind: string;
  @Field(() => FundUseCategory, { nullable: true, description: "使用类别（使用必填，提取不填）/ use category: required for USE, absent for EXTRACTION" })
  category?: string | null;
  @Field(() => MoneyScalar, { description: "金额（元，大于0）/ amount in yuan, > 0" }) amount: string;
  @Field(() => DateTimeScalar, { description: "记账时间（据实列支）/ booked at" }) bookedAt: Date;
  @Field(() => FundEntryPolicyInput, { nullable: true, description: "所属保单 / policy" }) policy?: FundEntryPolicyInput | null;
  @Field(() => String, { nullable: true, description: "摘要 / note" }) note?: string | null;
}

@ObjectType({ description: "台账记账结果 / result of booking a ledger entry" })
export class FundEntryRecordResult {
  @Field(() => String, { description: "幂等键 / idempotency key" }) idempotencyKey: string;
  @Field(() => Boolean, { description: "是否为重复提交的回放（同一幂等键，或同一台账编号且内容相同）/ replay of an earlier identical push (same key, or same reference and content)" })
  replayed: boolean;
  @Field(() => FundEntry, { nullable: true, description: "台账条目 / the stored entry" }) entry: unknown;
  @Field(() => [ComplianceFinding], { description: "本机构在该保单上的未消除费用问题 / the caller's open spending findings on the policy" }) findings: unknown[];
}
