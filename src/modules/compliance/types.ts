import { Field, ID, InputType, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection.js";
import { Sector } from "../../graphql/enums.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";

@ObjectType({ description: "合规问题：记录已接收但违反规定 / Compliance finding: a stored record that breaks a rule", simpleResolvers: true })
export class ComplianceFinding {
  @Field(() => ID, { description: "内部标识 / internal id" }) id: number;
  @Field(() => String, { description: "规则代码 / rule code" }) ruleCode: string;
  @Field(() => String, { description: "严重程度 VIOLATION 违规 / WARNING 提示 / severity" }) severity: string;
  @Field(() => String, { description: "说明（中文在前；无权读取商业秘密者看到不含费率、金额等数字的说明）/ message, Chinese first; without trade-secret figures for callers who may not read them" }) message: string;
  @Field(() => String, { description: "依据（文号与条款）/ source document and article" }) source: string;
  @Field(() => String, { description: "对象类型 POLICY / ENTERPRISE / HAZARD … / subject kind" }) subjectKind: string;
  @Field(() => String, { description: "对象标识 / subject key" }) subjectKey: string;
  @Field(() => String, { nullable: true, description: "相关单位 / enterprise USCC" }) enterpriseUscc: string | null;
  @Field(() => String, { nullable: true, description: "相关保险机构 / insurer USCC" }) insurerUscc: string | null;
  @Field(() => String, { description: "OPEN 未整改 / RESOLVED 已消除" }) status: string;
  @Field(() => DateTimeScalar, { description: "发现时间 / found at" }) foundAt: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "消除时间 / resolved at" }) resolvedAt: Date | null;
}

export const ComplianceFindingConnection = Connection(ComplianceFinding, "ComplianceFinding", "合规问题");

@InputType({ description: "合规问题筛选 / finding filter" })
export class ComplianceFindingFilter {
  @Field(() => [String], { nullable: true, description: "规则代码 / rule codes" }) ruleCodes?: string[];
  @Field(() => String, { nullable: true, description: "状态 OPEN 未消除 / RESOLVED 已消除 / status" }) status?: string;
  @Field(() => String, { nullable: true, description: "单位所在区划（含下级）/ region subtree" }) regionCode?: string;
  @Field(() => [Sector], { nullable: true, description: "行业 / sectors" }) sectors?: SectorCode[];
  @Field(() => String, { nullable: true, description: "单位 / enterprise USCC" }) enterpriseUscc?: string;
  @Field(() => String, { nullable: true, description: "保险机构 / insurer USCC" }) insurerUscc?: string;
}
