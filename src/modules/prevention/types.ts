import { Field, ID, InputType, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection.js";
import { HazardSeverity, HazardStatus, Sector, ServiceKind } from "../../graphql/enums.js";
import { DateTimeScalar, LocalDateScalar, MoneyScalar } from "../../graphql/scalars.js";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";

// simpleResolvers: plain fields read the row as graphql-js does by default (no per-field wrapper);
// the read planner (src/graphql/plan) plans exactly those
@ObjectType({ description: "事故预防服务（AQ 9010-2019）/ Prevention service", simpleResolvers: true })
export class PreventionService {
  @Field(() => ID, { description: "内部标识 / internal id" }) id: number;
  @Field(() => String, { description: "保险机构服务编号 / insurer's service reference" }) serviceRef: string;
  @Field(() => String, { description: "保险机构 / insurer USCC" }) insurerUscc: string;
  @Field(() => String, { description: "服务对象单位 / enterprise USCC" }) enterpriseUscc: string;
  @Field(() => ServiceKind, { description: "服务类型 / kind" }) kind: string;
  @Field(() => DateTimeScalar, { description: "服务时间 / performed at" }) performedAt: Date;
  @Field(() => String, { nullable: true, description: "服务地点 / place" }) place: string | null;
  @Field(() => [String], { description: "服务人员 / staff" }) staff: string[];
  @Field(() => MoneyScalar, { nullable: true, description: "列支的事故预防费用（商业秘密）/ cost charged to the prevention fund (trade secret)" }) cost: string;
  @Field(() => Boolean, { description: "单位是否签字确认 / confirmed by the enterprise" }) confirmedByEnterprise: boolean;
}

// simpleResolvers: plain fields read the row as graphql-js does by default (no per-field wrapper);
// the read planner (src/graphql/plan) plans exactly those
@ObjectType({ description: "隐患 / Hazard found by a service", simpleResolvers: true })
export class Hazard {
  @Field(() => ID, { description: "内部标识 / internal id" }) id: number;
  @Field(() => String, { description: "单位 / enterprise USCC" }) enterpriseUscc: string;
  @Field(() => String, { description: "隐患描述 / description" }) description: string;
  @Field(() => HazardSeverity, { description: "等级 / severity" }) severity: string;
  @Field(() => LocalDateScalar, { description: "书面告知日期 / written notice date" }) noticeDate: string;
  @Field(() => LocalDateScalar, { description: "整改期限 / rectification deadline" }) deadline: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "整改完成时间 / rectified at" }) rectifiedAt: Date | null;
}

export const PreventionServiceConnection = Connection(PreventionService, "PreventionService", "事故预防服务");
export const HazardConnection = Connection(Hazard, "Hazard", "隐患");

@InputType({ description: "服务筛选条件 / prevention service filter" })
export class PreventionServiceFilter {
  @Field(() => String, { nullable: true, description: "单位所在区划（含下级）/ region subtree" }) regionCode?: string;
  @Field(() => [Sector], { nullable: true, description: "行业 / sectors" }) sectors?: SectorCode[];
  @Field(() => [ServiceKind], { nullable: true, description: "服务类型 / kinds" }) kinds?: string[];
  @Field(() => String, { nullable: true, description: "保险机构 / insurer USCC" }) insurerUscc?: string;
  @Field(() => String, { nullable: true, description: "单位 / enterprise USCC" }) enterpriseUscc?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "服务时间不早于 / performed at or after" }) performedFrom?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "服务时间早于 / performed before" }) performedBefore?: Date;
}

@InputType({ description: "隐患筛选条件 / hazard filter" })
export class HazardFilter {
  @Field(() => String, { nullable: true, description: "单位所在区划（含下级）/ region subtree" }) regionCode?: string;
  @Field(() => [Sector], { nullable: true, description: "行业 / sectors" }) sectors?: SectorCode[];
  @Field(() => [HazardSeverity], { nullable: true, description: "等级 / severities" }) severities?: string[];
  @Field(() => [HazardStatus], { nullable: true, description: "整改状态 / statuses (OVERDUE = open past deadline)" }) statuses?: string[];
  @Field(() => String, { nullable: true, description: "单位 / enterprise USCC" }) enterpriseUscc?: string;
}
