import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "一条生效规则及其依据 / one effective rule and where it comes from" })
export class EffectiveRule {
  @Field(() => String, { description: "规则名 / rule key" }) key: string;
  @Field(() => String, { description: "中文说明 / what it means" }) label: string;
  @Field(() => String, { description: "生效值（JSON）/ effective value as JSON" }) value: string;
  @Field(() => [String], { description: "依据文件及条款 / source documents and articles" }) sources: string[];
}

@ObjectType({ description: "某行政区划的生效规则（全国规则与沿上级区划各地方规定合并，从严）/ effective rules of a region: national and every regional profile on its ancestry, stricter wins" })
export class RuleProfileView {
  @Field(() => String, { description: "区划代码 / region code" }) regionCode: string;
  @Field(() => [String], { description: "适用的规定（全国在前）/ profiles applied, national first" }) profiles: string[];
  @Field(() => [EffectiveRule], { description: "生效规则 / effective rules" }) rules: EffectiveRule[];
}

@ObjectType({ description: "下一保单年度允许的费率浮动区间 / rate-float band the next policy may use" })
export class RateFloatBand {
  @Field(() => String, { nullable: true, description: "下限（null = 无下限）/ lowest deviation; null = unbounded" }) min: string | null;
  @Field(() => String, { nullable: true, description: "上限（null = 无上限）/ highest deviation; null = unbounded" }) max: string | null;
  @Field(() => String, { description: "理由 / why" }) reason: string;
  @Field(() => String, { description: "依据 / source" }) source: string;
  @Field(() => Boolean, { description: "因重大隐患未整改可上浮 / an unrectified major hazard allows a raise" }) hazardSurchargeAllowed: boolean;
}
