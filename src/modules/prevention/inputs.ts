import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { HazardSeverity, ServiceKind } from "../../graphql/enums.js";
import { DateTimeScalar, LocalDateScalar, MoneyScalar } from "../../graphql/scalars.js";
import { ComplianceFinding } from "../compliance/types.js";
import { Hazard, PreventionService } from "./types.js";

@InputType({ description: "服务中发现的隐患 / a hazard the service found" })
export class FoundHazardInput {
  @Field(() => String, { description: "隐患描述 / description" }) description: string;
  @Field(() => HazardSeverity, { description: "等级 / severity" }) severity: string;
  @Field(() => LocalDateScalar, { description: "书面告知日期 / written notice date" }) noticeDate: string;
  @Field(() => LocalDateScalar, { description: "整改期限（不早于告知日期）/ rectification deadline, not before the notice date" }) deadline: string;
}

@InputType({ description: "事故预防服务记录（AQ 9010-2019）/ a prevention service record" })
export class PreventionServiceInput {
  @Field(() => String, { description: "保单的主承保机构 / the policy's lead insurer USCC" }) insurerUscc: string;
  @Field(() => String, { description: "保单号 / policy number" }) policyNo: string;
  @Field(() => String, { description: "服务编号，主承保机构内唯一 / service reference, unique per lead insurer" }) serviceRef: string;
  @Field(() => String, { description: "服务对象单位（须为该保单的被保险单位）/ enterprise served: one of the policy's insured enterprises" }) enterpriseUscc: string;
  @Field(() => String, {
    nullable: true,
    description: "实施服务的服务机构（服务机构报送时为其本身；保险机构报送时可填保单约定的服务机构，空 = 自行实施）/ the service org: the caller when a service org records; for the insurer optional, one the policy names",
  })
  serviceOrgUscc?: string | null;
  @Field(() => ServiceKind, { description: "服务类型 / kind" }) kind: string;
  @Field(() => DateTimeScalar, { description: "服务时间（须在保险期间内）/ performed at, inside the policy period" }) performedAt: Date;
  @Field(() => String, { nullable: true, description: "服务地点 / place" }) place?: string | null;
  @Field(() => [String], { description: "服务人员姓名 / staff names" }) staff: string[];
  @Field(() => MoneyScalar, { description: "列支的事故预防费用（元）/ cost charged to the prevention fund" }) cost: string;
  @Field(() => Boolean, { description: "单位是否签字确认 / confirmed by the enterprise" }) confirmedByEnterprise: boolean;
  @Field(() => [FoundHazardInput], { nullable: true, description: "发现的隐患，按顺序编号 1..n / hazards found, numbered 1..n in this order" })
  hazards?: FoundHazardInput[] | null;
}

export const RectificationOutcome = { RECTIFIED: "RECTIFIED", REFUSED: "REFUSED" } as const;
registerEnumType(RectificationOutcome, {
  name: "RectificationOutcome",
  description: "隐患整改结果 / outcome of a hazard's rectification",
  valuesConfig: { RECTIFIED: { description: "已整改" }, REFUSED: { description: "拒不整改" } },
});

@InputType({ description: "隐患整改结果 / a hazard's rectification outcome" })
export class HazardRectificationInput {
  @Field(() => String, { description: "服务的主承保机构 / the service's lead insurer USCC" }) insurerUscc: string;
  @Field(() => String, { description: "服务编号 / service reference" }) serviceRef: string;
  @Field(() => Int, { description: "隐患序号（服务记录中的顺序，从1起）/ the hazard's number within the service, from 1" }) seq: number;
  @Field(() => RectificationOutcome, { description: "结果 / outcome" }) outcome: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "整改完成时间（RECTIFIED 必填，不早于告知日期）/ rectified at: required for RECTIFIED, not before the notice date" })
  rectifiedAt?: Date | null;
}

@ObjectType({ description: "服务记录结果 / result of recording a prevention service" })
export class PreventionServiceRecordResult {
  @Field(() => String, { description: "幂等键 / idempotency key" }) idempotencyKey: string;
  @Field(() => Boolean, { description: "是否为重复提交的回放（同一幂等键，或同一服务编号且内容相同）/ replay of an earlier identical push (same key, or same reference and content)" })
  replayed: boolean;
  @Field(() => PreventionService, { nullable: true, description: "服务记录（含隐患）/ the stored service with its hazards" }) service: unknown;
  @Field(() => [ComplianceFinding], { description: "该服务涉及的未消除合规问题 / open findings about this service's hazards and plan" }) findings: unknown[];
}

@ObjectType({ description: "隐患整改结果 / result of recording a rectification outcome" })
export class HazardRectificationResult {
  @Field(() => String, { description: "幂等键 / idempotency key" }) idempotencyKey: string;
  @Field(() => Boolean, { description: "是否为重复提交的回放 / replay of an earlier identical push" }) replayed: boolean;
  @Field(() => Hazard, { nullable: true, description: "隐患 / the hazard" }) hazard: unknown;
  @Field(() => [ComplianceFinding], { description: "该隐患的未消除合规问题 / the hazard's open findings" }) findings: unknown[];
}
