import { ArgsType, Field, InputType, Int, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection.js";
import { EnterpriseStatus, Sector } from "../../graphql/enums.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";

// simpleResolvers: plain fields read the row as graphql-js does by default (no per-field wrapper);
// the read planner (src/graphql/plan) plans exactly those
@ObjectType({ description: "生产经营单位 / Enterprise (production and business unit)", simpleResolvers: true })
export class Enterprise {
  @Field(() => String, { description: "统一社会信用代码 / USCC" }) uscc: string;
  @Field(() => String, { description: "单位名称 / name" }) name: string;
  @Field(() => String, { description: "所在行政区划代码 / region code (GB/T 2260, townships 9 digits)" }) regionCode: string;
  @Field(() => String, { nullable: true, description: "地址 / address" }) address: string | null;
  @Field(() => String, { description: "国民经济行业代码（GB/T 4754-2017）/ industry code" }) industryCode: string;
  @Field(() => Sector, { description: "行业领域 / sector" }) sector: SectorCode;
  @Field(() => [String], { description: "风险标签 / risk tags" }) riskTags: string[];
  @Field(() => Int, { description: "从业人员数（含劳务派遣）/ employees incl. dispatched workers" }) employeeCount: number;
  @Field(() => EnterpriseStatus, { description: "经营状态 / operating status" }) status: string;
  @Field(() => String, { nullable: true, description: "安全生产许可证编号 / work-safety licence number" }) safetyLicenseNo: string | null;
  @Field(() => String, { nullable: true, description: "安全生产标准化等级 / safety standardization grade" }) standardizationGrade: string | null;
  @Field(() => Boolean, { description: "是否列入联合惩戒黑名单 / on the joint-punishment blacklist" }) blacklisted: boolean;
  @Field(() => String, { nullable: true, description: "法定代表人（个人信息）/ legal representative (personal data)" }) legalRepresentative: string | null;
  @Field(() => String, { nullable: true, description: "联系人（个人信息）/ contact person (personal data)" }) contactName: string | null;
  @Field(() => String, { nullable: true, description: "联系电话（个人信息）/ contact phone (personal data)" }) contactPhone: string | null;
  @Field(() => DateTimeScalar, { description: "最后更新时间 / last updated" }) updatedAt: Date;
}

export const EnterpriseConnection = Connection(Enterprise, "Enterprise", "生产经营单位");

@InputType({ description: "生产经营单位筛选条件 / enterprise filter" })
export class EnterpriseFilter {
  @Field(() => String, { nullable: true, description: "行政区划（含下级）/ region code, subtree included" }) regionCode?: string;
  @Field(() => [Sector], { nullable: true, description: "行业领域 / sectors" }) sectors?: SectorCode[];
  @Field(() => [EnterpriseStatus], { nullable: true, description: "经营状态 / statuses" }) statuses?: string[];
  @Field(() => Boolean, { nullable: true, description: "是否属于应当投保范围 / in the mandatory scope (effective rules of its region)" }) mandatory?: boolean;
  @Field(() => Boolean, { nullable: true, description: "当前是否在保 / insured right now" }) insuredNow?: boolean;
  @Field(() => Boolean, { nullable: true, description: "是否在黑名单 / blacklisted" }) blacklisted?: boolean;
  @Field(() => String, { nullable: true, description: "名称包含 / name contains" }) nameContains?: string;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "每页条数（≤ 500，默认 50）/ page size (≤ 500, default 50)" }) first?: number;
  @Field(() => String, { nullable: true, description: "游标 / cursor" }) after?: string;
}
