import { Field, InputType, Int, ObjectType } from "type-graphql";
import { ServiceKind } from "../../graphql/enums.js";
import { DateTimeScalar, DecimalScalar, MoneyScalar } from "../../graphql/scalars.js";
import { ComplianceFinding } from "../compliance/types.js";
import { Policy } from "./types.js";

@InputType({ description: "被保险单位及其投保人数 / an insured enterprise and its insured headcount" })
export class InsuredEnterpriseInput {
  @Field(() => String, { description: "统一社会信用代码 / USCC" }) uscc: string;
  @Field(() => Int, { description: "投保人数（应覆盖全部从业人员）/ insured headcount (should cover every worker)" }) insuredHeadcount: number;
}

@InputType({ description: "共保份额 / co-insurance share" })
export class CoinsurerInput {
  @Field(() => String, { description: "保险机构统一社会信用代码 / insurer USCC" }) insurerUscc: string;
  @Field(() => DecimalScalar, { description: "份额，合计必须等于1 / share; all shares sum to exactly 1" }) share: string;
}

@InputType({ description: "服务计划项 / prevention-service plan item" })
export class ServicePlanInput {
  @Field(() => ServiceKind, { description: "服务类型 / kind" }) kind: string;
  @Field(() => Int, { description: "每年次数 / times per year" }) yearlyFrequency: number;
}

@InputType({ description: "保单报送 / a policy filing (the caller is the lead insurer)" })
export class PolicyInput {
  @Field(() => String, { description: "保单号 / policy number" }) policyNo: string;
  @Field(() => [InsuredEnterpriseInput], { description: "被保险单位（园区整体投保可多个）/ insured enterprises" }) insuredEnterprises: InsuredEnterpriseInput[];
  @Field(() => [CoinsurerInput], { nullable: true, description: "共保份额（含主承保；不填 = 独家承保）/ co-insurance shares incl. the lead; omit for sole cover" }) coinsurers?: CoinsurerInput[];
  @Field(() => String, { nullable: true, description: "经纪机构 / broker USCC" }) brokerUscc?: string;
  @Field(() => DateTimeScalar, { description: "保险期间起 / period start" }) startAt: Date;
  @Field(() => DateTimeScalar, { description: "保险期间止（不含）/ period end, exclusive" }) endAt: Date;
  @Field(() => MoneyScalar, { description: "保费 / premium" }) premium: string;
  @Field(() => DecimalScalar, { description: "基准费率 / base rate" }) baseRate: string;
  @Field(() => DecimalScalar, { description: "费率浮动 / rate float (-0.4 = 40% below)" }) rateFloat: string;
  @Field(() => DecimalScalar, { description: "手续费比例 / commission ratio" }) commissionRatio: string;
  @Field(() => DecimalScalar, { description: "事故预防费用比例 / prevention-fund ratio" }) preventionFundRatio: string;
  @Field(() => MoneyScalar, { description: "每人死亡伤残限额 / death and disability limit per person" }) deathLimitPerPerson: string;
  @Field(() => MoneyScalar, { nullable: true, description: "每人医疗限额 / medical limit per person" }) medicalLimitPerPerson?: string;
  @Field(() => MoneyScalar, { nullable: true, description: "第三者责任限额 / third-party limit" }) thirdPartyLimit?: string;
  @Field(() => [String], { description: "保障项目 / coverage items" }) coverageItems: string[];
  @Field(() => [ServicePlanInput], { nullable: true, description: "事故预防服务计划 / prevention-service plan" }) servicePlan?: ServicePlanInput[];
  @Field(() => [String], { nullable: true, description: "约定服务机构 / named service orgs" }) serviceOrgUsccs?: string[];
}

@InputType({ description: "批量报送项 / one item of a bulk filing" })
export class PolicyFilingInput {
  @Field(() => String, { description: "幂等键 / idempotency key" }) idempotencyKey: string;
  @Field(() => PolicyInput, { description: "保单内容 / the filing" }) input: PolicyInput;
}

@ObjectType({ description: "字段错误 / a field-level input problem" })
export class InputProblem {
  @Field(() => String, { description: "输入路径 / input path" }) field: string;
  @Field(() => String, { description: "规则 / rule" }) rule: string;
  @Field(() => String, { description: "说明 / message" }) message: string;
}

@ObjectType({ description: "报送结果 / filing result" })
export class PolicyFilingResult {
  @Field(() => String, { description: "幂等键 / idempotency key" }) idempotencyKey: string;
  @Field(() => Boolean, { description: "是否接收 / accepted" }) accepted: boolean;
  @Field(() => Boolean, { description: "是否为重复提交的回放 / replay of an earlier identical push" }) replayed: boolean;
  @Field(() => Policy, { nullable: true, description: "保单 / the stored policy" }) policy: unknown;
  @Field(() => [ComplianceFinding], { description: "合规问题 / compliance findings of the policy" }) findings: unknown[];
  @Field(() => [InputProblem], { description: "拒收原因 / why it was rejected" }) errors: InputProblem[];
  @Field(() => String, { nullable: true, description: "错误码（拒收时）/ error code when rejected" }) errorCode: string | null;
}
